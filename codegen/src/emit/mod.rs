//! Turns the IR into token streams, one per generated file; every decision
//! was made in `lower`, so this only writes tokens.

mod client;
mod example;
mod types;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Gateway;

/// One generated file before formatting: its path below the output folder,
/// the spec it came from (for the header) and its tokens.
pub struct EmittedFile {
    /// Path relative to the output folder.
    pub path: PathBuf,
    /// The spec file or folder it was generated from, relative to the specs folder.
    pub source: String,
    /// The file's items.
    pub tokens: TokenStream,
}

/// An identifier, raw where the name is a keyword (`r#type`).
pub(crate) fn ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => syn::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

/// One `#[doc]` attribute per line, so prettyplease prints `///` lines.
pub(crate) fn docs(lines: &[String]) -> TokenStream {
    lines
        .iter()
        .map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            quote!(#[doc = #line])
        })
        .collect()
}

/// The files of one gateway: `mod.rs`, `client.rs`, and one per spec file.
/// `example_path`: the path consumers reach the gateway modules by, for
/// the example on the gateway module's page (`None`: no example).
pub fn gateway(gateway: &Gateway, example_path: Option<&str>) -> Vec<EmittedFile> {
    let dir = PathBuf::from(&gateway.name);
    let mut files = Vec::new();
    let mut module_items = Vec::new();
    let mut lines = vec![gateway.title.clone()];
    if !gateway.doc.is_empty() {
        lines.push(String::new());
        lines.extend(gateway.doc.iter().cloned());
    }
    if let Some(path) = example_path {
        lines.push(String::new());
        lines.extend(example::module_example(gateway, path));
    }
    let module_doc = lines.iter().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let names = types::Names {
        shadowed: &gateway.shadowed,
    };
    for module in &gateway.modules {
        let has_params = module
            .operations
            .iter()
            .any(|op| op.params_type.is_some() || op.error_answers.is_some());
        if module.types.is_empty() && !has_params {
            continue;
        }
        let name = ident(&module.name);
        module_items.push(quote! {
            mod #name;
            pub use #name::*;
        });
        files.push(module_file(&dir, &names, module));
    }
    files.push(EmittedFile {
        path: dir.join("client.rs"),
        source: format!("{}/", gateway.name),
        tokens: client::client(gateway),
    });
    let secret_fields = &gateway.secret_fields;
    files.push(EmittedFile {
        path: dir.join("mod.rs"),
        source: format!("{}/", gateway.name),
        tokens: quote! {
            #(#module_doc)*

            #[allow(unused_imports)]
            use paygen::__private::prelude::*;

            mod client;
            pub use client::Client;

            #(#module_items)*

            /// The wire names of the fields the specs mark secret: paygen masks the
            /// values under these keys in payloads it cannot type.
            #[doc(hidden)]
            pub const SECRET_FIELDS: &[&str] = &[#(#secret_fields),*];
        },
    });
    files
}

/// One spec file's module: its types, parameter structs and error enums.
fn module_file(
    dir: &std::path::Path,
    names: &types::Names,
    module: &crate::ir::Module,
) -> EmittedFile {
    let doc = format!(" {}: request, answer and parameter types.", module.title);
    let defs = module.types.iter().map(|t| types::type_def(names, t));
    let params = module.operations.iter().filter_map(|op| {
        op.params_type
            .as_ref()
            .map(|t| types::params_def(names, op, t))
    });
    let errors = module.operations.iter().filter_map(|op| {
        op.error_answers
            .as_ref()
            .map(|answers| types::error_answers_def(op, answers))
    });
    EmittedFile {
        path: dir.join(format!("{}.rs", crate::naming::unraw(&module.name))),
        source: module.spec_file.clone(),
        tokens: quote! {
            #![doc = #doc]

            #[allow(unused_imports)]
            use super::*;

            #(#defs)*
            #(#params)*
            #(#errors)*
        },
    }
}

/// The folder's `mod.rs`, declaring each gateway module, behind a cargo
/// feature of the same name when `features` is set.
pub fn gateways_index(gateways: &[Gateway], features: bool) -> EmittedFile {
    let modules = gateways.iter().map(|g| {
        let name = ident(&g.name);
        let feature = &g.name;
        let doc = format!(" {}.", g.title);
        if features {
            quote! {
                #[doc = #doc]
                #[cfg(feature = #feature)]
                #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
                pub mod #name;
            }
        } else {
            quote! {
                #[doc = #doc]
                pub mod #name;
            }
        }
    });
    EmittedFile {
        path: PathBuf::from("mod.rs"),
        source: String::new(),
        tokens: quote! {
            #![doc = " The generated gateway modules, one per folder of the specs."]

            #(#modules)*
        },
    }
}
