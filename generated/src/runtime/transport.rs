//! The HTTP core every generated client wraps: credentials, validation before
//! anything is sent, retries, and one typed result per call, with what a
//! payment client must never do (follow a redirect, use plain http to
//! another host, read an unbounded answer) ruled out.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use tracing::Instrument as _;

use super::body::RequestBody;
use super::call::{CallOptions, CallRecord};
use super::config::Timeouts;
use super::credentials::{auth_headers, wiped_on_drop, Auth};
use super::encryption::{encrypting, EncryptionKey};
use super::error::{decode_response, Error, ErrorBody, SetupError, SuccessBody};
use super::oauth::TokenSource;
use super::operation::{Operation, OperationCredential, Parameters};
use super::prepared::PreparedRequest;
use super::retry::{retryable_error, retryable_status, RetryPolicy};
use super::validate::{Path, Validate, ValidationReport};

/// The answer bodies a client reads by default: 4 MiB, far above any body the
/// gateways document, far below what would strain a service.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// How much of a body over the limit an error keeps.
const KEPT_OF_TOO_LARGE: usize = 64 * 1024;

/// The `User-Agent` paygen sends unless the consumer sets one.
pub const USER_AGENT: &str = concat!("paygen/", env!("CARGO_PKG_VERSION"));

/// Changes to the HTTP client builder a consumer asks for (proxies, TLS roots,
/// default headers); paygen applies its own settings after them.
type Customize = Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// Builds the HTTP client: the consumer's changes first, then what a payment
/// client must have: the timeouts, and no redirects (a redirect would carry
/// credentials and card data to whatever host the `Location` names).
fn http_client(
    timeouts: Timeouts,
    customize: Option<&Customize>,
) -> Result<reqwest::Client, SetupError> {
    // Gateways' support asks which client sent a call: paygen and its
    // version, unless the consumer sets their own.
    let builder = reqwest::Client::builder().user_agent(USER_AGENT);
    let builder = match customize {
        Some(customize) => customize(builder),
        None => builder,
    };
    builder
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.total)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| SetupError::HttpClient(e.to_string()))
}

/// The token cache of a client-credentials `auth`.
fn token_source(auth: &Auth) -> Option<Arc<TokenSource>> {
    match auth {
        Auth::ClientCredentials {
            token_url,
            client_id,
            client_secret,
        } => Some(Arc::new(TokenSource::new(
            token_url.clone(),
            client_id,
            client_secret,
        ))),
        _ => None,
    }
}

