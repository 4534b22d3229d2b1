//! Builds syntax trees directly for what a gateway has most of: its types,
//! their fields, attributes and type paths. These go to prettyplease as they
//! are, where tokens from `quote!` would first be parsed back into a tree
//! (measured: most of the time a large spec spent formatting).
//!
//! Only plain shapes are built here; an item with anything more (a `match`,
//! an `impl`) is written with `quote!` and parsed, as the rest of the emitter is.

use proc_macro2::{Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{
    AngleBracketedGenericArguments, AttrStyle, Attribute, Expr, ExprLit, Field, FieldMutability,
    Fields, FieldsNamed, FieldsUnnamed, GenericArgument, Ident, Lit, LitStr, MacroDelimiter, Meta,
    MetaList, MetaNameValue, Path, PathArguments, PathSegment, Type, TypePath, Variant, Visibility,
};

/// `#[path]`: `path` is `name` or `a::b`.
pub fn path_attr(path: &str) -> Attribute {
    outer(Meta::Path(path_of(path)))
}

/// `#[path(tokens)]`.
pub fn list_attr(path: &str, tokens: TokenStream) -> Attribute {
    outer(Meta::List(MetaList {
        path: path_of(path),
        delimiter: MacroDelimiter::Paren(Default::default()),
        tokens,
    }))
}

/// One `#[doc]` attribute per line, which prettyplease prints as `///`.
pub fn doc_attrs(lines: &[String]) -> Vec<Attribute> {
    lines
        .iter()
        .map(|line| {
            // A line is one line: a line break inside one attribute would
            // start a line rustdoc reads apart (an indented code block).
            let text = if line.is_empty() {
                String::new()
            } else {
                format!(" {}", line.replace(['\n', '\r'], " "))
            };
            outer(Meta::NameValue(MetaNameValue {
                path: path_of("doc"),
                eq_token: Default::default(),
                value: Expr::Lit(ExprLit {
                    attrs: Vec::new(),
                    lit: Lit::Str(LitStr::new(&text, Span::call_site())),
                }),
            }))
        })
        .collect()
}

fn outer(meta: Meta) -> Attribute {
    Attribute {
        pound_token: Default::default(),
        style: AttrStyle::Outer,
        bracket_token: Default::default(),
        meta,
    }
}

/// A path of `::`-separated names (`paygen::model`, `String`).
fn path_of(path: &str) -> Path {
    Path {
        leading_colon: None,
        segments: path.split("::").map(|s| segment(super::ident(s))).collect(),
    }
}

fn segment(ident: Ident) -> PathSegment {
    PathSegment {
        ident,
        arguments: PathArguments::None,
    }
}

/// The type named `name` (raw where it is a keyword).
pub fn named_type(name: &str) -> Type {
    type_of(Path::from(segment(super::ident(name))))
}

/// The type at the absolute path `::segments` (`::std::string::String`).
pub fn absolute_type(segments: &[&str]) -> Type {
    type_of(Path {
        leading_colon: Some(Default::default()),
        segments: segments.iter().map(|s| segment(super::ident(s))).collect(),
    })
}

fn type_of(path: Path) -> Type {
    Type::Path(TypePath { qself: None, path })
}

/// `base<args>`: `base` is a path type, such as `named_type` and
/// `absolute_type` make.
pub fn generic(mut base: Type, args: impl IntoIterator<Item = Type>) -> Type {
    if let Type::Path(TypePath { path, .. }) = &mut base {
        if let Some(last) = path.segments.last_mut() {
            last.arguments = PathArguments::AngleBracketed(AngleBracketedGenericArguments {
                colon2_token: None,
                lt_token: Default::default(),
                args: args.into_iter().map(GenericArgument::Type).collect(),
                gt_token: Default::default(),
            });
        }
    }
    base
}

/// `pub name: ty`, after its attributes.
pub fn named_field(attrs: Vec<Attribute>, name: &str, ty: Type) -> Field {
    Field {
        attrs,
        vis: public(),
        mutability: FieldMutability::None,
        ident: Some(super::ident(name)),
        colon_token: Some(Default::default()),
        ty,
    }
}

/// `pub struct name { fields }`, after its attributes.
pub fn struct_item(
    attrs: Vec<Attribute>,
    name: &str,
    fields: impl IntoIterator<Item = Field>,
) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: public(),
        struct_token: Default::default(),
        ident: super::ident(name),
        generics: Default::default(),
        fields: Fields::Named(FieldsNamed {
            brace_token: Default::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}

/// A variant `name`, or `name(ty)` when it holds a value.
pub fn variant(attrs: Vec<Attribute>, name: &str, holds: Option<Type>) -> Variant {
    let fields = match holds {
        None => Fields::Unit,
        Some(ty) => Fields::Unnamed(FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: Punctuated::from_iter([Field {
                attrs: Vec::new(),
                vis: Visibility::Inherited,
                mutability: FieldMutability::None,
                ident: None,
                colon_token: None,
                ty,
            }]),
        }),
    };
    Variant {
        attrs,
        ident: super::ident(name),
        fields,
        discriminant: None,
    }
}

/// `pub enum name { variants }`, after its attributes.
pub fn enum_item(
    attrs: Vec<Attribute>,
    name: &str,
    variants: impl IntoIterator<Item = Variant>,
) -> syn::Item {
    syn::Item::Enum(syn::ItemEnum {
        attrs,
        vis: public(),
        enum_token: Default::default(),
        ident: super::ident(name),
        generics: Default::default(),
        brace_token: Default::default(),
        variants: variants.into_iter().collect(),
    })
}

fn public() -> Visibility {
    Visibility::Public(Default::default())
}

#[cfg(test)]
mod tests {
    use quote::{quote, ToTokens};

    use super::*;

    /// A tree built here reads as the tokens `quote!` would have written.
    fn same(built: impl ToTokens, written: TokenStream) {
        assert_eq!(built.to_token_stream().to_string(), written.to_string());
    }

    /// An item built here prints as the item `quote!` would have written
    /// (trailing commas aside, which the printer adds).
    fn prints_as(built: syn::Item, written: TokenStream) {
        let print = |items| {
            prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: Vec::new(),
                items,
            })
        };
        let written: syn::File = syn::parse2(written).unwrap();
        assert_eq!(print(vec![built]), print(written.items));
    }

    #[test]
    fn trees_read_as_the_tokens_they_replace() {
        same(path_attr("paygen::model"), quote!(#[paygen::model]));
        same(
            list_attr("paygen", quote!(length(max = 40))),
            quote!(#[paygen(length(max = 40))]),
        );
        let docs = doc_attrs(&["First.".into(), String::new()]);
        same(quote!(#(#docs)*), quote!(#[doc = " First."] #[doc = ""]));
        let string = absolute_type(&["std", "string", "String"]);
        let map = generic(named_type("BTreeMap"), [string, named_type("r#type")]);
        same(&map, quote!(BTreeMap<::std::string::String, r#type>));
        let field = named_field(vec![path_attr("a")], "r#ref", named_type("i64"));
        same(&field, quote!(#[a] pub r#ref: i64));
        prints_as(
            struct_item(vec![path_attr("b")], "S", [field]),
            quote!(
                #[b]
                pub struct S {
                    #[a]
                    pub r#ref: i64,
                }
            ),
        );
        let variants = [
            variant(vec![path_attr("c")], "Unit", None),
            variant(Vec::new(), "Holds", Some(map)),
        ];
        prints_as(
            enum_item(Vec::new(), "E", variants),
            quote!(
                pub enum E {
                    #[c]
                    Unit,
                    Holds(BTreeMap<::std::string::String, r#type>),
                }
            ),
        );
    }
}
