//! `#[derive(WireEnum)]`: a string enum with its wire values, an optional
//! catch-all variant for values a gateway adds later, and the serde, `Display`,
//! `FromStr` and `Validate` impls that follow from them. Small enough that
//! parsing, checking and emitting share this one module.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, Ident, LitStr};

use crate::errors::Errors;

struct Value {
    ident: Ident,
    wire: String,
}

struct Model {
    ident: Ident,
    values: Vec<Value>,
    /// The `#[paygen(other)]` variant, holding the unknown value as a `String`.
    other: Option<Ident>,
}

/// The container's `#[paygen(rename_all = "...")]`.
fn rename_all(attrs: &[syn::Attribute], errors: &mut Errors) -> Option<paygen_model::RenameRule> {
    let mut rule = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("paygen")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let lit: LitStr = meta.value()?.parse()?;
                rule = paygen_model::RenameRule::from_name(&lit.value());
                if rule.is_none() {
                    let known: Vec<&str> = paygen_model::RenameRule::ALL
                        .iter()
                        .map(|r| r.as_str())
                        .collect();
                    errors.at(
                        &lit,
                        format!(
                            "unknown `rename_all` rule, expected one of {}",
                            known.join(", ")
                        ),
                    );
                }
            } else {
                errors.at(
                    &meta.path,
                    "unknown paygen attribute on a `WireEnum`, expected `rename_all`",
                );
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    rule
}

/// A variant's `#[paygen(rename = "...")]` and whether it is `other`.
fn variant_attrs(variant: &syn::Variant, errors: &mut Errors) -> (Option<LitStr>, bool) {
    let mut rename: Option<LitStr> = None;
    let mut is_other = false;
    for attr in variant.attrs.iter().filter(|a| a.path().is_ident("paygen")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                if rename.is_some() {
                    errors.at(&meta.path, "duplicate `rename`");
                }
                rename = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("other") {
                is_other = true;
            } else {
                errors.at(
                    &meta.path,
                    "unknown paygen attribute on a variant, expected `rename` or `other`",
                );
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    (rename, is_other)
}

fn check(input: &DeriveInput, errors: &mut Errors) -> Option<Model> {
    let Data::Enum(data) = &input.data else {
        errors.at(&input.ident, "`WireEnum` can be derived only for an enum");
        return None;
    };
    if !input.generics.params.is_empty() {
        errors.at(&input.generics, "`WireEnum` does not support generics");
    }
    let rule = rename_all(&input.attrs, errors);
    let mut values: Vec<Value> = Vec::new();
    let mut other = None;
    for variant in &data.variants {
        let (rename, is_other) = variant_attrs(variant, errors);
        if is_other {
            let holds_string =
                matches!(&variant.fields, Fields::Unnamed(f) if f.unnamed.len() == 1);
            if !holds_string {
                errors.at(
                    &variant.ident,
                    "the `other` variant holds the unknown value: write it as `Unknown(String)`",
                );
            } else if other.is_some() {
                errors.at(&variant.ident, "only one variant can be `other`");
            } else {
                other = Some(variant.ident.clone());
            }
            continue;
        }
        if !matches!(variant.fields, Fields::Unit) {
            errors.at(
                &variant.ident,
                "a `WireEnum` variant is a plain value; only the `other` variant holds data",
            );
            continue;
        }
        let wire = rename.map_or_else(
            || {
                let ident = variant.ident.to_string();
                rule.map_or_else(|| ident.clone(), |r| r.apply_to_variant(&ident))
            },
            |r| r.value(),
        );
        if let Some(first) = values.iter().find(|v| v.wire == wire) {
            errors.at(
                &variant.ident,
                format!("wire value `{wire}` is already used by `{}`", first.ident),
            );
        }
        values.push(Value {
            ident: variant.ident.clone(),
            wire,
        });
    }
    Some(Model {
        ident: input.ident.clone(),
        values,
        other,
    })
}

/// `Serialize` and `Deserialize` as the wire text, through `as_str` and
/// `FromStr` (known values decode from borrowed text without allocating).
fn serde_impls(ident: &Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::paygen::__private::serde::Serialize for #ident {
            fn serialize<__S: ::paygen::__private::serde::Serializer>(
                &self,
                __serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                __serializer.serialize_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl<'de> ::paygen::__private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D: ::paygen::__private::serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                let __value = <::paygen::__private::WireStr<'de> as ::paygen::__private::serde::Deserialize>::deserialize(__deserializer)?;
                let __value: &str = &__value.0;
                <Self as ::core::str::FromStr>::from_str(__value).map_err(|_| {
                    ::paygen::__private::serde::de::Error::unknown_variant(__value, Self::VALUES)
                })
            }
        }
    }
}

fn emit(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let idents: Vec<&Ident> = model.values.iter().map(|v| &v.ident).collect();
    let wires: Vec<&str> = model.values.iter().map(|v| v.wire.as_str()).collect();
    let name = ident.to_string();
    let (as_str_other, parse_unknown, validate) = match &model.other {
        Some(other) => (
            quote!(Self::#other(__value) => __value,),
            quote!(::core::result::Result::Ok(Self::#other(::std::string::String::from(__value)))),
            quote! {
                if let Self::#other(__value) = self {
                    ::paygen::__private::one_of(__value.as_str(), Self::VALUES, __path, __report);
                }
            },
        ),
        None => (
            TokenStream::new(),
            quote!(::core::result::Result::Err(::paygen::UnknownValue::new(#name, __value, Self::VALUES))),
            TokenStream::new(),
        ),
    };
    let serde = serde_impls(ident);
    let from_str_error = if model.other.is_some() {
        quote!(::core::convert::Infallible)
    } else {
        quote!(::paygen::UnknownValue)
    };
    quote! {
        #[automatically_derived]
        impl #ident {
            /// Every value this version of the spec documents, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    #as_str_other
                }
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl ::core::str::FromStr for #ident {
            type Err = #from_str_error;

            #[inline]
            fn from_str(__value: &str) -> ::core::result::Result<Self, <Self as ::core::str::FromStr>::Err> {
                match __value {
                    #(#wires => ::core::result::Result::Ok(Self::#idents),)*
                    _ => #parse_unknown,
                }
            }
        }

        #serde

        #[automatically_derived]
        impl ::paygen::Validate for #ident {
            #[allow(unused_variables)]
            #[inline]
            fn validate_into(&self, __path: &::paygen::Path<'_>, __report: &mut ::paygen::ValidationReport) {
                #validate
            }
        }
    }
}

/// Expands `#[derive(WireEnum)]`.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    match check(input, &mut errors) {
        Some(model) if errors.is_empty() => emit(&model),
        _ => errors.to_compile_errors(),
    }
}
