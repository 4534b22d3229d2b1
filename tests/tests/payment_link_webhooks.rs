//! Razorpay's payment link webhooks: `payment_link.cancelled` and
//! `payment_link.expired` decode into their typed events with the customer
//! masked and a dedup key from the signed body; a `payment_link.paid`
//! without its order and payment is passed on as JSON.

use paygen::webhooks::razorpay;

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
