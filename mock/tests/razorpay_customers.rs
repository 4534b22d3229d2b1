//! Razorpay's customers in paygen-mock: one exists only once created, holds
//! what was sent and nothing of the page's example, is edited in place, is
//! listed, and a second customer with the same email and contact is refused
//! (or, with `fail_existing` `0`, answered with the first).

mod support;

use paygen::razorpay;
use support::{razorpay_mock, razorpay_says, refused};

#[tokio::test]
async fn a_customer_is_created_read_edited_and_listed() {
    let (_mock, client) = razorpay_mock().await;
    let unknown = client
        .fetch_customer(&razorpay::FetchCustomerParams::new("cust_nobodymadeit"))
        .await;
    assert_eq!(
        razorpay_says(refused(unknown)),
        (400, "The id provided does not exist".to_owned())
    );

    let request = razorpay::CreateCustomerRequest::default()
        .with_name("Asha Rao")
        .with_contact("+919812345678");
    let created = client.create_customer(&request).await.unwrap();
    assert!(created.id.starts_with("cust_"), "{}", created.id);
    assert_eq!(created.name.as_deref(), Some("Asha Rao"));
    // Nothing of the page's example: no email, no GST number, no notes.
    assert_eq!(
        (created.email.as_deref(), created.gstin.as_deref()),
        (None, None)
    );
    assert_eq!(created.notes, Some(serde_json::json!([])));

    let fetched = client
        .fetch_customer(&razorpay::FetchCustomerParams::new(created.id.clone()))
        .await
        .unwrap();
    assert_eq!(fetched, created);

    let edited = client
        .edit_customer(
            &razorpay::EditCustomerRequest::default().with_email("asha.rao@example.com"),
            &razorpay::EditCustomerParams::new(created.id.clone()),
        )
        .await
        .unwrap();
    assert_eq!(edited.email.as_deref(), Some("asha.rao@example.com"));
    assert_eq!(edited.name.as_deref(), Some("Asha Rao"), "left as it was");
    let again = client
        .fetch_customer(&razorpay::FetchCustomerParams::new(created.id.clone()))
        .await
        .unwrap();
    assert_eq!(again, edited, "the edit is kept");

    let other = client
        .create_customer(&razorpay::CreateCustomerRequest::default().with_name("Ravi Menon"))
        .await
        .unwrap();
    let page = client.list_customers(&Default::default()).await.unwrap();
    let ids: Vec<&str> = page.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [other.id.as_str(), created.id.as_str()],
        "newest first"
    );
    let second = client
        .list_customers(
            &razorpay::ListCustomersParams::default()
                .with_count(1)
                .with_skip(1),
        )
        .await
        .unwrap();
    assert_eq!(second.items.len(), 1);
    assert_eq!(second.items[0].id, created.id);
}

#[tokio::test]
async fn a_customer_with_the_same_details_is_refused_unless_fail_existing_is_0() {
    let (_mock, client) = razorpay_mock().await;
    let request = razorpay::CreateCustomerRequest::default()
        .with_name("Asha Rao")
        .with_email("asha.rao@example.com")
        .with_contact("+919812345678");
    let first = client.create_customer(&request).await.unwrap();
    assert_eq!(
        razorpay_says(refused(client.create_customer(&request).await)),
        (400, "Customer already exists for the merchant".to_owned())
    );
    let existing = client
        .create_customer(
            &request
                .clone()
                .with_fail_existing(razorpay::CreateCustomerRequestFailExisting::V0),
        )
        .await
        .unwrap();
    assert_eq!(existing.id, first.id);
    let page = client.list_customers(&Default::default()).await.unwrap();
    assert_eq!(page.count, 1, "no second customer");
}

#[tokio::test]
async fn a_customer_cannot_be_edited_into_another_ones_details() {
    let (_mock, client) = razorpay_mock().await;
    let make = |email: &str| {
        razorpay::CreateCustomerRequest::default()
            .with_email(email)
            .with_contact("+919812345678")
    };
    client
        .create_customer(&make("a@example.com"))
        .await
        .unwrap();
    let b = client
        .create_customer(&make("b@example.com"))
        .await
        .unwrap();
    let clash = client
        .edit_customer(
            &razorpay::EditCustomerRequest::default().with_email("a@example.com"),
            &razorpay::EditCustomerParams::new(b.id.clone()),
        )
        .await;
    assert_eq!(
        razorpay_says(refused(clash)),
        (400, "Customer already exists for the merchant".to_owned())
    );
}
