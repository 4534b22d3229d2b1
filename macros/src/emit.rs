//! Turns the checked model into the `Validate` and `RequestBody` impls; every
//! decision was made in `check`, so this module only writes tokens.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::attr::CrossKind;
use crate::check::{Body, CrossRule, Field, FieldPath, Model, Rules};

fn opt<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The checks of `rules` on `__value` (a reference), recorded under `path`.
fn value_checks(rules: &Rules, path: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if rules.required {
        out.extend(quote! {
            if (&::paygen::__private::Probe(__value)).is_blank() {
                ::paygen::__private::empty(#path, __report);
            }
        });
    }
    if let Some(length) = &rules.length {
        let (min, max, equal) = (opt(length.min), opt(length.max), opt(length.equal));
        out.extend(quote! {
            ::paygen::__private::length(__value, #min, #max, #equal, #path, __report);
        });
    }
    if let Some(range) = &rules.range {
        let min = opt(range.min.as_ref());
        let max = opt(range.max.as_ref());
        let exclusive_min = opt(range.exclusive_min.as_ref());
        let exclusive_max = opt(range.exclusive_max.as_ref());
        out.extend(quote! {
            ::paygen::__private::range(
                __value,
                ::paygen::__private::Bounds {
                    min: #min,
                    max: #max,
                    exclusive_min: #exclusive_min,
                    exclusive_max: #exclusive_max,
                },
                #path,
                __report,
            );
        });
        if let Some(step) = &range.multiple_of {
            out.extend(quote! {
                ::paygen::__private::multiple_of(__value, #step, #path, __report);
            });
        }
    }
    if let Some(values) = &rules.one_of {
        out.extend(quote! {
            ::paygen::__private::one_of(__value, &[#(#values),*], #path, __report);
        });
    }
    if let Some(pattern) = &rules.pattern {
        out.extend(quote! {
            {
                static __PATTERN: ::std::sync::LazyLock<::paygen::__private::Pattern> =
                    ::std::sync::LazyLock::new(|| {
                        ::paygen::__private::Pattern::new(#pattern)
                            .expect("the pattern was compiled by #[derive(Wire)]")
                    });
                ::paygen::__private::pattern(__value, &__PATTERN, #path, __report);
            }
        });
    }
    if rules.path_segment {
        out.extend(quote! {
            ::paygen::__private::path_segment(__value, #path, __report);
        });
    }
    if let Some((min, max)) = rules.count {
        let (min, max) = (opt(min), opt(max));
        out.extend(quote! {
            ::paygen::__private::count(__value, #min, #max, #path, __report);
        });
    }
    if rules.nested {
        out.extend(quote! {
            ::paygen::Validate::validate_into(__value, #path, __report);
        });
    }
    if let Some(each) = &rules.each {
        let item_checks = value_checks(each, &quote!(__item_path));
        out.extend(quote! {
            ::paygen::__private::Each::each(__value, #path, &mut |__item_path, __value| {
                #item_checks
            });
        });
    }
    out
}

fn field_checks(field: &Field) -> TokenStream {
    if field.rules.is_empty() {
        return TokenStream::new();
    }
    let ident = &field.ident;
    let wire_name = &field.wire_name;
    let checks = value_checks(&field.rules, &quote!(&__field_path));
    let body = if field.optional {
        let missing = if field.rules.required {
            quote!(::paygen::__private::missing(&__field_path, __report);)
        } else {
            TokenStream::new()
        };
        quote! {
            match &self.#ident {
                ::core::option::Option::Some(__value) => { #checks }
                ::core::option::Option::None => { #missing }
            }
        }
    } else {
        quote! {
            let __value = &self.#ident;
            #checks
        }
    };
    let field_path = if field.flatten {
        quote!(*__path)
    } else {
        quote!(__path.field(#wire_name))
    };
    quote! {
        {
            let __field_path = #field_path;
            #body
        }
    }
}

/// Lookups of every segment of `path`, each an `Option<&T>` named
/// `{prefix}{i}`, plus the path (below `__path`) of the last one, named
/// `{prefix}_path`, built only where `render` is spliced in.
struct Lookup {
    steps: TokenStream,
    value: syn::Ident,
    render: TokenStream,
    path: syn::Ident,
}

fn lookup(path: &FieldPath, prefix: &str) -> Lookup {
    let mut steps = TokenStream::new();
    let mut render = TokenStream::new();
    let mut previous_value: Option<syn::Ident> = None;
    let mut previous_path = format_ident!("__path");
    for (i, segment) in path.segments.iter().enumerate() {
        let value = format_ident!("{}{}", prefix, i);
        let segment_path = format_ident!("{}_path{}", prefix, i);
        match &previous_value {
            None => {
                let wire = &path.first_wire_name;
                steps.extend(quote! {
                    let #value = (&::paygen::__private::Probe(&self.#segment)).lookup();
                });
                render.extend(quote! {
                    let #segment_path = #previous_path.field(#wire);
                });
            }
            Some(previous) => {
                let rust_name = segment.to_string();
                steps.extend(quote! {
                    let #value = match #previous {
                        ::core::option::Option::Some(__x) => {
                            (&::paygen::__private::Probe(&__x.#segment)).lookup()
                        }
                        ::core::option::Option::None => ::core::option::Option::None,
                    };
                });
                render.extend(quote! {
                    let #segment_path = #previous_path.field(
                        ::paygen::__private::wire_name_in(#previous, #rust_name),
                    );
                });
            }
        }
        previous_value = Some(value);
        previous_path = segment_path;
    }
    Lookup {
        steps,
        value: previous_value.expect("a path has at least one segment"),
        render,
        path: previous_path,
    }
}

fn cross_checks(rule: &CrossRule) -> TokenStream {
    let target = lookup(&rule.field, "__a");
    let other = lookup(&rule.other, "__b");
    let (a_steps, a, a_render, a_path) =
        (&target.steps, &target.value, &target.render, &target.path);
    let (b_steps, b, b_render, b_path) = (&other.steps, &other.value, &other.render, &other.path);
    let equals = opt(rule.equals.as_deref());
    let check = match rule.kind {
        CrossKind::RequiredIf => quote! {
            let __missing = match #a {
                ::core::option::Option::Some(__value) => {
                    (&::paygen::__private::Probe(__value)).is_blank()
                }
                ::core::option::Option::None => true,
            };
            if __missing && ::paygen::__private::condition_holds(#b, #equals) {
                #a_render
                #b_render
                ::paygen::__private::required_if(&#b_path.to_string(), #equals, &#a_path, __report);
            }
        },
        CrossKind::OnlyIf => quote! {
            if #a.is_some() && !::paygen::__private::condition_holds(#b, #equals) {
                #a_render
                #b_render
                ::paygen::__private::only_if(&#b_path.to_string(), #equals, &#a_path, __report);
            }
        },
        CrossKind::MinimumWhen => {
            let minimum = rule.minimum.as_deref().unwrap_or("0");
            quote! {
                if let ::core::option::Option::Some(__value) = #a {
                    if ::paygen::__private::condition_holds(#b, #equals)
                        && ::paygen::__private::below(__value, #minimum)
                    {
                        #a_render
                        #b_render
                        ::paygen::__private::below_minimum_when(
                            #minimum, &#b_path.to_string(), #equals, &#a_path, __report,
                        );
                    }
                }
            }
        }
        CrossKind::NotLessThan => quote! {
            if let (::core::option::Option::Some(__value), ::core::option::Option::Some(__other)) = (#a, #b) {
                if __value < __other {
                    #a_render
                    #b_render
                    ::paygen::__private::less_than_other(
                        __value, __other, &#b_path.to_string(), &#a_path, __report,
                    );
                }
            }
        },
    };
    quote! {
        {
            #a_steps
            #b_steps
            #check
        }
    }
}

/// The check that at least one field of `group` is present.
fn any_of_check(group: &[FieldPath]) -> TokenStream {
    let lookups: Vec<Lookup> = group
        .iter()
        .enumerate()
        .map(|(i, path)| lookup(path, &format!("__any{i}_")))
        .collect();
    let steps = lookups.iter().map(|l| &l.steps);
    let absent = lookups.iter().map(|l| {
        let value = &l.value;
        quote! {
            match #value {
                ::core::option::Option::Some(__value) => (&::paygen::__private::Probe(__value)).is_blank(),
                ::core::option::Option::None => true,
            }
        }
    });
    let names = group.iter().map(|p| {
        let mut name = p.first_wire_name.clone();
        for segment in p.segments.iter().skip(1) {
            name.push('.');
            name.push_str(&segment.to_string());
        }
        name
    });
    quote! {
        {
            #(#steps)*
            if true #(&& #absent)* {
                ::paygen::__private::any_of(&[#(#names),*], __path, __report);
            }
        }
    }
}

/// The checks of an enum's variant, each at its key's path (or, untagged,
/// at the enum's own).
fn variant_checks(model: &Model) -> TokenStream {
    if model.variants.is_empty() {
        TokenStream::new()
    } else {
        let arms = model.variants.iter().map(|v| {
            let ident = &v.ident;
            let wire_name = &v.wire_name;
            if wire_name.is_empty() {
                return quote! {
                    Self::#ident(__value) => {
                        ::paygen::Validate::validate_into(__value, __path, __report);
                    }
                };
            }
            quote! {
                Self::#ident(__value) => {
                    ::paygen::Validate::validate_into(__value, &__path.field(#wire_name), __report);
                }
            }
        });
        quote! {
            match self {
                #(#arms)*
            }
        }
    }
}

fn validate_impl(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let fields = model.fields.iter().map(field_checks);
    let cross = model.cross_rules.iter().map(cross_checks);
    let any_of = model.any_of.iter().map(|group| any_of_check(group));
    let variants = variant_checks(model);
    let renamed = model
        .fields
        .iter()
        .filter(|f| f.ident != f.wire_name.as_str())
        .map(|f| {
            let rust_name = f.ident.to_string();
            let wire_name = &f.wire_name;
            quote!(#rust_name => #wire_name,)
        })
        .collect::<Vec<_>>();
    let wire_field_name = if renamed.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            #[inline]
            fn wire_field_name(field: &'static str) -> &'static str
            where
                Self: ::core::marker::Sized,
            {
                match field {
                    #(#renamed)*
                    _ => field,
                }
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics ::paygen::Validate for #ident #ty_generics #where_clause {
            #[allow(unused_variables, unused_imports, clippy::needless_borrow)]
            #[inline]
            fn validate_into(
                &self,
                __path: &::paygen::Path<'_>,
                __report: &mut ::paygen::ValidationReport,
            ) {
                use ::paygen::__private::{
                    BlankAny as _, BlankText as _, LookupOption as _, LookupValue as _,
                };
                #(#fields)*
                #(#cross)*
            #(#any_of)*
                #variants
            }
            #wire_field_name
        }
    }
}

fn body_impl(model: &Model, body: Body) -> TokenStream {
    let ident = &model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let (encoding, encode) = match body {
        Body::Json => (
            quote!(Json),
            quote!(::paygen::__private::encode_json(self, __out)),
        ),
        Body::Multipart => (
            quote!(Multipart),
            quote!(::paygen::__private::encode_multipart_body(self, __out)),
        ),
        Body::Form => {
            let json_fields = model
                .fields
                .iter()
                .filter(|f| f.json_in_form)
                .map(|f| &f.wire_name);
            (
                quote!(Form),
                quote!(::paygen::__private::encode_form_body(self, &[#(#json_fields),*], __out)),
            )
        }
    };
    // The body's idempotency key, when a field is one: set, the call is safe
    // to send again.
    let idempotent = model.fields.iter().find(|f| f.idempotency_key).map(|f| {
        let field = &f.ident;
        let set = if f.optional {
            quote!(self.#field.is_some())
        } else {
            quote!(true)
        };
        quote! {
            #[inline]
            fn idempotent(&self) -> bool {
                #set
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::paygen::RequestBody for #ident #ty_generics #where_clause {
            const ENCODING: ::paygen::BodyEncoding = ::paygen::BodyEncoding::#encoding;

            #[inline]
            fn encode_body_into(
                &self,
                __out: &mut ::std::vec::Vec<u8>,
            ) -> ::core::result::Result<(), ::paygen::EncodeError> {
                #encode
            }

            #idempotent
        }
    }
}

/// The impls for a model that checked cleanly.
pub fn impls(model: &Model) -> TokenStream {
    let mut out = validate_impl(model);
    if let Some(body) = model.body {
        out.extend(body_impl(model, body));
    }
    out
}

/// Impls that compile whatever the attributes said, emitted next to the
/// errors so that users see those errors and not a cascade of missing impls.
pub fn fallback(input: &syn::DeriveInput, with_body: bool) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut out = quote! {
        #[automatically_derived]
        impl #impl_generics ::paygen::Validate for #ident #ty_generics #where_clause {
            fn validate_into(&self, _: &::paygen::Path<'_>, _: &mut ::paygen::ValidationReport) {}
        }
    };
    if with_body {
        out.extend(quote! {
            #[automatically_derived]
            impl #impl_generics ::paygen::RequestBody for #ident #ty_generics #where_clause {
                const ENCODING: ::paygen::BodyEncoding = ::paygen::BodyEncoding::Json;

                fn encode_body_into(
                    &self,
                    _: &mut ::std::vec::Vec<u8>,
                ) -> ::core::result::Result<(), ::paygen::EncodeError> {
                    ::core::unreachable!("the derive reported errors")
                }
            }
        });
    }
    out
}
