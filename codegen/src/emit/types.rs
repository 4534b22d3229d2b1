//! Emits request and response types: structs, string enums and one-ofs, each
//! leaning on `#[derive(Wire)]` and `#[derive(WireEnum)]` for the repetitive parts.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ident};
use crate::ir::{
    CrossRule, Encoding, Field, Literal, Operation, Param, Rules, TypeDef, TypeKind, TypeRef,
};

/// The Rust type of `ty`.
pub fn ty(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Secret => quote!(::paygen::Secret),
        TypeRef::CardNumber => quote!(::paygen::CardNumber),
        TypeRef::Encrypted => quote!(::paygen::Encrypted),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::Decimal => quote!(::paygen::Decimal),
        TypeRef::Bool => quote!(bool),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        TypeRef::Boxed(name) => {
            let name = ident(name);
            quote!(::std::boxed::Box<#name>)
        }
        TypeRef::List(inner) => {
            let inner = self::ty(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = self::ty(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Json => quote!(::paygen::JsonValue),
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

/// The `#[paygen(...)]` rule list for `rules` (without `nested`).
fn rule_list(rules: &Rules) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if rules.required {
        out.push(quote!(required));
    }
    if let Some((min, max)) = rules.length {
        let mut args = Vec::new();
        if min == max && min.is_some() {
            let n = proc_macro2::Literal::u64_unsuffixed(min.unwrap_or_default());
            args.push(quote!(equal = #n));
        } else {
            args = min_max(min, max);
        }
        out.push(quote!(length(#(#args),*)));
    }
    if let Some(range) = &rules.range {
        let mut args = Vec::new();
        for (key, value) in [
            ("min", range.min),
            ("max", range.max),
            ("exclusive_min", range.exclusive_min),
            ("exclusive_max", range.exclusive_max),
        ] {
            if let Some(v) = value {
                let key = format_ident!("{}", key);
                let lit = proc_macro2::Literal::i64_unsuffixed(v);
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

fn field_attrs(field: &Field) -> TokenStream {
    let mut out = if field.doc.is_empty() {
        docs(&[format!("`{}`.", field.wire)])
    } else {
        docs(&field.doc)
    };
    if crate::naming::unraw(&field.rust) != field.wire {
        let wire = &field.wire;
        out.extend(quote!(#[serde(rename = #wire)]));
    }
    let mut serde = Vec::new();
    if !field.required {
        serde.push(quote!(
            default,
            skip_serializing_if = "::core::option::Option::is_none"
        ));
    }
    if field.ty.holds_decimal() {
        // Exact both ways: from the JSON number's digits, to a JSON number.
        serde.push(quote!(with = "::paygen::__private::decimal"));
    }
    if !serde.is_empty() {
        out.extend(quote!(#[serde(#(#serde),*)]));
    }
    let mut rules = rule_list(&field.rules);
    if field.ty.is_nested() {
        rules.push(quote!(nested));
    }
    if field.json_in_form {
        rules.push(quote!(json_in_form));
    }
    if !rules.is_empty() {
        out.extend(quote!(#[paygen(#(#rules),*)]));
    }
    out
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
    let rules = rules.iter().map(cross_rule);
    quote! {
        #allow
        #[paygen(#(#rules),*)]
    }
}

fn cross_rule(rule: &CrossRule) -> TokenStream {
    let kind = format_ident!("{}", rule.kind.as_str());
    let field = &rule.field;
    let other = &rule.other;
    let other_key = format_ident!("{}", rule.kind.other_key());
    let equals = rule.equals.as_ref().map(|e| {
        let e = literal(e);
        quote!(, equals = #e)
    });
    quote!(#kind(field = #field, #other_key = #other #equals))
}

fn body_attr(body: Option<Encoding>) -> TokenStream {
    match body {
        Some(encoding) => {
            let name = encoding.as_str();
            quote!(#[paygen(body = #name)])
        }
        None => TokenStream::new(),
    }
}

/// A constructor argument and the expression that stores it.
fn argument(name: &syn::Ident, ty: &TypeRef) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String | TypeRef::Secret | TypeRef::CardNumber | TypeRef::Encrypted => {
            let t = self::ty(ty);
            (
                quote!(#name: impl ::core::convert::Into<#t>),
                quote!(#name: #name.into()),
            )
        }
        other => {
            let t = self::ty(other);
            (quote!(#name: #t), quote!(#name))
        }
    }
}

/// String enums with a single value (`format: json`), by name, with that
/// value's variant: constructors fill such fields themselves.
pub type Constants = std::collections::BTreeMap<String, String>;

fn struct_def(
    def: &TypeDef,
    fields: &[Field],
    rules: &[CrossRule],
    constants: &Constants,
) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs(&def.doc);
    let body = body_attr(def.body);
    let cross = cross_rules(rules);
    let members = fields.iter().map(|f| {
        let attrs = field_attrs(f);
        let fname = ident(&f.rust);
        let t = ty(&f.ty);
        let t = if f.required {
            t
        } else {
            quote!(::core::option::Option<#t>)
        };
        quote! {
            #attrs
            pub #fname: #t,
        }
    });
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let (args, inits): (Vec<_>, Vec<_>) = fields
        .iter()
        .map(|f| {
            let fname = ident(&f.rust);
            let constant = match &f.ty {
                TypeRef::Named(n) if f.required => constants.get(n).map(|v| (n, v)),
                _ => None,
            };
            if let Some((ty, variant)) = constant {
                let (ty, variant) = (ident(ty), ident(variant));
                (None, quote!(#fname: #ty::#variant))
            } else if f.required {
                let (arg, init) = argument(&fname, &f.ty);
                (Some(arg), init)
            } else {
                (None, quote!(#fname: ::core::option::Option::None))
            }
        })
        .unzip();
    let args: Vec<TokenStream> = args.into_iter().flatten().collect();
    // Without required fields, `Default` is the constructor.
    let (default, constructor) = if required.is_empty() {
        (quote!(Default,), TokenStream::new())
    } else {
        let doc = format!(
            " A `{}` from its required fields; the others start unset{}.",
            def.name,
            if required.len() > args.len() {
                " and single-value fields take their value"
            } else {
                ""
            }
        );
        let allow = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        // Every required field has a single value: `new()` takes nothing, and
        // `Default` is the same thing.
        let default_impl = args.is_empty().then(|| {
            quote! {
                impl ::core::default::Default for #name {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            }
        });
        (
            TokenStream::new(),
            quote! {
                impl #name {
                    #[doc = #doc]
                    #allow
                    pub fn new(#(#args),*) -> Self {
                        Self {
                            #(#inits,)*
                        }
                    }
                }

                #default_impl
            },
        )
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize, ::paygen::Wire)]
        #body
        #cross
        pub struct #name {
            #(#members)*
        }

        #constructor
    }
}

/// Tokens for one type.
pub fn type_def(def: &TypeDef, constants: &Constants) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs(&def.doc);
    match &def.kind {
        TypeKind::Struct { fields, rules } => struct_def(def, fields, rules, constants),
        TypeKind::Enum { values, open } => {
            let variants = values.iter().map(|v| {
                let rust = ident(&v.rust);
                let wire = &v.wire;
                let doc = format!(" `{wire}`");
                quote! {
                    #[doc = #doc]
                    #[paygen(rename = #wire)]
                    #rust,
                }
            });
            let (derives, other) = if *open {
                (
                    quote!(#[derive(Debug, Clone, PartialEq, Eq, Hash, ::paygen::WireEnum)]),
                    quote! {
                        /// A value this version of the spec does not document.
                        #[paygen(other)]
                        Unknown(::std::string::String),
                    },
                )
            } else {
                (
                    quote!(#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::paygen::WireEnum)]),
                    TokenStream::new(),
                )
            };
            quote! {
                #doc
                #derives
                pub enum #name {
                    #(#variants)*
                    #other
                }
            }
        }
        TypeKind::OneOf { variants } => {
            let body = body_attr(def.body);
            let variants = variants.iter().map(|v| {
                let rust = ident(&v.rust);
                let wire = &v.wire;
                let vdoc = docs(&v.doc);
                let t = ty(&v.ty);
                quote! {
                    #vdoc
                    #[serde(rename = #wire)]
                    #rust(#t),
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::paygen::Wire)]
                #body
                pub enum #name {
                    #(#variants)*
                }
            }
        }
    }
}

/// The parameters struct of an operation.
pub fn params_def(op: &Operation, params_type: &str) -> TokenStream {
    let name = ident(params_type);
    let method = &op.method_name;
    let doc =
        format!(" Path and header parameters of [`Client::{method}`](super::Client::{method}).");
    let fields = op.params.iter().map(|p| {
        let fname = ident(&p.rust);
        let pdoc = param_doc(p);
        let t = if p.required {
            quote!(::std::string::String)
        } else {
            quote!(::core::option::Option<::std::string::String>)
        };
        // Checked with the body before anything is sent, and reported under
        // the parameter's own name.
        let mut rules = Vec::new();
        if crate::naming::unraw(&p.rust) != p.wire {
            let wire = &p.wire;
            rules.push(quote!(rename = #wire));
        }
        rules.extend(rule_list(&p.rules));
        if p.location == crate::ir::ParamIn::Path {
            rules.push(quote!(path_segment));
        }
        let rules = (!rules.is_empty()).then(|| quote!(#[paygen(#(#rules),*)]));
        quote! {
            #pdoc
            #rules
            pub #fname: #t,
        }
    });
    let args = op.params.iter().filter(|p| p.required).map(|p| {
        let fname = ident(&p.rust);
        quote!(#fname: impl ::core::convert::Into<::std::string::String>)
    });
    let inits = op.params.iter().map(|p| {
        let fname = ident(&p.rust);
        if p.required {
            quote!(#fname: #fname.into())
        } else {
            quote!(#fname: ::core::option::Option::None)
        }
    });
    let derives = if op.params.iter().any(|p| p.required) {
        quote!(#[derive(Debug, Clone, PartialEq, Eq, ::paygen::Wire)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, Eq, Default, ::paygen::Wire)])
    };
    quote! {
        #[doc = #doc]
        #derives
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// The parameters from the required ones; the others start unset.
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits,)*
                }
            }
        }
    }
}

fn param_doc(p: &Param) -> TokenStream {
    let mut lines = p.doc.clone();
    let place = match p.location {
        crate::ir::ParamIn::Header => format!("Sent as the `{}` header.", p.wire),
        crate::ir::ParamIn::Path => format!("Fills `{{{}}}` in the path.", p.wire),
    };
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(place);
    if let Some(default) = &p.default {
        lines.push(format!("When unset, `{default}` is sent."));
    }
    docs(&lines)
}
