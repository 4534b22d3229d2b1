//! `#[derive(Wire)]`: gives a struct its wire encoding and its validation rules.
//!
//! The work is split by phase: `attr` parses the attributes into a raw model,
//! `check` validates them against each other and the field types, `emit`
//! writes the impls. Every problem is collected with its span, and a fallback
//! impl is emitted next to the errors. The traits the expansion implements live
//! in the `paygen` crate; see its documentation for the attribute grammar.

mod attr;
mod check;
mod emit;
mod errors;
mod wire_enum;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Implements `paygen::Validate` for a struct with named fields, and
/// `paygen::RequestBody` when `#[paygen(body = "json" | "form")]` is given.
///
/// See the `paygen` crate's README for every attribute.
#[proc_macro_derive(Wire, attributes(paygen))]
pub fn derive_wire(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let mut errors = errors::Errors::default();
    let model = check::check(&input, &mut errors);
    match model {
        Some(model) if errors.is_empty() => emit::impls(&model),
        model => {
            let with_body = model.is_some_and(|m| m.body_requested);
            let mut out = errors.to_compile_errors();
            out.extend(emit::fallback(&input, with_body));
            out
        }
    }
    .into()
}

/// Implements, for an enum of plain values, `as_str`, `VALUES`, `Display`,
/// `FromStr`, serde's `Serialize` and `Deserialize` (as strings) and
/// `paygen::Validate`.
///
/// `#[paygen(rename = "...")]` gives a variant's wire value (default: its name).
/// One variant may be `#[paygen(other)] Unknown(String)`: it receives values a
/// gateway added after the spec was written, so responses keep decoding; in a
/// request it is reported as a violation.
#[proc_macro_derive(WireEnum, attributes(paygen))]
pub fn derive_wire_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    wire_enum::derive(&input).into()
}
