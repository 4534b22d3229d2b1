//! The HTTP side: accepting connections, authenticating, recording each
//! authenticated request (masked, in a bounded ring), applying a fault when
//! one is asked for, and answering as the simulated gateway does.

use std::collections::{HashMap, VecDeque};
use std::future::Future as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::{Request, Response};
use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::errors::{error, Failure};
use crate::keys::KeyPair;
use crate::request;
use crate::routes::{AuthKind, BodyEncoding, GatewayRoutes, Route};
use crate::sim::{self, Refusal};
use crate::world::World;
use crate::{Fault, Happening, RecordedRequest};

/// The header a client can send to ask for a fault on that one call.
pub const FAULT_HEADER: &str = "x-paygen-mock-fault";

/// The largest request body the mock reads.
const MAX_BODY: usize = 1 << 20;

/// How many requests the log keeps: the newest, the oldest dropped first.
pub const LOG_CAPACITY: usize = 1_000;

/// How many idempotency keys are remembered: the newest.
const IDEMPOTENCY_CAPACITY: usize = 10_000;

/// How many OAuth 2 tokens stay valid: the newest issued.
const TOKEN_CAPACITY: usize = 1_000;

/// How long an issued OAuth 2 token says it lasts, in seconds.
const TOKEN_LIFETIME: u64 = 3_600;

/// The longest delay a fault may ask for.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// The routes of the mock itself, beside the gateway's.
pub(crate) const ADMIN_PREFIX: &str = "/__paygen/";

/// One mock gateway's state, shared by its connections.
pub(crate) struct State {
    pub gateway: &'static GatewayRoutes,
    /// The credentials the mock accepts, in the client constructor's order.
    pub credentials: Vec<String>,
    /// The simulated world and the answers saved by idempotency key, under
    /// one lock: a key is checked and its answer saved in one step.
    pub sim: Mutex<Sim>,
    /// Each operation's example answers by name, parsed once, in spec order.
    pub examples: HashMap<&'static str, Vec<(&'static str, Value)>>,
    /// Example answers asked for by name, one per call.
    pub chosen_examples: Queue<String>,
    pub faults: Queue<Fault>,
    /// The newest authenticated requests, masked.
    pub log: Mutex<VecDeque<RecordedRequest>>,
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
    fn push(&self, item: T) {
        let mut items = lock(&self.items);
        items.push_back(item);
        self.queued.store(items.len(), Ordering::SeqCst);
    }

    fn pop(&self) -> Option<T> {
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
    /// Saved answers by idempotency key: the body they answered, and the answer.
    idempotent: HashMap<String, (Bytes, u16, Value)>,
    keys_in_order: VecDeque<String>,
}

