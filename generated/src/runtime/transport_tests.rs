//! The transport's own checks: base URLs, credential headers and bodies.

use std::cell::Cell;

use reqwest::header::AUTHORIZATION;
use secrecy::SecretString;

use super::*;
use crate::runtime::credentials::WIPED;

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
    let (_, headers) = other.ready().unwrap();
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
