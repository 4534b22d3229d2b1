//! Webhooks as the gateways send them: the event wrapped in the gateway's
//! envelope, signed with its scheme by the runtime's own signing code, and
//! posted to the URL a test gives.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// A webhook ready to post: the exact body bytes and the headers that sign it.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedWebhook {
    /// The body, byte for byte as sent (verify these bytes, not a re-serialization).
    pub body: Vec<u8>,
    /// The headers, signature included.
    pub headers: Vec<(String, String)>,
}

/// Wraps `payload` in `gateway`'s envelope for `event` and signs it:
/// Razorpay with the webhook secret (`X-Razorpay-Signature`), Cashfree with
/// the client secret over the timestamp and body (`x-webhook-signature`).
/// Juspay's webhooks carry the Basic credentials the merchant configured.
pub(crate) fn sign(
    gateway: &str,
    event: &str,
    payload: Value,
    credentials: &[String],
    webhook_secret: &str,
    now: SystemTime,
) -> SignedWebhook {
    let since_epoch = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    let body = match gateway {
        "razorpay" => {
            let contains: Vec<&String> = payload
                .as_object()
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            let body = json!({
                "entity": "event",
                "account_id": "acc_mock",
                "event": event,
                "contains": contains,
                "payload": payload,
                "created_at": since_epoch.as_secs(),
            })
            .to_string()
            .into_bytes();
            let signature = paygen::webhooks::razorpay::webhook_signature(&body, webhook_secret);
            headers.push(("x-razorpay-signature".into(), signature));
            body
        }
        "cashfree" => {
            let body = json!({"data": payload, "event_time": crate::world::rfc3339(since_epoch.as_secs()), "type": event})
                .to_string()
                .into_bytes();
            let timestamp = since_epoch.as_millis().to_string();
            let secret = credentials.get(1).map_or("", String::as_str);
            let signature =
                paygen::webhooks::cashfree::webhook_signature(&body, &timestamp, secret);
            headers.push(("x-webhook-timestamp".into(), timestamp));
            headers.push(("x-webhook-signature".into(), signature));
            headers.push(("x-webhook-version".into(), "2023-08-01".into()));
            body
        }
        _ => {
            use base64::Engine as _;
            // Each event has an id of its own.
            static EVENTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
            let id = EVENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let body = json!({"id": format!("evt_V2_mock{id:026x}"), "event_name": event, "content": payload, "date_created": crate::world::rfc3339(since_epoch.as_secs())})
                .to_string()
                .into_bytes();
            let credentials = base64::engine::general_purpose::STANDARD
                .encode(format!("webhook:{webhook_secret}"));
            headers.push(("authorization".into(), format!("Basic {credentials}")));
            body
        }
    };
    SignedWebhook { body, headers }
}