impl Sim {
    fn remember(&mut self, key: String, saved: (Bytes, u16, Value)) {
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
    fn issue_token(&self, headers: &hyper::HeaderMap, body: &[u8]) -> Response<MockBody> {
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
        lock(&self.log).iter().cloned().collect()
    }

    /// Merges `fields` into every kept entity with id `id`.
    pub(crate) fn update(&self, id: &str, fields: &Value) -> usize {
        let mut sim = lock(&self.sim);
        let kinds = sim.world.kinds_of(id);
        for kind in &kinds {
            if let (Some(Value::Object(entity)), Value::Object(fields)) =
                (sim.world.get_mut(kind, id), fields)
            {
                entity.extend(fields.clone());
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

    /// The gateway's answer to `refusal`.
    fn refusal(&self, refusal: &Refusal) -> (u16, Value) {
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

/// An answer body: whole, or cut short (the connection closes mid-body).
pub(crate) struct MockBody {
    data: Option<Bytes>,
    /// The length announced, when the body is cut short.
    announced: Option<u64>,
    /// A cut-short body breaks off after this wait, so that the head and the
    /// first half reach the client first.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl MockBody {
    fn whole(data: impl Into<Bytes>) -> Self {
        MockBody {
            data: Some(data.into()),
            announced: None,
            pause: None,
        }
    }

    fn truncated(data: impl Into<Bytes>) -> Self {
        let data: Bytes = data.into();
        let announced = data.len() as u64;
        MockBody {
            data: Some(data.slice(..data.len() / 2)),
            announced: Some(announced),
            pause: Some(Box::pin(tokio::time::sleep(
                std::time::Duration::from_millis(50),
            ))),
        }
    }
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if let Some(pause) = self.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.pause = None;
        }
        if self.announced.take().is_some() {
            return Poll::Ready(Some(Err(std::io::Error::other("the answer is cut short"))));
        }
        Poll::Ready(None)
    }

    fn size_hint(&self) -> SizeHint {
        match (self.announced, &self.data) {
            (Some(n), _) => SizeHint::with_exact(n),
            (None, Some(data)) => SizeHint::with_exact(data.len() as u64),
            (None, None) => SizeHint::with_exact(0),
        }
    }
}

/// Why a connection is closed without an answer.
#[derive(Debug)]
pub(crate) struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by the mock, as asked")
    }
}

impl std::error::Error for Reset {}

fn json_response(status: u16, body: &Value) -> Response<MockBody> {
    let mut response = Response::new(MockBody::whole(
        serde_json::to_vec(body).unwrap_or_default(),
    ));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

/// The operation whose request type takes the body, with its verdict; when
/// none does, the one that refused it as invalid, or else the first. Each
/// candidate is judged only until one takes the body.
fn choose(
    candidates: Vec<(&'static Route, Vec<(&'static str, String)>)>,
    body: &[u8],
) -> (
    &'static Route,
    Vec<(&'static str, String)>,
    Result<(), request::Rejection>,
) {
    let judge = |route: &Route| match (route.check, route.body) {
        (Some(check), Some(kind)) => check(body, kind),
        _ => Ok(()),
    };
    let mut refused = Vec::with_capacity(candidates.len());
    for (route, params) in candidates {
        match judge(route) {
            Ok(()) => return (route, params, Ok(())),
            Err(rejection) => refused.push((route, params, Err(rejection))),
        }
    }
    let chosen = refused
        .iter()
        .position(|(_, _, v)| matches!(v, Err(request::Rejection::Invalid(_))))
        .unwrap_or(0);
    refused.swap_remove(chosen)
}

/// Answers one request.
/// Answers one request.
pub(crate) async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<MockBody>, Reset> {
    let (parts, body) = request.into_parts();
    let body = match http_body_util::Limited::new(body, MAX_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            return Ok(json_response(
                413,
                &serde_json::json!({"error": "body too large"}),
            ))
        }
    };
    let name = state.gateway.name;
    let path = parts.uri.path();
    if let Some(admin) = path.strip_prefix(ADMIN_PREFIX) {
        return Ok(admin_route(&state, &parts, admin, &body).await);
    }
    if let AuthKind::ClientCredentials {
        token_path: Some(token_path),
        ..
    } = state.gateway.auth
    {
        if path == token_path && parts.method == hyper::Method::POST {
            return Ok(state.issue_token(&parts.headers, &body));
        }
    }
    let candidates = state.gateway.find(parts.method.as_str(), path);
    if candidates.is_empty() {
        let (status, body) = error(name, &Failure::NoRoute);
        return Ok(json_response(status, &body));
    }
    if !authorized(&state, &parts.headers) {
        let (status, body) = error(name, &Failure::Unauthorized);
        return Ok(json_response(status, &body));
    }
    let (route, path_params, verdict) = choose(candidates, &body);
    let sent = request::as_json(&body, route.body);
    let entry = entry(&state, &parts);

    // Faults apply to authenticated calls the gateway has a route for.
    let fault = match parts
        .headers
        .get(FAULT_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        Some(text) => Fault::parse(text),
        None => state.faults.pop(),
    };
    if let Some(fault) = fault {
        match fault {
            Fault::Delay(delay) => tokio::time::sleep(delay.min(MAX_DELAY)).await,
            other => {
                record(&state, entry, route.body, sent);
                return fault_response(&state, other);
            }
        }
    }

    let key = route
        .idempotency_header
        .and_then(|h| parts.headers.get(h))
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("{} {}", route.operation, k));
    let rejection = match verdict {
        Err(rejection) => Some(rejection),
        Ok(()) => encryption_problem(&state, &sent),
    };
    let chosen = state.chosen_examples.pop();
    // One lock from the key's check to its answer's saving: two calls with
    // one key cannot both create.
    let mut sim = lock(&state.sim);
    if let Some(key) = &key {
        if let Some((first, status, answer)) = sim.idempotent.get(key) {
            // The gateway saves the first answer for a key, errors included.
            let response = if *first == body {
                json_response(*status, answer)
            } else {
                let (status, body) = error(name, &Failure::IdempotencyConflict);
                json_response(status, &body)
            };
            drop(sim);
            record(&state, entry, route.body, sent);
            return Ok(response);
        }
    }
    let (status, answer) = match rejection {
        Some(rejection) => error(name, &Failure::Rejected(&rejection)),
        None => match chosen {
            // A documented example asked for by name, answered as written.
            Some(chosen) => (200, replay(&state, route, &chosen)),
            None => {
                let call = sim::Call {
                    operation: route.operation,
                    method: route.method,
                    path: &path_params,
                    query: parts.uri.query(),
                    sent: &sent,
                    headers: &parts.headers,
                    examples: state
                        .examples
                        .get(route.operation)
                        .map_or(&[], Vec::as_slice),
                    answer_type: route.answer_type,
                    credentials: &state.credentials,
                };
                match sim::answer(name, &call, &mut sim.world) {
                    Ok(answer) => (200, answer),
                    Err(refusal) => state.refusal(&refusal),
                }
            }
        },
    };
    if let Some(key) = key {
        sim.remember(key, (body, status, answer.clone()));
    }
    drop(sim);
    record(&state, entry, route.body, sent);
    Ok(json_response(status, &answer))
}

/// The operation's example named `name` (its first when it has none of that
/// name), as the spec writes it.
fn replay(state: &State, route: &Route, name: &str) -> Value {
    let examples = state.examples.get(route.operation);
    examples
        .and_then(|all| all.iter().find(|(n, _)| *n == name))
        .or_else(|| examples.and_then(|all| all.first()))
        .map_or(Value::Object(Default::default()), |(_, v)| v.clone())
}

/// The mock's own routes: `GET /__paygen/public-key` (the PEM clients
/// encrypt with) and `POST /__paygen/drive` (`{"id": ..., "event": "pay"}`:
/// what happens outside the API, for a test in another process).
async fn admin_route(
    state: &Arc<State>,
    parts: &hyper::http::request::Parts,
    route: &str,
    body: &[u8],
) -> Response<MockBody> {
    let name = state.gateway.name;
    match (parts.method.as_str(), route) {
        ("GET", "public-key") => {
            let mut response = Response::new(MockBody::whole(state.key.public_pem().to_owned()));
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/x-pem-file"),
            );
            response
        }
        ("POST", "drive") => {
            if !authorized(state, &parts.headers) {
                let (status, body) = error(name, &Failure::Unauthorized);
                return json_response(status, &body);
            }
            let asked: Result<DriveRequest, _> = serde_json::from_slice(body);
            let Ok(asked) = asked else {
                return json_response(
                    400,
                    &serde_json::json!({"error": "the body must be {\"id\": \"...\", \"event\": \"pay\"} with an event of pay, fail, authorize, expire, terminate, settle"}),
                );
            };
            match drive_and_notify(state, &asked.id, asked.event).await {
                Ok(entity) => json_response(200, &entity),
                Err(refusal) => {
                    let (status, body) = state.refusal(&refusal);
                    json_response(status, &body)
                }
            }
        }
        _ => {
            let (status, body) = error(name, &Failure::NoRoute);
            json_response(status, &body)
        }
    }
}

