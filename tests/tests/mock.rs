//! paygen-mock against the generated clients: every documented answer is
//! served through the client, bad requests and wrong credentials get the
//! gateway's own error shape, faults arrive as the client sees real ones, and
//! idempotency keys replay as documented.

use std::time::Duration;

use paygen::{cashfree, juspay, razorpay, Error, RetryPolicy, Timeouts};
use paygen_codegen::ir::{Encoding, ExampleOf};
use paygen_codegen::Generator;
use paygen_mock::{Fault, MockGateway};
use paygen_tests::registry::call;
use serde_json::{json, Value};

/// The credentials the registry's clients use: `test_<argument>`.
const TEST_CREDENTIALS: &[(&str, &[&str])] = &[
    ("razorpay", &["test_key_id", "test_key_secret"]),
    ("cashfree", &["test_client_id", "test_client_secret"]),
    ("juspay", &["test_api_key"]),
];

async fn mock_for_registry(gateway: &str) -> MockGateway {
    let credentials = TEST_CREDENTIALS
        .iter()
        .find(|(g, _)| *g == gateway)
        .map(|(_, c)| *c)
        .unwrap();
    MockGateway::start_accepting(gateway, credentials)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_documented_answer_is_served_through_the_client() {
    let output = Generator::for_workspace().render().unwrap();
    let mut served = 0;
    let mut expected = 0;
    let mut unexampled = Vec::new();
    for gateway in &output.gateways {
        for op in gateway.operations() {
            let request = op.examples.iter().find(|e| e.of == ExampleOf::Request);
            // A multipart example is not kept (a page shows its file as
            // `@path`, which no `FilePart` reads): such an upload is served
            // in its gateway's own mock test (mock/tests/cashfree_disputes.rs).
            if op.request_encoding == Some(Encoding::Multipart) {
                continue;
            }
            if op.request.is_some() && request.is_none() {
                unexampled.push(format!("{}::{}", gateway.name, op.method_name));
                continue;
            }
            expected += op
                .examples
                .iter()
                .filter(|e| e.of == ExampleOf::Response)
                .count()
                .max(1);
            let answers: Vec<&str> = op
                .examples
                .iter()
                .filter(|e| e.of == ExampleOf::Response)
                .map(|e| e.name.as_str())
                .collect();
            // An operation the page shows no answer for gets its type's first example.
            let answers = if answers.is_empty() {
                vec![""]
            } else {
                answers
            };
            for name in answers {
                let mock = mock_for_registry(&gateway.name).await;
                // The pages' examples carry ciphertext made with the gateway's key.
                mock.check_encryption(false);
                mock.respond_next_with(name);
                let outcome = call(
                    &gateway.name,
                    &op.method_name,
                    mock.url(),
                    request.map(|r| r.value.clone()),
                )
                .await
                .unwrap();
                // The mock judged the body with the same generated type and
                // validation (a refusal is an `Err`), and the client decoded
                // what it answered.
                let answer = outcome.unwrap_or_else(|e| {
                    panic!(
                        "{}::{} `{name}`: the mock's answer: {e}",
                        gateway.name, op.method_name
                    )
                });
                assert!(!answer.is_empty());
                served += 1;
            }
        }
    }
    // Every operation with a body has its page's example, so every one is
    // served here; and every documented answer was served.
    assert_eq!(
        unexampled,
        Vec::<String>::new(),
        "operations without a request example"
    );
    assert_eq!(served, expected);
}

#[tokio::test]
async fn a_bad_body_gets_the_gateways_error_shape_naming_the_field() {
    let http = reqwest::Client::new();
    // Razorpay: an order with a receipt over 40 characters.
    let mock = MockGateway::start("razorpay").await.unwrap();
    let answer = http
        .post(format!("{}/v1/orders", mock.url()))
        .basic_auth(mock.credential(0), Some(mock.credential(1)))
        .header("content-type", "application/json")
        .body(json!({"amount": 50000, "currency": "INR", "receipt": "r".repeat(41)}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body: razorpay::ErrorResponse =
        serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(body.error.field.as_deref(), Some("receipt"));
    assert!(body
        .error
        .description
        .unwrap_or_default()
        .contains("at most 40"));

    // Juspay: a form body missing its amount.
    let mock = MockGateway::start("juspay").await.unwrap();
    let answer = http
        .post(format!("{}/orders", mock.url()))
        .basic_auth(mock.credential(0), Some(""))
        .header("x-merchantid", "m")
        .header("x-routing-id", "c")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("order_id=o1")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body: juspay::ErrorResponse =
        serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert!(body.error_message.unwrap_or_default().contains("amount"));
}

#[tokio::test]
async fn wrong_credentials_get_the_documented_401_through_the_client() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), "not_the_secret")
        .with_retry(RetryPolicy::never());
    match client
        .get_order(&cashfree::GetOrderParams::new("order_1"))
        .await
    {
        Err(Error::Gateway { status, body, .. }) => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(body.r#type, Some(cashfree::ErrorType::AuthenticationError));
        }
        other => panic!("{other:?}"),
    }
    // A call that does not authenticate is not recorded: strangers cannot fill the log.
    assert!(mock.requests().is_empty());
    // The log masks the secret of a call that does.
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let _ = client
        .get_order(&cashfree::GetOrderParams::new("order_1"))
        .await;
    let logged = &mock.requests()[0];
    assert_eq!(logged.header("x-client-secret"), Some("***"));
}

