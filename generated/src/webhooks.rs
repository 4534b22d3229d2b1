//! Verifying what gateways send back: Razorpay's payment callback and
//! webhooks, Cashfree's webhooks, and what every gateway's webhooks share
//! (from `paygen-runtime`).
//!
//! Always verify the raw request body, byte for byte as received. Parsing the
//! JSON and serializing it again changes spacing, key order or number format,
//! and the signature no longer matches (or, worse, a check written that way
//! ends up verifying something other than what was sent).

pub use paygen_runtime::webhooks::*;

#[cfg(feature = "razorpay")]
pub mod razorpay {
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
        let json = crate::JsonValue::deserialize(deserializer)?;
        Ok(Payload::new(json, crate::razorpay::SECRET_FIELDS))
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
        /// happens once to an entity; for any other event, its name and the
        /// SHA-256 of the delivery's JSON. A delivery sent again, by Razorpay
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
        let crate::razorpay::WebhookEvent { event, payload, .. } =
            paygen_runtime::decode::decode_json(raw_body).map_err(WebhookError::Body)?;
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
            (Name::TransferFailed, _, Some(transfer)) => {
                return Ok(Event::TransferFailed(transfer))
            }
            _ => {}
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
            (Name::OrderPaid, Some(payment), Some(order), ..) => {
                Event::OrderPaid { order, payment }
            }
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
            (Name::PaymentLinkCancelled, _, _, _, Some(link), _) => {
                Event::PaymentLinkCancelled(link)
            }
            (name, ..) => Event::Other {
                event: name.as_str().to_owned(),
                raw: Payload::new(
                    serde_json::from_slice(raw_body)?,
                    crate::razorpay::SECRET_FIELDS,
                ),
            },
        };
        Ok(event)
    }
}

#[cfg(feature = "cashfree")]
pub mod cashfree {
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
        use serde::Deserialize as _;
        let json = crate::JsonValue::deserialize(deserializer)?;
        Ok(Payload::new(json, crate::cashfree::SECRET_FIELDS))
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
    /// refund, dispute and settlement events into their types, any other as JSON masked in
    /// `Debug` by the fields the Cashfree specs mark secret.
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
        /// `DISPUTE_CLOSED:433475258:DISPUTE_MERCHANT_WON`, `SETTLEMENT_SUCCESS:738`);
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
            Type::Unknown(_) => None,
        };
        // An event whose entities are missing is passed on as it came.
        match event {
            Some(event) => Ok(event),
            None => Ok(Event::Other {
                event: r#type.as_str().to_owned(),
                raw: Payload::new(
                    serde_json::from_slice(raw_body)?,
                    crate::cashfree::SECRET_FIELDS,
                ),
            }),
        }
    }
}
