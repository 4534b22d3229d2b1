//! `multipart/form-data` bodies, as the imported `walletpay` fixture's
//! dispute evidence declares one: files, a list of files, a JSON part and
//! text, sent to a loopback server and read back part by part.

use paygen::{Environment, Error, FilePart, Outcome};
use paygen_tests::imported::walletpay;
use paygen_tests::support::with_token_endpoint;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const EVIDENCE_PATH: &str = "/v1/customer/disputes/PP-D-27803/provide-evidence";

async fn server() -> MockServer {
    let server = with_token_endpoint("tok_A").await;
    Mock::given(method("POST"))
        .and(path(EVIDENCE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"evidence_count": 3})))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> walletpay::Client {
    walletpay::Client::new(Environment::Custom(server.uri()), "client_1", "secret_1")
}

/// The evidence posts the server received (the token endpoint's calls left out).
async fn evidence_posts(server: &MockServer) -> Vec<wiremock::Request> {
    let received = server.received_requests().await.unwrap();
    received
        .into_iter()
        .filter(|r| r.url.path() == EVIDENCE_PATH)
        .collect()
}

fn params() -> walletpay::DisputesProvideEvidenceParams {
    walletpay::DisputesProvideEvidenceParams::new("PP-D-27803")
}

/// The parts of a `multipart/form-data` body, as (headers, content), read
/// with the boundary its `Content-Type` names.
fn parts(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let boundary = content_type.split_once("boundary=").expect("a boundary").1;
    let body = String::from_utf8(body.to_vec()).unwrap();
    let delimiter = format!("--{boundary}");
    let mut sections: Vec<&str> = body.split(delimiter.as_str()).collect();
    assert_eq!(sections.remove(0), "", "nothing before the first part");
    assert_eq!(sections.pop(), Some("--\r\n"), "the closing delimiter last");
    sections
        .into_iter()
        .map(|section| {
            let section = section.strip_prefix("\r\n").unwrap();
            let section = section.strip_suffix("\r\n").unwrap();
            let (head, content) = section.split_once("\r\n\r\n").unwrap();
            (head.to_owned(), content.as_bytes().to_vec())
        })
        .collect()
}

#[tokio::test]
async fn evidence_is_sent_as_files_a_json_part_and_text_in_field_order() {
    let server = server().await;
    let mut evidence = walletpay::DisputesProvideEvidenceRequest::new(FilePart::from_bytes(
        "proof.pdf",
        "application/pdf",
        b"%PDF-1.7 proof".to_vec(),
    ));
    evidence.more_files = Some(vec![
        FilePart::from_bytes("label.png", "image/png", b"PNG1".to_vec()),
        FilePart::from_bytes("receipt.png", "image/png", b"PNG2".to_vec()),
    ]);
    let input = walletpay::EvidenceInput::default()
        .with_evidence_type(walletpay::EvidenceInputEvidenceType::ProofOfFulfillment)
        .with_tracking_number("1Z999");
    evidence.input = Some(input);
    evidence.note = Some("Delivered on the 3rd.".into());
    let answer = client(&server)
        .disputes_provide_evidence(&evidence, &params())
        .await
        .unwrap();
    assert_eq!(answer.evidence_count, Some(3));

    let sent = &evidence_posts(&server).await[0];
    assert_eq!(sent.headers["authorization"], "Bearer tok_A");
    let content_type = sent.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = parts(content_type, &sent.body);
    let heads: Vec<&str> = parts.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        heads,
        [
            "Content-Disposition: form-data; name=\"evidence-file\"; filename=\"proof.pdf\"\r\nContent-Type: application/pdf",
            "Content-Disposition: form-data; name=\"more-files\"; filename=\"label.png\"\r\nContent-Type: image/png",
            "Content-Disposition: form-data; name=\"more-files\"; filename=\"receipt.png\"\r\nContent-Type: image/png",
            "Content-Disposition: form-data; name=\"input\"\r\nContent-Type: application/json",
            "Content-Disposition: form-data; name=\"note\"",
        ]
    );
    assert_eq!(parts[0].1, b"%PDF-1.7 proof");
    assert_eq!(parts[2].1, b"PNG2");
    let input: serde_json::Value = serde_json::from_slice(&parts[3].1).unwrap();
    assert_eq!(
        input,
        json!({"evidence_type": "PROOF_OF_FULFILLMENT", "tracking_number": "1Z999"})
    );
    assert_eq!(parts[4].1, b"Delivered on the 3rd.");
}

#[tokio::test]
async fn a_file_is_read_from_its_path_and_one_that_is_gone_sends_nothing() {
    let server = server().await;
    let dir = std::env::temp_dir().join(format!("paygen-evidence-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("statement.txt");
    std::fs::write(&file, "refund issued").unwrap();
    let evidence =
        walletpay::DisputesProvideEvidenceRequest::new(FilePart::from_path(&file, "text/plain"));
    client(&server)
        .disputes_provide_evidence(&evidence, &params())
        .await
        .unwrap();
    let sent = &evidence_posts(&server).await[0];
    let parts = parts(sent.headers["content-type"].to_str().unwrap(), &sent.body);
    assert_eq!(
        parts[0],
        (
            "Content-Disposition: form-data; name=\"evidence-file\"; filename=\"statement.txt\"\r\nContent-Type: text/plain".to_owned(),
            b"refund issued".to_vec()
        )
    );

    std::fs::remove_file(&file).unwrap();
    let _ = std::fs::remove_dir(&dir);
    let error = client(&server)
        .disputes_provide_evidence(&evidence, &params())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Encode(paygen::EncodeError::Multipart(paygen::MultipartError::Read { path, .. })) if *path == file),
        "{error:?}"
    );
    assert_eq!(error.outcome(), Outcome::NotSent);
    assert_eq!(
        evidence_posts(&server).await.len(),
        1,
        "the failed call sent nothing"
    );
}

