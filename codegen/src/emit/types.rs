//! Emits request and response types as declarations: names, types, docs and
//! rules, with `#[paygen::model]` and `#[paygen::params]` completing them
//! (derives, skipping `None`, exact decimals, nested validation,
//! constructors), so that a generated file reads like a hand-written one.

use std::collections::BTreeSet;

use paygen_model::doc::code;
use paygen_model::limits::Limits;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Type;

use super::{docs, ident, rust_type, syntax};
use crate::ir::{
    Access, CrossRule, Field, Literal, Operation, Param, ParamIn, RenameRule, Rules, StatusAnswers,
    StatusMatch, TypeDef, TypeKind, TypeRef,
};

/// The names this gateway's own types take from Rust's prelude or paygen's:
/// those are spelled out in full.
pub struct Names<'a> {
    pub shadowed: &'a BTreeSet<String>,
}

impl Names<'_> {
    /// `short` unless a type of the gateway takes that name, else the
    /// absolute path `full`.
    pub fn path(&self, short: &str, full: &[&str]) -> Type {
        if self.shadowed.contains(short) {
            syntax::absolute_type(full)
        } else {
            syntax::named_type(short)
        }
    }

    /// The Rust type of `ty`.
    pub fn ty(&self, ty: &TypeRef) -> Type {
        rust_type::render(ty, &syntax::named_type, &|short, full| {
            self.path(short, full)
        })
    }

    /// `Option<T>`.
    pub fn option(&self, inner: Type) -> Type {
        syntax::generic(self.path("Option", &["core", "option", "Option"]), [inner])
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
            ("multiple_of", &range.multiple_of),
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
    limits(rules).sentence()
}

fn limits(rules: &Rules) -> Limits {
    let mut out = Limits::default();
    match rules.length {
        Some((min, max)) if min.is_some() || max.is_some() => {
            out.length(min, max);
        }
        _ if rules.required => {
            out.not_empty();
        }
        _ => {}
    }
    if let Some(range) = &rules.range {
        out.bounds([
            range.min.as_ref(),
            range.max.as_ref(),
            range.exclusive_min.as_ref(),
            range.exclusive_max.as_ref(),
            range.multiple_of.as_ref(),
        ]);
    }
    if let Some(pattern) = &rules.pattern {
        out.pattern(pattern);
    }
    if let Some(values) = &rules.one_of {
        let values: Vec<String> = values
            .iter()
            .map(|v| match v {
                Literal::Str(s) => code(s),
                Literal::Bool(b) => format!("`{b}`"),
                Literal::Int(i) => format!("`{i}`"),
            })
            .collect();
        out.one_of(&values);
    }
    if let Some((min, max)) = rules.count {
        out.count(min, max);
    }
    if let Some(each) = rules.each.as_deref() {
        out.each(&limits(each));
    }
    out
}

