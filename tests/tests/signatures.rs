//! Callback and webhook signatures against known vectors (computed with
//! Python's `hmac` module, an implementation independent of ours), tampered
//! bodies, wrong secrets and old timestamps.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use paygen::webhooks::{cashfree, razorpay};
use paygen::SignatureError;

const RAZORPAY_KEY_SECRET: &str = "EnLs21M47BllR3X8PSFtjtbd";
const RAZORPAY_WEBHOOK_SECRET: &str = "whsec_test_razorpay";
const CASHFREE_SECRET: &str = "cfsk_ma_test_secret";

fn fixture(name: &str) -> Vec<u8> {
    let path = paygen_codegen::workspace_root()
        .join("tests/fixtures/webhooks")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn razorpay_payment_callback_signature() {
    // hmac.new(secret, b"order_IluGWxBm9U8zJ8|pay_IH4NVgf4Dreq1l", sha256).hexdigest()
    let known = "c7a6b6e37e5fb8b5387cd93cff2f9cedbf5cb78112fd50292c56b4cecb49b80d";
    assert_eq!(
        razorpay::payment_signature(
            "order_IluGWxBm9U8zJ8",
            "pay_IH4NVgf4Dreq1l",
            RAZORPAY_KEY_SECRET
        ),
        known
    );
    let callback: razorpay::PaymentCallback = serde_json::from_str(&format!(
        r#"{{"razorpay_payment_id":"pay_IH4NVgf4Dreq1l","razorpay_order_id":"order_IluGWxBm9U8zJ8","razorpay_signature":"{known}"}}"#
    ))
    .unwrap();
    assert_eq!(
        callback.verify("order_IluGWxBm9U8zJ8", RAZORPAY_KEY_SECRET),
        Ok(())
    );
    // Upper-case hex is the same signature.
    assert_eq!(
        razorpay::verify_payment(
            "order_IluGWxBm9U8zJ8",
            "pay_IH4NVgf4Dreq1l",
            &known.to_uppercase(),
            RAZORPAY_KEY_SECRET
        ),
        Ok(())
    );
    // Another order (the stored one differs from the callback's), a wrong
    // secret, a changed payment id, garbage.
    assert_eq!(
        callback.verify("order_SOMEOTHER", RAZORPAY_KEY_SECRET),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        callback.verify("order_IluGWxBm9U8zJ8", "wrong_secret"),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        razorpay::verify_payment(
            "order_IluGWxBm9U8zJ8",
            "pay_IH4NVgf4Dreq1m",
            known,
            RAZORPAY_KEY_SECRET
        ),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        razorpay::verify_payment(
            "order_IluGWxBm9U8zJ8",
            "pay_IH4NVgf4Dreq1l",
            "not-hex",
            RAZORPAY_KEY_SECRET
        ),
        Err(SignatureError::Malformed("hex"))
    );
    assert_eq!(
        razorpay::verify_payment(
            "order_IluGWxBm9U8zJ8",
            "pay_IH4NVgf4Dreq1l",
            &known[..63],
            RAZORPAY_KEY_SECRET
        ),
        Err(SignatureError::Malformed("hex"))
    );
}

#[test]
fn razorpay_error_callback_decodes() {
    let callback: razorpay::PaymentErrorCallback = serde_json::from_str(
        r#"{"error":{"code":"BAD_REQUEST_ERROR","description":"Authentication failed due to incorrect OTP","field":null,"source":"customer","step":"payment_authentication","reason":"invalid_otp","metadata":{"order_id":"order_EKwxwAgItmmXdp"}}}"#,
    )
    .unwrap();
    assert_eq!(
        callback.error.metadata.unwrap().order_id.as_deref(),
        Some("order_EKwxwAgItmmXdp")
    );
}

#[test]
fn razorpay_webhooks_verify_and_decode_typed_events() {
    let cases = [
        (
            "razorpay_payment_captured_cred.json",
            "cb9da3d3973e3763eb95a96bb050a82819b0b62ca19ccd026752926eb8948aa6",
        ),
        (
            "razorpay_payment_authorized_cred.json",
            "172c7e27d63991cbd29c0b8934d957adcad1e1f88ddbea00a5751bab7491704b",
        ),
        (
            "razorpay_order_paid.json",
            "5fed2355acab8b5b39af670f9c028037e64477cbad5524ba3b4c26f4a29acb02",
        ),
        (
            "razorpay_refund_created.json",
            "fad8b6b0b08f0ecfacac8c30983ac28356184d8caf405ddb8be1ebdafec2bbcb",
        ),
    ];
    let mut events = Vec::new();
    for (file, signature) in cases {
        let body = fixture(file);
        let event = razorpay::verify_webhook(&body, signature, RAZORPAY_WEBHOOK_SECRET)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        events.push(event);
    }
    match &events[0] {
        razorpay::Event::PaymentCaptured(payment) => {
            assert_eq!(payment.method, "app");
            assert_eq!(payment.provider.as_deref(), Some("cred"));
            assert_eq!(payment.amount, 1000);
            assert_eq!(payment.status, paygen::razorpay::PaymentStatus::Captured);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&events[1], razorpay::Event::PaymentAuthorized(p) if p.provider.as_deref() == Some("cred"))
    );
    match &events[2] {
        razorpay::Event::OrderPaid { order, payment } => {
            assert_eq!(order.status, paygen::razorpay::OrderStatus::Paid);
            assert_eq!(payment.order_id, Some(order.id.clone()));
        }
        other => panic!("{other:?}"),
    }
    match &events[3] {
        razorpay::Event::RefundCreated(refund) => {
            assert_eq!(refund.id, "rfnd_FP8QHiV938haTz");
            assert_eq!(refund.status, paygen::razorpay::RefundStatus::Pending);
        }
        other => panic!("{other:?}"),
    }
    // The contact is personal data: it does not show in Debug.
    assert!(!format!("{:?}", events[0]).contains("9900988990"));
}

#[test]
fn razorpay_webhooks_reject_tampering_and_wrong_secrets() {
    let body = fixture("razorpay_payment_captured_cred.json");
    let signature = "cb9da3d3973e3763eb95a96bb050a82819b0b62ca19ccd026752926eb8948aa6";
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("\"amount\":1000", "\"amount\":1");
    assert!(matches!(
        razorpay::verify_webhook(tampered.as_bytes(), signature, RAZORPAY_WEBHOOK_SECRET),
        Err(razorpay::WebhookError::Signature(SignatureError::Mismatch))
    ));
    // Re-serialized JSON is not the raw body: the common mistake fails.
    let reserialized =
        serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(&body).unwrap()).unwrap();
    assert_ne!(reserialized, body);
    assert!(razorpay::verify_webhook(&reserialized, signature, RAZORPAY_WEBHOOK_SECRET).is_err());
    assert!(matches!(
        razorpay::verify_webhook(&body, signature, "whsec_wrong"),
        Err(razorpay::WebhookError::Signature(SignatureError::Mismatch))
    ));
}

