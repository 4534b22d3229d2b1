//! Judging a request body with the generated types: it must decode into the
//! operation's request type and pass that type's `validate()`, exactly as the
//! client checks it before sending; and the body as the simulator reads it.

use std::any::Any;
use std::cell::OnceCell;

use paygen::{BodyEncoding, Validate, ValidationReport};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::{form, multipart};

/// Why a request body was refused.
#[derive(Debug)]
pub(crate) enum Rejection {
    /// Not the documented shape (a missing field, a wrong type).
    Decode(String),
    /// The documented shape, breaking documented rules.
    Invalid(ValidationReport),
}

/// A request body decoded into its operation's generated request type, and
/// valid: the simulator reads it (see [`Sent::decoded`]) rather than
/// reading the body's text a second time.
pub(crate) type Decoded = Box<dyn Any + Send>;

/// Decodes `body` into `T` and validates it.
pub(crate) fn check<T: DeserializeOwned + Validate + Send + 'static>(
    body: &[u8],
    kind: BodyEncoding,
) -> Result<Decoded, Rejection> {
    let value: T = match kind {
        BodyEncoding::Json => from_json(body).map_err(|e| Rejection::Decode(e.to_string()))?,
        BodyEncoding::Form => {
            let tree = form::parse(body).map_err(|e| Rejection::Decode(e.to_string()))?;
            form::from_form(tree).map_err(|e| Rejection::Decode(e.to_string()))?
        }
        BodyEncoding::Multipart => {
            let tree = multipart::parse(body).map_err(Rejection::Decode)?;
            form::from_form(tree).map_err(|e| Rejection::Decode(e.to_string()))?
        }
    };
    value.validate().map_err(Rejection::Invalid)?;
    Ok(Box::new(value))
}

/// `body` as JSON `T`. Read as text when it is UTF-8, which serde_json then
/// does not check again string by string (the mock's request rate depends
/// on it: the bench's paygen-mock row); otherwise read as bytes, for
/// serde_json's error at the byte that is not.
fn from_json<'a, T: Deserialize<'a>>(body: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

/// A judged request body, as the simulator reads it: as the generated
/// request type it was judged as, as JSON (parsed on first use), or, for a
/// JSON body, as a type of the simulator's borrowing from its text only the
/// fields it reads (`razorpay::entities`). Reading the decoded request or
/// borrowing builds no [`Value`] tree of the body.
pub(crate) struct Sent<'a> {
    body: &'a [u8],
    encoding: Option<BodyEncoding>,
    decoded: Option<Decoded>,
    json: OnceCell<Value>,
}

impl<'a> Sent<'a> {
    /// `body`, and what its operation's check decoded it to when it took it.
    pub(crate) fn new(
        body: &'a [u8],
        encoding: Option<BodyEncoding>,
        decoded: Option<Decoded>,
    ) -> Self {
        Sent {
            body,
            encoding,
            decoded,
            json: OnceCell::new(),
        }
    }

    /// The body as the generated request type `T` it was judged valid as;
    /// `None` when it was not judged as a `T` (another operation's type, a
    /// body refused, no body).
    pub(crate) fn decoded<T: 'static>(&self) -> Option<&T> {
        self.decoded.as_ref()?.downcast_ref()
    }

    /// The body as JSON (a form or multipart body as its fields, a file as
    /// its name, type and size; null when there is none).
    pub(crate) fn json(&self) -> &Value {
        self.json.get_or_init(|| as_json(self.body, self.encoding))
    }

    /// A JSON body as `T`, borrowing from its text; `None` for any other
    /// body, or one that is not a `T`.
    pub(crate) fn read<T: Deserialize<'a>>(&self) -> Option<T> {
        match self.encoding {
            Some(BodyEncoding::Json) => from_json(self.body).ok(),
            _ => None,
        }
    }
}

/// The body as JSON, for carrying its values into the response.
pub(crate) fn as_json(body: &[u8], kind: Option<BodyEncoding>) -> serde_json::Value {
    match kind {
        Some(BodyEncoding::Json) => from_json(body).unwrap_or_default(),
        Some(BodyEncoding::Form) => {
            form::parse(body).map_or(serde_json::Value::Null, |t| t.to_json())
        }
        Some(BodyEncoding::Multipart) => {
            multipart::parse(body).map_or(serde_json::Value::Null, |t| t.to_json())
        }
        None => serde_json::Value::Null,
    }
}
