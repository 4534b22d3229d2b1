//! The mock tells the truth: an id nobody created is not found, a created
//! entity holds what the request said and the gateway's initial state (no
//! example data), and every refused transition gets the gateway's own error,
//! through the generated clients.

mod support;

use paygen::{cashfree, juspay, razorpay, Decimal, RetryPolicy};
use paygen_mock::{Happening, MockGateway};
use support::{razorpay_mock, razorpay_says, refused};

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

async fn cashfree_mock() -> (MockGateway, cashfree::Client) {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1))
        .with_retry(RetryPolicy::never());
    (mock, client)
}

async fn juspay_mock() -> (MockGateway, juspay::Client) {
    let mock = MockGateway::start("juspay").await.unwrap();
    let client = juspay::Client::new(mock.environment(), mock.credential(0))
        .with_merchant_id("merchant_id")
        .with_public_key_pem(mock.public_key_pem())
        .unwrap()
        .with_retry(RetryPolicy::never());
    (mock, client)
}

#[tokio::test]
async fn razorpay_does_not_know_ids_nobody_created() {
    let (_mock, client) = razorpay_mock().await;
    let order = client
        .fetch_order(&razorpay::FetchOrderParams::new("order_nobodymadeit"))
        .await;
    assert_eq!(
        razorpay_says(refused(order)),
        (400, "The id provided does not exist".to_owned())
    );
    let payment = client
        .fetch_payment(&razorpay::FetchPaymentParams::new("pay_nobodymadeit"))
        .await;
    assert_eq!(refused(payment).0, 400);
    let refunds = client
        .fetch_payment_refunds(&razorpay::FetchPaymentRefundsParams::new(
            "pay_nobodymadeit",
        ))
        .await;
    assert_eq!(refused(refunds).0, 400);
    // A capture of 99,999,999 paise of a payment that does not exist.
    let capture = client
        .capture_payment(
            &razorpay::CaptureRequest::new(99_999_999, "INR"),
            &razorpay::CapturePaymentParams::new("pay_nobodymadeit"),
        )
        .await;
    assert_eq!(refused(capture).0, 400);
    // The lists hold nothing nobody made.
    let orders = client.list_orders(&Default::default()).await.unwrap();
    assert_eq!((orders.count, orders.items.len()), (0, 0));
}

#[tokio::test]
async fn a_bare_razorpay_order_holds_what_was_sent_and_nothing_else() {
    let (_mock, client) = razorpay_mock().await;
    let order = client
        .create_order(&razorpay::CreateOrderRequest::new(50_000, "INR"))
        .await
        .unwrap();
    assert_eq!(order.status, razorpay::OrderStatus::Created);
    assert_eq!(
        (
            order.amount,
            order.amount_paid,
            order.amount_due,
            order.attempts
        ),
        (50_000, 0, 50_000, 0)
    );
    assert_eq!(order.receipt, None, "no example receipt");
    assert!(order.payment_workflow.is_none(), "no example payment");
    assert_eq!(order.notes, Some(serde_json::json!([])), "no example notes");
    let age = paygen_now() - order.created_at;
    assert!((0..60).contains(&age), "created now, not in 2019: {age}");
    let orders = client.list_orders(&Default::default()).await.unwrap();
    assert_eq!(orders.items.len(), 1);
    assert_eq!(orders.items[0].id, order.id);
}

