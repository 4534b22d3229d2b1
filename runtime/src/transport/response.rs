//! Reading and decoding a response: its body up to a limit, never a
//! redirect followed, the typed body or the gateway's error body, status and
//! raw bytes kept; the same decoding for a response a caller got itself.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;

use super::HttpClient;
use crate::decode::{ErrorBody, SuccessBody};
use crate::error::{decode_status_body, Error};

/// How much of a body over the limit an error keeps.
const KEPT_OF_TOO_LARGE: usize = 64 * 1024;

impl HttpClient {
    /// Reads and decodes a response.
    pub(super) async fn read_response<T, E>(
        &self,
        response: reqwest::Response,
    ) -> Result<T, Error<E>>
    where
        T: SuccessBody,
        E: ErrorBody,
    {
        let status = response.status();
        let headers = Box::new(response.headers().clone());
        let limit = self.max_response_bytes;
        let raw = match read_body(response, limit).await {
            Ok(raw) => raw,
            Err(BodyError::TooLarge(received)) => {
                tracing::warn!(status = status.as_u16(), limit, "response too large");
                let kept = received.len().min(KEPT_OF_TOO_LARGE);
                return Err(Error::ResponseTooLarge {
                    status,
                    limit,
                    received: Bytes::copy_from_slice(&received[..kept]),
                });
            }
            Err(BodyError::Broken(received, source)) => {
                tracing::warn!(status = status.as_u16(), error = %source, "response broke off");
                return Err(Error::ResponseInterrupted {
                    status,
                    received: received.into(),
                    source,
                });
            }
        };
        tracing::debug!(status = status.as_u16(), bytes = raw.len(), "answered");
        decoded(status, headers, raw)
    }
}

/// Decodes a response a call's request got, however it was sent (see
/// [`PreparedRequest`](crate::PreparedRequest)): `T` on a 2xx status, the gateway's error body `E`
/// otherwise, exactly as the client's own methods decode it; status and raw
/// body kept in every error.
pub fn decode_response<T, E>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Error<E>>
where
    T: SuccessBody,
    E: ErrorBody,
{
    decoded(
        status,
        Box::new(headers.clone()),
        Bytes::copy_from_slice(body),
    )
}

/// A response read whole: a redirect (never followed), or the body decoded.
fn decoded<T, E>(status: StatusCode, headers: Box<HeaderMap>, raw: Bytes) -> Result<T, Error<E>>
where
    T: SuccessBody,
    E: ErrorBody,
{
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(CONTENT_TYPE);
    if status.is_redirection() {
        return Err(Error::Redirect {
            status,
            location: header(LOCATION),
            raw,
        });
    }
    decode_status_body(status, headers, content_type, raw)
}

/// Why a response's body could not be read whole: what was read, and why.
pub(super) enum BodyError {
    TooLarge(Vec<u8>),
    Broken(Vec<u8>, reqwest::Error),
}

/// The response's body, at most `limit` bytes of it.
pub(super) async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, BodyError> {
    // Most responses arrive in one chunk: that chunk is the body, not copied.
    let mut first: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(error) => {
                if let Some(first) = first.take() {
                    joined.extend_from_slice(&first);
                }
                return Err(BodyError::Broken(joined, error));
            }
        };
        let so_far = first.as_ref().map_or(joined.len(), Bytes::len);
        if so_far + chunk.len() > limit {
            if let Some(first) = first.take() {
                joined.extend_from_slice(&first);
            }
            // `so_far <= limit`: the previous chunk passed this check.
            joined.extend_from_slice(&chunk[..limit - so_far]);
            return Err(BodyError::TooLarge(joined));
        }
        match first.take() {
            None if joined.is_empty() => first = Some(chunk),
            None => joined.extend_from_slice(&chunk),
            Some(first) => {
                joined.reserve(first.len() + chunk.len());
                joined.extend_from_slice(&first);
                joined.extend_from_slice(&chunk);
            }
        }
    }
    Ok(first.unwrap_or_else(|| joined.into()))
}
