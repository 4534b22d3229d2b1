//! Building a call without sending it: validated, its path filled, its
//! body encoded, its headers but the credentials; what a call sends, and what
//! `prepare_<operation>` gives an outbox (with the credentials it asks for
//! apart).

use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};

use super::HttpClient;

use crate::body::{BodyEncoding, EncodeError, RequestBody};
use crate::config::SetupError;
use crate::credentials::wiped_on_drop;
use crate::encryption::encrypting;
use crate::error::Error;
use crate::file_stream::Spliced;
use crate::multipart::encode_multipart_spliced;
use crate::operation::{Operation, OperationCredential, Parameters};
use crate::prepared::PreparedRequest;
use crate::validate::{Validate, ValidationReport};

/// A call built, but for its credentials.
pub(super) struct Built {
    pub(super) url: String,
    /// The path without its query, secret segments as `{name}`.
    pub(super) logged_path: String,
    pub(super) headers: HeaderMap,
    /// `None` for a call without a body.
    pub(super) body: Option<Bytes>,
    /// The files a multipart body streams from disk into `body` as it is
    /// sent (see `file_stream`); empty for every other body.
    pub(super) files: Arc<[Spliced]>,
    pub(super) idempotent: bool,
}

/// What building a call needs of its body, its type erased: one copy of the
/// building code serves every operation, where a generic one was compiled
/// again for each (see `docs/performance.md`).
struct ErasedBody<'a> {
    /// The `Content-Type`, for a call that sends a body.
    content_type: Option<&'static str>,
    multipart: bool,
    idempotent: bool,
    encode: &'a dyn Fn() -> Result<Vec<u8>, EncodeError>,
    rules: &'a dyn Validate,
}

/// Why a call could not be built; every kind is one of [`Error`]'s.
enum BuildError {
    Validation(ValidationReport),
    Setup(SetupError),
    Encode(EncodeError),
    InvalidHeader(&'static str),
}

impl<E> From<BuildError> for Error<E> {
    fn from(error: BuildError) -> Self {
        match error {
            BuildError::Validation(report) => Error::Validation(report),
            BuildError::Setup(problem) => Error::Setup(problem),
            BuildError::Encode(error) => Error::Encode(error),
            BuildError::InvalidHeader(name) => Error::InvalidHeader { name },
        }
    }
}

impl HttpClient {
    /// Everything a call sends but its credentials: validated, its path
    /// filled, its body encoded (and encrypted where the spec says), its
    /// headers; what [`send`](Self::send) sends and
    /// [`prepare`](Self::prepare) gives.
    pub(super) fn build<B, P, E>(
        &self,
        operation: &Operation,
        body: &B,
        params: &P,
        stream_files: bool,
    ) -> Result<Built, Error<E>>
    where
        B: RequestBody + Validate,
        P: Parameters,
    {
        let body = ErasedBody {
            content_type: B::SENDS_BODY.then(|| B::ENCODING.content_type()),
            multipart: B::ENCODING == BodyEncoding::Multipart,
            idempotent: body.idempotent(),
            encode: &|| body.encode_body(),
            rules: body,
        };
        Ok(self.build_erased(operation, &body, params, stream_files)?)
    }

