//! Request bodies on the wire: the `RequestBody` trait the derive implements,
//! and the encodings the gateways use.

use serde::Serialize;

use super::form::{encode_form, FormError};
use super::multipart::{encode_multipart, MultipartError};
use super::secret::exposing;

/// How a request body is put on the wire: `Json` (written by serde_json),
/// `Form` (`application/x-www-form-urlencoded`, with bracketed keys for nested
/// values and JSON text for fields marked `json_in_form`) or `Multipart`
/// (`multipart/form-data`, files as [`FilePart`](crate::FilePart)s). The
/// generator and the derive name the same encodings.
pub use paygen_model::Encoding as BodyEncoding;

/// Why a body could not be encoded. Encoding a derived type fails only for
/// values serde itself rejects (a non-finite float, a map with non-string
/// keys) and, in a multipart body, for a file that cannot be read or a part
/// that holds the boundary.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// serde_json refused the value.
    #[error("cannot encode the body as JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The form encoder refused the value.
    #[error(transparent)]
    Form(#[from] FormError),
    /// The multipart encoder refused the value (a file it cannot read).
    #[error("cannot encode the multipart body: {0}")]
    Multipart(#[from] MultipartError),
}

/// A type that is sent as a request body: its encoding and its bytes.
///
/// `#[derive(paygen::Wire)]` with `#[paygen(body = "json")]` or
/// `#[paygen(body = "form")]` implements it; serde attributes decide the wire
/// names.
pub trait RequestBody: Serialize {
    /// The body's encoding.
    const ENCODING: BodyEncoding;

    /// Whether a body is sent at all: `false` for calls without one (a GET),
    /// which then send no `Content-Type` either.
    #[doc(hidden)]
    const SENDS_BODY: bool = true;

    /// Whether the body carries the gateway's idempotency key (a field the
    /// spec marks `x-idempotency-key`, set): the gateway answers a repeat
    /// with the first result, so the call is safe to send again.
    fn idempotent(&self) -> bool {
        false
    }

    /// Appends the encoded body to `out`, so a caller can reuse one buffer.
    fn encode_body_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError>;

    /// The `Content-Type` header value.
    fn content_type(&self) -> &'static str {
        Self::ENCODING.content_type()
    }

    /// The encoded body.
    fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
        // Most gateway bodies fit; larger ones grow as usual.
        let mut out = Vec::with_capacity(1024);
        self.encode_body_into(&mut out)?;
        Ok(out)
    }
}

/// The JSON body of `value`, appended to `out`.
pub fn encode_json<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    exposing(|| serde_json::to_writer(out, value)).map_err(EncodeError::Json)
}

/// The form body of `value`, appended to `out`; `json_fields` are the wire names
/// of top-level fields sent as one JSON value each.
pub fn encode_form_body<T: Serialize + ?Sized>(
    value: &T,
    json_fields: &[&str],
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    exposing(|| encode_form(value, json_fields, out)).map_err(EncodeError::Form)
}

/// The `multipart/form-data` body of `value`, appended to `out`.
pub fn encode_multipart_body<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    exposing(|| encode_multipart(value, out)).map_err(EncodeError::Multipart)
}

/// A JSON list of request items (a JSON Patch, items to add): a request body
/// a spec gives as an array of objects.
impl<T: Serialize + super::validate::Validate> RequestBody for Vec<T> {
    const ENCODING: BodyEncoding = BodyEncoding::Json;

    fn encode_body_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        encode_json(self, out)
    }
}
