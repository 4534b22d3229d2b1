//! What a generated client method hands the transport: the operation it
//! calls (method and path template), its parameters (path values, headers,
//! an idempotency key) and its body, or the lack of one.

use std::borrow::Cow;

use super::body::{EncodeError, RequestBody};
use super::validate::{Path, Validate, ValidationReport};

pub use reqwest::Method;

/// One operation of a gateway's API: what a generated method calls.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The client method's name (`create_txn`), for tracing.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template below the base URL (`/v1/payments/{id}/capture`).
    pub path: &'static str,
    /// The credential the call sends instead of the client's own, when its
    /// `security` names another scheme.
    pub credential: Option<OperationCredential>,
}

/// A credential an operation sends instead of the client's own (a
/// gateway's admin key): the security scheme it comes from, and the client
/// method that sets it, for the error when it is not set. An empty `scheme`
/// means none: the operation's `security` asks for no credentials
/// (`security: []`), and it sends none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationCredential {
    /// The security scheme's name in the spec (`admin_api_key`).
    pub scheme: &'static str,
    /// The client method that sets it (`with_admin_api_key`).
    pub setter: &'static str,
}

/// The path and header parameters of an operation, as `#[paygen::params]`
/// implements it: validated with the body, then sent.
pub trait Parameters: Validate + Sync {
    /// Appends the headers to send, with their values.
    fn headers<'a>(&'a self, out: &mut Vec<(&'static str, Cow<'a, str>)>);

    /// The value of the path parameter `name`.
    fn path_value(&self, name: &str) -> Option<Cow<'_, str>>;

    /// Appends the query parameters to send, with their values as text.
    fn query(&self, out: &mut Vec<(&'static str, String)>) {
        let _ = out;
    }

    /// Whether the call carries an idempotency key, which makes every failure
    /// safe to retry (see [`RetryPolicy`](super::retry::RetryPolicy)).
    fn idempotent(&self) -> bool {
        false
    }

    /// Appends the headers this call left unset that the client fills from
    /// its settings (Juspay's `x-merchantid` from `with_merchant_id`).
    fn client_defaults(&self, out: &mut Vec<&'static str>) {
        let _ = out;
    }

    /// Whether the parameter `name` (as sent) holds a secret (`x-secret`):
    /// a header is marked sensitive, and its value is never logged nor put
    /// in an error, as a path segment neither.
    fn is_secret(&self, _name: &str) -> bool {
        false
    }
}

/// No parameters.
impl Parameters for () {
    fn headers<'a>(&'a self, _: &mut Vec<(&'static str, Cow<'a, str>)>) {}

    fn path_value(&self, _: &str) -> Option<Cow<'_, str>> {
        None
    }
}

impl Operation {
    /// The path with each `{parameter}` replaced by its value, percent-encoded.
    pub(crate) fn path(&self, params: &dyn Parameters) -> String {
        let mut path = self.fill(&mut |name, out| {
            out.push_str(&path_segment(&params.path_value(name).unwrap_or_default()));
        });
        let mut query = Vec::new();
        params.query(&mut query);
        if !query.is_empty() {
            let mut pairs = form_urlencoded::Serializer::new(String::new());
            for (name, value) in &query {
                pairs.append_pair(name, value);
            }
            path.push('?');
            path.push_str(&pairs.finish());
        }
        path
    }

    /// The path as spans and errors show it: without the query (whose
    /// values may be anything a caller sends), a secret path parameter as
    /// its `{name}`.
    pub(crate) fn logged_path(&self, params: &dyn Parameters) -> String {
        self.fill(&mut |name, out| {
            if params.is_secret(name) {
                out.push('{');
                out.push_str(name);
                out.push('}');
            } else {
                out.push_str(&path_segment(&params.path_value(name).unwrap_or_default()));
            }
        })
    }

    /// The path template with each `{parameter}` replaced by what `segment`
    /// writes for its name.
    fn fill(&self, segment: &mut dyn FnMut(&str, &mut String)) -> String {
        let mut path = String::with_capacity(self.path.len() + 32);
        let mut rest = self.path;
        while let Some(start) = rest.find('{') {
            path.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}') else {
                break;
            };
            // Path parameters are required: a missing one is refused by
            // validation before the path is built, so it is never sent empty.
            segment(&rest[start + 1..start + end], &mut path);
            rest = &rest[start + end + 1..];
        }
        path.push_str(rest);
        path
    }
}

/// A query parameter's value as text.
pub trait QueryValue {
    /// The text sent: for a list, its items joined by commas (OpenAPI's
    /// `style: form` with `explode: false`).
    fn query_value(&self) -> String;

