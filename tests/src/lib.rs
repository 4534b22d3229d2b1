//! Shared helpers for paygen's workspace tests: rendering what a reviewer reads
//! in a snapshot.

use paygen::{Validate, ValidationReport};

/// The code generated from `tests/fixtures/specs/`, one module per fixture,
/// compiled here so that a fixture whose output does not compile fails the build.
// Machine-written: formatted by prettyplease, so rustfmt leaves it alone.
#[rustfmt::skip]
// Generated code documents every public item, described in the spec or not.
#[deny(missing_docs)]
pub mod fixtures;

/// The code the lenient import mode generates from `tests/fixtures/imported/`
/// (published-style OpenAPI files), compiled here under the same lints.
#[rustfmt::skip]
#[deny(missing_docs)]
pub mod imported;
use serde::Serialize;

/// Every type and operation of `specs/`, written by `tests/build.rs` from the
/// generator's IR, for the tests that go through all of them: a new endpoint
/// in `specs/` is tested without an edit here.
pub mod registry {
    use std::fmt::Debug;

    use serde::de::DeserializeOwned;

    /// What a test does with one generated type.
    pub trait TypeVisitor {
        /// What the visit returns.
        type Output;
        /// Called with the generated type.
        fn visit<T>(self) -> Self::Output
        where
            T: serde::Serialize + DeserializeOwned + Debug + paygen::Validate + 'static;
    }

    fn decode<T: DeserializeOwned>(value: Option<serde_json::Value>) -> T {
        let value = value.expect("an operation with a request body is called with one");
        serde_json::from_value(value).expect("documented examples decode")
    }

    /// The success body, or the gateway's error body as `Gateway <status>`
    /// then the body, or any other error, each rendered with `{:#?}`.
    fn outcome<T: Debug, E: Debug>(result: Result<T, paygen::Error<E>>) -> Result<String, String> {
        match result {
            Ok(value) => Ok(format!("{value:#?}")),
            Err(paygen::Error::Gateway { status, body, .. }) => {
                Err(format!("Gateway {}\n{body:#?}", status.as_u16()))
            }
            Err(error) => Err(format!("{error:#?}")),
        }
    }

    include!(concat!(env!("OUT_DIR"), "/registry.rs"));
}

/// The input as JSON, then the validation outcome: one line per violation,
/// then the report as a service would return it.
pub fn validation_snapshot<T: Serialize + Validate>(input: &T) -> String {
    let json = serde_json::to_string_pretty(input).expect("test inputs serialize");
    let outcome = match input.validate() {
        Ok(()) => "valid".to_owned(),
        Err(report) => render_report(&report),
    };
    format!("input:\n{json}\n\n{outcome}\n")
}

/// `Display` lines, then the serialized report.
pub fn render_report(report: &ValidationReport) -> String {
    let json = serde_json::to_string_pretty(report).expect("reports serialize");
    format!(
        "violations ({}):\n{report}\n\nas JSON:\n{json}",
        report.len()
    )
}

/// A form body split at `&`, one pair per line, for readable snapshots; the
/// body itself is shown first, exactly as sent.
pub fn form_snapshot(body: &[u8]) -> String {
    let text = std::str::from_utf8(body).expect("form bodies are ASCII");
    let pairs: Vec<&str> = text.split('&').collect();
    format!("body:\n{text}\n\npairs:\n{}\n", pairs.join("\n"))
}

/// Header values that must never show in a snapshot: shown masked instead.
const SECRET_HEADERS: &[&str] = &["x-client-secret"];

