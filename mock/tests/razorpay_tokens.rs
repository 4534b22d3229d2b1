//! Razorpay's tokens in paygen-mock: a card payment sent with `save: 1` on an
//! order of a customer is saved as that customer's token once captured (the
//! payment names it; the token never holds the card number); the token is
//! listed, fetched and deleted only through its customer. Saving posts a
//! signed `token.activated`.

mod support;

use paygen::razorpay;
use paygen_mock::{Happening, MockGateway};
use support::{razorpay_events, razorpay_mock, razorpay_says, refused, webhook_receiver};

async fn customer(client: &razorpay::Client, name: &str) -> String {
    let request = razorpay::CreateCustomerRequest::default().with_name(name);
    client.create_customer(&request).await.unwrap().id
}

/// A card order of `customer`, its card saved when `save`, paid: its payment.
async fn paid_by_card(
    mock: &MockGateway,
    client: &razorpay::Client,
    customer: &str,
    save: bool,
) -> razorpay::Payment {
    let mut payment = razorpay::OrderPayment::builder()
        .email("asha@example.com")
        .contact("+919812345678")
        .ip("105.106.107.108")
        .method(razorpay::OrderPaymentMethod::Card)
        .build()
        .unwrap();
    payment.card = Some(
        razorpay::Card::builder()
            .number("4111111111111111")
            .name("Asha Rao")
            .expiry_month("11")
            .expiry_year("30")
            .cvv("100")
            .build()
            .unwrap(),
    );
    payment.save = Some(i64::from(save));
    let mut order = razorpay::CreateOrderRequest::new(50_000, "INR");
    order.customer_id = Some(customer.to_owned());
    order.payment = Some(payment);
    let order = client.create_order(&order).await.unwrap();
    mock.drive(&order.id, Happening::Pay).await.unwrap();
    let payments = client
        .fetch_order_payments(&razorpay::FetchOrderPaymentsParams::new(&order.id))
        .await
        .unwrap();
    payments.items[0].clone()
}

async fn tokens(client: &razorpay::Client, customer: &str) -> Vec<razorpay::Token> {
    client
        .list_customer_tokens(&razorpay::ListCustomerTokensParams::new(customer))
        .await
        .unwrap()
        .items
}

fn token_of(customer: &str, token: &str) -> razorpay::FetchCustomerTokenParams {
    razorpay::FetchCustomerTokenParams::builder()
        .customer_id(customer)
        .token_id(token)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_card_saved_by_a_captured_payment_is_the_customers_token_until_deleted() {
    let (mock, client) = razorpay_mock().await;
    let asha = customer(&client, "Asha Rao").await;
    assert!(tokens(&client, &asha).await.is_empty());

    let payment = paid_by_card(&mock, &client, &asha, true).await;
    assert_eq!(payment.customer_id.as_deref(), Some(asha.as_str()));
    let token_id = payment.token_id.clone().unwrap();

    let saved = tokens(&client, &asha).await;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].id, token_id);
    let card = saved[0].card.clone().unwrap();
    assert_eq!(
        (
            card.last4.as_deref(),
            card.network.as_deref(),
            card.name.as_deref()
        ),
        (Some("1111"), Some("Visa"), Some("Asha Rao"))
    );
    assert_eq!(
        (card.expiry_month, card.expiry_year),
        (Some(11), Some(2030))
    );
    let fetched = client
        .fetch_customer_token(&token_of(&asha, &token_id))
        .await
        .unwrap();
    assert_eq!(fetched.id, token_id);

    // Another customer cannot read it.
    let ravi = customer(&client, "Ravi Menon").await;
    let (status, _) = razorpay_says(refused(
        client
            .fetch_customer_token(&token_of(&ravi, &token_id))
            .await,
    ));
    assert_eq!(status, 400);

    // Deleted, it is gone.
    let params = razorpay::DeleteCustomerTokenParams::builder()
        .customer_id(&asha)
        .token_id(&token_id)
        .build()
        .unwrap();
    assert!(client.delete_customer_token(&params).await.unwrap().deleted);
    assert!(tokens(&client, &asha).await.is_empty());
    let (status, says) = razorpay_says(refused(
        client
            .fetch_customer_token(&token_of(&asha, &token_id))
            .await,
    ));
    assert_eq!(
        (status, says.as_str()),
        (400, "The id provided does not exist")
    );
    assert!(client.delete_customer_token(&params).await.is_err());
}

#[tokio::test]
async fn a_card_is_saved_only_when_asked_and_only_for_a_customer_that_exists() {
    let (mock, client) = razorpay_mock().await;
    let asha = customer(&client, "Asha Rao").await;
    let unsaved = paid_by_card(&mock, &client, &asha, false).await;
    assert!(unsaved.token_id.is_none());
    assert!(tokens(&client, &asha).await.is_empty());

    let (status, _) = razorpay_says(refused(
        client
            .list_customer_tokens(&razorpay::ListCustomerTokensParams::new(
                "cust_nobodymadeit",
            ))
            .await,
    ));
    assert_eq!(status, 400);
}

#[tokio::test]
async fn saving_a_card_posts_token_activated_after_the_capture() {
    use paygen::webhooks::razorpay as hooks;
    let receiver = webhook_receiver().await;
    let (mock, client) = razorpay_mock().await;
    let asha = customer(&client, "Asha Rao").await;
    mock.send_webhooks_to(&receiver.uri());
    let payment = paid_by_card(&mock, &client, &asha, true).await;
    let token_id = payment.token_id.unwrap();

    let events = razorpay_events(&receiver, &mock).await;
    let names: Vec<String> = events
        .iter()
        .map(|e| e.dedup_key().split(':').next().unwrap().to_owned())
        .collect();
    let captured = names.iter().position(|n| n == "payment.captured");
    let activated = names.iter().position(|n| n == "token.activated");
    assert!(captured < activated && captured.is_some(), "{names:?}");
    let hooks::Event::Token {
        change,
        token,
        created_at,
    } = &events[activated.unwrap()]
    else {
        unreachable!()
    };
    assert_eq!(change, "activated");
    assert_eq!(token.id, token_id);
    assert_eq!(token.customer_id.as_deref(), Some(asha.as_str()));
    assert_eq!(token.status.as_deref(), Some("active"));
    assert_eq!(token.card.as_ref().unwrap().last4.as_deref(), Some("1111"));
    assert_eq!(
        events[activated.unwrap()].dedup_key(),
        format!("token.activated:{token_id}:{}", created_at.unwrap())
    );
    // The card number was never kept, so it cannot be sent.
    assert!(!format!("{events:?}").contains("4111111111111111"));

    // A payment that did not ask to save its card posts no token event.
    let before = receiver.received_requests().await.unwrap().len();
    paid_by_card(&mock, &client, &asha, false).await;
    let after = razorpay_events(&receiver, &mock).await;
    assert!(after[before..]
        .iter()
        .all(|e| !matches!(e, hooks::Event::Token { .. })));
}
