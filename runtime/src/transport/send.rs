//! Sending a call: validated and built once, sent with its credentials
//! (an OAuth 2 token fetched once for the client), sent again only when the
//! retry policy allows, traced by OpenTelemetry's names, recorded for
//! metrics, and its response read and decoded.

use reqwest::header::AUTHORIZATION;
use reqwest::StatusCode;
use tracing::Instrument as _;

use super::{read_body, Built, HttpClient};
use crate::body::RequestBody;
use crate::call::CallRecord;
use crate::decode::{ErrorBody, SuccessBody};
use crate::error::Error;
use crate::file_stream::FileStream;
use crate::operation::{Operation, OperationCredential, Parameters};
use crate::retry::{retryable_error, retryable_status};
use crate::validate::{Path, Validate, ValidationReport};

/// How far a call got: what its metrics record says besides its result.
#[derive(Default)]
struct Progress {
    /// Attempts sent (0: nothing was sent).
    attempts: u32,
    /// The last response's status.
    status: Option<StatusCode>,
}

impl HttpClient {
    /// Calls the operation `name` at `path` with `method`: see [`send`](Self::send).
    pub(super) async fn call<B, P, T, E>(
        &self,
        method: reqwest::Method,
        (name, path): (&'static str, &'static str),
        credential: Option<OperationCredential>,
        body: &B,
        params: &P,
    ) -> Result<T, Error<E>>
    where
        B: RequestBody + Validate,
        P: Parameters,
        T: SuccessBody,
        E: ErrorBody,
    {
        let operation = Operation {
            name,
            method,
            path,
            credential,
        };
        self.send(&operation, body, params).await
    }

    /// Validates `body` and the call's parameters, sends the body (again,
    /// when the [`RetryPolicy`](crate::RetryPolicy) allows), and decodes the response: `T` on a 2xx
    /// status, the gateway's error body `E` otherwise. Each call runs in a
    /// `paygen.call` tracing span that records the gateway, operation,
    /// method, path (without its query, a secret path parameter as its
    /// `{name}`), attempts and status, and never a header or body.
    pub async fn send<B, P, T, E>(
        &self,
        operation: &Operation,
        body: &B,
        params: &P,
    ) -> Result<T, Error<E>>
    where
        B: RequestBody + Validate,
        P: Parameters,
        T: SuccessBody,
        E: ErrorBody,
    {
        // Named as OpenTelemetry's HTTP client conventions name them, so that
        // `tracing-opentelemetry` exports them as they are; `gateway`,
        // `operation` and `attempts` are paygen's own.
        let span = tracing::info_span!(
            "paygen.call",
            otel.name = %format_args!("{} {}", operation.method, operation.path),
            otel.kind = "client",
            gateway = self.gateway,
            operation = operation.name,
            http.request.method = %operation.method,
            server.address = self.server.0.as_str(),
            server.port = self.server.1,
            url.template = operation.path,
            url.path = tracing::field::Empty,
            attempts = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
            "error.type" = tracing::field::Empty,
        );
        let started = std::time::Instant::now();
        let mut progress = Progress::default();
        let result = self
            .send_in_span(operation, body, params, &mut progress)
            .instrument(span.clone())
            .await;
        if let Err(error) = &result {
            span.record("error.type", error.kind());
        }
        self.call.finished(&CallRecord {
            gateway: self.gateway,
            operation: operation.name,
            method: &operation.method,
            elapsed: started.elapsed(),
            attempts: progress.attempts,
            status: progress.status,
            outcome: result.as_ref().err().map(Error::outcome),
        });
        result
    }

