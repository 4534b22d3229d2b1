//! The generated clients against a real HTTP server on loopback: the exact
//! request every documented example produces, every documented answer decoded
//! through the client, and the client's behaviour when the gateway or the
//! network misbehaves.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use paygen::{cashfree, juspay, razorpay, Environment, Error, RetryPolicy};
use paygen_codegen::ir::ExampleOf;
use paygen_tests::registry::{with_type, TypeVisitor};
use paygen_tests::request_snapshot;
use paygen_tests::support::{cashfree_client, juspay_client, order, order_answer, razorpay_client};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Sends `body` (an example decoded into the operation's request type, if the
/// operation has one) through the generated client method of
/// `gateway`/`operation`, found in the registry `tests/build.rs` writes.
async fn call(
    gateway: &str,
    operation: &str,
    base: &str,
    body: Option<Value>,
) -> Result<String, String> {
    paygen_tests::registry::call(gateway, operation, base, body)
        .await
        .unwrap_or_else(|| panic!("{gateway}::{operation} is not in the registry"))
}

#[tokio::test]
async fn every_documented_request_on_the_wire() {
    let output = paygen_codegen::Generator::for_workspace().render().unwrap();
    let mut taken = std::collections::BTreeSet::new();
    for gateway in &output.gateways {
        for op in gateway.operations() {
            // The request is what is checked here; the answer, when the page
            // documents one, must also decode.
            let answer = op
                .examples
                .iter()
                .find(|e| e.of == ExampleOf::Response)
                .map(|e| e.value.clone());
            // Each documented request body, or, for an operation without one
            // (a GET), the call itself.
            let bodies: Vec<(String, Option<Value>)> = if op.request.is_some() {
                op.examples
                    .iter()
                    .filter(|e| e.of == ExampleOf::Request)
                    .map(|e| (format!("__{}", e.name), Some(e.value.clone())))
                    .collect()
            } else {
                vec![(String::new(), None)]
            };
            for (suffix, body) in bodies {
                let server = MockServer::start().await;
                Mock::given(any())
                    .respond_with(
                        ResponseTemplate::new(200)
                            .set_body_json(answer.clone().unwrap_or_default()),
                    )
                    .expect(1)
                    .mount(&server)
                    .await;
                let result = call(&gateway.name, &op.method_name, &server.uri(), body).await;
                if answer.is_some() {
                    result.unwrap_or_else(|e| panic!("{}::{}: {e}", gateway.name, op.method_name));
                }
                let received = server.received_requests().await.unwrap();
                assert_eq!(received.len(), 1);
                let name = format!("request__{}__{}{suffix}", gateway.name, op.method_name);
                insta::assert_snapshot!(name.clone(), request_snapshot(&received[0]));
                taken.insert(name);
            }
        }
    }
    paygen_tests::assert_snapshots_are_exactly("wire", "request__", &taken);
}

#[tokio::test]
async fn every_documented_answer_decodes_through_the_client() {
    let output = paygen_codegen::Generator::for_workspace().render().unwrap();
    for gateway in &output.gateways {
        for op in gateway.operations() {
            let request = op.examples.iter().find(|e| e.of == ExampleOf::Request);
            if op.request.is_some() && request.is_none() {
                // Nothing documented to send.
                continue;
            }
            for example in op.examples.iter().filter(|e| e.of != ExampleOf::Request) {
                let server = MockServer::start().await;
                let status = if example.of == ExampleOf::Response {
                    200
                } else {
                    400
                };
                Mock::given(any())
                    .respond_with(ResponseTemplate::new(status).set_body_json(&example.value))
                    .mount(&server)
                    .await;
                let result = call(
                    &gateway.name,
                    &op.method_name,
                    &server.uri(),
                    request.map(|r| r.value.clone()),
                )
                .await;
                let what = format!("{}::{} `{}`", gateway.name, op.method_name, example.name);
                // What the client gives is what the example decodes to on its
                // own (pinned in spec_examples' snapshots), so it is compared,
                // not snapshotted a second time.
                let (ty, through_client) = match (example.of, result) {
                    (ExampleOf::Response, Ok(value)) => (op.response.spec_name(), value),
                    (ExampleOf::Error, Err(e)) if e.starts_with("Gateway 400\n") => {
                        (op.error.clone(), e["Gateway 400\n".len()..].to_owned())
                    }
                    (_, other) => panic!("{what}: {other:?}"),
                };
                let direct = with_type(&gateway.name, &ty, Rendered(example.value.clone()))
                    .unwrap_or_else(|| panic!("{what}: no type `{ty}` in the registry"));
                assert_eq!(through_client, direct, "{what}");
            }
        }
    }
}

/// Decodes a value into the type visited and renders it with `{:#?}`.
struct Rendered(Value);

impl TypeVisitor for Rendered {
    type Output = String;

    fn visit<T>(self) -> String
    where
        T: serde::Serialize
            + serde::de::DeserializeOwned
            + std::fmt::Debug
            + paygen::Validate
            + 'static,
    {
        let decoded: T = serde_json::from_value(self.0).expect("documented examples decode");
        format!("{decoded:#?}")
    }
}

/// The page's intent response as it is sent, slashes escaped (`https:\/\/`).
const JUSPAY_INTENT_RESPONSE: &str =
    include_str!("../fixtures/wire/juspay_txns_intent_response.json");

fn txns_request() -> juspay::TxnsRequest {
    let params = juspay::SdkPgParams::builder()
        .platform(juspay::TxnPlatform::Web)
        .os(juspay::Os::Macos)
        .device(juspay::Device::Desktop)
        .country_code("+91")
        .phone_number("enc-AbCd==")
        .build()
        .unwrap()
        .with_cred_app_present(true);
    juspay::TxnsRequest::builder()
        .order_id("test_1610009874")
        .merchant_id("Symbol")
        .sdk_pg_params(params)
        .build()
        .unwrap()
}

#[tokio::test]
async fn juspay_intent_response_with_escaped_slashes_decodes() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(JUSPAY_INTENT_RESPONSE, "application/json"),
        )
        .mount(&server)
        .await;
    let answer = juspay_client(&server.uri())
        .create_txn(
            &txns_request(),
            &juspay::CreateTxnParams::new("customer_1122"),
        )
        .await
        .unwrap();
    let sdk = answer
        .payment
        .as_ref()
        .and_then(|p| p.sdk_params.as_ref())
        .unwrap();
    let response = sdk.response.as_ref().unwrap();
    assert_eq!(response.checkout_mode, Some(juspay::CheckoutMode::Intent));
    assert_eq!(
        response.intent_url.as_deref(),
        Some("credpay://checkout?ref_id=0e57fe61-0e1e-401f-33c22e559441&is_collect=false&redirect_to=com.mid.customer.cred%3A%2F%2F")
    );
    // The whole answer is the page's own example (its snapshot is
    // spec_examples' `juspay__create_txn__response__intent`), slashes escaped
    // or not.
    let output = paygen_codegen::Generator::for_workspace().render().unwrap();
    let documented = output
        .gateways
        .iter()
        .filter(|g| g.name == "juspay")
        .flat_map(|g| g.operations())
        .filter(|op| op.method_name == "create_txn")
        .flat_map(|op| op.examples.iter())
        .find(|e| e.of == ExampleOf::Response && e.name == "intent")
        .expect("the page's intent example");
    assert_eq!(
        answer,
        serde_json::from_value(documented.value.clone()).unwrap()
    );
}

