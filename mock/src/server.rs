//! The request path: accepting connections, authenticating, recording each
//! authenticated request, applying a fault when one is asked for, and
//! answering as the simulated gateway does.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::Value;

use crate::admin::{admin_route, post_notices};
use crate::body::{json_response, json_text_response, MockBody, Reset};
use crate::errors::{error, Failure};
use crate::recording::record;
use crate::routes::{AuthKind, BodyEncoding, Route};
use crate::sim::{self, Reply};
use crate::state::{authorized, lock, State};
use crate::Fault;
use crate::{multipart, request};

/// The header a client can send to ask for a fault on that one call.
pub const FAULT_HEADER: &str = "x-paygen-mock-fault";

/// The largest request body the mock reads.
const MAX_BODY: usize = 1 << 20;

/// The largest body of a call that uploads files (`multipart/form-data`):
/// Cashfree takes dispute evidence of up to 20 MB.
const MAX_UPLOAD: usize = 21 << 20;

/// The longest delay a fault may ask for.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// The routes of the mock itself, beside the gateway's.
pub(crate) const ADMIN_PREFIX: &str = "/__paygen/";

/// A body judged against an operation's request type: taken (and what it
/// decoded to, when the operation has a body), or refused.
type Verdict = Result<Option<request::Decoded>, request::Rejection>;

/// The operation whose request type takes the body, with its verdict; when
/// none does, the one that refused it as invalid, or else the first. Each
/// candidate is judged only until one takes the body.
fn choose(
    candidates: Vec<(&'static Route, Vec<(&'static str, String)>)>,
    body: &[u8],
) -> (&'static Route, Vec<(&'static str, String)>, Verdict) {
    let judge = |route: &Route| match (route.check, route.body) {
        (Some(check), Some(kind)) => check(body, kind).map(Some),
        _ => Ok(None),
    };
    let mut refused = Vec::new();
    for (route, params) in candidates {
        match judge(route) {
            Ok(decoded) => return (route, params, Ok(decoded)),
            Err(rejection) => refused.push((route, params, Err(rejection))),
        }
    }
    let chosen = refused
        .iter()
        .position(|(_, _, v)| matches!(v, Err(request::Rejection::Invalid(_))))
        .unwrap_or(0);
    refused.swap_remove(chosen)
}

/// A multipart body must use the boundary its `Content-Type` names, as the
/// gateway reads it by that one (the mock reads it by the body's first line).
fn same_boundary(headers: &hyper::HeaderMap, body: &[u8]) -> Result<(), request::Rejection> {
    let named = headers
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(multipart::boundary_of);
    match named {
        Some(named) if multipart::first_boundary(body) == Some(named.as_str()) => Ok(()),
        Some(_) => Err(request::Rejection::Decode(
            "the body's boundary is not the one its Content-Type names".into(),
        )),
        None => Err(request::Rejection::Decode(
            "a multipart body needs `Content-Type: multipart/form-data; boundary=...`".into(),
        )),
    }
}

/// Answers one request.
pub(crate) async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<MockBody>, Reset> {
    let (parts, body) = request.into_parts();
    let candidates = state.gateway.find(parts.method.as_str(), parts.uri.path());
    let uploads = candidates
        .iter()
        .any(|(route, _)| route.body == Some(BodyEncoding::Multipart));
    let limit = if uploads { MAX_UPLOAD } else { MAX_BODY };
    let body = match http_body_util::Limited::new(body, limit).collect().await {
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
    if candidates.is_empty() {
        let (status, body) = error(name, &Failure::NoRoute);
        return Ok(json_response(status, &body));
    }
    if !authorized(&state, &parts.headers) {
        let (status, body) = error(name, &Failure::Unauthorized);
        return Ok(json_response(status, &body));
    }
    let (route, path_params, verdict) = choose(candidates, &body);
    let verdict = match (route.body, verdict) {
        (Some(BodyEncoding::Multipart), Ok(decoded)) => {
            same_boundary(&parts.headers, &body).map(|()| decoded)
        }
        (_, verdict) => verdict,
    };
    let (decoded, verdict) = match verdict {
        Ok(decoded) => (decoded, Ok(())),
        Err(rejection) => (None, Err(rejection)),
    };
    let sent = request::Sent::new(&body, route.body, decoded);

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
                record(&mut lock(&state.log), &parts, &body, route.body);
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
    // One lock from the key's check to its response's saving: two calls with
    // one key cannot both create. Released before anything is awaited.
    let answered = {
        let mut sim = lock(&state.sim);
        let replayed =
            key.as_ref()
                .and_then(|key| sim.idempotent.get(key))
                .map(|(first, status, answer)| {
                    // The gateway saves the first response for a key, errors included.
                    if *first == body {
                        json_text_response(*status, answer.clone())
                    } else {
                        let (status, body) = error(name, &Failure::IdempotencyConflict);
                        json_response(status, &body)
                    }
                });
        if let Some(response) = replayed {
            Err(response)
        } else {
            let (status, answer) = match rejection {
                Some(rejection) => {
                    let (status, body) = error(name, &Failure::Rejected(&rejection));
                    (status, Reply::Json(body))
                }
                None => match chosen {
                    // A documented example asked for by name, answered as written.
                    Some(chosen) => (200, Reply::Json(replay(&state, route, &chosen))),
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
                            example_texts: route.answers,
                            answer_type: route.answer_type,
                            credentials: &state.credentials,
                        };
                        match sim::answer(name, &call, &mut sim.world) {
                            Ok(answer) => (200, answer),
                            Err(refusal) => {
                                let (status, body) = state.refusal(&refusal);
                                (status, Reply::Json(body))
                            }
                        }
                    }
                },
            };
            let answer = Bytes::from(answer.into_bytes());
            if let Some(key) = key {
                sim.remember(key, (Bytes::copy_from_slice(&body), status, answer.clone()));
            }
            Ok((status, answer, sim.world.take_notices()))
        }
    };
    record(&mut lock(&state.log), &parts, &body, route.body);
    let (status, answer, notices) = match answered {
        Err(replayed) => return Ok(replayed),
        Ok(answered) => answered,
    };
    // The call's webhooks, posted before it is answered so that a test reads
    // them as soon as its call returns.
    post_notices(&state, notices).await;
    Ok(json_text_response(status, answer))
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

/// An `x-encrypted` field that does not decrypt with the mock's key, when
/// the mock checks them.
fn encryption_problem(state: &State, sent: &request::Sent<'_>) -> Option<request::Rejection> {
    if state.gateway.encrypted_fields.is_empty() || !state.check_encryption.load(Ordering::Relaxed)
    {
        return None;
    }
    let (field, why) = state
        .key
        .check_encrypted(sent.json(), state.gateway.encrypted_fields)
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
            // A reset or a cut-short response ends the connection with an error: as asked.
            let _ = hyper::server::conn::http1::Builder::new()
                // A call goes on to its end when the client stops waiting
                // (a timeout), as at a gateway: hyper does not read ahead
                // for the client's close while the call is answered. That
                // also lets it read the next request into the buffer it
                // has, rather than a new one per call (the allocation and
                // its consolidation were 4% of the serving thread, by perf).
                .half_close(true)
                .serve_connection(io, service)
                .await;
        });
    }
}
