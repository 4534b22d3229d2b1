//! What a call can end in besides its success body, and the decoding that
//! tells them apart, always keeping the status and raw body of a response.

use std::fmt;

use bytes::Bytes;

use super::body::EncodeError;
use super::config::SetupError;
use super::decode::{DecodeError, ErrorBody, SuccessBody};
use super::validate::ValidationReport;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Why a call did not return the typed success body.
///
/// `Debug` shows the size of a raw body, never its bytes (a response may carry
/// a customer's contact or card data); [`Error::raw_body`] gives the bytes.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke the spec's rules; nothing was sent.
    #[error("the request is invalid; nothing was sent:\n{0}")]
    Validation(ValidationReport),
    /// The client is not usable as configured (a plain-`http` base URL to a
    /// host that is not loopback, a credential that is not a valid header
    /// value); nothing was sent.
    #[error("the client is misconfigured; nothing was sent: {0}")]
    Setup(#[from] SetupError),
    /// The request could not be encoded; nothing was sent.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// A header value is not valid in HTTP (a control character, say); nothing was sent.
    #[error("header `{name}` has a value that is not allowed in HTTP")]
    InvalidHeader {
        /// The header's name.
        name: &'static str,
    },
    /// No OAuth 2 access token could be had from the gateway's token
    /// endpoint (refused credentials, the endpoint down); nothing was sent.
    #[error("no access token; nothing was sent: {0}")]
    Token(#[source] super::oauth::TokenError),
    /// The request or response did not make it across the network.
    #[error("transport failure: {0}")]
    Transport(#[source] reqwest::Error),
    /// The gateway answered with a redirect. A payment API never needs one,
    /// and following it would send credentials and card data to another
    /// host, so paygen never follows redirects.
    #[error("the gateway answered {status}, a redirect{}; it was not followed", location.as_deref().map(|l| format!(" to `{l}`")).unwrap_or_default())]
    Redirect {
        /// The HTTP status (3xx).
        status: StatusCode,
        /// The `Location` header, if any.
        location: Option<String>,
        /// The body exactly as received.
        raw: Bytes,
    },
    /// The gateway answered with an error status and its documented error body.
    #[error("the gateway answered {status}")]
    Gateway {
        /// The HTTP status.
        status: StatusCode,
        /// The error body, decoded.
        body: E,
        /// The body exactly as received.
        raw: Bytes,
        /// The response's headers (`Retry-After`, the gateway's request id);
        /// boxed, to keep `Result`s small.
        headers: Box<HeaderMap>,
    },
    /// The gateway's response is not what the spec documents (an HTML error page,
    /// an empty body, a success body without a field it always carries):
    /// status and raw body are kept.
    #[error("the gateway answered {status} with a body that does not decode: {source}")]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The response's headers; boxed, to keep `Result`s small.
        headers: Box<HeaderMap>,
        /// The `Content-Type` the gateway sent, if any.
        content_type: Option<String>,
        /// The body exactly as received.
        raw: Bytes,
        /// Why it does not decode.
        #[source]
        source: DecodeError,
    },
    /// The response's body is larger than the client's limit (see
    /// `with_max_response_bytes`); reading stopped there.
    #[error(
        "the gateway answered {status} with a body over the {limit}-byte limit; reading stopped"
    )]
    ResponseTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
        /// The first bytes of the body (at most 64 KiB).
        received: Bytes,
    },
    /// Reading a list page by page, the gateway answered the page it had
    /// just answered (it ignores the page offset): reading stopped there,
    /// rather than asking for that page forever.
    #[error(
        "the gateway answered the same page again for the items after {skip}; reading stopped"
    )]
    RepeatedPage {
        /// How many items were read before the repeated page.
        skip: i64,
    },
    /// The gateway answered, but its body broke off (the connection closed or
    /// timed out mid-body). The request may have been processed.
    #[error("the gateway answered {status}, then the body broke off: {source}")]
    ResponseInterrupted {
        /// The HTTP status.
        status: StatusCode,
        /// The bytes received before the body broke off.
        received: Bytes,
        /// What broke it.
        #[source]
        source: reqwest::Error,
    },
}

/// A body shown in `Debug` by its size only.
struct Size<'a>(&'a Bytes);

