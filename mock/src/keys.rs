//! The mock's RSA key pair, standing in for a gateway's: clients encrypt
//! `x-encrypted` fields with its public key (`MockGateway::public_key_pem`),
//! and the mock decrypts them to check they were encrypted as the page says
//! (PKCS#1 v1.5, base64, prefixed `enc-`).

use std::sync::OnceLock;

use base64::Engine as _;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};
use serde_json::Value;

/// One key pair per process: generating one takes a while, and a mock's key
/// protects nothing. 2048 bits, like the gateways'.
fn key() -> &'static (RsaPrivateKey, String) {
    static KEY: OnceLock<(RsaPrivateKey, String)> = OnceLock::new();
    KEY.get_or_init(|| {
        let private = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
            .expect("the operating system's random numbers are available");
        let pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("a fresh public key encodes");
        (private, pem)
    })
}

/// The public key, PEM (SubjectPublicKeyInfo), for `with_public_key_pem`.
pub(crate) fn public_key_pem() -> &'static str {
    &key().1
}

/// Checks every value under an encrypted field's name in `body` (at any
/// depth): it must be `enc-` and base64 of what the key decrypts. Gives the
/// first field that is not, and why.
pub(crate) fn check_encrypted(body: &Value, fields: &[&str]) -> Result<(), (String, &'static str)> {
    match body {
        Value::Object(map) => {
            for (key, value) in map {
                if let (true, Value::String(text)) = (fields.contains(&key.as_str()), value) {
                    decrypt(text).map_err(|why| (key.clone(), why))?;
                } else {
                    check_encrypted(value, fields)?;
                }
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(|v| check_encrypted(v, fields)),
        _ => Ok(()),
    }
}

fn decrypt(text: &str) -> Result<String, &'static str> {
    let encoded = text
        .strip_prefix("enc-")
        .ok_or("is not encrypted (no `enc-` prefix)")?;
    let ciphertext = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| "is not base64 after `enc-`")?;
    let plain = key()
        .0
        .decrypt(Pkcs1v15Encrypt, &ciphertext)
        .map_err(|_| "does not decrypt with the gateway's key")?;
    String::from_utf8(plain).map_err(|_| "does not decrypt to text")
}