const CASHFREE_TIMESTAMP: &str = "1690876800000";
const CASHFREE_SIGNATURE: &str = "+YH7uz/xzEdraLo5aWdBb6yQC5NBY+uFwZMBkWnoaKg=";

fn at_millis(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

#[test]
fn cashfree_webhooks_verify_with_a_timestamp_tolerance() {
    let body = fixture("cashfree_payment_success.json");
    let now = at_millis(1_690_876_800_000 + 60_000);
    let json = cashfree::verify_webhook(
        &body,
        CASHFREE_TIMESTAMP,
        CASHFREE_SIGNATURE,
        CASHFREE_SECRET,
        cashfree::DEFAULT_TOLERANCE,
        now,
    )
    .unwrap();
    let cashfree::Event::PaymentSuccess(event) = json else {
        panic!("not a payment success: {json:?}");
    };
    assert_eq!(event.order.order_id, "order_1610009874");
    assert_eq!(
        event.payment.cf_payment_id,
        paygen::cashfree::PaymentId::Text("91235".into())
    );

    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("22.42", "2242");
    assert!(matches!(
        cashfree::verify_webhook(
            tampered.as_bytes(),
            CASHFREE_TIMESTAMP,
            CASHFREE_SIGNATURE,
            CASHFREE_SECRET,
            cashfree::DEFAULT_TOLERANCE,
            now
        ),
        Err(cashfree::WebhookError::Signature(SignatureError::Mismatch))
    ));
    assert!(matches!(
        cashfree::verify_webhook(
            &body,
            CASHFREE_TIMESTAMP,
            CASHFREE_SIGNATURE,
            "cfsk_wrong",
            cashfree::DEFAULT_TOLERANCE,
            now
        ),
        Err(cashfree::WebhookError::Signature(SignatureError::Mismatch))
    ));
    // The timestamp is signed: changing it breaks the signature.
    assert!(matches!(
        cashfree::verify_webhook(
            &body,
            "1690876800001",
            CASHFREE_SIGNATURE,
            CASHFREE_SECRET,
            cashfree::DEFAULT_TOLERANCE,
            now
        ),
        Err(cashfree::WebhookError::Signature(SignatureError::Mismatch))
    ));
}

#[test]
fn cashfree_webhooks_refuse_an_old_or_unreadable_timestamp() {
    let body = fixture("cashfree_payment_success.json");
    let now = at_millis(1_690_876_800_000 + 60_000);
    // An authentic but old delivery (a replay) is rejected; a looser tolerance accepts it.
    let later = at_millis(1_690_876_800_000 + 10 * 60_000);
    assert!(matches!(
        cashfree::verify_webhook(
            &body,
            CASHFREE_TIMESTAMP,
            CASHFREE_SIGNATURE,
            CASHFREE_SECRET,
            cashfree::DEFAULT_TOLERANCE,
            later
        ),
        Err(cashfree::WebhookError::Signature(
            SignatureError::Timestamp(_)
        ))
    ));
    assert!(cashfree::verify_webhook(
        &body,
        CASHFREE_TIMESTAMP,
        CASHFREE_SIGNATURE,
        CASHFREE_SECRET,
        Duration::from_secs(900),
        later
    )
    .is_ok());
    assert!(matches!(
        cashfree::verify_webhook(
            &body,
            "yesterday",
            CASHFREE_SIGNATURE,
            CASHFREE_SECRET,
            cashfree::DEFAULT_TOLERANCE,
            now
        ),
        Err(cashfree::WebhookError::Signature(
            SignatureError::Timestamp("not a number")
        ))
    ));
}

#[test]
fn an_empty_secret_verifies_nothing() {
    // Signatures made with an empty key (Python's hmac), as anyone could make
    // them when a service's secret variable is unset.
    let callback_signature = "95f6d3fe7af8cca8f9790102bf41571d3bb9717d55644f020d5a0cbf9034cbe5";
    assert_eq!(
        razorpay::verify_payment(
            "order_IluGWxBm9U8zJ8",
            "pay_IH4NVgf4Dreq1l",
            callback_signature,
            ""
        ),
        Err(SignatureError::EmptySecret)
    );

    let body = fixture("razorpay_order_paid.json");
    let webhook_signature = "6437c0027a1ecf1e8f579f0b94d9315fc16527536e9d12cdfc409b18a9db5547";
    assert!(matches!(
        razorpay::verify_webhook(&body, webhook_signature, ""),
        Err(razorpay::WebhookError::Signature(
            SignatureError::EmptySecret
        ))
    ));

    let body = fixture("cashfree_payment_success.json");
    assert!(matches!(
        cashfree::verify_webhook(
            &body,
            CASHFREE_TIMESTAMP,
            "bCqcLpOA4LgTpn5rCe2k57SjtJn4HLy1wNChoeB/G2o=",
            "",
            cashfree::DEFAULT_TOLERANCE,
            at_millis(1_690_876_800_000),
        ),
        Err(cashfree::WebhookError::Signature(
            SignatureError::EmptySecret
        ))
    ));
}

#[test]
fn cashfree_timestamps_in_seconds_are_read_as_seconds() {
    let body = fixture("cashfree_payment_success.json");
    // hmac(secret, b"1690876800" + body), base64: the same instant, in seconds.
    let signature = "HjhWcVaHwv1WpjrFAlPvCeC2L3EbnBvlMxzLS4YRGvY=";
    let verify = |now| {
        cashfree::verify_webhook(
            &body,
            "1690876800",
            signature,
            CASHFREE_SECRET,
            cashfree::DEFAULT_TOLERANCE,
            now,
        )
    };
    assert!(verify(at_millis(1_690_876_800_000 + 60_000)).is_ok());
    // Read as milliseconds, it would be January 1970 and refused as a replay;
    // read as seconds, ten minutes later it is one.
    assert!(matches!(
        verify(at_millis(1_690_876_800_000 + 10 * 60_000)),
        Err(cashfree::WebhookError::Signature(
            SignatureError::Timestamp(_)
        ))
    ));
}

#[test]
fn cashfree_tolerance_is_inclusive_and_applies_to_the_future_too() {
    let body = fixture("cashfree_payment_success.json");
    let sent = 1_690_876_800_000;
    let verify = |now| {
        cashfree::verify_webhook(
            &body,
            CASHFREE_TIMESTAMP,
            CASHFREE_SIGNATURE,
            CASHFREE_SECRET,
            Duration::from_secs(300),
            now,
        )
    };
    let refused = |result: Result<_, cashfree::WebhookError>| {
        matches!(
            result,
            Err(cashfree::WebhookError::Signature(
                SignatureError::Timestamp(_)
            ))
        )
    };
    // Exactly at the tolerance: accepted; a millisecond past it: refused.
    assert!(verify(at_millis(sent + 300_000)).is_ok());
    assert!(refused(verify(at_millis(sent + 300_001))));
    // A delivery dated in the future (a clock that runs ahead, or a forged
    // date on a captured body) is held to the same tolerance.
    assert!(verify(at_millis(sent - 300_000)).is_ok());
    assert!(refused(verify(at_millis(sent - 300_001))));
    assert!(refused(verify(at_millis(sent - 3_600_000))));
}

/// Signs `body` as Cashfree would at a fixed instant, and verifies it then.
fn cashfree_event(body: &[u8]) -> Result<cashfree::Event, cashfree::WebhookError> {
    let signature = cashfree::webhook_signature(body, CASHFREE_TIMESTAMP, CASHFREE_SECRET);
    cashfree::verify_webhook(
        body,
        CASHFREE_TIMESTAMP,
        &signature,
        CASHFREE_SECRET,
        cashfree::DEFAULT_TOLERANCE,
        at_millis(1_690_876_800_000),
    )
}

#[test]
fn cashfree_events_decode_into_their_types_with_secrets_masked() {
    let mut rendered = String::new();
    for name in [
        "cashfree_payment_success.json",
        "cashfree_payment_failed.json",
        "cashfree_payment_user_dropped.json",
        "cashfree_refund.json",
        "cashfree_auto_refund.json",
        "cashfree_dispute_created.json",
        "cashfree_settlement_success.json",
        "cashfree_payment_link.json",
        "cashfree_unknown_event.json",
    ] {
        let event = cashfree_event(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let kind = match &event {
            cashfree::Event::PaymentSuccess(_) => "PaymentSuccess",
            cashfree::Event::PaymentFailed(_) => "PaymentFailed",
            cashfree::Event::PaymentUserDropped(_) => "PaymentUserDropped",
            cashfree::Event::Refund(_) => "Refund",
            cashfree::Event::AutoRefund(_) => "AutoRefund",
            cashfree::Event::DisputeCreated(_) => "DisputeCreated",
            cashfree::Event::DisputeUpdated(_) => "DisputeUpdated",
            cashfree::Event::DisputeClosed(_) => "DisputeClosed",
            cashfree::Event::Settlement { .. } => "Settlement",
            cashfree::Event::PaymentLink { .. } => "PaymentLink",
            cashfree::Event::Other { .. } => "Other",
        };
        let debug = format!("{event:#?}");
        // Phone numbers are secrets: the page's samples carry one.
        assert!(!debug.contains("9908734801"), "{name}: {debug}");
        assert!(!debug.contains("9811111111"), "{name}: {debug}");
        rendered.push_str(&format!("## {name}: {kind}\n{debug}\n\n"));
    }
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_cashfree_payment_event_without_its_payment_is_passed_on_as_json() {
    let body = br#"{"type":"PAYMENT_SUCCESS_WEBHOOK","data":{"order":{"order_id":"order_1"}}}"#;
    match cashfree_event(body).unwrap() {
        cashfree::Event::Other { event, raw } => {
            assert_eq!(event, "PAYMENT_SUCCESS_WEBHOOK");
            assert_eq!(raw.json()["data"]["order"]["order_id"], "order_1");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_signed_cashfree_body_of_the_wrong_shape_is_a_body_error() {
    let body = br#"{"type":"PAYMENT_SUCCESS_WEBHOOK","data":{"payment":{"cf_payment_id":"1"}}}"#;
    // `payment_status` is on every payment: an answer without it is not Cashfree's.
    assert!(matches!(
        cashfree_event(body),
        Err(cashfree::WebhookError::Body(_))
    ));
}

#[test]
fn a_cashfree_timestamp_past_what_the_clock_holds_is_refused_not_a_panic() {
    // u64::MAX milliseconds is past what `SystemTime` holds on Windows, and
    // u64::MAX seconds past it everywhere: the sender picks the number.
    let body = fixture("cashfree_payment_success.json");
    let now = at_millis(1_690_876_800_000);
    let verify = |timestamp: &str, signature: &str| {
        cashfree::verify_webhook(
            &body,
            timestamp,
            signature,
            CASHFREE_SECRET,
            cashfree::DEFAULT_TOLERANCE,
            now,
        )
    };
    let huge = u64::MAX.to_string();
    // A forged delivery is told only that it is forged.
    assert!(matches!(
        verify(&huge, CASHFREE_SIGNATURE),
        Err(cashfree::WebhookError::Signature(SignatureError::Mismatch))
    ));
    // hmac(secret, b"18446744073709551615" + body), base64: authentic, and
    // outside any tolerance.
    let signed = "WhLjxpq0u1ZBGbfKkn2r9oyVkF6suEWeEFbLhJ64mJI=";
    assert!(matches!(
        verify(&huge, signed),
        Err(cashfree::WebhookError::Signature(
            SignatureError::Timestamp("outside the allowed tolerance")
        ))
    ));
}

/// A payment webhook whose `cf_payment_id` is `id` (JSON).
fn payment_webhook(id: &str) -> Vec<u8> {
    format!(r#"{{"data": {{"order": {{"order_id": "order_1", "order_amount": 10.34, "order_currency": "INR"}}, "payment": {{"cf_payment_id": {id}, "payment_status": "SUCCESS"}}}}, "event_time": "2023-08-01T12:00:00+05:30", "type": "PAYMENT_SUCCESS_WEBHOOK"}}"#).into_bytes()
}

#[test]
fn a_payment_id_decodes_as_text_or_as_a_number() {
    // The payment webhook page shows text; the refund webhook page, a number.
    for (id, expected) in [
        (
            r#""98765432101""#,
            paygen::cashfree::PaymentId::Text("98765432101".into()),
        ),
        (
            "98765432101",
            paygen::cashfree::PaymentId::Integer(98_765_432_101),
        ),
    ] {
        match cashfree_event(&payment_webhook(id)) {
            Ok(cashfree::Event::PaymentSuccess(paid)) => {
                assert_eq!(paid.payment.cf_payment_id, expected)
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_webhook_that_does_not_decode_names_the_field() {
    // Authenticated, then a `cf_payment_id` that is neither text nor a
    // number: the error says which field, never its value.
    let body = payment_webhook(r#"{"digits": "98765432101"}"#);
    match cashfree_event(&body) {
        Err(cashfree::WebhookError::Body(error)) => {
            assert_eq!(error.path(), "data.payment.cf_payment_id");
            let shown = error.to_string();
            assert!(
                shown.starts_with("`data.payment.cf_payment_id`: "),
                "{shown}"
            );
            assert!(!shown.contains("98765432101"), "{shown}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn dedup_keys_come_from_signed_content_so_a_replay_under_a_fresh_id_has_the_same_one() {
    // Razorpay: the event and its entity's id, all inside the signed body.
    let body = fixture("razorpay_refund_created.json");
    let signature = razorpay::webhook_signature(&body, RAZORPAY_WEBHOOK_SECRET);
    let first = razorpay::verify_webhook(&body, &signature, RAZORPAY_WEBHOOK_SECRET).unwrap();
    assert_eq!(first.dedup_key(), "refund.created:rfnd_FP8QHiV938haTz");
    // The same delivery again (a retry, or a replay with a fresh
    // `x-razorpay-event-id`, which the signature does not cover): same key.
    let again = razorpay::verify_webhook(&body, &signature, RAZORPAY_WEBHOOK_SECRET).unwrap();
    assert_eq!(again.dedup_key(), first.dedup_key());
    let captured = razorpay::decode_event(&fixture("razorpay_payment_captured_cred.json")).unwrap();
    assert!(
        captured.dedup_key().starts_with("payment.captured:pay_"),
        "{}",
        captured.dedup_key()
    );
    let order_paid = razorpay::decode_event(&fixture("razorpay_order_paid.json")).unwrap();
    assert!(order_paid.dedup_key().starts_with("order.paid:order_"));

    // An event paygen has no type for: its name and a digest of its JSON,
    // which spacing does not change and any other content does.
    let other = |body: &[u8]| razorpay::decode_event(body).unwrap().dedup_key();
    let a = other(br#"{"event":"subscription.charged","payload":{},"created_at":1}"#);
    let spaced = other(br#"{ "event": "subscription.charged", "payload": {}, "created_at": 1 }"#);
    let later = other(br#"{"event":"subscription.charged","payload":{},"created_at":2}"#);
    assert!(a.starts_with("subscription.charged:sha256:"), "{a}");
    assert_eq!(a, spaced);
    assert_ne!(a, later);

    // Cashfree: the type and the payment's id; a refund's status too.
    let success = cashfree_event(&fixture("cashfree_payment_success.json")).unwrap();
    let key = success.dedup_key();
    assert_eq!(key, "PAYMENT_SUCCESS_WEBHOOK:91235");
    // The same id sent as a number is the same key.
    let mut numeric: serde_json::Value =
        serde_json::from_slice(&fixture("cashfree_payment_success.json")).unwrap();
    numeric["data"]["payment"]["cf_payment_id"] = 91235.into();
    let numeric = cashfree_event(&serde_json::to_vec(&numeric).unwrap()).unwrap();
    assert_eq!(numeric.dedup_key(), key);
    let refund = cashfree_event(&fixture("cashfree_refund.json")).unwrap();
    let key = refund.dedup_key();
    assert!(key.starts_with("REFUND_STATUS_WEBHOOK:"), "{key}");
    assert_eq!(key.split(':').count(), 3, "type, id and status: {key}");
    let failed = cashfree_event(&fixture("cashfree_payment_failed.json")).unwrap();
    assert_ne!(failed.dedup_key(), success.dedup_key());
    let dispute = cashfree_event(&fixture("cashfree_dispute_created.json")).unwrap();
    assert_eq!(
        dispute.dedup_key(),
        "DISPUTE_CREATED:433475258:DISPUTE_CREATED"
    );
}
