//! OAuth 2 client credentials (RFC 6749 §4.4): the access token a client and
//! all its clones send as `Authorization: Bearer`, fetched from the token
//! endpoint once, kept until shortly before it expires, and fetched again
//! once when the gateway answers 401.
//!
//! Written here rather than with the `oauth2` crate: that crate brings its own
//! HTTP client abstraction and does not cache; what a payment client needs is
//! the cache (one fetch for concurrent first calls) on the transport it
//! already has, with paygen's redirect, https and zeroizing rules.

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::config::checked_base_url;
use super::config::SetupError;
use super::credentials::{auth_headers, secret_header_value, Auth, TokenUrl};

/// The most of a token endpoint's response that is read.
const MAX_TOKEN_ANSWER: usize = 64 * 1024;

/// How long before its stated expiry a token is fetched again: a tenth of
/// its lifetime, at most a minute, so that a call never carries a token
/// that expires on the way.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(60))
}

impl TokenUrl {
    fn resolve(&self, base_url: &str) -> Result<String, SetupError> {
        let url = match self {
            TokenUrl::Absolute(url) => url.clone(),
            TokenUrl::OnServer(path) => {
                let base = reqwest::Url::parse(base_url)
                    .map_err(|_| SetupError::InvalidBaseUrl(base_url.to_owned()))?;
                format!("{}{path}", base.origin().ascii_serialization())
            }
        };
        checked_base_url(&url)?;
        Ok(url)
    }
}

/// Why no access token could be had; the call was not sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint could not be reached, or its response broke off.
    #[error("the token endpoint could not be reached: {0}")]
    Transport(#[source] reqwest::Error),
    /// The call's deadline (`Timeouts::with_deadline`) passed while the token
    /// was fetched, or while another call fetched it.
    #[error("the call's deadline passed before a token was had")]
    Deadline,
    /// The token endpoint refused the client's credentials, or failed.
    #[error("the token endpoint answered {status}{}", describe(.error, .description))]
    Refused {
        /// The token endpoint's status.
        status: reqwest::StatusCode,
        /// The OAuth error code it gave (`invalid_client`), if any.
        error: Option<String>,
        /// Its `error_description`, if any.
        description: Option<String>,
    },
    /// The token endpoint answered 2xx with something that is not a bearer
    /// token (no `access_token`, another `token_type`, not JSON, too large).
    #[error("the token endpoint's response is not a bearer token: {0}")]
    NotAToken(&'static str),
    /// The token URL or the credentials cannot be used.
    #[error(transparent)]
    Setup(#[from] SetupError),
}

fn describe(error: &Option<String>, description: &Option<String>) -> String {
    match (error, description) {
        (Some(error), Some(description)) => format!(": {error} ({description})"),
        (Some(error), None) => format!(": {error}"),
        (None, Some(description)) => format!(": {description}"),
        (None, None) => String::new(),
    }
}

/// The token endpoint's response; the token itself is zeroized when dropped.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: String,
    #[serde(default, deserialize_with = "seconds")]
    expires_in: Option<u64>,
}

/// `expires_in` as a number, or as text of one (some endpoints quote it).
fn seconds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u64),
        Text(String),
    }
    Ok(match Option::<Seconds>::deserialize(d)? {
        Some(Seconds::Number(n)) => Some(n),
        Some(Seconds::Text(text)) => text.trim().parse().ok(),
        None => None,
    })
}

#[derive(Deserialize)]
struct TokenRefusal {
    error: Option<String>,
    error_description: Option<String>,
}

/// A token in use: the header to send, when to fetch the next one, and
/// which fetch it came from (so that a 401 discards only this one).
#[derive(Clone)]
pub(crate) struct Token {
    pub header: HeaderValue,
    refresh_at: Option<Instant>,
    pub generation: u64,
}

impl Token {
    fn fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

struct Cache {
    token: Option<Token>,
    fetches: u64,
}

/// One client's token, shared by its clones and concurrent calls.
pub(crate) struct TokenSource {
    url: TokenUrl,
    /// The Basic header of the client id and secret, built once.
    credentials: Result<reqwest::header::HeaderMap, SetupError>,
    /// Held while a token is fetched: concurrent first calls wait for that
    /// one fetch instead of making their own.
    cache: tokio::sync::Mutex<Cache>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    pub(crate) fn new(
        url: TokenUrl,
        client_id: &SecretString,
        client_secret: &SecretString,
    ) -> Self {
        let basic = Auth::basic(
            client_id.expose_secret().to_owned(),
            client_secret.expose_secret().to_owned(),
        );
        TokenSource {
            url,
            credentials: auth_headers(&basic),
            cache: tokio::sync::Mutex::new(Cache {
                token: None,
                fetches: 0,
            }),
        }
    }

    /// The token to send: the cached one while it is fresh, else a new one;
    /// waiting (for the cache, or the endpoint) no later than `deadline`.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        base_url: &str,
        deadline: Option<Instant>,
    ) -> Result<Token, TokenError> {
        let wanted = self.token_now(http, base_url);
        match deadline {
            Some(at) => tokio::time::timeout_at(tokio::time::Instant::from_std(at), wanted)
                .await
                .map_err(|_| TokenError::Deadline)?,
            None => wanted.await,
        }
    }