/// A Razorpay order created on `mock`, for the calls that read it.
async fn razorpay_order(client: &razorpay::Client) -> String {
    let order = razorpay::CreateOrderRequest::new(50_000, "INR");
    client.create_order(&order).await.unwrap().id
}

/// A Juspay order `id` created on `mock`, for the transactions made on it.
async fn juspay_order(mock: &MockGateway, id: &str) {
    let client =
        juspay::Client::new(mock.environment(), mock.credential(0)).with_merchant_id("merchant_id");
    let order = juspay::CreateOrderRequest::new(id, "1.00".parse().unwrap());
    client
        .create_order(&order, &juspay::CreateOrderParams::new("customer_1122"))
        .await
        .unwrap();
}

/// A Razorpay client of `mock` that never retries and waits at most `total`.
fn impatient(mock: &MockGateway, total: Duration) -> razorpay::Client {
    razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1))
        .with_retry(RetryPolicy::never())
        .with_timeouts(Timeouts::default().with_total(total))
}

#[tokio::test]
async fn faults_reach_the_client_as_real_ones_do() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let client = impatient(&mock, Duration::from_millis(300));
    let id = razorpay_order(&client).await;
    let params = razorpay::FetchOrderParams::new(&id);
    let fetch = || client.fetch_order(&params);

    mock.fail_next(Fault::Status(503));
    assert!(matches!(fetch().await, Err(Error::Gateway { status, .. }) if status.as_u16() == 503));
    mock.fail_next(Fault::Html(502));
    assert!(matches!(fetch().await, Err(Error::Decode { status, .. }) if status.as_u16() == 502));
    mock.fail_next(Fault::Delay(Duration::from_secs(2)));
    assert!(
        matches!(fetch().await, Err(Error::Transport(e)) if e.is_timeout()),
        "a delay past the timeout"
    );
    mock.fail_next(Fault::Reset);
    assert!(fetch().await.is_err());
    mock.fail_next(Fault::Truncated);
    let cut = fetch().await;
    assert!(
        matches!(cut, Err(Error::ResponseInterrupted { .. })),
        "{cut:?}"
    );
    mock.fail_next(Fault::RateLimited {
        retry_after: Duration::from_secs(1),
    });
    assert!(matches!(fetch().await, Err(Error::Gateway { status, .. }) if status.as_u16() == 429));
    // Faults are spent one per call: the next call is answered.
    assert_eq!(fetch().await.unwrap().id, id);
}

#[tokio::test]
async fn a_call_the_client_gave_up_on_is_still_carried_out() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let client = impatient(&mock, Duration::from_millis(200));
    mock.fail_next(Fault::Delay(Duration::from_millis(600)));
    let order = razorpay::CreateOrderRequest::new(50_000, "INR");
    let gave_up = client.create_order(&order).await;
    assert!(
        matches!(&gave_up, Err(Error::Transport(e)) if e.is_timeout()),
        "{gave_up:?}"
    );
    // As at a gateway, the call goes on once the client has gone: the
    // order is made when the delay is over.
    let all = razorpay::ListOrdersParams::default();
    let mut made = 0;
    for _ in 0..50 {
        made = client.list_orders(&all).await.unwrap().items.len();
        if made > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(made, 1, "the order the timed-out call asked for");
}

#[tokio::test]
async fn a_retried_call_recovers_from_a_transient_fault() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1))
        .with_retry(RetryPolicy::default().with_base_delay(Duration::from_millis(1)));
    let id = razorpay_order(&client).await;
    mock.fail_next(Fault::Status(502));
    mock.fail_next(Fault::Reset);
    let order = client
        .fetch_order(&razorpay::FetchOrderParams::new(&id))
        .await
        .unwrap();
    assert_eq!(order.id, id);
    assert_eq!(
        mock.requests().len(),
        4,
        "the order, two faults, then the answer"
    );
}

