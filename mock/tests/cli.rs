//! The `paygen-mock` binary: it prints the base URL it serves at, answers as
//! the gateway, and refuses a gateway the specs do not have.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_binary_serves_a_gateway_at_the_url_it_prints() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paygen-mock"))
        .args(["--gateway", "razorpay", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let http = reqwest::Client::new();
    let created: serde_json::Value = http
        .post(format!("{url}/v1/orders"))
        .basic_auth("mock_key_id", Some("mock_key_secret"))
        .header("content-type", "application/json")
        .body(r#"{"amount": 50000, "currency": "INR"}"#)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let read = |id: String| {
        http.get(format!("{url}/v1/orders/{id}"))
            .basic_auth("mock_key_id", Some("mock_key_secret"))
            .send()
    };
    let answer = read(id.clone()).await.unwrap();
    let (status, body) = (answer.status(), answer.text().await.unwrap());
    let unknown = read("order_nobodymadeit".into()).await.unwrap().status();
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&format!("\"id\":\"{id}\"")), "{body}");
    assert_eq!(unknown, 400, "Razorpay answers an unknown id with a 400");
}

#[test]
fn an_unknown_gateway_is_refused_with_the_known_ones() {
    let output = Command::new(env!("CARGO_BIN_EXE_paygen-mock"))
        .args(["--gateway", "paypal"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no gateway `paypal`") && stderr.contains("razorpay"),
        "{stderr}"
    );
}

/// Starts the binary with `args` and gives it and the URL it printed.
fn spawn(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paygen-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    (child, url.trim().to_owned())
}

#[tokio::test]
async fn another_process_reads_the_key_and_drives_the_world() {
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/src/mock_key.pem");
    let (mut child, url) = spawn(&["--gateway", "cashfree", "--key-pem", key]);
    let http = reqwest::Client::new();
    let pem = http
        .get(format!("{url}/__paygen/public-key"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let post = |path: &str, body: &'static str| {
        http.post(format!("{url}{path}"))
            .header("x-client-id", "mock_client_id")
            .header("x-client-secret", "mock_client_secret")
            .header("x-api-version", "2023-08-01")
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let created = post(
        "/orders",
        r#"{"order_id": "order_outside", "order_amount": 10, "order_currency": "INR", "customer_details": {"customer_id": "c_1234", "customer_phone": "9898989898"}}"#,
    )
    .await
    .unwrap()
    .status();
    let driven = post(
        "/__paygen/drive",
        r#"{"id": "order_outside", "event": "pay"}"#,
    )
    .await
    .unwrap();
    let (driven_status, driven_body) = (driven.status(), driven.text().await.unwrap());
    let unknown = post("/__paygen/drive", r#"{"id": "nobody", "event": "pay"}"#)
        .await
        .unwrap()
        .status();
    let stranger = http
        .post(format!("{url}/__paygen/drive"))
        .body(r#"{"id": "order_outside", "event": "pay"}"#)
        .send()
        .await
        .unwrap()
        .status();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{pem}");
    assert_eq!(created, 200);
    assert_eq!(driven_status, 200, "{driven_body}");
    assert!(
        driven_body.contains(r#""order_status":"PAID""#),
        "{driven_body}"
    );
    assert_eq!(unknown, 404);
    assert_eq!(stranger, 401);
}

#[test]
fn a_key_that_is_not_a_pem_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_paygen-mock"))
        .args([
            "--gateway",
            "juspay",
            "--key-pem",
            concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not an RSA private key"), "{stderr}");
}
