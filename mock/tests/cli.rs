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

    let answer = reqwest::Client::new()
        .get(format!("{url}/v1/orders/order_DaaS6LOUAASb7Y"))
        .basic_auth("mock_key_id", Some("mock_key_secret"))
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let body = answer.text().await.unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"id\":\"order_DaaS6LOUAASb7Y\""), "{body}");
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
