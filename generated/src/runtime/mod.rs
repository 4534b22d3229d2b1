//! Hand-written runtime support that `#[derive(Wire)]` and the generated
//! clients expand to. Everything machine-written lives outside this folder.

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
