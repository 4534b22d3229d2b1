//! `#[paygen::params]`: completes an operation's path and header parameters
//! from their declaration: each field says where it goes
//! (`#[param(header = "x-request-id")]`, `#[param(path = "id")]`, with a
//! `default` a header takes when unset, `idempotency_key` for the key that
//! makes a call safe to retry, and `client_default` for a header the client
//! fills from its settings), and the macro writes the derives, the wire
//! names violations are reported under, the constructor, and the
//! `Parameters` impl the transport reads them through.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Fields, GenericArgument, Ident, ItemStruct, LitStr, PathArguments, Type};

use crate::builder;
use crate::errors::Errors;

enum Place {
    Header {
        name: LitStr,
        default: Option<LitStr>,
    },
    Path(LitStr),
    /// A query parameter; a list is sent as one pair per item unless
    /// `explode = false` joins it with commas.
    Query {
        name: LitStr,
        explode: bool,
    },
}

struct Param {
    ident: Ident,
    ty: Type,
    place: Place,
    optional: bool,
    idempotency_key: bool,
    /// A header the client fills from its settings when the call leaves it unset.
    client_default: bool,
    /// A `paygen::Secret` (`x-secret: true`): read with `expose`, and sent
    /// as a sensitive header; the transport never logs it.
    secret: bool,
    /// Text (`String` or `Secret`); anything else (an integer, a decimal) is
    /// sent as it displays.
    text_like: bool,
}

