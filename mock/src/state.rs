//! One mock gateway's state, shared by its connections: its routes and
//! credentials, the simulated world and the idempotency keys under one lock,
//! what a test queued (faults, examples), the request log, the OAuth 2 tokens
//! it issued; and whether a call carries the credentials.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use hyper::Response;
use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::body::{json_response, MockBody};
use crate::errors::{error, Failure};
use crate::keys::KeyPair;
use crate::recording::{masked, Log};
use crate::routes::{AuthKind, GatewayRoutes};
use crate::sim::{self, Refusal};
use crate::world::World;
use crate::{Fault, Happening, RecordedRequest};

/// How many idempotency keys are remembered: the newest.
const IDEMPOTENCY_CAPACITY: usize = 10_000;

/// How many OAuth 2 tokens stay valid: the newest issued.
const TOKEN_CAPACITY: usize = 1_000;

/// How long an issued OAuth 2 token says it lasts, in seconds.
const TOKEN_LIFETIME: u64 = 3_600;

/// One mock gateway's state, shared by its connections.
pub(crate) struct State {
    pub gateway: &'static GatewayRoutes,
    /// The credentials the mock accepts, in the client constructor's order.
    pub credentials: Vec<String>,
    /// The `Authorization` header a call must carry, written once, for a
    /// gateway that authenticates with one fixed header (Basic, Bearer).
    authorization: Option<String>,
    /// The simulated world and the responses saved by idempotency key, under
    /// one lock: a key is checked and its response saved in one step.
    pub sim: Mutex<Sim>,
    /// Each operation's example responses by name, parsed once, in spec order.
    pub examples: HashMap<&'static str, Vec<(&'static str, Value)>, foldhash::fast::RandomState>,
    /// Example responses asked for by name, one per call.
    pub chosen_examples: Queue<String>,
    pub faults: Queue<Fault>,
    /// The newest authenticated requests, as received: masked when read.
    pub log: Mutex<Log>,
    /// Whether `x-encrypted` fields must decrypt with the mock's key.
    pub check_encryption: AtomicBool,
    /// The key `x-encrypted` fields are decrypted with.
    pub key: Arc<KeyPair>,
    /// Where the world's webhooks go, when set.
    pub webhook_url: Mutex<Option<String>>,
    /// The OAuth 2 tokens the token endpoint issued and that calls may carry,
    /// and how many were issued.
    pub tokens: Mutex<(VecDeque<String>, u64)>,
}

/// What a test queued for the next calls (faults, examples by name): a
/// call takes the lock only when something is queued.
pub(crate) struct Queue<T> {
    queued: std::sync::atomic::AtomicUsize,
    items: Mutex<VecDeque<T>>,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue {
            queued: std::sync::atomic::AtomicUsize::new(0),
            items: Mutex::default(),
        }
    }
}

impl<T> Queue<T> {
    pub(crate) fn push(&self, item: T) {
        let mut items = lock(&self.items);
        items.push_back(item);
        self.queued.store(items.len(), Ordering::SeqCst);
    }

    pub(crate) fn pop(&self) -> Option<T> {
        if self.queued.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let mut items = lock(&self.items);
        let item = items.pop_front();
        self.queued.store(items.len(), Ordering::SeqCst);
        item
    }
}

/// The world and the idempotency keys.
#[derive(Default)]
pub(crate) struct Sim {
    pub world: World,
    /// Saved responses by idempotency key: the body each answered, and the response.
    pub(crate) idempotent: HashMap<String, (Bytes, u16, Bytes)>,
    keys_in_order: VecDeque<String>,
}

