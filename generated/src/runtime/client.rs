//! The HTTP core every generated client wraps: base URL, credentials,
//! validation before anything is sent, and one typed result per call.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::body::{EncodeError, RequestBody};
use super::encryption::{encrypting, EncryptionKey};
use super::error::{decode_response, Error};
use super::retry::{retryable_error, retryable_status, RetryPolicy};
use super::validate::{Validate, ValidationReport};

pub use reqwest::{Method, StatusCode};

/// Which of a gateway's servers a client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// The gateway's test server, for test credentials.
    Sandbox,
    /// The gateway's live server: real money moves.
    Production,
    /// Any other base URL (a proxy, a mock server), without a trailing slash.
    Custom(String),
}

impl Environment {
    /// The environment named by the variable `var`: `sandbox` (also when
    /// unset, so that a missing setting never moves real money), `production`,
    /// or a base URL.
    pub fn from_env(var: &str) -> Result<Self, ConfigError> {
        match std::env::var(var) {
            Err(std::env::VarError::NotPresent) => Ok(Environment::Sandbox),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::invalid(var)),
            Ok(value) => match value.trim() {
                "" | "sandbox" => Ok(Environment::Sandbox),
                "production" => Ok(Environment::Production),
                url if url.starts_with("http://") || url.starts_with("https://") => {
                    Ok(Environment::Custom(url.to_owned()))
                }
                _ => Err(ConfigError::invalid(var)),
            },
        }
    }

    /// The base URL for this environment, given the gateway's two servers.
    pub fn base_url<'a>(&'a self, sandbox: &'a str, production: &'a str) -> &'a str {
        match self {
            Environment::Sandbox => sandbox,
            Environment::Production => production,
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }
}

/// How a gateway authenticates a server: its secrets never appear in `Debug`.
pub enum Auth {
    /// HTTP Basic: `username:password`, base64-encoded (Razorpay `key_id:key_secret`,
    /// Juspay `api_key:` with an empty password).
    Basic {
        /// The user name (a key id or API key).
        username: SecretString,
        /// The password; may be empty.
        password: SecretString,
    },
    /// One header per credential (Cashfree `x-client-id`, `x-client-secret`).
    Headers(Vec<(&'static str, SecretString)>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Basic { .. } => f.write_str("Auth::Basic { .. }"),
            Auth::Headers(headers) => {
                let names: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
                f.debug_tuple("Auth::Headers").field(&names).finish()
            }
        }
    }
}

/// One call: what it is (for tracing), method, path (parameters already
/// substituted), headers, and whether it carries an idempotency key.
#[derive(Debug)]
pub struct Call<'a> {
    /// The gateway's module name (`juspay`).
    pub gateway: &'static str,
    /// The client method's name (`create_txn`).
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path below the base URL, starting with `/`.
    pub path: &'a str,
    /// Per-call headers.
    pub headers: Vec<(&'static str, &'a str)>,
    /// Whether the call carries an idempotency key, which makes every failure
    /// safe to retry (see [`RetryPolicy`]).
    pub idempotent: bool,
}

/// The body of a call that sends none.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct NoBody;

impl RequestBody for NoBody {
    const ENCODING: super::body::BodyEncoding = super::body::BodyEncoding::Json;

    fn encode_body_into(&self, _: &mut Vec<u8>) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl Validate for NoBody {
    fn validate_into(&self, _: &super::validate::Path<'_>, _: &mut ValidationReport) {}
}

/// `value` percent-encoded as one path segment: everything but unreserved
/// characters (RFC 3986) is escaped, so a value cannot change the path.
pub fn path_segment(value: &str) -> std::borrow::Cow<'_, str> {
    const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, UNRESERVED).into()
}

/// A setting missing from, or invalid in, the environment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("environment variable `{var}` is {problem}")]
pub struct ConfigError {
    var: String,
    problem: &'static str,
}

impl ConfigError {
    fn invalid(var: &str) -> Self {
        ConfigError {
            var: var.to_owned(),
            problem: "not valid here (expected sandbox, production or an http(s) URL)",
        }
    }

    /// The variable's name.
    pub fn var(&self) -> &str {
        &self.var
    }
}

/// The value of the environment variable `var`, which must be set and non-empty.
pub fn required_env(var: &str) -> Result<String, ConfigError> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Ok(value),
        Ok(_) => Err(ConfigError {
            var: var.to_owned(),
            problem: "empty",
        }),
        Err(_) => Err(ConfigError {
            var: var.to_owned(),
            problem: "not set",
        }),
    }
}

/// The value of the environment variable `var`, when set and non-empty.
pub fn optional_env(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

/// How long calls may take. The defaults suit payment calls: 10 s to connect,
/// 30 s for a whole attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening the connection (TCP and TLS).
    pub connect: Duration,
    /// One whole attempt, from sending to the last byte of the answer.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(30),
        }
    }
}

fn http_client(timeouts: Timeouts) -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.total)
        .build()
        // Building fails only when the TLS backend cannot initialise, which
        // leaves no way to make calls at all.
        .expect("the HTTP client (TLS backend) could not be initialised")
}

