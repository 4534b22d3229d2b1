//! paygen's runtime: the hand-written code every generated client and
//! `#[derive(Wire)]` expansion stands on (configuration, calls and retries,
//! encoding and decoding, validation, secrets, money, signatures). Consumers
//! depend on `paygen`, which re-exports what they name from here; nothing in
//! this crate is machine-written or knows a gateway.

#![warn(missing_docs)]

pub use reqwest;
pub use rust_decimal::Decimal;
pub use secrecy::SecretString;
/// A JSON value, for objects a spec leaves free-form.
pub use serde_json::Value as JsonValue;

pub use body::{BodyEncoding, EncodeError, RequestBody};
pub use call::{CallOptions, CallRecord, ResponseMeta};
pub use config::{ConfigError, Environment, SetupError, Timeouts};
pub use decode::{DecodeError, ErrorBody, NoContent, SuccessBody};
pub use encryption::{Encrypted, EncryptionKey, KeyError};
pub use enums::UnknownValue;
pub use error::{Error, GatewayError, Outcome, REQUEST_ID_HEADER};
pub use form::FormError;
pub use money::{minor_unit_exponent, to_major_units, to_minor_units, MoneyError};
pub use multipart::{FilePart, MultipartError};
pub use oauth::TokenError;
pub use pages::Pages;
pub use prepared::{PreparedHeader, PreparedRequest};
pub use retry::RetryPolicy;
pub use secret::{CardNumber, Secret};
pub use signature::SignatureError;
pub use transport::decode_response;
pub use transport::{DEFAULT_MAX_RESPONSE_BYTES, USER_AGENT};
pub use validate::{Code, Param, Path, Validate, ValidationReport, Violation};
pub use webhooks::WebhookError;

/// What `paygen`'s generated code names through `paygen::__private`.
#[doc(hidden)]
pub mod __private {
    pub use crate::transport::{HttpClient, KeyCheck};
}

#[cfg(feature = "blocking")]
pub mod blocking;
pub mod body;
pub mod call;
pub mod config;
pub mod credentials;
pub mod decimal;
pub mod decode;
pub mod encryption;
pub mod enums;
pub mod error;
mod file_stream;
pub mod form;
pub mod money;
pub mod multipart;
pub mod oauth;
pub mod object_only;
pub mod operation;
pub mod pages;
pub mod pattern;
pub mod prepared;
pub mod retry;
pub mod rules;
pub mod scalar;
pub mod secret;
pub mod signature;
pub mod transport;
pub mod validate;
pub mod webhooks;