impl Param {
    /// The field's text, as `Cow<str>` (`Option<Cow<str>>` when it is
    /// optional): borrowed from text, displayed from a number.
    fn text(&self, value: TokenStream) -> TokenStream {
        let cow = quote!(::std::borrow::Cow);
        match (self.text_like, self.secret, self.optional) {
            (true, false, false) => quote!(#cow::Borrowed(#value.as_str())),
            (true, false, true) => quote!(#value.as_deref().map(#cow::Borrowed)),
            (true, true, false) => quote!(#cow::Borrowed(#value.expose())),
            (true, true, true) => {
                quote!(#value.as_ref().map(|__v| #cow::Borrowed(::paygen::Secret::expose(__v))))
            }
            (false, _, false) => quote!(#cow::Owned(::std::string::ToString::to_string(&#value))),
            (false, _, true) => quote!(#value
                .as_ref()
                .map(|__v| #cow::Owned(::std::string::ToString::to_string(__v)))),
        }
    }

    /// The parameter's name on the wire.
    fn wire(&self) -> &LitStr {
        match &self.place {
            Place::Header { name, .. } | Place::Path(name) | Place::Query { name, .. } => name,
        }
    }
}

fn is_option(ty: &Type) -> bool {
    option_inner(ty).is_some()
}

/// `T` of `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(a) => match a.args.first() {
            Some(GenericArgument::Type(inner)) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// `with_<param>` for each optional parameter, as `#[paygen::model]` types
/// have for their optional fields.
fn setters_code(name: &Ident, params: &[Param]) -> TokenStream {
    let setters: Vec<TokenStream> = params
        .iter()
        .filter(|p| p.optional)
        .filter_map(|p| {
            let inner = option_inner(&p.ty)?;
            let ident = &p.ident;
            let setter = quote::format_ident!("{}", paygen_model::setter(&ident.to_string()));
            let doc = format!(" Sets `{}`.", p.wire().value());
            Some(quote! {
                #[doc = #doc]
                #[must_use]
                #[inline]
                pub fn #setter(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
                    self.#ident = ::core::option::Option::Some(value.into());
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

/// A header name as HTTP/2 sends it: lower case token characters.
fn check_header_name(name: &LitStr, errors: &mut Errors) {
    let value = name.value();
    let token =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "!#$%&'*+-.^_`|~".contains(c);
    if value.is_empty() || !value.chars().all(token) {
        errors.at(
            name,
            "a header name is lower case letters, digits and `!#$%&'*+-.^_`|~` (HTTP/2 sends names in lower case)",
        );
    }
}

/// Where a parameter goes, from its `header`, `path` or `query` (exactly
/// one), with the settings each allows.
fn place(
    ident: &Ident,
    (header, path, query): (Option<LitStr>, Option<LitStr>, Option<LitStr>),
    default: Option<LitStr>,
    mut explode: Option<syn::LitBool>,
    errors: &mut Errors,
) -> Option<Place> {
    if let Some(name) = &header {
        check_header_name(name, errors);
    }
    let place = match (header, path, query) {
        (Some(name), None, None) => Place::Header { name, default },
        (None, Some(name), None) if default.is_none() => Place::Path(name),
        (None, None, Some(name)) if default.is_none() => Place::Query {
            name,
            explode: explode.take().is_none_or(|e| e.value),
        },
        _ => {
            errors.at(
                ident,
                "a parameter is one of a `header` (with an optional `default`), a `path` or a `query` parameter",
            );
            return None;
        }
    };
    if let Some(explode) = explode {
        errors.at(&explode, "`explode` is for a `query` parameter");
    }
    Some(place)
}

/// Reads and removes the field's `#[param(...)]`.
fn take_param(field: &mut syn::Field, errors: &mut Errors) -> Option<Param> {
    let ident = field.ident.clone()?;
    let mut header = None;
    let mut path = None;
    let mut query = None;
    let mut default = None;
    let mut idempotency_key = false;
    let mut client_default = false;
    let mut explode = None;
    let mut seen = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("param")) {
        seen = true;
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("header") {
                header = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident("path") {
                path = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident("query") {
                query = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident("default") {
                default = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident("idempotency_key") {
                idempotency_key = true;
            } else if meta.path.is_ident("client_default") {
                client_default = true;
            } else if meta.path.is_ident("explode") {
                explode = Some(meta.value()?.parse::<syn::LitBool>()?);
            } else {
                errors.at(
                    &meta.path,
                    "unknown `param` setting, expected `header`, `path`, `query`, `default`, `explode`, `idempotency_key` or `client_default`",
                );
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    field.attrs.retain(|a| !a.path().is_ident("param"));
    if !seen {
        errors.at(
            &ident,
            "say where the parameter goes: `#[param(header = \"...\")]`, `#[param(path = \"...\")]` or `#[param(query = \"...\")]`",
        );
        return None;
    }
    let place = place(&ident, (header, path, query), default, explode, errors)?;
    let optional = is_option(&field.ty);
    if client_default && (!optional || !matches!(place, Place::Header { default: None, .. })) {
        errors.at(
            &ident,
            "`client_default` is for an `Option` header without a `default`: the client fills it when the call leaves it unset",
        );
    }
    let innermost = crate::model::innermost_name(&field.ty);
    let secret = innermost.as_deref() == Some("Secret");
    let text_like = matches!(innermost.as_deref(), Some("String" | "Secret"));
    Some(Param {
        ident,
        ty: field.ty.clone(),
        place,
        optional,
        idempotency_key,
        client_default,
        secret,
        text_like,
    })
}

/// Each field's parameter, its `#[param(...)]` taken off and the derive's
/// attributes it implies (`rename`, `path_segment`) put on.
fn take_params(fields: &mut syn::FieldsNamed, errors: &mut Errors) -> Vec<Param> {
    let mut params = Vec::new();
    for field in fields.named.iter_mut() {
        let Some(param) = take_param(field, errors) else {
            continue;
        };
        let wire = match &param.place {
            Place::Header { name, .. } | Place::Path(name) | Place::Query { name, .. } => {
                name.value()
            }
        };
        if paygen_model::unraw(&param.ident.to_string()) != wire {
            field
                .attrs
                .push(syn::parse_quote!(#[paygen(rename = #wire)]));
        }
        // A number cannot be `.` or `..`, or hold a `/`.
        if matches!(param.place, Place::Path(_)) && param.text_like {
            field.attrs.push(syn::parse_quote!(#[paygen(path_segment)]));
        }
        params.push(param);
    }
    params
}

/// `client_defaults()`: the headers left unset for the client to fill.
fn client_defaults_code(params: &[Param]) -> Option<TokenStream> {
    let each = params.iter().filter(|p| p.client_default).map(|p| {
        let ident = &p.ident;
        let Place::Header { name, .. } = &p.place else {
            return TokenStream::new();
        };
        quote! {
            if self.#ident.is_none() {
                __out.push(#name);
            }
        }
    });
    params.iter().any(|p| p.client_default).then(|| {
        quote! {
            #[inline]
            fn client_defaults(&self, __out: &mut ::std::vec::Vec<&'static str>) {
                #(#each)*
            }
        }
    })
}

/// `builder()` for the required parameters, and `new` from them unless
/// they are easy to swap (see `builder`).
fn constructor_code(name: &Ident, params: &[Param]) -> TokenStream {
    let named: Vec<builder::Required<'_>> = params
        .iter()
        .filter(|p| !p.optional)
        .map(|p| builder::Required {
            ident: &p.ident,
            ty: &p.ty,
            wire: p.wire().value(),
            into: true,
        })
        .collect();
    let unset: Vec<&Ident> = params
        .iter()
        .filter(|p| p.optional)
        .map(|p| &p.ident)
        .collect();
    // Every parameters struct with required parameters has a builder (code
    // that fills parameters by name, as the tests' registry does, needs no
    // rule); `new` only where its arguments cannot be swapped unnoticed.
    let rest = quote!(#(#unset: ::core::option::Option::None,)*);
    let builder = (!named.is_empty()).then(|| builder::emit(name, &named, &rest));
    if builder::needs_builder(&named) {
        return builder.unwrap_or_default();
    }
    let args = named.iter().map(|r| {
        let (ident, ty) = (r.ident, r.ty);
        quote!(#ident: impl ::core::convert::Into<#ty>)
    });
    let inits = params.iter().map(|p| {
        let ident = &p.ident;
        if p.optional {
            quote!(#ident: ::core::option::Option::None)
        } else {
            quote!(#ident: #ident.into())
        }
    });
    let doc = format!(" `{name}` from the required parameters; the others start unset.");
    quote! {
        #[automatically_derived]
        impl #name {
            #[doc = #doc]
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* }
            }
        }
        #builder
    }
}

/// The code that appends each header parameter that has a value.
fn headers_code(params: &[Param]) -> Vec<TokenStream> {
    params
        .iter()
        .filter_map(|p| {
            let ident = &p.ident;
            let Place::Header { name, default } = &p.place else {
                return None;
            };
            let text = p.text(quote!(self.#ident));
            Some(match (p.optional, default) {
                (true, Some(default)) => quote! {
                    __out.push((#name, #text.unwrap_or(::std::borrow::Cow::Borrowed(#default))));
                },
                (true, None) => quote! {
                    if let ::core::option::Option::Some(__value) = #text {
                        __out.push((#name, __value));
                    }
                },
                (false, _) => quote!(__out.push((#name, #text));),
            })
        })
        .collect()
}

/// The arms that give each path parameter's value by its name.
fn paths_code(params: &[Param]) -> Vec<TokenStream> {
    params
        .iter()
        .filter_map(|p| {
            let Place::Path(name) = &p.place else {
                return None;
            };
            let ident = &p.ident;
            let text = p.text(quote!(self.#ident));
            Some(if p.optional {
                quote!(#name => #text,)
            } else {
                quote!(#name => ::core::option::Option::Some(#text),)
            })
        })
        .collect()
}

/// `is_secret()`, when a parameter is a secret.
fn secrets_code(params: &[Param]) -> Option<TokenStream> {
    let names: Vec<&LitStr> = params
        .iter()
        .filter(|p| p.secret)
        .map(Param::wire)
        .collect();
    (!names.is_empty()).then(|| {
        quote! {
            #[inline]
            fn is_secret(&self, __name: &str) -> bool {
                ::core::matches!(__name, #(#names)|*)
            }
        }
    })
}

/// The code that appends each query parameter that has a value, as its pairs.
fn queries_code(params: &[Param]) -> Vec<TokenStream> {
    params.iter().filter_map(|p| {
    let ident = &p.ident;
    let Place::Query { name, explode } = &p.place else {
        return None;
    };
    let push = |value: TokenStream| {
        if *explode {
            quote!(::paygen::__private::QueryValue::query_pairs(#value, #name, __out);)
        } else {
            quote!(__out.push((#name, ::paygen::__private::QueryValue::query_value(#value)));)
        }
    };
    Some(if p.optional {
        let push = push(quote!(__value));
        quote! {
            if let ::core::option::Option::Some(__value) = &self.#ident {
                #push
            }
        }
    } else {
        push(quote!(&self.#ident))
    })
})
    .collect()
}

/// `idempotent()`, when a parameter is the idempotency key.
fn idempotent_code(params: &[Param]) -> Option<TokenStream> {
    params.iter().find(|p| p.idempotency_key).map(|p| {
        let ident = &p.ident;
        let set = if p.optional {
            quote!(self.#ident.is_some())
        } else {
            quote!(true)
        };
        quote! {
            #[inline]
            fn idempotent(&self) -> bool {
                #set
            }
        }
    })
}

/// Expands `#[paygen::params]`.
pub fn expand(args: TokenStream, mut item: ItemStruct) -> TokenStream {
    let mut errors = Errors::default();
    if !args.is_empty() {
        errors.at(&args, "`paygen::params` takes no arguments");
    }
    let Fields::Named(fields) = &mut item.fields else {
        errors.at(
            &item.ident,
            "`paygen::params` takes a struct with named fields",
        );
        let mut out = errors.to_compile_errors();
        out.extend(item.to_token_stream());
        return out;
    };
    let params = take_params(fields, &mut errors);
    let name = &item.ident;
    let required: Vec<&Param> = params.iter().filter(|p| !p.optional).collect();
    let headers = headers_code(&params);
    let paths = paths_code(&params);
    let queries = queries_code(&params);
    let idempotent = idempotent_code(&params);
    let client_defaults = client_defaults_code(&params);
    let secrets = secrets_code(&params);
    let constructor = constructor_code(name, &params);
    let setters = setters_code(name, &params);
    let default = required.is_empty().then(|| quote!(Default,));
    let out = quote! {
        #[derive(Debug, Clone, PartialEq, Eq, #default ::paygen::Wire)]
        #item

        #constructor
        #setters

        #[automatically_derived]
        impl ::paygen::__private::Parameters for #name {
            #[inline]
            fn headers<'__a>(
                &'__a self,
                __out: &mut ::std::vec::Vec<(&'static str, ::std::borrow::Cow<'__a, str>)>,
            ) {
                #(#headers)*
            }

            #[inline]
            fn query(&self, __out: &mut ::std::vec::Vec<(&'static str, ::std::string::String)>) {
                #(#queries)*
            }

            #[allow(clippy::match_single_binding)]
            #[inline]
            fn path_value(&self, __name: &str) -> ::core::option::Option<::std::borrow::Cow<'_, str>> {
                match __name {
                    #(#paths)*
                    _ => ::core::option::Option::None,
                }
            }

            #idempotent
            #client_defaults
            #secrets
        }
    };
    let mut all = errors.to_compile_errors();
    all.extend(out);
    all
}
