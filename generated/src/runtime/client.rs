//! The HTTP core every generated client wraps: base URL, credentials,
//! validation before anything is sent, and one typed result per call.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{HeaderValue, CONTENT_TYPE};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use super::body::{EncodeError, RequestBody};
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

/// One call: method, path (parameters already substituted) and headers.
#[derive(Debug)]
pub struct Call<'a> {
    /// The HTTP method.
    pub method: Method,
    /// The path below the base URL, starting with `/`.
    pub path: &'a str,
    /// Per-call headers.
    pub headers: Vec<(&'static str, &'a str)>,
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

/// Why a call did not return the typed success body.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    /// The request broke the spec's rules; nothing was sent.
    #[error("the request is invalid; nothing was sent:\n{0}")]
    Validation(ValidationReport),
    /// The request could not be encoded; nothing was sent.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// A header value is not valid in HTTP (a control character, say); nothing was sent.
    #[error("header `{name}` has a value that is not allowed in HTTP")]
    InvalidHeader {
        /// The header's name.
        name: &'static str,
    },
    /// The request or response did not make it across the network.
    #[error("transport failure: {0}")]
    Transport(#[source] reqwest::Error),
    /// The gateway answered with an error status and its documented error body.
    #[error("the gateway answered {status}")]
    Gateway {
        /// The HTTP status.
        status: StatusCode,
        /// The error body, decoded.
        body: E,
        /// The body exactly as received.
        raw: Bytes,
    },
    /// The gateway's answer is not what the spec documents (an HTML error page,
    /// an empty or truncated body): status and raw body are kept.
    #[error("the gateway answered {status} with a body that does not decode: {source}")]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The `Content-Type` the gateway sent, if any.
        content_type: Option<String>,
        /// The body exactly as received.
        raw: Bytes,
        /// Why it does not decode.
        #[source]
        source: serde_json::Error,
    },
}

impl<E> Error<E> {
    /// The HTTP status, when the gateway answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Gateway { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// The body as received, when the gateway answered.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Error::Gateway { raw, .. } | Error::Decode { raw, .. } => Some(raw),
            _ => None,
        }
    }
}

/// The shared HTTP machinery of one configured client. Cloning is cheap and
/// clones share one connection pool.
#[derive(Clone)]
pub struct HttpClient {
    http: reqwest::Client,
    base_url: Arc<str>,
    auth: Arc<Auth>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// A client for `base_url` that authenticates with `auth`.
    pub fn new(base_url: &str, auth: Auth) -> Self {
        HttpClient {
            http: reqwest::Client::new(),
            base_url: Arc::from(base_url.trim_end_matches('/')),
            auth: Arc::new(auth),
        }
    }

    /// Uses `http` (proxies, TLS settings, timeouts) instead of a default client.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Validates `body`, sends it, and decodes the answer: `T` on a 2xx status,
    /// the gateway's error body `E` otherwise.
    pub async fn send<B, T, E>(&self, call: Call<'_>, body: &B) -> Result<T, Error<E>>
    where
        B: RequestBody + Validate,
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        body.validate().map_err(Error::Validation)?;
        let bytes = body.encode_body()?;

        let url = format!("{}{}", self.base_url, call.path);
        let mut request = self.http.request(call.method, url).header(
            CONTENT_TYPE,
            HeaderValue::from_static(B::ENCODING.content_type()),
        );
        match &*self.auth {
            Auth::Basic { username, password } => {
                request =
                    request.basic_auth(username.expose_secret(), Some(password.expose_secret()));
            }
            Auth::Headers(headers) => {
                for (name, value) in headers {
                    let mut value = HeaderValue::from_str(value.expose_secret())
                        .map_err(|_| Error::InvalidHeader { name })?;
                    value.set_sensitive(true);
                    request = request.header(*name, value);
                }
            }
        }
        for (name, value) in call.headers {
            let value = HeaderValue::from_str(value).map_err(|_| Error::InvalidHeader { name })?;
            request = request.header(name, value);
        }

        let response = request.body(bytes).send().await.map_err(Error::Transport)?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let raw = response.bytes().await.map_err(Error::Transport)?;
        decode_response(status, content_type, raw)
    }
}

/// Decodes an answer: `T` for a 2xx status, `E` otherwise, and a `Decode`
/// error keeping status and raw body when the body is not what the spec says.
pub fn decode_response<T, E>(
    status: StatusCode,
    content_type: Option<String>,
    raw: Bytes,
) -> Result<T, Error<E>>
where
    T: DeserializeOwned,
    E: DeserializeOwned,
{
    if status.is_success() {
        return serde_json::from_slice(&raw).map_err(|source| Error::Decode {
            status,
            content_type,
            raw,
            source,
        });
    }
    match serde_json::from_slice(&raw) {
        Ok(body) => Err(Error::Gateway { status, body, raw }),
        Err(source) => Err(Error::Decode {
            status,
            content_type,
            raw,
            source,
        }),
    }
}
