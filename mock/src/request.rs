//! Judging a request body with the generated types: it must decode into the
//! operation's request type and pass that type's `validate()`, exactly as the
//! client checks it before sending.

use paygen::{BodyEncoding, Validate, ValidationReport};
use serde::de::DeserializeOwned;

use crate::form;

/// Why a request body was refused.
#[derive(Debug)]
pub(crate) enum Rejection {
    /// Not the documented shape (a missing field, a wrong type).
    Decode(String),
    /// The documented shape, breaking documented rules.
    Invalid(ValidationReport),
}

/// Decodes `body` into `T` and validates it.
pub(crate) fn check<T: DeserializeOwned + Validate>(
    body: &[u8],
    kind: BodyEncoding,
) -> Result<(), Rejection> {
    let value: T = match kind {
        BodyEncoding::Json => {
            serde_json::from_slice(body).map_err(|e| Rejection::Decode(e.to_string()))?
        }
        BodyEncoding::Form => {
            let tree = form::parse(body).map_err(|e| Rejection::Decode(e.to_string()))?;
            form::from_form(tree).map_err(|e| Rejection::Decode(e.to_string()))?
        }
        // `build.rs` serves no multipart operation (it says so).
        BodyEncoding::Multipart => {
            return Err(Rejection::Decode(
                "paygen-mock does not read multipart/form-data bodies".into(),
            ))
        }
    };
    value.validate().map_err(Rejection::Invalid)
}

/// The body as JSON, for carrying its values into the response.
pub(crate) fn as_json(body: &[u8], kind: Option<BodyEncoding>) -> serde_json::Value {
    match kind {
        Some(BodyEncoding::Json) => serde_json::from_slice(body).unwrap_or_default(),
        Some(BodyEncoding::Form) => {
            form::parse(body).map_or(serde_json::Value::Null, |t| t.to_json())
        }
        Some(BodyEncoding::Multipart) | None => serde_json::Value::Null,
    }
}
