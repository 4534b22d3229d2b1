//! The HTTP side: accepting connections, recording each request, applying a
//! fault when one is asked for, and answering as the gateway would.

use std::collections::{HashMap, VecDeque};
use std::future::Future as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::{Request, Response};
use serde_json::Value;

use crate::answers;
use crate::errors::{error, Failure};
use crate::request;
use crate::routes::{AuthKind, BodyKind, GatewayRoutes, Route};
use crate::{Fault, RecordedRequest};

/// The header a client can send to ask for a fault on that one call.
pub const FAULT_HEADER: &str = "x-paygen-mock-fault";

/// The largest request body the mock reads.
const MAX_BODY: usize = 1 << 20;

/// One mock gateway's state, shared by its connections.
pub(crate) struct State {
    pub gateway: &'static GatewayRoutes,
    /// The credentials the mock accepts, in the client constructor's order.
    pub credentials: Vec<String>,
    /// Entities the calls created or changed.
    pub entities: Mutex<Entities>,
    /// Each operation's example answers by name, parsed once, in spec order.
    pub examples: HashMap<&'static str, Vec<(&'static str, Value)>>,
    /// Example answers asked for by name, one per call.
    pub chosen_examples: Mutex<VecDeque<String>>,
    /// Saved answers by idempotency key: the body they answered, and the answer.
    pub idempotent: Mutex<HashMap<String, (Bytes, u16, Value)>>,
    pub faults: Mutex<VecDeque<Fault>>,
    /// What was received; bodies are read into (masked) JSON only when asked for.
    pub log: Mutex<Vec<(RecordedRequest, Bytes, Option<BodyKind>)>>,
    pub counter: AtomicU64,
    pub links: Mutex<crate::gateways::Links>,
    /// Whether `x-encrypted` fields must decrypt with the mock's key.
    pub check_encryption: std::sync::atomic::AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    pub(crate) fn new(gateway: &'static GatewayRoutes, credentials: Vec<String>) -> Self {
        State {
            gateway,
            credentials,
            entities: Mutex::default(),
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
            chosen_examples: Mutex::default(),
            idempotent: Mutex::default(),
            faults: Mutex::default(),
            log: Mutex::default(),
            counter: AtomicU64::new(1),
            links: Mutex::default(),
            check_encryption: std::sync::atomic::AtomicBool::new(true),
        }
    }

    pub(crate) fn choose_example(&self, name: &str) {
        lock(&self.chosen_examples).push_back(name.to_owned());
    }

    pub(crate) fn push_fault(&self, fault: Fault) {
        lock(&self.faults).push_back(fault);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.log)
            .iter()
            .map(|(request, body, kind)| {
                let mut request = request.clone();
                if !body.is_empty() {
                    request.body = request::as_json(body, *kind);
                    mask(&mut request.body, self.gateway.secret_fields);
                }
                request
            })
            .collect()
    }

    /// Merges `fields` into the kept entities with id `id`.
    pub(crate) fn update(&self, id: &str, fields: &Value) -> usize {
        let mut entities = lock(&self.entities);
        let slots: Vec<usize> = entities
            .index
            .iter()
            .filter(|((_, key), _)| key == id)
            .map(|(_, slot)| *slot)
            .collect();
        for slot in &slots {
            if let (Value::Object(entity), Value::Object(fields)) =
                (&mut entities.values[*slot], fields)
            {
                entity.extend(fields.clone());
            }
        }
        slots.len()
    }
}

/// The entities calls created, each kept once and found by any of its ids.
#[derive(Default)]
pub(crate) struct Entities {
    values: Vec<Value>,
    /// (answer type, id) to the entity's place in `values`.
    index: HashMap<(&'static str, String), usize>,
}

impl Entities {
    fn get(&self, answer_type: &'static str, id: &str) -> Option<&Value> {
        let slot = self.index.get(&(answer_type, id.to_owned()))?;
        self.values.get(*slot)
    }

