//! Turns the IR into Rust, one file at a time: syntax trees for the types,
//! tokens for the rest. Every decision was made in `lower`, so this only
//! writes code.

mod client;
mod example;
mod rust_type;
mod syntax;
mod types;
mod webhooks;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Gateway;

/// One generated file before formatting: its path below the output folder,
/// the spec it came from (for the header) and its contents.
pub struct EmittedFile {
    /// Path relative to the output folder.
    pub path: PathBuf,
    /// The spec file or folder it was generated from, relative to the specs folder.
    pub source: String,
    /// The file's contents, in order.
    pub parts: Vec<Part>,
}

/// A piece of a generated file.
// The items end in a `syn::File`, which holds them unboxed: a box each would
// only add an allocation per item.
#[allow(clippy::large_enum_variant)]
pub enum Part {
    /// An item built as a syntax tree (see [`syntax`]).
    Item(syn::Item),
    /// Inner attributes and items as tokens, parsed when formatted.
    Tokens(TokenStream),
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
    let attrs = syntax::doc_attrs(lines);
    quote!(#(#attrs)*)
}

/// One generated file, named by what it is made from. Planned first and
/// emitted one by one, so that each file's tokens (which are not `Send`) are
/// made, formatted and dropped on one thread, and files go in parallel.
#[derive(Clone, Copy)]
pub enum Planned<'a> {
    /// A spec file's module (types, parameter structs, error enums).
    Module(&'a Gateway, &'a crate::ir::Module),
    /// A gateway's `client.rs`, up to its operations' methods.
    Client(&'a Gateway),
    /// The methods of a gateway's operations `start..end`, for the
    /// `client.rs` planned before them.
    ClientOperations(&'a Gateway, usize, usize),
    /// A gateway's `mod.rs`.
    GatewayModule(&'a Gateway),
    /// The folder's `mod.rs`, declaring every gateway.
    Index,
}

/// How files are emitted: the settings that are not in the IR.
pub struct Settings<'a> {
    /// The path consumers reach the gateway modules by, for the example on
    /// each gateway module's page (`None`: no example).
    pub example_path: Option<&'a str>,
    /// Whether each gateway module is behind a cargo feature of its name.
    pub features: bool,
}

/// How many operations' methods are formatted as one piece of a client.
pub const OPERATIONS_PER_PIECE: usize = 100;

/// Every file the gateways make, in a fixed order: each gateway's client
/// first, as it has a method for every operation and is the largest file, so
/// that it does not start last and keep one core busy alone. A client's
/// operations come in pieces of `per_piece` right after it, each formatted
/// apart (on any core) and joined by [`write::join`](crate::write::join).
pub fn plan(gateways: &[Gateway], per_piece: usize) -> Vec<Planned<'_>> {
    let per_piece = per_piece.max(1);
    let mut files = Vec::new();
    for gateway in gateways {
        if gateway.client {
            files.push(Planned::Client(gateway));
            let operations = gateway.operations().count();
            files.extend((0..operations).step_by(per_piece).map(|start| {
                Planned::ClientOperations(
                    gateway,
                    start,
                    start.saturating_add(per_piece).min(operations),
                )
            }));
        }
        for module in gateway.modules.iter().filter(|m| has_file(m)) {
            files.push(Planned::Module(gateway, module));
        }
        files.push(Planned::GatewayModule(gateway));
    }
    files.push(Planned::Index);
    files
}

/// What one planned piece emits.
pub enum Emitted {
    /// A whole file.
    File(EmittedFile),
    /// `impl` members for the file emitted before them, as `impl X { .. }`.
    Members(TokenStream),
}

/// The tokens of one planned piece.
pub fn emit(planned: Planned<'_>, gateways: &[Gateway], settings: &Settings<'_>) -> Emitted {
    let file = match planned {
        Planned::Module(gateway, module) => {
            let names = types::Names {
                shadowed: &gateway.shadowed,
            };
            module_file(&PathBuf::from(&gateway.name), &names, module)
        }
        Planned::Client(gateway) => EmittedFile {
            path: PathBuf::from(&gateway.name).join("client.rs"),
            source: format!("{}/", gateway.name),
            parts: vec![Part::Tokens(client::client(gateway))],
        },
        Planned::ClientOperations(gateway, start, end) => {
            return Emitted::Members(client::operation_methods(gateway, start..end))
        }
        Planned::GatewayModule(gateway) => gateway_module(gateway, settings.example_path),
        Planned::Index => gateways_index(gateways, settings.features),
    };
    Emitted::File(file)
}

/// Whether a spec file's module has a file of its own: types, parameter
/// structs or error enums to declare.
fn has_file(module: &crate::ir::Module) -> bool {
    !module.types.is_empty()
        || module.webhooks.is_some()
        || module.operations.iter().any(|op| {
            op.params_type.is_some() || op.error_answers.is_some() || op.success_answers.is_some()
        })
}

/// A gateway's `mod.rs`: its page (with the example), its modules and the
/// secret fields' wire names.
fn gateway_module(gateway: &Gateway, example_path: Option<&str>) -> EmittedFile {
    let mut lines = vec![gateway.title.clone()];
    if !gateway.doc.is_empty() {
        lines.push(String::new());
        lines.extend(gateway.doc.iter().cloned());
    }
    if let Some(path) = example_path.filter(|_| gateway.client) {
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
    let module_items = gateway
        .modules
        .iter()
        .filter(|m| has_file(m))
        .map(|module| {
            let name = ident(&module.name);
            quote! {
                mod #name;
                pub use #name::*;
            }
        });
    let secret_fields = &gateway.secret_fields;
    let client = gateway.client.then(|| {
        quote! {
            mod client;
            pub use client::Client;
        }
    });
    EmittedFile {
        path: PathBuf::from(&gateway.name).join("mod.rs"),
        source: format!("{}/", gateway.name),
        parts: vec![Part::Tokens(quote! {
            #(#module_doc)*

            // A union holds its choice inline, as large as its largest (a
            // card next to a UPI address): the choice is the value sent or
            // received, made once, so a box would only add an allocation.
            #![allow(clippy::large_enum_variant)]

            #[allow(unused_imports)]
            use paygen::__private::prelude::*;

            #client

            #(#module_items)*

            /// The wire names of the fields the specs mark secret: paygen masks the
            /// values under these keys in payloads it cannot type.
            #[doc(hidden)]
            pub const SECRET_FIELDS: &[&str] = &[#(#secret_fields),*];
        })],
    }
}

/// One spec file's module: its types, parameter structs and error enums.
fn module_file(
    dir: &std::path::Path,
    names: &types::Names,
    module: &crate::ir::Module,
) -> EmittedFile {
    let doc = format!(" {}: request, response and parameter types.", module.title);
    let mut parts = vec![Part::Tokens(quote! {
        #![doc = #doc]

        #[allow(unused_imports)]
        use super::*;
    })];
    for t in &module.types {
        parts.push(Part::Item(types::type_def(names, t)));
        if !t.error_fields.is_empty() {
            parts.push(Part::Tokens(types::gateway_error_impl(t)));
        }
    }
    parts.extend(module.operations.iter().filter_map(|op| {
        let params = op.params_type.as_ref()?;
        Some(Part::Item(types::params_def(names, op, params)))
    }));
    parts.extend(module.operations.iter().filter_map(|op| {
        let answers = op.success_answers.as_ref()?;
        Some(Part::Tokens(types::status_answers_def(op, answers, true)))
    }));
    parts.extend(module.operations.iter().filter_map(|op| {
        let answers = op.error_answers.as_ref()?;
        Some(Part::Tokens(types::status_answers_def(op, answers, false)))
    }));
    if let Some(hooks) = &module.webhooks {
        parts.push(Part::Tokens(webhooks::webhooks_def(
            names,
            &module.title,
            hooks,
        )));
    }
    EmittedFile {
        path: dir.join(format!("{}.rs", crate::naming::unraw(&module.name))),
        source: module.spec_file.clone(),
        parts,
    }
}

/// The folder's `mod.rs`, declaring each gateway module, behind a cargo
/// feature of the same name when `features` is set.
fn gateways_index(gateways: &[Gateway], features: bool) -> EmittedFile {
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
        parts: vec![Part::Tokens(quote! {
            #![doc = " The generated gateway modules, one per folder of the specs."]

            #(#modules)*
        })],
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens as _;

    use super::{client, EmittedFile, Part, Settings};

    /// A client formatted in pieces of any size reads as the client
    /// formatted whole: one syntax tree, its operations' methods parsed into
    /// the client's own `impl` block.
    #[test]
    fn a_client_formatted_in_pieces_reads_as_one() {
        let root = crate::workspace_root();
        let generator =
            crate::Generator::new(root.join("specs"), root.join("generated/src/gateways"));
        let output = generator.render().expect("specs/ generate");
        let gateway = output
            .gateways
            .iter()
            .find(|g| g.name == "razorpay")
            .unwrap();
        let operations = gateway.operations().count();
        assert!(operations > 20, "{operations}");

        let mut whole: syn::File = syn::parse2(client::client(gateway)).unwrap();
        let methods: syn::File =
            syn::parse2(client::operation_methods(gateway, 0..operations)).unwrap();
        let (Some(syn::Item::Impl(block)), [syn::Item::Impl(methods)]) =
            (whole.items.last_mut(), &methods.items[..])
        else {
            panic!("the client ends with its impl block, the methods are one")
        };
        block.items.extend(methods.items.iter().cloned());
        let whole = crate::write::render(
            EmittedFile {
                path: "razorpay/client.rs".into(),
                source: "razorpay/".into(),
                parts: vec![Part::Tokens(whole.into_token_stream())],
            },
            &generator.spec_label,
            &generator.regenerate,
        );

        let settings = Settings {
            example_path: None,
            features: true,
        };
        for per_piece in [1, 7, operations, usize::MAX] {
            let pieces = generator.format(&output.gateways, &settings, per_piece);
            let client = pieces.iter().find(|f| f.path == whole.path).unwrap();
            assert_eq!(client.contents, whole.contents, "pieces of {per_piece}");
        }
    }
}
