//! Razorpay: the payment callback signature and webhook events.

use serde::Deserialize;

use paygen_runtime::signature::{hmac_sha256_hex, verify_hex, SignatureError};
pub use paygen_runtime::webhooks::{Payload, WebhookError};

/// The fields Razorpay posts to your `callback_url` when a payment succeeds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PaymentCallback {
    /// The payment.
    pub razorpay_payment_id: String,
    /// The order the payment is for.
    pub razorpay_order_id: String,
    /// `hmac_sha256(order_id + "|" + payment_id, key_secret)` in hex.
    pub razorpay_signature: String,
}

/// The fields Razorpay posts to your `callback_url` when a payment fails.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PaymentErrorCallback {
    /// What went wrong; `metadata.order_id` allows another attempt on the order.
    pub error: crate::razorpay::ErrorDetail,
}

impl PaymentCallback {
    /// Checks the signature against `order_id`, the order *you* created and
    /// stored (not the one in the callback, which the sender controls), and
    /// your API key secret.
    pub fn verify(&self, order_id: &str, key_secret: &str) -> Result<(), SignatureError> {
        verify_payment(
            order_id,
            &self.razorpay_payment_id,
            &self.razorpay_signature,
            key_secret,
        )
    }
}

/// Checks a payment signature: `hmac_sha256(order_id + "|" + payment_id,
/// key_secret)` in hex, compared in constant time.
pub fn verify_payment(
    order_id: &str,
    payment_id: &str,
    signature: &str,
    key_secret: &str,
) -> Result<(), SignatureError> {
    verify_hex(
        key_secret.as_bytes(),
        &[order_id.as_bytes(), b"|", payment_id.as_bytes()],
        signature,
    )
}

/// The payment signature Razorpay sends for `order_id` and `payment_id`.
pub fn payment_signature(order_id: &str, payment_id: &str, key_secret: &str) -> String {
    hmac_sha256_hex(
        key_secret.as_bytes(),
        &[order_id.as_bytes(), b"|", payment_id.as_bytes()],
    )
}

/// The `X-Razorpay-Signature` Razorpay sends with `raw_body`: the hex
/// HMAC-SHA256 of the body with the webhook secret. For tests and mock
/// servers that send webhooks as Razorpay would.
pub fn webhook_signature(raw_body: &[u8], webhook_secret: &str) -> String {
    hmac_sha256_hex(webhook_secret.as_bytes(), &[raw_body])
}

/// A verified webhook event. It serializes for a queue (secrets masked,
/// as every paygen type serializes them) and deserializes back.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Event {
    /// `payment.authorized`.
    PaymentAuthorized(Box<crate::razorpay::Payment>),
    /// `payment.captured`.
    PaymentCaptured(Box<crate::razorpay::Payment>),
    /// `payment.failed`.
    PaymentFailed(Box<crate::razorpay::Payment>),
    /// `order.paid`, with the order and the payment that paid it.
    OrderPaid {
        /// The order.
        order: Box<crate::razorpay::Order>,
        /// The payment.
        payment: Box<crate::razorpay::Payment>,
    },
    /// `refund.created`: a refund was requested, and is pending.
    RefundCreated(Box<crate::razorpay::Refund>),
    /// `refund.processed`: the refund reached the customer's bank.
    RefundProcessed(Box<crate::razorpay::Refund>),
    /// `refund.failed`: the refund could not be made; the amount is back in your balance.
    RefundFailed(Box<crate::razorpay::Refund>),
    /// `payment_link.paid`: the link is paid in full, with the order Razorpay
    /// made for it and the payment that paid it.
    PaymentLinkPaid {
        /// The link.
        payment_link: Box<crate::razorpay::PaymentLink>,
        /// The link's order.
        order: Box<crate::razorpay::Order>,
        /// The payment.
        payment: Box<crate::razorpay::Payment>,
    },
    /// `payment_link.expired`: the link passed its expiry unpaid.
    PaymentLinkExpired(Box<crate::razorpay::PaymentLink>),
    /// `payment_link.cancelled`: the link was cancelled unpaid.
    PaymentLinkCancelled(Box<crate::razorpay::PaymentLink>),
    /// `qr_code.credited`: a customer paid the QR Code.
    QrCodeCredited {
        /// The QR Code, with what it has received.
        qr_code: Box<crate::razorpay::QrCode>,
        /// The payment.
        payment: Box<crate::razorpay::Payment>,
    },
    /// `qr_code.closed`: the QR Code accepts no more payments.
    QrCodeClosed(Box<crate::razorpay::QrCode>),
    /// `settlement.processed`: a settlement was sent to your bank account
    /// (its `utr` finds it there).
    SettlementProcessed(Box<crate::razorpay::Settlement>),
    /// `transfer.processed`: a Route transfer reached the linked account.
    TransferProcessed(Box<crate::razorpay::Transfer>),
    /// `transfer.failed`: a Route transfer could not be made.
    TransferFailed(Box<crate::razorpay::Transfer>),
    /// A `payment.dispute.*` event: a dispute was raised (`created`), is
    /// with the bank (`under_review`), was decided (`won`, `lost`), closed
    /// (`closed`) or needs your response (`action_required`).
    Dispute {
        /// The event, after `payment.dispute.` (`created`, `won`, ...).
        change: String,
        /// The dispute.
        dispute: Box<crate::razorpay::Dispute>,
        /// The payment disputed, when the delivery carries it.
        payment: Option<Box<crate::razorpay::Payment>>,
    },
    /// A `token.*` event: a saved card's token was asked for (`initiated`),
    /// became active (`activated`, again after a suspension), was
    /// suspended or ended by the issuing bank (`suspended`, `deactivated`),
    /// or had its expiry changed (`expiry_updated`).
    Token {
        /// The event, after `token.` (`activated`, ...).
        change: String,
        /// The token, as it is after the event (`status` says where it is).
        token: Box<crate::razorpay::Token>,
        /// When the event happened, as a Unix timestamp.
        created_at: Option<i64>,
    },
    /// Any other event, as JSON (masked in `Debug`).
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
        crate::razorpay::SECRET_FIELDS,
    )
}

