//! Cashfree: webhook signatures with a timestamp.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use paygen_runtime::signature::{hmac_sha256, verify_base64, SignatureError};
pub use paygen_runtime::webhooks::{Payload, WebhookError};

/// How far a webhook's timestamp may be from now (default 5 minutes):
/// older deliveries are rejected so a captured one cannot be replayed.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The `x-webhook-signature` Cashfree sends with `raw_body` and
/// `timestamp`: the base64 HMAC-SHA256 of the timestamp followed by the
/// body, keyed with the client secret. For tests and mock servers.
pub fn webhook_signature(raw_body: &[u8], timestamp: &str, client_secret: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(hmac_sha256(
        client_secret.as_bytes(),
        &[timestamp.as_bytes(), raw_body],
    ))
}

/// A verified webhook event. It serializes for a queue (secrets masked,
/// as every paygen type serializes them) and deserializes back.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Event {
    /// `PAYMENT_SUCCESS_WEBHOOK`: a payment succeeded.
    PaymentSuccess(Box<PaymentEvent>),
    /// `PAYMENT_FAILED_WEBHOOK`: a payment failed; `error_details` says why.
    PaymentFailed(Box<PaymentEvent>),
    /// `PAYMENT_USER_DROPPED_WEBHOOK`: the customer left the payment unfinished.
    PaymentUserDropped(Box<PaymentEvent>),
    /// `REFUND_STATUS_WEBHOOK`: a refund reached a final status (`refund_status`).
    Refund(Box<crate::cashfree::WebhookRefund>),
    /// `AUTO_REFUND_STATUS_WEBHOOK`: Cashfree refunded a payment on its own.
    AutoRefund(Box<crate::cashfree::WebhookRefund>),
    /// `DISPUTE_CREATED`: a customer's bank raised a dispute.
    DisputeCreated(Box<DisputeEvent>),
    /// `DISPUTE_UPDATED`: a dispute changed (a remark, a stage, a status).
    DisputeUpdated(Box<DisputeEvent>),
    /// `DISPUTE_CLOSED`: a dispute was closed (`dispute_status` says how).
    DisputeClosed(Box<DisputeEvent>),
    /// A `SETTLEMENT_*` event: a settlement to your bank account was
    /// started (`INITIATED`), reached it (`SUCCESS`), failed or was
    /// reversed.
    Settlement {
        /// The event, after `SETTLEMENT_` (`SUCCESS`, ...).
        change: String,
        /// The settlement.
        settlement: Box<crate::cashfree::WebhookSettlement>,
        /// When the event happened.
        event_time: Option<String>,
    },
    /// `PAYMENT_LINK_EVENT`: a payment link was paid in full or in part,
    /// cancelled or expired (`link.link_status` says which); for a payment,
    /// `link.order` is the order Cashfree made for it.
    PaymentLink {
        /// The link as it is after the event.
        link: Box<crate::cashfree::WebhookLink>,
        /// When the event happened.
        event_time: Option<String>,
    },
    /// Any other event, as JSON (masked in `Debug`).
    Other {
        /// The event's type.
        event: String,
        /// The whole delivery.
        #[serde(deserialize_with = "payload")]
        raw: Payload,
    },
}

fn payload<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Payload, D::Error> {
    paygen_runtime::webhooks::deserialize_webhook_payload(
        deserializer,
        crate::cashfree::SECRET_FIELDS,
    )
}

/// What a payment event carries.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PaymentEvent {
    /// The order paid.
    pub order: crate::cashfree::WebhookOrder,
    /// The payment.
    pub payment: crate::cashfree::WebhookPayment,
    /// The customer, when Cashfree sends them.
    pub customer_details: Option<crate::cashfree::CustomerDetailsResponse>,
    /// Why the payment failed, for a failed or dropped payment.
    pub error_details: Option<crate::cashfree::PaymentError>,
    /// The gateway that processed the payment.
    pub payment_gateway_details: Option<crate::cashfree::PaymentGatewayDetails>,
    /// When the event happened.
    pub event_time: Option<String>,
}

/// What a dispute event carries.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DisputeEvent {
    /// The dispute.
    pub dispute: crate::cashfree::WebhookDispute,
    /// The order and payment disputed.
    pub order_details: Option<crate::cashfree::DisputeOrder>,
    /// The customer, when Cashfree sends them.
    pub customer_details: Option<crate::cashfree::CustomerDetailsResponse>,
    /// When the event happened.
    pub event_time: Option<String>,
}

