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
