//! paygen: typed, validated request types and clients for Indian payment
//! gateways, generated from curated OpenAPI descriptions.
//!
//! [`Wire`] is the derive that gives a struct its wire encoding and
//! validation rules:
//!
//! ```
//! use std::collections::BTreeMap;
//! use paygen::{RequestBody, Validate, Wire};
//!
//! #[derive(serde::Serialize, Wire)]
//! #[paygen(body = "json")]
//! struct CreateOrder {
//!     #[paygen(range(min = 100))]
//!     amount: i64,
//!     #[paygen(required, length(equal = 3))]
//!     currency: String,
//!     #[paygen(length(max = 40))]
//!     receipt: Option<String>,
//!     #[paygen(count(max = 15), each(length(max = 256)))]
//!     notes: BTreeMap<String, String>,
//! }
//!
//! let order = CreateOrder {
//!     amount: 50,
//!     currency: "INR".into(),
//!     receipt: Some("receipt#1".into()),
//!     notes: BTreeMap::new(),
//! };
//! let report = order.validate().unwrap_err();
//! assert_eq!(report.to_string(), "amount: must be at least 100 (got 50) [range]");
//! assert_eq!(order.content_type(), "application/json");
//! assert_eq!(
//!     order.encode_body().unwrap(),
//!     br#"{"amount":50,"currency":"INR","receipt":"receipt#1","notes":{}}"#,
//! );
//! ```

// docs.rs builds with every gateway and marks each module with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// The derive's expansion names `::paygen`, also inside this crate.
extern crate self as paygen;

pub use reqwest;
pub use rust_decimal::Decimal;
pub use secrecy::SecretString;
/// A JSON value, for objects a spec leaves free-form.
pub use serde_json::Value as JsonValue;

// Hand-written: what generated code and the derives stand on, the crate
// `paygen-runtime` (`runtime/` in the repository). Consumers name it through
// the re-exports below; generated code through `__private`.
use paygen_runtime as runtime;

// Hand-written: each gateway's signatures and webhook events, beside its types.
pub mod webhooks;

// Machine-written: formatted by prettyplease, so rustfmt leaves it alone.
#[rustfmt::skip]
mod gateways;
// Empty when no gateway feature is on (a crate with only its own gateway).
#[allow(unused_imports)]
pub use gateways::*;

pub use paygen_macros::{model, params, Wire, WireEnum};
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub use runtime::blocking;
pub use runtime::body::{BodyEncoding, EncodeError, RequestBody};
pub use runtime::call::{CallOptions, CallRecord, ResponseMeta};
pub use runtime::config::{ConfigError, Environment, SetupError, Timeouts};
pub use runtime::decode::{DecodeError, ErrorBody, NoContent, SuccessBody};
pub use runtime::encryption::{Encrypted, EncryptionKey, KeyError};
pub use runtime::enums::UnknownValue;
pub use runtime::error::{Error, GatewayError, Outcome, REQUEST_ID_HEADER};
pub use runtime::form::FormError;
pub use runtime::money::{minor_unit_exponent, to_major_units, to_minor_units, MoneyError};
pub use runtime::multipart::{FilePart, MultipartError};
pub use runtime::oauth::TokenError;
pub use runtime::pages::Pages;
pub use runtime::prepared::{PreparedHeader, PreparedRequest};
pub use runtime::retry::RetryPolicy;
pub use runtime::secret::{CardNumber, Secret};
pub use runtime::signature::SignatureError;
pub use runtime::transport::decode_response;
pub use runtime::transport::{DEFAULT_MAX_RESPONSE_BYTES, USER_AGENT};
pub use runtime::validate::{Code, Param, Path, Validate, ValidationReport, Violation};
pub use runtime::WebhookError;

/// The outcome of a client call: the typed success body, or an [`Error`]
/// carrying the gateway's documented error body `E`.
pub type Result<T, E> = core::result::Result<T, Error<E>>;

/// What generated code and the derives' expansions name. Not public API: it
/// may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::runtime::body::{encode_form_body, encode_json, encode_multipart_body};
    pub use crate::runtime::config::{optional_env, required_env};
    pub use crate::runtime::credentials::Auth;
    pub use crate::runtime::credentials::TokenUrl;
    pub use crate::runtime::decimal;
    pub use crate::runtime::decode::{decode_json, undocumented_status};
    pub use crate::runtime::enums::{discriminated, WireStr};
    pub use crate::runtime::form::encode_form;
    pub use crate::runtime::object_only::{
        next_field, required_field, required_with, skip_value, FieldKey, ObjectOnly,
    };
    pub use crate::runtime::operation::{NoBody, OperationCredential, Parameters, QueryValue};
    pub use crate::runtime::pattern::Pattern;
    pub use crate::runtime::rules::*;
    pub use crate::runtime::scalar::scalar_matches;
    pub use crate::runtime::webhooks::{
        decode_webhook, deserialize_webhook_payload, webhook_payload,
    };
    pub use paygen_runtime::__client_methods as client_methods;
    pub use paygen_runtime::__private::{HttpClient, KeyCheck};
    pub use serde;
    pub use serde_json;

    /// The names generated type declarations use unqualified
    /// (`paygen_model::names::PAYGEN_PRELUDE`, which a test holds to this).
    pub mod prelude {
        pub use crate::{CardNumber, Decimal, Encrypted, FilePart, JsonValue, Secret};
        pub use std::collections::BTreeMap;
    }
}

/// The examples of README and of every page in `docs/`, compiled as doctests
/// so they cannot rot. (README's recipes, marked `ignore` here, are built as
/// crates of their own by `.ci/run`: `cargo run -p paygen-tests --bin recipes`.)
#[cfg(doctest)]
mod doc_pages {
    macro_rules! pages {
        ($($name:ident = $path:literal;)*) => {
            $(
                #[doc = include_str!($path)]
                pub struct $name;
            )*
        };
    }
    pages! {
        Readme = "../../README.md";
        Client = "../../docs/client.md";
        Coverage = "../../docs/coverage.md";
        Contributing = "../../docs/contributing.md";
        MaintainingSpecs = "../../docs/maintaining-specs.md";
        OwnGateway = "../../docs/own-gateway.md";
        Performance = "../../docs/performance.md";
        Security = "../../docs/security.md";
        Testing = "../../docs/testing.md";
        Versions = "../../docs/versions.md";
        Webhooks = "../../docs/webhooks.md";
        WireDerive = "../../docs/wire-derive.md";
    }
}

#[cfg(test)]
mod prelude_tests {
    /// The prelude generated modules import is the list the generator
    /// checks shadowing against: a name added to one is added to both.
    #[test]
    fn the_prelude_is_paygen_models_list() {
        let source = include_str!("lib.rs");
        let start = source.find("pub mod prelude {").expect("the prelude");
        let block = &source[start..start + source[start..].find("\n    }").unwrap()];
        let mut names: Vec<&str> = block
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            .collect();
        names.sort_unstable();
        let mut listed = paygen_model::names::PAYGEN_PRELUDE.to_vec();
        listed.sort_unstable();
        assert_eq!(names, listed);
    }
}
