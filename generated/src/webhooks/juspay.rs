//! Juspay: webhooks authenticated with HTTP Basic, and their events.
//!
//! Juspay signs nothing: each delivery carries, in `Authorization`, the
//! username and password you configured beside the webhook URL on its
//! dashboard. [`verify_authorization`] checks them in constant time; a
//! delivery that fails it must be refused, since anyone can post to a
//! webhook URL. The credentials cover no part of the body, so keep them as
//! secret as an API key and serve the webhook URL over HTTPS only.

use paygen_runtime::signature::{hmac_sha256, SignatureError};
pub use paygen_runtime::webhooks::{Payload, WebhookError};

/// The `Authorization` header Juspay sends with each delivery: HTTP Basic
/// of `username` and `password`. For tests and mock servers.
pub fn authorization(username: &str, password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
    )
}

/// Checks a delivery's `Authorization` header against the username and
/// password configured on Juspay's dashboard, in constant time (their
/// lengths included). An empty password is refused before anything is
/// compared ([`SignatureError::EmptySecret`]): anyone could send it. A header
/// that is not HTTP Basic, or whose credentials are not base64, is
/// [`SignatureError::Malformed`]; other credentials are
/// [`SignatureError::Mismatch`].
pub fn verify_authorization(
    authorization: &str,
    username: &str,
    password: &str,
) -> Result<(), SignatureError> {
    use base64::Engine as _;
    use subtle::ConstantTimeEq as _;
    if password.is_empty() {
        return Err(SignatureError::EmptySecret);
    }
    let (scheme, credentials) = authorization
        .trim()
        .split_once(' ')
        .ok_or(SignatureError::Malformed("HTTP Basic credentials"))?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(SignatureError::Malformed("HTTP Basic credentials"));
    }
    let given = base64::engine::general_purpose::STANDARD
        .decode(credentials.trim())
        .map_err(|_| SignatureError::Malformed("base64"))?;
    // Both sides hashed to the same length, so the comparison takes as long
    // whatever was sent.
    const KEY: &[u8] = b"paygen juspay webhook credentials";
    let expected = hmac_sha256(KEY, &[username.as_bytes(), b":", password.as_bytes()]);
    if bool::from(hmac_sha256(KEY, &[&given]).ct_eq(&expected)) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Checks the delivery's `Authorization` header ([`verify_authorization`]),
/// then decodes its event ([`decode_event`]).
pub fn verify_webhook(
    raw_body: &[u8],
    authorization: &str,
    username: &str,
    password: &str,
) -> Result<Event, WebhookError> {
    verify_authorization(authorization, username, password)?;
    decode_event(raw_body)
}

/// A verified webhook event. It serializes for a queue (secrets masked, as
/// every paygen type serializes them) and deserializes back.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Event {
    /// `ORDER_SUCCEEDED`: a payment for the order succeeded.
    OrderSucceeded(Box<crate::juspay::OrderStatus>),
    /// `ORDER_FAILED`: a payment for the order failed.
    OrderFailed(Box<crate::juspay::OrderStatus>),
    /// `TXN_CREATED`: a payment for the order was started.
    TxnCreated(Box<crate::juspay::OrderStatus>),
    /// `ORDER_REFUNDED`: a refund of the order succeeded (`refunds` lists it).
    OrderRefunded(Box<crate::juspay::OrderStatus>),
    /// `ORDER_REFUND_FAILED`: a refund of the order failed.
    OrderRefundFailed(Box<crate::juspay::OrderStatus>),
    /// `REFUND_MANUAL_REVIEW_NEEDED`: a refund's status is unclear and must
    /// be reconciled with the gateway by hand.
    RefundManualReviewNeeded(Box<crate::juspay::OrderStatus>),
    /// A `MANDATE_*` event: a mandate was created, activated (it may be
    /// debited), failed, paused, revoked or expired.
    Mandate {
        /// The event, after `MANDATE_` (`ACTIVATED`, `REVOKED`, ...).
        change: String,
        /// The mandate, as it is after the event.
        mandate: Box<crate::juspay::OrderMandate>,
        /// Juspay's identifier of the event, when it sent one.
        id: Option<String>,
    },
    /// Any other event (a pre-debit notification's, say), as JSON (masked
    /// in `Debug`).
    Other {
        /// The event's name.
        event: String,
        /// The whole delivery.
        #[serde(deserialize_with = "payload")]
        raw: Payload,
    },
}

