//! Fields a gateway wants encrypted with its public key (Juspay's CRED phone
//! number): the consumer sets the plain value, and the encoder encrypts it
//! with RSA PKCS#1 v1.5, base64-encodes it and prefixes `enc-`, with the key
//! given to the client once.
//!
//! PKCS#1 v1.5 encryption is what the gateway requires; its known weakness
//! (padding oracles, the Marvin attack) concerns decryption, which only the
//! gateway does.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

#[cfg(feature = "encryption")]
use rsa::pkcs1::DecodeRsaPublicKey;
#[cfg(feature = "encryption")]
use rsa::pkcs8::DecodePublicKey;
#[cfg(feature = "encryption")]
use rsa::{Pkcs1v15Encrypt, RsaPublicKey};
use serde::{ser, Deserialize, Deserializer, Serialize, Serializer};

use super::secret::Secret;
use super::validate::{Code, Param, Path, Validate, ValidationReport};

/// The prefix the gateway expects before the base64 ciphertext.
pub const PREFIX: &str = "enc-";

/// A gateway's RSA public key. Reading one needs the `encryption` feature
/// (on with any gateway that encrypts, such as `juspay`); without it,
/// [`EncryptionKey::from_pem`] refuses every key and RSA is not built.
#[derive(Clone)]
pub struct EncryptionKey(Key);

#[cfg(feature = "encryption")]
type Key = Arc<RsaPublicKey>;
/// Without the `encryption` feature no key can be made.
#[cfg(not(feature = "encryption"))]
type Key = Arc<std::convert::Infallible>;

impl fmt::Debug for EncryptionKey {
    #[cfg(feature = "encryption")]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use rsa::traits::PublicKeyParts;
        write!(f, "EncryptionKey(RSA {} bits)", self.0.size() * 8)
    }

    #[cfg(not(feature = "encryption"))]
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self.0 {}
    }
}

/// Why a public key could not be used: it is not one, a value could not be
/// encrypted with it, or paygen was built without its `encryption` feature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(String);

impl EncryptionKey {
    /// Reads a PEM public key, SPKI (`BEGIN PUBLIC KEY`) or PKCS#1
    /// (`BEGIN RSA PUBLIC KEY`).
    #[cfg(feature = "encryption")]
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let pem = pem.trim();
        RsaPublicKey::from_public_key_pem(pem)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem))
            .map(|key| EncryptionKey(Arc::new(key)))
            .map_err(|e| {
                KeyError(format!(
                    "the public key is not a PEM-encoded RSA public key \
                     (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`): {e}"
                ))
            })
    }

    /// Reads a PEM public key: without the `encryption` feature, never.
    #[cfg(not(feature = "encryption"))]
    pub fn from_pem(_pem: &str) -> Result<Self, KeyError> {
        Err(KeyError(
            "paygen was built without its `encryption` feature, which reads RSA keys".into(),
        ))
    }

    /// `enc-` followed by the base64 RSA PKCS#1 v1.5 ciphertext of `plain`.
    #[cfg(feature = "encryption")]
    pub fn encrypt(&self, plain: &str) -> Result<String, KeyError> {
        use base64::Engine as _;
        let ciphertext = self
            .0
            .encrypt(
                &mut rsa::rand_core::OsRng,
                Pkcs1v15Encrypt,
                plain.as_bytes(),
            )
            .map_err(|e| {
                KeyError(format!(
                    "the value could not be encrypted with the key: {e}"
                ))
            })?;
        Ok(format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::STANDARD.encode(ciphertext)
        ))
    }

    /// Encrypts `plain`: without the `encryption` feature no key exists.
    #[cfg(not(feature = "encryption"))]
    pub fn encrypt(&self, _plain: &str) -> Result<String, KeyError> {
        match *self.0 {}
    }
}

thread_local! {
    /// The key of the client whose request is being encoded on this thread.
    static KEY: RefCell<Option<EncryptionKey>> = const { RefCell::new(None) };
}

/// Runs `encode` with `key` available to [`Encrypted`] fields on this thread.
pub(crate) fn encrypting<R>(key: Option<&EncryptionKey>, encode: impl FnOnce() -> R) -> R {
    struct Guard(Option<EncryptionKey>);
    impl Drop for Guard {
        fn drop(&mut self) {
            let previous = self.0.take();
            KEY.with(|k| *k.borrow_mut() = previous);
        }
    }
    let previous = KEY.with(|k| k.replace(key.cloned()));
    let _guard = Guard(previous);
    encode()
}

/// A value sent encrypted: set it in plain (`"9900988990".into()`), and the
/// client encrypts it when the request is encoded. A value encrypted already
/// (starting `enc-`) is sent as it is.
#[derive(Clone, PartialEq, Eq)]
pub enum Encrypted {
    /// The plain value, encrypted at encode time.
    Plain(Secret),
    /// A value encrypted elsewhere, `enc-...`.
    Ciphertext(String),
}

impl Encrypted {
    /// A plain value, to be encrypted when sent.
    pub fn plain(value: impl Into<String>) -> Self {
        Encrypted::Plain(Secret::new(value))
    }
}

impl From<&str> for Encrypted {
    fn from(value: &str) -> Self {
        Encrypted::from(value.to_owned())
    }
}

impl From<String> for Encrypted {
    fn from(value: String) -> Self {
        if value.starts_with(PREFIX) {
            Encrypted::Ciphertext(value)
        } else {
            Encrypted::Plain(Secret::new(value))
        }
    }
}

impl fmt::Debug for Encrypted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Encrypted::Plain(_) => f.write_str("Encrypted(plain ***)"),
            Encrypted::Ciphertext(_) => f.write_str("Encrypted(enc-...)"),
        }
    }
}

impl Serialize for Encrypted {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Encrypted::Ciphertext(text) => serializer.serialize_str(text),
            Encrypted::Plain(secret) => {
                // Outside a client's encoder, a plain value serializes masked.
                let Some(key) = KEY.with(|k| k.borrow().clone()) else {
                    if super::secret::is_exposed() {
                        // Encoding for the wire without a key: fail before
                        // anything of the plain value is written.
                        return Err(ser::Error::custom(
                            "a field must be encrypted but the client has no public key: \
                             give it one with `with_public_key_pem`",
                        ));
                    }
                    return secret.serialize(serializer);
                };
                let text = key.encrypt(secret.expose()).map_err(ser::Error::custom)?;
                serializer.serialize_str(&text)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Encrypted {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Encrypted::from)
    }
}

impl Validate for Encrypted {
    fn validate_into(&self, path: &Path<'_>, report: &mut ValidationReport) {
        let rule = |rule: &'static str| {
            vec![Param {
                name: "rule",
                value: serde_json::Value::from(rule),
            }]
        };
        match self {
            Encrypted::Plain(secret) => {
                let digits = secret.expose();
                if digits.is_empty() {
                    report.push(path, Code::Required, "must not be empty", Vec::new());
                } else if !digits.bytes().all(|b| b.is_ascii_digit())
                    || !(6..=15).contains(&digits.len())
                {
                    report.push(
                        path,
                        Code::Format,
                        "must be 6 to 15 digits before it is encrypted",
                        rule("digits"),
                    );
                }
            }
            Encrypted::Ciphertext(text) if text.len() <= PREFIX.len() => {
                report.push(
                    path,
                    Code::Format,
                    "must be `enc-` followed by the ciphertext",
                    rule("ciphertext"),
                );
            }
            Encrypted::Ciphertext(_) => {}
        }
    }
}
