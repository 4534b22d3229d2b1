//! OAuth 2 client credentials, as the imported `walletpay` fixture declares
//! them, against a loopback token server: one fetch for a client, its clones
//! and concurrent first calls; a new token shortly before expiry and once
//! after a 401; the token endpoint's failures as `Error::Token`, nothing sent.

use std::time::Duration;

use paygen::{Environment, Error, Outcome, TokenError};
use paygen_tests::imported::walletpay;
use paygen_tests::support::with_token_endpoint;
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN_PATH: &str = "/v1/oauth2/token";
/// `client_1:secret_1`, as HTTP Basic sends it.
const BASIC: &str = "Basic Y2xpZW50XzE6c2VjcmV0XzE=";

fn token_answer(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"access_token": token, "token_type": "Bearer", "expires_in": expires_in}),
    )
}

fn order_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": "ORDER1", "status": "CREATED"}))
}

/// A server whose token endpoint gives `token` (for the right client id and
/// secret and grant) and whose orders answer to that token only.
async fn server(token: &str, expires_in: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("authorization", BASIC))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(token_answer(token, expires_in))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(order_answer())
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> walletpay::Client {
    walletpay::Client::new(Environment::Custom(server.uri()), "client_1", "secret_1")
}

fn get() -> walletpay::OrdersGetParams {
    walletpay::OrdersGetParams::new("ORDER1")
}

async fn token_fetches(server: &MockServer) -> usize {
    let received = server.received_requests().await.unwrap();
    received
        .iter()
        .filter(|r| r.url.path() == TOKEN_PATH)
        .count()
}

#[tokio::test]
async fn one_token_serves_the_client_and_its_clones() {
    let server = server("tok_A", 3600).await;
    let client = client(&server);
    for _ in 0..3 {
        let order = client.orders_get(&get()).await.unwrap();
        assert_eq!(order.id.as_deref(), Some("ORDER1"));
    }
    client.clone().orders_get(&get()).await.unwrap();
    assert_eq!(token_fetches(&server).await, 1);
    // Neither the client nor its credentials show the secret or the token.
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("secret_1") && !shown.contains("tok_A"),
        "{shown}"
    );
}

#[tokio::test]
async fn concurrent_first_calls_wait_for_one_fetch() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer("tok_A", 3600).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok_A"))
        .respond_with(order_answer())
        .mount(&server)
        .await;
    let client = client(&server);
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.orders_get(&get()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(token_fetches(&server).await, 1);
}

#[tokio::test]
async fn a_token_is_fetched_again_shortly_before_it_expires() {
    // Two seconds of life: fetched again after 1.8 s (a tenth early).
    let server = server("tok_A", 2).await;
    let client = client(&server);
    client.orders_get(&get()).await.unwrap();
    client.orders_get(&get()).await.unwrap();
    assert_eq!(token_fetches(&server).await, 1, "fresh: kept");
    tokio::time::sleep(Duration::from_millis(1900)).await;
    client.orders_get(&get()).await.unwrap();
    assert_eq!(
        token_fetches(&server).await,
        2,
        "near expiry: fetched again"
    );
}

#[tokio::test]
async fn a_refused_token_is_replaced_once_and_the_call_sent_again() {
    let server = MockServer::start().await;
    // The first token is revoked at the gateway; the second is good.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer("tok_revoked", 3600))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer("tok_good", 3600))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/checkout/orders"))
        .and(header("authorization", "Bearer tok_good"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "ORDER1", "status": "CREATED"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/checkout/orders"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"name": "AUTHENTICATION_FAILURE", "message": "revoked"})),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    let client = client(&server).with_retry(paygen::RetryPolicy::never());
    let request: walletpay::OrderRequest = serde_json::from_value(json!({
        "intent": "CAPTURE",
        "purchase_units": [{"amount": {"currency_code": "USD", "value": "10.00"}}]
    }))
    .unwrap();
    // A POST without an idempotency key is still sent again: a 401 means
    // the gateway did not act on it.
    let order = client
        .orders_create(&request, &Default::default())
        .await
        .unwrap();
    assert_eq!(order.id.as_deref(), Some("ORDER1"));
    assert_eq!(token_fetches(&server).await, 2);
    let received = server.received_requests().await.unwrap();
    let creates = received
        .iter()
        .filter(|r| r.url.path() == "/v2/checkout/orders")
        .count();
    assert_eq!(creates, 2);
}

#[tokio::test]
async fn a_second_401_is_the_answer_not_a_loop() {
    let server = with_token_endpoint("tok_A").await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"name": "AUTHENTICATION_FAILURE", "message": "no"})),
        )
        .mount(&server)
        .await;
    let error = client(&server).orders_get(&get()).await.unwrap_err();
    assert!(
        matches!(&error, Error::Gateway { status, .. } if status.as_u16() == 401),
        "{error:?}"
    );
    assert_eq!(token_fetches(&server).await, 2, "one fetch, one refresh");
}

