//! `#[paygen::model]` on an enum: its wire names (serde's rename rules),
//! the docs of variants the spec does not describe, and a union told apart
//! by a discriminator property.

use paygen_model::RenameRule;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Fields};

use super::{has_doc, has_paygen_key};

/// Takes `#[paygen(discriminator = "type")]` off a union: the property
/// whose value names the choice.
fn take_discriminator(attrs: &mut Vec<Attribute>) -> Option<syn::LitStr> {
    let mut property = None;
    attrs.retain(|a| {
        if !a.path().is_ident("paygen") {
            return true;
        }
        match a.parse_args::<syn::MetaNameValue>() {
            Ok(pair) if pair.path.is_ident("discriminator") => match pair.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                }) => {
                    property = Some(lit);
                    false
                }
                _ => true,
            },
            _ => true,
        }
    });
    property
}

/// Takes `#[paygen(tags("a", "b"))]` off a union's variant: the values of
/// the discriminator that name it.
fn take_tags(attrs: &mut Vec<Attribute>) -> Vec<syn::LitStr> {
    let mut tags = Vec::new();
    attrs.retain(|a| {
        if !a.path().is_ident("paygen") {
            return true;
        }
        match a.parse_args::<syn::MetaList>() {
            Ok(list) if list.path.is_ident("tags") => {
                let parsed = list.parse_args_with(
                    syn::punctuated::Punctuated::<syn::LitStr, syn::Token![,]>::parse_terminated,
                );
                match parsed {
                    Ok(values) => {
                        tags.extend(values);
                        false
                    }
                    Err(_) => true,
                }
            }
            _ => true,
        }
    });
    tags
}

/// A union told apart by `property`: serialized as the chosen value is
/// (untagged), decoded by reading `property` and decoding the whole object
/// as the variant its value names (`#[paygen(tags(..))]` on each).
fn discriminated(mut item: syn::ItemEnum, property: &syn::LitStr) -> TokenStream {
    let name = item.ident.clone();
    let mut arms = Vec::new();
    for variant in item.variants.iter_mut() {
        let tags = take_tags(&mut variant.attrs);
        let ident = &variant.ident;
        if tags.is_empty() {
            return syn::Error::new_spanned(
                &variant.ident,
                "each variant of a union with a `discriminator` needs `#[paygen(tags(\"value\", ..))]`",
            )
            .to_compile_error();
        }
        arms.push(quote! {
            #(#tags)|* => ::core::option::Option::Some(
                ::paygen::__private::serde_json::from_value(__value).map(Self::#ident),
            ),
        });
    }
    quote! {
        #[derive(
            Debug,
            Clone,
            PartialEq,
            ::paygen::__private::serde::Serialize,
            ::paygen::Wire,
        )]
        #[serde(crate = "::paygen::__private::serde", untagged)]
        #item

        #[automatically_derived]
        impl<'de> ::paygen::__private::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::paygen::__private::serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                ::paygen::__private::discriminated(__deserializer, #property, |__tag, __value| {
                    match __tag {
                        #(#arms)*
                        _ => ::core::option::Option::None,
                    }
                })
            }
        }
    }
}

/// The wire value of a variant: its `rename`, or the container's rule.
fn variant_wire(variant: &syn::Variant, rule: Option<RenameRule>, attr_path: &str) -> String {
    for attr in variant
        .attrs
        .iter()
        .filter(|a| a.path().is_ident(attr_path))
    {
        let mut rename = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                rename = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        if let Some(rename) = rename {
            return rename;
        }
    }
    let ident = variant.ident.to_string();
    rule.map_or_else(|| ident.clone(), |r| r.apply_to_variant(&ident))
}

/// The `rename_all` rule of an enum, in `#[paygen(...)]` or `#[serde(...)]`.
fn rename_all(attrs: &[Attribute], attr_path: &str) -> Option<RenameRule> {
    let mut rule = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident(attr_path)) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                rule = RenameRule::from_name(&lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.parse_nested_meta(|_| Ok(()));
            }
            Ok(())
        });
    }
    rule
}

pub(super) fn expand_enum(mut item: syn::ItemEnum) -> TokenStream {
    let one_of = item.variants.iter().any(|v| {
        matches!(&v.fields, Fields::Unnamed(f) if f.unnamed.len() == 1)
            && !has_paygen_key(&v.attrs, "other")
    });
    let attr_path = if one_of { "serde" } else { "paygen" };
    let rule = rename_all(&item.attrs, attr_path);
    let mut open = false;
    for variant in item.variants.iter_mut() {
        let other = has_paygen_key(&variant.attrs, "other");
        open |= other;
        if !has_doc(&variant.attrs) {
            let doc = if other {
                " A value this version of the spec does not document.".to_owned()
            } else {
                format!(
                    " {}",
                    paygen_model::doc::code(&variant_wire(variant, rule, attr_path))
                )
            };
            variant.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
        }
    }
    if one_of {
        if let Some(property) = take_discriminator(&mut item.attrs) {
            return discriminated(item, &property);
        }
        return quote! {
            #[derive(
                Debug,
                Clone,
                PartialEq,
                ::paygen::__private::serde::Serialize,
                ::paygen::__private::serde::Deserialize,
                ::paygen::Wire,
            )]
            #[serde(crate = "::paygen::__private::serde")]
            #item
        };
    }
    let copy = (!open).then(|| quote!(Copy,));
    // An enum of one value is what a field that takes only that value holds:
    // it is the value a constructor fills in.
    let default = (!open && item.variants.len() == 1).then(|| {
        let name = &item.ident;
        let only = &item.variants[0].ident;
        quote! {
            #[automatically_derived]
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self::#only
                }
            }
        }
    });
    quote! {
        #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, ::paygen::WireEnum)]
        #item
        #default
    }
}
