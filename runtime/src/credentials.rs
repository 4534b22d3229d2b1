//! Credentials on the wire: how a gateway authenticates a server, the
//! headers built from it once, and bytes zeroized when the last copy of them
//! is dropped (credential headers, request bodies).

use std::fmt;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use secrecy::{ExposeSecret, SecretString};
use zeroize::{Zeroize as _, Zeroizing};

use super::config::SetupError;

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
    /// `Authorization: Bearer <token>`, with a token the caller holds.
    Bearer(SecretString),
    /// OAuth 2 client credentials: a bearer token fetched from `token_url`
    /// with the client id and secret, kept until shortly before it expires.
    ClientCredentials {
        /// The token endpoint.
        token_url: TokenUrl,
        /// The client id.
        client_id: SecretString,
        /// The client secret.
        client_secret: SecretString,
    },
}

impl Auth {
    /// HTTP Basic with `username` and `password`.
    pub fn basic(username: String, password: String) -> Self {
        Auth::Basic {
            username: SecretString::from(username),
            password: SecretString::from(password),
        }
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(token: String) -> Self {
        Auth::Bearer(SecretString::from(token))
    }

    /// OAuth 2 client credentials, the token fetched from `token_url`.
    pub fn client_credentials(
        token_url: TokenUrl,
        client_id: String,
        client_secret: String,
    ) -> Self {
        Auth::ClientCredentials {
            token_url,
            client_id: SecretString::from(client_id),
            client_secret: SecretString::from(client_secret),
        }
    }

    /// One header per credential: `(header name, value)`.
    pub fn headers(credentials: Vec<(&'static str, String)>) -> Self {
        Auth::Headers(
            credentials
                .into_iter()
                .map(|(name, value)| (name, SecretString::from(value)))
                .collect(),
        )
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Basic { .. } => f.write_str("Auth::Basic { .. }"),
            Auth::Bearer(_) => f.write_str("Auth::Bearer(..)"),
            Auth::ClientCredentials { token_url, .. } => f
                .debug_struct("Auth::ClientCredentials")
                .field("token_url", token_url)
                .finish_non_exhaustive(),
            Auth::Headers(headers) => {
                let names: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
                f.debug_tuple("Auth::Headers").field(&names).finish()
            }
        }
    }
}

/// Bytes overwritten with zeros when the last copy of them is dropped.
struct Wiped(Vec<u8>);

impl AsRef<[u8]> for Wiped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        self.0.zeroize();
        // Counted only once the bytes are gone, so a test sees them go.
        #[cfg(test)]
        if self.0.is_empty() {
            WIPED.with(|wiped| wiped.set(wiped.get() + 1));
        }
    }
}

#[cfg(test)]
thread_local! {
    /// How many `Wiped` buffers this thread zeroized, for the tests.
    pub(crate) static WIPED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `bytes`, shared without copying, and zeroized once no copy is left (the
/// request body across its attempts, a credential header across calls).
pub(crate) fn wiped_on_drop(bytes: Vec<u8>) -> Bytes {
    Bytes::from_owner(Wiped(bytes))
}

/// A header value whose bytes are zeroized when the last copy is dropped.
pub(crate) fn secret_header_value(bytes: Vec<u8>) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_maybe_shared(wiped_on_drop(bytes)).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// The credential headers, built once: `Authorization` for Basic, or one
/// header per credential. Each is marked sensitive so HTTP tooling hides it,
/// and its bytes (and every intermediate copy made here) are zeroized when
/// dropped.
pub(crate) fn auth_headers(auth: &Auth) -> Result<HeaderMap, SetupError> {
    let mut headers = HeaderMap::new();
    match auth {
        Auth::Basic { username, password } => {
            let (user, pass) = (username.expose_secret(), password.expose_secret());
            let mut pair = Zeroizing::new(Vec::with_capacity(user.len() + 1 + pass.len()));
            pair.extend_from_slice(user.as_bytes());
            pair.push(b':');
            pair.extend_from_slice(pass.as_bytes());
            let engine = &base64::engine::general_purpose::STANDARD;
            // Sized exactly, so that no reallocation leaves a copy behind.
            let mut value = Vec::with_capacity(6 + pair.len().div_ceil(3) * 4);
            value.extend_from_slice(b"Basic ");
            let token = Zeroizing::new(engine.encode(&*pair));
            value.extend_from_slice(token.as_bytes());
            let value =
                secret_header_value(value).ok_or(SetupError::InvalidCredential("authorization"))?;
            headers.insert(AUTHORIZATION, value);
        }
        Auth::Bearer(token) => {
            let token = token.expose_secret().as_bytes();
            // Sized exactly, so that no reallocation leaves a copy behind.
            let mut value = Vec::with_capacity(7 + token.len());
            value.extend_from_slice(b"Bearer ");
            value.extend_from_slice(token);
            let value =
                secret_header_value(value).ok_or(SetupError::InvalidCredential("authorization"))?;
            headers.insert(AUTHORIZATION, value);
        }
        // The token is fetched per call (`oauth::TokenSource`), not built here.
        Auth::ClientCredentials { .. } => {}
        Auth::Headers(credentials) => {
            for (name, secret) in credentials {
                let bytes = secret.expose_secret().as_bytes().to_vec();
                let value =
                    secret_header_value(bytes).ok_or(SetupError::InvalidCredential(name))?;
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| SetupError::InvalidCredential(name))?;
                headers.insert(name, value);
            }
        }
    }
    Ok(headers)
}

/// Where the token endpoint is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenUrl {
    /// An absolute URL, used as it is.
    Absolute(String),
    /// A path on the API's own host (`/v1/oauth2/token`): joined to the
    /// origin of the client's base URL, so that sandbox, production and a
    /// mock each get their own token.
    OnServer(String),
}
