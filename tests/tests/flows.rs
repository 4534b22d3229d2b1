//! A whole payment on each gateway (create an order, pay it, read its status,
//! refund it), one generated method per step, against paygen-mock: the same
//! steps README shows. The mock keeps what each call created, signs what
//! Razorpay signs, and lets the test play the customer (`update`).

use paygen::webhooks::razorpay::verify_payment;
use paygen::{cashfree, juspay, razorpay, Decimal};
use paygen_mock::MockGateway;
use serde_json::json;

fn decimal(digits: &str) -> Decimal {
    digits.parse().unwrap()
}

/// `METHOD /path` of each request the mock received, in order.
fn calls(mock: &MockGateway) -> Vec<String> {
    mock.requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// An order of ₹500 paid by card in the same call (Razorpay's S2S flow).
fn card_order() -> razorpay::CreateOrderRequest {
    let mut order = razorpay::CreateOrderRequest::new(50_000, "INR");
    let mut card_payment = razorpay::OrderPayment::new(
        "john.smith@example.com",
        "+919900988990",
        "105.106.107.108",
        razorpay::OrderPaymentMethod::Card,
    );
    card_payment.card = Some(razorpay::Card::new(
        "4111111111111111",
        "John Smith",
        "11",
        "30",
        "100",
    ));
    order.payment = Some(card_payment);
    order
}

#[tokio::test]
async fn razorpay_order_card_payment_otp_capture_and_refund() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let key_secret = mock.credential(1);
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), key_secret);

    let order = client.create_order(&card_order()).await.unwrap();
    assert_eq!(order.amount, 50_000);
    let paying = order.payment_workflow.and_then(|w| w.id).unwrap();

    // The answer is signed over this order and payment, with the key secret.
    let signed = client
        .submit_otp(
            &razorpay::OtpSubmitRequest::new("123456"),
            &razorpay::SubmitOtpParams::new(&paying),
        )
        .await
        .unwrap();
    assert_eq!(signed.razorpay_payment_id, paying);
    verify_payment(
        &order.id,
        &signed.razorpay_payment_id,
        &signed.razorpay_signature,
        key_secret,
    )
    .unwrap();
    assert!(verify_payment(
        &order.id,
        &paying,
        &signed.razorpay_signature,
        "another_secret"
    )
    .is_err());

    let payment = client
        .fetch_payment(&razorpay::FetchPaymentParams::new(&paying))
        .await
        .unwrap();
    assert_eq!(payment.order_id.as_deref(), Some(order.id.as_str()));
    let capture = razorpay::CaptureRequest::new(payment.amount, payment.currency.clone());
    client
        .capture_payment(&capture, &razorpay::CapturePaymentParams::new(&paying))
        .await
        .unwrap();

    let refund = razorpay::CreateRefundRequest {
        amount: Some(10_000),
        ..Default::default()
    };
    let refund = client
        .create_refund(&refund, &razorpay::CreateRefundParams::new(&paying))
        .await
        .unwrap();
    assert_eq!(refund.amount, 10_000);
    assert_eq!(refund.payment_id, paying);
    assert!(refund.id.starts_with("rfnd_"));
    mock.update(&refund.id, json!({"status": "processed"}));
    let refund = client
        .fetch_refund(&razorpay::FetchRefundParams::new(&refund.id))
        .await
        .unwrap();
    assert_eq!(refund.status, razorpay::RefundStatus::Processed);

    let paths = calls(&mock);
    assert_eq!(paths.len(), 6);
    assert_eq!(paths[0], "POST /v1/orders");
    assert_eq!(paths[1], format!("POST /v1/payments/{paying}/otp/submit"));
    assert_eq!(paths[5], format!("GET /v1/refunds/{}", refund.id));
}

