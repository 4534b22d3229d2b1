//! What every gateway's webhooks share: the error of a rejected delivery, a
//! delivery paygen has no type for (masked in `Debug`), its dedup key, and
//! decoding the webhooks an imported OpenAPI 3.1 file lists, for its
//! generated enum. Each gateway's signatures and events are in `paygen`'s
//! `webhooks` module, beside the gateway's types.
//!
//! Always verify the raw request body, byte for byte as received. Parsing the
//! JSON and serializing it again changes spacing, key order or number format,
//! and the signature no longer matches (or, worse, a check written that way
//! ends up verifying something other than what was sent).

use std::fmt;

use crate::decode::DecodeError;
use crate::signature::SignatureError;
use crate::JsonValue;

/// Why a webhook delivery was rejected.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The signature (or timestamp) does not check out: do not act on the body.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// The body is signed but is not the JSON the gateway documents. The
    /// message names the kind of value and its position, never the value.
    #[error("the webhook body does not decode: {0}")]
    Body(DecodeError),
}

impl From<serde_json::Error> for WebhookError {
    fn from(error: serde_json::Error) -> Self {
        WebhookError::Body(error.into())
    }
}

/// `event:sha256:<hex>` of a delivery paygen has no type for: the SHA-256 of
/// its JSON written again, so spacing does not change it.
#[doc(hidden)]
pub fn digest_key(event: &str, raw: &Payload) -> String {
    use sha2::Digest as _;
    let json = serde_json::to_vec(raw.json()).unwrap_or_default();
    format!(
        "{event}:sha256:{}",
        hex::encode(sha2::Sha256::digest(&json))
    )
}

/// A delivery paygen has no type for, as JSON. Its `Debug` masks the values
/// of every field the gateway's specs mark secret (a contact, a card number),
/// at any depth; [`Payload::json`] gives the values themselves.
#[derive(Clone, PartialEq)]
pub struct Payload {
    json: JsonValue,
    secret_fields: &'static [&'static str],
}

impl Payload {
    /// `json`, masked in `Debug` by `secret_fields`.
    #[doc(hidden)]
    pub fn new(json: JsonValue, secret_fields: &'static [&'static str]) -> Self {
        Payload {
            json,
            secret_fields,
        }
    }

    /// The delivery as JSON, secrets included.
    pub fn json(&self) -> &JsonValue {
        &self.json
    }

    /// The delivery as JSON, secrets included.
    pub fn into_json(self) -> JsonValue {
        self.json
    }

    /// A copy with the secret fields' values replaced by `***`.
    pub fn masked(&self) -> JsonValue {
        fn mask(value: &mut JsonValue, secret_fields: &[&str]) {
            match value {
                JsonValue::Object(map) => {
                    for (key, value) in map.iter_mut() {
                        if secret_fields.contains(&key.as_str()) && !value.is_null() {
                            *value = JsonValue::String("***".into());
                        } else {
                            mask(value, secret_fields);
                        }
                    }
                }
                JsonValue::Array(items) => {
                    for item in items {
                        mask(item, secret_fields);
                    }
                }
                _ => {}
            }
        }
        let mut copy = self.json.clone();
        mask(&mut copy, self.secret_fields);
        copy
    }
}

/// Decodes a webhook's body as `T`, for the `decode` of generated webhook
/// enums.
#[doc(hidden)]
pub fn decode_webhook<T: serde::de::DeserializeOwned>(raw_body: &[u8]) -> Result<T, WebhookError> {
    crate::decode::decode_json(raw_body).map_err(WebhookError::Body)
}

/// A delivery of a webhook a generated enum does not list, masked by
/// `secret_fields`.
#[doc(hidden)]
pub fn webhook_payload(
    raw_body: &[u8],
    secret_fields: &'static [&'static str],
) -> Result<Payload, WebhookError> {
    Ok(Payload::new(
        serde_json::from_slice(raw_body)?,
        secret_fields,
    ))
}

/// A [`Payload`] read back (from a queue), masked by `secret_fields`.
#[doc(hidden)]
pub fn deserialize_webhook_payload<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    secret_fields: &'static [&'static str],
) -> Result<Payload, D::Error> {
    let json = <JsonValue as serde::Deserialize>::deserialize(deserializer)?;
    Ok(Payload::new(json, secret_fields))
}

/// A payload serializes masked, like every paygen type outside its own
/// encoders: a queue or a log never holds a card or phone number.
impl serde::Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.masked().serialize(serializer)
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.masked(), f)
    }
}
