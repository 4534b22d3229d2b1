//! Emits a gateway's `Client`: construction from credentials and environment,
//! and one short async method per operation over an `Operation` description
//! the runtime executes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::Names;
use super::{docs, ident};
use crate::ir::{Auth, Credential, Gateway, Operation, TokenUrl};
use crate::naming;

/// The std names the client file uses, spelled out in full where one of the
/// gateway's own types takes the name.
struct Std {
    string: syn::Type,
    option: syn::Type,
    result: syn::Type,
    into: syn::Type,
}

impl Std {
    fn new(names: &Names) -> Self {
        Std {
            string: names.path("String", &["std", "string", "String"]),
            option: names.path("Option", &["core", "option", "Option"]),
            result: names.path("Result", &["core", "result", "Result"]),
            into: names.path("Into", &["core", "convert", "Into"]),
        }
    }
}

/// What a client takes for `auth`: its arguments, the `rt::Auth` built from
/// them, and a sentence saying how it is sent.
fn auth_parts(auth: &Auth, std: &Std) -> (Vec<TokenStream>, TokenStream, String) {
    let Std { string, into, .. } = std;
    match auth {
        Auth::Basic { username, password } => {
            let user = ident(&username.arg);
            let mut args = vec![quote!(#user: impl #into<#string>)];
            let mut doc = format!(
                "HTTP Basic authentication with `{}` as user name",
                username.arg
            );
            let password_value = match password {
                Some(p) => {
                    let pass = ident(&p.arg);
                    args.push(quote!(#pass: impl #into<#string>));
                    doc.push_str(&format!(" and `{}` as password", p.arg));
                    value_of(p)
                }
                None => {
                    doc.push_str(" and an empty password");
                    quote!(#string::new())
                }
            };
            let user_value = value_of(username);
            (
                args,
                quote!(rt::Auth::basic(#user_value, #password_value)),
                doc,
            )
        }
        Auth::Bearer { token, format } => {
            let arg = ident(&token.arg);
            let token_value = value_of(token);
            let what = format
                .as_ref()
                .map_or(String::new(), |f| format!(" (a {f})"));
            (
                vec![quote!(#arg: impl #into<#string>)],
                quote!(rt::Auth::bearer(#token_value)),
                format!(
                    "Bearer authentication: `{}`{what} in the `authorization` header",
                    token.arg
                ),
            )
        }
        Auth::ClientCredentials {
            client_id,
            client_secret,
            token_url,
        } => {
            let (id, secret) = (ident(&client_id.arg), ident(&client_secret.arg));
            let (id_value, secret_value) = (value_of(client_id), value_of(client_secret));
            let (url, where_) = match token_url {
                TokenUrl::OnServer(path) => (
                    quote!(rt::TokenUrl::OnServer(#string::from(#path))),
                    format!("`{path}` on the environment's host"),
                ),
                TokenUrl::Absolute(url) => (
                    quote!(rt::TokenUrl::Absolute(#string::from(#url))),
                    format!("`{url}`"),
                ),
            };
            (
                vec![
                    quote!(#id: impl #into<#string>),
                    quote!(#secret: impl #into<#string>),
                ],
                quote!(rt::Auth::client_credentials(#url, #id_value, #secret_value)),
                format!(
                    "OAuth 2 client credentials: a bearer token fetched from {where_} with \
                     `{}` and `{}`, shared by the client's clones, kept until shortly before \
                     it expires and fetched again once when the gateway answers 401",
                    client_id.arg, client_secret.arg
                ),
            )
        }
        Auth::Headers(headers) => {
            let args = headers.iter().map(|(_, c)| {
                let arg = ident(&c.arg);
                quote!(#arg: impl #into<#string>)
            });
            let pairs = headers.iter().map(|(header, c)| {
                let value = value_of(c);
                quote!((#header, #value))
            });
            let doc = headers
                .iter()
                .map(|(h, c)| format!("`{}` in the `{h}` header", c.arg))
                .collect::<Vec<_>>()
                .join(", ");
            (
                args.collect(),
                quote!(rt::Auth::headers(vec![#(#pairs),*])),
                format!("Header authentication: {doc}"),
            )
        }
    }
}

fn constructor(gateway: &Gateway, std: &Std) -> TokenStream {
    let string = &std.string;
    let (args, auth, doc) = auth_parts(&gateway.auth, std);
    let with_doc = format!(
        " This client (its connection pool, settings and options) authenticated as \
         another account: {doc}. For a platform that calls on behalf of each of its \
         merchants, with one connection pool for all of them; a setting that belongs \
         to the account (a merchant id) is set again with its `with_*` method."
    );
    let doc = format!(" A client for `environment`. {doc}.");
    let gateway_name = &gateway.name;
    let settings = gateway.settings.iter().map(|s| {
        let name = ident(&s.name);
        quote!(#name: None,)
    });
    // A credential whose keys say their environment is checked against it:
    // read (`KeyCheck`) before the credential moves into the auth headers.
    let prefixed: Vec<&Credential> = credentials(gateway)
        .into_iter()
        .filter(|c| c.prefixes.is_some())
        .collect();
    let read_keys: Vec<TokenStream> = prefixed
        .iter()
        .map(|c| {
            let arg = ident(&c.arg);
            let name = naming::unraw(&c.arg);
            let prefixes = c.prefixes.as_ref().expect("filtered on prefixes");
            let (sandbox, production) = (&prefixes.sandbox, &prefixes.production);
            let check = format_ident!("__{}_check", name);
            quote! {
                let #arg: #string = #arg.into();
                let #check = rt::KeyCheck::of(#name, &#arg, #sandbox, #production);
            }
        })
        .collect();
    let checks: Vec<TokenStream> = prefixed
        .iter()
        .map(|c| {
            let check = format_ident!("__{}_check", naming::unraw(&c.arg));
            quote!(.checked_key(#check))
        })
        .collect();
    quote! {
        #[doc = #doc]
        pub fn new(environment: paygen::Environment, #(#args),*) -> Self {
            let base_url = environment.base_url(Self::SANDBOX_URL, Self::PRODUCTION_URL);
            #(#read_keys)*
            Self {
                http: rt::HttpClient::new(#gateway_name, base_url, #auth)
                    .in_environment(&environment)
                    #(#checks)*,
                #(#settings)*
            }
        }

        #[doc = #with_doc]
        pub fn with_credentials(mut self, #(#args),*) -> Self {
            #(#read_keys)*
            self.http = self.http.with_auth(#auth) #(#checks)*;
            self
        }
    }
}

/// A credential's value as the auth headers take it: its argument made a
/// `String`, which a checked credential already is (see `constructor`).
fn value_of(credential: &Credential) -> TokenStream {
    let arg = ident(&credential.arg);
    match credential.prefixes {
        Some(_) => quote!(#arg),
        None => quote!(#arg.into()),
    }
}

/// The credentials a client is built with, in its constructor's order.
fn credentials(gateway: &Gateway) -> Vec<&Credential> {
    gateway.auth.credentials()
}

/// `from_env`: the environment, the credentials and the settings, each from
/// its variable.
fn from_env(gateway: &Gateway, std: &Std) -> TokenStream {
    let result = &std.result;
    let env_var = format!("{}_ENVIRONMENT", gateway.name.to_uppercase());
    let args = credentials(gateway).into_iter().map(|c| {
        let var = &c.env;
        quote!(rt::required_env(#var)?)
    });
    let settings = gateway.settings.iter().map(|s| {
        let with = format_ident!("{}", crate::naming::setter(&s.name));
        let var = &s.env;
        quote! {
            if let Some(value) = rt::optional_env(#var) {
                client = client.#with(value);
            }
        }
    });
    let mut vars: Vec<String> = credentials(gateway)
        .iter()
        .map(|c| format!("`{}`", c.env))
        .collect();
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
        pub fn from_env() -> #result<Self, paygen::ConfigError> {
            #binding = Self::new(paygen::Environment::from_env(#env_var)?, #(#args),*);
            #(#settings)*
            Ok(client)
        }
    }
}

/// A field, a getter and a builder method per setting.
fn settings(gateway: &Gateway, std: &Std) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let Std {
        string,
        option,
        into,
        ..
    } = std;
    gateway
        .settings
        .iter()
        .map(|s| {
            let name = ident(&s.name);
            let with = format_ident!("{}", crate::naming::setter(&s.name));
            let doc = docs(&s.doc);
            let (with_doc, send) = match &s.header {
                Some(header) => (
                    format!(
                        " Sets `{}`, sent as the `{header}` header of every call that leaves it unset.",
                        s.name
                    ),
                    quote!(self.http = self.http.with_setting_header(#header, &value);),
                ),
                None => (format!(" Sets `{}`.", s.name), TokenStream::new()),
            };
            (
                quote!(#name: #option<#string>,),
                quote! {
                    #doc
                    pub fn #name(&self) -> #option<&str> {
                        self.#name.as_deref()
                    }

                    #[doc = #with_doc]
                    pub fn #with(mut self, value: impl #into<#string>) -> Self {
                        let value: #string = value.into();
                        #send
                        self.#name = Some(value);
                        self
                    }
                },
            )
        })
        .unzip()
}

/// `with_<scheme>`: the credential some operations send instead of the
/// client's own.
fn operation_credentials(gateway: &Gateway, std: &Std) -> TokenStream {
    gateway
        .operation_credentials
        .iter()
        .map(|credential| {
            let (args, auth, how) = auth_parts(&credential.auth, std);
            let setter = ident(&credential.setter);
            let scheme = &credential.scheme;
            let operations: Vec<String> = gateway
                .operations()
                .filter(|op| op.credential.as_deref() == Some(scheme.as_str()))
                .map(|op| {
                    let name = crate::naming::unraw(&op.method_name);
                    format!("[`{name}`](Self::{name})")
                })
                .collect();
            let doc = format!(
                " The `{scheme}` credential ({how}), sent instead of the client's own by \
                 {}. Without it, those calls fail with \
                 `paygen::SetupError::CredentialNotSet` before anything is sent.",
                operations.join(", ")
            );
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, #(#args),*) -> Self {
                    self.http = self.http.with_operation_credential(#scheme, #auth);
                    self
                }
            }
        })
        .collect()
}

fn method(names: &Names, op: &Operation, gateway: &Gateway) -> TokenStream {
    let name = ident(&op.method_name);
    let mut op_doc = op.doc.clone();
    // `Some(("", ""))`: the operation's `security` is empty, so it sends none.
    let credential: Option<(&str, &str)> = match op.credential.as_deref() {
        None => None,
        Some("") => Some(("", "")),
        Some(scheme) => gateway
            .operation_credentials
            .iter()
            .find(|c| c.scheme == scheme)
            .map(|c| (c.scheme.as_str(), crate::naming::unraw(&c.setter))),
    };
    match credential {
        None => {}
        Some(("", _)) => {
            op_doc.push(String::new());
            op_doc.push("Sends no credentials: its `security` asks for none.".to_owned());
        }
        Some((scheme, setter)) => {
            op_doc.push(String::new());
            op_doc.push(format!(
                "Sends the `{scheme}` credential, set with [`{setter}`](Self::{setter}), instead of the client's own."
            ));
        }
    }
    let doc = docs(&op_doc);
    let response = names.ty(&op.response);
    let error = ident(&op.error);
    let constructor = format_ident!("{}", op.http_method.to_lowercase());
    let operation_name = crate::naming::unraw(&op.method_name);
    let path = &op.path;
    let (request_arg, request) = match &op.request {
        Some(r) if op.request_list => {
            let r = ident(r);
            (quote!(request: &Vec<#r>,), quote!(request))
        }
        Some(r) => {
            let r = ident(r);
            (quote!(request: &#r,), quote!(request))
        }
        None => (TokenStream::new(), quote!(&rt::NoBody)),
    };
    let (params_arg, params) = match &op.params_type {
        Some(t) => {
            let t = ident(t);
            (quote!(params: &#t,), quote!(params))
        }
        None => (TokenStream::new(), quote!(&())),
    };
    let credential_value = credential.map(
        |(scheme, setter)| quote!(rt::OperationCredential { scheme: #scheme, setter: #setter }),
    );
    let credential_arg = match &credential_value {
        None => quote!(None),
        Some(value) => quote!(Some(#value)),
    };
    let method_const = format_ident!("{}", op.http_method.to_uppercase());
    let prepare = format_ident!("prepare_{}", operation_name);
    let decode = format_ident!("decode_{}", operation_name);
    let prepare_doc = format!(
        " Builds [`{operation_name}`](Self::{operation_name})'s request, validated and encoded, \
         without sending it: for an outbox or a workflow engine that sends it itself (with \
         [`credentials_for`](Self::credentials_for)) and decodes the response with \
         [`{decode}`](Self::{decode})."
    );
    let decode_doc = format!(
        " Decodes the response to a request [`{prepare}`](Self::{prepare}) built, however it was \
         sent, as [`{operation_name}`](Self::{operation_name}) decodes its own."
    );
    let sans_io = quote! {
        #[doc = #prepare_doc]
        #[allow(clippy::result_large_err)]
        #[inline]
        pub fn #prepare(&self, #request_arg #params_arg) -> paygen::Result<paygen::PreparedRequest, #error> {
            self.http.prepare_call(
                paygen::reqwest::Method::#method_const,
                (#operation_name, #path),
                #credential_arg,
                #request,
                #params,
            )
        }

        #[doc = #decode_doc]
        #[allow(clippy::result_large_err)]
        #[inline]
        pub fn #decode(
            status: paygen::reqwest::StatusCode,
            headers: &paygen::reqwest::header::HeaderMap,
            body: &[u8],
        ) -> paygen::Result<#response, #error> {
            paygen::decode_response(status, headers, body)
        }
    };
    let call = match credential_value {
        None => quote!(self.http.#constructor(#operation_name, #path, #request, #params)),
        Some(value) => {
            let verb = format_ident!("{}_as", op.http_method.to_lowercase());
            quote!(self.http.#verb(#value, #operation_name, #path, #request, #params))
        }
    };
    quote! {
        #doc
        pub async fn #name(&self, #request_arg #params_arg) -> paygen::Result<#response, #error> {
            #call.await
        }

        #sans_io
    }
}

/// `<method>_pages`: every item of a paged list, page by page.
fn pages_method(names: &Names, op: &Operation, pages: &crate::ir::Pages) -> TokenStream {
    let method = ident(&op.method_name);
    let name = format_ident!("{}_pages", crate::naming::unraw(&op.method_name));
    let params_type = ident(op.params_type.as_deref().unwrap_or_default());
    let item = names.ty(&pages.item);
    let error = ident(&op.error);
    let (items, count, skip) = (ident(&pages.items), ident(&pages.count), ident(&pages.skip));
    let default_count = proc_macro2::Literal::i64_unsuffixed(pages.default_count);
    let doc = format!(
        " Every item [`{}`](Self::{}) lists, asking for one page after another (`{}` items a page, from `{}`), until a page comes back short.",
        crate::naming::unraw(&op.method_name),
        crate::naming::unraw(&op.method_name),
        crate::naming::unraw(&pages.count),
        crate::naming::unraw(&pages.skip),
    );
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn #name(&self, params: #params_type) -> paygen::Pages<#item, #error> {
            let client = self.clone();
            let (count, skip) = (params.#count.unwrap_or(#default_count), params.#skip.unwrap_or(0));
            paygen::Pages::offset(count, skip, move |skip| {
                let (client, mut params) = (client.clone(), params.clone());
                params.#skip = Some(skip);
                Box::pin(async move { client.#method(&params).await.map(|page| page.#items) })
            })
        }
    }
}

/// The client file of a gateway.
pub fn client(gateway: &Gateway) -> TokenStream {
    let names = Names {
        shadowed: &gateway.shadowed,
    };
    let std = Std::new(&names);
    let result = &std.result;
    let title = &gateway.title;
    let doc = format!(" A client for {title}. Cloning is cheap: clones share one connection pool.");
    let sandbox = &gateway.sandbox_url;
    let production = &gateway.production_url;
    let constructor = constructor(gateway, &std);
    let from_env = from_env(gateway, &std);
    let (setting_fields, setting_methods) = settings(gateway, &std);
    let operation_credentials = operation_credentials(gateway, &std);
    let public_key = gateway.encrypts.then(|| {
        quote! {
            /// Encrypts the request fields the spec marks `x-encrypted` with the
            /// gateway's RSA public key (PEM, `BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`).
            /// Without it, a request with a plain value in such a field is not sent.
            pub fn with_public_key_pem(mut self, pem: &str) -> #result<Self, paygen::KeyError> {
                self.http = self.http.with_encryption_key(paygen::EncryptionKey::from_pem(pem)?);
                Ok(self)
            }
        }
    });
    quote! {
        #![doc = " The gateway's client: one method per operation."]

        #[allow(unused_imports)]
        use super::*;
        use paygen::__private as rt;

        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            http: rt::HttpClient,
            #(#setting_fields)*
        }

        impl Client {
            /// The sandbox server, for test credentials.
            pub const SANDBOX_URL: &'static str = #sandbox;
            /// The production server: real money moves.
            pub const PRODUCTION_URL: &'static str = #production;

            #constructor

            #from_env

            rt::client_methods!();

            #(#setting_methods)*

            #operation_credentials

            #public_key
        }
    }
}

/// The methods of the gateway's operations `range` (in the order of
/// [`Gateway::operations`]), as `impl Client { .. }`: formatted apart and
/// spliced into the `impl` block [`client`] ends with, so that a gateway of
/// thousands of operations is formatted on every core.
pub fn operation_methods(gateway: &Gateway, range: std::ops::Range<usize>) -> TokenStream {
    let names = Names {
        shadowed: &gateway.shadowed,
    };
    let take = range.end.saturating_sub(range.start);
    let mut members = TokenStream::new();
    // Moved in, not interpolated: a piece may have thousands of methods.
    members.extend(
        gateway
            .operations()
            .skip(range.start)
            .take(take)
            .flat_map(|op| {
                let call = method(&names, op, gateway);
                let pages = op
                    .pages
                    .as_ref()
                    .map(|pages| pages_method(&names, op, pages));
                [call, pages.unwrap_or_default()]
            }),
    );
    // In a group of its own: interpolated into `impl Client { .. }` by
    // `quote!`, the methods would be copied once more.
    let members = proc_macro2::Group::new(proc_macro2::Delimiter::Brace, members);
    quote!(impl Client #members)
}
