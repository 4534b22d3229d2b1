//! Emits a file's webhooks as one enum: a variant per webhook holding its
//! decoded body, `decode` by the webhook's name, and a catch-all for names
//! the file does not list.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ident, types::Names};
use crate::ir::{TypeRef, Webhooks};

/// The enum of `webhooks`, its `impl`, and the function that reads the
/// catch-all's payload back with the gateway's secret fields masked.
pub fn webhooks_def(names: &Names, title: &str, webhooks: &Webhooks) -> TokenStream {
    let name = ident(&webhooks.name);
    let payload_fn = format_ident!("{}_payload", heck::AsSnakeCase(&webhooks.name).to_string());
    let payload_path = payload_fn.to_string();
    let doc =
        format!(" A webhook of {title}: what the gateway posts to your URL, its body decoded.");
    let variants = webhooks.events.iter().map(|w| {
        let rust = ident(&w.rust);
        let wire = &w.name;
        let doc = docs(&w.doc);
        let body = body_type(names, &w.body);
        quote! {
            #doc
            #[serde(rename = #wire)]
            #rust(#body),
        }
    });
    let names_list = webhooks.events.iter().map(|w| &w.name);
    let decode_arms = webhooks.events.iter().map(|w| {
        let rust = ident(&w.rust);
        let wire = &w.name;
        quote!(#wire => Self::#rust(paygen::__private::decode_webhook(raw_body)?),)
    });
    let string = names.ty(&TypeRef::String);
    let name_arms = webhooks.events.iter().map(|w| {
        let rust = ident(&w.rust);
        let wire = &w.name;
        quote!(Self::#rust(_) => #wire,)
    });
    quote! {
        #[doc = #doc]
        ///
        /// The gateway names the webhook by the URL it posts to, or in the
        /// body; [`Self::decode`] takes that name. It serializes for a queue
        /// (secrets masked, as every paygen type serializes them) and
        /// deserializes back.
        #[derive(Debug, Clone, PartialEq, paygen::__private::serde::Serialize, paygen::__private::serde::Deserialize)]
        #[serde(crate = "paygen::__private::serde", tag = "kind", content = "data")]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A webhook this file does not list, as JSON (masked in `Debug`).
            Other {
                /// The name it came under.
                name: #string,
                /// The whole delivery.
                #[serde(deserialize_with = #payload_path)]
                raw: paygen::webhooks::Payload,
            },
        }

        impl #name {
            /// The name of every webhook this file lists, in its order.
            pub const NAMES: &'static [&'static str] = &[#(#names_list),*];

            /// Decodes `raw_body`, delivered as the webhook `name`; a name
            /// not in [`Self::NAMES`] is [`Self::Other`]. Authenticate the
            /// delivery first, as the gateway documents (its signature, or
            /// the credentials it sends): anyone can post to a webhook URL.
            pub fn decode(name: &str, raw_body: &[u8]) -> ::core::result::Result<Self, paygen::WebhookError> {
                Ok(match name {
                    #(#decode_arms)*
                    _ => Self::Other {
                        name: name.to_owned(),
                        raw: paygen::__private::webhook_payload(raw_body, SECRET_FIELDS)?,
                    },
                })
            }

            /// The name the webhook came under.
            pub fn name(&self) -> &str {
                match self {
                    #(#name_arms)*
                    Self::Other { name, .. } => name,
                }
            }
        }

        fn #payload_fn<'de, D: paygen::__private::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::core::result::Result<paygen::webhooks::Payload, D::Error> {
            paygen::__private::deserialize_webhook_payload(deserializer, SECRET_FIELDS)
        }
    }
}

/// A named body is boxed: one delivery's body can be large, and the enum is
/// as large as its largest variant.
fn body_type(names: &Names, body: &TypeRef) -> syn::Type {
    match body {
        TypeRef::Named(name) => names.ty(&TypeRef::Boxed(name.clone())),
        other => names.ty(other),
    }
}