impl fmt::Debug for Size<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(report) => f.debug_tuple("Validation").field(report).finish(),
            Error::Setup(error) => f.debug_tuple("Setup").field(error).finish(),
            Error::Encode(error) => f.debug_tuple("Encode").field(error).finish(),
            Error::InvalidHeader { name } => {
                f.debug_struct("InvalidHeader").field("name", name).finish()
            }
            Error::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
            Error::Token(error) => f.debug_tuple("Token").field(error).finish(),
            Error::RepeatedPage { skip } => {
                f.debug_struct("RepeatedPage").field("skip", skip).finish()
            }
            Error::Redirect {
                status,
                location,
                raw,
            } => f
                .debug_struct("Redirect")
                .field("status", status)
                .field("location", location)
                .field("raw", &Size(raw))
                .finish(),
            Error::Gateway {
                status, body, raw, ..
            } => f
                .debug_struct("Gateway")
                .field("status", status)
                .field("body", body)
                .field("raw", &Size(raw))
                .field("request_id", &self.request_id())
                .finish(),
            Error::Decode {
                status,
                content_type,
                raw,
                source,
                ..
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("content_type", content_type)
                .field("raw", &Size(raw))
                .field("source", source)
                .finish(),
            Error::ResponseTooLarge {
                status,
                limit,
                received,
            } => f
                .debug_struct("ResponseTooLarge")
                .field("status", status)
                .field("limit", limit)
                .field("received", &Size(received))
                .finish(),
            Error::ResponseInterrupted {
                status,
                received,
                source,
            } => f
                .debug_struct("ResponseInterrupted")
                .field("status", status)
                .field("received", &Size(received))
                .field("source", source)
                .finish(),
        }
    }
}

/// What every gateway's error body says, in one shape: for logs, metrics
/// and support tickets across gateways. Each gateway's error body implements
/// it from its spec (`x-error-fields`); a method whose response the body does
/// not carry gives `None`.
///
/// ```no_run
/// # async fn demo(client: paygen::razorpay::Client) {
/// use paygen::GatewayError as _;
/// let order = paygen::razorpay::CreateOrderRequest::new(50_000, "INR");
/// if let Err(error) = client.create_order(&order).await {
///     if let Some(said) = error.gateway_error() {
///         eprintln!("{:?}: {:?} ({:?})", said.code(), said.description(), said.field());
///     }
/// }
/// # }
/// ```
pub trait GatewayError {
    /// The gateway's error code (`BAD_REQUEST_ERROR`, `request_failed`, `HD_0009`).
    fn code(&self) -> Option<&str> {
        None
    }
    /// What went wrong, in the gateway's words.
    fn description(&self) -> Option<&str> {
        None
    }
    /// The request field at fault, where the gateway names one.
    fn field(&self) -> Option<&str> {
        None
    }
    /// Why, where the gateway says (Razorpay's `reason`).
    fn reason(&self) -> Option<&str> {
        None
    }
    /// Where the failure arose, where the gateway says (Razorpay's `source`:
    /// `customer`, `bank`, `business`).
    fn source(&self) -> Option<&str> {
        None
    }
}

/// The header gateways name a call's request id in: quote it to their support.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// What a failed call may have done at the gateway (see [`Error::outcome`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Nothing was sent.
    NotSent,
    /// The gateway answered and refused the request; nothing happened there,
    /// and the same request gets the same refusal.
    NotProcessed,
    /// The gateway did not process the request and asks for it again later:
    /// 429 Too Many Requests, 408 Request Timeout. Send the same request
    /// after [`Error::retry_after`], when the gateway says, or a backoff.
    RetryLater,
    /// The gateway may have acted on the request.
    MaybeProcessed,
}

