//! Client configuration from the environment, and tracing that never records
//! a secret. One test per binary state: environment variables are
//! process-wide, so they are changed in one test only.

use std::io::Write;
use std::sync::{Arc, Mutex};

use paygen::{cashfree, juspay, razorpay, Environment};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn clients_from_environment_variables() {
    // SAFETY: this is the only test in this binary that touches the
    // environment, and it runs before any other thread reads it.
    let set = |k: &str, v: &str| unsafe { std::env::set_var(k, v) };
    let unset = |k: &str| unsafe { std::env::remove_var(k) };

    unset("RAZORPAY_ENVIRONMENT");
    unset("RAZORPAY_KEY_ID");
    set("RAZORPAY_KEY_SECRET", "secret");
    let error = razorpay::Client::from_env().unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment variable `RAZORPAY_KEY_ID` is not set"
    );

    set("RAZORPAY_KEY_ID", "rzp_test_key");
    let client = razorpay::Client::from_env().unwrap();
    assert_eq!(
        client.base_url(),
        razorpay::Client::SANDBOX_URL,
        "unset means sandbox"
    );

    set("CASHFREE_ENVIRONMENT", "production");
    set("CASHFREE_CLIENT_ID", "app_id");
    set("CASHFREE_CLIENT_SECRET", "cfsk_secret");
    let client = cashfree::Client::from_env().unwrap();
    assert_eq!(client.base_url(), "https://api.cashfree.com/pg");

    set("CASHFREE_ENVIRONMENT", "staging");
    let error = cashfree::Client::from_env().unwrap_err();
    assert_eq!(error.var(), "CASHFREE_ENVIRONMENT");

    set("JUSPAY_ENVIRONMENT", "http://127.0.0.1:9/");
    set("JUSPAY_API_KEY", "key");
    set("JUSPAY_MERCHANT_ID", "Symbol");
    let client = juspay::Client::from_env().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
    assert_eq!(client.merchant_id(), Some("Symbol"));

    set("JUSPAY_API_KEY", "");
    let error = juspay::Client::from_env().unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment variable `JUSPAY_API_KEY` is empty"
    );
}

/// Collects what a tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What this thread traces from now until the guard is dropped, at `DEBUG`.
fn capture_traces() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        // No timestamps: their digits could contain a short secret by chance.
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

#[tokio::test]
async fn calls_are_traced_without_secrets() {
    let (captured, _guard) = capture_traces();

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "cf_payment_id": "91235",
            "payment_method": "card",
            "action": "link",
            "payment_amount": 22.42
        })))
        .mount(&server)
        .await;
    let client = cashfree::Client::new(
        Environment::Custom(server.uri()),
        "app_id_visible",
        "cfsk_ma_prod_TOPSECRET",
    );
    let card = {
        let mut card = cashfree::CardMethod::new(cashfree::CardChannel::Link);
        card.card_number = Some("4111111111111111".into());
        card.card_expiry_mm = Some("03".into());
        card.card_expiry_yy = Some("28".into());
        card.card_cvv = Some("987".into());
        card
    };
    let request =
        cashfree::PayOrderRequest::new("session_x", cashfree::PayOrderPaymentMethod::Card(card));
    client
        .pay_order(&request, &Default::default())
        .await
        .unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("paygen.call"), "{log}");
    assert!(log.contains("gateway=\"cashfree\""), "{log}");
    assert!(log.contains("operation=\"pay_order\""), "{log}");
    // OpenTelemetry's HTTP client conventions, as `tracing-opentelemetry` exports them.
    for field in [
        "otel.name=POST /orders/sessions",
        "otel.kind=\"client\"",
        "http.request.method=POST",
        "server.address=\"127.0.0.1\"",
        "url.template=\"/orders/sessions\"",
        "http.response.status_code=200",
    ] {
        assert!(log.contains(field), "`{field}` missing:\n{log}");
    }
    for secret in [
        "cfsk_ma_prod_TOPSECRET",
        "4111111111111111",
        "987",
        "session_x",
    ] {
        assert!(
            !log.contains(secret),
            "`{secret}` leaked into the trace:\n{log}"
        );
    }
    assert!(!format!("{client:?}").contains("TOPSECRET"), "{client:?}");
}