#[tokio::test]
async fn a_token_endpoint_that_refuses_or_is_down_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_client", "error_description": "Client Authentication failed"}),
        ))
        .mount(&server)
        .await;
    let error = client(&server).orders_get(&get()).await.unwrap_err();
    match &error {
        Error::Token(TokenError::Refused { status, error, .. }) => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(error.as_deref(), Some("invalid_client"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(error.outcome(), Outcome::NotSent);
    assert!(!error.to_string().contains("secret_1"), "{error}");
    let received = server.received_requests().await.unwrap();
    assert!(
        received.iter().all(|r| r.url.path() == TOKEN_PATH),
        "no call was sent"
    );

    // Nothing listens on port 1.
    let down = walletpay::Client::new(
        Environment::Custom("http://127.0.0.1:1".into()),
        "client_1",
        "secret_1",
    );
    let error = down.orders_get(&get()).await.unwrap_err();
    assert!(
        matches!(error, Error::Token(TokenError::Transport(_))),
        "{error:?}"
    );
    assert_eq!(error.outcome(), Outcome::NotSent);
}

#[tokio::test]
async fn an_answer_that_is_not_a_bearer_token_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok_A", "token_type": "mac"})),
        )
        .mount(&server)
        .await;
    let error = client(&server).orders_get(&get()).await.unwrap_err();
    assert!(
        matches!(error, Error::Token(TokenError::NotAToken(_))),
        "{error:?}"
    );
    assert!(!error.to_string().contains("tok_A"), "{error}");
}

#[tokio::test]
async fn an_error_body_narrowed_by_status_decodes_with_its_issues() {
    // `orders.get-404` is the error body with `details` narrowed (through
    // `allOf`) to this status's issues: the narrower definition is the type.
    let server = with_token_endpoint("tok_A").await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "name": "RESOURCE_NOT_FOUND", "message": "Not found.",
            "details": [
                {"issue": "RESOURCE_NOT_FOUND", "description": "The specified resource does not exist."},
                {"issue": "A_LATER_ISSUE", "description": "Added after the spec."}
            ]
        })))
        .mount(&server)
        .await;
    let error = client(&server).orders_get(&get()).await.unwrap_err();
    let Error::Gateway {
        body: walletpay::OrdersGetError::NotFound(body),
        ..
    } = error
    else {
        panic!("{error:?}");
    };
    let issues: Vec<String> = body
        .details
        .unwrap()
        .iter()
        .map(|item| match item {
            walletpay::OrdersGet404DetailsItem::ResourceNotFound(d) => {
                d.issue.as_ref().unwrap().to_string()
            }
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(issues, ["RESOURCE_NOT_FOUND", "A_LATER_ISSUE"]);
}

#[tokio::test]
async fn a_json_patch_body_is_sent_as_a_list_each_item_checked() {
    let server = with_token_endpoint("tok_A").await;
    Mock::given(method("PATCH"))
        .and(path("/v2/checkout/orders/ORDER1/update"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let params = walletpay::OrdersPatchParams::new("ORDER1");
    let patch: Vec<walletpay::Patch> = serde_json::from_value(json!([
        {"op": "replace", "path": "/purchase_units/@reference_id=='d'/amount", "value": {"currency_code": "USD", "value": "5.00"}}
    ]))
    .unwrap();
    client.orders_patch(&patch, &params).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let sent = received
        .iter()
        .find(|r| r.method.as_str() == "PATCH")
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body[0]["op"], "replace");
    assert!(body.is_array());
    // Each item is validated at its index; nothing is sent.
    let bad: Vec<walletpay::Patch> = serde_json::from_value(
        json!([{"op": "remove", "path": "/a"}, {"op": "remove", "path": "a"}]),
    )
    .unwrap();
    let error = client.orders_patch(&bad, &params).await.unwrap_err();
    match error {
        Error::Validation(report) => {
            assert_eq!(report.violations()[0].path, "[1].path", "{report}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_call_s_deadline_bounds_the_token_fetch_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer("tok_A", 3600).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client(&server)
        .with_timeouts(paygen::Timeouts::default().with_deadline(Duration::from_millis(300)));
    let started = std::time::Instant::now();
    let error = client.orders_get(&get()).await.unwrap_err();
    assert!(
        matches!(error, Error::Token(TokenError::Deadline)),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.outcome(), Outcome::NotSent);
}

#[tokio::test]
async fn a_path_parameter_the_spec_only_names_in_its_path_fills_it() {
    let server = with_token_endpoint("tok_A").await;
    Mock::given(method("POST"))
        .and(path("/v2/checkout/orders/ORDER1/capture"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "ORDER1", "status": "COMPLETED"})),
        )
        .mount(&server)
        .await;
    let order = client(&server)
        .orders_capture(&walletpay::OrdersCaptureParams::new("ORDER1"))
        .await
        .unwrap();
    assert_eq!(order.id.as_deref(), Some("ORDER1"));
    // Still a path segment: `..` is refused before anything is sent.
    let error = client(&server)
        .orders_capture(&walletpay::OrdersCaptureParams::new(".."))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Validation(_)), "{error:?}");
}

#[tokio::test]
async fn credentials_for_a_prepared_request_carry_the_token_fetched_once() {
    let server = server("tok_A", 3600).await;
    let client = client(&server);
    let prepared = client.prepare_orders_get(&get()).unwrap();
    assert!(
        prepared
            .headers()
            .iter()
            .all(|h| h.name() != "authorization"),
        "no token in what is stored: {prepared:?}"
    );
    let credentials = client.credentials_for(&prepared).await.unwrap();
    assert_eq!(credentials["authorization"], "Bearer tok_A");
    assert!(credentials["authorization"].is_sensitive());
    // The client's own call uses the same token: one fetch for both.
    client.orders_get(&get()).await.unwrap();
    assert_eq!(token_fetches(&server).await, 1);
}