impl<E> Error<E> {
    /// The HTTP status, whenever the gateway answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Gateway { status, .. }
            | Error::Decode { status, .. }
            | Error::Redirect { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::ResponseInterrupted { status, .. } => Some(*status),
            // A transport error never carries one: paygen reads every status
            // itself (reqwest's only comes from `error_for_status`).
            _ => None,
        }
    }

    /// What the failed call may have done at the gateway, for a workflow
    /// engine or a job queue deciding what to do next:
    ///
    /// - [`Outcome::NotSent`]: nothing left this process (the request was
    ///   invalid, the client misconfigured, or no connection was made). Fix
    ///   the cause, or send it again.
    /// - [`Outcome::NotProcessed`]: the gateway answered and refused it (a
    ///   4xx but 408 and 429). Sending the same request again gets the same
    ///   refusal.
    /// - [`Outcome::RetryLater`]: the gateway did not process it and asks for
    ///   it later (429, 408); [`Error::retry_after`] says when, if it said.
    /// - [`Outcome::MaybeProcessed`]: the gateway may have acted on it (a 5xx,
    ///   a timeout or a connection lost after sending, an unreadable success).
    ///   Read the entity's status before acting, and resend only with the
    ///   same idempotency key.
    pub fn outcome(&self) -> Outcome {
        let by_status = |status: StatusCode| {
            if super::retry::not_processed_yet(status) {
                Outcome::RetryLater
            } else if status.is_client_error() {
                Outcome::NotProcessed
            } else {
                Outcome::MaybeProcessed
            }
        };
        match self {
            Error::Validation(_)
            | Error::Setup(_)
            | Error::Encode(_)
            | Error::InvalidHeader { .. }
            | Error::Token(_) => Outcome::NotSent,
            // No connection means no bytes sent; a builder error is raised before sending.
            Error::Transport(e) if e.is_connect() || e.is_builder() => Outcome::NotSent,
            Error::Transport(_) => Outcome::MaybeProcessed,
            Error::Gateway { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::ResponseInterrupted { status, .. } => by_status(*status),
            // A payment API never redirects; what the gateway did is unknown.
            Error::Redirect { .. } => Outcome::MaybeProcessed,
            // Pages are read, and reading changes nothing.
            Error::RepeatedPage { .. } => Outcome::NotProcessed,
        }
    }

    /// The kind of failure, in snake case (`gateway`, `transport`,
    /// `validation`): the `error.type` of the call's span.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::Setup(_) => "setup",
            Error::Encode(_) => "encode",
            Error::InvalidHeader { .. } => "invalid_header",
            Error::Token(_) => "token",
            Error::Transport(_) => "transport",
            Error::Redirect { .. } => "redirect",
            Error::Gateway { .. } => "gateway",
            Error::Decode { .. } => "decode",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::ResponseInterrupted { .. } => "response_interrupted",
            Error::RepeatedPage { .. } => "repeated_page",
        }
    }

    /// The gateway's error body in one shape across gateways, when it
    /// answered with one ([`GatewayError`]).
    pub fn gateway_error(&self) -> Option<&dyn GatewayError>
    where
        E: GatewayError,
    {
        match self {
            Error::Gateway { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The response's headers, when the gateway answered with an error status
    /// or a body that does not decode.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Gateway { headers, .. } | Error::Decode { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// How long the gateway asked to wait before sending again (its
    /// `Retry-After`, in seconds or as a date), when it said.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        super::retry::retry_after(self.headers()?)
    }

    /// The gateway's id for this call ([`REQUEST_ID_HEADER`]), for a
    /// support ticket, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.headers()?.get(REQUEST_ID_HEADER)?.to_str().ok()
    }

    /// The body as received, whenever the gateway answered: all of it, or
    /// what arrived before it broke off or passed the size limit.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Error::Gateway { raw, .. }
            | Error::Decode { raw, .. }
            | Error::Redirect { raw, .. } => Some(raw),
            Error::ResponseTooLarge { received, .. }
            | Error::ResponseInterrupted { received, .. } => Some(received),
            _ => None,
        }
    }
}

