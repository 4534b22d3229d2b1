//! `#[derive(Wire)]`: gives a struct its wire encoding and its validation rules.
//!
//! The work is split by phase: `attr` parses the attributes into a raw model,
//! `check` validates them against each other and the field types, `emit`
//! writes the impls. Every problem is collected with its span, and a fallback
//! impl is emitted next to the errors. The traits the expansion implements live
//! in the `paygen` crate; see its documentation for the attribute grammar.

mod attr;
mod builder;
mod check;
mod emit;
mod errors;
mod model;
mod params;
mod wire_enum;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput, Item, ItemStruct};

/// Implements `paygen::Validate` for a struct with named fields, and
/// `paygen::RequestBody` when `#[paygen(body = "json" | "form")]` is given.
///
/// Every attribute is in the `paygen` repository's `docs/wire-derive.md`.
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

/// Completes a type from its declaration: the derives (`Debug`, `Clone`,
/// `PartialEq`, serde's `Serialize`, a `Deserialize` that reads a struct from
/// an object only, and `Wire` or `WireEnum`), `None` left out on the
/// wire, exact decimals, `nested` validation of every field whose type has
/// rules of its own, a `new` constructor from the required fields (a field
/// marked `#[paygen(fixed)]` takes the only value its type has; a required
/// `bool` starts `false`), or, for more than three required fields or two
/// of one type, `builder()` with a setter per required field and a
/// `build()` that reports every unset one, `with_<field>` setters for optional fields and
/// required `bool`s, and docs for undocumented variants. Generated types are declared with it; see the
/// `paygen` repository's `docs/client.md`.
#[proc_macro_attribute]
pub fn model(args: TokenStream, input: TokenStream) -> TokenStream {
    let item = parse_macro_input!(input as Item);
    model::expand(args.into(), item).into()
}

/// Completes an operation's path and header parameters: each field is
/// `#[param(header = "x-request-id")]` (with `default = "..."` for a header
/// sent when unset, and `idempotency_key` for the key that makes a call safe
/// to retry) or `#[param(path = "id")]`. Writes the derives, the wire names
/// violations are reported under, `new` from the required parameters, and
/// the `Parameters` impl the transport reads them through.
#[proc_macro_attribute]
pub fn params(args: TokenStream, input: TokenStream) -> TokenStream {
    let item = parse_macro_input!(input as ItemStruct);
    params::expand(args.into(), item).into()
}