#[tokio::test]
async fn a_cashfree_idempotency_key_replays_the_first_answer() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1))
        .with_retry(RetryPolicy::never());
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let order = cashfree::CreateOrderRequest::new("10.34".parse().unwrap(), "INR", customer);
    let keyed = cashfree::CreateOrderParams {
        x_idempotency_key: Some("order_key_1".into()),
        ..Default::default()
    };
    let first = client.create_order(&order, &keyed).await.unwrap();
    let again = client.create_order(&order, &keyed).await.unwrap();
    assert_eq!(first.cf_order_id, again.cf_order_id, "the saved answer");
    let unkeyed = client
        .create_order(&order, &Default::default())
        .await
        .unwrap();
    assert_ne!(first.cf_order_id, unkeyed.cf_order_id, "a new order");

    let mut other = order.clone();
    other.order_amount = "11.00".parse().unwrap();
    match client.create_order(&other, &keyed).await {
        Err(Error::Gateway { status, body, .. }) => {
            assert_eq!(status.as_u16(), 409);
            assert_eq!(body.r#type, Some(cashfree::ErrorType::IdempotencyError));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn created_entities_are_kept_and_read_back() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let client = razorpay::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let mut order = razorpay::CreateOrderRequest::new(123_456, "USD");
    order.receipt = Some("receipt#9".into());
    let created = client.create_order(&order).await.unwrap();
    assert_eq!(
        (created.amount, created.currency.as_str()),
        (123_456, "USD")
    );
    assert!(created.id.starts_with("order_"));

    let fetched = client
        .fetch_order(&razorpay::FetchOrderParams::new(&created.id))
        .await
        .unwrap();
    assert_eq!(fetched.id, created.id);
    assert_eq!(fetched.amount, 123_456);
    assert_eq!(fetched.receipt.as_deref(), Some("receipt#9"));

    // What happens outside the API (the customer pays) is set by the test.
    assert_eq!(
        mock.update(
            &created.id,
            json!({"status": "paid", "amount_paid": 123_456})
        ),
        1
    );
    let paid = client
        .fetch_order(&razorpay::FetchOrderParams::new(&created.id))
        .await
        .unwrap();
    assert_eq!(paid.status, razorpay::OrderStatus::Paid);
}

#[tokio::test]
async fn the_request_log_masks_secret_fields() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let order = cashfree::CreateOrderRequest::new("10.34".parse().unwrap(), "INR", customer);
    client
        .create_order(&order, &Default::default())
        .await
        .unwrap();
    let logged = &mock.requests()[0];
    assert_eq!(
        logged.body["customer_details"]["customer_phone"],
        Value::from("***")
    );
    assert_eq!(
        logged.body["customer_details"]["customer_id"],
        Value::from("7112AAA812234")
    );
}

/// A webhook endpoint that keeps what it receives.
async fn webhook_receiver() -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn razorpay_webhooks_are_signed_so_the_runtime_verifies_them() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let receiver = webhook_receiver().await;
    let payment = json!({"entity": {
        "id": "pay_DESp9bgForNoUd", "amount": 50000, "currency": "INR", "status": "captured",
        "method": "card", "created_at": 1582628071
    }});
    let status = mock
        .post_webhook(
            &format!("{}/hooks", receiver.uri()),
            "payment.captured",
            json!({"payment": payment}),
        )
        .await
        .unwrap();
    assert_eq!(status, 200);
    let received = &receiver.received_requests().await.unwrap()[0];
    let signature = received
        .headers
        .get("x-razorpay-signature")
        .unwrap()
        .to_str()
        .unwrap();
    let event = paygen::webhooks::razorpay::verify_webhook(
        &received.body,
        signature,
        mock.webhook_secret(),
    )
    .unwrap();
    match event {
        paygen::webhooks::razorpay::Event::PaymentCaptured(payment) => {
            assert_eq!(payment.id, "pay_DESp9bgForNoUd")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        paygen::webhooks::razorpay::verify_webhook(&received.body, signature, "another").is_err()
    );
}

#[tokio::test]
async fn cashfree_webhooks_are_signed_with_a_fresh_timestamp() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let signed = mock.webhook(
        "PAYMENT_SUCCESS_WEBHOOK",
        json!({
            "order": {"order_id": "order_1", "order_amount": 10.34, "order_currency": "INR"},
            "payment": {"cf_payment_id": "12376123", "payment_status": "SUCCESS", "payment_amount": 10.34}
        }),
    );
    let header = |name: &str| {
        signed
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    let event = paygen::webhooks::cashfree::verify_webhook(
        &signed.body,
        &header("x-webhook-timestamp"),
        &header("x-webhook-signature"),
        mock.credential(1),
        paygen::webhooks::cashfree::DEFAULT_TOLERANCE,
        std::time::SystemTime::now(),
    )
    .unwrap();
    match event {
        paygen::webhooks::cashfree::Event::PaymentSuccess(paid) => {
            assert_eq!(paid.order.order_id, "order_1");
            assert_eq!(paid.payment.payment_amount, Some("10.34".parse().unwrap()));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_encrypted_field_must_decrypt_with_the_gateways_key() {
    let mock = MockGateway::start("juspay").await.unwrap();
    let txn = |phone: &str| {
        let cred = juspay::SdkPgParams::builder()
            .platform(juspay::TxnPlatform::Web)
            .os(juspay::Os::Macos)
            .device(juspay::Device::Desktop)
            .country_code("+91")
            .phone_number(phone)
            .build()
            .unwrap();
        juspay::TxnsRequest::builder()
            .order_id("order1")
            .merchant_id("merchant_id")
            .sdk_pg_params(cred)
            .build()
            .unwrap()
    };
    let params = juspay::CreateTxnParams::new("customer_1122");
    juspay_order(&mock, "order1").await;

    // Encrypted by the client with the mock's public key: accepted.
    let client = juspay::Client::new(mock.environment(), mock.credential(0))
        .with_public_key_pem(mock.public_key_pem())
        .unwrap();
    client
        .create_txn(&txn("9900988990"), &params)
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[1].body["sdk_pg_params"]["phoneNumber"],
        "***"
    );

    // Encrypted with some other key: refused, naming the field.
    let client = juspay::Client::new(mock.environment(), mock.credential(0));
    match client.create_txn(&txn("enc-AbCd=="), &params).await {
        Err(Error::Gateway { status, body, .. }) => {
            assert_eq!(status.as_u16(), 400);
            assert!(body
                .error_message
                .unwrap_or_default()
                .contains("phoneNumber"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn update_sets_a_state_the_lifecycle_cannot_reach() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    let mut order = cashfree::CreateOrderRequest::new("10.34".parse().unwrap(), "INR", customer);
    order.order_id = Some("order_updated".into());
    let created = client
        .create_order(&order, &Default::default())
        .await
        .unwrap();
    assert_eq!(
        mock.update(
            "order_updated",
            json!({"order_status": "TERMINATION_REQUESTED"})
        ),
        1
    );
    assert_eq!(mock.update("order_nobody_made", json!({})), 0);
    let read = client
        .get_order(&cashfree::GetOrderParams::new("order_updated"))
        .await
        .unwrap();
    assert_eq!(
        read.order_status,
        cashfree::OrderStatus::TerminationRequested
    );
    assert_eq!(read.cf_order_id, created.cf_order_id);
}

#[tokio::test]
async fn a_cashfree_key_saves_an_error_answer_too() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let post = |body: Value| {
        reqwest::Client::new()
            .post(format!("{}/orders", mock.url()))
            .header("x-client-id", mock.credential(0))
            .header("x-client-secret", mock.credential(1))
            .header("x-api-version", "2023-08-01")
            .header("x-idempotency-key", "key_1")
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    let customer = json!({"customer_id": "7112AAA812234", "customer_phone": "9898989898"});
    let bad = json!({"order_amount": 0.5, "order_currency": "INR", "customer_details": customer});
    assert_eq!(post(bad.clone()).await.unwrap().status(), 400);
    assert_eq!(post(bad).await.unwrap().status(), 400, "replayed");
    // The key holds the error: a corrected body under it is a different request.
    let good = json!({"order_amount": 10.5, "order_currency": "INR", "customer_details": customer});
    assert_eq!(post(good).await.unwrap().status(), 409);
}

#[tokio::test]
async fn a_named_example_answers_the_next_call() {
    let mock = MockGateway::start("juspay").await.unwrap();
    mock.check_encryption(false);
    let client = juspay::Client::new(mock.environment(), mock.credential(0));
    let cred = juspay::SdkPgParams::builder()
        .platform(juspay::TxnPlatform::Android)
        .os(juspay::Os::Android)
        .device(juspay::Device::Mobile)
        .country_code("+91")
        .phone_number("enc-AbCd==")
        .build()
        .unwrap()
        .with_cred_app_present(true);
    let txn = juspay::TxnsRequest::builder()
        .order_id("order1")
        .merchant_id("merchant_id")
        .sdk_pg_params(cred)
        .build()
        .unwrap();
    let params = juspay::CreateTxnParams::new("customer_1122");
    juspay_order(&mock, "order1").await;
    let mode = |answer: juspay::TxnsResponse| {
        answer
            .payment
            .and_then(|p| p.sdk_params)
            .and_then(|s| s.response)
            .and_then(|r| r.checkout_mode)
    };
    let first = client.create_txn(&txn, &params).await.unwrap();
    assert_eq!(mode(first), Some(juspay::CheckoutMode::Collect));
    mock.respond_next_with("intent");
    let chosen = client.create_txn(&txn, &params).await.unwrap();
    assert_eq!(mode(chosen), Some(juspay::CheckoutMode::Intent));
    let after = client.create_txn(&txn, &params).await.unwrap();
    assert_eq!(
        mode(after),
        Some(juspay::CheckoutMode::Collect),
        "one call only"
    );
}