    /// Keeps `entity`; an id it shares with a kept entity of its type
    /// replaces that one (a capture answers with the payment, changed).
    fn keep(&mut self, answer_type: &'static str, entity: Value) {
        let ids = answers::ids(&entity);
        let slot = ids
            .iter()
            .find_map(|id| self.index.get(&(answer_type, id.clone())).copied());
        let slot = match slot {
            Some(slot) => {
                self.values[slot] = entity;
                slot
            }
            None => {
                self.values.push(entity);
                self.values.len() - 1
            }
        };
        for id in ids {
            self.index.insert((answer_type, id), slot);
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
    let mut response = Response::new(MockBody::whole(body.to_string()));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

/// The operation whose request type takes the body, with its verdict; when
/// none does, the one that refused it as invalid, or else the first.
fn choose(
    candidates: Vec<(&'static Route, Vec<(&'static str, String)>)>,
    body: &[u8],
) -> (
    &'static Route,
    Vec<(&'static str, String)>,
    Result<(), request::Rejection>,
) {
    let mut judged: Vec<_> = candidates
        .into_iter()
        .map(|(route, params)| {
            let verdict = match (route.check, route.body) {
                (Some(check), Some(kind)) => check(body, kind),
                _ => Ok(()),
            };
            (route, params, verdict)
        })
        .collect();
    let chosen = judged
        .iter()
        .position(|(_, _, verdict)| verdict.is_ok())
        .or_else(|| {
            judged
                .iter()
                .position(|(_, _, v)| matches!(v, Err(request::Rejection::Invalid(_))))
        })
        .unwrap_or(0);
    judged.swap_remove(chosen)
}

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
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let candidates = state.gateway.find(&method, &path);
    let kind = candidates.first().and_then(|(r, _)| r.body);
    record(&state, &parts, kind, &body);

    let fault = match parts
        .headers
        .get(FAULT_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        Some(text) => Fault::parse(text),
        None => lock(&state.faults).pop_front(),
    };
    if let Some(fault) = fault {
        match fault {
            Fault::Delay(delay) => tokio::time::sleep(delay).await,
            other => return fault_response(&state, other),
        }
    }

    let name = state.gateway.name;
    if candidates.is_empty() {
        let (status, body) = error(name, &Failure::NotFound);
        return Ok(json_response(status, &body));
    }
    if !authorized(&state, &parts.headers) {
        let (status, body) = error(name, &Failure::Unauthorized);
        return Ok(json_response(status, &body));
    }
    let (route, path_params, verdict) = choose(candidates, &body);
    let (path_params, verdict) = (path_params.as_slice(), &verdict);
    let key = route
        .idempotency_header
        .and_then(|h| parts.headers.get(h))
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("{} {}", route.operation, k));
    if let Some(key) = &key {
        if let Some((sent, status, answer)) = lock(&state.idempotent).get(key) {
            // The gateway saves the first answer for a key, errors included.
            if *sent == body {
                return Ok(json_response(*status, answer));
            }
            let (status, body) = error(name, &Failure::IdempotencyConflict);
            return Ok(json_response(status, &body));
        }
    }
    let (status, answer) = match verdict {
        Err(rejection) => error(name, &Failure::Rejected(rejection)),
        Ok(()) => match encryption_problem(&state, route, &body) {
            Some(rejection) => error(name, &Failure::Rejected(&rejection)),
            None => answer(&state, route, path_params, route.body, &body),
        },
    };
    if let Some(key) = key {
        lock(&state.idempotent).insert(key, (body, status, answer.clone()));
    }
    Ok(json_response(status, &answer))
}

/// An `x-encrypted` field that does not decrypt with the mock's key, when
/// the mock checks them.
fn encryption_problem(
    state: &State,
    route: &crate::routes::Route,
    body: &[u8],
) -> Option<request::Rejection> {
    if state.gateway.encrypted_fields.is_empty() || !state.check_encryption.load(Ordering::Relaxed)
    {
        return None;
    }
    let sent = request::as_json(body, route.body);
    let (field, why) = crate::keys::check_encrypted(&sent, state.gateway.encrypted_fields).err()?;
    Some(request::Rejection::Decode(format!("`{field}` {why}")))
}

fn answer(
    state: &State,
    route: &crate::routes::Route,
    path_params: &[(&str, String)],
    kind: Option<BodyKind>,
    body: &[u8],
) -> (u16, Value) {
    let sent = request::as_json(body, kind);
    let empty = Value::Object(Default::default());
    let examples = state.examples.get(route.operation);
    let chosen = lock(&state.chosen_examples).pop_front();
    let example = examples
        .and_then(|all| match &chosen {
            Some(name) => all.iter().find(|(n, _)| n == name),
            None => all.first(),
        })
        .or_else(|| examples.and_then(|all| all.first()))
        .map_or(&empty, |(_, value)| value);
    let answer_type = route.answer_type;
    let kept = {
        let entities = lock(&state.entities);
        // The most specific id first: `/orders/{order_id}/refunds/{refund_id}` is the refund.
        path_params
            .iter()
            .rev()
            .find_map(|(_, id)| entities.get(answer_type, id).cloned())
    };
    let creates = route.method == "POST" && kept.is_none();
    let mut next_id =
        |old: &str| answers::fresh_id(old, state.counter.fetch_add(1, Ordering::Relaxed));
    let mut answer = match (kept, example) {
        (Some(entity), _) => answers::answer(&entity, &sent, path_params, false, &mut next_id),
        (None, Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|item| answers::answer(item, &Value::Null, path_params, false, &mut next_id))
                .collect(),
        ),
        (None, example) => answers::answer(example, &sent, path_params, creates, &mut next_id),
    };
    let call = crate::gateways::Call {
        gateway: state.gateway.name,
        operation: route.operation,
        path_params,
        creates,
        sent: &sent,
        credentials: &state.credentials,
    };
    crate::gateways::finish(&call, &mut answer, &mut lock(&state.links), &mut next_id);
    if answer.is_object() {
        lock(&state.entities).keep(answer_type, answer.clone());
    }
    (200, answer)
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

fn authorized(state: &State, headers: &hyper::HeaderMap) -> bool {
    use base64::Engine as _;
    let given = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match state.gateway.auth {
        AuthKind::Basic { .. } => {
            let user = state.credentials.first().map_or("", String::as_str);
            let password = state.credentials.get(1).map_or("", String::as_str);
            let expected =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            given("authorization").and_then(|h| h.strip_prefix("Basic ")) == Some(expected.as_str())
        }
        AuthKind::Headers(pairs) => pairs
            .iter()
            .zip(&state.credentials)
            .all(|((header, _), expected)| given(header) == Some(expected.as_str())),
        AuthKind::Bearer(_) => {
            let token = state.credentials.first().map_or("", String::as_str);
            given("authorization").and_then(|h| h.strip_prefix("Bearer ")) == Some(token)
        }
    }
}

/// Logs the request, with credentials and secret fields masked.
fn record(
    state: &State,
    parts: &hyper::http::request::Parts,
    kind: Option<BodyKind>,
    body: &Bytes,
) {
    let credential_headers: Vec<&str> = match state.gateway.auth {
        AuthKind::Basic { .. } | AuthKind::Bearer(_) => vec!["authorization"],
        AuthKind::Headers(pairs) => pairs.iter().map(|(h, _)| *h).collect(),
    };
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = if credential_headers.contains(&name.as_str()) {
                "***".to_owned()
            } else {
                value.to_str().unwrap_or("<not text>").to_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect();
    let kind = kind.or_else(|| {
        let content_type = parts
            .headers
            .get(hyper::header::CONTENT_TYPE)?
            .to_str()
            .ok()?;
        if content_type.starts_with("application/json") {
            Some(BodyKind::Json)
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            Some(BodyKind::Form)
        } else {
            None
        }
    });
    let request = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body: Value::Null,
    };
    lock(&state.log).push((request, body.clone(), kind));
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
