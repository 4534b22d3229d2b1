//! Passes over the lowered gateway: which enums are open (decode values a
//! gateway adds later) and which fields hold secrets or encrypted values.
//! Each is a function of the finished modules alone, which it reads or
//! completes.

use std::collections::{BTreeSet, HashMap};

use crate::ir::{Module, RenameRule, TypeKind, TypeRef};
use crate::naming;

/// Enums that only requests use are closed: a value outside the spec is
/// a mistake to catch. Every other enum (in a response, an error body, a
/// webhook payload) is open and decodes values the gateway adds later.
pub(super) fn decide_sides(modules: &mut [Module]) {
    // Whether each type (in module order) is reached from a request, and
    // from a response; found with borrowed names, then set.
    let sides: Vec<(bool, bool)> = {
        let mut children: HashMap<&str, Vec<&TypeRef>> = HashMap::new();
        for def in modules.iter().flat_map(|m| m.types.iter()) {
            let refs = match &def.kind {
                TypeKind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
                TypeKind::OneOf { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Enum { .. } => Vec::new(),
            };
            children.insert(&def.name, refs);
        }
        let reachable = |roots| reachable(&children, roots);
        let operations = || modules.iter().flat_map(|m| m.operations.iter());
        let requests = reachable(operations().filter_map(|o| o.request.as_deref()).collect());
        let answers = reachable(
            operations()
                .flat_map(|o| {
                    let mut roots = vec![o.error.as_str()];
                    roots.extend(
                        o.error_answers
                            .iter()
                            .flat_map(|a| a.variants.iter())
                            .filter_map(|v| v.body.as_deref()),
                    );
                    named_in(&o.response, &mut roots);
                    roots
                })
                .chain(
                    // What a gateway posts to the merchant is received too.
                    modules
                        .iter()
                        .flat_map(|m| m.webhooks.iter().flat_map(|w| w.events.iter()))
                        .flat_map(|w| {
                            let mut roots = Vec::new();
                            named_in(&w.body, &mut roots);
                            roots
                        }),
                )
                .collect(),
        );
        modules
            .iter()
            .flat_map(|m| m.types.iter())
            .map(|def| {
                let name = def.name.as_str();
                (requests.contains(name), answers.contains(name))
            })
            .collect()
    };
    let types = modules.iter_mut().flat_map(|m| m.types.iter_mut());
    for (def, (request, answer)) in types.zip(sides) {
        if let TypeKind::Enum { open, values, .. } = &mut def.kind {
            *open = !request || answer;
            if *open {
                free_the_catch_all(values);
            }
        }
        def.received = !request;
    }
}

/// An open enum's catch-all is `Unknown(String)`: a value of its own that
/// would be named `Unknown` (a gateway's `UNKNOWN` card brand) is
/// `UnknownValue` instead, its wire name kept.
fn free_the_catch_all(values: &mut [crate::ir::EnumValue]) {
    let taken = |name: &str, values: &[crate::ir::EnumValue]| values.iter().any(|v| v.rust == name);
    if !taken("Unknown", values) {
        return;
    }
    let mut name = String::from("UnknownValue");
    while taken(&name, values) {
        name.push_str("Value");
    }
    if let Some(value) = values.iter_mut().find(|v| v.rust == "Unknown") {
        value.rust = name;
    }
}

/// The types reached from `roots` through `children` (each type's field and
/// variant types).
fn reachable<'m>(
    children: &HashMap<&'m str, Vec<&'m TypeRef>>,
    roots: Vec<&'m str>,
) -> std::collections::HashSet<&'m str> {
    let mut seen = std::collections::HashSet::new();
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if seen.insert(name) {
            for child in children.get(name).into_iter().flatten() {
                named_in(child, &mut stack);
            }
        }
    }
    seen
}

/// The names of the gateway's types that `ty` spells.
fn named_in<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(n) | TypeRef::Boxed(n) => out.push(n),
        TypeRef::List(inner) | TypeRef::Map(inner) => named_in(inner, out),
        _ => {}
    }
}

pub(super) fn contains_encrypted(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Encrypted => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => contains_encrypted(inner),
        _ => false,
    }
}

/// The rule that gives the most of `names`' wire values, when it gives at
/// least two (one value is clearer renamed).
fn best_rule<'n>(names: impl Iterator<Item = (&'n str, &'n str)> + Clone) -> Option<RenameRule> {
    RenameRule::ALL
        .into_iter()
        .map(|rule| {
            let hits = names
                .clone()
                .filter(|(rust, wire)| rule.apply_to_variant(naming::unraw(rust)) == *wire)
                .count();
            (hits, rule)
        })
        // The first rule of the most hits, in `RenameRule::ALL` order.
        .fold(
            None,
            |best: Option<(usize, RenameRule)>, (hits, rule)| match best {
                Some((most, _)) if most >= hits => best,
                _ => Some((hits, rule)),
            },
        )
        .filter(|(hits, _)| *hits >= 2)
        .map(|(_, rule)| rule)
}

/// Decides what generated code spells out: the `rename_all` rule of each
/// enum, and the required fields that can hold a single value (an enum of
/// one value, a boolean with `enum: [true]`), which the constructor fills, as
/// `#[paygen(fixed)]`.
pub(super) fn decide_names(modules: &mut [Module]) {
    let single: BTreeSet<String> = modules
        .iter()
        .flat_map(|m| m.types.iter())
        .filter(
            |t| matches!(&t.kind, TypeKind::Enum { values, open: false, .. } if values.len() == 1),
        )
        .map(|t| t.name.clone())
        .collect();
    for def in modules.iter_mut().flat_map(|m| m.types.iter_mut()) {
        match &mut def.kind {
            TypeKind::Enum {
                values, rename_all, ..
            } => {
                *rename_all = best_rule(values.iter().map(|v| (v.rust.as_str(), v.wire.as_str())));
            }
            TypeKind::OneOf {
                variants,
                rename_all,
                untagged: false,
                ..
            } => {
                *rename_all =
                    best_rule(variants.iter().map(|v| (v.rust.as_str(), v.wire.as_str())));
            }
            TypeKind::OneOf { untagged: true, .. } => {}
            TypeKind::Struct { fields, .. } => {
                for field in fields.iter_mut() {
                    // A boolean the page says must be sent as one value (`enum: [true]`).
                    let single_bool = field.ty == TypeRef::Bool
                        && matches!(
                            field.rules.one_of.as_deref(),
                            Some([crate::ir::Literal::Bool(_)])
                        );
                    field.fixed = field.required
                        && (single_bool
                            || matches!(&field.ty, TypeRef::Named(n) if single.contains(n)));
                }
            }
        }
    }
}

/// The names generated code uses unqualified (Rust's prelude, and what
/// `paygen::__private::prelude` brings) that this gateway's types take.
pub(super) fn shadowed_names(modules: &[Module]) -> BTreeSet<String> {
    modules
        .iter()
        .flat_map(|m| m.types.iter())
        .filter(|t| paygen_model::names::is_unqualified(&t.name))
        .map(|t| t.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_encrypted_value_is_found_inside_lists_and_maps() {
        let list = TypeRef::List(Box::new(TypeRef::Encrypted));
        let map_of_lists = TypeRef::Map(Box::new(list.clone()));
        assert!(contains_encrypted(&TypeRef::Encrypted));
        assert!(contains_encrypted(&list));
        assert!(contains_encrypted(&map_of_lists));
        assert!(!contains_encrypted(&TypeRef::List(Box::new(
            TypeRef::Secret
        ))));
        assert!(!contains_encrypted(&TypeRef::Named("Encrypted".into())));
    }
}
