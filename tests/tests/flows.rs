//! A whole payment on each gateway (create an order, pay it, read its status,
//! refund it), one generated method per step, against paygen-mock: the same
//! steps README shows. The mock simulates each gateway's lifecycle, signs
//! what Razorpay signs, and lets the test play the customer (`drive`): each
//! assertion reads state that exists only because the flow happened.

use paygen::webhooks::razorpay::verify_payment;
use paygen::{cashfree, juspay, razorpay, Decimal};
use paygen_mock::{Happening, MockGateway};

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
    let mut card_payment = razorpay::OrderPayment::builder()
        .email("john.smith@example.com")
        .contact("+919900988990")
        .ip("105.106.107.108")
        .method(razorpay::OrderPaymentMethod::Card)
        .build()
        .unwrap();
    card_payment.card = Some(
        razorpay::Card::builder()
            .number("4111111111111111")
            .name("John Smith")
            .expiry_month("11")
            .expiry_year("30")
            .cvv("100")
            .build()
            .unwrap(),
    );
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
    // The card payment was made with the order: the order is being attempted.
    assert_eq!(
        (order.status.clone(), order.attempts, order.amount_paid),
        (razorpay::OrderStatus::Attempted, 1, 0)
    );
    let paying = order.payment_workflow.clone().and_then(|w| w.id).unwrap();
    // The customer's next steps are this payment's, not the spec example's.
    let next = order.payment_workflow.clone().and_then(|w| w.next).unwrap();
    assert!(
        next.len() == 2
            && next
                .iter()
                .all(|step| step.url.as_deref().unwrap().contains(&paying)),
        "{next:?}"
    );

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
    assert_eq!(
        payment.status,
        razorpay::PaymentStatus::Authorized,
        "the OTP authorized it"
    );
    let capture = razorpay::CaptureRequest::new(payment.amount, payment.currency.clone());
    client
        .capture_payment(&capture, &razorpay::CapturePaymentParams::new(&paying))
        .await
        .unwrap();
    let paid = client
        .fetch_order(&razorpay::FetchOrderParams::new(&order.id))
        .await
        .unwrap();
    assert_eq!(
        (paid.status, paid.amount_paid, paid.amount_due),
        (razorpay::OrderStatus::Paid, 50_000, 0)
    );

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
    assert_eq!(refund.status, razorpay::RefundStatus::Pending);
    // The bank processes the refund.
    mock.drive(&refund.id, Happening::Settle).await.unwrap();
    let refund = client
        .fetch_refund(&razorpay::FetchRefundParams::new(&refund.id))
        .await
        .unwrap();
    assert_eq!(refund.status, razorpay::RefundStatus::Processed);
    let payment = client
        .fetch_payment(&razorpay::FetchPaymentParams::new(&paying))
        .await
        .unwrap();
    assert_eq!(
        (payment.amount_refunded, payment.refund_status.as_deref()),
        (Some(10_000), Some("partial"))
    );

    let paths = calls(&mock);
    assert_eq!(paths.len(), 8);
    assert_eq!(paths[0], "POST /v1/orders");
    assert_eq!(paths[1], format!("POST /v1/payments/{paying}/otp/submit"));
    assert_eq!(paths[6], format!("GET /v1/refunds/{}", refund.id));
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
    assert_eq!(order.order_status, cashfree::OrderStatus::Active);

    let upi = cashfree::UpiMethod::new(cashfree::UpiChannel::Link);
    let pay = cashfree::PayOrderRequest::new(
        order.payment_session_id.clone().unwrap(),
        cashfree::PayOrderPaymentMethod::Upi(upi),
    );
    let paying = client.pay_order(&pay, &Default::default()).await.unwrap();
    assert_eq!(paying.payment_amount, Some(decimal("10.34")));

    // The customer approves the UPI request: the gateway marks the order paid.
    mock.drive(&order.order_id, Happening::Pay).await.unwrap();
    let status = client
        .get_order(&cashfree::GetOrderParams::new(&order.order_id))
        .await
        .unwrap();
    assert_eq!(status.order_status, cashfree::OrderStatus::Paid);
    let payments = client
        .get_payments_for_order(&cashfree::GetPaymentsForOrderParams::new(&order.order_id))
        .await
        .unwrap();
    assert_eq!(payments.len(), 1, "{payments:?}");
    assert_eq!(
        Some(&payments[0].cf_payment_id),
        paying.cf_payment_id.as_ref()
    );
    assert_eq!(payments[0].payment_status, cashfree::PaymentStatus::Success);

    let refund = cashfree::CreateRefundRequest::new(decimal("5.00"), "refund_00912");
    let mut params = cashfree::CreateRefundParams::new(&order.order_id);
    params.x_idempotency_key = Some("refund_00912".into());
    let created = client.create_refund(&refund, &params).await.unwrap();
    assert_eq!(
        (created.refund_id.as_str(), created.refund_amount),
        ("refund_00912", decimal("5.00"))
    );
    assert_eq!(created.refund_status, cashfree::RefundStatus::Pending);
    mock.drive("refund_00912", Happening::Settle).await.unwrap();
    let refund = client
        .get_refund(
            &cashfree::GetRefundParams::builder()
                .order_id(&order.order_id)
                .refund_id("refund_00912")
                .build()
                .unwrap(),
        )
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
    assert_eq!(
        (created.order_id.as_str(), created.status.as_str()),
        ("order1610009874", "NEW")
    );

    // The phone number in plain: the client encrypts it with the (mock) gateway's key.
    let cred = juspay::SdkPgParams::builder()
        .platform(juspay::TxnPlatform::Web)
        .os(juspay::Os::Macos)
        .device(juspay::Device::Desktop)
        .country_code("+91")
        .phone_number("9900988990")
        .build()
        .unwrap();
    let txn = juspay::TxnsRequest::builder()
        .order_id(&created.order_id)
        .merchant_id(merchant)
        .sdk_pg_params(cred)
        .build()
        .unwrap();
    let txn = client
        .create_txn(&txn, &juspay::CreateTxnParams::new(customer))
        .await
        .unwrap();
    assert_eq!(txn.order_id, created.order_id);
    assert_eq!(txn.status, juspay::TxnStatus::PendingVbv);
    // `<merchant>-<order>-<attempt>`.
    assert!(
        txn.txn_id
            .starts_with(&format!("{merchant}-order1610009874-")),
        "{}",
        txn.txn_id
    );

    // The customer approves the payment in CRED.
    mock.drive(&created.order_id, Happening::Pay).await.unwrap();

    let status = client
        .order_status(
            &juspay::OrderStatusParams::builder()
                .order_id(&created.order_id)
                .x_routing_id(customer)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(status.order_id, created.order_id);
    assert_eq!(status.status, juspay::OrderStatusName::Charged);
    assert_eq!(status.txn_id.as_deref(), Some(txn.txn_id.as_str()));
    let refund = juspay::RefundOrderRequest::new("refund_1610009874_1", decimal("1.00"));
    let refunded = client
        .refund_order(
            &refund,
            &juspay::RefundOrderParams::builder()
                .order_id(&created.order_id)
                .x_routing_id(customer)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    // This refund and nothing else, pending, and counted.
    let refunds = refunded.refunds.unwrap_or_default();
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(
        refunds[0].unique_request_id.as_deref(),
        Some("refund_1610009874_1")
    );
    assert_eq!(refunds[0].status, juspay::RefundStatus::Pending);
    assert_eq!(refunded.amount_refunded, Some(decimal("1.00")));

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