/// Decodes a response: `T` for a 2xx status, `E` otherwise, and a `Decode`
/// error keeping status and raw body when the body is not what the spec says.
pub(crate) fn decode_status_body<T, E>(
    status: StatusCode,
    headers: Box<HeaderMap>,
    content_type: Option<String>,
    raw: Bytes,
) -> Result<T, Error<E>>
where
    T: SuccessBody,
    E: ErrorBody,
{
    if status.is_success() {
        return T::from_answer(status, &raw)
            .or_else(|error| {
                // A response documented without a body (`NoContent`) may come
                // with none at all; any other type keeps the first error.
                if raw.iter().all(u8::is_ascii_whitespace) {
                    T::from_answer(status, b"null").map_err(|_| error)
                } else {
                    Err(error)
                }
            })
            .map_err(|source| Error::Decode {
                status,
                headers,
                content_type,
                raw,
                source,
            });
    }
    match E::from_answer(status, &raw) {
        Ok(body) => Err(Error::Gateway {
            status,
            body,
            raw,
            headers,
        }),
        Err(source) => Err(Error::Decode {
            status,
            headers,
            content_type,
            raw,
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::NoContent;
    use serde::de::DeserializeOwned;

    fn decode_error<T: DeserializeOwned + fmt::Debug>(json: &str) -> DecodeError {
        serde_json::from_str::<T>(json).unwrap_err().into()
    }

    #[test]
    fn no_content_decodes_from_an_empty_body_or_any_body_and_others_keep_their_error() {
        let ok = |raw: &'static [u8]| {
            decode_status_body::<NoContent, ()>(
                StatusCode::NO_CONTENT,
                Box::default(),
                None,
                Bytes::from_static(raw),
            )
        };
        assert_eq!(ok(b"").unwrap(), NoContent);
        assert_eq!(ok(b" \n").unwrap(), NoContent);
        assert_eq!(ok(br#"{"extra":1}"#).unwrap(), NoContent);
        // A type that needs a body still fails on an empty one, with the
        // parser's own message, the status and raw body kept.
        let empty = decode_status_body::<Vec<String>, ()>(
            StatusCode::OK,
            Box::default(),
            None,
            Bytes::new(),
        );
        match empty {
            Err(Error::Decode {
                status,
                raw,
                source,
                ..
            }) => {
                assert_eq!((status, raw.len()), (StatusCode::OK, 0));
                assert_eq!(
                    source.to_string(),
                    "EOF while parsing a value at line 1 column 0"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_decode_error_keeps_its_position_apart_and_only_when_serde_json_gave_one() {
        let error = decode_error::<Vec<String>>("[\n  \"ok\",\n  7\n]");
        assert_eq!((error.line(), error.column()), (3, 3));
        assert_eq!(error.message(), "invalid type: integer, expected a string");
        // An error without a position (line 0) keeps its words whole, even
        // words that look like one.
        let custom: serde_json::Error =
            serde::de::Error::custom("a total at line 9 of the invoice does not add up");
        let error = DecodeError::from(custom);
        assert_eq!((error.line(), error.column()), (0, 0));
        assert_eq!(
            error.message(),
            "a total at line 9 of the invoice does not add up"
        );
        assert_eq!(
            error.to_string(),
            "a total at line 9 of the invoice does not add up"
        );
    }

    #[test]
    fn decode_errors_keep_the_kind_and_position_but_not_the_value() {
        let error = decode_error::<Vec<String>>(r#"["ok", 9876543210]"#);
        assert_eq!(
            error.to_string(),
            "invalid type: integer, expected a string at line 1 column 17"
        );
        let error = decode_error::<Vec<i64>>(r#"["98765, expected 43210"]"#);
        assert_eq!(error.message(), "invalid type: string, expected i64");
        assert!(!error.to_string().contains("43210"));
        let error = decode_error::<Vec<bool>>("[1.5]");
        assert_eq!(
            error.message(),
            "invalid type: floating point, expected a boolean"
        );
        let error = decode_error::<std::collections::BTreeMap<String, i64>>(r#"{"a": 1"#);
        assert_eq!(
            error.to_string(),
            "EOF while parsing an object at line 1 column 7"
        );
        assert_eq!((error.line(), error.column()), (1, 7));
    }

    #[test]
    fn debug_shows_the_size_of_a_body_not_its_bytes() {
        let error: Error<()> = Error::Redirect {
            status: StatusCode::FOUND,
            location: Some("https://elsewhere.example/".into()),
            raw: Bytes::from_static(b"contact 9876543210"),
        };
        let debug = format!("{error:?}");
        assert!(debug.contains("<18 bytes>"), "{debug}");
        assert!(!debug.contains("9876543210"), "{debug}");
        assert_eq!(
            error.to_string(),
            "the gateway answered 302 Found, a redirect to `https://elsewhere.example/`; it was not followed"
        );
        assert_eq!(error.status(), Some(StatusCode::FOUND));
        assert_eq!(error.raw_body().map(|b| b.len()), Some(18));
    }
}
