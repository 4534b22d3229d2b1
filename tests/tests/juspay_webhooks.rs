//! Juspay's webhooks: the HTTP Basic credentials checked in constant time
//! (an empty password, another scheme, bad base64 and wrong credentials each
//! refused), order and mandate events decoded into their types with secrets
//! masked, an event without its entity passed on whole, and dedup keys that
//! tell one refund, payment attempt or mandate event from the next.

use paygen::webhooks::juspay;
use paygen::webhooks::WebhookError;
use paygen::SignatureError;

const USERNAME: &str = "bookshop-hooks";
const PASSWORD: &str = "s3cret-webhook-pass";

fn fixture(name: &str) -> Vec<u8> {
    let path = paygen_codegen::workspace_root()
        .join("tests/fixtures/webhooks")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_fixture(name: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

fn verified(body: &[u8]) -> Result<juspay::Event, WebhookError> {
    juspay::verify_webhook(
        body,
        &juspay::authorization(USERNAME, PASSWORD),
        USERNAME,
        PASSWORD,
    )
}

#[test]
fn the_basic_credentials_juspay_sends_are_checked() {
    let good = juspay::authorization(USERNAME, PASSWORD);
    assert_eq!(
        good,
        "Basic Ym9va3Nob3AtaG9va3M6czNjcmV0LXdlYmhvb2stcGFzcw=="
    );
    assert_eq!(
        juspay::verify_authorization(&good, USERNAME, PASSWORD),
        Ok(())
    );
    // The scheme is case-insensitive, as HTTP says; spaces around are trimmed.
    let lower = format!(" basic {}", good.trim_start_matches("Basic "));
    assert_eq!(
        juspay::verify_authorization(&lower, USERNAME, PASSWORD),
        Ok(())
    );
    for (header, username, password) in [
        (
            juspay::authorization(USERNAME, "another"),
            USERNAME,
            PASSWORD,
        ),
        (
            juspay::authorization("someone", PASSWORD),
            USERNAME,
            PASSWORD,
        ),
        // A prefix of the password, or the password with more after it.
        (
            juspay::authorization(USERNAME, "s3cret"),
            USERNAME,
            PASSWORD,
        ),
        (
            juspay::authorization(USERNAME, &format!("{PASSWORD}x")),
            USERNAME,
            PASSWORD,
        ),
        // The colon belongs between them: `a:bc` is not `ab:c`.
        (
            juspay::authorization("bookshop-hooks:s3cret", "-webhook-pass"),
            USERNAME,
            PASSWORD,
        ),
    ] {
        assert_eq!(
            juspay::verify_authorization(&header, username, password),
            Err(SignatureError::Mismatch),
            "{header}"
        );
    }
    assert_eq!(
        juspay::verify_authorization(&good, USERNAME, ""),
        Err(SignatureError::EmptySecret),
        "an empty password is never compared"
    );
    assert_eq!(
        juspay::verify_authorization(&juspay::authorization(USERNAME, ""), USERNAME, ""),
        Err(SignatureError::EmptySecret),
    );
    for header in [
        "",
        "Basic",
        "Bearer Ym9va3Nob3AtaG9va3M6czNjcmV0LXdlYmhvb2stcGFzcw==",
    ] {
        assert_eq!(
            juspay::verify_authorization(header, USERNAME, PASSWORD),
            Err(SignatureError::Malformed("HTTP Basic credentials")),
            "{header:?}"
        );
    }
    assert_eq!(
        juspay::verify_authorization("Basic not base64!", USERNAME, PASSWORD),
        Err(SignatureError::Malformed("base64"))
    );
    // Nothing is decoded from a delivery whose credentials are wrong.
    let refused = juspay::verify_webhook(
        b"not even json",
        &juspay::authorization(USERNAME, "another"),
        USERNAME,
        PASSWORD,
    );
    assert!(
        matches!(
            refused,
            Err(WebhookError::Signature(SignatureError::Mismatch))
        ),
        "{refused:?}"
    );
}

#[test]
fn an_order_refunded_event_decodes_with_the_phone_masked() {
    let event = verified(&fixture("juspay_order_refunded.json")).unwrap();
    let juspay::Event::OrderRefunded(order) = &event else {
        panic!("{event:?}");
    };
    assert_eq!(order.order_id, "ord_pune_7731");
    assert_eq!(order.amount_refunded, Some("250.00".parse().unwrap()));
    let refunds = order.refunds.as_ref().unwrap();
    assert_eq!(refunds[0].status, paygen::juspay::RefundStatus::Success);
    assert_eq!(
        event.dedup_key(),
        "ORDER_REFUNDED:ord_pune_7731:rf_pune_7731_1=SUCCESS"
    );
    let debug = format!("{event:?}");
    assert!(!debug.contains("9822012345"), "{debug}");
    let queued = serde_json::to_string(&event).unwrap();
    assert!(!queued.contains("9822012345"), "{queued}");
    let back: juspay::Event = serde_json::from_str(&queued).unwrap();
    assert_eq!(back.dedup_key(), event.dedup_key());

    // A second refund of the same order is another event.
    let mut second = json_fixture("juspay_order_refunded.json");
    let first = second["content"]["order"]["refunds"][0].clone();
    let mut next = first.clone();
    next["unique_request_id"] = "rf_pune_7731_2".into();
    second["content"]["order"]["refunds"] = serde_json::json!([first, next]);
    let second = verified(&serde_json::to_vec(&second).unwrap()).unwrap();
    assert_eq!(
        second.dedup_key(),
        "ORDER_REFUNDED:ord_pune_7731:rf_pune_7731_1=SUCCESS,rf_pune_7731_2=SUCCESS"
    );
}

#[test]
fn each_order_event_decodes_into_its_variant_and_a_retried_payment_is_a_new_key() {
    let mut body = json_fixture("juspay_order_refunded.json");
    for (name, expected) in [
        ("ORDER_SUCCEEDED", "OrderSucceeded"),
        ("ORDER_FAILED", "OrderFailed"),
        ("TXN_CREATED", "TxnCreated"),
        ("ORDER_REFUND_FAILED", "OrderRefundFailed"),
        ("REFUND_MANUAL_REVIEW_NEEDED", "RefundManualReviewNeeded"),
    ] {
        body["event_name"] = name.into();
        let event = verified(&serde_json::to_vec(&body).unwrap()).unwrap();
        let kind = match &event {
            juspay::Event::OrderSucceeded(_) => "OrderSucceeded",
            juspay::Event::OrderFailed(_) => "OrderFailed",
            juspay::Event::TxnCreated(_) => "TxnCreated",
            juspay::Event::OrderRefunded(_) => "OrderRefunded",
            juspay::Event::OrderRefundFailed(_) => "OrderRefundFailed",
            juspay::Event::RefundManualReviewNeeded(_) => "RefundManualReviewNeeded",
            other => panic!("{other:?}"),
        };
        assert_eq!(kind, expected);
    }
    body["event_name"] = "ORDER_FAILED".into();
    let first = verified(&serde_json::to_vec(&body).unwrap()).unwrap();
    assert_eq!(
        first.dedup_key(),
        "ORDER_FAILED:ord_pune_7731:bookshop-ord_pune_7731-1"
    );
    body["content"]["order"]["txn_id"] = "bookshop-ord_pune_7731-2".into();
    let retried = verified(&serde_json::to_vec(&body).unwrap()).unwrap();
    assert_eq!(
        retried.dedup_key(),
        "ORDER_FAILED:ord_pune_7731:bookshop-ord_pune_7731-2"
    );
}

#[test]
fn a_mandate_event_decodes_with_its_token_masked_and_its_id_in_the_key() {
    let event = verified(&fixture("juspay_mandate_activated.json")).unwrap();
    let juspay::Event::Mandate {
        change,
        mandate,
        id,
    } = &event
    else {
        panic!("{event:?}");
    };
    assert_eq!(change, "ACTIVATED");
    assert_eq!(mandate.mandate_id, "mnd_7Qw2ZpLk0vX1");
    assert_eq!(
        mandate.mandate_status,
        paygen::juspay::MandateStatus::Active
    );
    assert_eq!(mandate.max_amount, Some("999.00".parse().unwrap()));
    assert_eq!(
        id.as_deref(),
        Some("evt_V2_c93be1f07a2d4d5e8f6a1b2c3d4e5f60")
    );
    assert_eq!(
        event.dedup_key(),
        "MANDATE_ACTIVATED:mnd_7Qw2ZpLk0vX1:evt_V2_c93be1f07a2d4d5e8f6a1b2c3d4e5f60"
    );
    assert!(!format!("{event:?}").contains("b4f0c2e19a7d4c8e"));

    // Without an event id, the mandate's status tells the events apart.
    let mut body = json_fixture("juspay_mandate_activated.json");
    body.as_object_mut().unwrap().remove("id");
    body["event_name"] = "MANDATE_PAUSED".into();
    body["content"]["mandate"]["mandate_status"] = "PAUSED".into();
    let paused = verified(&serde_json::to_vec(&body).unwrap()).unwrap();
    assert_eq!(paused.dedup_key(), "MANDATE_PAUSED:mnd_7Qw2ZpLk0vX1:PAUSED");
}

#[test]
fn an_event_without_its_entity_or_of_an_unknown_name_is_passed_on_whole() {
    // A mandate event whose content holds no mandate.
    let mut body = json_fixture("juspay_mandate_activated.json");
    body["content"] = serde_json::json!({"notification": {"customer_phone": "9822012345"}});
    let event = verified(&serde_json::to_vec(&body).unwrap()).unwrap();
    match &event {
        juspay::Event::Other { event: name, raw } => {
            assert_eq!(name, "MANDATE_ACTIVATED");
            assert_eq!(raw.json(), &body);
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{event:?}").contains("9822012345"));
    assert!(
        event.dedup_key().starts_with("MANDATE_ACTIVATED:sha256:"),
        "{}",
        event.dedup_key()
    );

    // A name paygen has no type for (a pre-debit notification's).
    body["event_name"] = "NOTIFICATION_SUCCEEDED".into();
    let event = verified(&serde_json::to_vec(&body).unwrap()).unwrap();
    assert!(
        matches!(&event, juspay::Event::Other { event, .. } if event == "NOTIFICATION_SUCCEEDED"),
        "{event:?}"
    );

    // An order event without its order.
    let mut body = json_fixture("juspay_order_refunded.json");
    body["content"] = serde_json::json!({});
    let event = verified(&serde_json::to_vec(&body).unwrap()).unwrap();
    assert!(
        matches!(&event, juspay::Event::Other { event, .. } if event == "ORDER_REFUNDED"),
        "{event:?}"
    );

    // A body that is not the documented JSON is an error, never an event.
    let error = verified(b"{\"event_name\": 7}").unwrap_err();
    assert!(matches!(error, WebhookError::Body(_)), "{error:?}");
}

mod properties {
    //! Whatever a sender puts in the header or the body, checking and
    //! decoding return a result, never panic, and only the exact credentials
    //! pass.

    use paygen::webhooks::{cashfree, juspay, razorpay};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn only_the_exact_credentials_pass(
            other in proptest::option::of(".{0,80}"),
            scheme in "(Basic|basic|BASIC|bAsIc)",
            pad in " {0,3}",
            user in "[a-z]{1,8}",
            pass in "[a-z0-9]{1,12}",
        ) {
            let credentials = juspay::authorization(&user, &pass);
            let exact = format!("{pad}{scheme} {}{pad}", &credentials["Basic ".len()..]);
            let given = other.unwrap_or_else(|| exact.clone());
            let passed = juspay::verify_authorization(&given, &user, &pass).is_ok();
            prop_assert_eq!(passed, given == exact, "{:?}", given);
        }

        #[test]
        fn any_body_decodes_or_is_refused_without_a_panic(body in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = juspay::decode_event(&body);
            let _ = cashfree::decode_event(&body);
            let _ = razorpay::decode_event(&body);
        }

        #[test]
        fn any_json_envelope_decodes_or_is_refused_without_a_panic(
            name in "(ORDER_SUCCEEDED|MANDATE_ACTIVATED|PAYMENT_LINK_EVENT|token\\.activated|[A-Z_.]{0,12})",
            inner in "(\\{\\}|null|1|\"x\"|\\[\\]|\\{\"order\":\\{\\}\\}|\\{\"mandate\":\\{\"mandate_id\":1\\}\\})",
        ) {
            let juspay_body = format!(r#"{{"event_name":"{name}","content":{inner}}}"#);
            let _ = juspay::decode_event(juspay_body.as_bytes());
            let cashfree_body = format!(r#"{{"type":"{name}","data":{inner}}}"#);
            let _ = cashfree::decode_event(cashfree_body.as_bytes());
            let razorpay_body = format!(r#"{{"event":"{name}","payload":{{"token":{{"entity":{inner}}}}}}}"#);
            let _ = razorpay::decode_event(razorpay_body.as_bytes());
        }
    }
}
