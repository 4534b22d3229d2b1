//! Decoding what a gateway answers: `DecodeError`, which names the kind of
//! value and its place but never the value; and the traits an operation's
//! success and error bodies decode through.

use std::fmt;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

/// Why a body does not decode, without the values that would echo the body.
///
/// serde_json's own messages quote the offending value (`invalid type:
/// integer `9876543210`, expected a string`), which can be a customer's phone
/// number or card data; this keeps the kind of value and the position only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    message: Box<str>,
    line: usize,
    column: usize,
    path: Box<str>,
}

/// Decodes `T` from `raw`; when that fails, decodes again, tracking where,
/// so that the error names the field (`data.payment.cf_payment_id`). The
/// second pass costs only on failure.
pub fn decode_json<T: DeserializeOwned>(raw: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(raw).map_err(|error| {
        let mut deserializer = serde_json::Deserializer::from_slice(raw);
        let path = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(tracked) => tracked.path().to_string(),
            Ok(_) => String::new(),
        };
        let mut error = DecodeError::from(error);
        if path != "." {
            error.path = path.into();
        }
        error
    })
}

/// The error of a success status the spec documents no response for.
pub fn undocumented_status(status: StatusCode) -> DecodeError {
    DecodeError {
        message: format!(
            "the spec documents no response with status {}",
            status.as_u16()
        )
        .into(),
        line: 0,
        column: 0,
        path: Box::default(),
    }
}

impl DecodeError {
    /// Where in the body decoding stopped, as a path of field names and
    /// indexes (`data.payment.cf_payment_id`, `items[2].id`, `error.code`),
    /// for a success body, an error body or a webhook; empty when it stopped
    /// at the top or the body is not JSON.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The line (from 1) where decoding stopped; 0 when unknown.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column (from 1) where decoding stopped; 0 when unknown.
    pub fn column(&self) -> usize {
        self.column
    }

    /// What was wrong, with values left out.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<serde_json::Error> for DecodeError {
    fn from(error: serde_json::Error) -> Self {
        let full = error.to_string();
        // serde_json appends the position; it is kept apart.
        let message = match full.rfind(" at line ") {
            Some(at) if error.line() > 0 => &full[..at],
            _ => full.as_str(),
        };
        DecodeError {
            message: redact(message).into(),
            line: error.line(),
            column: error.column(),
            path: Box::default(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "`{}`: ", self.path)?;
        }
        if self.line > 0 {
            write!(
                f,
                "{} at line {} column {}",
                self.message, self.line, self.column
            )
        } else {
            f.write_str(&self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// serde's `invalid type: string "9876543210", expected i64` without the
/// value: `invalid type: string, expected i64`.
fn redact(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            // What serde expected never contains ", expected "; the value may.
            if let Some((unexpected, expected)) = rest.rsplit_once(", expected ") {
                let kind = unexpected
                    .find(['`', '"'])
                    .map_or(unexpected, |quote| &unexpected[..quote])
                    .trim_end();
                return format!("{prefix}{kind}, expected {expected}");
            }
            return format!("{prefix}a value that is not allowed here");
        }
    }
    message.to_owned()
}

/// The response of an operation documented without a body (`204 No Content`,
/// or a 2xx with no `content`): whatever body arrives is not read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NoContent;

impl<'de> serde::Deserialize<'de> for NoContent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_ignored_any(serde::de::IgnoredAny)?;
        Ok(NoContent)
    }
}

/// The body of an error response, decoded knowing the response's status: the `E`
/// of [`Error::Gateway`](crate::Error::Gateway).
///
/// Every type that deserializes is one, decoded from JSON whatever the
/// status. An operation whose spec documents different bodies for different
/// statuses (or a status without a body) gets a generated enum with a variant
/// per documented status, which implements this by choosing the variant
/// from the status.
pub trait ErrorBody: Sized {
    /// Decodes `raw`, the body of a response with `status` (not 2xx).
    /// A body that does not decode names where it stopped
    /// ([`DecodeError::path`]), as a success body's does.
    fn from_answer(status: StatusCode, raw: &[u8]) -> Result<Self, DecodeError>;
}

impl<T: DeserializeOwned> ErrorBody for T {
    fn from_answer(_status: StatusCode, raw: &[u8]) -> Result<Self, DecodeError> {
        decode_json(raw)
    }
}

/// The body of a success response, decoded knowing the response's status: the
/// `T` of a call's `Ok`.
///
/// Every type that deserializes is one, decoded from JSON whatever the 2xx
/// status. An operation whose spec documents different bodies for different
/// success statuses (`200` with the entity, `202` with a job) gets a
/// generated enum with a variant per documented status, which implements
/// this by choosing the variant from the status: no response is read as
/// another's.
pub trait SuccessBody: Sized {
    /// Decodes `raw`, the body of a response with `status` (2xx).
    fn from_answer(status: StatusCode, raw: &[u8]) -> Result<Self, DecodeError>;
}

impl<T: DeserializeOwned> SuccessBody for T {
    fn from_answer(_status: StatusCode, raw: &[u8]) -> Result<Self, DecodeError> {
        decode_json(raw)
    }
}
