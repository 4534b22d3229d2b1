//! Verifying what gateways send back: Razorpay's payment callback and
//! webhooks, Cashfree's webhooks, Juspay's webhooks (authenticated with HTTP
//! Basic, not signed), and what every gateway's webhooks share (from
//! `paygen-runtime`).
//!
//! Always verify the raw request body, byte for byte as received. Parsing the
//! JSON and serializing it again changes spacing, key order or number format,
//! and the signature no longer matches (or, worse, a check written that way
//! ends up verifying something other than what was sent).

pub use paygen_runtime::webhooks::*;

#[cfg(feature = "razorpay")]
pub mod razorpay;

#[cfg(feature = "cashfree")]
pub mod cashfree;

#[cfg(feature = "juspay")]
pub mod juspay;
