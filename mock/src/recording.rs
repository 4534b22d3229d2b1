//! The request log: each authenticated request kept as received, in a
//! bounded ring (the oldest goes first), and masked whenever it is read:
//! credentials and secret fields come out as `***`.
//!
//! A request is kept as three buffers (its path, its headers, its body)
//! rather than as the [`RecordedRequest`] it reads as: recording then costs
//! three small copies, and the entry the ring drops frees three buffers
//! instead of a tree of strings. The mock's request rate depends on it (the
//! bench's paygen-mock row). Nothing formats a [`Received`]: it has no
//! `Debug`, and it leaves this module only masked.

use std::collections::VecDeque;

use bytes::Bytes;

use crate::request;
use crate::routes::{AuthKind, BodyEncoding, GatewayRoutes};
use crate::RecordedRequest;

/// How many requests the log keeps: the newest, the oldest dropped first.
pub const LOG_CAPACITY: usize = 1_000;

/// One authenticated request as received, unmasked: read it only through
/// [`masked`].
pub(crate) struct Received {
    method: hyper::Method,
    /// The path, then `?` and the query when there is one.
    target: Box<str>,
    /// Each header as `name:value\n`, in the order received (a name holds
    /// no `:` and a value no newline).
    headers: Box<[u8]>,
    body: Bytes,
    encoding: Option<BodyEncoding>,
}

/// The request log.
pub(crate) type Log = VecDeque<Received>;

/// Logs an authenticated request; the oldest goes when the log is full.
pub(crate) fn record(
    log: &mut Log,
    parts: &hyper::http::request::Parts,
    body: &[u8],
    encoding: Option<BodyEncoding>,
) {
    let (body, encoding) = kept_body(body, encoding);
    let mut headers = Vec::with_capacity(256);
    for (name, value) in &parts.headers {
        headers.extend_from_slice(name.as_str().as_bytes());
        headers.push(b':');
        headers.extend_from_slice(value.as_bytes());
        headers.push(b'\n');
    }
    let received = Received {
        method: parts.method.clone(),
        target: parts
            .uri
            .path_and_query()
            .map_or(parts.uri.path(), |p| p.as_str())
            .into(),
        headers: headers.into_boxed_slice(),
        body,
        encoding,
    };
    if log.len() == LOG_CAPACITY {
        log.pop_front();
    }
    log.push_back(received);
}

/// The body as the log keeps it: a copy (the body's own buffer is a slice of
/// the connection's read buffer, which a kept clone would keep from being
/// reused); a multipart upload (up to 21 MiB) as the JSON its parts read as,
/// each file its name, type and size, so the log holds no file's contents;
/// and no kept body above [`MAX_KEPT`].
fn kept_body(body: &[u8], encoding: Option<BodyEncoding>) -> (Bytes, Option<BodyEncoding>) {
    let (kept, encoding) = match encoding {
        None => (Bytes::new(), None),
        Some(BodyEncoding::Multipart) => {
            let parts = request::as_json(body, encoding);
            let json = serde_json::to_vec(&parts).unwrap_or_default();
            (Bytes::from(json), Some(BodyEncoding::Json))
        }
        Some(encoding) => (Bytes::copy_from_slice(body), Some(encoding)),
    };
    if kept.len() > MAX_KEPT {
        let note =
            serde_json::json!({"paygen_mock": format!("a body of {} bytes, not kept", kept.len())});
        return (Bytes::from(note.to_string()), Some(BodyEncoding::Json));
    }
    (kept, encoding)
}

/// The largest body the log keeps of one request: the most a request other
/// than an upload may send.
const MAX_KEPT: usize = 1 << 20;

/// `received` as a test reads it: the credentials and secret fields of
/// `gateway` masked.
pub(crate) fn masked(gateway: &GatewayRoutes, received: &Received) -> RecordedRequest {
    let is_credential = |name: &str| match gateway.auth {
        AuthKind::Basic { .. } | AuthKind::Bearer(_) | AuthKind::ClientCredentials { .. } => {
            name == "authorization"
        }
        AuthKind::Headers(pairs) => pairs.iter().any(|(header, _)| *header == name),
    };
    let headers = received
        .headers
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            let colon = line.iter().position(|b| *b == b':').unwrap_or(line.len());
            let name = String::from_utf8_lossy(&line[..colon]).into_owned();
            let value = if is_credential(&name) {
                "***".to_owned()
            } else {
                std::str::from_utf8(line.get(colon + 1..).unwrap_or_default())
                    .unwrap_or("<not text>")
                    .to_owned()
            };
            (name, value)
        })
        .collect();
    let (path, query) = match received.target.split_once('?') {
        Some((path, query)) => (path, Some(query.to_owned())),
        None => (&*received.target, None),
    };
    let mut body = request::as_json(&received.body, received.encoding);
    mask(&mut body, gateway.secret_fields);
    RecordedRequest {
        method: received.method.as_str().to_owned(),
        path: path.to_owned(),
        query,
        headers,
        body,
    }
}

fn mask(value: &mut serde_json::Value, secret_fields: &[&str]) {
    use serde_json::Value;
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
