//! What the clients promise on the network, tried against servers that
//! misbehave on purpose: no redirect is followed, plain http leaves only for
//! loopback, an answer is read up to a limit and must carry what the spec says
//! it always carries, parameters are checked before anything is sent, and no
//! secret shows in what an error or an unknown payload prints.

use std::time::Duration;

use paygen::{cashfree, juspay, razorpay, Environment, Error, RetryPolicy, SetupError, Timeouts};
use paygen_tests::fixtures::odd_names;
use paygen_tests::support::{self, card_payment, order, received, serve};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::ResponseTemplate;

fn cashfree_client(base: &str) -> cashfree::Client {
    support::cashfree_client(base).with_retry(RetryPolicy::never())
}

fn razorpay_client(base: &str) -> razorpay::Client {
    support::razorpay_client(base).with_retry(RetryPolicy::never())
}

/// A valid CRED eligibility check (the phone number already encrypted).
fn eligibility_request() -> juspay::EligibilityRequest {
    serde_json::from_value(json!({
        "merchant_id": "Symbol",
        "payment_instrument": [{
            "payment_method": "CRED",
            "payment_method_type": "WALLET",
            "command": "verify_user",
            "gateway": "CRED",
            "command_input": {
                "platform": "web",
                "os": "macOS",
                "device": "desktop",
                "countryCode": "+91",
                "phoneNumber": "enc-AbCd==",
                "credAppPresent": false
            }
        }]
    }))
    .unwrap()
}

#[tokio::test]
async fn redirects_are_never_followed_and_nothing_reaches_the_other_host() {
    let elsewhere = serve(ResponseTemplate::new(200).set_body_json(json!({}))).await;
    for status in [301, 302, 303, 307, 308] {
        let location = format!("{}/collect", elsewhere.uri());
        let gateway = serve(
            ResponseTemplate::new(status)
                .insert_header("location", location.as_str())
                .set_body_string("moved"),
        )
        .await;
        let params = cashfree::PayOrderParams {
            x_idempotency_key: Some("order_1".into()),
            ..Default::default()
        };
        let result = cashfree_client(&gateway.uri())
            .with_retry(RetryPolicy::default())
            .pay_order(&card_payment(), &params)
            .await;
        match result {
            Err(Error::Redirect {
                status: seen,
                location: Some(seen_location),
                raw,
            }) => {
                assert_eq!(seen.as_u16(), status);
                assert_eq!(seen_location, location);
                assert_eq!(raw, "moved");
            }
            other => panic!("{status}: {other:?}"),
        }
        assert_eq!(
            received(&gateway).await,
            1,
            "{status}: a redirect is not retried"
        );
    }
    assert_eq!(
        received(&elsewhere).await,
        0,
        "credentials or card data reached the redirect's target"
    );
}

#[tokio::test]
async fn plain_http_is_refused_except_to_loopback() {
    for base in ["http://api.example.in", "http://192.0.2.10:8080/pg"] {
        let result = cashfree_client(base)
            .pay_order(&card_payment(), &Default::default())
            .await;
        assert!(
            matches!(result, Err(Error::Setup(SetupError::InsecureBaseUrl(ref url))) if url == base),
            "{base}: {result:?}"
        );
    }
    let result = razorpay_client("https://key:secret@api.example.in")
        .create_order(&order())
        .await;
    assert!(
        matches!(result, Err(Error::Setup(SetupError::InvalidBaseUrl(_)))),
        "{result:?}"
    );

    std::env::set_var("PAYGEN_TEST_INSECURE_ENVIRONMENT", "http://api.example.in");
    let error = Environment::from_env("PAYGEN_TEST_INSECURE_ENVIRONMENT").unwrap_err();
    assert!(error.to_string().contains("plain-http"), "{error}");
    std::env::set_var(
        "PAYGEN_TEST_INSECURE_ENVIRONMENT",
        "http://127.0.0.1:12111/",
    );
    assert_eq!(
        Environment::from_env("PAYGEN_TEST_INSECURE_ENVIRONMENT").unwrap(),
        Environment::Custom("http://127.0.0.1:12111".into())
    );
}

