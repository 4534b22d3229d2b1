//! Emits request and response types as declarations: names, types, docs and
//! rules, with `#[paygen::model]` and `#[paygen::params]` completing them
//! (derives, skipping `None`, exact decimals, nested validation,
//! constructors), so that a generated file reads like a hand-written one.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{braced, docs, ident};
use crate::ir::{
    CrossRule, ErrorAnswers, Field, Literal, Operation, Param, ParamIn, RenameRule, Rules,
    StatusMatch, TypeDef, TypeKind, TypeRef,
};

/// The names this gateway's own types take from Rust's prelude or paygen's:
/// those are spelled out in full.
pub struct Names<'a> {
    pub shadowed: &'a BTreeSet<String>,
}

impl Names<'_> {
    /// `short` unless a type of the gateway takes that name, else `full`
    /// (made only then: this is called for every field).
    pub fn path(&self, short: &str, full: impl FnOnce() -> TokenStream) -> TokenStream {
        if self.shadowed.contains(short) {
            full()
        } else {
            let short = proc_macro2::Ident::new(short, proc_macro2::Span::call_site());
            quote!(#short)
        }
    }

    /// The Rust type of `ty`.
    pub fn ty(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::String => self.path("String", || quote!(::std::string::String)),
            TypeRef::Secret => self.path("Secret", || quote!(::paygen::Secret)),
            TypeRef::CardNumber => self.path("CardNumber", || quote!(::paygen::CardNumber)),
            TypeRef::Encrypted => self.path("Encrypted", || quote!(::paygen::Encrypted)),
            TypeRef::I32 => quote!(i32),
            TypeRef::I64 => quote!(i64),
            TypeRef::Decimal => self.path("Decimal", || quote!(::paygen::Decimal)),
            TypeRef::Bool => quote!(bool),
            TypeRef::Named(name) => {
                let name = ident(name);
                quote!(#name)
            }
            TypeRef::Boxed(name) => {
                let name = ident(name);
                let boxed = self.path("Box", || quote!(::std::boxed::Box));
                quote!(#boxed<#name>)
            }
            TypeRef::List(inner) => {
                let inner = self.ty(inner);
                let vec = self.path("Vec", || quote!(::std::vec::Vec));
                quote!(#vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.ty(inner);
                let map = self.path("BTreeMap", || quote!(::std::collections::BTreeMap));
                let string = self.ty(&TypeRef::String);
                quote!(#map<#string, #inner>)
            }
            TypeRef::Json => self.path("JsonValue", || quote!(::paygen::JsonValue)),
            TypeRef::NoContent => quote!(::paygen::NoContent),
        }
    }

    /// `Option<T>`.
    fn option(&self, inner: TokenStream) -> TokenStream {
        let option = self.path("Option", || quote!(::core::option::Option));
        quote!(#option<#inner>)
    }

    /// Whether `#[paygen::model]` would take a field of type `ty` for a
    /// plain value (by its name) although it is one of this gateway's types.
    fn looks_plain(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(n) | TypeRef::Boxed(n) => self.shadowed.contains(n),
            TypeRef::List(inner) | TypeRef::Map(inner) => self.looks_plain(inner),
            _ => false,
        }
    }
}

/// `min = N, max = N` for the bounds that are set.
fn min_max(min: Option<u64>, max: Option<u64>) -> Vec<TokenStream> {
    let mut args = Vec::new();
    if let Some(min) = min {
        let min = proc_macro2::Literal::u64_unsuffixed(min);
        args.push(quote!(min = #min));
    }
    if let Some(max) = max {
        let max = proc_macro2::Literal::u64_unsuffixed(max);
        args.push(quote!(max = #max));
    }
    args
}

/// The `#[paygen(...)]` rule list for `rules`.
fn rule_list(rules: &Rules) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if rules.required {
        out.push(quote!(required));
    }
    if let Some((min, max)) = rules.length {
        let args = match (min, max) {
            (Some(n), Some(m)) if n == m => {
                let n = proc_macro2::Literal::u64_unsuffixed(n);
                vec![quote!(equal = #n)]
            }
            _ => min_max(min, max),
        };
        out.push(quote!(length(#(#args),*)));
    }
    if let Some(range) = &rules.range {
        let mut args = Vec::new();
        for (key, value) in [
            ("min", &range.min),
            ("max", &range.max),
            ("exclusive_min", &range.exclusive_min),
            ("exclusive_max", &range.exclusive_max),
        ] {
            if let Some(v) = value {
                let key = format_ident!("{}", key);
                // A literal the lowering wrote from a number: it always parses.
                let lit: TokenStream = v.parse().unwrap_or_default();
                args.push(quote!(#key = #lit));
            }
        }
        out.push(quote!(range(#(#args),*)));
    }
    if let Some(pattern) = &rules.pattern {
        out.push(quote!(pattern = #pattern));
    }
    if let Some(values) = &rules.one_of {
        let values = values.iter().map(literal);
        out.push(quote!(one_of(#(#values),*)));
    }
    if let Some((min, max)) = rules.count {
        let args = min_max(min, max);
        out.push(quote!(count(#(#args),*)));
    }
    if let Some(each) = &rules.each {
        let inner = rule_list(each);
        if !inner.is_empty() {
            out.push(quote!(each(#(#inner),*)));
        }
    }
    out
}

/// The limits `rules` state, as a sentence for the field's docs.
fn limits_doc(rules: &Rules) -> Option<String> {
    let mut parts = Vec::new();
    match rules.length {
        Some((Some(n), Some(m))) if n == m => parts.push(format!("exactly {n} characters")),
        Some((Some(n), Some(m))) => parts.push(format!("{n} to {m} characters")),
        Some((Some(n), None)) => parts.push(format!("at least {n} characters")),
        Some((None, Some(m))) => parts.push(format!("at most {m} characters")),
        _ if rules.required => parts.push("not empty".to_owned()),
        _ => {}
    }
    if let Some(range) = &rules.range {
        for (value, words) in [
            (&range.min, "at least"),
            (&range.max, "at most"),
            (&range.exclusive_min, "more than"),
            (&range.exclusive_max, "less than"),
        ] {
            if let Some(v) = value {
                parts.push(format!("{words} {v}"));
            }
        }
    }
    if let Some(pattern) = &rules.pattern {
        parts.push(format!("matches `{pattern}`"));
    }
    if let Some(values) = &rules.one_of {
        let values: Vec<String> = values
            .iter()
            .map(|v| match v {
                Literal::Str(s) => format!("`{s}`"),
                Literal::Bool(b) => format!("`{b}`"),
                Literal::Int(i) => format!("`{i}`"),
            })
            .collect();
        parts.push(format!("one of {}", values.join(", ")));
    }
    match rules.count {
        Some((Some(n), Some(m))) => parts.push(format!("{n} to {m} entries")),
        Some((Some(n), None)) => parts.push(format!("at least {n} entries")),
        Some((None, Some(m))) => parts.push(format!("at most {m} entries")),
        _ => {}
    }
    if let Some(each) = rules.each.as_deref().and_then(limits_doc) {
        parts.push(format!(
            "each {}",
            each.trim_start_matches("Limits: ").trim_end_matches('.')
        ));
    }
    (!parts.is_empty()).then(|| format!("Limits: {}.", parts.join("; ")))
}

fn field(names: &Names, field: &Field) -> TokenStream {
    // `#[paygen::model]` adds the limits the rules state to the docs, and the
    // wire name to a field the spec does not describe.
    let mut attrs = docs(&field.doc);
    if crate::naming::unraw(&field.rust) != field.wire {
        let wire = &field.wire;
        attrs.extend(quote!(#[serde(rename = #wire)]));
    }
    let mut rules = rule_list(&field.rules);
    if names.looks_plain(&field.ty) {
        rules.push(quote!(nested));
    }
    if field.json_in_form {
        rules.push(quote!(json_in_form));
    }
    if !rules.is_empty() {
        attrs.extend(quote!(#[paygen(#(#rules),*)]));
    }
    // `#[paygen::model]`'s own attribute, apart from the derive's rules: a
    // boolean is fixed to its one allowed value, an enum to its only variant.
    if field.fixed {
        match field.rules.one_of.as_deref() {
            Some([value @ Literal::Bool(_)]) => {
                let value = literal(value);
                attrs.extend(quote!(#[paygen(fixed = #value)]));
            }
            _ => attrs.extend(quote!(#[paygen(fixed)])),
        }
    }
    let name = ident(&field.rust);
    let ty = names.ty(&field.ty);
    let ty = if field.required { ty } else { names.option(ty) };
    // Extended, not `quote!`d: the attributes and the type are moved in.
    attrs.extend(quote!(pub #name:));
    attrs.extend(ty);
    attrs.extend(quote!(,));
    attrs
}

fn literal(value: &Literal) -> TokenStream {
    match value {
        Literal::Str(s) => quote!(#s),
        Literal::Bool(b) => quote!(#b),
        Literal::Int(i) => {
            let lit = proc_macro2::Literal::i64_unsuffixed(*i);
            quote!(#lit)
        }
    }
}

/// One `#[paygen(...)]` holding every rule between fields (clippy flags
/// repeated attributes that share arguments).
fn cross_rules(rules: &[CrossRule]) -> TokenStream {
    if rules.is_empty() {
        return TokenStream::new();
    }
    // clippy's `duplicated_attributes` mistakes two rules sharing an argument
    // (`when = "method"`) for a repeated attribute.
    let allow = (rules.len() > 1).then(|| quote!(#[allow(clippy::duplicated_attributes)]));
    let rules = rules.iter().map(|rule| {
        let kind = format_ident!("{}", rule.kind.as_str());
        let other_key = format_ident!("{}", rule.kind.other_key());
        let (field, other) = (&rule.field, &rule.other);
        let equals = rule.equals.as_ref().map(|e| {
            let e = literal(e);
            quote!(, equals = #e)
        });
        quote!(#kind(field = #field, #other_key = #other #equals))
    });
    quote! {
        #allow
        #[paygen(#(#rules),*)]
    }
}

fn body_attr(def: &TypeDef) -> TokenStream {
    match def.body {
        Some(encoding) => {
            let name = encoding.as_str();
            quote!(#[paygen(body = #name)])
        }
        None => TokenStream::new(),
    }
}

/// The rename of a value its type's rule does not give.
fn rename(rule: Option<RenameRule>, rust: &str, wire: &str, attr: &str) -> TokenStream {
    let given = rule.map_or_else(
        || crate::naming::unraw(rust).to_owned(),
        |r| r.apply_to_variant(crate::naming::unraw(rust)),
    );
    if given == wire {
        return TokenStream::new();
    }
    let attr = format_ident!("{attr}");
    quote!(#[#attr(rename = #wire)])
}

/// Tokens for one type.
pub fn type_def(names: &Names, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs(&def.doc);
    // Gateways add fields and values: a struct only received, and any enum
    // (built by consumers, never matched exhaustively), may grow without a
    // breaking release.
    let evolving = (def.received || !matches!(def.kind, TypeKind::Struct { .. }))
        .then(|| quote!(#[non_exhaustive]));
    match &def.kind {
        TypeKind::Struct {
            fields,
            rules,
            any_of,
        } => {
            let body = body_attr(def);
            let cross = cross_rules(rules);
            let any_of = any_of
                .iter()
                .map(|group| quote!(#[paygen(any_of(#(#group),*))]));
            let fields = braced(fields.iter().map(|f| field(names, f)));
            quote! {
                #doc
                #[paygen::model]
                #evolving
                #body
                #cross
                #(#any_of)*
                pub struct #name #fields
            }
        }
        TypeKind::Enum {
            values,
            open,
            rename_all,
        } => {
            let rule = rename_all.map(|r| {
                let r = r.as_str();
                quote!(#[paygen(rename_all = #r)])
            });
            let variants = values.iter().map(|v| {
                let rust = ident(&v.rust);
                let rename = rename(*rename_all, &v.rust, &v.wire, "paygen");
                let vdoc = docs(&v.doc);
                quote!(#vdoc #rename #rust,)
            });
            let other = open.then(|| {
                let string = names.ty(&TypeRef::String);
                quote!(#[paygen(other)] Unknown(#string),)
            });
            quote! {
                #doc
                #[paygen::model]
                #evolving
                #rule
                pub enum #name {
                    #(#variants)*
                    #other
                }
            }
        }
        TypeKind::OneOf {
            variants,
            rename_all,
            untagged,
        } => {
            let head = quote!(#doc #[paygen::model] #evolving);
            one_of_def(names, def, head, variants, *rename_all, *untagged)
        }
    }
}

/// A union: tagged by a key (serde's default) or, `untagged`, by shape.
fn one_of_def(
    names: &Names,
    def: &TypeDef,
    head: TokenStream,
    variants: &[crate::ir::Variant],
    rename_all: Option<RenameRule>,
    untagged: bool,
) -> TokenStream {
    let name = ident(&def.name);
    let body = body_attr(def);
    let rule = rename_all.map(|r| {
        let r = r.as_str();
        quote!(#[serde(rename_all = #r)])
    });
    let rule = if untagged {
        Some(quote!(#[serde(untagged)]))
    } else {
        rule
    };
    let variants = variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let vdoc = docs(&v.doc);
        let rename = (!untagged).then(|| rename(rename_all, &v.rust, &v.wire, "serde"));
        let t = names.ty(&v.ty);
        quote! {
            #vdoc
            #rename
            #rust(#t),
        }
    });
    quote! {
        #head
        #rule
        #body
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The parameters struct of an operation.
pub fn params_def(names: &Names, op: &Operation, params_type: &str) -> TokenStream {
    let name = ident(params_type);
    let method = &op.method_name;
    let doc =
        format!(" Path and header parameters of [`Client::{method}`](super::Client::{method}).");
    let fields = op.params.iter().map(|p| {
        let fname = ident(&p.rust);
        let pdoc = param_doc(p);
        let t = names.ty(&p.ty);
        let t = if p.required { t } else { names.option(t) };
        let wire = &p.wire;
        let mut place = match p.location {
            ParamIn::Header => vec![quote!(header = #wire)],
            ParamIn::Path => vec![quote!(path = #wire)],
            ParamIn::Query if !p.explode => vec![quote!(query = #wire), quote!(explode = false)],
            ParamIn::Query => vec![quote!(query = #wire)],
        };
        if let Some(default) = &p.default {
            place.push(quote!(default = #default));
        }
        if p.idempotency_key {
            place.push(quote!(idempotency_key));
        }
        if p.from_setting.is_some() {
            place.push(quote!(client_default));
        }
        let rules = rule_list(&p.rules);
        let rules = (!rules.is_empty()).then(|| quote!(#[paygen(#(#rules),*)]));
        quote! {
            #pdoc
            #[param(#(#place),*)]
            #rules
            pub #fname: #t,
        }
    });
    quote! {
        #[doc = #doc]
        #[paygen::params]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn param_doc(p: &Param) -> TokenStream {
    let mut lines = p.doc.clone();
    let place = match p.location {
        ParamIn::Header => format!("Sent as the `{}` header.", p.wire),
        ParamIn::Path => format!("Fills `{{{}}}` in the path.", p.wire),
        ParamIn::Query => format!("Sent as `{}` in the query string.", p.wire),
    };
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(place);
    if let Some(default) = &p.default {
        lines.push(format!("When unset, `{default}` is sent."));
    }
    if let Some(setting) = &p.from_setting {
        lines.push(format!(
            "When unset, the client's `{setting}` is sent (`with_{setting}`); without either, the call is not sent."
        ));
    }
    if let Some(limits) = limits_doc(&p.rules) {
        lines.push(limits);
    }
    docs(&lines)
}

/// The enum of an operation's error answers, one variant per documented
/// status, and the `ErrorBody` impl that picks the variant by status.
pub fn error_answers_def(op: &Operation, answers: &ErrorAnswers) -> TokenStream {
    let name = ident(&answers.name);
    let method = &op.method_name;
    let doc =
        format!(" The error answers of [`Client::{method}`](super::Client::{method}), by status.");
    let variants = answers.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let doc = docs(&v.doc);
        match &v.body {
            Some(body) => {
                let body = ident(body);
                quote!(#doc #rust(#body),)
            }
            None => quote!(#doc #rust,),
        }
    });
    let arms = answers.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let pattern = match v.status {
            StatusMatch::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            StatusMatch::Range(class) => {
                let low = proc_macro2::Literal::u16_unsuffixed(class * 100);
                let high = proc_macro2::Literal::u16_unsuffixed(class * 100 + 99);
                quote!(#low..=#high)
            }
            StatusMatch::Rest => quote!(_),
        };
        match &v.body {
            Some(_) => quote! {
                #pattern => paygen::__private::serde_json::from_slice(raw).map(Self::#rust),
            },
            None => quote!(#pattern => Ok(Self::#rust),),
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl paygen::ErrorBody for #name {
            fn from_answer(
                status: paygen::reqwest::StatusCode,
                raw: &[u8],
            ) -> ::core::result::Result<Self, paygen::__private::serde_json::Error> {
                match status.as_u16() {
                    #(#arms)*
                }
            }
        }
    }
}
