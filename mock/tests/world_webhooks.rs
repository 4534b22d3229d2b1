//! What the test makes happen (`drive`) reaches the integration as the
//! gateway would tell it: signed webhooks, posted to the configured URL,
//! each verified by the runtime's own code and naming the entities the
//! calls created.

use paygen::webhooks::{cashfree as cf_hooks, razorpay as rp_hooks};
use paygen::{cashfree, juspay, razorpay};
use paygen_mock::{Happening, MockGateway, MockOptions};
use support::{razorpay_events, webhook_receiver};

mod support;

fn header<'r>(request: &'r wiremock::Request, name: &str) -> &'r str {
    request.headers.get(name).unwrap().to_str().unwrap()
}

#[tokio::test]
async fn a_razorpay_payment_sends_authorized_captured_and_order_paid() {
    let hooks = webhook_receiver().await;
    let mock = MockGateway::start("razorpay").await.unwrap();
    mock.send_webhooks_to(&format!("{}/razorpay", hooks.uri()));
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let order = client
        .create_order(&razorpay::CreateOrderRequest::new(25_000, "INR"))
        .await
        .unwrap();
    let paid = mock.drive(&order.id, Happening::Pay).await.unwrap();
    assert_eq!(paid["status"], "paid");

    let events = razorpay_events(&hooks, &mock).await;
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(
        matches!(&events[0], rp_hooks::Event::PaymentAuthorized(p) if p.order_id.as_deref() == Some(order.id.as_str()))
    );
    let rp_hooks::Event::PaymentCaptured(payment) = &events[1] else {
        panic!("{:?}", events[1])
    };
    assert_eq!(payment.amount, 25_000);
    match &events[2] {
        rp_hooks::Event::OrderPaid { order: paid, .. } => assert_eq!(paid.id, order.id),
        other => panic!("{other:?}"),
    }
    // The payment the webhook names is the one the API reads.
    let read = client
        .fetch_payment(&razorpay::FetchPaymentParams::new(&payment.id))
        .await
        .unwrap();
    assert_eq!(read.status, razorpay::PaymentStatus::Captured);
}

#[tokio::test]
async fn a_razorpay_capture_by_the_api_sends_captured_and_order_paid() {
    let hooks = webhook_receiver().await;
    let mock = MockGateway::start("razorpay").await.unwrap();
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let order = client
        .create_order(&razorpay::CreateOrderRequest::new(7_500, "INR"))
        .await
        .unwrap();
    mock.drive(&order.id, Happening::Authorize).await.unwrap();
    let payments = client
        .fetch_order_payments(&razorpay::FetchOrderPaymentsParams::new(&order.id))
        .await
        .unwrap();
    let payment = payments.items[0].id.clone();
    // Only the capture's webhooks: the receiver is set after the authorization.
    mock.send_webhooks_to(&format!("{}/razorpay", hooks.uri()));
    client
        .capture_payment(
            &razorpay::CaptureRequest::new(7_500, "INR"),
            &razorpay::CapturePaymentParams::new(&payment),
        )
        .await
        .unwrap();
    // Posted before the call is answered: here already.
    let events = razorpay_events(&hooks, &mock).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(matches!(&events[0], rp_hooks::Event::PaymentCaptured(p) if p.id == payment));
    assert!(
        matches!(&events[1], rp_hooks::Event::OrderPaid { order: paid, .. } if paid.id == order.id)
    );
}

#[tokio::test]
async fn a_cashfree_payment_and_refund_send_their_webhooks() {
    let hooks = webhook_receiver().await;
    let options = MockOptions::default().with_webhook_url(format!("{}/cashfree", hooks.uri()));
    let mock = MockGateway::start_with("cashfree", options).await.unwrap();
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut order = cashfree::CreateOrderRequest::new("99.50".parse().unwrap(), "INR", customer);
    order.order_id = Some("order_hooked".into());
    client
        .create_order(&order, &Default::default())
        .await
        .unwrap();
    mock.drive("order_hooked", Happening::Pay).await.unwrap();
    mock.drive("order_hooked", Happening::Fail)
        .await
        .expect_err("a paid order has no payment to fail");

    let received = hooks.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let event = cf_hooks::verify_webhook(
        &received[0].body,
        header(&received[0], "x-webhook-timestamp"),
        header(&received[0], "x-webhook-signature"),
        mock.credential(1),
        cf_hooks::DEFAULT_TOLERANCE,
        std::time::SystemTime::now(),
    )
    .unwrap();
    match event {
        cf_hooks::Event::PaymentSuccess(paid) => {
            assert_eq!(paid.order.order_id, "order_hooked");
            assert_eq!(paid.payment.payment_amount, Some("99.50".parse().unwrap()));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_juspay_charge_is_posted_with_the_merchants_basic_credentials() {
    let hooks = webhook_receiver().await;
    let mock = MockGateway::start("juspay").await.unwrap();
    mock.send_webhooks_to(&format!("{}/juspay", hooks.uri()));
    let client = juspay::Client::new(mock.environment(), mock.credential(0))
        .with_merchant_id("merchant_id")
        .with_public_key_pem(mock.public_key_pem())
        .unwrap();
    client
        .create_order(
            &juspay::CreateOrderRequest::new("order_jp_hook", "5.00".parse().unwrap()),
            &juspay::CreateOrderParams::new("customer_1"),
        )
        .await
        .unwrap();
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
                .order_id("order_jp_hook")
                .merchant_id("merchant_id")
                .sdk_pg_params(cred)
                .build()
                .unwrap(),
            &juspay::CreateTxnParams::new("customer_1"),
        )
        .await
        .unwrap();
    mock.drive("order_jp_hook", Happening::Pay).await.unwrap();
    let received = hooks.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    use base64::Engine as _;
    let expected = base64::engine::general_purpose::STANDARD
        .encode(format!("webhook:{}", mock.webhook_secret()));
    assert_eq!(
        header(&received[0], "authorization"),
        format!("Basic {expected}")
    );
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(body["event_name"], "ORDER_SUCCEEDED");
    assert_eq!(body["content"]["order"]["order_id"], "order_jp_hook");
    assert_eq!(body["content"]["order"]["status"], "CHARGED");
}
