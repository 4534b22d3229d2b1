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

#[tokio::test]
async fn calls_are_traced_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        // No timestamps: their digits could contain a short secret by chance.
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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
    assert!(log.contains("status=200"), "{log}");
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