    /// Every violation of the body and parameters, and of the headers the
    /// call leaves to client settings that are not set; when there is none,
    /// those headers.
    pub(super) fn validate(
        &self,
        body: &dyn Validate,
        params: &dyn Parameters,
    ) -> Result<Vec<&'static str>, ValidationReport> {
        let mut report = ValidationReport::default();
        body.validate_into(&Path::ROOT, &mut report);
        params.validate_into(&Path::ROOT, &mut report);
        let mut from_settings = Vec::new();
        params.client_defaults(&mut from_settings);
        for name in &from_settings {
            if !self.setting_headers.iter().any(|(n, _)| n == name) {
                report.push(
                    &Path::ROOT.field(name),
                    crate::validate::Code::Required,
                    "is required: set it on the call, or once on the client",
                    Vec::new(),
                );
            }
        }
        report
            .into_result()
            .map(|()| from_settings)
            .inspect_err(|report| {
                tracing::debug!(violations = report.len(), "request invalid; not sent");
            })
    }

    async fn send_in_span<B, P, T, E>(
        &self,
        operation: &Operation,
        body: &B,
        params: &P,
        progress: &mut Progress,
    ) -> Result<T, Error<E>>
    where
        B: RequestBody + Validate,
        P: Parameters,
        T: SuccessBody,
        E: ErrorBody,
    {
        let Built {
            url,
            logged_path,
            headers: call_headers,
            body: bytes,
            files,
            idempotent,
        } = self.build(operation, body, params, true)?;
        let (http, auth) = self.ready(operation.credential.map(|c| (c.scheme, c.setter)))?;
        let span = tracing::Span::current();
        span.record("url.path", logged_path.as_str());
        let logged_url = reqwest::Url::parse(&format!("{}{logged_path}", self.base_url)).ok();
        // The credentials, then what the call sets (which may override them).
        let mut headers = auth.clone();
        headers.extend(call_headers);
        let deadline = self
            .timeouts
            .deadline
            .map(|d| std::time::Instant::now() + d);
        // An OAuth 2 token, fetched (once, for the client and its clones)
        // only for a call that is valid and about to be sent, within the
        // call's deadline.
        let mut token = match &self.tokens {
            // An operation with a credential of its own sends that instead.
            Some(tokens) if operation.credential.is_none() => {
                let token = tokens
                    .token(http, &self.base_url, deadline)
                    .await
                    .map_err(Error::Token)?;
                headers.insert(AUTHORIZATION, token.header.clone());
                Some(token)
            }
            _ => None,
        };
        let mut refreshed = false;
        // Whether a wait of `wait` still ends before the deadline.
        let in_time = |wait: std::time::Duration| {
            deadline.is_none_or(|at| std::time::Instant::now() + wait < at)
        };
        let mut attempt = 1;
        loop {
            span.record("attempts", attempt);
            progress.attempts = attempt;
            if attempt > 1 {
                span.record("http.request.resend_count", attempt - 1);
            }
            let mut request = http
                .request(operation.method.clone(), &url)
                .headers(headers.clone());
            match &bytes {
                // Each attempt reads the files from the start.
                Some(bytes) if !files.is_empty() => {
                    let stream = FileStream::new(bytes.clone(), files.clone());
                    request = request.body(reqwest::Body::wrap(stream));
                }
                Some(bytes) => request = request.body(bytes.clone()),
                None => {}
            }
            let per_attempt = self.call.timeout().unwrap_or(self.timeouts.total);
            match deadline {
                Some(at) => {
                    let left = at.saturating_duration_since(std::time::Instant::now());
                    request = request.timeout(per_attempt.min(left));
                }
                None if self.call.timeout().is_some() => request = request.timeout(per_attempt),
                None => {}
            }
            let sent = request.send().await;
            let more = attempt < self.retry.max_attempts;
            let response = match sent {
                Ok(response) => response,
                Err(error) => {
                    let error = match &logged_url {
                        Some(url) => error.with_url(url.clone()),
                        None => error.without_url(),
                    };
                    let wait = self.retry.backoff(attempt + 1);
                    if more && retryable_error(&error, idempotent) && in_time(wait) {
                        tracing::warn!(attempt, ?wait, error = %error, "transport failure; retrying");
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    tracing::warn!(attempt, error = %error, "transport failure");
                    return Err(Error::Transport(error));
                }
            };
            let status = response.status();
            span.record("http.response.status_code", status.as_u16());
            progress.status = Some(status);
            // A refused token (revoked, or expired early) is fetched again,
            // once per call: a 401 means the call was not processed.
            if let (StatusCode::UNAUTHORIZED, Some(tokens), Some(used), false) =
                (status, &self.tokens, &token, refreshed)
            {
                refreshed = true;
                tokens.discard(used.generation).await;
                let _ = read_body(response, self.max_response_bytes).await;
                let fresh = tokens
                    .token(http, &self.base_url, deadline)
                    .await
                    .map_err(Error::Token)?;
                headers.insert(AUTHORIZATION, fresh.header.clone());
                token = Some(fresh);
                tracing::debug!(attempt, "token refused; sending again with a new one");
                attempt += 1;
                continue;
            }
            if more && retryable_status(status, idempotent) {
                let wait = self.retry.delay_after(attempt + 1, response.headers());
                if let Some(wait) = wait.filter(|w| in_time(*w)) {
                    tracing::warn!(attempt, status = status.as_u16(), ?wait, "retrying");
                    // Read the body so the connection can be reused.
                    let _ = read_body(response, self.max_response_bytes).await;
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
            }
            self.call.answered(status, response.headers(), attempt);
            return self.read_response(response).await;
        }
    }
}
