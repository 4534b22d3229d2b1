//! The route table `build.rs` writes from `specs/`, and finding the route a
//! request is for.

/// How a gateway checks who is calling.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AuthKind {
    /// HTTP Basic; the password is empty when `None` (Juspay's key alone).
    Basic {
        username: &'static str,
        password: Option<&'static str>,
    },
    /// One header per credential: (header, credential name).
    Headers(&'static [(&'static str, &'static str)]),
    /// `Authorization: Bearer <token>`: the credential name. No gateway of
    /// `specs/` authenticates so today; one added by YAML is served alike.
    #[allow(dead_code)]
    Bearer(&'static str),
    /// OAuth 2 client credentials: the mock's token endpoint at `token_path`
    /// (`None` when the spec's is on another host) issues bearer tokens for
    /// the client id and secret, and calls carry one of them.
    #[allow(dead_code)]
    ClientCredentials {
        client_id: &'static str,
        client_secret: &'static str,
        token_path: Option<&'static str>,
    },
}

/// How a request body is encoded: the client's own word for it.
pub(crate) use paygen::BodyEncoding;

/// Decodes a body into an operation's request type and validates it.
pub(crate) type Check = fn(&[u8], BodyEncoding) -> Result<(), crate::request::Rejection>;

/// One operation the mock serves.
#[derive(Debug)]
pub(crate) struct Route {
    pub operation: &'static str,
    pub method: &'static str,
    /// The path template (`/v1/payments/{id}/capture`).
    pub path: &'static str,
    pub body: Option<BodyEncoding>,
    /// Decodes the body into the generated request type and validates it.
    pub check: Option<Check>,
    /// The spec's success examples, by name, as JSON text; the first is the default.
    pub answers: &'static [(&'static str, &'static str)],
    /// The response's type (`Order`, `Vec<Payment>`): entities are kept by it.
    pub answer_type: &'static str,
    /// The header that carries an idempotency key, when the operation takes one.
    pub idempotency_header: Option<&'static str>,
}

/// Everything the mock knows about one gateway.
#[derive(Debug)]
pub(crate) struct GatewayRoutes {
    pub name: &'static str,
    pub auth: AuthKind,
    /// Wire names whose values are masked in the request log.
    pub secret_fields: &'static [&'static str],
    /// Wire names of the fields the client encrypts with the gateway's public key.
    pub encrypted_fields: &'static [&'static str],
    /// The spec's example of the error for an unknown id (an `Error`
    /// example named `not_found`), as JSON text.
    pub not_found: Option<&'static str>,
    pub routes: &'static [Route],
}

include!(concat!(env!("OUT_DIR"), "/routes.rs"));

/// The gateway named `name`, if the specs have it.
pub(crate) fn gateway(name: &str) -> Option<&'static GatewayRoutes> {
    GATEWAYS.iter().find(|g| g.name == name)
}

/// The names of the gateways the mock serves.
pub fn gateway_names() -> Vec<&'static str> {
    GATEWAYS.iter().map(|g| g.name).collect()
}

impl GatewayRoutes {
    /// The credential names, in the order the client's constructor takes them.
    pub(crate) fn credential_names(&self) -> Vec<&'static str> {
        match self.auth {
            AuthKind::Basic { username, password } => {
                std::iter::once(username).chain(password).collect()
            }
            AuthKind::Headers(headers) => headers.iter().map(|(_, name)| *name).collect(),
            AuthKind::Bearer(name) => vec![name],
            AuthKind::ClientCredentials {
                client_id,
                client_secret,
                ..
            } => vec![client_id, client_secret],
        }
    }

    /// The routes for `method path` (several operations may share one, told
    /// apart by their bodies), with the path parameters by name. A literal
    /// segment wins over a parameter (`/orders/sessions` is not
    /// `/orders/{order_id}`).
    pub(crate) fn find(
        &self,
        method: &str,
        path: &str,
    ) -> Vec<(&'static Route, Vec<(&'static str, String)>)> {
        let path = path.trim_end_matches('/');
        let segments = path.split('/').count();
        let mut best: Vec<(&'static Route, Vec<(&'static str, String)>)> = Vec::new();
        let mut best_literal = 0;
        for route in self.routes.iter().filter(|r| r.method == method) {
            if route.path.split('/').count() != segments {
                continue;
            }
            let mut params = Vec::new();
            let mut literal = 0;
            let matched = route.path.split('/').zip(path.split('/')).all(|(t, s)| {
                match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                    Some(name) if !s.is_empty() => {
                        params.push((name, percent_decode(s)));
                        true
                    }
                    Some(_) => false,
                    None => {
                        literal += 1;
                        t == s
                    }
                }
            });
            if !matched || (literal < best_literal && !best.is_empty()) {
                continue;
            }
            if literal > best_literal || best.is_empty() {
                best.clear();
                best_literal = literal;
            }
            best.push((route, params));
        }
        best
    }
}

fn percent_decode(segment: &str) -> String {
    form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
