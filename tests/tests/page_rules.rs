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
