//! A model struct's `Deserialize`: from an object only, never from a list of
//! its fields by position (which serde's derive also accepts).
//!
//! For the struct shapes paygen writes (fields renamed, aliased, defaulted or
//! read `with` a module, a `rename_all` rule) it writes a `visit_map` of its
//! own: the map's keys go through the runtime's shared `FieldKey` and each
//! value through the runtime's generic `next_field`, so a struct costs one
//! short visitor to type-check, where serde's derive writes a field enum with
//! its own visitor, a `visit_seq` and a private copy of the declaration
//! (about a third of an imported gateway's expanded code). serde's derive
//! cannot leave `visit_seq` out and no crate writes a map-only visitor, hence
//! this module. Any other serde attribute (`flatten`, `deny_unknown_fields`,
//! a `default` function, ...) or a generic struct goes to serde's derive on a
//! private copy of the declaration, called through `ObjectOnly`, which asks
//! for a map where the derive asks for a struct: serde's meaning of every
//! attribute is kept.

use paygen_model::RenameRule;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Attribute, LitStr, Token};

use crate::attr::skip_value;

/// `Deserialize` for `item`, from an object only.
pub(super) fn object_only_deserialize(item: &syn::ItemStruct) -> TokenStream {
    match map_only(item) {
        Some(tokens) => tokens,
        None => through_serde(item),
    }
}

/// How one field is read.
struct Field<'a> {
    ident: &'a syn::Ident,
    ty: &'a syn::Type,
    /// The wire name, then any aliases.
    names: Vec<String>,
    /// `#[serde(default)]`: a missing field is `Default::default()`.
    default: bool,
    /// `with = "module"` (`module::deserialize`) or `deserialize_with = "f"`.
    read_with: Option<syn::ExprPath>,
}

/// The field's serde attributes as paygen's visitor reads them, or `None`
/// when one asks for more (then serde's derive reads the struct).
fn field<'a>(field: &'a syn::Field, rule: Option<RenameRule>) -> Option<Field<'a>> {
    let ident = field.ident.as_ref()?;
    let plain = paygen_model::unraw(&ident.to_string()).to_owned();
    let mut rename = None;
    let mut aliases = Vec::new();
    let mut default = false;
    let mut read_with = None;
    let mut supported = true;
    for attr in serde_attrs(&field.attrs) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string);
            match key.as_deref() {
                Some("rename") if meta.input.peek(Token![=]) => {
                    rename = Some(meta.value()?.parse::<LitStr>()?.value());
                }
                Some("alias") => aliases.push(meta.value()?.parse::<LitStr>()?.value()),
                Some("default") if !meta.input.peek(Token![=]) => default = true,
                Some("with") => {
                    let module: syn::Path = meta.value()?.parse::<LitStr>()?.parse()?;
                    read_with = Some(syn::parse_quote!(#module::deserialize));
                }
                Some("deserialize_with") => {
                    read_with = Some(meta.value()?.parse::<LitStr>()?.parse()?);
                }
                // What only serializing reads.
                Some("skip_serializing_if" | "serialize_with" | "skip_serializing") => {
                    skip_value(&meta)?;
                }
                _ => {
                    supported = false;
                    skip_value(&meta)?;
                }
            }
            Ok(())
        });
        if parsed.is_err() {
            // serde's derive reports the malformed attribute.
            return None;
        }
    }
    if !supported {
        return None;
    }
    let wire = rename.unwrap_or_else(|| rule.map_or(plain.clone(), |r| r.apply_to_field(&plain)));
    let mut names = vec![wire];
    names.extend(aliases);
    Some(Field {
        ident,
        ty: &field.ty,
        names,
        default,
        read_with,
    })
}

fn mentions_self(ty: &syn::Type) -> bool {
    fn any_self(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|token| match token {
            proc_macro2::TokenTree::Ident(ident) => ident == "Self",
            proc_macro2::TokenTree::Group(group) => any_self(group.stream()),
            _ => false,
        })
    }
    any_self(quote!(#ty))
}

fn serde_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("serde"))
}

/// The struct's `rename_all` rule, `Some(None)` when it has none, or `None`
/// when its serde attributes ask for more than paygen's visitor reads.
fn container_rule(attrs: &[Attribute]) -> Option<Option<RenameRule>> {
    let mut rule = None;
    let mut supported = true;
    for attr in serde_attrs(attrs) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") && meta.input.peek(Token![=]) {
                let name = meta.value()?.parse::<LitStr>()?.value();
                match RenameRule::from_name(&name) {
                    Some(named) => rule = Some(named),
                    None => supported = false,
                }
            } else if meta.path.is_ident("crate") {
                // The expansion names serde through paygen, whatever this says.
                skip_value(&meta)?;
            } else {
                supported = false;
                skip_value(&meta)?;
            }
            Ok(())
        });
        if parsed.is_err() {
            return None;
        }
    }
    supported.then_some(rule)
}