/// The credential headers, built once: `Authorization` for Basic, or one
/// header per credential, each marked sensitive so HTTP tooling hides it.
fn auth_headers(auth: &Auth) -> Result<HeaderMap, &'static str> {
    let mut headers = HeaderMap::new();
    match auth {
        Auth::Basic { username, password } => {
            let pair = format!("{}:{}", username.expose_secret(), password.expose_secret());
            let token = base64::engine::general_purpose::STANDARD.encode(pair);
            let mut value =
                HeaderValue::from_str(&format!("Basic {token}")).map_err(|_| "authorization")?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        Auth::Headers(credentials) => {
            for (name, secret) in credentials {
                let mut value = HeaderValue::from_str(secret.expose_secret()).map_err(|_| *name)?;
                value.set_sensitive(true);
                headers.insert(HeaderName::from_static(name), value);
            }
        }
    }
    Ok(headers)
}

/// The shared HTTP machinery of one configured client. Cloning is cheap and
/// clones share one connection pool.
#[derive(Clone)]
pub struct HttpClient {
    http: reqwest::Client,
    base_url: Arc<str>,
    /// Credential headers, or the name of the credential that is not a valid
    /// header value (reported by every call, never panicking at construction).
    auth: Arc<Result<HeaderMap, &'static str>>,
    retry: RetryPolicy,
    /// The gateway's public key, for fields it wants encrypted.
    encryption_key: Option<EncryptionKey>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = match &*self.auth {
            Ok(headers) => headers.keys().map(HeaderName::as_str).collect(),
            Err(_) => Vec::new(),
        };
        f.debug_struct("HttpClient")
            .field("base_url", &self.base_url)
            .field("credential_headers", &names)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// A client for `base_url` that authenticates with `auth`, with default
    /// [`Timeouts`] and [`RetryPolicy`].
    pub fn new(base_url: &str, auth: Auth) -> Self {
        HttpClient {
            http: http_client(Timeouts::default()),
            base_url: Arc::from(base_url.trim_end_matches('/')),
            auth: Arc::new(auth_headers(&auth)),
            retry: RetryPolicy::default(),
            encryption_key: None,
        }
    }

    /// Uses `http` (proxies, TLS settings, its own timeouts) instead of the
    /// default client.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Uses `timeouts` for every call.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.http = http_client(timeouts);
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

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Validates `body`, sends it (again, when the [`RetryPolicy`] allows),
    /// and decodes the answer: `T` on a 2xx status, the gateway's error body
    /// `E` otherwise. Each call runs in a `paygen.call` tracing span that
    /// records the gateway, operation, method, path, attempts and status, and
    /// never a header or body.
    pub async fn send<B, T, E>(&self, call: Call<'_>, body: &B) -> Result<T, Error<E>>
    where
        B: RequestBody + Validate,
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        let span = tracing::info_span!(
            "paygen.call",
            gateway = call.gateway,
            operation = call.operation,
            method = %call.method,
            path = call.path,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.send_in_span(call, body).instrument(span).await
    }

    async fn send_in_span<B, T, E>(&self, call: Call<'_>, body: &B) -> Result<T, Error<E>>
    where
        B: RequestBody + Validate,
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        if let Err(report) = body.validate() {
            tracing::debug!(violations = report.len(), "request invalid; not sent");
            return Err(Error::Validation(report));
        }
        // Encoded once; every attempt shares the bytes.
        let bytes = Bytes::from(encrypting(self.encryption_key.as_ref(), || {
            body.encode_body()
        })?);
        let mut headers = match &*self.auth {
            Ok(auth) => auth.clone(),
            Err(name) => return Err(Error::InvalidHeader { name }),
        };
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(B::ENCODING.content_type()),
        );
        for (name, value) in &call.headers {
            let value = HeaderValue::from_str(value).map_err(|_| Error::InvalidHeader { name })?;
            headers.insert(HeaderName::from_static(name), value);
        }
        let url = format!("{}{}", self.base_url, call.path);
        let span = tracing::Span::current();
        let mut attempt = 1;
        loop {
            span.record("attempts", attempt);
            let sent = self
                .http
                .request(call.method.clone(), &url)
                .headers(headers.clone())
                .body(bytes.clone())
                .send()
                .await;
            let more = attempt < self.retry.max_attempts;
            let response = match sent {
                Ok(response) => response,
                Err(error) => {
                    if more && retryable_error(&error, call.idempotent) {
                        let wait = self.retry.backoff(attempt + 1);
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
            span.record("status", status.as_u16());
            if more && retryable_status(status, call.idempotent) {
                if let Some(wait) = self.retry.delay_after(attempt + 1, response.headers()) {
                    tracing::warn!(attempt, status = status.as_u16(), ?wait, "retrying");
                    // Read the body so the connection can be reused.
                    let _ = response.bytes().await;
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
            }
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let raw = response.bytes().await.map_err(Error::Transport)?;
            tracing::debug!(status = status.as_u16(), bytes = raw.len(), "answered");
            return decode_response(status, content_type, raw);
        }
    }
}
