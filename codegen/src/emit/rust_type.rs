//! The one place an IR type becomes a Rust type: inside the generated
//! crate (short names unless a gateway type shadows them), and outside it
//! ([`TypeRef::qualified`], absolute paths), for tests and tools.

use quote::quote;
use syn::Type;

use super::syntax;
use crate::ir::TypeRef;

/// The Rust type of `ty`: a type of the gateway as `named` spells it, and a
/// type of std or paygen as `path` does (given its short name and its
/// absolute path). The one place a `TypeRef` becomes Rust, inside the
/// generated crate or out.
pub(super) fn render(
    ty: &TypeRef,
    named: &dyn Fn(&str) -> Type,
    path: &dyn Fn(&str, &[&str]) -> Type,
) -> Type {
    let again = |inner: &TypeRef| render(inner, named, path);
    match ty {
        TypeRef::String => path("String", &["std", "string", "String"]),
        TypeRef::Secret => path("Secret", &["paygen", "Secret"]),
        TypeRef::CardNumber => path("CardNumber", &["paygen", "CardNumber"]),
        TypeRef::Encrypted => path("Encrypted", &["paygen", "Encrypted"]),
        TypeRef::I32 => syntax::named_type("i32"),
        TypeRef::I64 => syntax::named_type("i64"),
        TypeRef::U64 => syntax::named_type("u64"),
        TypeRef::Decimal => path("Decimal", &["paygen", "Decimal"]),
        TypeRef::Bool => syntax::named_type("bool"),
        TypeRef::Named(name) => named(name),
        TypeRef::Boxed(name) => {
            syntax::generic(path("Box", &["std", "boxed", "Box"]), [named(name)])
        }
        TypeRef::List(inner) => {
            syntax::generic(path("Vec", &["std", "vec", "Vec"]), [again(inner)])
        }
        TypeRef::Map(inner) => syntax::generic(
            path("BTreeMap", &["std", "collections", "BTreeMap"]),
            [again(&TypeRef::String), again(inner)],
        ),
        TypeRef::Json => path("JsonValue", &["paygen", "JsonValue"]),
        TypeRef::File => path("FilePart", &["paygen", "FilePart"]),
        TypeRef::NoContent => syntax::absolute_type(&["paygen", "NoContent"]),
    }
}

impl TypeRef {
    /// A spec's example of a value of this type (its text, as a
    /// parameter's example gives it) as a Rust expression the generated
    /// setters take (`impl Into` the type): a number, `true` or `false`, or
    /// a string literal for text. An example that is not of the type gives
    /// the type's plain value (`1`, `false`), so that the expression
    /// compiles. `None` for a type no literal spells (an enum, a list).
    pub fn example_expr(&self, example: &str) -> Option<String> {
        match self {
            TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => {
                Some(example.parse::<i64>().unwrap_or(1).to_string())
            }
            TypeRef::Bool => Some((example == "true").to_string()),
            TypeRef::String | TypeRef::Secret => Some(format!("{example:?}")),
            _ => None,
        }
    }

    /// The Rust type as code outside the generated crate names it, each
    /// path absolute: `::std::vec::Vec<::paygen::razorpay::Payment>` for a
    /// list of gateway `razorpay`'s `Payment`s. For tests and tools that
    /// reach the generated types from another crate.
    pub fn qualified(&self, gateway: &str) -> String {
        let ty = render(
            self,
            &|name| syntax::absolute_type(&["paygen", gateway, name]),
            &|_, full| syntax::absolute_type(full),
        );
        // A path with generic arguments, nothing else: no space is needed.
        quote!(#ty).to_string().replace(' ', "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_outside_the_generated_crate_is_named_by_absolute_paths() {
        let list = TypeRef::List(Box::new(TypeRef::Named("Payment".into())));
        assert_eq!(
            list.qualified("razorpay"),
            "::std::vec::Vec<::paygen::razorpay::Payment>"
        );
        let map = TypeRef::Map(Box::new(TypeRef::Json));
        assert_eq!(
            map.qualified("cashfree"),
            "::std::collections::BTreeMap<::std::string::String,::paygen::JsonValue>"
        );
        assert_eq!(
            TypeRef::Boxed("Order".into()).qualified("juspay"),
            "::std::boxed::Box<::paygen::juspay::Order>"
        );
        assert_eq!(TypeRef::I64.qualified("juspay"), "i64");
    }

    #[test]
    fn an_example_is_written_as_the_setter_of_its_type_takes_it() {
        let expr = |ty: TypeRef, example| ty.example_expr(example);
        assert_eq!(expr(TypeRef::I32, "25").as_deref(), Some("25"));
        assert_eq!(expr(TypeRef::U64, "not a number").as_deref(), Some("1"));
        assert_eq!(expr(TypeRef::Bool, "true").as_deref(), Some("true"));
        assert_eq!(expr(TypeRef::Bool, "yes").as_deref(), Some("false"));
        // Text, quoted and escaped: an example cannot end the literal.
        assert_eq!(
            expr(TypeRef::Secret, "pay_\"x").as_deref(),
            Some(r#""pay_\"x""#)
        );
        assert_eq!(expr(TypeRef::Named("Status".into()), "paid"), None);
    }
}