async fn serve(status: u16, body: &str, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn gateway_errors_come_back_typed_with_status_and_raw_body() {
    let body = r#"{"error":{"code":"BAD_REQUEST_ERROR","description":"The amount must be atleast INR 1.00","source":"business","step":"order_create","reason":"input_validation_failed","metadata":{},"field":"amount"}}"#;
    let server = serve(400, body, "application/json").await;
    match razorpay_client(&server.uri()).create_order(&order()).await {
        Err(Error::Gateway {
            status,
            body: error,
            raw,
            ..
        }) => {
            assert_eq!(status, 400);
            assert_eq!(raw, body.as_bytes());
            let detail = error.error;
            assert_eq!(detail.code, Some(razorpay::ErrorCode::BadRequestError));
            assert_eq!(detail.field.as_deref(), Some("amount"));
        }
        other => panic!("{other:?}"),
    }

    let body = r#"{"error":{"code":"GATEWAY_ERROR","description":"Authentication failed due to incorrect OTP","field":null,"source":"customer","step":"payment_authentication","reason":"gateway failure","metadata":{"order_id":"order_EKwxwAgItmmXdp","payment_id":"pay_TKwxwAgItmmXdp"}}}"#;
    let server = serve(502, body, "application/json").await;
    match razorpay_client(&server.uri()).create_order(&order()).await {
        Err(Error::Gateway {
            status,
            body: error,
            ..
        }) => {
            assert_eq!(status, 502);
            assert_eq!(error.error.code, Some(razorpay::ErrorCode::GatewayError));
            let metadata = error.error.metadata.unwrap();
            assert_eq!(metadata.order_id.as_deref(), Some("order_EKwxwAgItmmXdp"));
        }
        other => panic!("{other:?}"),
    }

    let body = r#"{"status":"BAD_REQUEST","error_code":"HD_0009","error_message":"User phone number is missing in request body","user_message":"User phone number is missing in request body"}"#;
    let server = serve(400, body, "application/json").await;
    let result = juspay_client(&server.uri())
        .create_txn(
            &txns_request(),
            &juspay::CreateTxnParams::new("customer_1122"),
        )
        .await;
    match result {
        Err(Error::Gateway {
            status,
            body: error,
            ..
        }) => {
            assert_eq!(status, 400);
            assert_eq!(error.error_code.as_deref(), Some("HD_0009"));
            assert_eq!(error.status.as_deref(), Some("BAD_REQUEST"));
        }
        other => panic!("{other:?}"),
    }

    let body = r#"{"message":"authentication Failed","code":"request_failed","type":"authentication_error"}"#;
    let server = serve(401, body, "application/json").await;
    let request = cashfree::PayOrderRequest::new(
        "session_x",
        cashfree::PayOrderPaymentMethod::Upi(cashfree::UpiMethod::new(cashfree::UpiChannel::Link)),
    );
    match cashfree_client(&server.uri())
        .pay_order(&request, &Default::default())
        .await
    {
        Err(Error::Gateway {
            status,
            body: error,
            ..
        }) => {
            assert_eq!(status, 401);
            assert_eq!(error.r#type, Some(cashfree::ErrorType::AuthenticationError));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn answers_that_do_not_decode_keep_status_and_raw_body() {
    let cases = [
        (
            502,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "text/html",
        ),
        (200, "", "application/json"),
        (
            200,
            r#"{"id":"order_EKwxwAgItmmXdp","amount":500"#,
            "application/json",
        ),
        (200, "order created", "text/plain"),
    ];
    for (status, body, content_type) in cases {
        let server = serve(status, body, content_type).await;
        match razorpay_client(&server.uri()).create_order(&order()).await {
            Err(error @ Error::Decode { .. }) => {
                assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
                assert_eq!(error.raw_body().map(|b| &b[..]), Some(body.as_bytes()));
                let Error::Decode {
                    content_type: seen, ..
                } = &error
                else {
                    unreachable!()
                };
                assert_eq!(seen.as_deref(), Some(content_type));
            }
            other => panic!("{status} {body:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn extra_fields_and_unknown_enum_values_decode() {
    let mut body = order_answer("order_EKwxwAgItmmXdp");
    body["status"] = json!("partially_paid");
    body["brand_new_field"] = json!({"nested": [1, 2, 3]});
    body["payment_workflow"] =
        json!({"id": "pay_1", "next": [{"action": "upi_intent", "url": "upi://pay"}]});
    let server = serve(200, &body.to_string(), "application/json").await;
    let order = razorpay_client(&server.uri())
        .create_order(&order())
        .await
        .unwrap();
    assert_eq!(
        order.status,
        razorpay::OrderStatus::Unknown("partially_paid".into())
    );
    let next = &order.payment_workflow.unwrap().next.unwrap()[0];
    assert_eq!(
        next.action,
        Some(razorpay::NextActionKind::Unknown("upi_intent".into()))
    );
}

/// Echoes the order's receipt in the answer's id, so each answer can be
/// matched to its request.
struct Echo;

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let receipt = body["receipt"].as_str().unwrap();
        ResponseTemplate::new(200).set_body_json(order_answer(&format!("order_{receipt}")))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_shared_by_50_tasks_sends_1000_requests_exactly_once() {
    fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
    assert_shareable::<razorpay::Client>();
    assert_shareable::<cashfree::Client>();
    assert_shareable::<juspay::Client>();

    let server = MockServer::start().await;
    Mock::given(any()).respond_with(Echo).mount(&server).await;
    let client = razorpay_client(&server.uri()).with_retry(RetryPolicy::never());
    let matched = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..50)
        .map(|task| {
            let client = client.clone();
            let matched = Arc::clone(&matched);
            tokio::spawn(async move {
                for i in 0..20 {
                    let receipt = format!("t{task}-{i}");
                    let mut order = razorpay::CreateOrderRequest::new(1000, "INR");
                    order.receipt = Some(receipt.clone());
                    let answer = client.create_order(&order).await.unwrap();
                    assert_eq!(answer.id, format!("order_{receipt}"));
                    matched.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(matched.load(Ordering::SeqCst), 1000);
    let received = server.received_requests().await.unwrap();
    let receipts: std::collections::BTreeSet<String> = received
        .iter()
        .map(|r| {
            serde_json::from_slice::<Value>(&r.body).unwrap()["receipt"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(received.len(), 1000, "every request arrived once");
    assert_eq!(receipts.len(), 1000, "no request arrived twice");
}

#[tokio::test]
async fn clients_with_different_credentials_and_a_custom_http_client() {
    let server = serve(
        200,
        &order_answer("order_1").to_string(),
        "application/json",
    )
    .await;
    let first = razorpay_client(&server.uri());
    let second = razorpay::Client::new(
        Environment::Custom(server.uri()),
        "rzp_live_other",
        "other_secret",
    )
    .with_http_client(|builder| builder.user_agent("merchant-app/1.0"));
    first.create_order(&order()).await.unwrap();
    second.create_order(&order()).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let snapshots: Vec<String> = received.iter().map(request_snapshot).collect();
    assert!(snapshots[0].contains("authorization: Basic base64(rzp_test_1DP5mmOlF5G5ag:***)"));
    assert!(snapshots[1].contains("authorization: Basic base64(rzp_live_other:***)"));
    assert!(
        snapshots[1].contains("user-agent: merchant-app/1.0"),
        "{}",
        snapshots[1]
    );
}

#[tokio::test]
async fn an_invalid_request_is_never_sent() {
    let server = serve(200, "{}", "application/json").await;
    let mut bad = order();
    bad.amount = 0;
    bad.receipt = Some("r".repeat(41));
    match razorpay_client(&server.uri()).create_order(&bad).await {
        // Every violation: the amount's own minimum, INR's (100 paise), the receipt.
        Err(Error::Validation(report)) => assert_eq!(report.len(), 3, "{report}"),
        other => panic!("{other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