/// `url` without its trailing slash, when it is a base URL a payment client
/// may use: https, or plain http only to loopback (tests, a mock gateway).
pub(crate) fn checked_base_url(url: &str) -> Result<(), SetupError> {
    use reqwest::Url;
    let parsed = Url::parse(url).map_err(|_| SetupError::InvalidBaseUrl(url.to_owned()))?;
    let clean = parsed.username().is_empty()
        && parsed.password().is_none()
        && parsed.query().is_none()
        && parsed.fragment().is_none()
        && parsed.host().is_some();
    if !clean {
        return Err(SetupError::InvalidBaseUrl(url.to_owned()));
    }
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&parsed) => Ok(()),
        "http" => Err(SetupError::InsecureBaseUrl(url.to_owned())),
        _ => Err(SetupError::InvalidBaseUrl(url.to_owned())),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // An IPv6 host comes in brackets (`[::1]`).
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The shared HTTP machinery of one configured client. Cloning is cheap and
/// clones share one connection pool.
///
/// What it promises: no redirect is ever followed (a 3xx is
/// [`Error::Redirect`]); plain `http` is refused except to loopback; an
/// answer's body is read up to a limit; the request body and the credential
/// headers are zeroized when dropped.
#[derive(Clone)]
pub struct HttpClient {
    /// The gateway's module name (`juspay`), for tracing.
    gateway: &'static str,
    /// The base URL's host and port, for the spans' `server.address` and
    /// `server.port`.
    server: Arc<(String, u16)>,
    http: Result<reqwest::Client, SetupError>,
    base_url: Arc<str>,
    /// Why the base URL cannot be used, if it cannot.
    base_url_problem: Option<SetupError>,
    /// Which of the gateway's servers the client was made for: `Some(true)`
    /// production, `Some(false)` sandbox, `None` a custom base URL.
    production: Option<bool>,
    /// Why the credential cannot be used in that environment, if it cannot.
    key_problem: Option<SetupError>,
    /// Credential headers, or why they cannot be sent (reported by every
    /// call, never panicking at construction).
    auth: Arc<Result<HeaderMap, SetupError>>,
    /// The credentials operations send instead of `auth` (their `security`
    /// names another scheme), by scheme name; built like `auth`.
    operation_auth: Arc<Vec<(&'static str, Result<HeaderMap, SetupError>)>>,
    /// The OAuth 2 token, for a client-credentials gateway: one cache for
    /// the client and its clones.
    tokens: Option<Arc<TokenSource>>,
    timeouts: Timeouts,
    customize: Option<Customize>,
    retry: RetryPolicy,
    max_response_bytes: usize,
    /// The gateway's public key, for fields it wants encrypted.
    encryption_key: Option<EncryptionKey>,
    /// Headers the client's settings give the calls that leave them unset
    /// (Juspay's `x-merchantid`).
    setting_headers: Arc<Vec<(&'static str, HeaderValue)>>,
    /// The caller's options for these calls: a timeout, headers, an answer hook.
    call: CallOptions,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = match &*self.auth {
            Ok(headers) => headers.keys().map(HeaderName::as_str).collect(),
            Err(_) => Vec::new(),
        };
        f.debug_struct("HttpClient")
            .field("gateway", &self.gateway)
            .field("base_url", &self.base_url)
            .field("credential_headers", &names)
            .field(
                "operation_credentials",
                &self
                    .operation_auth
                    .iter()
                    .map(|(scheme, _)| *scheme)
                    .collect::<Vec<_>>(),
            )
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("call", &self.call)
            .finish_non_exhaustive()
    }
}

/// What an operation whose `security` asks for none sends: nothing.
static NO_CREDENTIALS: std::sync::LazyLock<Result<HeaderMap, SetupError>> =
    std::sync::LazyLock::new(|| Ok(HeaderMap::new()));

/// A call built, but for its credentials.
struct Built {
    url: String,
    /// The path without its query, secret segments as `{name}`.
    logged_path: String,
    headers: HeaderMap,
    /// `None` for a call without a body.
    body: Option<Bytes>,
    idempotent: bool,
}

/// How far a call got: what its metrics record says besides its result.
#[derive(Default)]
struct Progress {
    /// Attempts sent (0: nothing was sent).
    attempts: u32,
    /// The last answer's status.
    status: Option<StatusCode>,
}

/// One method per HTTP method, which generated client methods call with the
/// operation's name and path template.
macro_rules! verbs {
    ($($verb:ident, $verb_as:ident => $method:ident),*) => {
        impl HttpClient {
            $(
                #[doc = concat!("Sends a `", stringify!($method), "` to the operation `name` at `path`; see [`send`](Self::send).")]
                pub async fn $verb<B, P, T, E>(
                    &self,
                    name: &'static str,
                    path: &'static str,
                    body: &B,
                    params: &P,
                ) -> Result<T, Error<E>>
                where
                    B: RequestBody + Validate,
                    P: Parameters,
                    T: SuccessBody,
                    E: ErrorBody,
                {
                    self.call(reqwest::Method::$method, (name, path), None, body, params).await
                }

                #[doc = concat!("Sends a `", stringify!($method), "` to the operation `name` at `path` with the operation's own `credential`; see [`send`](Self::send).")]
                pub async fn $verb_as<B, P, T, E>(
                    &self,
                    credential: OperationCredential,
                    name: &'static str,
                    path: &'static str,
                    body: &B,
                    params: &P,
                ) -> Result<T, Error<E>>
                where
                    B: RequestBody + Validate,
                    P: Parameters,
                    T: SuccessBody,
                    E: ErrorBody,
                {
                    self.call(reqwest::Method::$method, (name, path), Some(credential), body, params)
                        .await
                }
            )*
        }
    };
}

verbs!(
    get, get_as => GET,
    post, post_as => POST,
    put, put_as => PUT,
    patch, patch_as => PATCH,
    delete, delete_as => DELETE
);

impl HttpClient {
    /// A client for `base_url` that authenticates with `auth`, with default
    /// [`Timeouts`] and [`RetryPolicy`]. A base URL that is not https (or
    /// plain http to loopback) makes every call fail with
    /// [`Error::Setup`], before anything is sent.
    pub fn new(gateway: &'static str, base_url: &str, auth: Auth) -> Self {
        let base_url = base_url.trim_end_matches('/');
        let server = reqwest::Url::parse(base_url)
            .ok()
            .map(|url| {
                let host = url.host_str().unwrap_or_default().to_owned();
                (host, url.port_or_known_default().unwrap_or_default())
            })
            .unwrap_or_default();
        HttpClient {
            gateway,
            server: Arc::new(server),
            http: http_client(Timeouts::default(), None),
            base_url: Arc::from(base_url),
            base_url_problem: checked_base_url(base_url).err(),
            production: None,
            key_problem: None,
            auth: Arc::new(auth_headers(&auth)),
            operation_auth: Arc::default(),
            tokens: token_source(&auth),
            timeouts: Timeouts::default(),
            customize: None,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            encryption_key: None,
            setting_headers: Arc::default(),
            call: CallOptions::default(),
        }
    }

