//! Cashfree's customers in paygen-mock: each registration is a new customer
//! with a fresh `customer_uid`, holding only what was sent, its phone number
//! a secret; a phone number that is not ten characters is refused before it
//! is sent.

mod support;

use paygen::cashfree;
use support::cashfree_mock;

#[tokio::test]
async fn a_customer_is_registered_with_what_was_sent() {
    let (mock, client) = cashfree_mock().await;
    let mut asha = cashfree::CreateCustomerRequest::new("9812345678");
    asha.customer_name = Some("Asha Rao".into());
    let params = cashfree::CreateCustomerParams::default();
    let first = client.create_customer(&asha, &params).await.unwrap();
    assert!(
        first.customer_uid.starts_with("cfcustom_"),
        "{}",
        first.customer_uid
    );
    assert_eq!(first.customer_name.as_deref(), Some("Asha Rao"));
    assert_eq!(first.customer_email, None, "nothing that was not sent");
    assert_eq!(
        first.customer_phone.as_ref().map(|p| p.expose().to_owned()),
        Some("9812345678".to_owned())
    );
    assert!(!format!("{first:?}").contains("9812345678"));
    let second = client.create_customer(&asha, &params).await.unwrap();
    assert_ne!(second.customer_uid, first.customer_uid);
    // The log masks the phone number too.
    let logged = mock.requests();
    assert!(logged
        .iter()
        .all(|r| r.body["customer_phone"] == serde_json::json!("***")));

    let short = cashfree::CreateCustomerRequest::new("98123");
    assert!(paygen::Validate::validate(&short).is_err());
}