impl Sim {
    pub(crate) fn remember(&mut self, key: String, saved: (Bytes, u16, Bytes)) {
        if self.idempotent.insert(key.clone(), saved).is_none() {
            self.keys_in_order.push_back(key);
            if self.keys_in_order.len() > IDEMPOTENCY_CAPACITY {
                if let Some(oldest) = self.keys_in_order.pop_front() {
                    self.idempotent.remove(&oldest);
                }
            }
        }
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    pub(crate) fn new(
        gateway: &'static GatewayRoutes,
        credentials: Vec<String>,
        key: Arc<KeyPair>,
    ) -> Self {
        State {
            gateway,
            authorization: fixed_authorization(gateway.auth, &credentials),
            credentials,
            sim: Mutex::default(),
            examples: gateway
                .routes
                .iter()
                .map(|r| {
                    let parsed = r
                        .answers
                        .iter()
                        .filter_map(|(name, json)| Some((*name, serde_json::from_str(json).ok()?)))
                        .collect();
                    (r.operation, parsed)
                })
                .collect(),
            chosen_examples: Queue::default(),
            faults: Queue::default(),
            log: Mutex::default(),
            check_encryption: AtomicBool::new(true),
            key,
            webhook_url: Mutex::default(),
            tokens: Mutex::default(),
        }
    }

    /// Forgets every OAuth 2 token issued: the next call is refused with
    /// 401, as a gateway refuses a revoked token.
    pub(crate) fn expire_tokens(&self) {
        lock(&self.tokens).0.clear();
    }

    /// The token endpoint: a new bearer token for the client id and secret
    /// (HTTP Basic, compared in constant time), else `invalid_client`.
    pub(crate) fn issue_token(
        &self,
        headers: &hyper::HeaderMap,
        body: &[u8],
    ) -> Response<MockBody> {
        use base64::Engine as _;
        let id = self.credentials.first().map_or("", String::as_str);
        let secret = self.credentials.get(1).map_or("", String::as_str);
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
        );
        let given = headers
            .get(hyper::header::AUTHORIZATION)
            .map_or(&b""[..], |v| v.as_bytes());
        if !bool::from(given.ct_eq(expected.as_bytes())) {
            return json_response(
                401,
                &serde_json::json!({"error": "invalid_client", "error_description": "the client id or secret is wrong"}),
            );
        }
        let grant = form_urlencoded::parse(body)
            .any(|(k, v)| k == "grant_type" && v == "client_credentials");
        if !grant {
            return json_response(
                400,
                &serde_json::json!({"error": "unsupported_grant_type", "error_description": "grant_type must be client_credentials"}),
            );
        }
        let mut tokens = lock(&self.tokens);
        tokens.1 += 1;
        let token = format!("mock_token_{}_{}", self.gateway.name, tokens.1);
        tokens.0.push_back(token.clone());
        if tokens.0.len() > TOKEN_CAPACITY {
            tokens.0.pop_front();
        }
        json_response(
            200,
            &serde_json::json!({"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME}),
        )
    }

    pub(crate) fn choose_example(&self, name: &str) {
        self.chosen_examples.push(name.to_owned());
    }

    pub(crate) fn push_fault(&self, fault: Fault) {
        self.faults.push(fault);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        let log = lock(&self.log);
        log.iter()
            .map(|received| masked(self.gateway, received))
            .collect()
    }

    /// Merges `fields` into every kept entity with id `id`.
    pub(crate) fn update(&self, id: &str, fields: &Value) -> usize {
        let mut sim = lock(&self.sim);
        let kinds = sim.world.kinds_of(id);
        for kind in &kinds {
            if let (Some(mut entity), Value::Object(fields)) = (sim.world.get_mut(kind, id), fields)
            {
                if let Value::Object(entity) = &mut *entity {
                    entity.extend(fields.clone());
                }
            }
        }
        kinds.len()
    }

    /// Makes `event` happen to entity `id`; gives the entity as it is now,
    /// and the webhooks to send.
    pub(crate) fn drive(&self, id: &str, event: Happening) -> Result<sim::Outcome, Refusal> {
        let mut sim = lock(&self.sim);
        sim::drive(self.gateway.name, &mut sim.world, id, event)
    }

    /// The gateway's response to `refusal`.
    pub(crate) fn refusal(&self, refusal: &Refusal) -> (u16, Value) {
        match (refusal, self.gateway.not_found) {
            // The spec's own example of an unknown id, where it has one.
            (Refusal::NotFound { .. }, Some(body)) => (
                sim::not_found_status(self.gateway.name),
                serde_json::from_str(body).unwrap_or(Value::Null),
            ),
            _ => error(self.gateway.name, &Failure::Refused(refusal)),
        }
    }
}

/// The one `Authorization` header `credentials` give, for the gateways
/// that authenticate with one (HTTP Basic of the first two, or the first as
/// a bearer token).
fn fixed_authorization(auth: AuthKind, credentials: &[String]) -> Option<String> {
    use base64::Engine as _;
    let credential = |n: usize| credentials.get(n).map_or("", String::as_str);
    match auth {
        AuthKind::Basic { .. } => Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!(
                "{}:{}",
                credential(0),
                credential(1)
            ))
        )),
        AuthKind::Bearer(_) => Some(format!("Bearer {}", credential(0))),
        AuthKind::Headers(_) | AuthKind::ClientCredentials { .. } => None,
    }
}

