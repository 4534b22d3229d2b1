//! The HTTP core every generated client wraps: the client's configuration
//! (credentials, base URL, timeouts, retries) here, and a call's steps in
//! the modules below it: `prepare` builds it (validated before anything is
//! sent), `send` sends it, `response` reads and decodes one typed result,
//! `keys` checks a key's environment. What a payment client must never do
//! (follow a redirect, use plain http to another host, read an unbounded
//! response) is ruled out.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::body::RequestBody;
use super::call::CallOptions;
use super::config::{checked_base_url, SetupError, Timeouts};
use super::credentials::{auth_headers, Auth};
use super::decode::{ErrorBody, SuccessBody};
use super::encryption::EncryptionKey;
use super::error::Error;
use super::oauth::TokenSource;
use super::operation::{OperationCredential, Parameters};
use super::retry::RetryPolicy;
use super::validate::Validate;

mod keys;
mod prepare;
mod response;
mod send;

pub use keys::KeyCheck;
use prepare::Built;
pub use response::decode_response;
use response::read_body;

/// The response bodies a client reads by default: 4 MiB, far above any body the
/// gateways document, far below what would strain a service.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

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

/// The shared HTTP machinery of one configured client. Cloning is cheap and
/// clones share one connection pool.
///
/// What it promises: no redirect is ever followed (a 3xx is
/// [`Error::Redirect`]); plain `http` is refused except to loopback; an
/// response's body is read up to a limit; the request body and the credential
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
    /// The caller's options for these calls: a timeout, headers, a response hook.
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

    /// Reads at most `limit` bytes of a response's body (default
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

    /// The HTTP client and the credential headers a call sends (the client's
    /// own; with `credential`, the `(scheme, setter)` its operation's
    /// `security` names instead, none for an empty scheme), or why the
    /// client cannot send it.
    fn ready(
        &self,
        credential: Option<(&str, &str)>,
    ) -> Result<(&reqwest::Client, &HeaderMap), SetupError> {
        if let Some(problem) = self.base_url_problem.as_ref().or(self.key_problem.as_ref()) {
            return Err(problem.clone());
        }
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let auth = match credential {
            None => self.auth.as_ref(),
            Some(("", _)) => &NO_CREDENTIALS,
            Some((scheme, setter)) => self
                .operation_auth
                .iter()
                .find(|(name, _)| *name == scheme)
                .map(|(_, auth)| auth)
                .ok_or_else(|| SetupError::CredentialNotSet {
                    scheme: scheme.to_owned(),
                    setter: setter.to_owned(),
                })?,
        };
        let auth = auth.as_ref().map_err(Clone::clone)?;
        Ok((http, auth))
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