#[tokio::test]
async fn a_success_status_without_what_every_answer_carries_is_not_success() {
    let error_shaped = json!({"error": {"code": "BAD_REQUEST_ERROR", "description": "bad"}});
    for body in [json!({}), error_shaped, json!({"id": "order_1"})] {
        let server = serve(ResponseTemplate::new(200).set_body_json(&body)).await;
        match razorpay_client(&server.uri()).create_order(&order()).await {
            Err(error @ Error::Decode { .. }) => {
                assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
                assert_eq!(error.raw_body().unwrap(), body.to_string().as_bytes());
                assert!(error.to_string().contains("missing field"), "{error}");
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn answers_are_read_up_to_a_limit() {
    // Over a limit the caller set: the first bytes are kept.
    let body = format!("{{\"padding\":\"{}\"}}", "x".repeat(2000));
    let server =
        serve(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")).await;
    let result = razorpay_client(&server.uri())
        .with_max_response_bytes(1024)
        .create_order(&order())
        .await;
    match result {
        Err(error @ Error::ResponseTooLarge { .. }) => {
            let Error::ResponseTooLarge {
                status,
                limit,
                received,
            } = &error
            else {
                unreachable!()
            };
            assert_eq!((status.as_u16(), *limit), (200, 1024));
            assert_eq!(&received[..], &body.as_bytes()[..1024]);
            assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
        }
        other => panic!("{other:?}"),
    }

    // Exactly at the limit: read, and judged on what it says.
    let server =
        serve(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")).await;
    let result = razorpay_client(&server.uri())
        .with_max_response_bytes(body.len())
        .create_order(&order())
        .await;
    assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");

    // Over the default limit, a few MiB.
    let huge = vec![b' '; paygen::DEFAULT_MAX_RESPONSE_BYTES + 1];
    let server = serve(ResponseTemplate::new(502).set_body_raw(huge, "text/html")).await;
    match razorpay_client(&server.uri()).create_order(&order()).await {
        Err(Error::ResponseTooLarge {
            status,
            limit,
            received,
        }) => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(limit, 4 * 1024 * 1024);
            assert_eq!(received.len(), 64 * 1024, "the first 64 KiB are kept");
        }
        other => panic!("{other:?}"),
    }
}

/// A server that answers `head` and `partial` of a longer body, then closes.
async fn breaks_off(head: &'static str, partial: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 64 * 1024];
        let _ = socket.read(&mut request).await;
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(partial.as_bytes()).await.unwrap();
        socket.flush().await.unwrap();
        // Dropping the socket closes the connection mid-body.
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_body_that_breaks_off_keeps_the_status_and_what_arrived() {
    let base = breaks_off(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n",
        r#"{"id":"order_EKwxwAgItmmXdp","amount":"#,
    )
    .await;
    match razorpay_client(&base).create_order(&order()).await {
        Err(error @ Error::ResponseInterrupted { .. }) => {
            assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
            assert_eq!(
                error.raw_body().unwrap(),
                r#"{"id":"order_EKwxwAgItmmXdp","amount":"#.as_bytes()
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn decimals_are_exact_in_both_directions() {
    let answer = r#"{"cf_payment_id":"91235","payment_method":"upi","action":"link","payment_amount":12345678901234567.89}"#;
    let server = serve(ResponseTemplate::new(200).set_body_raw(answer, "application/json")).await;
    let paid = cashfree_client(&server.uri())
        .pay_order(&card_payment(), &Default::default())
        .await
        .unwrap();
    assert_eq!(
        paid.payment_amount.unwrap().to_string(),
        "12345678901234567.89"
    );

    let server =
        serve(ResponseTemplate::new(200).set_body_json(json!({"payment_instrument": []}))).await;
    let mut request = eligibility_request();
    request.amount = Some("12345678901234567.10".parse().unwrap());
    juspay::Client::new(Environment::Custom(server.uri()), "key")
        .check_eligibility(&request, &juspay::CheckEligibilityParams::new("customer_1"))
        .await
        .unwrap();
    let sent = &server.received_requests().await.unwrap()[0].body;
    let sent = std::str::from_utf8(sent).unwrap();
    assert!(
        sent.contains(r#""amount":12345678901234567.10"#),
        "a number, with its digits: {sent}"
    );
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = serve(ResponseTemplate::new(200).set_body_json(json!({}))).await;
    let client = odd_names::Client::new(Environment::Custom(server.uri()), "key");
    for (id, shown) in [
        (
            "..",
            "customer-id: must not be `.` or `..`, which would change the path [format]",
        ),
        (
            ".",
            "customer-id: must not be `.` or `..`, which would change the path [format]",
        ),
        ("", "customer-id: must not be empty [required]"),
    ] {
        let params = odd_names::AddCardParams::new(id);
        match client.add_card(&Default::default(), &params).await {
            Err(Error::Validation(report)) => assert_eq!(report.to_string(), shown),
            other => panic!("{id:?}: {other:?}"),
        }
    }
    assert_eq!(received(&server).await, 0);

    for (id, path) in [
        ("../capture", "/customers/..%2Fcapture/cards"),
        ("a b", "/customers/a%20b/cards"),
        ("..a", "/customers/..a/cards"),
    ] {
        let server = serve(ResponseTemplate::new(200).set_body_json(json!({}))).await;
        let client = odd_names::Client::new(Environment::Custom(server.uri()), "key");
        let params = odd_names::AddCardParams::new(id);
        client.add_card(&Default::default(), &params).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests[0].url.path(), path, "{id:?}");
    }
}

#[tokio::test]
async fn blank_header_parameters_are_refused_before_sending() {
    let server = serve(ResponseTemplate::new(503)).await;
    let client = cashfree_client(&server.uri()).with_retry(RetryPolicy::default());
    for key in ["", " ", "order 1"] {
        let params = cashfree::PayOrderParams {
            x_idempotency_key: Some(key.into()),
            ..Default::default()
        };
        match client.pay_order(&card_payment(), &params).await {
            Err(Error::Validation(report)) => {
                assert!(
                    report.iter().all(|v| v.path == "x-idempotency-key"),
                    "{key:?}: {report}"
                );
            }
            other => panic!("{key:?}: {other:?}"),
        }
    }
    let juspay = juspay::Client::new(Environment::Custom(server.uri()), "key");
    let request = eligibility_request();
    match juspay
        .check_eligibility(&request, &juspay::CheckEligibilityParams::new(""))
        .await
    {
        Err(Error::Validation(report)) => {
            assert_eq!(
                report.to_string(),
                "x-routing-id: must not be empty [required]"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        received(&server).await,
        0,
        "nothing was sent, so nothing was retried"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_in_bounded_time() {
    let server = serve(ResponseTemplate::new(200).set_delay(Duration::from_secs(30))).await;
    let client = razorpay_client(&server.uri()).with_timeouts(
        Timeouts::default()
            .with_connect(Duration::from_millis(500))
            .with_total(Duration::from_millis(300)),
    );
    let started = std::time::Instant::now();
    match client.create_order(&order()).await {
        Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        Timeouts::default(),
        Timeouts::default()
            .with_connect(Duration::from_secs(10))
            .with_total(Duration::from_secs(30))
    );
}

#[tokio::test]
async fn http_settings_compose_in_either_order() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_delay(Duration::from_secs(3))
            .set_body_json(json!({})),
    )
    .await;
    let quick = Timeouts::default()
        .with_connect(Duration::from_secs(1))
        .with_total(Duration::from_millis(200));
    let customize =
        |builder: paygen::reqwest::ClientBuilder| builder.user_agent("merchant-app/1.0");
    let clients = [
        razorpay_client(&server.uri())
            .with_http_client(customize)
            .with_timeouts(quick),
        razorpay_client(&server.uri())
            .with_timeouts(quick)
            .with_http_client(customize),
    ];
    for client in clients {
        match client.create_order(&order()).await {
            Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
            other => panic!("the timeout was lost: {other:?}"),
        }
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in requests {
        assert_eq!(
            request.headers["user-agent"], "merchant-app/1.0",
            "the customization was lost"
        );
    }
}

#[test]
fn errors_and_unknown_payloads_show_no_secret() {
    use paygen::webhooks::razorpay::{verify_webhook, Event};
    use paygen::webhooks::WebhookError;

    let secret = "webhook_secret";
    // Signed with paygen's own HMAC: what is checked here is the masking.
    let sign = |body: &str| paygen::webhooks::razorpay::webhook_signature(body.as_bytes(), secret);

    // An event paygen has no type for keeps its JSON, masked in `Debug`.
    let body = json!({
        "entity": "event",
        "event": "customer.updated",
        "payload": {"customer": {"entity": {"contact": "+919876543210", "cards": [{"number": "4111111111111111"}], "name": "A"}}}
    })
    .to_string();
    match verify_webhook(body.as_bytes(), &sign(&body), secret).unwrap() {
        Event::Other { event, raw } => {
            assert_eq!(event, "customer.updated");
            let debug = format!(
                "{raw:?} {:?}",
                Event::Other {
                    event: event.clone(),
                    raw: raw.clone()
                }
            );
            assert!(!debug.contains("9876543210"), "{debug}");
            assert!(!debug.contains("4111111111111111"), "{debug}");
            // Masked, not dropped: other fields show, secrets say they were there.
            assert!(debug.contains(r#""name": String("A")"#), "{debug}");
            assert!(debug.contains(r#""contact": String("***")"#), "{debug}");
            let json: &Value = raw.json();
            assert_eq!(
                json["payload"]["customer"]["entity"]["contact"],
                "+919876543210"
            );
            assert_eq!(
                raw.into_json(),
                serde_json::from_str::<Value>(&body).unwrap()
            );
        }
        other => panic!("{other:?}"),
    }

    // A signed delivery that does not decode names the kind of value, not the value.
    let body = json!({
        "entity": "event",
        "event": "payment.authorized",
        "payload": {"payment": {"entity": {"id": "pay_1", "contact": 919876543210_u64}}}
    })
    .to_string();
    match verify_webhook(body.as_bytes(), &sign(&body), secret) {
        Err(error @ WebhookError::Body(_)) => {
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("919876543210"), "{shown}");
            assert!(shown.contains("invalid type: integer"), "{shown}");
        }
        other => panic!("{other:?}"),
    }
}