/// Whether the call carries the credentials, compared in constant time.
pub(crate) fn authorized(state: &State, headers: &hyper::HeaderMap) -> bool {
    let given = |name: &str| headers.get(name).map_or(&b""[..], |v| v.as_bytes());
    let same = |a: &[u8], b: &[u8]| bool::from(a.ct_eq(b));
    match state.gateway.auth {
        AuthKind::Basic { .. } | AuthKind::Bearer(_) => same(
            given("authorization"),
            state
                .authorization
                .as_deref()
                .unwrap_or_default()
                .as_bytes(),
        ),
        AuthKind::Headers(pairs) => {
            // Every header is compared, so that the time says nothing of which failed.
            pairs
                .iter()
                .zip(&state.credentials)
                .fold(true, |all, ((header, _), expected)| {
                    all & same(given(header), expected.as_bytes())
                })
        }
        AuthKind::ClientCredentials { .. } => {
            // Every issued token is compared, so that the time says nothing
            // of which (or whether one) matched.
            let given = given("authorization")
                .strip_prefix(b"Bearer ")
                .unwrap_or(b"");
            lock(&state.tokens)
                .0
                .iter()
                .fold(false, |any, token| any | same(given, token.as_bytes()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    /// A gateway that no spec of `specs/` is: OAuth 2 client credentials,
    /// its token endpoint on the mock.
    fn oauth_state() -> State {
        let routes: &'static GatewayRoutes = Box::leak(Box::new(GatewayRoutes {
            name: "walletpay",
            auth: AuthKind::ClientCredentials {
                client_id: "client_id",
                client_secret: "client_secret",
                token_path: Some("/v1/oauth2/token"),
            },
            secret_fields: &[],
            encrypted_fields: &[],
            not_found: None,
            routes: &[],
        }));
        State::new(
            routes,
            vec!["mock_client_id".into(), "mock_client_secret".into()],
            KeyPair::builtin(),
        )
    }

    fn headers(authorization: &str) -> hyper::HeaderMap {
        let mut headers = hyper::HeaderMap::new();
        headers.insert(
            hyper::header::AUTHORIZATION,
            hyper::header::HeaderValue::from_str(authorization).unwrap(),
        );
        headers
    }

    async fn body_of(response: Response<MockBody>) -> (u16, Value) {
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn the_token_endpoint_issues_tokens_that_calls_then_carry() {
        use base64::Engine as _;
        let state = oauth_state();
        let basic = |pair: &str| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            )
        };
        let grant = b"grant_type=client_credentials";
        let wrong = state.issue_token(&headers(&basic("mock_client_id:nope")), grant);
        let (status, body) = body_of(wrong).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client"))
        );
        let right = basic("mock_client_id:mock_client_secret");
        let (status, body) =
            body_of(state.issue_token(&headers(&right), b"grant_type=password")).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("unsupported_grant_type"))
        );

        let (status, body) = body_of(state.issue_token(&headers(&right), grant)).await;
        assert_eq!(status, 200);
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], TOKEN_LIFETIME);
        let token = body["access_token"].as_str().unwrap().to_owned();
        assert!(authorized(&state, &headers(&format!("Bearer {token}"))));
        assert!(!authorized(
            &state,
            &headers("Bearer mock_token_walletpay_999")
        ));
        assert!(
            !authorized(&state, &headers(&right)),
            "the client secret is not a token"
        );
        state.expire_tokens();
        assert!(!authorized(&state, &headers(&format!("Bearer {token}"))));
    }

    #[tokio::test]
    async fn only_the_newest_tokens_stay_valid() {
        use base64::Engine as _;
        let state = oauth_state();
        let right = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("mock_client_id:mock_client_secret")
        );
        let mut first = None;
        for _ in 0..=TOKEN_CAPACITY {
            let (_, body) =
                body_of(state.issue_token(&headers(&right), b"grant_type=client_credentials"))
                    .await;
            first.get_or_insert_with(|| body["access_token"].as_str().unwrap().to_owned());
        }
        let first = first.unwrap();
        assert!(!authorized(&state, &headers(&format!("Bearer {first}"))));
        assert_eq!(lock(&state.tokens).0.len(), TOKEN_CAPACITY);
    }
}