#[tokio::test]
async fn every_limit_of_the_parts_is_checked_before_sending() {
    let server = server().await;
    let mut evidence = walletpay::DisputesProvideEvidenceRequest::new(FilePart::from_bytes(
        "a.pdf",
        "application/pdf",
        b"x".to_vec(),
    ));
    evidence.more_files = Some(vec![
        FilePart::from_bytes(
            "b.png",
            "image/png",
            b"y".to_vec()
        );
        10
    ]);
    evidence.note = Some("n".repeat(2001));
    match client(&server)
        .disputes_provide_evidence(&evidence, &params())
        .await
    {
        Err(Error::Validation(report)) => {
            let report = report.to_string();
            assert!(report.contains("more-files: "), "{report}");
            assert!(report.contains("note: "), "{report}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A file given by path is streamed from disk as the request goes out, not
/// read whole first: the gateway gets the same bytes as from memory, with
/// their `Content-Length` (no chunked upload, which gateways refuse).
#[tokio::test]
async fn a_large_file_is_streamed_from_its_path_with_its_length() {
    let server = server().await;
    let dir = std::env::temp_dir().join(format!("paygen-stream-{}", std::process::id()));
    // Removed at the end of the test, even when it fails.
    let _cleanup = Cleanup(dir.clone());
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("kyc.pdf");
    let contents: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&file, &contents).unwrap();
    let client = client(&server);
    let from_path = walletpay::DisputesProvideEvidenceRequest::new(FilePart::from_path(
        &file,
        "application/pdf",
    ));
    client
        .disputes_provide_evidence(&from_path, &params())
        .await
        .unwrap();
    let sent = &evidence_posts(&server).await[0];
    // What the same file sends from memory (a prepared request holds it whole).
    let from_bytes = walletpay::DisputesProvideEvidenceRequest::new(FilePart::from_bytes(
        "kyc.pdf",
        "application/pdf",
        contents.clone(),
    ));
    let prepared = client
        .prepare_disputes_provide_evidence(&from_bytes, &params())
        .unwrap();
    assert!(
        sent.body == prepared.body().unwrap(),
        "the same bytes as from memory"
    );
    assert_eq!(
        sent.headers["content-length"].to_str().unwrap(),
        sent.body.len().to_string()
    );
    assert!(!sent.headers.contains_key("transfer-encoding"));

    // A file that holds the boundary is found as it is sent: the body stops
    // short of its length, so the gateway cannot read it as parts, and the
    // call fails naming the part and the file.
    let mut forged = contents;
    let content_type = sent.headers["content-type"].to_str().unwrap();
    let boundary = content_type.split_once("boundary=").unwrap().1.as_bytes();
    forged[2_000_000..2_000_000 + boundary.len()].copy_from_slice(boundary);
    std::fs::write(&file, &forged).unwrap();
    let error = client
        .disputes_provide_evidence(&from_path, &params())
        .await
        .unwrap_err();
    let chain = std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ");
    assert!(matches!(error, Error::Transport(_)), "{chain}");
    assert!(
        chain.contains("part `evidence-file`") && chain.contains("contains the multipart boundary"),
        "{chain}"
    );
    assert_eq!(
        evidence_posts(&server).await.len(),
        1,
        "the forged body was never taken whole"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An upload with its idempotency key is sent again after a 503, and the
/// second attempt reads the file from disk again, from its start: both
/// attempts carry the whole file.
#[tokio::test]
async fn a_retried_upload_streams_the_file_again_from_its_start() {
    let server = with_token_endpoint("tok_A").await;
    Mock::given(method("POST"))
        .and(path(EVIDENCE_PATH))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(EVIDENCE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"evidence_count": 1})))
        .mount(&server)
        .await;
    let dir = std::env::temp_dir().join(format!("paygen-retry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("statement.pdf");
    let contents: Vec<u8> = (0..200_000u32).map(|i| (i % 241) as u8).collect();
    std::fs::write(&file, &contents).unwrap();
    let evidence = walletpay::DisputesProvideEvidenceRequest::new(FilePart::from_path(
        &file,
        "application/pdf",
    ));
    let keyed = params().with_pay_pal_request_id("upload-1");
    client(&server)
        .with_retry(
            paygen::RetryPolicy::default()
                .with_max_attempts(3)
                .with_base_delay(std::time::Duration::from_millis(1)),
        )
        .disputes_provide_evidence(&evidence, &keyed)
        .await
        .unwrap();
    let posts = evidence_posts(&server).await;
    assert_eq!(posts.len(), 2, "the 503, then the retry");
    assert_eq!(
        posts[0].body, posts[1].body,
        "both attempts sent the whole file"
    );
    assert!(posts[1].body.len() > contents.len());
    assert_eq!(posts[1].headers["paypal-request-id"], "upload-1");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Removes a scratch folder when dropped.
struct Cleanup(std::path::PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
