//! `#[paygen::model]`: completes a generated type from its declaration, so
//! that generated files hold only what a spec says (names, types, docs and
//! rules) and not what follows from it: the derives, skipping `None` and
//! exact decimals on the wire, validating nested types, the constructor from
//! the required fields, `with_<field>` setters for the optional ones, and docs
//! for variants the spec does not describe.
//!
//! It works on the syntax it is given (a type spelled `Option<..>` is
//! optional, one spelled `Decimal` is a decimal), which is how the generator
//! writes types; hand-written types may use it too.

mod deserialize;
mod enums;
use deserialize::object_only_deserialize;
use enums::expand_enum;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Attribute, Fields, GenericArgument, Ident, Item, PathArguments, Type};

use crate::attr::RawRules;
use crate::builder;
use crate::errors::Errors;
use paygen_model::limits::Limits;

/// The last path segment of `ty` and its type arguments.
fn segment(ty: &Type) -> Option<(&Ident, Vec<&Type>)> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let args = match &last.arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((&last.ident, args))
}

/// `T` of `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    match segment(ty) {
        Some((ident, args)) if ident == "Option" && args.len() == 1 => Some(args[0]),
        _ => None,
    }
}

/// The innermost value type, through `Option`, `Vec`, `Box` and map values.
fn innermost(ty: &Type) -> &Type {
    match segment(ty) {
        Some((ident, args))
            if (ident == "Option" || ident == "Vec" || ident == "Box") && args.len() == 1 =>
        {
            innermost(args[0])
        }
        Some((ident, args)) if ident == "BTreeMap" && args.len() == 2 => innermost(args[1]),
        _ => ty,
    }
}

pub(crate) fn innermost_name(ty: &Type) -> Option<String> {
    segment(innermost(ty)).map(|(ident, _)| ident.to_string())
}

/// Whether a `#[paygen(...)]` attribute names `key` at its top level.
fn names_key(attr: &Attribute, key: &str) -> bool {
    let mut found = false;
    let _ = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident(key) {
            found = true;
        }
        // Skip whatever the key holds (`= value` or `(...)`).
        if meta.input.peek(syn::Token![=]) {
            let _: syn::Expr = meta.value()?.parse()?;
        } else if meta.input.peek(syn::token::Paren) {
            let _ = meta.parse_nested_meta(|inner| {
                if inner.input.peek(syn::Token![=]) {
                    let _: syn::Expr = inner.value()?.parse()?;
                }
                Ok(())
            });
        }
        Ok(())
    });
    found
}

fn has_paygen_key(attrs: &[Attribute], key: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("paygen"))
        .any(|a| names_key(a, key))
}

fn serde_mentions(attrs: &[Attribute], key: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| a.to_token_stream().to_string().contains(key))
}

