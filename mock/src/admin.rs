//! The mock's own routes (`/__paygen/...`), beside the gateway's, and
//! driving the simulated world from outside the API with the webhooks it
//! sends.

use std::sync::Arc;
use std::time::Duration;

use hyper::Response;
use serde_json::Value;

use crate::body::{json_response, MockBody};
use crate::errors::{error, Failure};
use crate::sim::Refusal;
use crate::state::{authorized, lock, State};
use crate::Happening;

/// The mock's own routes: `GET /__paygen/public-key` (the PEM clients
/// encrypt with) and `POST /__paygen/drive` (`{"id": ..., "event": "pay"}`:
/// what happens outside the API, for a test in another process).
pub(crate) async fn admin_route(
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
                    &serde_json::json!({"error": "the body must be {\"id\": \"...\", \"event\": \"pay\"} with an event of pay, fail, authorize, expire, terminate, settle, dispute, win, lose"}),
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
    let notices = happened.notices.into_iter().map(|n| (n.event, n.payload));
    post_notices(state, notices.collect()).await;
    Ok(happened.entity)
}

/// Posts `notices` to the configured webhook URL, if there is one, each
/// signed as the gateway signs, one after another.
pub(crate) async fn post_notices(state: &State, notices: Vec<(&'static str, Value)>) {
    if notices.is_empty() {
        return;
    }
    let url = lock(&state.webhook_url).clone();
    if let Some(url) = url {
        for (event, payload) in notices {
            let signed = crate::webhooks::sign(
                state.gateway.name,
                event,
                payload,
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
}
