//! The request log: each authenticated request kept as received, in a
//! bounded ring (the oldest goes first), and masked whenever it is read:
//! credentials and secret fields come out as `***`.
//!
//! A request is kept as one buffer (its path, its headers, its body) rather
//! than as the [`RecordedRequest`] it reads as, and the buffer of the entry
//! the ring drops is the new entry's when it is of a like size: recording
//! then costs one copy and, once the log is full, no allocation for a
//! request the size of the one dropped, and the log's memory is not mixed
//! with each call's short-lived blocks. The
//! mock's request rate depends on it (the bench's paygen-mock row). Nothing
//! formats a [`Received`]: it has no `Debug`, and it leaves this module
//! only masked.

use std::borrow::Cow;
use std::collections::VecDeque;

use crate::request;
use crate::routes::{AuthKind, BodyEncoding, GatewayRoutes};
use crate::RecordedRequest;

/// How many requests the log keeps: the newest, the oldest dropped first.
pub const LOG_CAPACITY: usize = 1_000;

/// How many bytes the log's requests may hold in all (their paths, headers
/// and kept bodies): past it the oldest go first, even before
/// [`LOG_CAPACITY`] requests are kept.
pub const LOG_BYTES: usize = 64 << 20;

/// One authenticated request as received, unmasked: read it only through
/// [`masked`].
pub(crate) struct Received {
    method: hyper::Method,
    encoding: Option<BodyEncoding>,
    /// The path (then `?` and the query when there is one), then each
    /// header as `name:value\n` in the order received (a name holds no `:`
    /// and a value no newline), then the body as kept.
    text: Vec<u8>,
    target_end: usize,
    headers_end: usize,
}

impl Received {
    fn target(&self) -> &str {
        // Written from the URI's text.
        std::str::from_utf8(&self.text[..self.target_end]).unwrap_or_default()
    }

    fn headers(&self) -> &[u8] {
        &self.text[self.target_end..self.headers_end]
    }

    fn body(&self) -> &[u8] {
        &self.text[self.headers_end..]
    }
}

/// The request log.
#[derive(Default)]
pub(crate) struct Log {
    entries: VecDeque<Received>,
    /// What the entries' buffers hold, in bytes of capacity.
    bytes: usize,
}

impl Log {
    /// The requests kept, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Received> {
        self.entries.iter()
    }
}

/// Logs an authenticated request; the oldest go when the log is full.
pub(crate) fn record(
    log: &mut Log,
    parts: &hyper::http::request::Parts,
    body: &[u8],
    encoding: Option<BodyEncoding>,
) {
    let (body, encoding) = kept_body(body, encoding);
    let target = parts
        .uri
        .path_and_query()
        .map_or(parts.uri.path(), |p| p.as_str());
    let header_bytes: usize = (parts.headers.iter())
        .map(|(name, value)| name.as_str().len() + value.len() + 2)
        .sum();
    let needed = target.len() + header_bytes + body.len();
    let mut dropped = None;
    while !log.entries.is_empty()
        && (log.entries.len() >= LOG_CAPACITY || log.bytes + needed > LOG_BYTES)
    {
        if let Some(oldest) = log.entries.pop_front() {
            log.bytes -= oldest.text.capacity();
            dropped = Some(oldest.text);
        }
    }
    // The dropped entry's buffer, unless it is far larger than this one
    // needs (one large body must not be kept alive by small requests).
    let mut text = match dropped {
        Some(mut text) if text.capacity() >= needed && text.capacity() <= needed.max(1024) * 4 => {
            text.clear();
            text
        }
        _ => Vec::with_capacity(needed),
    };
    text.extend_from_slice(target.as_bytes());
    let target_end = text.len();
    for (name, value) in &parts.headers {
        text.extend_from_slice(name.as_str().as_bytes());
        text.push(b':');
        text.extend_from_slice(value.as_bytes());
        text.push(b'\n');
    }
    let headers_end = text.len();
    text.extend_from_slice(&body);
    log.bytes += text.capacity();
    log.entries.push_back(Received {
        method: parts.method.clone(),
        encoding,
        text,
        target_end,
        headers_end,
    });
}