    /// The same client (connection pool, settings, options) authenticating
    /// with `auth` instead.
    pub fn with_auth(mut self, auth: Auth) -> Self {
        self.auth = Arc::new(auth_headers(&auth));
        self.tokens = token_source(&auth);
        self.key_problem = None;
        self
    }

    /// The same client, with `auth` as the credential of the security scheme
    /// `scheme`, which the operations whose `security` names it send instead
    /// of the client's own (HTTP Basic, a bearer token, or headers).
    pub fn with_operation_credential(mut self, scheme: &'static str, auth: Auth) -> Self {
        let built = auth_headers(&auth);
        let all = Arc::make_mut(&mut self.operation_auth);
        all.retain(|(name, _)| *name != scheme);
        all.push((scheme, built));
        self
    }

    /// Records which of the gateway's servers `environment` is, for
    /// [`checked_key`](Self::checked_key).
    pub fn in_environment(mut self, environment: &crate::Environment) -> Self {
        self.production = match environment {
            crate::Environment::Sandbox => Some(false),
            crate::Environment::Production => Some(true),
            crate::Environment::Custom(_) => None,
        };
        self
    }

    /// Checks that a credential is a key of the client's environment, where
    /// the gateway's keys say which they are for ([`KeyCheck`]). A key of
    /// the other environment makes every call fail with [`Error::Setup`]
    /// before anything is sent. A custom base URL (a mock, a proxy) is not
    /// checked.
    pub fn checked_key(mut self, key: KeyCheck) -> Self {
        if self.key_problem.is_none() {
            self.key_problem = key.problem(self.production);
        }
        self
    }

    /// Builds the HTTP client with `customize` applied to reqwest's builder
    /// (proxies, TLS roots, default headers, a user agent). paygen's own
    /// settings are applied after it, whatever the order of the `with_*`
    /// calls: the [`Timeouts`], and no redirects.
    pub fn with_http_client<F>(mut self, customize: F) -> Self
    where
        F: Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    {
        self.customize = Some(Arc::new(customize));
        self.http = http_client(self.timeouts, self.customize.as_ref());
        self
    }

    /// Uses `timeouts` for every call.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self.http = http_client(self.timeouts, self.customize.as_ref());
        self
    }

    /// Encrypts the request fields the spec marks `x-encrypted` with `key`.
    pub fn with_encryption_key(mut self, key: EncryptionKey) -> Self {
        self.encryption_key = Some(key);
        self
    }

