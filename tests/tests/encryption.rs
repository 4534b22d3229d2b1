//! Juspay's CRED phone number: set in plain, encrypted by the client with
//! Juspay's RSA public key (PKCS#1 v1.5), base64-encoded and prefixed `enc-`.
//! A test key pair stands in for Juspay's: decrypting gives the number back.
//! That RSA is built only for a gateway that encrypts is in `dependencies.rs`.

use std::collections::BTreeMap;

use base64::Engine as _;
use paygen::{juspay, Encrypted, Environment, Error};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PHONE: &str = "9900988990";

fn key_pair() -> (RsaPrivateKey, String) {
    // 1024 bits keeps the test quick; the code path is the same for Juspay's key.
    let private = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 1024).unwrap();
    let pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    (private, pem)
}

fn decrypt(private: &RsaPrivateKey, sent: &str) -> String {
    let encoded = sent
        .strip_prefix("enc-")
        .unwrap_or_else(|| panic!("no enc- prefix: {sent}"));
    let ciphertext = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    String::from_utf8(private.decrypt(Pkcs1v15Encrypt, &ciphertext).unwrap()).unwrap()
}

fn txn(phone: impl Into<Encrypted>) -> juspay::TxnsRequest {
    let params = juspay::SdkPgParams::builder()
        .platform(juspay::TxnPlatform::Web)
        .os(juspay::Os::Macos)
        .device(juspay::Device::Desktop)
        .country_code("+91")
        .phone_number(phone)
        .build()
        .unwrap();
    juspay::TxnsRequest::builder()
        .order_id("test_1610009874")
        .merchant_id("Symbol")
        .sdk_pg_params(params)
        .build()
        .unwrap()
}

/// A server whose one answer decodes as both a txns and an eligibility answer.
async fn server() -> MockServer {
    let answer = r#"{"txn_uuid":"eulz7iRV1E1EAUjSFKb","txn_id":"Symbol-test_1610009874-1","status":"PENDING_VBV","order_id":"test_1610009874","payment_instrument":[]}"#;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(answer, "application/json"))
        .mount(&server)
        .await;
    server
}

/// The phone number as sent inside the form's `sdk_pg_params` JSON.
fn sent_phone(body: &[u8]) -> String {
    let pairs: BTreeMap<String, String> = form_urlencoded::parse(body).into_owned().collect();
    let params: Value = serde_json::from_str(&pairs["sdk_pg_params"]).unwrap();
    params["phoneNumber"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_phone_number_is_encrypted_when_sent() {
    let (private, pem) = key_pair();
    let server = server().await;
    let client = juspay::Client::new(Environment::Custom(server.uri()), "key")
        .with_public_key_pem(&pem)
        .unwrap();
    let params = juspay::CreateTxnParams::new("customer_1122");
    client.create_txn(&txn(PHONE), &params).await.unwrap();
    client.create_txn(&txn(PHONE), &params).await.unwrap();

    let received = server.received_requests().await.unwrap();
    let (first, second) = (sent_phone(&received[0].body), sent_phone(&received[1].body));
    assert_eq!(decrypt(&private, &first), PHONE);
    assert_eq!(decrypt(&private, &second), PHONE);
    assert_ne!(first, second, "PKCS#1 v1.5 padding is random");
    let body = String::from_utf8_lossy(&received[0].body);
    assert!(
        !body.contains(PHONE),
        "the plain number went on the wire: {body}"
    );
}

#[tokio::test]
async fn the_eligibility_call_encrypts_too() {
    let (private, pem) = key_pair();
    let server = server().await;
    let client = juspay::Client::new(Environment::Custom(server.uri()), "key")
        .with_public_key_pem(&pem)
        .unwrap();
    let input = juspay::CredCommandInput::builder()
        .platform(juspay::EligibilityPlatform::Android)
        .os(juspay::Os::Android)
        .device(juspay::Device::Mobile)
        .country_code("+91")
        .phone_number(PHONE)
        .build()
        .unwrap()
        .with_cred_app_present(true);
    let instrument = juspay::PaymentInstrument::new(input);
    let request = juspay::EligibilityRequest::new("Symbol", vec![instrument]);
    client
        .check_eligibility(
            &request,
            &juspay::CheckEligibilityParams::new("customer_1122"),
        )
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&received[0].body).unwrap();
    let sent = body["payment_instrument"][0]["command_input"]["phoneNumber"]
        .as_str()
        .unwrap();
    assert_eq!(decrypt(&private, sent), PHONE);
}

#[tokio::test]
async fn without_a_key_a_plain_number_is_not_sent() {
    let server = server().await;
    let client = juspay::Client::new(Environment::Custom(server.uri()), "key");
    let result = client
        .create_txn(&txn(PHONE), &juspay::CreateTxnParams::new("customer_1122"))
        .await;
    match result {
        Err(Error::Encode(e)) => assert!(e.to_string().contains("with_public_key_pem"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());

    // A number encrypted elsewhere is sent as it is, key or no key.
    client
        .create_txn(
            &txn("enc-QUJDRA=="),
            &juspay::CreateTxnParams::new("customer_1122"),
        )
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(sent_phone(&received[0].body), "enc-QUJDRA==");
}

#[test]
fn a_malformed_key_is_an_error_at_construction() {
    let client = juspay::Client::new(Environment::Sandbox, "key");
    let error = client
        .with_public_key_pem("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----")
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("the public key is not a PEM-encoded RSA public key"),
        "{error}"
    );
}

#[test]
fn the_plain_number_never_shows() {
    let request = txn(PHONE);
    assert!(!format!("{request:?}").contains(PHONE));
    assert!(!serde_json::to_string(&request).unwrap().contains(PHONE));
}
