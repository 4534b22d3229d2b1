//! The request log: each authenticated request, its credentials and
//! secret fields masked, kept in a bounded ring (the oldest goes first).

use serde_json::Value;

use crate::routes::{AuthKind, BodyEncoding};
use crate::state::{lock, State};
use crate::RecordedRequest;

/// How many requests the log keeps: the newest, the oldest dropped first.
pub const LOG_CAPACITY: usize = 1_000;

/// The log entry of an authenticated request, credentials masked; its
/// body is added once the call is answered.
pub(crate) fn entry(state: &State, parts: &hyper::http::request::Parts) -> RecordedRequest {
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
pub(crate) fn record(
    state: &State,
    mut entry: RecordedRequest,
    kind: Option<BodyEncoding>,
    sent: Value,
) {
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