/// paygen's map-only visitor for `item`, when its attributes allow.
fn map_only(item: &syn::ItemStruct) -> Option<TokenStream> {
    if !item.generics.params.is_empty() {
        return None;
    }
    let rule = container_rule(&item.attrs)?;
    let syn::Fields::Named(named) = &item.fields else {
        return None;
    };
    let fields = named
        .named
        .iter()
        .map(|f| field(f, rule))
        .collect::<Option<Vec<_>>>()?;
    // The visitor names each field's type inside an impl of its own, where
    // `Self` is the visitor.
    if fields.iter().any(|f| mentions_self(f.ty)) {
        return None;
    }
    let name = &item.ident;
    let expecting = format!("struct {name}");
    let serde = quote!(::paygen::__private::serde);
    let slots: Vec<_> = (0..fields.len()).map(|i| format_ident!("__f{i}")).collect();
    let wrappers: Vec<_> = (0..fields.len())
        .map(|i| format_ident!("__With{i}"))
        .collect();
    let mut declarations = Vec::new();
    let mut key_arms = Vec::new();
    let mut value_arms = Vec::new();
    let mut inits = Vec::new();
    for (index, ((field, slot), wrapper)) in fields.iter().zip(&slots).zip(&wrappers).enumerate() {
        let Field {
            ident,
            ty,
            names,
            default,
            read_with,
        } = field;
        let wire = &names[0];
        let slot_ty = match read_with {
            Some(path) => {
                declarations.push(quote! {
                    struct #wrapper(#ty);
                    impl<'de> #serde::Deserialize<'de> for #wrapper {
                        #[inline]
                        fn deserialize<__D: #serde::Deserializer<'de>>(
                            __deserializer: __D,
                        ) -> ::core::result::Result<Self, __D::Error> {
                            #path(__deserializer).map(#wrapper)
                        }
                    }
                });
                quote!(#wrapper)
            }
            None => quote!(#ty),
        };
        declarations.push(quote! {
            let mut #slot: ::core::option::Option<#slot_ty> = ::core::option::Option::None;
        });
        key_arms.push(quote!(#(#names)|* => ::core::option::Option::Some(#index),));
        value_arms.push(quote! {
            ::core::option::Option::Some(#index) =>
                ::paygen::__private::next_field(&mut __map, &mut #slot, #wire)?,
        });
        let value = match (read_with.is_some(), default) {
            (true, true) => quote!(#slot.map_or_else(::core::default::Default::default, |w| w.0)),
            (true, false) => quote!(::paygen::__private::required_with(#slot.map(|w| w.0), #wire)?),
            (false, true) => quote!(#slot.unwrap_or_default()),
            (false, false) => quote!(::paygen::__private::required_field(#slot, #wire)?),
        };
        inits.push(quote!(#ident: #value,));
    }
    Some(quote! {
        #[automatically_derived]
        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<__D: #serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> #serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        __f.write_str(#expecting)
                    }
                    #[inline]
                    fn visit_map<__A: #serde::de::MapAccess<'de>>(
                        self,
                        mut __map: __A,
                    ) -> ::core::result::Result<#name, __A::Error> {
                        #[inline]
                        fn __position(__key: &str) -> ::core::option::Option<usize> {
                            match __key {
                                #(#key_arms)*
                                _ => ::core::option::Option::None,
                            }
                        }
                        #(#declarations)*
                        while let ::core::option::Option::Some(__key) =
                            #serde::de::MapAccess::next_key_seed(
                                &mut __map,
                                ::paygen::__private::FieldKey(__position),
                            )?
                        {
                            match __key {
                                #(#value_arms)*
                                _ => ::paygen::__private::skip_value(&mut __map)?,
                            }
                        }
                        ::core::result::Result::Ok(#name { #(#inits)* })
                    }
                }
                #serde::Deserializer::deserialize_map(__deserializer, __Visitor)
            }
        }
    })
}

/// serde's derive on a private copy of the declaration with `remote` (so it
/// builds the struct itself), called through `ObjectOnly`.
fn through_serde(item: &syn::ItemStruct) -> TokenStream {
    let name = &item.ident;
    let mut remote = item.clone();
    remote.ident = format_ident!("__Remote{}", name);
    remote.vis = syn::Visibility::Inherited;
    let serde_only = |attrs: &mut Vec<Attribute>| attrs.retain(|a| a.path().is_ident("serde"));
    serde_only(&mut remote.attrs);
    for field in remote.fields.iter_mut() {
        serde_only(&mut field.attrs);
        field.vis = syn::Visibility::Inherited;
    }
    let remote_name = &remote.ident;
    let path = name.to_string();
    quote! {
        const _: () = {
            #[derive(::paygen::__private::serde::Deserialize)]
            #[serde(crate = "::paygen::__private::serde", remote = #path)]
            #[allow(dead_code)]
            #remote

            #[automatically_derived]
            impl<'de> ::paygen::__private::serde::Deserialize<'de> for #name {
                fn deserialize<__D: ::paygen::__private::serde::Deserializer<'de>>(
                    __deserializer: __D,
                ) -> ::core::result::Result<Self, __D::Error> {
                    #remote_name::deserialize(::paygen::__private::ObjectOnly(__deserializer))
                }
            }
        };
    }
}