/// Verifies `x-webhook-signature`: base64 HMAC-SHA256 of
/// `x-webhook-timestamp` followed by the raw body, keyed with your client
/// secret; and that the timestamp (milliseconds, or seconds, since the
/// epoch) is within `tolerance` of `now`. Then decodes the event: payment,
/// refund, dispute, settlement and payment link events into their types, any
/// other as JSON masked in `Debug` by the fields the Cashfree specs mark secret.
pub fn verify_webhook(
    raw_body: &[u8],
    timestamp: &str,
    signature: &str,
    client_secret: &str,
    tolerance: Duration,
    now: SystemTime,
) -> Result<Event, WebhookError> {
    verify_signature(
        raw_body,
        timestamp,
        signature,
        client_secret,
        tolerance,
        now,
    )?;
    decode_event(raw_body)
}

/// The header carrying a delivery's id: a delivery Cashfree sends again
/// has the same one. The signature does not cover it: deduplicate on
/// [`Event::dedup_key`], which it covers.
pub const DELIVERY_ID_HEADER: &str = "x-idempotency-key";

impl Event {
    /// The key to deduplicate deliveries on, made of what the signature
    /// covers: the event's type and its entity's id, and for a refund or a
    /// dispute its status (`PAYMENT_SUCCESS_WEBHOOK:5114910367414`,
    /// `REFUND_STATUS_WEBHOOK:12345:SUCCESS`,
    /// `DISPUTE_CLOSED:433475258:DISPUTE_MERCHANT_WON`, `SETTLEMENT_SUCCESS:738`),
    /// for a payment link its status and the amount paid so far, so that each
    /// part of a link paid in parts is its own event
    /// (`PAYMENT_LINK_EVENT:payment_ps11:PARTIALLY_PAID:55.00`);
    /// for any other event, its
    /// type and the SHA-256 of the delivery's JSON. A delivery sent again
    /// under a fresh delivery id has the same key (a replay outside the
    /// timestamp tolerance is refused by the signature check already).
    pub fn dedup_key(&self) -> String {
        let payment = |name: &str, event: &PaymentEvent| {
            format!("{name}:{}", payment_id(&event.payment.cf_payment_id))
        };
        let refund = |name: &str, refund: &crate::cashfree::WebhookRefund| {
            let id = match &refund.cf_refund_id {
                crate::cashfree::RefundId::Text(text) => text.clone(),
                crate::cashfree::RefundId::Integer(n) => n.to_string(),
            };
            format!("{name}:{id}:{}", refund.refund_status.as_str())
        };
        let dispute = |name: &str, event: &DisputeEvent| {
            let id = match &event.dispute.dispute_id {
                crate::cashfree::TextOrNumber::Text(text) => text.clone(),
                crate::cashfree::TextOrNumber::Integer(n) => n.to_string(),
            };
            format!("{name}:{id}:{}", event.dispute.dispute_status.as_str())
        };
        match self {
            Event::PaymentSuccess(e) => payment("PAYMENT_SUCCESS_WEBHOOK", e),
            Event::PaymentFailed(e) => payment("PAYMENT_FAILED_WEBHOOK", e),
            Event::PaymentUserDropped(e) => payment("PAYMENT_USER_DROPPED_WEBHOOK", e),
            Event::Refund(r) => refund("REFUND_STATUS_WEBHOOK", r),
            Event::AutoRefund(r) => refund("AUTO_REFUND_STATUS_WEBHOOK", r),
            Event::DisputeCreated(d) => dispute("DISPUTE_CREATED", d),
            Event::DisputeUpdated(d) => dispute("DISPUTE_UPDATED", d),
            Event::DisputeClosed(d) => dispute("DISPUTE_CLOSED", d),
            Event::Settlement {
                change, settlement, ..
            } => format!("SETTLEMENT_{change}:{}", settlement.settlement_id),
            Event::PaymentLink { link, .. } => format!(
                "PAYMENT_LINK_EVENT:{}:{}:{}",
                link.link_id,
                link.link_status.as_str(),
                link.link_amount_paid.unwrap_or_default()
            ),
            Event::Other { event, raw } => paygen_runtime::webhooks::digest_key(event, raw),
        }
    }
}

fn payment_id(id: &crate::cashfree::PaymentId) -> String {
    match id {
        crate::cashfree::PaymentId::Text(text) => text.clone(),
        crate::cashfree::PaymentId::Integer(n) => n.to_string(),
    }
}