/// An order as Razorpay answers it, enough for `fetch_order` to decode.
fn order_answer() -> serde_json::Value {
    serde_json::json!({
        "id": "order_1", "entity": "order", "amount": 50000, "amount_paid": 0,
        "amount_due": 50000, "currency": "INR", "status": "created", "attempts": 0,
        "created_at": 1
    })
}

#[tokio::test]
async fn call_options_send_the_callers_headers_and_show_each_answer() {
    use paygen::{CallOptions, RetryPolicy};
    use std::time::Duration;
    let server = MockServer::start().await;
    // One 503 first: the hook sees the answer the call returns, after two attempts.
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(order_answer())
                .insert_header("x-request-id", "rzp_req_42"),
        )
        .mount(&server)
        .await;
    // Each answer the hook saw: status, the gateway's request id, attempts.
    type Seen = Vec<(u16, Option<String>, u32)>;
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let record = Arc::clone(&seen);
    let options = CallOptions::new()
        .with_header("x-partner-merchant-id", "merchant_secret_7")
        .with_response_hook(move |answer| {
            record.lock().unwrap().push((
                answer.status().as_u16(),
                answer.header("x-request-id").map(str::to_owned),
                answer.attempts(),
            ))
        });
    let client = razorpay::Client::new(Environment::Custom(server.uri()), "key", "secret")
        .with_retry(
            RetryPolicy::default()
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(10)),
        )
        .with_call_options(options);
    // The header's value is the caller's; it stays out of Debug.
    let shown = format!("{client:?}");
    assert!(
        shown.contains("x-partner-merchant-id") && !shown.contains("merchant_secret_7"),
        "{shown}"
    );
    let order = client
        .fetch_order(&razorpay::FetchOrderParams::new("order_1"))
        .await
        .unwrap();
    assert_eq!(order.id, "order_1");
    assert_eq!(
        *seen.lock().unwrap(),
        [(200, Some("rzp_req_42".to_owned()), 2)]
    );
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[1].headers["x-partner-merchant-id"],
        "merchant_secret_7"
    );
}

#[tokio::test]
async fn a_call_timeout_ends_an_attempt_and_a_bad_header_sends_nothing() {
    use paygen::{CallOptions, Error, RetryPolicy};
    use std::time::Duration;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(order_answer())
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = razorpay::Client::new(Environment::Custom(server.uri()), "key", "secret")
        .with_retry(RetryPolicy::never());
    let params = razorpay::FetchOrderParams::new("order_1");
    let quick = client
        .clone()
        .with_call_options(CallOptions::new().with_timeout(Duration::from_millis(100)));
    let started = std::time::Instant::now();
    match quick.fetch_order(&params).await {
        Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(4));
    // A value HTTP does not allow: refused before anything is sent.
    let bad = client.with_call_options(CallOptions::new().with_header("x-note", "two\nlines"));
    match bad.fetch_order(&params).await {
        Err(Error::InvalidHeader { name }) => assert_eq!(name, "x-note"),
        other => panic!("expected an invalid header, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_platform_calls_for_each_merchant_with_its_credentials_on_one_client() {
    use base64::Engine as _;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(order_answer()))
        .mount(&server)
        .await;
    let platform = razorpay::Client::new(Environment::Custom(server.uri()), "key_a", "secret_a");
    let merchant_b = platform.clone().with_credentials("key_b", "secret_b");
    // The secret stays out of Debug, as the first client's does.
    assert!(!format!("{merchant_b:?}").contains("secret_b"));
    let params = razorpay::FetchOrderParams::new("order_1");
    merchant_b.fetch_order(&params).await.unwrap();
    platform.fetch_order(&params).await.unwrap();
    let basic = |user_pass: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(user_pass)
        )
    };
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    // The clone sends its own account's; the platform's own is unchanged.
    assert_eq!(sent, [basic("key_b:secret_b"), basic("key_a:secret_a")]);

    // Header credentials (Cashfree's) are replaced whole.
    let cashfree = cashfree::Client::new(Environment::Custom(server.uri()), "app_a", "secret_a")
        .with_credentials("app_b", "secret_b");
    let _ = cashfree
        .get_order(&cashfree::GetOrderParams::new("order_1"))
        .await;
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(last.headers["x-client-id"], "app_b");
    assert_eq!(last.headers["x-client-secret"], "secret_b");
}

