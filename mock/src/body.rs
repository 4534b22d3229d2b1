//! What the mock answers with: a whole JSON body, or one cut short (the
//! connection closes mid-body), and the reset that closes a connection
//! without a response.

use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use hyper::Response;
use serde_json::Value;

/// A response body: whole, or cut short (the connection closes mid-body).
pub(crate) struct MockBody {
    data: Option<Bytes>,
    /// The length announced, when the body is cut short.
    announced: Option<u64>,
    /// A cut-short body breaks off after this wait, so that the head and the
    /// first half reach the client first.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl MockBody {
    pub(crate) fn whole(data: impl Into<Bytes>) -> Self {
        MockBody {
            data: Some(data.into()),
            announced: None,
            pause: None,
        }
    }

    pub(crate) fn truncated(data: impl Into<Bytes>) -> Self {
        let data: Bytes = data.into();
        let announced = data.len() as u64;
        MockBody {
            data: Some(data.slice(..data.len() / 2)),
            announced: Some(announced),
            pause: Some(Box::pin(tokio::time::sleep(
                std::time::Duration::from_millis(50),
            ))),
        }
    }
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if let Some(pause) = self.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.pause = None;
        }
        if self.announced.take().is_some() {
            return Poll::Ready(Some(Err(std::io::Error::other("the answer is cut short"))));
        }
        Poll::Ready(None)
    }

    fn size_hint(&self) -> SizeHint {
        match (self.announced, &self.data) {
            (Some(n), _) => SizeHint::with_exact(n),
            (None, Some(data)) => SizeHint::with_exact(data.len() as u64),
            (None, None) => SizeHint::with_exact(0),
        }
    }
}

/// Why a connection is closed without a response.
#[derive(Debug)]
pub(crate) struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by the mock, as asked")
    }
}

impl std::error::Error for Reset {}

pub(crate) fn json_response(status: u16, body: &Value) -> Response<MockBody> {
    // A `Value` always serializes.
    json_text_response(status, serde_json::to_vec(body).unwrap_or_default())
}

/// A response of `body`, JSON text already written.
pub(crate) fn json_text_response(status: u16, body: impl Into<Bytes>) -> Response<MockBody> {
    let mut response = Response::new(MockBody::whole(body));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}
