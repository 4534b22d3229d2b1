//! Hostile input neither kills nor bloats the mock: deep forms are refused,
//! strangers are not recorded and cannot ask for faults, delays are capped,
//! the log is a bounded ring, one idempotency key creates once however many
//! calls race, a mock that would accept anyone does not start, and a
//! multipart upload is read by the boundary its header names, within a
//! larger bound than other bodies, and the log keeps no file's contents nor
//! more than 1 MiB of any request; a JSON body that is not UTF-8 is refused
//! at the byte that is not.

use std::time::Duration;

use paygen::{cashfree, Decimal};
use paygen_mock::{Fault, MockError, MockGateway, FAULT_HEADER, LOG_CAPACITY, MAX_DELAY};

#[tokio::test]
async fn a_form_key_nested_200000_levels_deep_is_refused_and_the_mock_lives_on() {
    let mock = MockGateway::start("juspay").await.unwrap();
    let http = reqwest::Client::new();
    let deep = format!("a{}=1", "[b]".repeat(200_000));
    let answer = http
        .post(format!("{}/orders", mock.url()))
        .basic_auth(mock.credential(0), Some(""))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-merchantid", "merchant_id")
        .header("x-routing-id", "customer_1122")
        .body(deep)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body = answer.text().await.unwrap();
    assert!(body.contains("nested more than"), "{body}");
    // Still serving.
    let next = http
        .get(format!("{}/orders/any", mock.url()))
        .basic_auth(mock.credential(0), Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(next.status(), 404);
}

#[tokio::test]
async fn strangers_are_not_recorded_and_cannot_ask_for_faults() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let http = reqwest::Client::new();
    for _ in 0..20 {
        let answer = http
            .post(format!("{}/v1/orders", mock.url()))
            .basic_auth("stranger", Some("guess"))
            .header(FAULT_HEADER, "delay:18446744073709551615")
            .body(r#"{"amount": 100, "currency": "INR", "card": "4111111111111111"}"#)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 401, "answered at once, the fault ignored");
    }
    assert!(mock.requests().is_empty());
}

#[test]
fn delays_are_capped() {
    assert_eq!(
        Fault::parse("delay:18446744073709551615"),
        Some(Fault::Delay(MAX_DELAY))
    );
    assert_eq!(
        Fault::parse("delay:1500"),
        Some(Fault::Delay(Duration::from_millis(1500)))
    );
}

#[tokio::test]
async fn the_request_log_keeps_the_newest_requests_only() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let http = reqwest::Client::new();
    for n in 0..LOG_CAPACITY + 5 {
        http.get(format!("{}/v1/orders/order_{n}", mock.url()))
            .basic_auth(mock.credential(0), Some(mock.credential(1)))
            .send()
            .await
            .unwrap();
    }
    let log = mock.requests();
    assert_eq!(log.len(), LOG_CAPACITY);
    assert_eq!(log[0].path, "/v1/orders/order_5");
    assert_eq!(
        log.last().unwrap().path,
        format!("/v1/orders/order_{}", LOG_CAPACITY + 4)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn calls_racing_with_one_idempotency_key_create_once() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let client = cashfree::Client::new(mock.environment(), mock.credential(0), mock.credential(1));
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    // No order id: each creation would make a new one.
    let order =
        cashfree::CreateOrderRequest::new("10.00".parse::<Decimal>().unwrap(), "INR", customer);
    let params = cashfree::CreateOrderParams {
        x_idempotency_key: Some("one_key".into()),
        ..Default::default()
    };
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let (client, order, params) = (client.clone(), order.clone(), params.clone());
        calls.spawn(async move { client.create_order(&order, &params).await });
    }
    let mut ids = std::collections::BTreeSet::new();
    while let Some(answer) = calls.join_next().await {
        ids.insert(answer.unwrap().unwrap().order_id);
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
}

#[tokio::test]
async fn a_mock_that_would_accept_anyone_does_not_start() {
    assert!(matches!(
        MockGateway::start_accepting("razorpay", &[]).await,
        Err(MockError::NoCredentials)
    ));
    assert!(matches!(
        MockGateway::start_accepting("razorpay", &["key", ""]).await,
        Err(MockError::NoCredentials)
    ));
}

/// A raw multipart upload of dispute evidence to the Cashfree mock.
async fn upload(
    mock: &MockGateway,
    content_type: &str,
    body: Vec<u8>,
) -> (reqwest::StatusCode, String) {
    let answer = reqwest::Client::new()
        .post(format!("{}/disputes/123456789/documents", mock.url()))
        .header("x-client-id", mock.credential(0))
        .header("x-client-secret", mock.credential(1))
        .header("x-api-version", "2023-08-01")
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (answer.status(), answer.text().await.unwrap())
}

fn evidence_body(boundary: &str, file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"doc_type\"\r\n\r\nShipping Proof\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"proof.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[tokio::test]
async fn a_multipart_body_is_read_by_the_boundary_its_content_type_names() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    // Another boundary than the header's: refused as the gateway would, not guessed.
    let (status, body) = upload(
        &mock,
        "multipart/form-data; boundary=header-boundary",
        evidence_body("body-boundary", b"%PDF"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("boundary"), "{body}");
    // No boundary at all.
    let (status, _) = upload(&mock, "multipart/form-data", evidence_body("b", b"%PDF")).await;
    assert_eq!(status, 400);
    // The same boundary: read, and the dispute (which nobody raised) is not found.
    let (status, body) = upload(
        &mock,
        "multipart/form-data; boundary=b",
        evidence_body("b", b"%PDF"),
    )
    .await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn an_upload_may_be_larger_than_a_json_body_but_not_unbounded() {
    let mock = MockGateway::start("cashfree").await.unwrap();
    let two_mib = vec![b'x'; 2 << 20];
    // A 2 MiB document is read (and its dispute not found), and logged as its
    // name, type and size, never its contents...
    let (status, _) = upload(
        &mock,
        "multipart/form-data; boundary=b",
        evidence_body("b", &two_mib),
    )
    .await;
    assert_eq!(status, 404);
    let logged = mock.requests().pop().unwrap();
    assert_eq!(logged.body["file"]["bytes"], 2 << 20);
    // ...while a part of 2 MiB of text is not kept in the log at all.
    let big_text = format!(
        "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n{}\r\n--b--\r\n",
        "x".repeat(2 << 20)
    );
    upload(
        &mock,
        "multipart/form-data; boundary=b",
        big_text.into_bytes(),
    )
    .await;
    let logged = mock.requests().pop().unwrap();
    let note = logged.body["paygen_mock"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(note.ends_with("not kept"), "{:?}", logged.body);
    // ...where a 2 MiB JSON body is too large.
    let answer = reqwest::Client::new()
        .post(format!("{}/orders", mock.url()))
        .header("x-client-id", mock.credential(0))
        .header("x-client-secret", mock.credential(1))
        .header("content-type", "application/json")
        .body(two_mib)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 413);
    // Past 21 MiB an upload is not read either.
    let (status, _) = upload(
        &mock,
        "multipart/form-data; boundary=b",
        evidence_body("b", &vec![b'x'; 22 << 20]),
    )
    .await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn a_json_body_with_a_byte_that_is_not_utf8_is_refused_at_that_byte() {
    let mock = MockGateway::start("razorpay").await.unwrap();
    let mut body = br#"{"amount": 50000, "currency": "INR", "receipt": "r"#.to_vec();
    body.push(0xff);
    body.extend_from_slice(br#""}"#);
    let answer = reqwest::Client::new()
        .post(format!("{}/v1/orders", mock.url()))
        .basic_auth(mock.credential(0), Some(mock.credential(1)))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let text = answer.text().await.unwrap();
    assert!(
        text.contains("invalid unicode code point at line 1 column 51"),
        "{text}"
    );
}