/// Parameters marked `x-secret` (tests/fixtures/specs/secret_params), with
/// a value each that must be sent and never shown.
fn secret_params() -> paygen_tests::fixtures::secret_params::FetchVaultEntryParams {
    let mut params = paygen_tests::fixtures::secret_params::FetchVaultEntryParams::builder()
        .card_token("tok_VAULTSECRET")
        .x_otp("OTP736251")
        .build()
        .unwrap();
    params.x_device_pin = Some("PIN8642".into());
    params.cvv = Some("4821".into());
    params.region = Some("QUERYVISIBLE".into());
    params
}

const PARAM_SECRETS: [&str; 4] = ["tok_VAULTSECRET", "OTP736251", "PIN8642", "4821"];

#[tokio::test]
async fn secret_parameters_are_sent_and_never_traced_nor_in_errors() {
    use paygen_tests::fixtures::secret_params;
    let (captured, _guard) = capture_traces();

    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/vault/tok_VAULTSECRET"))
        .and(wiremock::matchers::header("x-otp", "OTP736251"))
        .and(wiremock::matchers::header("x-device-pin", "PIN8642"))
        .and(wiremock::matchers::query_param("cvv", "4821"))
        .and(wiremock::matchers::query_param("region", "QUERYVISIBLE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "v1"})))
        .expect(1)
        .mount(&server)
        .await;
    let params = secret_params();
    let debug = format!("{params:?}");
    for secret in PARAM_SECRETS {
        assert!(
            !debug.contains(secret),
            "`{secret}` shown by Debug: {debug}"
        );
    }
    let client = secret_params::Client::new(Environment::Custom(server.uri()), "key");
    let entry = client.fetch_vault_entry(&params).await.unwrap();
    assert_eq!(entry.id.as_deref(), Some("v1"));

    // A transport error (nothing listens on the port any more) names the
    // path without the query and without the secret segment.
    // Port 1: privileged, never a test server's.
    let closed = "http://127.0.0.1:1".to_owned();
    let client = secret_params::Client::new(Environment::Custom(closed), "key")
        .with_retry(paygen::RetryPolicy::never());
    let error = client.fetch_vault_entry(&params).await.unwrap_err();
    assert!(matches!(error, paygen::Error::Transport(_)), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains("/vault/%7Bcard_token%7D") || shown.contains("/vault/{card_token}"),
        "{shown}"
    );

    // A path parameter that is not a secret is shown as it was sent.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(order_answer()))
        .mount(&server)
        .await;
    razorpay::Client::new(Environment::Custom(server.uri()), "rzp_test_1", "secret_1")
        .fetch_order(&razorpay::FetchOrderParams::new("order_VISIBLE1"))
        .await
        .unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("path=\"/vault/{card_token}\""), "{log}");
    assert!(log.contains("path=\"/v1/orders/order_VISIBLE1\""), "{log}");
    for (what, text) in [("the trace", &log), ("the error", &shown)] {
        for secret in PARAM_SECRETS.iter().chain(&["QUERYVISIBLE"]) {
            assert!(!text.contains(secret), "`{secret}` in {what}:\n{text}");
        }
    }
}

#[tokio::test]
async fn a_bearer_token_is_sent_as_authorization_and_never_shown() {
    use paygen_tests::fixtures::bearer_auth;
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::header(
        "authorization",
        "Bearer eyJ.TOKENSECRET.sig",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"amount": 5})))
    .expect(1)
    .mount(&server)
    .await;
    let client = bearer_auth::Client::new(Environment::Custom(server.uri()), "eyJ.TOKENSECRET.sig");
    assert!(!format!("{client:?}").contains("TOKENSECRET"), "{client:?}");
    let balance = client.get_balance().await.unwrap();
    assert_eq!(balance.amount, Some(5));
}

