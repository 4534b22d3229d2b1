//! Emits a gateway's `Client`: construction from credentials and environment,
//! and one async method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::ir::{Auth, Gateway, Operation, ParamIn};

fn constructor(gateway: &Gateway) -> TokenStream {
    let (args, auth, doc) = match &gateway.auth {
        Auth::Basic { username, password } => {
            let user = ident(&username.arg);
            let mut args = vec![quote!(#user: impl ::core::convert::Into<::std::string::String>)];
            let mut doc = vec![format!(
                "HTTP Basic authentication with `{}` as user name",
                username.arg
            )];
            let password_value = match password {
                Some(p) => {
                    let pass = ident(&p.arg);
                    args.push(quote!(#pass: impl ::core::convert::Into<::std::string::String>));
                    doc.push(format!("and `{}` as password", p.arg));
                    quote!(::paygen::SecretString::from(#pass.into()))
                }
                None => {
                    doc.push("and an empty password".into());
                    quote!(::paygen::SecretString::from(::std::string::String::new()))
                }
            };
            (
                args,
                quote! {
                    ::paygen::runtime::client::Auth::Basic {
                        username: ::paygen::SecretString::from(#user.into()),
                        password: #password_value,
                    }
                },
                doc.join(" "),
            )
        }
        Auth::Headers(headers) => {
            let args = headers.iter().map(|(_, c)| {
                let arg = ident(&c.arg);
                quote!(#arg: impl ::core::convert::Into<::std::string::String>)
            });
            let pairs = headers.iter().map(|(header, c)| {
                let arg = ident(&c.arg);
                quote!((#header, ::paygen::SecretString::from(#arg.into())))
            });
            let doc = headers
                .iter()
                .map(|(h, c)| format!("`{}` in the `{h}` header", c.arg))
                .collect::<Vec<_>>()
                .join(", ");
            (
                args.collect(),
                quote!(::paygen::runtime::client::Auth::Headers(
                    ::std::vec![#(#pairs),*]
                )),
                format!("Header authentication: {doc}"),
            )
        }
    };
    let doc = format!(" A client for `environment`. {doc}.");
    quote! {
        #[doc = #doc]
        pub fn new(environment: ::paygen::Environment, #(#args),*) -> Self {
            let base_url = environment.base_url(Self::SANDBOX_URL, Self::PRODUCTION_URL);
            Self {
                http: ::paygen::runtime::client::HttpClient::new(base_url, #auth),
            }
        }
    }
}

fn path_expr(op: &Operation) -> TokenStream {
    let path = &op.path;
    if !op.params.iter().any(|p| p.location == ParamIn::Path) {
        return quote!(#path);
    }
    // `/customers/{customer_id}/x` becomes a format string with one argument per
    // parameter, each percent-encoded as a path segment.
    let mut format = String::new();
    let mut values = Vec::new();
    let mut rest = path.as_str();
    while let Some(start) = rest.find('{') {
        format.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        let name = &rest[start + 1..end];
        if let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == ParamIn::Path && p.wire == name)
        {
            let field = ident(&p.rust);
            values.push(quote!(::paygen::runtime::client::path_segment(&params.#field)));
        }
        format.push_str("{}");
        rest = &rest[(end + 1).min(rest.len())..];
    }
    format.push_str(rest);
    quote!(&::std::format!(#format, #(#values),*))
}

fn method(op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let doc = docs(&op.doc);
    let response = ident(&op.response);
    let error = ident(&op.error);
    let http_method = ident(&op.http_method);
    let path = path_expr(op);
    let (request_arg, request) = match &op.request {
        Some(r) => {
            let r = ident(r);
            (quote!(request: &#r,), quote!(request))
        }
        None => (
            TokenStream::new(),
            quote!(&::paygen::runtime::client::NoBody),
        ),
    };
    let (params_arg, headers) = match &op.params_type {
        Some(t) => {
            let t = ident(t);
            let headers: Vec<_> = op
                .params
                .iter()
                .filter(|p| p.location == ParamIn::Header)
                .collect();
            // Headers always sent go in the literal; optional ones are pushed.
            let always = headers
                .iter()
                .filter(|p| p.required || p.default.is_some())
                .map(|p| {
                    let field = ident(&p.rust);
                    let header = &p.wire;
                    match &p.default {
                        Some(default) if !p.required => {
                            quote!((#header, params.#field.as_deref().unwrap_or(#default)))
                        }
                        _ => quote!((#header, params.#field.as_str())),
                    }
                });
            let optional: Vec<TokenStream> = headers
                .iter()
                .filter(|p| !p.required && p.default.is_none())
                .map(|p| {
                    let field = ident(&p.rust);
                    let header = &p.wire;
                    quote! {
                        if let ::core::option::Option::Some(value) = &params.#field {
                            headers.push((#header, value.as_str()));
                        }
                    }
                })
                .collect();
            let binding = if optional.is_empty() {
                quote!(let headers)
            } else {
                quote!(let mut headers)
            };
            (
                quote!(params: &#t,),
                quote! {
                    #binding = ::std::vec![#(#always),*];
                    #(#optional)*
                },
            )
        }
        None => (
            TokenStream::new(),
            quote!(let headers = ::std::vec::Vec::new();),
        ),
    };
    quote! {
        #doc
        pub async fn #name(
            &self,
            #request_arg
            #params_arg
        ) -> ::core::result::Result<#response, ::paygen::Error<#error>> {
            #headers
            let call = ::paygen::runtime::client::Call {
                method: ::paygen::runtime::client::Method::#http_method,
                path: #path,
                headers,
            };
            self.http.send(call, #request).await
        }
    }
}

/// The client file of a gateway.
pub fn client(gateway: &Gateway) -> TokenStream {
    let title = &gateway.title;
    let doc = format!(" A client for {title}. Cloning is cheap: clones share one connection pool.");
    let sandbox = &gateway.sandbox_url;
    let production = &gateway.production_url;
    let constructor = constructor(gateway);
    let methods = gateway.operations().map(method);
    quote! {
        #![doc = " The gateway's client: one method per operation."]

        #[allow(unused_imports)]
        use super::*;

        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            http: ::paygen::runtime::client::HttpClient,
        }

        impl Client {
            /// The sandbox server, for test credentials.
            pub const SANDBOX_URL: &'static str = #sandbox;
            /// The production server: real money moves.
            pub const PRODUCTION_URL: &'static str = #production;

            #constructor

            /// Sends calls through `http` (proxies, TLS, timeouts) instead of a default client.
            pub fn with_http_client(mut self, http: ::paygen::reqwest::Client) -> Self {
                self.http = self.http.with_http_client(http);
                self
            }

            /// The base URL calls go to.
            pub fn base_url(&self) -> &str {
                self.http.base_url()
            }

            #(#methods)*
        }
    }
}