fn paygen_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn razorpay_refuses_what_its_lifecycle_does_not_allow() {
    let (mock, client) = razorpay_mock().await;
    // The documented minimum, INR 1.00 (the spec's `minimum_when`): the
    // client refuses first, and the mock a body any other client sends.
    let small = client
        .create_order(&razorpay::CreateOrderRequest::new(50, "INR"))
        .await;
    assert!(
        matches!(small, Err(paygen::Error::Validation(_))),
        "{small:?}"
    );
    let raw = reqwest::Client::new()
        .post(format!("{}/v1/orders", mock.url()))
        .basic_auth(mock.credential(0), Some(mock.credential(1)))
        .header("content-type", "application/json")
        .body(r#"{"amount": 50, "currency": "INR"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let said = raw.text().await.unwrap();
    assert!(
        said.contains(r#""field":"amount""#) && said.contains("at least 100"),
        "{said}"
    );
    // Another currency needs only a positive amount.
    client
        .create_order(&razorpay::CreateOrderRequest::new(50, "USD"))
        .await
        .unwrap();

    let order = client
        .create_order(&razorpay::CreateOrderRequest::new(50_000, "INR"))
        .await
        .unwrap();
    // The customer starts paying: a payment is created, not yet authorized.
    mock.drive(&order.id, Happening::Authorize).await.unwrap();
    let payments = client
        .fetch_order_payments(&razorpay::FetchOrderPaymentsParams::new(&order.id))
        .await
        .unwrap();
    let payment = payments.items[0].id.clone();
    let (client, payment) = (&client, &payment);
    let capture = |amount: i64| async move {
        client
            .capture_payment(
                &razorpay::CaptureRequest::new(amount, "INR"),
                &razorpay::CapturePaymentParams::new(payment),
            )
            .await
    };
    let refund = |amount: i64| async move {
        client
            .create_refund(
                &razorpay::CreateRefundRequest {
                    amount: Some(amount),
                    ..Default::default()
                },
                &razorpay::CreateRefundParams::new(payment),
            )
            .await
    };
    // Not captured yet: no refund.
    assert_eq!(refused(refund(100).await).0, 400);
    // Capture is for the authorized amount only.
    assert_eq!(
        razorpay_says(refused(capture(40_000).await)).1,
        "Capture amount must be equal to the amount authorized"
    );
    capture(50_000).await.unwrap();
    assert_eq!(
        razorpay_says(refused(capture(50_000).await)).1,
        "This payment has already been captured"
    );
    // Refunds up to what was captured, in parts.
    refund(30_000).await.unwrap();
    let over = refund(20_001).await;
    assert!(
        razorpay_says(refused(over)).1.contains("greater than"),
        "more than is left"
    );
    refund(20_000).await.unwrap();
    let payment = client
        .fetch_payment(&razorpay::FetchPaymentParams::new(payment))
        .await
        .unwrap();
    assert_eq!(payment.status, razorpay::PaymentStatus::Refunded);
    assert_eq!(payment.amount_refunded, Some(50_000));
    assert_eq!(refused(refund(1).await).0, 400, "nothing is left");
    // Paying a paid order again is refused, and changes nothing.
    let again = mock.drive(&order.id, Happening::Pay).await;
    assert!(again.unwrap_err().to_string().contains("paid"));
}

#[tokio::test]
async fn a_failed_razorpay_payment_is_retried_on_the_same_order() {
    let (mock, client) = razorpay_mock().await;
    let order = client
        .create_order(&razorpay::CreateOrderRequest::new(10_000, "INR"))
        .await
        .unwrap();
    mock.drive(&order.id, Happening::Fail).await.unwrap();
    let order_now = client
        .fetch_order(&razorpay::FetchOrderParams::new(&order.id))
        .await
        .unwrap();
    assert_eq!(
        (order_now.status, order_now.attempts),
        (razorpay::OrderStatus::Attempted, 1)
    );
    mock.drive(&order.id, Happening::Pay).await.unwrap();
    let payments = client
        .fetch_order_payments(&razorpay::FetchOrderPaymentsParams::new(&order.id))
        .await
        .unwrap();
    let states: Vec<_> = payments.items.iter().map(|p| p.status.clone()).collect();
    // Newest first.
    assert_eq!(
        states,
        [
            razorpay::PaymentStatus::Captured,
            razorpay::PaymentStatus::Failed
        ]
    );
    assert!(payments.items[1].error_code.is_some());
}

#[tokio::test]
async fn cashfree_does_not_know_ids_nobody_created() {
    let (_mock, client) = cashfree_mock().await;
    let (status, body) = refused(
        client
            .get_order(&cashfree::GetOrderParams::new("nope_404"))
            .await,
    );
    assert_eq!(status, 404);
    assert_eq!(body.code.as_deref(), Some("order_not_found"));
    let refunds = client
        .get_refunds_for_order(&cashfree::GetRefundsForOrderParams::new("nope_404"))
        .await;
    assert_eq!(refused(refunds).0, 404);
    let payment = client
        .get_payment(
            &cashfree::GetPaymentParams::builder()
                .order_id("nope_404")
                .cf_payment_id("123")
                .build()
                .unwrap(),
        )
        .await;
    assert_eq!(refused(payment).0, 404);
}

fn cashfree_order(id: &str, amount: &str) -> cashfree::CreateOrderRequest {
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut order = cashfree::CreateOrderRequest::new(decimal(amount), "INR", customer);
    order.order_id = Some(id.into());
    order
}

#[tokio::test]
async fn cashfree_refuses_what_its_lifecycle_does_not_allow() {
    let (mock, client) = cashfree_mock().await;
    let order = client
        .create_order(&cashfree_order("order_cf_1", "100.00"), &Default::default())
        .await
        .unwrap();
    assert_eq!(order.order_status, cashfree::OrderStatus::Active);
    assert!(order.order_note.is_none() && order.order_tags.is_none());
    // The same order id twice.
    let twice = client
        .create_order(&cashfree_order("order_cf_1", "100.00"), &Default::default())
        .await;
    assert_eq!(refused(twice).0, 409);

    let client = &client;
    let refund = |id: &'static str, amount: &'static str| async move {
        client
            .create_refund(
                &cashfree::CreateRefundRequest::new(decimal(amount), id),
                &cashfree::CreateRefundParams::new("order_cf_1"),
            )
            .await
    };
    // Unpaid: no refund.
    let (status, body) = refused(refund("refund_1", "10.00").await);
    assert_eq!(
        (status, body.code.as_deref()),
        (400, Some("order_not_paid"))
    );

    mock.drive("order_cf_1", Happening::Pay).await.unwrap();
    refund("refund_1", "60.00").await.unwrap();
    let (status, body) = refused(refund("refund_2", "40.01").await);
    assert_eq!(
        (status, body.code.as_deref()),
        (400, Some("refund_amount_exceeded"))
    );
    refund("refund_2", "40.00").await.unwrap();
    let refunds = client
        .get_refunds_for_order(&cashfree::GetRefundsForOrderParams::new("order_cf_1"))
        .await
        .unwrap();
    assert_eq!(refunds.len(), 2);
    // A paid order does not expire.
    assert!(mock.drive("order_cf_1", Happening::Expire).await.is_err());
}

#[tokio::test]
async fn a_cashfree_order_expires_or_is_terminated_and_cannot_be_paid() {
    let (mock, client) = cashfree_mock().await;
    let order = client
        .create_order(&cashfree_order("order_cf_2", "10.00"), &Default::default())
        .await
        .unwrap();
    mock.drive("order_cf_2", Happening::Expire).await.unwrap();
    let read = client
        .get_order(&cashfree::GetOrderParams::new("order_cf_2"))
        .await
        .unwrap();
    assert_eq!(read.order_status, cashfree::OrderStatus::Expired);
    let upi = cashfree::UpiMethod::new(cashfree::UpiChannel::Link);
    let pay = cashfree::PayOrderRequest::new(
        order.payment_session_id.unwrap(),
        cashfree::PayOrderPaymentMethod::Upi(upi),
    );
    let (status, body) = refused(client.pay_order(&pay, &Default::default()).await);
    assert_eq!(
        (status, body.code.as_deref()),
        (400, Some("order_not_active"))
    );
    assert!(mock.drive("order_cf_2", Happening::Pay).await.is_err());

    client
        .create_order(&cashfree_order("order_cf_3", "10.00"), &Default::default())
        .await
        .unwrap();
    mock.drive("order_cf_3", Happening::Terminate)
        .await
        .unwrap();
    let read = client
        .get_order(&cashfree::GetOrderParams::new("order_cf_3"))
        .await
        .unwrap();
    assert_eq!(read.order_status, cashfree::OrderStatus::Terminated);
}

#[tokio::test]
async fn juspay_does_not_know_orders_nobody_created() {
    let (_mock, client) = juspay_mock().await;
    let (status, body) = refused(
        client
            .order_status(
                &juspay::OrderStatusParams::builder()
                    .order_id("never_created")
                    .x_routing_id("customer_1122")
                    .build()
                    .unwrap(),
            )
            .await,
    );
    assert_eq!(status, 404);
    assert_eq!(body.error_message.as_deref(), Some("Order not found"));
}

#[tokio::test]
async fn juspay_refunds_only_a_charged_order_and_only_its_own_refunds() {
    let (mock, client) = juspay_mock().await;
    let created = client
        .create_order(
            &juspay::CreateOrderRequest::new("order_jp_1", decimal("10.00")),
            &juspay::CreateOrderParams::new("customer_1122"),
        )
        .await
        .unwrap();
    assert_eq!(created.status, "NEW");
    let status = client
        .order_status(
            &juspay::OrderStatusParams::builder()
                .order_id("order_jp_1")
                .x_routing_id("customer_1122")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(status.status, juspay::OrderStatusName::New);
    assert_eq!(
        status.refunds.as_deref(),
        Some(&[][..]),
        "no example refund"
    );
    assert!(status.txn_id.is_none() && status.payment_gateway_response.is_none());

    let client = &client;
    let refund = |id: &'static str, amount: &'static str| async move {
        client
            .refund_order(
                &juspay::RefundOrderRequest::new(id, decimal(amount)),
                &juspay::RefundOrderParams::builder()
                    .order_id("order_jp_1")
                    .x_routing_id("customer_1122")
                    .build()
                    .unwrap(),
            )
            .await
    };
    assert_eq!(refused(refund("r1", "1.00").await).0, 400, "not charged");
    // Paying needs a transaction first.
    assert!(mock.drive("order_jp_1", Happening::Pay).await.is_err());
    let cred = juspay::SdkPgParams::builder()
        .platform(juspay::TxnPlatform::Web)
        .os(juspay::Os::Macos)
        .device(juspay::Device::Desktop)
        .country_code("+91")
        .phone_number("9900988990")
        .build()
        .unwrap();
    client
        .create_txn(
            &juspay::TxnsRequest::builder()
                .order_id("order_jp_1")
                .merchant_id("merchant_id")
                .sdk_pg_params(cred)
                .build()
                .unwrap(),
            &juspay::CreateTxnParams::new("customer_1122"),
        )
        .await
        .unwrap();
    mock.drive("order_jp_1", Happening::Pay).await.unwrap();

    refund("r1", "6.00").await.unwrap();
    let again = refund("r1", "6.00").await.unwrap();
    assert_eq!(
        again.refunds.unwrap().len(),
        1,
        "one unique_request_id, one refund"
    );
    assert_eq!(
        refused(refund("r2", "4.01").await).0,
        400,
        "above the amount"
    );
    let last = refund("r2", "4.00").await.unwrap();
    assert_eq!(last.refunded, Some(true));
    assert_eq!(last.amount_refunded, Some(decimal("10.00")));
    mock.drive("r1", Happening::Settle).await.unwrap();
    let status = client
        .order_status(
            &juspay::OrderStatusParams::builder()
                .order_id("order_jp_1")
                .x_routing_id("customer_1122")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let states: Vec<_> = status
        .refunds
        .unwrap()
        .into_iter()
        .map(|r| (r.unique_request_id.unwrap(), r.status))
        .collect();
    assert_eq!(
        states,
        [
            ("r1".to_owned(), juspay::RefundStatus::Success),
            ("r2".to_owned(), juspay::RefundStatus::Pending)
        ]
    );
}

#[tokio::test]
async fn an_event_on_an_unknown_id_is_refused() {
    let (mock, _client) = razorpay_mock().await;
    let refused = mock.drive("order_nobodymadeit", Happening::Pay).await;
    assert_eq!(
        refused.unwrap_err().to_string(),
        "no entity `order_nobodymadeit` was created"
    );
}