/// A request as the loopback server received it: method, path and query,
/// headers in name order (transport headers left out, secrets masked), and
/// the body (JSON pretty-printed, a form one pair per line).
pub fn request_snapshot(request: &wiremock::Request) -> String {
    use base64::Engine as _;
    let mut out = format!("{} {}", request.method, request.url.path());
    if let Some(query) = request.url.query() {
        out.push('?');
        out.push_str(query);
    }
    out.push('\n');
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, value)| {
            let transport = matches!(
                name.as_str(),
                "host" | "content-length" | "accept" | "accept-encoding" | "connection"
            );
            // paygen's own User-Agent names its version: checked once, in the
            // conventions tests, not in every snapshot.
            let ours =
                name.as_str() == "user-agent" && value.as_bytes() == paygen::USER_AGENT.as_bytes();
            !transport && !ours
        })
        .map(|(name, value)| {
            let value = value.to_str().unwrap_or("<binary>").to_owned();
            let value = if name.as_str() == "authorization" {
                // Show the user name, which says which credentials were used, never the password.
                let decoded = value
                    .strip_prefix("Basic ")
                    .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok())
                    .and_then(|b| String::from_utf8(b).ok());
                match decoded.as_deref().and_then(|d| d.split_once(':')) {
                    Some((user, "")) => format!("Basic base64({user}:) [empty password]"),
                    Some((user, _)) => format!("Basic base64({user}:***)"),
                    None => "***".to_owned(),
                }
            } else if SECRET_HEADERS.contains(&name.as_str()) {
                "***".to_owned()
            } else {
                value
            };
            (name.as_str().to_owned(), value)
        })
        .collect();
    headers.sort();
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\n"));
    }
    out.push('\n');
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("application/json") {
        // The exact bytes, then the same JSON indented (keys sorted) to read.
        out.push_str("body:\n");
        out.push_str(&String::from_utf8_lossy(&request.body));
        let json: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
        out.push_str("\n\nindented:\n");
        out.push_str(&serde_json::to_string_pretty(&json).unwrap());
        out.push('\n');
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        out.push_str(&form_snapshot(&request.body));
    } else {
        out.push_str(&String::from_utf8_lossy(&request.body));
    }
    out
}

/// Clients and bodies the loopback tests share: test credentials, the
/// documented test bodies, and answers that carry what every answer carries.
pub mod support {
    use paygen::{cashfree, juspay, razorpay, Environment};
    use serde_json::{json, Value};
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// A Razorpay client with test credentials for `base`.
    pub fn razorpay_client(base: &str) -> razorpay::Client {
        razorpay::Client::new(
            Environment::Custom(base.to_owned()),
            "rzp_test_1DP5mmOlF5G5ag",
            "thisisthekeysecret",
        )
    }

    /// A Cashfree client with test credentials for `base`.
    pub fn cashfree_client(base: &str) -> cashfree::Client {
        cashfree::Client::new(
            Environment::Custom(base.to_owned()),
            "TEST_APP_ID",
            "cfsk_ma_test_secret",
        )
    }

    /// A Juspay client with a test key for `base`.
    pub fn juspay_client(base: &str) -> juspay::Client {
        juspay::Client::new(Environment::Custom(base.to_owned()), "JUSPAY_TEST_KEY")
    }

    /// A Razorpay order of 500.00 INR with a receipt.
    pub fn order() -> razorpay::CreateOrderRequest {
        let mut order = razorpay::CreateOrderRequest::new(50_000, "INR");
        order.receipt = Some("receipt#1".into());
        order
    }

    /// A Razorpay order answer with every field an order always carries.
    pub fn order_answer(id: &str) -> Value {
        json!({
            "id": id,
            "entity": "order",
            "amount": 50000,
            "amount_paid": 0,
            "amount_due": 50000,
            "currency": "INR",
            "status": "created",
            "attempts": 0,
            "created_at": 1582628071
        })
    }

    /// A Cashfree UPI intent payment.
    pub fn upi_payment() -> cashfree::PayOrderRequest {
        cashfree::PayOrderRequest::new(
            "session_x",
            cashfree::PayOrderPaymentMethod::Upi(cashfree::UpiMethod::new(
                cashfree::UpiChannel::Link,
            )),
        )
    }

    /// A Cashfree card payment with the test card.
    pub fn card_payment() -> cashfree::PayOrderRequest {
        let mut card = cashfree::CardMethod::new(cashfree::CardChannel::Link);
        card.card_number = Some("4111111111111111".into());
        card.card_expiry_mm = Some("03".into());
        card.card_expiry_yy = Some("28".into());
        card.card_cvv = Some("123".into());
        cashfree::PayOrderRequest::new("session_x", cashfree::PayOrderPaymentMethod::Card(card))
    }

    /// A Cashfree pay answer with every field such an answer always carries.
    pub fn pay_answer() -> Value {
        json!({"cf_payment_id": "91235", "action": "link", "payment_method": "upi", "payment_amount": 1.75})
    }

    /// A loopback server that answers every request with `template`.
    pub async fn serve(template: ResponseTemplate) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(template)
            .mount(&server)
            .await;
        server
    }

    /// How many requests `server` has received.
    pub async fn received(server: &MockServer) -> usize {
        server.received_requests().await.unwrap_or_default().len()
    }
}
