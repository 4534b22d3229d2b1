//! A call without its sending: the request a client method would send,
//! built, validated and encoded, for a system that sends it itself (an
//! outbox, a workflow engine, a queue consumer) and gives the response back to
//! be decoded.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The exact request a client method sends, but not sent: method, URL,
/// headers, body bytes, and whether it is safe to send again (an
/// idempotency key, or a GET). `client.prepare_<operation>(..)` gives one;
/// send it with any HTTP client after adding the client's credentials
/// ([`credentials_for`](crate::__private::HttpClient::credentials_for), which
/// every client exposes as `client.credentials_for(&prepared)`), and decode
/// what the gateway answers with `Client::decode_<operation>(status,
/// &headers, &body)`.
///
/// It holds no credentials, so storing it (it serializes) stores none. It
/// holds what the call itself sends: parameters the spec marks secret (in the
/// URL, or in headers marked [`sensitive`](PreparedHeader::is_sensitive)) and
/// the body, card data included for a card payment; store it as you store
/// card data. `Debug` shows header names, the values of headers that are not
/// secret, the path without its query and secret segments, and the body's
/// size.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparedRequest {
    operation: String,
    method: String,
    url: String,
    /// The path without its query, a secret path parameter as its `{name}`.
    logged_path: String,
    headers: Vec<PreparedHeader>,
    #[serde(with = "base64_body")]
    body: Option<Vec<u8>>,
    idempotent: bool,
    /// The security scheme the call sends instead of the client's own, and
    /// the client method that sets it.
    credential: Option<(String, String)>,
}

/// One header of a [`PreparedRequest`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparedHeader {
    name: String,
    value: String,
    /// A value that must not be shown (a secret parameter, a caller's header).
    sensitive: bool,
}

impl PreparedHeader {
    /// The header's name, lower case.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The header's value.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether the value is secret: kept out of `Debug`, and out of logs.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }
}

impl fmt::Debug for PreparedHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = if self.sensitive {
            &"<secret>"
        } else {
            &self.value
        };
        f.debug_tuple("Header")
            .field(&self.name)
            .field(value)
            .finish()
    }
}

impl PreparedRequest {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        operation: &str,
        method: &reqwest::Method,
        url: String,
        logged_path: String,
        headers: &reqwest::header::HeaderMap,
        body: Option<&[u8]>,
        idempotent: bool,
        credential: Option<(&str, &str)>,
    ) -> Self {
        let headers = headers
            .iter()
            .map(|(name, value)| PreparedHeader {
                name: name.as_str().to_owned(),
                // Every value paygen builds is visible ASCII.
                value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
                sensitive: value.is_sensitive(),
            })
            .collect();
        PreparedRequest {
            operation: operation.to_owned(),
            method: method.as_str().to_owned(),
            url,
            logged_path,
            headers,
            body: body.map(<[u8]>::to_vec),
            idempotent,
            credential: credential.map(|(scheme, setter)| (scheme.to_owned(), setter.to_owned())),
        }
    }

    /// The client method it was prepared by (`create_order`).
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// The HTTP method (`POST`).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The whole URL, query included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers to send, the credentials aside.
    pub fn headers(&self) -> &[PreparedHeader] {
        &self.headers
    }

    /// The body's bytes; `None` for a call without a body (a GET).
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// Whether sending it again cannot act twice: it carries the gateway's
    /// idempotency key (a header or a body field), or it is a GET. A request
    /// that is not may be sent again only when it surely did not reach the
    /// gateway (see [`Outcome`](crate::Outcome)).
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The security scheme whose credential it is sent with, and the client
    /// method that sets it, when it is not the client's own (an operation's
    /// own `security`).
    pub(crate) fn credential(&self) -> Option<(&str, &str)> {
        self.credential
            .as_ref()
            .map(|(scheme, setter)| (scheme.as_str(), setter.as_str()))
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.logged_path)
            .field("headers", &self.headers)
            .field(
                "body",
                &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())),
            )
            .field("idempotent", &self.idempotent)
            .finish_non_exhaustive()
    }
}

/// The body as base64 text in serde: compact, and readable by any store.
mod base64_body {
    use super::*;

    pub fn serialize<S: serde::Serializer>(
        body: &Option<Vec<u8>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let engine = &base64::engine::general_purpose::STANDARD;
        body.as_ref().map(|b| engine.encode(b)).serialize(s)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        let engine = &base64::engine::general_purpose::STANDARD;
        Option::<String>::deserialize(d)?
            .map(|text| engine.decode(text).map_err(serde::de::Error::custom))
            .transpose()
    }
}