#[derive(serde::Deserialize)]
struct DriveRequest {
    id: String,
    event: Happening,
}

/// Makes `event` happen to `id`, then posts the webhooks it sends to the
/// configured URL (each signed as the gateway signs), one after another.
pub(crate) async fn drive_and_notify(
    state: &Arc<State>,
    id: &str,
    event: Happening,
) -> Result<Value, Refusal> {
    let happened = state.drive(id, event)?;
    let url = lock(&state.webhook_url).clone();
    if let Some(url) = url {
        for notice in happened.notices {
            let signed = crate::webhooks::sign(
                state.gateway.name,
                notice.event,
                notice.payload,
                &state.credentials,
                crate::WEBHOOK_SECRET,
                std::time::SystemTime::now(),
            );
            let mut request = paygen::reqwest::Client::new()
                .post(&url)
                .timeout(Duration::from_secs(10))
                .body(signed.body);
            for (name, value) in signed.headers {
                request = request.header(name, value);
            }
            // A receiver that is down is the test's to see in its own log;
            // the world has changed either way, as at the gateway.
            let _ = request.send().await;
        }
    }
    Ok(happened.entity)
}

/// An `x-encrypted` field that does not decrypt with the mock's key, when
/// the mock checks them.
fn encryption_problem(state: &State, sent: &Value) -> Option<request::Rejection> {
    if state.gateway.encrypted_fields.is_empty() || !state.check_encryption.load(Ordering::Relaxed)
    {
        return None;
    }
    let (field, why) = state
        .key
        .check_encrypted(sent, state.gateway.encrypted_fields)
        .err()?;
    Some(request::Rejection::Decode(format!("`{field}` {why}")))
}