    async fn token_now(&self, http: &reqwest::Client, base_url: &str) -> Result<Token, TokenError> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.token.as_ref().filter(|t| t.fresh(Instant::now())) {
            return Ok(token.clone());
        }
        cache.token = None;
        let token = self.fetch(http, base_url, cache.fetches + 1).await?;
        cache.fetches += 1;
        cache.token = Some(token.clone());
        Ok(token)
    }

    /// Forgets the token of fetch `generation` (the gateway refused it), so
    /// that the next [`token`](Self::token) fetches another; a newer token,
    /// fetched meanwhile by another call, is kept.
    pub(crate) async fn discard(&self, generation: u64) {
        let mut cache = self.cache.lock().await;
        if cache
            .token
            .as_ref()
            .is_some_and(|t| t.generation == generation)
        {
            cache.token = None;
        }
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        base_url: &str,
        generation: u64,
    ) -> Result<Token, TokenError> {
        let url = self.url.resolve(base_url)?;
        let credentials = self.credentials.as_ref().map_err(Clone::clone)?;
        let fetched_at = Instant::now();
        let response = http
            .post(&url)
            .headers(credentials.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body("grant_type=client_credentials")
            .send()
            .await
            .map_err(|e| TokenError::Transport(e.without_url()))?;
        let status = response.status();
        let body = read_limited(response).await?;
        if !status.is_success() {
            let refusal: Option<TokenRefusal> = serde_json::from_slice(&body).ok();
            let (error, description) = refusal
                .map(|r| (r.error, r.error_description))
                .unwrap_or_default();
            return Err(TokenError::Refused {
                status,
                error,
                description,
            });
        }
        let response: TokenResponse = serde_json::from_slice(&body).map_err(|_| {
            TokenError::NotAToken("no `access_token` and `token_type` in a JSON object")
        })?;
        // Moved, not copied: zeroized when this function returns.
        let access_token = Zeroizing::new(response.access_token);
        if !response.token_type.eq_ignore_ascii_case("bearer") {
            return Err(TokenError::NotAToken("`token_type` is not `Bearer`"));
        }
        let token = access_token.as_bytes();
        // Sized exactly, so that no reallocation leaves a copy behind.
        let mut value = Vec::with_capacity(7 + token.len());
        value.extend_from_slice(b"Bearer ");
        value.extend_from_slice(token);
        let header = secret_header_value(value).ok_or(TokenError::NotAToken(
            "the token is not a valid header value",
        ))?;
        let refresh_at = response.expires_in.map(|seconds| {
            let lifetime = Duration::from_secs(seconds);
            fetched_at + lifetime - refresh_margin(lifetime)
        });
        Ok(Token {
            header,
            refresh_at,
            generation,
        })
    }
}

/// The token endpoint's body, at most [`MAX_TOKEN_ANSWER`] bytes, zeroized
/// when dropped (it holds the token).
async fn read_limited(mut response: reqwest::Response) -> Result<Zeroizing<Vec<u8>>, TokenError> {
    let mut body = Zeroizing::new(Vec::new());
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| TokenError::Transport(e.without_url()))?
    {
        if body.len() + chunk.len() > MAX_TOKEN_ANSWER {
            return Err(TokenError::NotAToken("the response is larger than 64 KiB"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_fetched_again_a_tenth_of_its_life_early_at_most_a_minute() {
        assert_eq!(
            refresh_margin(Duration::from_secs(3600)),
            Duration::from_secs(60)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(100)),
            Duration::from_secs(10)
        );
        assert_eq!(refresh_margin(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn a_path_on_the_server_follows_the_client_s_base_url() {
        let on_server = TokenUrl::OnServer("/v1/oauth2/token".into());
        assert_eq!(
            on_server
                .resolve("https://api.sandbox.example.com/v2")
                .unwrap(),
            "https://api.sandbox.example.com/v1/oauth2/token"
        );
        assert_eq!(
            on_server.resolve("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/v1/oauth2/token"
        );
        let absolute = TokenUrl::Absolute("http://auth.example.com/token".into());
        assert!(matches!(
            absolute.resolve("https://api.example.com"),
            Err(SetupError::InsecureBaseUrl(_))
        ));
    }

    #[test]
    fn expires_in_reads_numbers_and_quoted_numbers() {
        for (json, expected) in [
            (
                r#"{"access_token":"t","token_type":"bearer","expires_in":300}"#,
                Some(300),
            ),
            (
                r#"{"access_token":"t","token_type":"Bearer","expires_in":"300"}"#,
                Some(300),
            ),
            (r#"{"access_token":"t","token_type":"Bearer"}"#, None),
        ] {
            let response: TokenResponse = serde_json::from_str(json).unwrap();
            assert_eq!(response.expires_in, expected, "{json}");
        }
    }
}