/// Checks `x-webhook-signature` and the timestamp alone: for a handler
/// that verifies on receipt and queues the raw body for a worker to
/// decode later.
pub fn verify_signature(
    raw_body: &[u8],
    timestamp: &str,
    signature: &str,
    client_secret: &str,
    tolerance: Duration,
    now: SystemTime,
) -> Result<(), SignatureError> {
    let stamp: u64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::Timestamp("not a number"))?;
    // Cashfree sends milliseconds; a value this small can only be seconds.
    // Checked: the sender picks the number, and a time past what this
    // platform's clock can hold is outside any tolerance, not a panic.
    let sent = UNIX_EPOCH.checked_add(if stamp >= 1_000_000_000_000 {
        Duration::from_millis(stamp)
    } else {
        Duration::from_secs(stamp)
    });
    let skew = sent.map(|sent| {
        now.duration_since(sent)
            .unwrap_or_else(|ahead| ahead.duration())
    });
    // The signature first: a forged delivery is told only that it is forged.
    // Then the timestamp, which the signature has shown to be authentic.
    verify_base64(
        client_secret.as_bytes(),
        &[timestamp.trim().as_bytes(), raw_body],
        signature,
    )?;
    if skew.is_none_or(|skew| skew > tolerance) {
        return Err(SignatureError::Timestamp("outside the allowed tolerance"));
    }
    Ok(())
}

/// Decodes a delivery whose signature and timestamp were already checked
/// with [`verify_signature`]. Never call it on a body that was not:
/// anyone can post to a webhook URL.
pub fn decode_event(raw_body: &[u8]) -> Result<Event, WebhookError> {
    use crate::cashfree::WebhookEventType as Type;
    // A link event's `data` is the link, not the entities other events carry.
    #[derive(serde::Deserialize)]
    struct Kind {
        r#type: Type,
    }
    let Kind { r#type } =
        paygen_runtime::decode::decode_json(raw_body).map_err(WebhookError::Body)?;
    if r#type == Type::PaymentLinkEvent {
        let crate::cashfree::LinkWebhookEvent {
            event_time, data, ..
        } = paygen_runtime::decode::decode_json(raw_body).map_err(WebhookError::Body)?;
        return Ok(Event::PaymentLink {
            link: Box::new(data),
            event_time,
        });
    }
    let crate::cashfree::WebhookEvent {
        r#type,
        event_time,
        data,
    } = paygen_runtime::decode::decode_json(raw_body).map_err(WebhookError::Body)?;
    let payment = |data: crate::cashfree::WebhookData| {
        Some(Box::new(PaymentEvent {
            order: data.order?,
            payment: data.payment?,
            customer_details: data.customer_details,
            error_details: data.error_details,
            payment_gateway_details: data.payment_gateway_details,
            event_time: event_time.clone(),
        }))
    };
    let dispute = |data: crate::cashfree::WebhookData| {
        Some(Box::new(DisputeEvent {
            dispute: data.dispute?,
            order_details: data.order_details,
            customer_details: data.customer_details,
            event_time: event_time.clone(),
        }))
    };
    let event = match &r#type {
        Type::PaymentSuccessWebhook => payment(data).map(Event::PaymentSuccess),
        Type::PaymentFailedWebhook => payment(data).map(Event::PaymentFailed),
        Type::PaymentUserDroppedWebhook => payment(data).map(Event::PaymentUserDropped),
        Type::RefundStatusWebhook => data.refund.map(Box::new).map(Event::Refund),
        Type::AutoRefundStatusWebhook => data.refund.map(Box::new).map(Event::AutoRefund),
        Type::DisputeCreated => dispute(data).map(Event::DisputeCreated),
        Type::DisputeUpdated => dispute(data).map(Event::DisputeUpdated),
        Type::DisputeClosed => dispute(data).map(Event::DisputeClosed),
        Type::SettlementInitiated
        | Type::SettlementSuccess
        | Type::SettlementFailed
        | Type::SettlementReversed => data.settlement.map(|settlement| Event::Settlement {
            change: r#type.as_str().trim_start_matches("SETTLEMENT_").to_owned(),
            settlement: Box::new(settlement),
            event_time: event_time.clone(),
        }),
        Type::PaymentLinkEvent | Type::Unknown(_) => None,
    };
    // An event whose entities are missing is passed on as it came.
    match event {
        Some(event) => Ok(event),
        None => Ok(Event::Other {
            event: r#type.as_str().to_owned(),
            raw: paygen_runtime::webhooks::webhook_payload(
                raw_body,
                crate::cashfree::SECRET_FIELDS,
            )?,
        }),
    }
}