    /// Appends the pairs sent under `name`: one for a value, one per item
    /// for a list (`style: form` with `explode: true`, OpenAPI's default).
    fn query_pairs(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, self.query_value()));
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    fn query_value(&self) -> String {
        let mut joined = String::new();
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                joined.push(',');
            }
            joined.push_str(&item.query_value());
        }
        joined
    }

    fn query_pairs(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.extend(self.iter().map(|item| (name, item.query_value())));
    }
}

impl QueryValue for String {
    fn query_value(&self) -> String {
        self.clone()
    }
}

impl QueryValue for super::secret::Secret {
    fn query_value(&self) -> String {
        self.expose().to_owned()
    }
}

impl QueryValue for i64 {
    fn query_value(&self) -> String {
        itoa::Buffer::new().format(*self).to_owned()
    }
}

impl QueryValue for i32 {
    fn query_value(&self) -> String {
        itoa::Buffer::new().format(*self).to_owned()
    }
}

impl QueryValue for bool {
    fn query_value(&self) -> String {
        if *self { "true" } else { "false" }.to_owned()
    }
}

/// The body of a call that sends none.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct NoBody;

impl RequestBody for NoBody {
    const ENCODING: super::body::BodyEncoding = super::body::BodyEncoding::Json;
    const SENDS_BODY: bool = false;

    fn encode_body_into(&self, _: &mut Vec<u8>) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl Validate for NoBody {
    fn validate_into(&self, _: &Path<'_>, _: &mut ValidationReport) {}
}

/// `value` percent-encoded as one path segment: everything but unreserved
/// characters (RFC 3986) is escaped, so a value cannot change the path.
pub fn path_segment(value: &str) -> Cow<'_, str> {
    const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, UNRESERVED).into()
}

/// The methods every generated `Client` shares (configuration and the base
/// URL), written once; a generated client invokes it in its `impl` and adds
/// its constructor and one method per operation. The client holds its
/// transport in a field named `http`.
#[doc(hidden)]
#[macro_export]
macro_rules! __client_methods {
    () => {
        /// Uses `timeouts` for every call (default: 10 s to connect, 30 s per attempt).
        pub fn with_timeouts(mut self, timeouts: $crate::Timeouts) -> Self {
            self.http = self.http.with_timeouts(timeouts);
            self
        }

        /// The credential headers to send a [`PreparedRequest`]($crate::PreparedRequest)
        /// of this client's with (marked sensitive: never log them): the client's own,
        /// or the one its operation sends instead; an OAuth 2 bearer token, fetched once
        /// for the client and its clones. Only `Error::Setup` and `Error::Token` can
        /// come of it, so its error body type is `Infallible`.
        pub async fn credentials_for(
            &self,
            prepared: &$crate::PreparedRequest,
        ) -> ::core::result::Result<
            $crate::reqwest::header::HeaderMap,
            $crate::Error<::core::convert::Infallible>,
        > {
            self.http.credentials_for(prepared).await
        }

        /// Uses `retry` for every call (default: [`RetryPolicy::default`](paygen::RetryPolicy::default)).
        pub fn with_retry(mut self, retry: $crate::RetryPolicy) -> Self {
            self.http = self.http.with_retry(retry);
            self
        }

        /// Builds the HTTP client with `customize` applied to reqwest's builder
        /// (proxies, TLS roots, default headers). paygen's own settings are
        /// applied after it, in whatever order the `with_*` calls come: the
        /// timeouts, and no redirects.
        pub fn with_http_client<F>(mut self, customize: F) -> Self
        where
            F: ::core::ops::Fn($crate::reqwest::ClientBuilder) -> $crate::reqwest::ClientBuilder
                + ::core::marker::Send
                + ::core::marker::Sync
                + 'static,
        {
            self.http = self.http.with_http_client(customize);
            self
        }

        /// Reads at most `limit` bytes of a response's body (default
        /// [`DEFAULT_MAX_RESPONSE_BYTES`](paygen::DEFAULT_MAX_RESPONSE_BYTES), 4 MiB);
        /// a longer one ends the call with
        /// [`Error::ResponseTooLarge`](paygen::Error::ResponseTooLarge).
        pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
            self.http = self.http.with_max_response_bytes(limit);
            self
        }

        /// Uses `options` for the calls of this client value: a timeout per
        /// attempt, headers of the caller's (a request id, a partner's
        /// merchant account) and a hook that sees each response's status,
        /// headers and attempts. Clones are cheap: give one call, or one
        /// merchant's calls, a clone with options of its own.
        pub fn with_call_options(mut self, options: $crate::CallOptions) -> Self {
            self.http = self.http.with_call_options(options);
            self
        }

        /// The base URL calls go to.
        pub fn base_url(&self) -> &str {
            self.http.base_url()
        }
    };
}