/// Verifies `X-Razorpay-Signature` (hex HMAC-SHA256 of the raw body with
/// your webhook secret) and decodes the event.
pub fn verify_webhook(
    raw_body: &[u8],
    signature: &str,
    webhook_secret: &str,
) -> Result<Event, WebhookError> {
    verify_signature(raw_body, signature, webhook_secret)?;
    decode_event(raw_body)
}

/// The header carrying a delivery's id: the same event delivered twice
/// (Razorpay retries until your handler answers 2xx) has the same id.
/// The signature does not cover it, and Razorpay's deliveries carry no
/// timestamp, so a captured delivery posted again under a fresh id passes
/// both: deduplicate on [`Event::dedup_key`], which the signature covers.
pub const EVENT_ID_HEADER: &str = "x-razorpay-event-id";

impl Event {
    /// The key to deduplicate deliveries on, made of what the signature
    /// covers: the event's name and its entity's id
    /// (`payment.captured:pay_29QQoUBi66xm2f`), since each of these events
    /// happens once to an entity; for a token, whose events can happen
    /// again (active, suspended, active), its name, id and the event's time
    /// (`token.activated:token_4lsdksD31GaZ09:1700000000`); for any other
    /// event, its name and the SHA-256 of the delivery's JSON. A delivery sent again, by Razorpay
    /// or by someone replaying it under a fresh event id, has the same key.
    pub fn dedup_key(&self) -> String {
        match self {
            Event::PaymentAuthorized(p) => format!("payment.authorized:{}", p.id),
            Event::PaymentCaptured(p) => format!("payment.captured:{}", p.id),
            Event::PaymentFailed(p) => format!("payment.failed:{}", p.id),
            Event::OrderPaid { order, .. } => format!("order.paid:{}", order.id),
            Event::RefundCreated(r) => format!("refund.created:{}", r.id),
            Event::RefundProcessed(r) => format!("refund.processed:{}", r.id),
            Event::RefundFailed(r) => format!("refund.failed:{}", r.id),
            Event::PaymentLinkPaid { payment_link, .. } => {
                format!("payment_link.paid:{}", payment_link.id)
            }
            Event::PaymentLinkExpired(l) => format!("payment_link.expired:{}", l.id),
            Event::PaymentLinkCancelled(l) => format!("payment_link.cancelled:{}", l.id),
            Event::Dispute {
                change, dispute, ..
            } => {
                format!("payment.dispute.{change}:{}", dispute.id)
            }
            Event::QrCodeCredited { payment, .. } => {
                format!("qr_code.credited:{}", payment.id)
            }
            Event::QrCodeClosed(q) => format!("qr_code.closed:{}", q.id),
            Event::SettlementProcessed(s) => format!("settlement.processed:{}", s.id),
            Event::TransferProcessed(t) => format!("transfer.processed:{}", t.id),
            Event::TransferFailed(t) => format!("transfer.failed:{}", t.id),
            Event::Token {
                change,
                token,
                created_at,
            } => format!(
                "token.{change}:{}:{}",
                token.id,
                created_at.unwrap_or_default()
            ),
            Event::Other { event, raw } => paygen_runtime::webhooks::digest_key(event, raw),
        }
    }
}