fn payload<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Payload, D::Error> {
    paygen_runtime::webhooks::deserialize_webhook_payload(
        deserializer,
        crate::juspay::SECRET_FIELDS,
    )
}

impl Event {
    /// The key to deduplicate deliveries on (Juspay sends a webhook again
    /// until your handler answers 200): the event's name and its entity,
    /// with what tells one such event from the next.
    ///
    /// - A payment event, its order and transaction: a retried payment is a
    ///   new transaction (`ORDER_FAILED:ord_1:ord_1-2`).
    /// - A refund event, its order and each refund's request id and status
    ///   (`ORDER_REFUNDED:ord_1:rf_1=SUCCESS`).
    /// - A mandate event, the mandate and the event's id, since a mandate
    ///   paused and resumed is activated twice
    ///   (`MANDATE_ACTIVATED:mnd_1:evt_V2_5f`); without an id, its status.
    /// - Any other event, its name and the SHA-256 of the delivery's JSON.
    pub fn dedup_key(&self) -> String {
        use crate::juspay::OrderStatus;
        let payment = |name: &str, order: &OrderStatus| {
            format!(
                "{name}:{}:{}",
                order.order_id,
                order.txn_id.as_deref().unwrap_or_default()
            )
        };
        let refund = |name: &str, order: &OrderStatus| {
            let refunds: Vec<String> = order
                .refunds
                .iter()
                .flatten()
                .map(|r| {
                    format!(
                        "{}={}",
                        r.unique_request_id.as_deref().unwrap_or_default(),
                        r.status.as_str()
                    )
                })
                .collect();
            format!("{name}:{}:{}", order.order_id, refunds.join(","))
        };
        match self {
            Event::OrderSucceeded(o) => payment("ORDER_SUCCEEDED", o),
            Event::OrderFailed(o) => payment("ORDER_FAILED", o),
            Event::TxnCreated(o) => payment("TXN_CREATED", o),
            Event::OrderRefunded(o) => refund("ORDER_REFUNDED", o),
            Event::OrderRefundFailed(o) => refund("ORDER_REFUND_FAILED", o),
            Event::RefundManualReviewNeeded(o) => refund("REFUND_MANUAL_REVIEW_NEEDED", o),
            Event::Mandate {
                change,
                mandate,
                id,
            } => format!(
                "MANDATE_{change}:{}:{}",
                mandate.mandate_id,
                id.as_deref()
                    .unwrap_or_else(|| mandate.mandate_status.as_str())
            ),
            Event::Other { event, raw } => paygen_runtime::webhooks::digest_key(event, raw),
        }
    }
}

/// Decodes a delivery whose `Authorization` was already checked with
/// [`verify_authorization`]. Never call it on a body that was not: anyone
/// can post to a webhook URL. An event without the entity it names (an
/// order event without its order) is passed on whole as [`Event::Other`].
pub fn decode_event(raw_body: &[u8]) -> Result<Event, WebhookError> {
    use crate::juspay::WebhookEventName as Name;
    let crate::juspay::WebhookEvent {
        id,
        event_name,
        content,
        ..
    } = paygen_runtime::decode::decode_json(raw_body).map_err(WebhookError::Body)?;
    let crate::juspay::WebhookContent { order, mandate } = content;
    let order = order.map(Box::new);
    let event = match &event_name {
        Name::OrderSucceeded => order.map(Event::OrderSucceeded),
        Name::OrderFailed => order.map(Event::OrderFailed),
        Name::TxnCreated => order.map(Event::TxnCreated),
        Name::OrderRefunded => order.map(Event::OrderRefunded),
        Name::OrderRefundFailed => order.map(Event::OrderRefundFailed),
        Name::RefundManualReviewNeeded => order.map(Event::RefundManualReviewNeeded),
        Name::MandateCreated
        | Name::MandateActivated
        | Name::MandateFailed
        | Name::MandatePaused
        | Name::MandateRevoked
        | Name::MandateExpired => mandate.map(|mandate| Event::Mandate {
            change: event_name
                .as_str()
                .trim_start_matches("MANDATE_")
                .to_owned(),
            mandate: Box::new(mandate),
            id,
        }),
        Name::Unknown(_) => None,
    };
    match event {
        Some(event) => Ok(event),
        None => Ok(Event::Other {
            event: event_name.as_str().to_owned(),
            raw: paygen_runtime::webhooks::webhook_payload(raw_body, crate::juspay::SECRET_FIELDS)?,
        }),
    }
}
