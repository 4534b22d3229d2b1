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
    let settings = gateway.settings.iter().map(|s| {
        let name = ident(&s.name);
        quote!(#name: ::core::option::Option::None,)
    });
    quote! {
        #[doc = #doc]
        pub fn new(environment: ::paygen::Environment, #(#args),*) -> Self {
            let base_url = environment.base_url(Self::SANDBOX_URL, Self::PRODUCTION_URL);
            Self {
                http: ::paygen::runtime::client::HttpClient::new(base_url, #auth),
                #(#settings)*
            }
        }
    }
}

/// `from_env`: the environment, the credentials and the settings, each from
/// its variable.
fn from_env(gateway: &Gateway) -> TokenStream {
    let env_var = format!("{}_ENVIRONMENT", gateway.name.to_uppercase());
    let credentials: Vec<&crate::ir::Credential> = match &gateway.auth {
        Auth::Basic { username, password } => {
            std::iter::once(username).chain(password.as_ref()).collect()
        }
        Auth::Headers(headers) => headers.iter().map(|(_, c)| c).collect(),
    };
    let reads = credentials.iter().map(|c| {
        let arg = ident(&c.arg);
        let var = &c.env;
        quote!(let #arg = ::paygen::runtime::client::required_env(#var)?;)
    });
    let args = credentials.iter().map(|c| ident(&c.arg));
    let settings = gateway.settings.iter().map(|s| {
        let name = ident(&s.name);
        let var = &s.env;
        quote!(client.#name = ::paygen::runtime::client::optional_env(#var);)
    });
    let mut vars: Vec<String> = credentials.iter().map(|c| format!("`{}`", c.env)).collect();
    vars.extend(
        gateway
            .settings
            .iter()
            .map(|s| format!("`{}` (optional)", s.env)),
    );
    let doc = format!(
        " A client configured from the environment: `{env_var}` (`sandbox` when unset, `production`, or a base URL), {}.",
        vars.join(", ")
    );
    let binding = if gateway.settings.is_empty() {
        quote!(let client)
    } else {
        quote!(let mut client)
    };
    quote! {
        #[doc = #doc]
        pub fn from_env() -> ::core::result::Result<Self, ::paygen::ConfigError> {
            let environment = ::paygen::Environment::from_env(#env_var)?;
            #(#reads)*
            #binding = Self::new(environment, #(#args),*);
            #(#settings)*
            ::core::result::Result::Ok(client)
        }
    }
}

/// A field, a getter and a builder method per setting.
fn settings(gateway: &Gateway) -> (Vec<TokenStream>, Vec<TokenStream>) {
    gateway
        .settings
        .iter()
        .map(|s| {
            let name = ident(&s.name);
            let with = quote::format_ident!("with_{}", crate::naming::unraw(&s.name));
            let doc = docs(&s.doc);
            let with_doc = format!(" Sets `{}`.", s.name);
            (
                quote! {
                    #name: ::core::option::Option<::std::string::String>,
                },
                quote! {
                    #doc
                    pub fn #name(&self) -> ::core::option::Option<&str> {
                        self.#name.as_deref()
                    }

                    #[doc = #with_doc]
                    pub fn #with(mut self, value: impl ::core::convert::Into<::std::string::String>) -> Self {
                        self.#name = ::core::option::Option::Some(value.into());
                        self
                    }
                },
            )
        })
        .unzip()
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

fn method(gateway: &Gateway, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let doc = docs(&op.doc);
    let response = ident(&op.response);
    let error = ident(&op.error);
    let http_method = ident(&op.http_method);
    let path = path_expr(op);
    let gateway_name = &gateway.name;
    let operation_name = crate::naming::unraw(&op.method_name);
    let idempotent = match op.params.iter().find(|p| p.idempotency_key) {
        Some(p) => {
            let field = ident(&p.rust);
            quote!(params.#field.is_some())
        }
        None => quote!(false),
    };
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
    let params = if op.params_type.is_some() {
        quote!(params,)
    } else {
        quote!(params: &(),)
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
                gateway: #gateway_name,
                operation: #operation_name,
                method: ::paygen::runtime::client::Method::#http_method,
                path: #path,
                headers,
                #params
                idempotent: #idempotent,
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
    let from_env = from_env(gateway);
    let (setting_fields, setting_methods) = settings(gateway);
    let public_key = gateway.encrypts.then(|| {
        quote! {
            /// Encrypts the request fields the spec marks `x-encrypted` with the
            /// gateway's RSA public key (PEM, `BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`).
            /// Without it, a request with a plain value in such a field is not sent.
            pub fn with_public_key_pem(mut self, pem: &str) -> ::core::result::Result<Self, ::paygen::KeyError> {
                self.http = self.http.with_encryption_key(::paygen::EncryptionKey::from_pem(pem)?);
                ::core::result::Result::Ok(self)
            }
        }
    });
    let methods = gateway.operations().map(|op| method(gateway, op));
    quote! {
        #![doc = " The gateway's client: one method per operation."]

        #[allow(unused_imports)]
        use super::*;

        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            http: ::paygen::runtime::client::HttpClient,
            #(#setting_fields)*
        }

        impl Client {
            /// The sandbox server, for test credentials.
            pub const SANDBOX_URL: &'static str = #sandbox;
            /// The production server: real money moves.
            pub const PRODUCTION_URL: &'static str = #production;

            #constructor

            #from_env

            /// Uses `timeouts` for every call (default: 10 s to connect, 30 s per attempt).
            pub fn with_timeouts(mut self, timeouts: ::paygen::Timeouts) -> Self {
                self.http = self.http.with_timeouts(timeouts);
                self
            }

            /// Uses `retry` for every call (default: [`paygen::RetryPolicy::default`]).
            pub fn with_retry(mut self, retry: ::paygen::RetryPolicy) -> Self {
                self.http = self.http.with_retry(retry);
                self
            }

            #(#setting_methods)*

            #public_key

            /// Builds the HTTP client with `customize` applied to reqwest's builder
            /// (proxies, TLS roots, default headers). paygen's own settings are
            /// applied after it, in whatever order the `with_*` calls come: the
            /// timeouts, and no redirects.
            pub fn with_http_client<F>(mut self, customize: F) -> Self
            where
                F: ::core::ops::Fn(::paygen::reqwest::ClientBuilder) -> ::paygen::reqwest::ClientBuilder
                    + ::core::marker::Send
                    + ::core::marker::Sync
                    + 'static,
            {
                self.http = self.http.with_http_client(customize);
                self
            }

            /// Reads at most `limit` bytes of an answer's body (default
            /// [`paygen::DEFAULT_MAX_RESPONSE_BYTES`], 4 MiB); a longer one ends the
            /// call with [`paygen::Error::ResponseTooLarge`].
            pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
                self.http = self.http.with_max_response_bytes(limit);
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
