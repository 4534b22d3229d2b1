//! The mock's RSA key pair, standing in for a gateway's: clients encrypt
//! `x-encrypted` fields with its public key (`MockGateway::public_key_pem`),
//! and the mock decrypts them to check they were encrypted as the page says
//! (PKCS#1 v1.5, base64, prefixed `enc-`).

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};
use serde_json::Value;

/// The key pair a mock decrypts with, and its public half as PEM.
pub(crate) struct KeyPair {
    private: RsaPrivateKey,
    public_pem: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public_pem", &self.public_pem)
            .finish_non_exhaustive()
    }
}

/// The mock's own key (2048 bits, like the gateways'), the same in every
/// process and build, so that a client in another process can encrypt for
/// the binary, and no test waits for a key to be generated (seconds in an
/// unoptimised build). It protects nothing: it is public in this crate.
const BUILTIN_PEM: &str = include_str!("mock_key.pem");

impl KeyPair {
    /// The built-in key, parsed once per process.
    pub(crate) fn builtin() -> Arc<KeyPair> {
        static KEY: OnceLock<Arc<KeyPair>> = OnceLock::new();
        KEY.get_or_init(|| {
            Arc::new(KeyPair::from_pem(BUILTIN_PEM).expect("the built-in key is a valid PEM"))
        })
        .clone()
    }

    /// A private key in PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
    /// (`BEGIN RSA PRIVATE KEY`).
    pub(crate) fn from_pem(pem: &str) -> Result<KeyPair, String> {
        let private = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|e| format!("not an RSA private key in PEM (PKCS#8 or PKCS#1): {e}"))?;
        let public_pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| format!("the public key does not encode: {e}"))?;
        Ok(KeyPair {
            private,
            public_pem,
        })
    }

    /// The public key, PEM (SubjectPublicKeyInfo), for `with_public_key_pem`.
    pub(crate) fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// Checks every value under an encrypted field's name in `body` (at any
    /// depth): it must be `enc-` and base64 of what the key decrypts. Gives
    /// the first field that is not, and why.
    pub(crate) fn check_encrypted(
        &self,
        body: &Value,
        fields: &[&str],
    ) -> Result<(), (String, &'static str)> {
        match body {
            Value::Object(map) => {
                for (key, value) in map {
                    if let (true, Value::String(text)) = (fields.contains(&key.as_str()), value) {
                        self.decrypt(text).map_err(|why| (key.clone(), why))?;
                    } else {
                        self.check_encrypted(value, fields)?;
                    }
                }
                Ok(())
            }
            Value::Array(items) => items
                .iter()
                .try_for_each(|v| self.check_encrypted(v, fields)),
            _ => Ok(()),
        }
    }

    fn decrypt(&self, text: &str) -> Result<String, &'static str> {
        let encoded = text
            .strip_prefix("enc-")
            .ok_or("is not encrypted (no `enc-` prefix)")?;
        let ciphertext = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| "is not base64 after `enc-`")?;
        let plain = self
            .private
            .decrypt(Pkcs1v15Encrypt, &ciphertext)
            .map_err(|_| "does not decrypt with the gateway's key")?;
        String::from_utf8(plain).map_err(|_| "does not decrypt to text")
    }
}