    fn build_erased(
        &self,
        operation: &Operation,
        body: &ErasedBody<'_>,
        params: &dyn Parameters,
        stream_files: bool,
    ) -> Result<Built, BuildError> {
        let from_settings = self
            .validate(body.rules, params)
            .map_err(BuildError::Validation)?;
        if let Some(problem) = &self.base_url_problem {
            return Err(BuildError::Setup(problem.clone()));
        }
        // Only after validation: path parameters are known to be plain segments.
        let path = operation.path(params);
        // Spans and errors show the path without the query and without
        // secret segments: neither is ever logged.
        let logged_path = operation.logged_path(params);
        // Encoded once; every attempt shares the bytes, which are zeroized when
        // the last attempt lets go of them.
        // A multipart body sent now reads the files it gives by path as it
        // goes out; one prepared for later holds them.
        let (encoded, files) = encrypting(self.encryption_key.as_ref(), || {
            if stream_files && body.multipart {
                encode_multipart_spliced(body.encode)
            } else {
                (body.encode)().map(|bytes| (bytes, Vec::new()))
            }
        })
        .map_err(BuildError::Encode)?;
        let bytes = body.content_type.is_some().then(|| wiped_on_drop(encoded));
        let mut headers = self
            .headers(body.content_type, params, &from_settings)
            .map_err(BuildError::InvalidHeader)?;
        self.call
            .apply_headers(&mut headers)
            .map_err(BuildError::InvalidHeader)?;
        // A GET changes nothing, and a call with an idempotency key is answered
        // with its first result: sending either again cannot charge twice.
        let idempotent =
            params.idempotent() || body.idempotent || operation.method == reqwest::Method::GET;
        Ok(Built {
            url: format!("{}{path}", self.base_url),
            logged_path,
            headers,
            body: bytes,
            files: files.into(),
            idempotent,
        })
    }

    /// The headers of a call but its credentials: the body's content type,
    /// the settings it leaves to the client, and its own; or the name of one
    /// whose value HTTP does not allow.
    fn headers(
        &self,
        content_type: Option<&'static str>,
        params: &dyn Parameters,
        from_settings: &[&'static str],
    ) -> Result<HeaderMap, &'static str> {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        for (name, value) in self.setting_headers.iter() {
            if from_settings.contains(name) {
                headers.insert(HeaderName::from_static(name), value.clone());
            }
        }
        let mut call_headers = Vec::with_capacity(4);
        params.headers(&mut call_headers);
        for (name, value) in call_headers {
            let mut value = HeaderValue::from_str(&value).map_err(|_| name)?;
            value.set_sensitive(params.is_secret(name));
            headers.insert(HeaderName::from_static(name), value);
        }
        Ok(headers)
    }

    /// [`prepare`](Self::prepare) for the operation `name` at `path`, as the
    /// generated `prepare_<operation>` methods call it.
    pub fn prepare_call<B, P, E>(
        &self,
        method: reqwest::Method,
        (name, path): (&'static str, &'static str),
        credential: Option<OperationCredential>,
        body: &B,
        params: &P,
    ) -> Result<PreparedRequest, Error<E>>
    where
        B: RequestBody + Validate,
        P: Parameters,
    {
        let operation = Operation {
            name,
            method,
            path,
            credential,
        };
        self.prepare(&operation, body, params)
    }

    /// Builds the call `operation` would send, validated and encoded, without
    /// sending it or adding credentials: see [`PreparedRequest`].
    pub fn prepare<B, P, E>(
        &self,
        operation: &Operation,
        body: &B,
        params: &P,
    ) -> Result<PreparedRequest, Error<E>>
    where
        B: RequestBody + Validate,
        P: Parameters,
    {
        let built = self.build(operation, body, params, false)?;
        Ok(prepared(operation, built))
    }

    /// The credential headers to send `prepared` with, marked sensitive: the
    /// client's own, or the one its operation sends instead; for an OAuth 2
    /// gateway, the bearer token (fetched once for the client and its
    /// clones, as its own calls fetch it).
    pub async fn credentials_for<E>(
        &self,
        prepared: &PreparedRequest,
    ) -> Result<HeaderMap, Error<E>> {
        let (http, auth) = self.ready(prepared.credential())?;
        let mut headers = auth.clone();
        if let (Some(tokens), None) = (&self.tokens, prepared.credential()) {
            let token = tokens
                .token(http, &self.base_url, None)
                .await
                .map_err(Error::Token)?;
            headers.insert(AUTHORIZATION, token.header.clone());
        }
        Ok(headers)
    }
}

/// What [`HttpClient::prepare`] gives for `operation`, built: not generic, so
/// compiled once for every operation.
fn prepared(operation: &Operation, built: Built) -> PreparedRequest {
    PreparedRequest::new(
        operation.name,
        &operation.method,
        built.url,
        built.logged_path,
        &built.headers,
        built.body.as_deref(),
        built.idempotent,
        operation.credential.map(|c| (c.scheme, c.setter)),
    )
}
