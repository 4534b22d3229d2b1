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

/// Decodes a body into an operation's request type and validates it; the
/// request it decoded to is the simulator's to read.
pub(crate) type Check =
    fn(&[u8], BodyEncoding) -> Result<crate::request::Decoded, crate::request::Rejection>;

/// One operation the mock serves.
#[derive(Debug)]
pub(crate) struct Route {
    pub operation: &'static str,
    pub method: &'static str,
    /// The path template (`/v1/payments/{id}/capture`).
    pub path: &'static str,
    /// What comes before the template's first parameter (`/v1/payments/`):
    /// a path it takes starts with it. Written by `build.rs`, as finding a
    /// route runs on every call.
    pub literal_start: &'static str,
    /// How many `/` the template has: a path it takes has as many.
    pub slashes: usize,
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
        // Counted as bytes (a `/` is one byte in UTF-8): this runs on every call.
        let segments = path.bytes().filter(|b| *b == b'/').count();
        let mut best: Vec<(&'static Route, Vec<(&'static str, String)>)> = Vec::new();
        let mut best_literal = 0;
        for route in self.routes {
            if route.slashes != segments
                || route.method != method
                || !path.starts_with(route.literal_start)
            {
                continue;
            }
            let loses = |literal: usize| literal < best_literal && !best.is_empty();
            let (literal, params) = if route.literal_start.len() == route.path.len() {
                // A template without parameters takes its own path alone,
                // and each of its segments is literal.
                if path != route.path {
                    continue;
                }
                (route.slashes + 1, Vec::new())
            } else {
                let pairs = || route.path.split('/').zip(path.split('/'));
                let mut literal = 0;
                let matched = pairs().all(|(t, s)| match parameter(t) {
                    Some(_) => !s.is_empty(),
                    None => {
                        literal += 1;
                        t == s
                    }
                });
                if !matched || loses(literal) {
                    continue;
                }
                // Decoded only for a route that matches: this runs on every call.
                let params = pairs()
                    .filter_map(|(t, s)| Some((parameter(t)?, percent_decode(s))))
                    .collect();
                (literal, params)
            };
            if loses(literal) {
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

/// The parameter a path template's segment names (`{id}`), if it is one.
fn parameter(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

fn percent_decode(segment: &str) -> String {
    form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::gateway;

    fn found(gateway_name: &str, method: &str, path: &str) -> Vec<(&'static str, Vec<String>)> {
        gateway(gateway_name)
            .unwrap()
            .find(method, path)
            .into_iter()
            .map(|(route, params)| {
                let params = params
                    .into_iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect();
                (route.operation, params)
            })
            .collect()
    }

    #[test]
    fn a_path_finds_its_routes_with_their_parameters_decoded() {
        assert_eq!(
            found("razorpay", "POST", "/v1/payments/pay%20A+b/capture/"),
            [("capture_payment", vec!["id=pay A+b".to_owned()])]
        );
        // One path, two operations, told apart later by their bodies.
        let shared: Vec<_> = found("razorpay", "POST", "/v1/orders")
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(shared, ["create_order", "retry_order_payment"]);
        // A literal segment wins over a parameter.
        assert_eq!(
            found("cashfree", "POST", "/orders/sessions"),
            [("pay_order", vec![])]
        );
        assert_eq!(
            found("cashfree", "GET", "/orders/o1/payments/p2"),
            [(
                "get_payment",
                vec!["order_id=o1".to_owned(), "cf_payment_id=p2".to_owned()]
            )]
        );
    }

    #[test]
    fn each_route_carries_its_templates_literal_start_and_slashes() {
        for route in super::GATEWAYS.iter().flat_map(|g| g.routes) {
            let first_parameter = route.path.find('{').unwrap_or(route.path.len());
            assert_eq!(route.literal_start, &route.path[..first_parameter]);
            assert_eq!(route.slashes, route.path.matches('/').count());
        }
    }

    #[test]
    fn a_path_that_no_route_takes_finds_none() {
        for (method, path) in [
            ("POST", "/v1/payments//capture"),
            ("GET", "/v1/payment"),
            ("POST", "/v1/payments/pay_1/capture/more"),
            ("DELETE", "/v1/orders"),
            ("POST", "/v2/orders"),
        ] {
            assert!(
                found("razorpay", method, path).is_empty(),
                "{method} {path}"
            );
        }
    }
}
