//! How a client authenticates: its credentials, how they are sent, and the
//! credentials some operations send instead.

/// How a client authenticates, decided from the security scheme.
#[derive(Debug, Clone)]
pub enum Auth {
    /// HTTP Basic.
    Basic {
        /// The constructor argument holding the user name.
        username: Credential,
        /// The constructor argument holding the password; `None` sends an empty one.
        password: Option<Credential>,
    },
    /// One header per credential.
    Headers(Vec<(String, Credential)>),
    /// `Authorization: Bearer <token>` (`type: http, scheme: bearer`): a
    /// token the caller holds.
    Bearer {
        /// The constructor argument holding the token.
        token: Credential,
        /// What the token is (`bearerFormat`: `JWT`), for the docs.
        format: Option<String>,
    },
    /// OAuth 2 client credentials (`type: oauth2`, `flows.clientCredentials`):
    /// a bearer token the client fetches with its id and secret.
    ClientCredentials {
        /// The constructor argument holding the client id (`client_id`, or
        /// the scheme's `x-username`).
        client_id: Credential,
        /// The constructor argument holding the client secret
        /// (`client_secret`, or the scheme's `x-password`).
        client_secret: Credential,
        /// Where the token comes from.
        token_url: TokenUrl,
    },
}

impl Auth {
    /// The credentials, to change.
    pub fn credentials_mut(&mut self) -> Vec<&mut Credential> {
        match self {
            Auth::Basic { username, password } => {
                std::iter::once(username).chain(password.as_mut()).collect()
            }
            Auth::Headers(headers) => headers.iter_mut().map(|(_, c)| c).collect(),
            Auth::Bearer { token, .. } => vec![token],
            Auth::ClientCredentials {
                client_id,
                client_secret,
                ..
            } => vec![client_id, client_secret],
        }
    }

    /// The credentials a client is built with, in its constructor's order.
    pub fn credentials(&self) -> Vec<&Credential> {
        match self {
            Auth::Basic { username, password } => {
                std::iter::once(username).chain(password.as_ref()).collect()
            }
            Auth::Headers(headers) => headers.iter().map(|(_, c)| c).collect(),
            Auth::Bearer { token, .. } => vec![token],
            Auth::ClientCredentials {
                client_id,
                client_secret,
                ..
            } => vec![client_id, client_secret],
        }
    }
}

/// A credential some operations send instead of the client's own.
#[derive(Debug, Clone)]
pub struct OperationCredential {
    /// The security scheme's name in the spec (`admin_api_key`).
    pub scheme: String,
    /// The client method that sets it (`with_admin_api_key`).
    pub setter: String,
    /// How it is sent (never OAuth 2: a token source is the client's own).
    pub auth: Auth,
}

/// Where an OAuth 2 token endpoint is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenUrl {
    /// A path on the API's own host: the spec's `tokenUrl` is relative, or
    /// on the host of one of the gateway's servers. The client joins it to
    /// its own base URL's origin, so sandbox, production and a mock each
    /// have theirs.
    OnServer(String),
    /// A URL on another host, used as it is.
    Absolute(String),
}

/// A credential the client constructor takes.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The argument name (`key_secret`).
    pub arg: String,
    /// The environment variable `from_env` reads it from.
    pub env: String,
    /// Doc line.
    pub doc: String,
    /// How the gateway's sandbox and production keys start (`x-key-prefixes`),
    /// where the key says which environment it is for.
    pub prefixes: Option<KeyPrefixes>,
}

/// How one credential's keys start, per environment (`rzp_test_`, `rzp_live_`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPrefixes {
    /// The start of every sandbox key.
    pub sandbox: String,
    /// The start of every production key.
    pub production: String,
}
