//! Webhooks an imported OpenAPI 3.1 file lists (`tests/fixtures/imported/`):
//! one enum per file, decoded by name into the bodies' types, beside a
//! client's operations or in a file of webhooks alone.

use serde_json::json;

/// OpenAPI 3.1 `webhooks` (eurocard's, beside its operations) are one enum,
/// a variant per webhook with its body typed; the one posted as XML is
/// skipped with its reason (see the import snapshot).
#[test]
fn an_openapi_3_1_files_webhooks_decode_by_name_into_their_types() {
    use paygen_tests::imported::eurocard::{self, Webhook};
    assert_eq!(Webhook::NAMES, ["paymentAuthorised", "refund.failed"]);
    let body = br#"{"pspReference": "993617895204576J", "resultCode": "Authorised",
        "amount": {"currency": "EUR", "value": 1000}}"#;
    let Webhook::PaymentAuthorised(payment) = Webhook::decode("paymentAuthorised", body).unwrap()
    else {
        panic!("not the payment webhook")
    };
    assert_eq!(
        payment.result_code,
        Some(eurocard::PaymentResponseResultCode::Authorised)
    );
    // An inline body is a type of its own, named after the webhook.
    let failed = Webhook::decode(
        "refund.failed",
        br#"{"pspReference": "R1", "reason": null, "amount": {"currency": "EUR", "value": 50}}"#,
    )
    .unwrap();
    assert_eq!(failed.name(), "refund.failed");
    let Webhook::RefundFailed(refund) = failed else {
        panic!("not the refund webhook")
    };
    let eurocard::RefundFailedWebhook {
        psp_reference,
        amount,
        ..
    } = *refund;
    assert_eq!(
        (psp_reference.as_str(), amount.map(|a| a.value)),
        ("R1", Some(50))
    );
    // A body that is not the documented JSON is an error naming where, not
    // a variant with holes.
    let error = Webhook::decode("refund.failed", br#"{"reason": "x"}"#).unwrap_err();
    assert!(matches!(error, paygen::WebhookError::Body(_)), "{error}");
    assert!(error.to_string().contains("pspReference"), "{error}");
}

/// A file of webhooks alone (eurohooks: no server, no security requirement,
/// like the notification files acquirers publish) generates its types and
/// the webhook enum, and no client: nothing is called.
#[test]
fn a_file_of_webhooks_alone_generates_its_events_and_no_client() {
    use paygen_tests::imported::eurohooks::{
        DisputeEventNotificationStatus, DisputeNotificationRequestType, Webhook,
    };
    let body = br#"{"type": "balancePlatform.dispute.created", "environment": "test",
        "data": {"id": "D1", "status": "open", "shopperEmail": "a@example.com",
                 "disputedAmount": {"currency": "EUR", "value": 1200}}}"#;
    let event = Webhook::decode("balancePlatform.dispute.created", body).unwrap();
    let Webhook::BalancePlatformDisputeCreated(request) = &event else {
        panic!("not the dispute webhook: {event:?}")
    };
    assert_eq!(
        request.r#type,
        DisputeNotificationRequestType::BalancePlatformDisputeCreated
    );
    assert_eq!(
        request.data.status,
        Some(DisputeEventNotificationStatus::Open)
    );
    // The secret field is masked in `Debug`, and in what a queue holds.
    assert!(!format!("{event:?}").contains("a@example.com"), "{event:?}");
    let queued = serde_json::to_value(&event).unwrap();
    assert_eq!(queued["kind"], "balancePlatform.dispute.created");
    assert!(!queued.to_string().contains("a@example.com"), "{queued}");
    // A name the file does not list is kept whole, masked in `Debug`, and
    // reads back from a queue masked the same way.
    let other = Webhook::decode(
        "balancePlatform.dispute.closed",
        br#"{"data": {"shopperEmail": "b@example.com"}}"#,
    )
    .unwrap();
    let Webhook::Other { name, raw } = &other else {
        panic!("not kept whole: {other:?}")
    };
    assert_eq!(name, "balancePlatform.dispute.closed");
    assert_eq!(raw.json()["data"]["shopperEmail"], "b@example.com");
    assert!(!format!("{other:?}").contains("b@example.com"), "{other:?}");
    let back: Webhook = serde_json::from_value(
        json!({"kind": "Other", "data": {"name": "x", "raw": {"shopperEmail": "c@example.com"}}}),
    )
    .unwrap();
    assert!(!format!("{back:?}").contains("c@example.com"), "{back:?}");
    // No client module was generated for it.
    let generated = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/imported/eurohooks");
    assert!(generated.join("gateway.rs").exists());
    assert!(!generated.join("client.rs").exists());
}
