//! How a client is configured: which server (`Environment`), its settings
//! from environment variables, which base URLs a payment client may use, and
//! how long calls may take (`Timeouts`).

use std::time::Duration;

/// Which of a gateway's servers a client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// The gateway's test server, for test credentials.
    Sandbox,
    /// The gateway's live server: real money moves.
    Production,
    /// Any other base URL (a proxy, a mock server), without a trailing slash.
    /// It must be https; plain http is allowed only to `localhost` and
    /// loopback addresses (a client with any other http URL sends nothing:
    /// every call fails with [`Error::Setup`](crate::Error::Setup)).
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
                    let url = url.trim_end_matches('/');
                    match checked_base_url(url) {
                        Ok(()) => Ok(Environment::Custom(url.to_owned())),
                        Err(SetupError::InsecureBaseUrl(_)) => Err(ConfigError {
                            var: var.to_owned(),
                            problem: "a plain-http URL to a host that is not loopback (use https)",
                        }),
                        Err(_) => Err(ConfigError::invalid(var)),
                    }
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
///
/// Build one from [`Timeouts::default`] and the `with_*` methods, so that a
/// timeout added later is not a breaking change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Opening the connection (TCP and TLS).
    pub connect: Duration,
    /// One whole attempt, from sending to the last byte of the response.
    pub total: Duration,
    /// The whole call, every attempt and every wait between them included;
    /// none by default (each attempt has `total`, and at most
    /// `max_attempts` are made).
    pub deadline: Option<Duration>,
}

impl Timeouts {
    /// Opening the connection (TCP and TLS).
    pub fn with_connect(mut self, timeout: Duration) -> Self {
        self.connect = timeout;
        self
    }

    /// One whole attempt, from sending to the last byte of the response. With
    /// retries, a call can take up to `max_attempts` times this, plus the
    /// waits: [`with_deadline`](Self::with_deadline) bounds the whole call.
    pub fn with_total(mut self, timeout: Duration) -> Self {
        self.total = timeout;
        self
    }

    /// The whole call, every attempt and wait included: an attempt is cut
    /// short at the deadline (a timeout, `Error::Transport`), and no retry is
    /// made whose wait would pass it.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(30),
            deadline: None,
        }
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

/// Why a client cannot send anything as configured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// The base URL is plain `http` to a host that is not loopback: credentials
    /// and card data would cross the network unencrypted.
    #[error("base URL `{0}` is plain http; use https (http is allowed only to localhost and loopback addresses)")]
    InsecureBaseUrl(String),
    /// The base URL is not an absolute `http(s)` URL without credentials, query
    /// or fragment.
    #[error("base URL `{0}` is not an absolute https URL without user info, query or fragment")]
    InvalidBaseUrl(String),
    /// A credential is not a valid HTTP header value (a control character, a
    /// non-ASCII character).
    #[error("credential `{0}` is not a valid HTTP header value")]
    InvalidCredential(&'static str),
    /// A credential is a key of the other environment (a Razorpay
    /// `rzp_live_` key with `Environment::Sandbox`, whose server is the same):
    /// the gateway acts on the key, so the client would move real money
    /// while configured for tests, or the reverse.
    #[error("`{credential}` is not a {environment} key ({environment} keys start with `{expected}`): the key and the environment disagree")]
    KeyForAnotherEnvironment {
        /// The credential's argument name (`key_id`).
        credential: &'static str,
        /// The client's environment: `sandbox` or `production`.
        environment: &'static str,
        /// How that environment's keys start (`rzp_test_`).
        expected: &'static str,
    },
    /// The operation sends a credential of its own (its `security` names a
    /// scheme other than the client's), which the client was not given.
    #[error("this operation authenticates with `{scheme}`, which the client was not given: set it with `{setter}`")]
    CredentialNotSet {
        /// The security scheme's name in the spec (`admin_api_key`).
        scheme: String,
        /// The client method that sets it (`with_admin_api_key`), when known.
        setter: String,
    },
    /// The HTTP client could not be built (the TLS backend, or a setting given
    /// to `with_http_client`).
    #[error("the HTTP client could not be built: {0}")]
    HttpClient(String),
}