/// The body as the log keeps it: as sent (copied into the entry: the body's
/// own buffer is a slice of the connection's read buffer); a multipart
/// upload (up to 21 MiB) as the JSON its parts read as, each file its name,
/// type and size, so the log holds no file's contents; and no kept body
/// above [`MAX_KEPT`].
fn kept_body(body: &[u8], encoding: Option<BodyEncoding>) -> (Cow<'_, [u8]>, Option<BodyEncoding>) {
    let (kept, encoding) = match encoding {
        None => (Cow::Borrowed(&[][..]), None),
        Some(BodyEncoding::Multipart) => {
            let parts = request::as_json(body, encoding);
            let json = serde_json::to_vec(&parts).unwrap_or_default();
            (Cow::Owned(json), Some(BodyEncoding::Json))
        }
        Some(encoding) => (Cow::Borrowed(body), Some(encoding)),
    };
    if kept.len() > MAX_KEPT {
        let note =
            serde_json::json!({"paygen_mock": format!("a body of {} bytes, not kept", kept.len())});
        return (
            Cow::Owned(note.to_string().into_bytes()),
            Some(BodyEncoding::Json),
        );
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
        .headers()
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
    let (path, query) = match received.target().split_once('?') {
        Some((path, query)) => (path, Some(query.to_owned())),
        None => (received.target(), None),
    };
    let mut body = request::as_json(received.body(), received.encoding);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(path: &str) -> hyper::http::request::Parts {
        let request = hyper::Request::post(path)
            .header("content-type", "application/json")
            .header("authorization", "Basic cnpwOnNlY3JldA==")
            .body(())
            .unwrap();
        request.into_parts().0
    }

    #[test]
    fn each_request_reads_back_as_received_when_buffers_are_reused() {
        let gateway = crate::routes::gateway("razorpay").unwrap();
        let mut log = Log::default();
        // Bodies of changing sizes, past the capacity: dropped entries'
        // buffers are reused for some and not for others.
        let bodies: Vec<String> = (0..LOG_CAPACITY + 300)
            .map(|n| format!(r#"{{"n":{n},"pad":"{}"}}"#, "x".repeat(n * 7 % 3000)))
            .collect();
        for (n, body) in bodies.iter().enumerate() {
            let encoding = Some(BodyEncoding::Json);
            record(
                &mut log,
                &parts(&format!("/v1/orders/o{n}?at={n}")),
                body.as_bytes(),
                encoding,
            );
        }
        assert_eq!(log.entries.len(), LOG_CAPACITY);
        let capacity: usize = log.entries.iter().map(|e| e.text.capacity()).sum();
        assert_eq!(log.bytes, capacity);
        for (received, n) in log.iter().zip(300..) {
            let read = masked(gateway, received);
            assert_eq!(
                (read.method.as_str(), read.path),
                ("POST", format!("/v1/orders/o{n}"))
            );
            assert_eq!(read.query.as_deref(), Some(&*format!("at={n}")));
            assert_eq!(
                read.headers,
                [
                    ("content-type".to_owned(), "application/json".to_owned()),
                    ("authorization".to_owned(), "***".to_owned())
                ]
            );
            let sent: serde_json::Value = serde_json::from_str(&bodies[n]).unwrap();
            assert_eq!(read.body, sent);
        }
    }

    #[test]
    fn a_full_log_keeps_a_like_request_in_the_buffer_it_drops() {
        let mut log = Log::default();
        let body = br#"{"amount":100}"#;
        for n in 0..LOG_CAPACITY {
            record(
                &mut log,
                &parts(&format!("/v1/o{n:04}")),
                body,
                Some(BodyEncoding::Json),
            );
        }
        let oldest = log.entries.front().unwrap().text.as_ptr();
        record(
            &mut log,
            &parts("/v1/o9999"),
            body,
            Some(BodyEncoding::Json),
        );
        assert_eq!(log.entries.back().unwrap().text.as_ptr(), oldest);
        assert_eq!(log.entries.len(), LOG_CAPACITY);
    }

    #[test]
    fn the_log_holds_at_most_its_bytes_and_the_newest_requests() {
        let gateway = crate::routes::gateway("razorpay").unwrap();
        let mut log = Log::default();
        let body = format!(r#"{{"pad":"{}"}}"#, "x".repeat(MAX_KEPT - 16));
        let sent = 2 * LOG_BYTES / MAX_KEPT;
        for n in 0..sent {
            record(
                &mut log,
                &parts(&format!("/v1/o{n}")),
                body.as_bytes(),
                Some(BodyEncoding::Json),
            );
            assert!(log.bytes <= LOG_BYTES, "{} bytes after {n}", log.bytes);
        }
        let kept = log.entries.len();
        assert!(
            kept >= LOG_BYTES / MAX_KEPT - 2 && kept < sent,
            "{kept} kept"
        );
        let last = masked(gateway, log.iter().last().unwrap());
        assert_eq!(last.path, format!("/v1/o{}", sent - 1));
        // A small request after them does not keep a large buffer alive.
        record(
            &mut log,
            &parts("/v1/small"),
            b"{}",
            Some(BodyEncoding::Json),
        );
        assert!(log.entries.back().unwrap().text.capacity() < 4096);
    }
}