#[tokio::test]
async fn a_razorpay_key_of_the_other_environment_sends_nothing() {
    // Razorpay's sandbox and production are one server: the key decides.
    for (environment, key, named) in [
        (Environment::Sandbox, "rzp_live_1DP5mmOlF5G5ag", "sandbox"),
        (
            Environment::Production,
            "rzp_test_1DP5mmOlF5G5ag",
            "production",
        ),
    ] {
        let client = paygen::razorpay::Client::new(environment, key, "secret");
        let error = client
            .create_order(&paygen::razorpay::CreateOrderRequest::new(50_000, "INR"))
            .await
            .unwrap_err();
        assert_eq!(error.outcome(), paygen::Outcome::NotSent);
        match error {
            paygen::Error::Setup(paygen::SetupError::KeyForAnotherEnvironment {
                credential,
                environment,
                ..
            }) => assert_eq!((credential, environment), ("key_id", named)),
            other => panic!("{other:?}"),
        }
    }
    // Another account's key of the wrong kind, on a client that was right.
    let client = paygen::razorpay::Client::new(Environment::Sandbox, "rzp_test_1", "s")
        .with_credentials("rzp_live_2", "s");
    let error = client
        .create_order(&paygen::razorpay::CreateOrderRequest::new(50_000, "INR"))
        .await
        .unwrap_err();
    assert!(matches!(error, paygen::Error::Setup(_)), "{error:?}");
}

#[tokio::test]
async fn the_metrics_hook_sees_each_call_once_with_latency_attempts_and_outcome() {
    use paygen::{CallOptions, Outcome, RetryPolicy};
    use std::time::Duration;
    type Seen = Vec<(&'static str, u32, Option<u16>, Option<Outcome>, Duration)>;
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let record = seen.clone();
    let options = CallOptions::new().with_metrics(move |call| {
        record.lock().unwrap().push((
            call.operation(),
            call.attempts(),
            call.status().map(|s| s.as_u16()),
            call.outcome(),
            call.elapsed(),
        ));
        assert_eq!(call.gateway(), "razorpay");
    });
    // 503 once, then the order: one call, two attempts.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(order_answer()))
        .mount(&server)
        .await;
    let retry = RetryPolicy::default().with_base_delay(Duration::from_millis(1));
    let client = paygen_tests::support::razorpay_client(&server.uri())
        .with_retry(retry)
        .with_call_options(options);
    let params = paygen::razorpay::FetchOrderParams::new("order_DBJOWzybf0sJbb");
    client.fetch_order(&params).await.unwrap();
    // Invalid: nothing sent.
    client
        .fetch_order(&paygen::razorpay::FetchOrderParams::new(""))
        .await
        .unwrap_err();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let (operation, attempts, status, outcome, elapsed) = seen[0];
    assert_eq!(
        (operation, attempts, status, outcome),
        ("fetch_order", 2, Some(200), None)
    );
    assert!(elapsed > Duration::ZERO);
    let (_, attempts, status, outcome, _) = seen[1];
    assert_eq!(
        (attempts, status, outcome),
        (0, None, Some(Outcome::NotSent))
    );
}
