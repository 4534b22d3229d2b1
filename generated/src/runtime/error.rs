//! What a call can end in besides its success body, and the decoding that
//! tells them apart, always keeping the status and raw body of an answer.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::body::EncodeError;
use super::validate::ValidationReport;
use reqwest::StatusCode;

/// Why a call did not return the typed success body.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    /// The request broke the spec's rules; nothing was sent.
    #[error("the request is invalid; nothing was sent:\n{0}")]
    Validation(ValidationReport),
    /// The request could not be encoded; nothing was sent.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// A header value is not valid in HTTP (a control character, say); nothing was sent.
    #[error("header `{name}` has a value that is not allowed in HTTP")]
    InvalidHeader {
        /// The header's name.
        name: &'static str,
    },
    /// The request or response did not make it across the network.
    #[error("transport failure: {0}")]
    Transport(#[source] reqwest::Error),
    /// The gateway answered with an error status and its documented error body.
    #[error("the gateway answered {status}")]
    Gateway {
        /// The HTTP status.
        status: StatusCode,
        /// The error body, decoded.
        body: E,
        /// The body exactly as received.
        raw: Bytes,
    },
    /// The gateway's answer is not what the spec documents (an HTML error page,
    /// an empty or truncated body): status and raw body are kept.
    #[error("the gateway answered {status} with a body that does not decode: {source}")]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The `Content-Type` the gateway sent, if any.
        content_type: Option<String>,
        /// The body exactly as received.
        raw: Bytes,
        /// Why it does not decode.
        #[source]
        source: serde_json::Error,
    },
}

impl<E> Error<E> {
    /// The HTTP status, when the gateway answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Gateway { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// The body as received, when the gateway answered.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Error::Gateway { raw, .. } | Error::Decode { raw, .. } => Some(raw),
            _ => None,
        }
    }
}

/// Decodes an answer: `T` for a 2xx status, `E` otherwise, and a `Decode`
/// error keeping status and raw body when the body is not what the spec says.
pub fn decode_response<T, E>(
    status: StatusCode,
    content_type: Option<String>,
    raw: Bytes,
) -> Result<T, Error<E>>
where
    T: DeserializeOwned,
    E: DeserializeOwned,
{
    if status.is_success() {
        return serde_json::from_slice(&raw).map_err(|source| Error::Decode {
            status,
            content_type,
            raw,
            source,
        });
    }
    match serde_json::from_slice(&raw) {
        Ok(body) => Err(Error::Gateway { status, body, raw }),
        Err(source) => Err(Error::Decode {
            status,
            content_type,
            raw,
            source,
        }),
    }
}
