//! A merchant's crate with a gateway paygen does not ship: its spec lives in
//! `specs/acmepay/`, and `build.rs` generates the client on every build that
//! changes it. The module below is as typed and validated as `paygen::razorpay`.

include!(concat!(env!("OUT_DIR"), "/paygen/gateways.rs"));
