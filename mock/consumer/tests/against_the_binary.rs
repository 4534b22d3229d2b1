//! The three checkouts, unknown ids and refusals, run the way a newcomer's
//! integration runs them: the `paygen-mock` binary in another process
//! (`PAYGEN_MOCK_BIN`), the key read from `GET /__paygen/public-key`, the
//! customer played with `POST /__paygen/drive`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use paygen::{cashfree, juspay, razorpay, Decimal, Environment, Error};

/// The binary, started for one gateway; stopped when dropped.
struct Mock {
    child: Child,
    url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Mock {
    fn start(gateway: &str) -> Mock {
        let binary = std::env::var("PAYGEN_MOCK_BIN").expect(
            "PAYGEN_MOCK_BIN names the paygen-mock binary (cargo build -p paygen-mock; target/debug/paygen-mock)",
        );
        let mut child = Command::new(binary)
            .args(["--gateway", gateway])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the paygen-mock binary runs");
        let mut url = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut url)
            .unwrap();
        Mock {
            child,
            url: url.trim().to_owned(),
        }
    }

    fn environment(&self) -> Environment {
        Environment::Custom(self.url.clone())
    }

    /// Makes `event` happen to `id`, authenticated by `auth`.
    async fn drive(
        &self,
        auth: impl FnOnce(paygen::reqwest::RequestBuilder) -> paygen::reqwest::RequestBuilder,
        id: &str,
        event: &str,
    ) -> u16 {
        let request = paygen::reqwest::Client::new()
            .post(format!("{}/__paygen/drive", self.url))
            .header("content-type", "application/json")
            .body(serde_json::json!({"id": id, "event": event}).to_string());
        auth(request).send().await.unwrap().status().as_u16()
    }
}

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn status_of<T: std::fmt::Debug, E: std::fmt::Debug>(outcome: Result<T, Error<E>>) -> u16 {
    match outcome {
        Err(Error::Gateway { status, .. }) => status.as_u16(),
        other => panic!("expected the gateway's refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn razorpay_checkout_unknown_ids_and_refusals() {
    let mock = Mock::start("razorpay");
    let client = razorpay::Client::new(mock.environment(), "mock_key_id", "mock_key_secret");
    let auth =
        |r: paygen::reqwest::RequestBuilder| r.basic_auth("mock_key_id", Some("mock_key_secret"));

    let unknown = client
        .fetch_order(&razorpay::FetchOrderParams::new("order_nobodymadeit"))
        .await;
    assert_eq!(status_of(unknown), 400);
    let tiny = client
        .create_order(&razorpay::CreateOrderRequest::new(50, "INR"))
        .await;
    // Below INR 1.00: refused before anything is sent.
    assert!(matches!(tiny, Err(Error::Validation(_))), "{tiny:?}");

    let order = client
        .create_order(&razorpay::CreateOrderRequest::new(50_000, "INR"))
        .await
        .unwrap();
    assert_eq!(mock.drive(auth, &order.id, "pay").await, 200);
    let paid = client
        .fetch_order(&razorpay::FetchOrderParams::new(&order.id))
        .await
        .unwrap();
    assert_eq!(paid.status, razorpay::OrderStatus::Paid);
    let payments = client
        .fetch_order_payments(&razorpay::FetchOrderPaymentsParams::new(&order.id))
        .await
        .unwrap();
    let payment = &payments.items[0];
    assert_eq!(payment.status, razorpay::PaymentStatus::Captured);

    let refund = |amount: i64| {
        let request = razorpay::CreateRefundRequest {
            amount: Some(amount),
            ..Default::default()
        };
        let params = razorpay::CreateRefundParams::new(&payment.id);
        let client = &client;
        async move { client.create_refund(&request, &params).await }
    };
    assert_eq!(status_of(refund(50_001).await), 400, "more than was paid");
    let refunded = refund(20_000).await.unwrap();
    assert_eq!(mock.drive(auth, &refunded.id, "settle").await, 200);
    let read = client
        .fetch_refund(&razorpay::FetchRefundParams::new(&refunded.id))
        .await
        .unwrap();
    assert_eq!(read.status, razorpay::RefundStatus::Processed);
    assert_eq!(
        mock.drive(auth, &order.id, "pay").await,
        400,
        "paid already"
    );
}

#[tokio::test]
async fn cashfree_checkout_unknown_ids_and_refusals() {
    let mock = Mock::start("cashfree");
    let client = cashfree::Client::new(mock.environment(), "mock_client_id", "mock_client_secret");
    let auth = |r: paygen::reqwest::RequestBuilder| {
        r.header("x-client-id", "mock_client_id")
            .header("x-client-secret", "mock_client_secret")
    };

    let unknown = client
        .get_order(&cashfree::GetOrderParams::new("nope_404"))
        .await;
    assert_eq!(status_of(unknown), 404);

    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut request = cashfree::CreateOrderRequest::new(decimal("10.34"), "INR", customer);
    request.order_id = Some("order_consumer_1".into());
    let order = client
        .create_order(&request, &Default::default())
        .await
        .unwrap();
    assert_eq!(order.order_status, cashfree::OrderStatus::Active);

    let refund = |amount: &'static str, id: &'static str| {
        let client = &client;
        async move {
            client
                .create_refund(
                    &cashfree::CreateRefundRequest::new(decimal(amount), id),
                    &cashfree::CreateRefundParams::new("order_consumer_1"),
                )
                .await
        }
    };
    assert_eq!(
        status_of(refund("1.00", "refund_early").await),
        400,
        "unpaid"
    );

    let upi = cashfree::UpiMethod::new(cashfree::UpiChannel::Link);
    let pay = cashfree::PayOrderRequest::new(
        order.payment_session_id.clone().unwrap(),
        cashfree::PayOrderPaymentMethod::Upi(upi),
    );
    client.pay_order(&pay, &Default::default()).await.unwrap();
    assert_eq!(mock.drive(auth, "order_consumer_1", "pay").await, 200);
    let paid = client
        .get_order(&cashfree::GetOrderParams::new("order_consumer_1"))
        .await
        .unwrap();
    assert_eq!(paid.order_status, cashfree::OrderStatus::Paid);

    assert_eq!(
        status_of(refund("10.35", "refund_big").await),
        400,
        "above the amount"
    );
    refund("10.34", "refund_all").await.unwrap();
    assert_eq!(mock.drive(auth, "refund_all", "settle").await, 200);
    let read = client
        .get_refund(
            &cashfree::GetRefundParams::builder()
                .order_id("order_consumer_1")
                .refund_id("refund_all")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(read.refund_status, cashfree::RefundStatus::Success);
}

/// A Juspay checkout: order, CRED transaction (the phone number encrypted
/// with the mock's key), the customer pays, status, refund.
async fn juspay_checkout(environment: Environment, api_key: &str, pem: &str) -> (String, u16) {
    let client = juspay::Client::new(environment, api_key)
        .with_merchant_id("merchant_id")
        .with_public_key_pem(pem)
        .unwrap();
    let unknown = client
        .order_status(
            &juspay::OrderStatusParams::builder()
                .order_id("never_created")
                .x_routing_id("customer_1")
                .build()
                .unwrap(),
        )
        .await;
    let unknown = status_of(unknown);
    client
        .create_order(
            &juspay::CreateOrderRequest::new("order_consumer_jp", decimal("1.00")),
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
    let txn = client
        .create_txn(
            &juspay::TxnsRequest::builder()
                .order_id("order_consumer_jp")
                .merchant_id("merchant_id")
                .sdk_pg_params(cred)
                .build()
                .unwrap(),
            &juspay::CreateTxnParams::new("customer_1"),
        )
        .await
        .unwrap();
    (txn.order_id, unknown)
}

#[tokio::test]
async fn juspay_checkout_against_the_binary() {
    let mock = Mock::start("juspay");
    let pem = paygen::reqwest::get(format!("{}/__paygen/public-key", mock.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (order, unknown) = juspay_checkout(mock.environment(), "mock_api_key", &pem).await;
    assert_eq!(unknown, 404);
    let auth = |r: paygen::reqwest::RequestBuilder| r.basic_auth("mock_api_key", Some(""));
    let client =
        juspay::Client::new(mock.environment(), "mock_api_key").with_merchant_id("merchant_id");
    let refund = juspay::RefundOrderRequest::new("refund_consumer_1", decimal("1.00"));
    let params = juspay::RefundOrderParams::builder()
        .order_id(&order)
        .x_routing_id("customer_1")
        .build()
        .unwrap();
    assert_eq!(
        status_of(client.refund_order(&refund, &params).await),
        400,
        "not charged yet"
    );
    assert_eq!(mock.drive(auth, &order, "pay").await, 200);
    let status = client
        .order_status(
            &juspay::OrderStatusParams::builder()
                .order_id(&order)
                .x_routing_id("customer_1")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(status.status, juspay::OrderStatusName::Charged);
    let refunded = client.refund_order(&refund, &params).await.unwrap();
    assert_eq!(refunded.refunds.unwrap().len(), 1);
}

#[tokio::test]
async fn juspay_checkout_in_process_in_an_unoptimised_build() {
    let mock = paygen_mock::MockGateway::start("juspay").await.unwrap();
    let (order, unknown) = juspay_checkout(
        mock.environment(),
        mock.credential(0),
        mock.public_key_pem(),
    )
    .await;
    assert_eq!(unknown, 404);
    mock.drive(&order, paygen_mock::Happening::Pay)
        .await
        .unwrap();
}
