//! Payment link webhooks. Razorpay's `payment_link.cancelled` and
//! `payment_link.expired` decode into their typed events with the customer
//! masked and a dedup key from the signed body; a `payment_link.paid`
//! without its order and payment is passed on as JSON. Cashfree's
//! `PAYMENT_LINK_EVENT`, whose `data` is the link itself, decodes with its
//! amounts exact (the page quotes them) and one dedup key per part paid.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use paygen::webhooks::{cashfree, razorpay};

const RAZORPAY_WEBHOOK_SECRET: &str = "payment-links-webhook-secret";

/// A payment link webhook, as Razorpay's payment links webhook page shapes it.
fn payment_link_webhook(event: &str, status: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "entity": "event",
        "account_id": "acc_BFQ7uQEaa7j2z7",
        "event": event,
        "contains": ["payment_link"],
        "payload": {"payment_link": {"entity": {
            "id": "plink_Ld5a1aJmv2Mh3D",
            "amount": 1500,
            "amount_paid": 0,
            "currency": "INR",
            "customer": {"name": "Asha Rao", "contact": "+919812345678"},
            "status": status,
            "cancelled_at": 1700000500,
            "short_url": "https://rzp.io/i/yXz0Ab1c",
        }}},
        "created_at": 1700000500,
    }))
    .unwrap()
}

#[test]
fn razorpay_payment_link_events_decode_with_the_customer_masked() {
    let cancelled = payment_link_webhook("payment_link.cancelled", "cancelled");
    let signature = razorpay::webhook_signature(&cancelled, RAZORPAY_WEBHOOK_SECRET);
    let event = razorpay::verify_webhook(&cancelled, &signature, RAZORPAY_WEBHOOK_SECRET).unwrap();
    match &event {
        razorpay::Event::PaymentLinkCancelled(link) => {
            assert_eq!(link.status, paygen::razorpay::PaymentLinkStatus::Cancelled);
            assert_eq!(link.cancelled_at, Some(1_700_000_500));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        event.dedup_key(),
        "payment_link.cancelled:plink_Ld5a1aJmv2Mh3D"
    );
    assert!(!format!("{event:?}").contains("9812345678"), "{event:?}");

    let expired = razorpay::decode_event(&payment_link_webhook("payment_link.expired", "expired"));
    assert!(
        matches!(&expired, Ok(razorpay::Event::PaymentLinkExpired(l)) if l.status == paygen::razorpay::PaymentLinkStatus::Expired),
        "{expired:?}"
    );
    // `payment_link.paid` names the order and payment too; without them it
    // is passed on as JSON rather than guessed at.
    let paid = razorpay::decode_event(&payment_link_webhook("payment_link.paid", "paid")).unwrap();
    assert!(
        matches!(&paid, razorpay::Event::Other { event, .. } if event == "payment_link.paid"),
        "{paid:?}"
    );
}

const CASHFREE_SECRET: &str = "cfsk_ma_link_secret";

fn cashfree_link_event(body: &[u8]) -> Result<cashfree::Event, cashfree::WebhookError> {
    let timestamp = "1685592672000";
    let signature = cashfree::webhook_signature(body, timestamp, CASHFREE_SECRET);
    cashfree::verify_webhook(
        body,
        timestamp,
        &signature,
        CASHFREE_SECRET,
        cashfree::DEFAULT_TOLERANCE,
        UNIX_EPOCH + Duration::from_millis(1_685_592_672_000),
    )
}

fn cashfree_fixture() -> serde_json::Value {
    let path =
        paygen_codegen::workspace_root().join("tests/fixtures/webhooks/cashfree_payment_link.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_cashfree_link_paid_in_part_decodes_with_its_order_and_exact_amounts() {
    let body = serde_json::to_vec(&cashfree_fixture()).unwrap();
    let event = cashfree_link_event(&body).unwrap();
    let cashfree::Event::PaymentLink { link, event_time } = &event else {
        panic!("{event:?}");
    };
    assert_eq!(
        link.link_status,
        paygen::cashfree::LinkStatus::PartiallyPaid
    );
    assert_eq!(link.link_amount.to_string(), "1499.00");
    assert_eq!(
        link.link_amount_paid.map(|d| d.to_string()).as_deref(),
        Some("500.00")
    );
    let order = link.order.as_ref().expect("a payment names its order");
    assert_eq!(order.order_id, "CFPay_k2x9p0aa7d1q_a81d0c");
    assert_eq!(order.transaction_id, Some(3_318_204));
    assert_eq!(event_time.as_deref(), Some("2023-06-01T09:41:12+05:30"));
    assert_eq!(
        event.dedup_key(),
        "PAYMENT_LINK_EVENT:gym_june_0142:PARTIALLY_PAID:500.00"
    );
    // The customer's phone number is a secret, in `Debug` and on a queue.
    assert!(!format!("{event:?}").contains("9811111111"), "{event:?}");
    let queued = serde_json::to_string(&event).unwrap();
    assert!(!queued.contains("9811111111"), "{queued}");
    let back: cashfree::Event = serde_json::from_str(&queued).unwrap();
    assert_eq!(back.dedup_key(), event.dedup_key());
}

#[test]
fn each_part_of_a_cashfree_link_is_its_own_event_and_a_cancelled_link_has_no_order() {
    let mut paid = cashfree_fixture();
    paid["data"]["link_status"] = "PAID".into();
    paid["data"]["link_amount_paid"] = "1499.00".into();
    let paid = cashfree_link_event(&serde_json::to_vec(&paid).unwrap()).unwrap();
    assert_eq!(
        paid.dedup_key(),
        "PAYMENT_LINK_EVENT:gym_june_0142:PAID:1499.00"
    );

    let mut cancelled = cashfree_fixture();
    cancelled["data"]["link_status"] = "CANCELLED".into();
    cancelled["data"]["link_amount_paid"] = 0.into();
    cancelled["data"].as_object_mut().unwrap().remove("order");
    let cancelled = cashfree_link_event(&serde_json::to_vec(&cancelled).unwrap()).unwrap();
    match &cancelled {
        cashfree::Event::PaymentLink { link, .. } => {
            assert_eq!(link.link_status, paygen::cashfree::LinkStatus::Cancelled);
            assert!(link.order.is_none());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        cancelled.dedup_key(),
        "PAYMENT_LINK_EVENT:gym_june_0142:CANCELLED:0"
    );
}

#[test]
fn a_cashfree_link_event_without_its_link_is_a_decode_error_not_another_event() {
    let mut body = cashfree_fixture();
    body["data"].as_object_mut().unwrap().remove("link_id");
    let error = cashfree_link_event(&serde_json::to_vec(&body).unwrap()).unwrap_err();
    assert!(error.to_string().contains("link_id"), "{error}");
    // A tampered body fails on its signature before anything is decoded.
    let body = serde_json::to_vec(&cashfree_fixture()).unwrap();
    let signature = cashfree::webhook_signature(&body, "1685592672000", "another secret");
    assert!(cashfree::verify_webhook(
        &body,
        "1685592672000",
        &signature,
        CASHFREE_SECRET,
        cashfree::DEFAULT_TOLERANCE,
        SystemTime::now(),
    )
    .is_err());
}