    /// Uses `retry` for every call.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sends `value` as header `name` on every call that takes it and leaves
    /// it unset: a client setting (Juspay's merchant id) configured once. A
    /// value that is not a valid header value is not kept, and the calls that
    /// need it report the header as missing.
    pub fn with_setting_header(mut self, name: &'static str, value: &str) -> Self {
        let mut headers: Vec<_> = self
            .setting_headers
            .iter()
            .filter(|(n, _)| *n != name)
            .cloned()
            .collect();
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.push((name, value));
        }
        self.setting_headers = Arc::new(headers);
        self
    }

    /// Reads at most `limit` bytes of an answer's body (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); a longer body ends the call with
    /// [`Error::ResponseTooLarge`].
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Uses `options` for every call of this client value.
    pub fn with_call_options(mut self, options: CallOptions) -> Self {
        self.call = options;
        self
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The HTTP client and the credential headers `operation` sends (the
    /// client's own, or the one its `security` names), or why the client
    /// cannot send it.
    fn ready(&self, operation: &Operation) -> Result<(&reqwest::Client, &HeaderMap), SetupError> {
        if let Some(problem) = self.base_url_problem.as_ref().or(self.key_problem.as_ref()) {
            return Err(problem.clone());
        }
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let auth = match operation.credential {
            None => self.auth.as_ref(),
            Some(credential) if credential.scheme.is_empty() => &NO_CREDENTIALS,
            Some(credential) => self
                .operation_auth
                .iter()
                .find(|(scheme, _)| *scheme == credential.scheme)
                .map(|(_, auth)| auth)
                .ok_or_else(|| SetupError::CredentialNotSet {
                    scheme: credential.scheme.to_owned(),
                    setter: credential.setter.to_owned(),
                })?,
        };
        let auth = auth.as_ref().map_err(Clone::clone)?;
        Ok((http, auth))
    }

    /// Calls the operation `name` at `path` with `method`: see [`send`](Self::send).
    async fn call<B, P, T, E>(
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
    /// when the [`RetryPolicy`] allows), and decodes the answer: `T` on a 2xx
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
    fn validate<B, P>(&self, body: &B, params: &P) -> Result<Vec<&'static str>, ValidationReport>
    where
        B: Validate,
        P: Parameters,
    {
        let mut report = ValidationReport::default();
        body.validate_into(&Path::ROOT, &mut report);
        params.validate_into(&Path::ROOT, &mut report);
        let mut from_settings = Vec::new();
        params.client_defaults(&mut from_settings);
        for name in &from_settings {
            if !self.setting_headers.iter().any(|(n, _)| n == name) {
                report.push(
                    &Path::ROOT.field(name),
                    crate::runtime::validate::Code::Required,
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

    /// Everything a call sends but its credentials: validated, its path
    /// filled, its body encoded (and encrypted where the spec says), its
    /// headers; what [`send`](Self::send) sends and
    /// [`prepare`](Self::prepare) gives.
    fn build<B, P, E>(&self, operation: &Operation, body: &B, params: &P) -> Result<Built, Error<E>>
    where
        B: RequestBody + Validate,
        P: Parameters,
    {
        let from_settings = self.validate(body, params).map_err(Error::Validation)?;
        if let Some(problem) = &self.base_url_problem {
            return Err(Error::Setup(problem.clone()));
        }
        // Only after validation: path parameters are known to be plain segments.
        let path = operation.path(params);
        // Spans and errors show the path without the query and without
        // secret segments: neither is ever logged.
        let logged_path = operation.logged_path(params);
        // Encoded once; every attempt shares the bytes, which are zeroized when
        // the last attempt lets go of them.
        let encoded = encrypting(self.encryption_key.as_ref(), || body.encode_body())?;
        let bytes = B::SENDS_BODY.then(|| wiped_on_drop(encoded));
        let mut headers = self
            .headers::<B, P>(params, &from_settings)
            .map_err(|name| Error::InvalidHeader { name })?;
        self.call
            .apply_headers(&mut headers)
            .map_err(|name| Error::InvalidHeader { name })?;
        // A GET changes nothing, and a call with an idempotency key is answered
        // with its first result: sending either again cannot charge twice.
        let idempotent =
            params.idempotent() || body.idempotent() || operation.method == reqwest::Method::GET;
        Ok(Built {
            url: format!("{}{path}", self.base_url),
            logged_path,
            headers,
            body: bytes,
            idempotent,
        })
    }

    /// The headers of a call but its credentials: the body's content type,
    /// the settings it leaves to the client, and its own; or the name of one
    /// whose value HTTP does not allow.
    fn headers<B, P>(
        &self,
        params: &P,
        from_settings: &[&'static str],
    ) -> Result<HeaderMap, &'static str>
    where
        B: RequestBody,
        P: Parameters,
    {
        let mut headers = HeaderMap::new();
        if B::SENDS_BODY {
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static(B::ENCODING.content_type()),
            );
        }
        for (name, value) in self.setting_headers.iter() {
            if from_settings.contains(name) {
                headers.insert(HeaderName::from_static(name), value.clone());
            }
        }
        let mut call_headers = Vec::with_capacity(4);
        params.headers(&mut call_headers);
        for (name, value) in call_headers {
            let mut value = HeaderValue::from_str(&value).map_err(|_| name)?;
            value.set_sensitive(params.is_secret(name));
            headers.insert(HeaderName::from_static(name), value);
        }
        Ok(headers)
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
            idempotent,
        } = self.build(operation, body, params)?;
        let (http, auth) = self.ready(operation)?;
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
            if let Some(bytes) = &bytes {
                request = request.body(bytes.clone());
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
            return self.answer(response).await;
        }
    }

    /// Reads and decodes an answer.
    async fn answer<T, E>(&self, response: reqwest::Response) -> Result<T, Error<E>>
    where
        T: SuccessBody,
        E: ErrorBody,
    {
        let status = response.status();
        let headers = Box::new(response.headers().clone());
        let limit = self.max_response_bytes;
        let raw = match read_body(response, limit).await {
            Ok(raw) => raw,
            Err(BodyError::TooLarge(received)) => {
                tracing::warn!(status = status.as_u16(), limit, "answer too large");
                let kept = received.len().min(KEPT_OF_TOO_LARGE);
                return Err(Error::ResponseTooLarge {
                    status,
                    limit,
                    received: Bytes::copy_from_slice(&received[..kept]),
                });
            }
            Err(BodyError::Broken(received, source)) => {
                tracing::warn!(status = status.as_u16(), error = %source, "answer broke off");
                return Err(Error::ResponseInterrupted {
                    status,
                    received: received.into(),
                    source,
                });
            }
        };
        tracing::debug!(status = status.as_u16(), bytes = raw.len(), "answered");
        decoded(status, headers, raw)
    }

    /// [`prepare`](Self::prepare) for the operation `name` at `path`, as the
    /// generated `prepare_<operation>` methods call it.
    pub fn prepare_call<B, P, E>(
        &self,
        method: reqwest::Method,
        (name, path): (&'static str, &'static str),
        credential: Option<OperationCredential>,
        body: &B,
        params: &P,
    ) -> Result<PreparedRequest, Error<E>>
    where
        B: RequestBody + Validate,
        P: Parameters,
    {
        let operation = Operation {
            name,
            method,
            path,
            credential,
        };
        self.prepare(&operation, body, params)
    }

    /// Builds the call `operation` would send, validated and encoded, without
    /// sending it or adding credentials: see [`PreparedRequest`].
    pub fn prepare<B, P, E>(
        &self,
        operation: &Operation,
        body: &B,
        params: &P,
    ) -> Result<PreparedRequest, Error<E>>
    where
        B: RequestBody + Validate,
        P: Parameters,
    {
        let built = self.build(operation, body, params)?;
        Ok(PreparedRequest::new(
            operation.name,
            &operation.method,
            built.url,
            built.logged_path,
            &built.headers,
            built.body.as_deref(),
            built.idempotent,
            operation.credential.map(|c| c.scheme),
        ))
    }

    /// The credential headers to send `prepared` with, marked sensitive: the
    /// client's own, or the one its operation sends instead; for an OAuth 2
    /// gateway, the bearer token (fetched once for the client and its
    /// clones, as its own calls fetch it).
    pub async fn credentials_for<E>(
        &self,
        prepared: &PreparedRequest,
    ) -> Result<HeaderMap, Error<E>> {
        if let Some(problem) = self.base_url_problem.as_ref().or(self.key_problem.as_ref()) {
            return Err(Error::Setup(problem.clone()));
        }
        let http = self.http.as_ref().map_err(|e| Error::Setup(e.clone()))?;
        let auth = match prepared.credential() {
            None => self.auth.as_ref(),
            Some("") => &NO_CREDENTIALS,
            Some(scheme) => self
                .operation_auth
                .iter()
                .find(|(name, _)| *name == scheme)
                .map(|(_, auth)| auth)
                .ok_or_else(|| SetupError::CredentialNotSet {
                    scheme: scheme.to_owned(),
                    setter: String::new(),
                })?,
        };
        let mut headers = auth.as_ref().map_err(|e| Error::Setup(e.clone()))?.clone();
        if let (Some(tokens), None) = (&self.tokens, prepared.credential()) {
            let token = tokens
                .token(http, &self.base_url, None)
                .await
                .map_err(Error::Token)?;
            headers.insert(AUTHORIZATION, token.header.clone());
        }
        Ok(headers)
    }
}

/// Decodes an answer a call's request got, however it was sent (see
/// [`PreparedRequest`]): `T` on a 2xx status, the gateway's error body `E`
/// otherwise, exactly as the client's own methods decode it; status and raw
/// body kept in every error.
pub fn decode_answer<T, E>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Error<E>>
where
    T: SuccessBody,
    E: ErrorBody,
{
    decoded(
        status,
        Box::new(headers.clone()),
        Bytes::copy_from_slice(body),
    )
}

/// An answer read whole: a redirect (never followed), or the body decoded.
fn decoded<T, E>(status: StatusCode, headers: Box<HeaderMap>, raw: Bytes) -> Result<T, Error<E>>
where
    T: SuccessBody,
    E: ErrorBody,
{
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(CONTENT_TYPE);
    if status.is_redirection() {
        return Err(Error::Redirect {
            status,
            location: header(LOCATION),
            raw,
        });
    }
    decode_response(status, headers, content_type, raw)
}

/// Which environment a credential's key is for, read from how it starts:
/// what a client keeps of the key to check it (not the key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyCheck {
    name: &'static str,
    sandbox: &'static str,
    production: &'static str,
    is_sandbox: bool,
    is_production: bool,
}

impl KeyCheck {
    /// Credential `name`'s key `value`, whose sandbox keys start with
    /// `sandbox` and production keys with `production`.
    pub fn of(
        name: &'static str,
        value: &str,
        sandbox: &'static str,
        production: &'static str,
    ) -> Self {
        KeyCheck {
            name,
            sandbox,
            production,
            is_sandbox: value.starts_with(sandbox),
            is_production: value.starts_with(production),
        }
    }

    /// Why the key is not for the client's environment (`Some(true)`
    /// production, `Some(false)` the sandbox, `None` a custom base URL).
    fn problem(self, production: Option<bool>) -> Option<SetupError> {
        let (environment, expected, fits) = match production? {
            true => ("production", self.production, self.is_production),
            false => ("sandbox", self.sandbox, self.is_sandbox),
        };
        (!fits).then_some(SetupError::KeyForAnotherEnvironment {
            credential: self.name,
            environment,
            expected,
        })
    }
}

/// Why an answer's body could not be read whole: what was read, and why.
enum BodyError {
    TooLarge(Vec<u8>),
    Broken(Vec<u8>, reqwest::Error),
}

/// The answer's body, at most `limit` bytes of it.
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Bytes, BodyError> {
    // Most answers arrive in one chunk: that chunk is the body, not copied.
    let mut first: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(error) => {
                if let Some(first) = first.take() {
                    joined.extend_from_slice(&first);
                }
                return Err(BodyError::Broken(joined, error));
            }
        };
        let so_far = first.as_ref().map_or(joined.len(), Bytes::len);
        if so_far + chunk.len() > limit {
            if let Some(first) = first.take() {
                joined.extend_from_slice(&first);
            }
            // `so_far <= limit`: the previous chunk passed this check.
            joined.extend_from_slice(&chunk[..limit - so_far]);
            return Err(BodyError::TooLarge(joined));
        }
        match first.take() {
            None if joined.is_empty() => first = Some(chunk),
            None => joined.extend_from_slice(&chunk),
            Some(first) => {
                joined.reserve(first.len() + chunk.len());
                joined.extend_from_slice(&first);
                joined.extend_from_slice(&chunk);
            }
        }
    }
    Ok(first.unwrap_or_else(|| joined.into()))
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