/// Checks `X-Razorpay-Signature` alone: for a handler that verifies on
/// receipt and queues the raw body for a worker to decode later.
pub fn verify_signature(
    raw_body: &[u8],
    signature: &str,
    webhook_secret: &str,
) -> Result<(), SignatureError> {
    verify_hex(webhook_secret.as_bytes(), &[raw_body], signature)
}

/// Decodes a delivery whose signature was already checked with
/// [`verify_signature`]. Never call it on a body that was not: anyone can
/// post to a webhook URL.
pub fn decode_event(raw_body: &[u8]) -> Result<Event, WebhookError> {
    let crate::razorpay::WebhookEvent {
        event,
        payload,
        created_at,
        ..
    } = paygen_runtime::decode::decode_json(raw_body).map_err(WebhookError::Body)?;
    use crate::razorpay::WebhookEventName as Name;
    let payload = payload.unwrap_or_default();
    let payment = payload.payment.and_then(|p| p.entity).map(Box::new);
    let order = payload.order.and_then(|o| o.entity).map(Box::new);
    let refund = payload.refund.and_then(|r| r.entity).map(Box::new);
    let link = payload.payment_link.and_then(|l| l.entity).map(Box::new);
    let dispute = payload.dispute.and_then(|d| d.entity).map(Box::new);
    let qr_code = payload.qr_code.and_then(|q| q.entity).map(Box::new);
    let settlement = payload.settlement.and_then(|s| s.entity).map(Box::new);
    let transfer = payload.transfer.and_then(|t| t.entity).map(Box::new);
    match (&event, settlement, transfer) {
        (Name::SettlementProcessed, Some(settlement), _) => {
            return Ok(Event::SettlementProcessed(settlement))
        }
        (Name::TransferProcessed, _, Some(transfer)) => {
            return Ok(Event::TransferProcessed(transfer))
        }
        (Name::TransferFailed, _, Some(transfer)) => return Ok(Event::TransferFailed(transfer)),
        _ => {}
    }
    if let (Some(change), Some(token)) = (
        event.as_str().strip_prefix("token."),
        payload.token.and_then(|t| t.entity),
    ) {
        return Ok(Event::Token {
            change: change.to_owned(),
            token: Box::new(token),
            created_at,
        });
    }
    if let (Some(change), Some(dispute)) =
        (event.as_str().strip_prefix("payment.dispute."), dispute)
    {
        return Ok(Event::Dispute {
            change: change.to_owned(),
            dispute,
            payment,
        });
    }
    let event = match (&event, payment, order, refund, link, qr_code) {
        (Name::PaymentAuthorized, Some(payment), ..) => Event::PaymentAuthorized(payment),
        (Name::PaymentCaptured, Some(payment), ..) => Event::PaymentCaptured(payment),
        (Name::PaymentFailed, Some(payment), ..) => Event::PaymentFailed(payment),
        (Name::OrderPaid, Some(payment), Some(order), ..) => Event::OrderPaid { order, payment },
        (Name::RefundCreated, _, _, Some(refund), ..) => Event::RefundCreated(refund),
        (Name::RefundProcessed, _, _, Some(refund), ..) => Event::RefundProcessed(refund),
        (Name::RefundFailed, _, _, Some(refund), ..) => Event::RefundFailed(refund),
        (Name::PaymentLinkPaid, Some(payment), Some(order), _, Some(payment_link), _) => {
            Event::PaymentLinkPaid {
                payment_link,
                order,
                payment,
            }
        }
        (Name::PaymentLinkExpired, _, _, _, Some(link), _) => Event::PaymentLinkExpired(link),
        (Name::QrCodeCredited, Some(payment), .., Some(qr_code)) => {
            Event::QrCodeCredited { qr_code, payment }
        }
        (Name::QrCodeClosed, .., Some(qr_code)) => Event::QrCodeClosed(qr_code),
        (Name::PaymentLinkCancelled, _, _, _, Some(link), _) => Event::PaymentLinkCancelled(link),
        (name, ..) => Event::Other {
            event: name.as_str().to_owned(),
            raw: paygen_runtime::webhooks::webhook_payload(
                raw_body,
                crate::razorpay::SECRET_FIELDS,
            )?,
        },
    };
    Ok(event)
}
