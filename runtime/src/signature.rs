//! HMAC-SHA256 signatures as the gateways send them (hex or base64), always
//! compared in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why a signature was rejected. The message never includes the expected
/// signature, so logging it reveals nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The signature is not valid hex or base64.
    #[error("the signature is not well-formed {0}")]
    Malformed(&'static str),
    /// The signature does not match: wrong secret, or the payload was changed.
    #[error("the signature does not match")]
    Mismatch,
    /// The timestamp is missing, not a number, or too old (or too far ahead).
    #[error("the timestamp is {0}")]
    Timestamp(&'static str),
    /// The secret to check with is empty (an environment variable that is not
    /// set, say): anyone could make a signature that matches it.
    #[error("the secret to verify with is empty; nothing was verified")]
    EmptySecret,
}

/// Refuses an empty secret: an HMAC keyed with nothing is one anybody can make.
fn usable(secret: &[u8]) -> Result<(), SignatureError> {
    if secret.is_empty() {
        Err(SignatureError::EmptySecret)
    } else {
        Ok(())
    }
}

fn mac(secret: &[u8], parts: &[&[u8]]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    mac
}

/// The lower-case hex HMAC-SHA256 of the concatenated `parts`.
pub fn hmac_sha256_hex(secret: &[u8], parts: &[&[u8]]) -> String {
    hex::encode(hmac_sha256(secret, parts))
}

/// The HMAC-SHA256 of the concatenated `parts`.
pub fn hmac_sha256(secret: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    mac(secret, parts).finalize().into_bytes().into()
}

/// Checks a hex HMAC-SHA256 of the concatenated `parts`, in constant time.
pub fn verify_hex(secret: &[u8], parts: &[&[u8]], signature: &str) -> Result<(), SignatureError> {
    usable(secret)?;
    let given = hex::decode(signature.trim()).map_err(|_| SignatureError::Malformed("hex"))?;
    mac(secret, parts)
        .verify_slice(&given)
        .map_err(|_| SignatureError::Mismatch)
}

/// Checks a base64 HMAC-SHA256 of the concatenated `parts`, in constant time.
pub fn verify_base64(
    secret: &[u8],
    parts: &[&[u8]],
    signature: &str,
) -> Result<(), SignatureError> {
    usable(secret)?;
    use base64::Engine as _;
    let given = base64::engine::general_purpose::STANDARD
        .decode(signature.trim())
        .map_err(|_| SignatureError::Malformed("base64"))?;
    mac(secret, parts)
        .verify_slice(&given)
        .map_err(|_| SignatureError::Mismatch)
}
