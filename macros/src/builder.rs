//! Builders for types whose required fields are easy to pass in the wrong
//! order: more than [`MAX_POSITIONAL`] of them, or two of one type (`email`
//! and `contact`, both text), which `new(..)` would take positionally and a
//! swap would compile. Such a type gets `builder()` instead of `new`, one
//! setter per required field named like it, and `build()`, which reports every
//! unset field as a `required` violation by its wire name.
//!
//! Written here rather than with a builder crate (`bon`, `typed-builder`):
//! those check required fields at compile time with a type parameter per
//! field, which multiplies what every consumer compiles per request type; a
//! runtime check costs one `Option` per field and reports like `validate()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::{Ident, Type};

/// The most required fields `new` takes positionally.
pub const MAX_POSITIONAL: usize = 3;

/// One required field, as the builder sets it.
pub struct Required<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    /// The name violations use: the field's name on the wire.
    pub wire: String,
    /// Whether the setter takes `impl Into<ty>` (text) rather than `ty`.
    pub into: bool,
}

/// Whether `required` (in declaration order) is built with named setters
/// rather than taken by `new`.
pub fn needs_builder(required: &[Required<'_>]) -> bool {
    required.len() > MAX_POSITIONAL
        || required
            .iter()
            .enumerate()
            .any(|(at, a)| required[at + 1..].iter().any(|b| same_type(a.ty, b.ty)))
}

fn same_type(a: &Type, b: &Type) -> bool {
    a.to_token_stream().to_string() == b.to_token_stream().to_string()
}

/// `impl #name { fn builder() }` and the builder itself. `init` is the
/// struct expression's remaining fields (fixed values, flags, unset options),
/// written after the required ones, which are bound by their own names.
pub fn emit(name: &Ident, required: &[Required<'_>], init: &TokenStream) -> TokenStream {
    let builder = format_ident!("{name}Builder");
    let idents: Vec<&Ident> = required.iter().map(|r| r.ident).collect();
    let types: Vec<&Type> = required.iter().map(|r| r.ty).collect();
    let wires: Vec<&String> = required.iter().map(|r| &r.wire).collect();
    let setters = required.iter().map(|r| {
        let (ident, ty) = (r.ident, r.ty);
        let doc = format!(" Sets `{}`.", r.wire);
        if r.into {
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #ident(mut self, #ident: impl ::core::convert::Into<#ty>) -> Self {
                    self.#ident = ::core::option::Option::Some(#ident.into());
                    self
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #ident(mut self, #ident: #ty) -> Self {
                    self.#ident = ::core::option::Option::Some(#ident);
                    self
                }
            }
        }
    });
    let names = required
        .iter()
        .map(|r| format!("`{}`", paygen_model::unraw(&r.ident.to_string())))
        .collect::<Vec<_>>()
        .join(", ");
    let type_doc = format!(
        " Builds a [`{name}`]: set {names} by name, then [`build`]({builder}::build). \
         A setter called twice keeps the last value."
    );
    let builder_doc = format!(
        " A [`{name}`] set field by field: {names} are required, and named here \
         rather than passed in order to a constructor."
    );
    let build_doc = format!(
        " The [`{name}`], or a report naming every required field left unset \
         (code `required`, by its wire name). Optional fields start unset."
    );
    quote! {
        #[automatically_derived]
        impl #name {
            #[doc = #type_doc]
            #[inline]
            pub fn builder() -> #builder {
                ::core::default::Default::default()
            }
        }

        #[doc = #builder_doc]
        #[derive(Debug, Clone, Default)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct #builder {
            #(#idents: ::core::option::Option<#types>,)*
        }

        #[automatically_derived]
        impl #builder {
            #(#setters)*

            #[doc = #build_doc]
            #[inline]
            pub fn build(self) -> ::core::result::Result<#name, ::paygen::ValidationReport> {
                let mut __report = ::paygen::ValidationReport::default();
                #(
                    if self.#idents.is_none() {
                        ::paygen::__private::missing(
                            &::paygen::Path::ROOT.field(#wires),
                            &mut __report,
                        );
                    }
                )*
                match (#(self.#idents,)*) {
                    (#(::core::option::Option::Some(#idents),)*) => {
                        ::core::result::Result::Ok(#name { #(#idents,)* #init })
                    }
                    _ => ::core::result::Result::Err(__report),
                }
            }
        }
    }
}
