//! A whole payment on each gateway (create an order, pay it, read its status,
//! refund it), one generated method per step, against a loopback gateway that
//! answers as the pages show. Each test checks what the client sent, in order,
//! and that every answer decoded into the step that needed it.

use paygen::webhooks::razorpay::{payment_signature, verify_payment};
use paygen::{cashfree, juspay, razorpay, Decimal, Environment, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers `verb path` with `body`.
async fn answer(server: &MockServer, verb: &str, route: &str, body: serde_json::Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

/// `METHOD /path` of each request the server received, in order.
async fn calls(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

fn decimal(digits: &str) -> Decimal {
    digits.parse().unwrap()
}

#[tokio::test]
async fn razorpay_order_card_payment_otp_capture_and_refund() {
    let secret = "key_secret";
    let (order_id, payment_id) = ("order_EKwxwAgItmmXdp", "pay_FVmAstJWfsD3SO");
    let server = MockServer::start().await;
    answer(&server, "POST", "/v1/orders", json!({
        "id": order_id, "entity": "order", "amount": 50000, "amount_paid": 0, "amount_due": 50000,
        "currency": "INR", "status": "attempted", "attempts": 1, "created_at": 1582628071,
        "payment_workflow": {"id": payment_id, "next": [{"action": "otp_generate", "url": "https://api.razorpay.com/v1/payments/pay_FVmAstJWfsD3SO/otp_generate"}]}
    })).await;
    answer(
        &server,
        "POST",
        "/v1/payments/pay_FVmAstJWfsD3SO/otp/submit",
        json!({
            "razorpay_payment_id": payment_id, "razorpay_order_id": order_id,
            "razorpay_signature": payment_signature(order_id, payment_id, secret)
        }),
    )
    .await;
    let payment = |status: &str| {
        json!({
            "id": payment_id, "entity": "payment", "amount": 50000, "currency": "INR",
            "status": status, "order_id": order_id, "method": "card", "captured": status == "captured",
            "created_at": 1582628071
        })
    };
    answer(
        &server,
        "GET",
        "/v1/payments/pay_FVmAstJWfsD3SO",
        payment("authorized"),
    )
    .await;
    answer(
        &server,
        "POST",
        "/v1/payments/pay_FVmAstJWfsD3SO/capture",
        payment("captured"),
    )
    .await;
    let refund = |status: &str| {
        json!({
            "id": "rfnd_FP8QHiV938haTz", "entity": "refund", "amount": 10000, "currency": "INR",
            "payment_id": payment_id, "status": status, "created_at": 1597078866
        })
    };
    answer(
        &server,
        "POST",
        "/v1/payments/pay_FVmAstJWfsD3SO/refund",
        refund("pending"),
    )
    .await;
    answer(
        &server,
        "GET",
        "/v1/refunds/rfnd_FP8QHiV938haTz",
        refund("processed"),
    )
    .await;

    let client = razorpay::Client::new(Environment::Custom(server.uri()), "rzp_test_key", secret)
        .with_retry(RetryPolicy::never());
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
    let order = client.create_order(&order).await.unwrap();
    let paying = order.payment_workflow.and_then(|w| w.id).unwrap();

    let signed = client
        .submit_otp(
            &razorpay::OtpSubmitRequest::new("123456"),
            &razorpay::SubmitOtpParams::new(&paying),
        )
        .await
        .unwrap();
    verify_payment(
        &order.id,
        &signed.razorpay_payment_id,
        &signed.razorpay_signature,
        secret,
    )
    .unwrap();

    let payment = client
        .fetch_payment(&razorpay::FetchPaymentParams::new(&paying))
        .await
        .unwrap();
    assert_eq!(payment.status, razorpay::PaymentStatus::Authorized);
    let capture = razorpay::CaptureRequest::new(payment.amount, payment.currency.clone());
    let captured = client
        .capture_payment(&capture, &razorpay::CapturePaymentParams::new(&paying))
        .await
        .unwrap();
    assert_eq!(captured.status, razorpay::PaymentStatus::Captured);

    let refund = razorpay::CreateRefundRequest {
        amount: Some(10_000),
        ..Default::default()
    };
    let refund = client
        .create_refund(&refund, &razorpay::CreateRefundParams::new(&paying))
        .await
        .unwrap();
    let refund = client
        .fetch_refund(&razorpay::FetchRefundParams::new(&refund.id))
        .await
        .unwrap();
    assert_eq!(refund.status, razorpay::RefundStatus::Processed);

    assert_eq!(
        calls(&server).await,
        [
            "POST /v1/orders",
            "POST /v1/payments/pay_FVmAstJWfsD3SO/otp/submit",
            "GET /v1/payments/pay_FVmAstJWfsD3SO",
            "POST /v1/payments/pay_FVmAstJWfsD3SO/capture",
            "POST /v1/payments/pay_FVmAstJWfsD3SO/refund",
            "GET /v1/refunds/rfnd_FP8QHiV938haTz",
        ]
    );
}

#[tokio::test]
async fn cashfree_order_session_payment_status_and_refund() {
    let server = MockServer::start().await;
    let order = |status: &str| {
        json!({
            "cf_order_id": "2149460581", "order_id": "order_1610009874", "entity": "order",
            "order_currency": "INR", "order_amount": 10.34, "order_status": status,
            "payment_session_id": "session_a1VXIPJo8kh7IBigVXX8LgTMupQW"
        })
    };
    answer(&server, "POST", "/orders", order("ACTIVE")).await;
    answer(&server, "POST", "/orders/sessions", json!({
        "cf_payment_id": "4105073870", "payment_method": "upi", "action": "link",
        "payment_amount": 10.34, "channel": "link",
        "data": {"url": "upi://pay?pa=merchant@bank", "payload": null, "content_type": null, "method": null}
    })).await;
    answer(&server, "GET", "/orders/order_1610009874", order("PAID")).await;
    answer(&server, "GET", "/orders/order_1610009874/payments", json!([
        {"cf_payment_id": "4105073869", "order_id": "order_1610009874", "payment_status": "FAILED"},
        {"cf_payment_id": "4105073870", "order_id": "order_1610009874", "payment_status": "SUCCESS",
         "payment_amount": 10.34, "payment_method": {"upi": {"channel": "link", "upi_id": null}}}
    ])).await;
    let refund = |status: &str| {
        json!({
            "cf_refund_id": "1553338", "refund_id": "refund_00912", "order_id": "order_1610009874",
            "refund_amount": 5.00, "refund_status": status
        })
    };
    answer(
        &server,
        "POST",
        "/orders/order_1610009874/refunds",
        refund("PENDING"),
    )
    .await;
    answer(
        &server,
        "GET",
        "/orders/order_1610009874/refunds/refund_00912",
        refund("SUCCESS"),
    )
    .await;

    let client = cashfree::Client::new(Environment::Custom(server.uri()), "app_id", "secret_key")
        .with_retry(RetryPolicy::never());
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut request = cashfree::CreateOrderRequest::new(decimal("10.34"), "INR", customer);
    request.order_id = Some("order_1610009874".into());
    let params = cashfree::CreateOrderParams {
        x_idempotency_key: Some("order_1610009874".into()),
        ..Default::default()
    };
    let order = client.create_order(&request, &params).await.unwrap();

    let upi = cashfree::UpiMethod::new(cashfree::UpiChannel::Link);
    let pay = cashfree::PayOrderRequest::new(
        order.payment_session_id.clone().unwrap(),
        cashfree::PayOrderPaymentMethod::Upi(upi),
    );
    let next = client.pay_order(&pay, &Default::default()).await.unwrap();
    assert_eq!(next.cf_payment_id, "4105073870");

    let status = client
        .get_order(&cashfree::GetOrderParams::new(&order.order_id))
        .await
        .unwrap();
    assert_eq!(status.order_status, cashfree::OrderStatus::Paid);
    let payments = client
        .get_payments_for_order(&cashfree::GetPaymentsForOrderParams::new(&order.order_id))
        .await
        .unwrap();
    let paid = payments
        .iter()
        .find(|p| p.payment_status == cashfree::PaymentStatus::Success)
        .unwrap();
    assert_eq!(paid.payment_amount, Some(decimal("10.34")));

    let refund = cashfree::CreateRefundRequest::new(decimal("5.00"), "refund_00912");
    let mut params = cashfree::CreateRefundParams::new(&order.order_id);
    params.x_idempotency_key = Some("refund_00912".into());
    client.create_refund(&refund, &params).await.unwrap();
    let refund = client
        .get_refund(&cashfree::GetRefundParams::new(
            &order.order_id,
            "refund_00912",
        ))
        .await
        .unwrap();
    assert_eq!(refund.refund_status, cashfree::RefundStatus::Success);

    assert_eq!(
        calls(&server).await,
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
    let server = MockServer::start().await;
    answer(&server, "POST", "/orders", json!({
        "status": "NEW", "id": "ordeh_6cfd12bd36a3440d9a9d61b2ff0e94b6", "order_id": "order1610009874"
    })).await;
    answer(&server, "POST", "/txns", json!({
        "txn_uuid": "eulr7NWcmczvPhDGYpJ", "txn_id": "merchant_id-order1610009874-1",
        "status": "PENDING_VBV", "order_id": "order1610009874",
        "payment": {"authentication": {"url": "https://api.juspay.in/v2/pay/start/x", "method": "GET"}}
    })).await;
    answer(
        &server,
        "GET",
        "/orders/order1610009874",
        json!({
            "order_id": "order1610009874", "status": "CHARGED", "amount": 1.00
        }),
    )
    .await;
    answer(&server, "POST", "/orders/order1610009874/refunds", json!({
        "order_id": "order1610009874", "status": "CHARGED", "amount": 1.00, "amount_refunded": 1.00,
        "refunds": [{"status": "PENDING", "unique_request_id": "refund_1610009874_1", "amount": 1.00}]
    })).await;

    let client = juspay::Client::new(Environment::Custom(server.uri()), "juspay_api_key")
        .with_retry(RetryPolicy::never());
    let (merchant, customer) = ("merchant_id", "customer_1122");
    let order = juspay::CreateOrderRequest::new("order1610009874", decimal("1.00"));
    let created = client
        .create_order(&order, &juspay::CreateOrderParams::new(merchant, customer))
        .await
        .unwrap();
    assert_eq!(created.order_id, "order1610009874");

    // The phone number is already encrypted here, so no public key is needed.
    let cred = juspay::SdkPgParams::new(
        juspay::TxnPlatform::Web,
        juspay::Os::MacOs,
        juspay::Device::Desktop,
        "+91",
        "enc-AbCd==",
        false,
    );
    let txn = juspay::TxnsRequest::new(&created.order_id, merchant, true, true, cred);
    let txn = client
        .create_txn(&txn, &juspay::CreateTxnParams::new(customer))
        .await
        .unwrap();
    assert_eq!(txn.status, juspay::TxnStatus::PendingVbv);

    let status = client
        .order_status(&juspay::OrderStatusParams::new(
            &created.order_id,
            merchant,
            customer,
        ))
        .await
        .unwrap();
    assert_eq!(status.status, juspay::OrderStatusName::Charged);
    let refund = juspay::RefundOrderRequest::new("refund_1610009874_1", decimal("1.00"));
    let refunded = client
        .refund_order(
            &refund,
            &juspay::RefundOrderParams::new(&created.order_id, merchant, customer),
        )
        .await
        .unwrap();
    let refunds = refunded.refunds.unwrap_or_default();
    assert_eq!(refunds[0].status, juspay::RefundStatus::Pending);

    assert_eq!(
        calls(&server).await,
        [
            "POST /orders",
            "POST /txns",
            "GET /orders/order1610009874",
            "POST /orders/order1610009874/refunds",
        ]
    );
}
