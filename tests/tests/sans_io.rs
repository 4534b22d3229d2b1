//! The sans-IO layer: `prepare_<operation>` builds exactly the request the
//! client method sends, without sending it or holding credentials;
//! `credentials_for` gives the credential headers; `decode_<operation>`
//! decodes whatever answer came back, as the method would.

use paygen::{razorpay, Environment, Error, PreparedRequest};
use paygen_tests::support::{order, order_answer, razorpay_client, serve};
use wiremock::ResponseTemplate;

/// Sends `prepared` with a plain reqwest client, as an outbox worker would.
async fn send(
    prepared: &PreparedRequest,
    credentials: paygen::reqwest::header::HeaderMap,
) -> (
    paygen::reqwest::StatusCode,
    paygen::reqwest::header::HeaderMap,
    Vec<u8>,
) {
    let method = prepared.method().parse().unwrap();
    let mut request = reqwest::Client::new()
        .request(method, prepared.url())
        .headers(credentials);
    for header in prepared.headers() {
        request = request.header(header.name(), header.value());
    }
    if let Some(body) = prepared.body() {
        request = request.body(body.to_vec());
    }
    let answer = request.send().await.unwrap();
    let (status, headers) = (answer.status(), answer.headers().clone());
    (status, headers, answer.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_prepared_request_is_the_methods_request_and_its_answer_decodes_as_the_methods() {
    let server = serve(ResponseTemplate::new(200).set_body_json(order_answer("order_1"))).await;
    let client = razorpay_client(&server.uri());
    // What the method itself sends.
    client.create_order(&order()).await.unwrap();
    let by_method = server.received_requests().await.unwrap().remove(0);

    let prepared = client.prepare_create_order(&order()).unwrap();
    assert_eq!(
        (prepared.operation(), prepared.method()),
        ("create_order", "POST")
    );
    assert_eq!(prepared.url(), format!("{}/v1/orders", server.uri()));
    assert!(!prepared.is_idempotent(), "an order creation without a key");
    assert!(
        prepared
            .headers()
            .iter()
            .all(|h| h.name() != "authorization"),
        "no credentials in a prepared request: {prepared:?}"
    );
    assert_eq!(prepared.body(), Some(&by_method.body[..]));

    let credentials = client.credentials_for(&prepared).await.unwrap();
    assert!(credentials["authorization"].is_sensitive());
    let (status, headers, body) = send(&prepared, credentials).await;
    let by_hand = server.received_requests().await.unwrap().remove(1);
    assert_eq!(by_hand.body, by_method.body);
    for name in ["authorization", "content-type"] {
        assert_eq!(by_hand.headers[name], by_method.headers[name], "{name}");
    }
    let created = razorpay::Client::decode_create_order(status, &headers, &body).unwrap();
    assert_eq!(created.id, "order_1");
}

#[tokio::test]
async fn a_prepared_request_stores_without_secrets_and_comes_back_the_same() {
    let client = razorpay_client("http://127.0.0.1:1");
    let prepared = client.prepare_create_order(&order()).unwrap();
    let stored = serde_json::to_string(&prepared).unwrap();
    for secret in ["thisisthekeysecret", "rzp_test_1DP5mmOlF5G5ag"] {
        assert!(!stored.contains(secret), "{stored}");
    }
    let loaded: PreparedRequest = serde_json::from_str(&stored).unwrap();
    assert_eq!(loaded, prepared);
}

#[test]
fn an_invalid_request_is_not_prepared_and_an_error_answer_decodes_with_status_and_body() {
    let client = razorpay_client("http://127.0.0.1:1");
    let mut bad = order();
    bad.amount = 0;
    assert!(matches!(
        client.prepare_create_order(&bad),
        Err(Error::Validation(_))
    ));
    let body = br#"{"error":{"code":"BAD_REQUEST_ERROR","description":"The amount must be at least INR 1.00"}}"#;
    let headers = paygen::reqwest::header::HeaderMap::new();
    let status = paygen::reqwest::StatusCode::BAD_REQUEST;
    match razorpay::Client::decode_create_order(status, &headers, body) {
        Err(Error::Gateway { status, raw, .. }) => {
            assert_eq!(status, 400);
            assert_eq!(&raw[..], body);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn secret_parameters_are_marked_and_masked_and_a_keyed_call_is_idempotent() {
    use paygen_tests::fixtures::secret_params;
    let client =
        secret_params::Client::new(Environment::Custom("http://127.0.0.1:1".into()), "key");
    let mut params = secret_params::FetchVaultEntryParams::builder()
        .card_token("tok_VAULTSECRET")
        .x_otp("OTP736251")
        .build()
        .unwrap();
    params.region = Some("QUERYVISIBLE".into());
    let prepared = client.prepare_fetch_vault_entry(&params).unwrap();
    let otp = prepared
        .headers()
        .iter()
        .find(|h| h.name() == "x-otp")
        .unwrap();
    assert!(otp.is_sensitive());
    assert_eq!(otp.value(), "OTP736251", "sent as it is");
    let shown = format!("{prepared:?}");
    for secret in ["OTP736251", "tok_VAULTSECRET"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(prepared.is_idempotent(), "a GET");

    let keyed = paygen_tests::support::cashfree_client("http://127.0.0.1:1")
        .prepare_pay_order(
            &paygen_tests::support::upi_payment(),
            &paygen::cashfree::PayOrderParams {
                x_idempotency_key: Some("order_1610009874".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(keyed.is_idempotent());
}
