//! What the mock's tests share: a Razorpay, Cashfree or Juspay mock with its client,
//! a Razorpay payment (captured or authorized), and reading a refusal. Each test binary uses
//! part of it.
#![allow(dead_code)]

use paygen::{juspay, razorpay, Error, RetryPolicy};
use paygen_mock::{Happening, MockGateway};

/// A Razorpay mock, and a client of it that never retries.
pub async fn razorpay_mock() -> (MockGateway, razorpay::Client) {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1))
        .with_retry(RetryPolicy::never());
    (mock, client)
}

/// A Cashfree mock, and a client of it that never retries.
pub async fn cashfree_mock() -> (MockGateway, paygen::cashfree::Client) {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let client =
        paygen::cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1))
            .with_retry(RetryPolicy::never());
    (mock, client)
}

/// A Juspay mock, and a client of it (merchant `merchant_id`) that never retries.
pub async fn juspay_mock() -> (MockGateway, juspay::Client) {
    let mock = MockGateway::start("juspay").await.unwrap();
    let client = juspay::Client::new(mock.environment(), mock.credential(0))
        .with_merchant_id("merchant_id")
        .with_retry(RetryPolicy::never());
    (mock, client)
}

/// A Juspay order's status, read as `customer` (the routing id).
pub async fn juspay_status(
    client: &juspay::Client,
    order_id: &str,
    customer: &str,
) -> juspay::OrderStatus {
    let params = juspay::OrderStatusParams::builder()
        .order_id(order_id)
        .x_routing_id(customer)
        .build()
        .unwrap();
    client.order_status(&params).await.unwrap()
}

/// A Razorpay payment of `amount` paise, on an order of its own, after
/// `happening` (`Pay`: captured; `Authorize`: authorized): its id.
pub async fn razorpay_payment(
    mock: &MockGateway,
    client: &razorpay::Client,
    amount: i64,
    happening: Happening,
) -> String {
    let order = client
        .create_order(&razorpay::CreateOrderRequest::new(amount, "INR"))
        .await
        .unwrap();
    mock.drive(&order.id, happening).await.unwrap();
    let payments = client
        .fetch_order_payments(&razorpay::FetchOrderPaymentsParams::new(order.id))
        .await
        .unwrap();
    payments.items[0].id.clone()
}

/// A captured Razorpay payment of `amount` paise, on an order of its own: its id.
pub async fn razorpay_captured(
    mock: &MockGateway,
    client: &razorpay::Client,
    amount: i64,
) -> String {
    razorpay_payment(mock, client, amount, Happening::Pay).await
}

/// The status and the gateway's error body of a refused call.
pub fn refused<T: std::fmt::Debug, E: std::fmt::Debug>(outcome: Result<T, Error<E>>) -> (u16, E) {
    match outcome {
        Err(Error::Gateway { status, body, .. }) => (status.as_u16(), body),
        other => panic!("expected the gateway's refusal, got {other:?}"),
    }
}

/// The status and description of a Razorpay `BAD_REQUEST_ERROR`.
pub fn razorpay_says(outcome: (u16, razorpay::ErrorResponse)) -> (u16, String) {
    let (status, body) = outcome;
    assert_eq!(body.error.code, Some(razorpay::ErrorCode::BadRequestError));
    (status, body.error.description.unwrap_or_default())
}

/// A webhook endpoint that answers 200 and keeps what it receives.
pub async fn webhook_receiver() -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

/// Every Razorpay webhook `receiver` received, each verified with the
/// mock's webhook secret, in the order posted.
pub async fn razorpay_events(
    receiver: &wiremock::MockServer,
    mock: &MockGateway,
) -> Vec<paygen::webhooks::razorpay::Event> {
    let received = receiver.received_requests().await.unwrap();
    received
        .iter()
        .map(|r| {
            let signature = r
                .headers
                .get("x-razorpay-signature")
                .unwrap()
                .to_str()
                .unwrap();
            paygen::webhooks::razorpay::verify_webhook(&r.body, signature, mock.webhook_secret())
                .unwrap()
        })
        .collect()
}

/// Every Cashfree webhook `receiver` received, each verified with the
/// mock's client secret and timestamp, in the order posted.
pub async fn cashfree_events(
    receiver: &wiremock::MockServer,
    mock: &MockGateway,
) -> Vec<paygen::webhooks::cashfree::Event> {
    use paygen::webhooks::cashfree as hooks;
    let received = receiver.received_requests().await.unwrap();
    let header = |r: &wiremock::Request, name: &str| {
        r.headers.get(name).unwrap().to_str().unwrap().to_owned()
    };
    received
        .iter()
        .map(|r| {
            hooks::verify_webhook(
                &r.body,
                &header(r, "x-webhook-timestamp"),
                &header(r, "x-webhook-signature"),
                mock.credential(1),
                hooks::DEFAULT_TOLERANCE,
                std::time::SystemTime::now(),
            )
            .unwrap()
        })
        .collect()
}

/// Every Juspay webhook `receiver` received, each checked against the
/// Basic credentials the mock sends (`webhook` and its webhook secret), in
/// the order posted.
pub async fn juspay_events(
    receiver: &wiremock::MockServer,
    mock: &MockGateway,
) -> Vec<paygen::webhooks::juspay::Event> {
    use paygen::webhooks::juspay as hooks;
    let received = receiver.received_requests().await.unwrap();
    received
        .iter()
        .map(|r| {
            let authorization = r.headers.get("authorization").unwrap().to_str().unwrap();
            hooks::verify_webhook(&r.body, authorization, "webhook", mock.webhook_secret()).unwrap()
        })
        .collect()
}

/// A Juspay card transaction on `order_id`, redirecting after payment, with
/// no card yet: the caller sends a new card or a saved card's token.
pub fn juspay_card_txn(order_id: &str) -> juspay::CardTxnRequest {
    let mut txn = juspay::CardTxnRequest::builder()
        .order_id(order_id)
        .merchant_id("merchant_id")
        .build()
        .unwrap_or_else(|report| panic!("{report}"));
    txn.redirect_after_payment = true;
    txn
}

/// A Juspay card transaction on `order_id` with a new card (Asha Rao's test
/// Visa); the caller sets what it asks for (`save_to_locker`,
/// `should_create_mandate`).
pub fn juspay_new_card_txn(order_id: &str) -> juspay::CardTxnRequest {
    let mut txn = juspay_card_txn(order_id);
    txn.card_number = Some(paygen::CardNumber::new("4111111111111111"));
    txn.name_on_card = Some("Asha Rao".into());
    txn.card_exp_year = Some("30".into());
    txn.card_exp_month = Some("12".into());
    txn.card_security_code = Some("111".into());
    txn
}

/// Creates Juspay customer `id` (your `object_reference_id`).
pub async fn juspay_customer(client: &juspay::Client, id: &str) {
    client
        .create_customer(
            &juspay::CreateCustomerRequest::new(id, "9812345678"),
            &juspay::CreateCustomerParams::new(id),
        )
        .await
        .unwrap();
}