fn field(names: &Names, field: &Field) -> syn::Field {
    // `#[paygen::model]` adds the limits the rules state to the docs, and the
    // wire name to a field the spec does not describe.
    let mut attrs = syntax::doc_attrs(&field.doc);
    if field.flatten {
        attrs.push(syntax::list_attr("serde", quote!(flatten)));
    } else if crate::naming::unraw(&field.rust) != field.wire {
        let wire = &field.wire;
        attrs.push(syntax::list_attr("serde", quote!(rename = #wire)));
    }
    for alias in &field.aliases {
        attrs.push(syntax::list_attr("serde", quote!(alias = #alias)));
    }
    match field.access {
        Access::Both => {}
        Access::ReadOnly => attrs.push(syntax::list_attr("serde", quote!(skip_serializing))),
        Access::WriteOnly => attrs.push(syntax::list_attr("serde", quote!(skip_deserializing))),
    }
    let mut rules = rule_list(&field.rules);
    if names.looks_plain(&field.ty) {
        rules.push(quote!(nested));
    }
    if field.json_in_form {
        rules.push(quote!(json_in_form));
    }
    if field.idempotency_key {
        rules.push(quote!(idempotency_key));
    }
    if !rules.is_empty() {
        attrs.push(syntax::list_attr("paygen", quote!(#(#rules),*)));
    }
    // `#[paygen::model]`'s own attribute, apart from the derive's rules: a
    // boolean is fixed to its one allowed value, an enum to its only variant.
    if field.fixed {
        match field.rules.one_of.as_deref() {
            Some([value @ Literal::Bool(_)]) => {
                let value = literal(value);
                attrs.push(syntax::list_attr("paygen", quote!(fixed = #value)));
            }
            _ => attrs.push(syntax::list_attr("paygen", quote!(fixed))),
        }
    }
    let ty = names.ty(&field.ty);
    let ty = if field.required { ty } else { names.option(ty) };
    syntax::named_field(attrs, &field.rust, ty)
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
fn cross_rules(rules: &[CrossRule]) -> Vec<syn::Attribute> {
    if rules.is_empty() {
        return Vec::new();
    }
    let mut attrs = Vec::new();
    // clippy's `duplicated_attributes` mistakes two rules sharing an argument
    // (`when = "method"`) for a repeated attribute.
    if rules.len() > 1 {
        attrs.push(syntax::list_attr(
            "allow",
            quote!(clippy::duplicated_attributes),
        ));
    }
    let rules = rules.iter().map(|rule| {
        let kind = format_ident!("{}", rule.kind.as_str());
        let other_key = format_ident!("{}", rule.kind.other_key());
        let (field, other) = (&rule.field, &rule.other);
        let equals = rule.equals.as_ref().map(|e| {
            let e = literal(e);
            quote!(, equals = #e)
        });
        let minimum = rule.minimum.as_ref().map(|m| quote!(, minimum = #m));
        quote!(#kind(field = #field, #other_key = #other #equals #minimum))
    });
    attrs.push(syntax::list_attr("paygen", quote!(#(#rules),*)));
    attrs
}

fn body_attr(def: &TypeDef) -> Option<syn::Attribute> {
    let name = def.body?.as_str();
    Some(syntax::list_attr("paygen", quote!(body = #name)))
}

/// The rename of a value its type's rule does not give, as `#[attr(rename)]`.
fn rename(rule: Option<RenameRule>, rust: &str, wire: &str, attr: &str) -> Option<syn::Attribute> {
    let given = rule.map_or_else(
        || crate::naming::unraw(rust).to_owned(),
        |r| r.apply_to_variant(crate::naming::unraw(rust)),
    );
    (given != wire).then(|| syntax::list_attr(attr, quote!(rename = #wire)))
}

/// `paygen::GatewayError` for an error body, from its `x-error-fields`:
/// each method follows the fields to the text (`self.error.code`).
pub fn gateway_error_impl(def: &TypeDef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let methods = def.error_fields.iter().map(|f| {
        let method = format_ident!("{}", f.role);
        let steps = f.path.iter().map(|(rust, optional)| {
            let field = ident(rust);
            if *optional {
                quote!(.and_then(|v| v.#field.as_ref()))
            } else {
                quote!(.map(|v| &v.#field))
            }
        });
        quote! {
            fn #method(&self) -> Option<&str> {
                Some(self) #(#steps)* .map(|v| v.as_str())
            }
        }
    });
    quote! {
        impl paygen::GatewayError for #name {
            #(#methods)*
        }
    }
}

/// The declaration of one type.
pub fn type_def(names: &Names, def: &TypeDef) -> syn::Item {
    let mut attrs = syntax::doc_attrs(&def.doc);
    attrs.push(syntax::path_attr("paygen::model"));
    // Gateways add fields and values: a struct only received, and any enum
    // (built by consumers, never matched exhaustively), may grow without a
    // breaking release.
    if def.received || !matches!(def.kind, TypeKind::Struct { .. }) {
        attrs.push(syntax::path_attr("non_exhaustive"));
    }
    match &def.kind {
        TypeKind::Struct {
            fields,
            rules,
            any_of,
        } => {
            attrs.extend(body_attr(def));
            attrs.extend(cross_rules(rules));
            attrs.extend(
                any_of
                    .iter()
                    .map(|group| syntax::list_attr("paygen", quote!(any_of(#(#group),*)))),
            );
            let fields = fields.iter().map(|f| field(names, f));
            syntax::struct_item(attrs, &def.name, fields)
        }
        TypeKind::Enum {
            values,
            open,
            rename_all,
        } => {
            if let Some(rule) = rename_all {
                let rule = rule.as_str();
                attrs.push(syntax::list_attr("paygen", quote!(rename_all = #rule)));
            }
            let mut variants: Vec<syn::Variant> = values
                .iter()
                .map(|v| {
                    let mut vattrs = syntax::doc_attrs(&v.doc);
                    vattrs.extend(rename(*rename_all, &v.rust, &v.wire, "paygen"));
                    syntax::variant(vattrs, &v.rust, None)
                })
                .collect();
            if *open {
                let other = syntax::list_attr("paygen", quote!(other));
                let string = names.ty(&TypeRef::String);
                variants.push(syntax::variant(vec![other], "Unknown", Some(string)));
            }
            syntax::enum_item(attrs, &def.name, variants)
        }
        TypeKind::OneOf {
            variants,
            rename_all,
            untagged,
            tag,
        } => {
            // A union: tagged by a key (serde's default), by the value of a
            // property (a discriminator), or, `untagged`, by shape.
            if let Some(tag) = tag {
                attrs.push(syntax::list_attr("paygen", quote!(discriminator = #tag)));
            } else if *untagged {
                attrs.push(syntax::list_attr("serde", quote!(untagged)));
            } else if let Some(rule) = rename_all {
                let rule = rule.as_str();
                attrs.push(syntax::list_attr("serde", quote!(rename_all = #rule)));
            }
            attrs.extend(body_attr(def));
            let variants = variants.iter().map(|v| {
                let mut vattrs = syntax::doc_attrs(&v.doc);
                if !untagged {
                    vattrs.extend(rename(*rename_all, &v.rust, &v.wire, "serde"));
                }
                if !v.tags.is_empty() {
                    let tags = &v.tags;
                    vattrs.push(syntax::list_attr("paygen", quote!(tags(#(#tags),*))));
                }
                syntax::variant(vattrs, &v.rust, Some(names.ty(&v.ty)))
            });
            syntax::enum_item(attrs, &def.name, variants)
        }
    }
}

/// The parameters struct of an operation.
pub fn params_def(names: &Names, op: &Operation, params_type: &str) -> syn::Item {
    let method = &op.method_name;
    let doc =
        format!("Path and header parameters of [`Client::{method}`](super::Client::{method}).");
    let mut attrs = syntax::doc_attrs(&[doc]);
    attrs.push(syntax::path_attr("paygen::params"));
    let fields = op.params.iter().map(|p| {
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
        let mut pattrs = param_doc(p);
        pattrs.push(syntax::list_attr("param", quote!(#(#place),*)));
        let rules = rule_list(&p.rules);
        if !rules.is_empty() {
            pattrs.push(syntax::list_attr("paygen", quote!(#(#rules),*)));
        }
        syntax::named_field(pattrs, &p.rust, t)
    });
    syntax::struct_item(attrs, params_type, fields)
}

fn param_doc(p: &Param) -> Vec<syn::Attribute> {
    let mut lines = p.doc.clone();
    let place = match p.location {
        ParamIn::Header => format!("Sent as the {} header.", code(&p.wire)),
        ParamIn::Path => format!("Fills {} in the path.", code(&format!("{{{}}}", p.wire))),
        ParamIn::Query => format!("Sent as {} in the query string.", code(&p.wire)),
    };
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(place);
    if let Some(default) = &p.default {
        lines.push(format!("When unset, {} is sent.", code(default)));
    }
    if let Some(setting) = &p.from_setting {
        lines.push(format!(
            "When unset, the client's `{setting}` is sent (`with_{setting}`); without either, the call is not sent."
        ));
    }
    if let Some(limits) = limits_doc(&p.rules) {
        lines.push(limits);
    }
    syntax::doc_attrs(&lines)
}

/// The enum of an operation's success or error responses, one variant per
/// documented status, and the `SuccessBody` or `ErrorBody` impl that picks
/// the variant by status.
pub fn status_answers_def(op: &Operation, answers: &StatusAnswers, success: bool) -> TokenStream {
    let name = ident(&answers.name);
    let method = &op.method_name;
    let (kind, body_trait) = if success {
        ("success", quote!(paygen::SuccessBody))
    } else {
        ("error", quote!(paygen::ErrorBody))
    };
    let doc = format!(
        " The {kind} responses of [`Client::{method}`](super::Client::{method}), by status."
    );
    // A success status the spec does not document is not read as another's.
    let undocumented = (success
        && !answers
            .variants
            .iter()
            .any(|v| v.status == StatusMatch::Rest))
    .then(|| quote!(_ => Err(paygen::__private::undocumented_status(status)),));
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
                #pattern => paygen::__private::decode_json(raw).map(Self::#rust),
            },
            None => quote!(#pattern => Ok(Self::#rust),),
        }
    });
    // Every status documented without a body reads none of it.
    let raw = if answers.variants.iter().any(|v| v.body.is_some()) {
        quote!(raw)
    } else {
        quote!(_raw)
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #body_trait for #name {
            fn from_answer(
                status: paygen::reqwest::StatusCode,
                #raw: &[u8],
            ) -> ::core::result::Result<Self, paygen::DecodeError> {
                match status.as_u16() {
                    #(#arms)*
                    #undocumented
                }
            }
        }
    }
}
