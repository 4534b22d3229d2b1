//! The transport's own checks: base URLs, credential headers and bodies.

use std::cell::Cell;

use reqwest::header::AUTHORIZATION;
use secrecy::SecretString;

use crate::credentials::wiped_on_drop;

use super::*;
use crate::credentials::WIPED;

fn wiped() -> usize {
    WIPED.with(Cell::get)
}

#[test]
fn shared_secret_bytes_are_zeroized_when_the_last_copy_goes() {
    let before = wiped();
    let body = wiped_on_drop(b"card_number=4111111111111111".to_vec());
    let attempt = body.clone();
    drop(body);
    assert_eq!(wiped(), before, "a copy is still in use");
    assert_eq!(&attempt[..12], b"card_number=");
    drop(attempt);
    assert!(wiped() > before);
}

#[test]
fn credential_headers_are_zeroized_with_the_client() {
    let auth = Auth::Headers(vec![(
        "x-client-secret",
        SecretString::from("cfsk_ma_test_secret".to_owned()),
    )]);
    let basic = Auth::Basic {
        username: SecretString::from("rzp_test_key".to_owned()),
        password: SecretString::from("key_secret".to_owned()),
    };
    let before = wiped();
    let client = HttpClient::new("test", "https://sandbox.example", auth);
    let other = HttpClient::new("test", "https://sandbox.example", basic);
    let (_, headers) = other.ready(None).unwrap();
    assert_eq!(
        headers[AUTHORIZATION],
        "Basic cnpwX3Rlc3Rfa2V5OmtleV9zZWNyZXQ="
    );
    assert!(headers[AUTHORIZATION].is_sensitive());
    drop((client, other));
    assert!(wiped() >= before + 2);
}

#[test]
fn base_urls_must_be_https_or_loopback() {
    for ok in [
        "https://api.razorpay.com",
        "https://sandbox.cashfree.com/pg",
        "http://127.0.0.1:8080",
        "http://localhost:3000/pg",
        "http://[::1]:9000",
    ] {
        assert_eq!(checked_base_url(ok), Ok(()), "{ok}");
    }
    for insecure in [
        "http://api.razorpay.com",
        "http://10.0.0.1",
        "http://localhost.evil.com",
    ] {
        assert!(
            matches!(
                checked_base_url(insecure),
                Err(SetupError::InsecureBaseUrl(_))
            ),
            "{insecure}"
        );
    }
    for invalid in [
        "api.razorpay.com",
        "ftp://api.razorpay.com",
        "https://user:pass@api.razorpay.com",
        "https://api.razorpay.com?x=1",
        "https://api.razorpay.com#frag",
    ] {
        assert!(
            matches!(
                checked_base_url(invalid),
                Err(SetupError::InvalidBaseUrl(_))
            ),
            "{invalid}"
        );
    }
}

#[test]
fn a_key_must_be_of_the_clients_environment_where_keys_say_which() {
    let check =
        |production, key| KeyCheck::of("key_id", key, "rzp_test_", "rzp_live_").problem(production);
    assert_eq!(check(Some(false), "rzp_test_1DP5mm"), None);
    assert_eq!(check(Some(true), "rzp_live_1DP5mm"), None);
    assert_eq!(
        check(Some(false), "rzp_live_1DP5mm"),
        Some(SetupError::KeyForAnotherEnvironment {
            credential: "key_id",
            environment: "sandbox",
            expected: "rzp_test_",
        })
    );
    assert_eq!(
        check(Some(true), "rzp_test_1DP5mm"),
        Some(SetupError::KeyForAnotherEnvironment {
            credential: "key_id",
            environment: "production",
            expected: "rzp_live_",
        })
    );
    // A custom base URL (a mock, a proxy) decides nothing by the key.
    assert_eq!(check(None, "anything"), None);
    // The message names the credential and the rule, never the key.
    let shown = check(Some(false), "rzp_live_SECRETISH")
        .unwrap()
        .to_string();
    assert!(!shown.contains("SECRETISH"), "{shown}");
    assert!(shown.contains("`key_id` is not a sandbox key"), "{shown}");
}

#[test]
fn a_client_refuses_to_send_with_a_key_of_the_other_environment_until_given_one() {
    let check = |key| KeyCheck::of("key_id", key, "rzp_test_", "rzp_live_");
    let auth = |key: &str| Auth::basic(key.to_owned(), "secret".to_owned());
    let client = HttpClient::new("razorpay", "https://api.razorpay.com", auth("rzp_live_1"))
        .in_environment(&crate::Environment::Sandbox)
        .checked_key(check("rzp_live_1"));
    assert!(matches!(
        client.ready(None),
        Err(SetupError::KeyForAnotherEnvironment {
            environment: "sandbox",
            ..
        })
    ));
    // Another account's key, of the right environment: the client sends again.
    let client = client
        .with_auth(auth("rzp_test_2"))
        .checked_key(check("rzp_test_2"));
    assert!(client.ready(None).is_ok());
    // And the reverse.
    let client = client
        .with_auth(auth("rzp_live_3"))
        .checked_key(check("rzp_live_3"));
    assert!(client.ready(None).is_err());
    // A custom base URL (the mock) decides nothing by the key.
    let mock = HttpClient::new("razorpay", "http://127.0.0.1:1", auth("mock_key_id"))
        .in_environment(&crate::Environment::Custom("http://127.0.0.1:1".into()))
        .checked_key(check("mock_key_id"));
    assert!(mock.ready(None).is_ok());
}