fn has_doc(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

/// Takes `#[paygen(fixed)]` or `#[paygen(fixed = value)]` off a field (it is
/// the model's, not the derive's): the value the constructor gives it, the
/// type's default for a bare `fixed`.
fn take_fixed(attrs: &mut Vec<Attribute>) -> Option<syn::Expr> {
    let mut value = None;
    attrs.retain(|a| {
        if !a.path().is_ident("paygen") {
            return true;
        }
        match a.parse_args::<syn::Meta>() {
            Ok(syn::Meta::Path(path)) if path.is_ident("fixed") => {
                value = Some(syn::parse_quote!(::core::default::Default::default()));
                false
            }
            Ok(syn::Meta::NameValue(pair)) if pair.path.is_ident("fixed") => {
                value = Some(pair.value);
                false
            }
            _ => true,
        }
    });
    value
}

/// Whether the type is taken as `impl Into<T>` by the constructor.
fn takes_into(ty: &Type) -> bool {
    matches!(
        segment(ty).map(|(i, a)| (i.to_string(), a.len())),
        Some((name, 0)) if paygen_model::names::TEXT_TYPES.contains(&name.as_str())
    )
}

/// The limits `rules` state, for the docs: rustdoc shows docs, not
/// attributes.
fn limits_of(rules: &RawRules) -> Limits {
    let mut out = Limits::default();
    if let Some(length) = &rules.length {
        let (min, max) = match length.equal.as_ref().map(|v| v.value as u64) {
            Some(n) => (Some(n), Some(n)),
            None => (
                length.min.as_ref().map(|v| v.value as u64),
                length.max.as_ref().map(|v| v.value as u64),
            ),
        };
        out.length(min, max);
    } else if rules.required.is_some() {
        out.not_empty();
    }
    if let Some(range) = &rules.range {
        // As written in the attribute (`-1.5`, not `- 1.5`).
        let written = |bound: &Option<crate::attr::Bound>| {
            bound
                .as_ref()
                .map(|b| b.expr.to_token_stream().to_string().replace("- ", "-"))
        };
        out.bounds([
            written(&range.min),
            written(&range.max),
            written(&range.exclusive_min),
            written(&range.exclusive_max),
            written(&range.multiple_of),
        ]);
    }
    if let Some(pattern) = &rules.pattern {
        out.pattern(&pattern.value());
    }
    if let Some(values) = &rules.one_of {
        let values: Vec<String> = (values.value.iter())
            .map(|v| paygen_model::doc::code(v))
            .collect();
        out.one_of(&values);
    }
    if let Some(count) = &rules.count {
        out.count(
            count.min.as_ref().map(|v| v.value as u64),
            count.max.as_ref().map(|v| v.value as u64),
        );
    }
    if let Some(each) = rules.each.as_deref() {
        out.each(&limits_of(each));
    }
    out
}

/// Adds the limits the field's rules state to its docs.
fn document_limits(field: &mut syn::Field) {
    let mut scratch = Errors::default();
    let raw = crate::attr::parse_field(&field.attrs, &mut scratch);
    let Some(limits) = limits_of(&raw.rules).sentence() else {
        return;
    };
    if has_doc(&field.attrs) {
        let last_doc = field
            .attrs
            .iter()
            .rposition(|a| a.path().is_ident("doc"))
            .unwrap_or(0);
        let line = format!(" {limits}");
        field
            .attrs
            .insert(last_doc + 1, syn::parse_quote!(#[doc = #line]));
        field
            .attrs
            .insert(last_doc + 1, syn::parse_quote!(#[doc = ""]));
    } else {
        let line = format!(" {limits}");
        field.attrs.insert(0, syn::parse_quote!(#[doc = #line]));
    }
}

/// Completes a field from its declaration: a doc naming it on the wire when
/// it has none, its limits in the docs, serde's skipping of `None` and exact
/// decimals, and `nested` validation for a type with rules of its own.
fn complete_field(field: &mut syn::Field, ident: &Ident) {
    if !has_doc(&field.attrs) {
        let wire = crate::attr::serde_rename(&field.attrs)
            .unwrap_or_else(|| paygen_model::unraw(&ident.to_string()).to_owned());
        let doc = format!(" {}.", paygen_model::doc::code(&wire));
        field.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
    }
    document_limits(field);
    let optional = option_inner(&field.ty).is_some();
    let mut serde_args = Vec::new();
    if optional && !serde_mentions(&field.attrs, "skip_serializing_if") {
        serde_args.push(quote!(
            default,
            skip_serializing_if = "::core::option::Option::is_none"
        ));
    }
    if innermost_name(&field.ty).as_deref() == Some("Decimal")
        && !serde_mentions(&field.attrs, "with")
    {
        serde_args.push(quote!(with = "::paygen::__private::decimal"));
    }
    if !serde_args.is_empty() {
        field
            .attrs
            .push(syn::parse_quote!(#[serde(#(#serde_args),*)]));
    }
    let plain = innermost_name(&field.ty)
        .is_some_and(|n| paygen_model::names::WITHOUT_RULES.contains(&n.as_str()));
    if !plain && !has_paygen_key(&field.attrs, "nested") {
        field.attrs.push(syn::parse_quote!(#[paygen(nested)]));
    }
}

/// `new` from the required fields (fixed ones filled in, required `bool`s
/// `false`, optional ones unset), and `Default` when it takes nothing.
fn constructor(
    name: &Ident,
    required: &[(Ident, Type, String)],
    fixed: &[(Ident, syn::Expr)],
    flags: &[Ident],
    optional: &[Ident],
) -> TokenStream {
    let args = required.iter().map(|(ident, ty, _)| {
        if takes_into(ty) {
            quote!(#ident: impl ::core::convert::Into<#ty>)
        } else {
            quote!(#ident: #ty)
        }
    });
    let inits = required.iter().map(|(ident, ty, _)| {
        if takes_into(ty) {
            quote!(#ident: #ident.into())
        } else {
            quote!(#ident)
        }
    });
    let doc = constructor_doc(name, fixed, flags);
    let default_impl = required.is_empty().then(|| {
        quote! {
            #[automatically_derived]
            impl ::core::default::Default for #name {
                #[inline]
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let (fixed_names, fixed_values): (Vec<_>, Vec<_>) = fixed.iter().cloned().unzip();
    let named: Vec<builder::Required<'_>> = required
        .iter()
        .map(|(ident, ty, wire)| builder::Required {
            ident,
            ty,
            wire: wire.clone(),
            into: takes_into(ty),
        })
        .collect();
    if builder::needs_builder(&named) {
        let rest = quote! {
            #(#fixed_names: #fixed_values,)*
            #(#flags: false,)*
            #(#optional: ::core::option::Option::None,)*
        };
        return builder::emit(name, &named, &rest);
    }
    quote! {
        #[automatically_derived]
        impl #name {
            #[doc = #doc]
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits,)*
                    #(#fixed_names: #fixed_values,)*
                    #(#flags: false,)*
                    #(#optional: ::core::option::Option::None,)*
                }
            }
        }
        #default_impl
    }
}

/// What `new` says of the fields it does not take.
fn constructor_doc(name: &Ident, fixed: &[(Ident, syn::Expr)], flags: &[Ident]) -> String {
    let mut doc = format!(" A `{name}` from its required fields");
    if !fixed.is_empty() {
        doc.push_str(&format!(
            "; {} take{} the only value the gateway accepts",
            ticked(fixed.iter().map(|(f, _)| f), ""),
            if fixed.len() == 1 { "s" } else { "" }
        ));
    }
    if !flags.is_empty() {
        doc.push_str(&format!(
            "; {} start{} `false` (always sent; set with {})",
            ticked(flags.iter(), ""),
            if flags.len() == 1 { "s" } else { "" },
            ticked(flags.iter(), "with_")
        ));
    }
    doc.push_str(", the others start unset.");
    doc
}

/// `` `a`, `b` ``: the plain names of `idents`, each after `prefix`.
fn ticked<'a>(idents: impl Iterator<Item = &'a Ident>, prefix: &str) -> String {
    idents
        .map(|f| format!("`{prefix}{}`", paygen_model::unraw(&f.to_string())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the type is a bare `bool`: a required one is not a positional
/// argument of `new` (`new(.., false)` says nothing at the call site) but
/// starts `false` with a `with_<field>` setter.
fn is_bool(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("bool"))
}

fn expand_struct(mut item: syn::ItemStruct, errors: &mut Errors) -> TokenStream {
    let Fields::Named(fields) = &mut item.fields else {
        errors.at(
            &item.ident,
            "`paygen::model` takes a struct with named fields",
        );
        return item.to_token_stream();
    };
    let mut required = Vec::new();
    let mut fixed = Vec::new();
    let mut flags = Vec::new();
    for field in fields.named.iter_mut() {
        let ident = field.ident.clone().expect("named fields have names");
        let fixed_value = take_fixed(&mut field.attrs);
        complete_field(field, &ident);
        let optional = option_inner(&field.ty).is_some();
        if let Some(value) = fixed_value {
            fixed.push((ident, value));
        } else if is_bool(&field.ty) {
            flags.push(ident);
        } else if !optional {
            let wire = crate::attr::serde_rename(&field.attrs)
                .unwrap_or_else(|| paygen_model::unraw(&ident.to_string()).to_owned());
            required.push((ident, field.ty.clone(), wire));
        }
    }
    let all_optional = required.is_empty() && fixed.is_empty() && flags.is_empty();
    let default = all_optional.then(|| quote!(Default,));
    let name = &item.ident;
    let optional: Vec<Ident> = fields
        .named
        .iter()
        .filter(|f| option_inner(&f.ty).is_some())
        .filter_map(|f| f.ident.clone())
        .collect();
    let constructor =
        (!all_optional).then(|| constructor(name, &required, &fixed, &flags, &optional));
    let setters = setters(name, fields, &flags);
    let deserialize = object_only_deserialize(&item);
    quote! {
        #[derive(Debug, Clone, PartialEq, #default ::paygen::__private::serde::Serialize, ::paygen::Wire)]
        #[serde(crate = "::paygen::__private::serde")]
        #item
        #deserialize
        #constructor
        #setters
    }
}

/// `with_<field>` for each optional field and each required `bool`, so that
/// a value with many of them reads as a chain after `new` instead of a list
/// of assignments.
fn setters(name: &Ident, fields: &syn::FieldsNamed, flags: &[Ident]) -> TokenStream {
    let setters: Vec<TokenStream> = fields
        .named
        .iter()
        .filter_map(|field| {
            let ident = field.ident.as_ref()?;
            let plain = ident.to_string();
            let plain = paygen_model::unraw(&plain);
            let setter = quote::format_ident!("{}", paygen_model::setter(plain));
            let doc = format!(" Sets `{plain}`.");
            if flags.contains(ident) {
                return Some(quote! {
                    #[doc = #doc]
                    #[must_use]
                    #[inline]
                    pub fn #setter(mut self, value: bool) -> Self {
                        self.#ident = value;
                        self
                    }
                });
            }
            let inner = option_inner(&field.ty)?;
            let (arg, value) = if takes_into(inner) {
                (
                    quote!(impl ::core::convert::Into<#inner>),
                    quote!(value.into()),
                )
            } else {
                (quote!(#inner), quote!(value))
            };
            Some(quote! {
                #[doc = #doc]
                #[must_use]
                #[inline]
                pub fn #setter(mut self, value: #arg) -> Self {
                    self.#ident = ::core::option::Option::Some(#value);
                    self
                }
            })
        })
        .collect();
    if setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[automatically_derived]
        impl #name {
            #(#setters)*
        }
    }
}

/// Expands `#[paygen::model]`.
pub fn expand(args: TokenStream, item: Item) -> TokenStream {
    let mut errors = Errors::default();
    if !args.is_empty() {
        errors.at(
            &args,
            "`paygen::model` takes no arguments; put rules in `#[paygen(...)]`",
        );
    }
    let out = match item {
        Item::Struct(item) => expand_struct(item, &mut errors),
        Item::Enum(item) => expand_enum(item),
        other => {
            errors.at(&other, "`paygen::model` takes a struct or an enum");
            other.to_token_stream()
        }
    };
    let mut all = errors.to_compile_errors();
    all.extend(out);
    all
}
