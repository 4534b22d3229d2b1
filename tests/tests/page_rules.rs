//! What the pages state about a value's shape is checked before sending
//! (`format: uuid`), and what the pages show gateways sending decodes.

use paygen::{cashfree, Validate};

fn pay(offer: &str) -> cashfree::PayOrderRequest {
    let upi = cashfree::UpiMethod::new(cashfree::UpiChannel::Link);
    let mut pay =
        cashfree::PayOrderRequest::new("session_1", cashfree::PayOrderPaymentMethod::Upi(upi));
    pay.offer_id = Some(offer.into());
    pay
}

#[test]
fn a_uuid_is_checked_before_sending() {
    assert!(pay("faa6cc05-d1e2-401c-b0cf-0c9db3ff0f0b")
        .validate()
        .is_ok());
    assert!(pay("FAA6CC05-D1E2-401C-B0CF-0C9DB3FF0F0B")
        .validate()
        .is_ok());
    let report = pay("offer-10-percent").validate().unwrap_err();
    let paths: Vec<String> = report.iter().map(|v| v.path.clone()).collect();
    assert_eq!(paths, ["offer_id"]);
    assert!(
        pay("faa6cc05d1e2401cb0cf0c9db3ff0f0b").validate().is_err(),
        "without hyphens"
    );
}

#[tokio::test]
async fn an_answer_that_does_not_decode_names_the_field() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "id": "order_1", "entity": "order", "amount": "fifty", "amount_paid": 0,
                "amount_due": 0, "currency": "INR", "status": "created", "attempts": 0,
                "created_at": 1
            })),
        )
        .mount(&server)
        .await;
    let client = paygen_tests::support::razorpay_client(&server.uri());
    let error = client
        .create_order(&paygen::razorpay::CreateOrderRequest::new(50_000, "INR"))
        .await
        .unwrap_err();
    match error {
        paygen::Error::Decode { source, status, .. } => {
            assert_eq!(status, 200);
            assert_eq!(source.path(), "amount");
            assert!(!source.to_string().contains("fifty"), "{source}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_error_body_that_does_not_decode_names_the_field_too() {
    // Razorpay's error body, its `step` a number where the page shows text.
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(400).set_body_json(serde_json::json!({
                "error": {"code": "BAD_REQUEST_ERROR", "description": "bad", "step": 9876543210_i64}
            })),
        )
        .mount(&server)
        .await;
    let client = paygen_tests::support::razorpay_client(&server.uri());
    let error = client
        .create_order(&paygen::razorpay::CreateOrderRequest::new(50_000, "INR"))
        .await
        .unwrap_err();
    match error {
        paygen::Error::Decode {
            source,
            status,
            raw,
            ..
        } => {
            assert_eq!(status, 400);
            assert_eq!(source.path(), "error.step");
            assert!(!source.to_string().contains("9876543210"), "{source}");
            assert!(!raw.is_empty(), "the raw body is kept");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_name_the_pages_spell_two_ways_decodes_either_way() {
    // The eligibility page's prose says `layout.subtext`; its JSON, `sub_text`.
    for key in ["sub_text", "subtext"] {
        let layout: paygen::juspay::CredLayout =
            serde_json::from_str(&format!(r#"{{"{key}": "unlock rewards"}}"#)).unwrap();
        assert_eq!(layout.sub_text.as_deref(), Some("unlock rewards"), "{key}");
    }
}

#[test]
fn a_refund_webhooks_ids_decode_as_numbers_or_as_text() {
    // The refund webhook page sends numbers; the refund API, text.
    for (refund, payment) in [
        ("11325632", "789727431"),
        (r#""11325632""#, r#""789727431""#),
    ] {
        let json = format!(
            r#"{{"cf_refund_id": {refund}, "cf_payment_id": {payment}, "refund_id": "r_1", "refund_status": "SUCCESS"}}"#
        );
        let decoded: cashfree::WebhookRefund = serde_json::from_str(&json).unwrap();
        let text = |id: &cashfree::RefundId| match id {
            cashfree::RefundId::Text(t) => t.clone(),
            cashfree::RefundId::Integer(n) => n.to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(text(&decoded.cf_refund_id), "11325632");
        assert!(decoded.cf_payment_id.is_some());
    }
}
