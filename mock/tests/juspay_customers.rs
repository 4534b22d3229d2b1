//! Juspay's customers in paygen-mock: a customer exists only once created,
//! is found by Juspay's id or yours, holds what was sent, is updated in place,
//! and carries a client token only when one is asked for; a second customer
//! with the same `object_reference_id` is refused.

mod support;

use paygen::juspay;
use support::{juspay_mock, refused};

fn get(id: &str) -> juspay::GetCustomerParams {
    juspay::GetCustomerParams::builder()
        .customer_id(id)
        .x_routing_id("asha-rao-42")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_customer_is_created_found_by_either_id_and_updated() {
    let (_mock, client) = juspay_mock().await;
    let (status, body) = refused(client.get_customer(&get("cst_nobodymadeit")).await);
    assert_eq!(status, 404);
    assert_eq!(body.error_code.as_deref(), Some("object_not_found"));

    let request =
        juspay::CreateCustomerRequest::new("asha-rao-42", "9812345678").with_first_name("Asha");
    let created = client
        .create_customer(&request, &juspay::CreateCustomerParams::new("asha-rao-42"))
        .await
        .unwrap();
    assert!(created.id.starts_with("cst_"), "{}", created.id);
    assert_eq!(created.object_reference_id.as_deref(), Some("asha-rao-42"));
    assert_eq!(created.first_name.as_deref(), Some("Asha"));
    // Nothing of the page's example: no last name, no email, no token unasked.
    assert_eq!(
        (
            created.last_name.as_deref(),
            created.email_address.as_deref()
        ),
        (None, None)
    );
    assert_eq!(created.juspay, None);
    assert!(
        !format!("{created:?}").contains("9812345678"),
        "the phone number stays out of Debug"
    );

    let by_id = client.get_customer(&get(&created.id)).await.unwrap();
    let by_reference = client.get_customer(&get("asha-rao-42")).await.unwrap();
    assert_eq!(by_id, created);
    assert_eq!(by_reference, created);

    let updated = client
        .update_customer(
            &juspay::UpdateCustomerRequest::default().with_email_address("asha@example.com"),
            &juspay::UpdateCustomerParams::builder()
                .customer_id("asha-rao-42")
                .x_routing_id("asha-rao-42")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(updated.email_address.as_deref(), Some("asha@example.com"));
    assert_eq!(
        updated.first_name.as_deref(),
        Some("Asha"),
        "left as it was"
    );
    assert_eq!(
        client.get_customer(&get(&created.id)).await.unwrap(),
        updated
    );
}

#[tokio::test]
async fn a_client_token_comes_only_when_asked_and_is_not_kept() {
    let (_mock, client) = juspay_mock().await;
    let request = juspay::CreateCustomerRequest::new("ravi-menon-7", "9800000001")
        .with_options_get_client_auth_token(true);
    let created = client
        .create_customer(&request, &juspay::CreateCustomerParams::new("ravi-menon-7"))
        .await
        .unwrap();
    let token = created.juspay.clone().expect("asked for");
    let token = token.client_auth_token.expect("a token");
    assert!(token.expose().starts_with("tkn_"), "{}", token.expose());
    assert!(
        !format!("{created:?}").contains(token.expose()),
        "the token stays out of Debug"
    );

    let plain = client.get_customer(&get(&created.id)).await.unwrap();
    assert_eq!(
        plain.juspay, None,
        "the token is not kept with the customer"
    );
    let mut asking = get(&created.id);
    asking.options_get_client_auth_token = Some(true);
    let fresh = client.get_customer(&asking).await.unwrap();
    assert!(fresh
        .juspay
        .is_some_and(|j| j.client_auth_token_expiry.is_some()));
}

#[tokio::test]
async fn a_second_customer_with_the_same_reference_is_refused() {
    let (_mock, client) = juspay_mock().await;
    let request = juspay::CreateCustomerRequest::new("meera-iyer-9", "9811111111");
    let params = juspay::CreateCustomerParams::new("meera-iyer-9");
    client.create_customer(&request, &params).await.unwrap();
    let (status, body) = refused(client.create_customer(&request, &params).await);
    assert_eq!(status, 400);
    assert_eq!(
        body.error_message.as_deref(),
        Some("a customer with object_reference_id meera-iyer-9 already exists")
    );
}

#[tokio::test]
async fn the_client_refuses_a_short_reference_before_sending() {
    let (mock, client) = juspay_mock().await;
    let request = juspay::CreateCustomerRequest::new("short", "9811111111");
    match client
        .create_customer(&request, &juspay::CreateCustomerParams::new("short"))
        .await
    {
        Err(paygen::Error::Validation(report)) => {
            assert!(
                report.to_string().contains("object_reference_id"),
                "{report}"
            )
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(mock.requests().is_empty(), "nothing was sent");
}
