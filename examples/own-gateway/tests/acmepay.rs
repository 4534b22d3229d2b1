//! The AcmePay client generated in `build.rs`, against a loopback server: the
//! exact requests it sends (JSON and form), its validation, its secrets kept
//! out of `Debug`, and its responses and error body decoded.

use own_gateway::acmepay;
use paygen::{Environment, Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn gateway() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/charges"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(
            {"id": "ch_1", "amount": 1999, "currency": "INR", "status": "succeeded", "risk_score": 12}
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/charges/ch_1/refunds"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(
            {"id": "re_1", "charge": "ch_1", "amount": 500, "status": "pending"}
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/charges/ch_404/refunds"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!(
            {"code": "not_found", "message": "no such charge"}
        )))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> acmepay::Client {
    acmepay::Client::new(Environment::Custom(server.uri()), "acme_test_key")
        .with_retry(RetryPolicy::never())
}

/// The request as a reviewer reads it: method, path, the headers that
/// matter, and the body.
fn snapshot(request: &wiremock::Request) -> String {
    let mut out = format!("{} {}\n", request.method, request.url.path());
    let mut headers: Vec<_> = request
        .headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("x-") || name.as_str() == "content-type")
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or_default()))
        .collect();
    headers.sort();
    for header in headers {
        out.push_str(&header);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&String::from_utf8_lossy(&request.body));
    out
}

#[tokio::test]
async fn the_generated_client_sends_json_and_form_and_decodes_the_responses() {
    let server = gateway().await;
    let client = client(&server);

    let mut charge = acmepay::ChargeRequest::new(1999, "INR", "4111 1111 1111 1111");
    charge.phone = Some("9900988990".into());
    let params = acmepay::CreateChargeParams {
        x_acme_request_id: Some("req_1".into()),
    };
    // Secrets stay out of Debug.
    let shown = format!("{charge:?}");
    assert!(
        !shown.contains("4111") && !shown.contains("9900988990"),
        "{shown}"
    );
    let made = client.create_charge(&charge, &params).await.unwrap();
    assert_eq!((made.id.as_str(), made.amount), ("ch_1", 1999));

    let mut refund = acmepay::RefundRequest::new(500);
    refund.reason = Some(acmepay::RefundRequestReason::RequestedByCustomer);
    let refunded = client
        .refund_charge(&refund, &acmepay::RefundChargeParams::new("ch_1"))
        .await
        .unwrap();
    assert_eq!(refunded.status, acmepay::RefundStatus::Pending);

    let received = server.received_requests().await.unwrap();
    let requests: Vec<String> = received.iter().map(snapshot).collect();
    insta::assert_snapshot!(requests.join("\n\n---\n\n"));
}

#[tokio::test]
async fn its_rules_and_error_body_come_from_the_spec() {
    let server = gateway().await;
    let client = client(&server);
    let bad = acmepay::ChargeRequest::new(0, "RUPEES", "4111 1111 1111 1112");
    match client.create_charge(&bad, &Default::default()).await {
        Err(Error::Validation(report)) => insta::assert_snapshot!(report.to_string()),
        other => panic!("{other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());

    let refund = acmepay::RefundRequest::new(500);
    match client
        .refund_charge(&refund, &acmepay::RefundChargeParams::new("ch_404"))
        .await
    {
        Err(Error::Gateway { status, body, .. }) => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(body.code, "not_found");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_broken_spec_fails_with_located_diagnostics() {
    // The same spec with a typo'd keyword and a missing schema, generated the
    // way build.rs does: the build would print this and stop.
    let specs = std::env::temp_dir().join(format!("own-gateway-broken-{}", std::process::id()));
    let gateway = specs.join("acmepay");
    std::fs::create_dir_all(&gateway).unwrap();
    let manifest = env!("CARGO_MANIFEST_DIR");
    for file in ["gateway.yaml", "charges.yaml"] {
        let text = std::fs::read_to_string(format!("{manifest}/specs/acmepay/{file}")).unwrap();
        let text = text
            .replace("          maxLength: 15\n", "          maxLenght: 15\n")
            .replace(
                "#/components/schemas/Refund'",
                "#/components/schemas/Refnd'",
            );
        std::fs::write(gateway.join(file), text).unwrap();
    }
    let error = paygen_codegen::build::try_generate(&specs, &specs.join("out")).unwrap_err();
    let report = paygen_codegen::build::report(&specs, &error)
        .replace(&specs.display().to_string(), "<specs>");
    std::fs::remove_dir_all(&specs).ok();
    insta::assert_snapshot!(report);
}