#[tokio::test]
async fn cashfree_order_session_payment_status_and_refund() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1));

    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut request = cashfree::CreateOrderRequest::new(decimal("10.34"), "INR", customer);
    request.order_id = Some("order_1610009874".into());
    let params = cashfree::CreateOrderParams {
        x_idempotency_key: Some("order_1610009874".into()),
        ..Default::default()
    };
    let order = client.create_order(&request, &params).await.unwrap();
    assert_eq!(
        (order.order_id.as_str(), order.order_amount),
        ("order_1610009874", decimal("10.34"))
    );

    let upi = cashfree::UpiMethod::new(cashfree::UpiChannel::Link);
    let pay = cashfree::PayOrderRequest::new(
        order.payment_session_id.clone().unwrap(),
        cashfree::PayOrderPaymentMethod::Upi(upi),
    );
    client.pay_order(&pay, &Default::default()).await.unwrap();

    // The customer pays: the gateway marks the order paid.
    mock.update(&order.order_id, json!({"order_status": "PAID"}));
    let status = client
        .get_order(&cashfree::GetOrderParams::new(&order.order_id))
        .await
        .unwrap();
    assert_eq!(status.order_status, cashfree::OrderStatus::Paid);
    let payments = client
        .get_payments_for_order(&cashfree::GetPaymentsForOrderParams::new(&order.order_id))
        .await
        .unwrap();
    assert!(payments.iter().all(|p| p.order_id == order.order_id));

    let refund = cashfree::CreateRefundRequest::new(decimal("5.00"), "refund_00912");
    let mut params = cashfree::CreateRefundParams::new(&order.order_id);
    params.x_idempotency_key = Some("refund_00912".into());
    let created = client.create_refund(&refund, &params).await.unwrap();
    assert_eq!(
        (created.refund_id.as_str(), created.refund_amount),
        ("refund_00912", decimal("5.00"))
    );
    mock.update("refund_00912", json!({"refund_status": "SUCCESS"}));
    let refund = client
        .get_refund(&cashfree::GetRefundParams::new(
            &order.order_id,
            "refund_00912",
        ))
        .await
        .unwrap();
    assert_eq!(refund.refund_status, cashfree::RefundStatus::Success);

    assert_eq!(
        calls(&mock),
        [
            "POST /orders",
            "POST /orders/sessions",
            "GET /orders/order_1610009874",
            "GET /orders/order_1610009874/payments",
            "POST /orders/order_1610009874/refunds",
            "GET /orders/order_1610009874/refunds/refund_00912",
        ]
    );
}

#[tokio::test]
async fn juspay_order_cred_transaction_status_and_refund() {
    let mock = MockGateway::start("juspay").await.unwrap();
    let (merchant, customer) = ("merchant_id", "customer_1122");
    // The merchant id, set once, goes out as `x-merchantid` on every call.
    let client = juspay::Client::new(mock.environment(), mock.credential(0))
        .with_merchant_id(merchant)
        .with_public_key_pem(mock.public_key_pem())
        .unwrap();

    let order = juspay::CreateOrderRequest::new("order1610009874", decimal("1.00"));
    let created = client
        .create_order(&order, &juspay::CreateOrderParams::new(customer))
        .await
        .unwrap();
    assert_eq!(created.order_id, "order1610009874");

    // The phone number in plain: the client encrypts it with the (mock) gateway's key.
    let cred = juspay::SdkPgParams::new(
        juspay::TxnPlatform::Web,
        juspay::Os::Macos,
        juspay::Device::Desktop,
        "+91",
        "9900988990",
    );
    let txn = juspay::TxnsRequest::new(&created.order_id, merchant, cred);
    let txn = client
        .create_txn(&txn, &juspay::CreateTxnParams::new(customer))
        .await
        .unwrap();
    assert_eq!(txn.order_id, created.order_id);

    let status = client
        .order_status(&juspay::OrderStatusParams::new(&created.order_id, customer))
        .await
        .unwrap();
    assert_eq!(status.order_id, created.order_id);
    let refund = juspay::RefundOrderRequest::new("refund_1610009874_1", decimal("1.00"));
    let refunded = client
        .refund_order(
            &refund,
            &juspay::RefundOrderParams::new(&created.order_id, customer),
        )
        .await
        .unwrap();
    assert!(!refunded.refunds.unwrap_or_default().is_empty());

    let requests = mock.requests();
    assert_eq!(requests[0].header("x-merchantid"), Some(merchant));
    assert_eq!(requests[3].header("x-merchantid"), Some(merchant));
    assert_eq!(
        calls(&mock),
        [
            "POST /orders",
            "POST /txns",
            "GET /orders/order1610009874",
            "POST /orders/order1610009874/refunds",
        ]
    );
}
