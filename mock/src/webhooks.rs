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
            let body = json!({"data": payload, "event_time": rfc3339(since_epoch.as_secs()), "type": event})
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
            let body = json!({"event_name": event, "content": payload, "date_created": rfc3339(since_epoch.as_secs())})
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

/// `2023-08-01T12:00:00Z` for a Unix time, without a date library.
fn rfc3339(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    // Civil from days (Howard Hinnant's algorithm), for dates after 1970.
    let z = days as i64 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_690_876_800), "2023-08-01T08:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