fn fault_response(state: &State, fault: Fault) -> Result<Response<MockBody>, Reset> {
    let name = state.gateway.name;
    match fault {
        Fault::Status(status) => {
            let (status, body) = error(name, &Failure::Status(status));
            Ok(json_response(status, &body))
        }
        Fault::Html(status) => {
            let mut response = Response::new(MockBody::whole(format!(
                "<html><head><title>{status}</title></head><body><h1>{status} Bad Gateway</h1></body></html>"
            )));
            *response.status_mut() =
                hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("text/html"),
            );
            Ok(response)
        }
        Fault::RateLimited { retry_after } => {
            let (_, body) = error(name, &Failure::Status(429));
            let mut response = json_response(429, &body);
            response.headers_mut().insert(
                hyper::header::RETRY_AFTER,
                hyper::header::HeaderValue::from(retry_after.as_secs()),
            );
            Ok(response)
        }
        Fault::Truncated => {
            let (_, body) = error(name, &Failure::Status(500));
            let mut response = Response::new(MockBody::truncated(body.to_string()));
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/json"),
            );
            Ok(response)
        }
        Fault::Reset => Err(Reset),
        Fault::Delay(_) => unreachable!("a delay is waited out, then answered"),
    }
}

/// Whether the call carries the credentials, compared in constant time.
fn authorized(state: &State, headers: &hyper::HeaderMap) -> bool {
    use base64::Engine as _;
    let given = |name: &str| headers.get(name).map_or(&b""[..], |v| v.as_bytes());
    let same = |a: &[u8], b: &[u8]| bool::from(a.ct_eq(b));
    match state.gateway.auth {
        AuthKind::Basic { .. } => {
            let user = state.credentials.first().map_or("", String::as_str);
            let password = state.credentials.get(1).map_or("", String::as_str);
            let expected = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            );
            same(given("authorization"), expected.as_bytes())
        }
        AuthKind::Headers(pairs) => {
            // Every header is compared, so that the time says nothing of which failed.
            pairs
                .iter()
                .zip(&state.credentials)
                .fold(true, |all, ((header, _), expected)| {
                    all & same(given(header), expected.as_bytes())
                })
        }
        AuthKind::Bearer(_) => {
            let token = state.credentials.first().map_or("", String::as_str);
            same(given("authorization"), format!("Bearer {token}").as_bytes())
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

/// The log entry of an authenticated request, credentials masked; its
/// body is added once the call is answered.
fn entry(state: &State, parts: &hyper::http::request::Parts) -> RecordedRequest {
    let is_credential = |name: &str| match state.gateway.auth {
        AuthKind::Basic { .. } | AuthKind::Bearer(_) | AuthKind::ClientCredentials { .. } => {
            name == "authorization"
        }
        AuthKind::Headers(pairs) => pairs.iter().any(|(header, _)| *header == name),
    };
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = if is_credential(name.as_str()) {
                "***".to_owned()
            } else {
                value.to_str().unwrap_or("<not text>").to_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect();
    RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body: Value::Null,
    }
}

/// Logs `entry` with its body, secret fields masked; the oldest goes when
/// the log is full.
fn record(state: &State, mut entry: RecordedRequest, kind: Option<BodyEncoding>, sent: Value) {
    if kind.is_some() {
        entry.body = sent;
        mask(&mut entry.body, state.gateway.secret_fields);
    }
    let mut log = lock(&state.log);
    if log.len() == LOG_CAPACITY {
        log.pop_front();
    }
    log.push_back(entry);
}

fn mask(value: &mut Value, secret_fields: &[&str]) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if secret_fields.contains(&key.as_str()) && !value.is_null() {
                    *value = Value::String("***".into());
                } else {
                    mask(value, secret_fields);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| mask(v, secret_fields)),
        _ => {}
    }
}

/// Serves `state` on `listener` until `shutdown` fires.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<State>,
    mut shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut shutdown => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| handle(state.clone(), request));
            let io = hyper_util::rt::TokioIo::new(stream);
            // A reset or a cut-short answer ends the connection with an error: as asked.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
