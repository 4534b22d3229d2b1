//! Passes over the lowered gateway: which enums are open (decode values a
//! gateway adds later) and which fields hold secrets or encrypted values.

use super::*;

impl<'a> Lowerer<'a> {
    /// Enums that only requests use are closed: a value outside the spec is
    /// a mistake to catch. Every other enum (in a response, an error body, a
    /// webhook payload) is open and decodes values the gateway adds later.
    pub(super) fn decide_sides(&self, modules: &mut [Module]) {
        let mut children: HashMap<String, Vec<TypeRef>> = HashMap::new();
        for def in modules.iter().flat_map(|m| m.types.iter()) {
            let refs = match &def.kind {
                TypeKind::Struct { fields, .. } => fields.iter().map(|f| f.ty.clone()).collect(),
                TypeKind::OneOf { variants } => variants.iter().map(|v| v.ty.clone()).collect(),
                TypeKind::Enum { .. } => Vec::new(),
            };
            children.insert(def.name.clone(), refs);
        }
        let reachable = |roots: Vec<String>| {
            let mut seen = BTreeSet::new();
            let mut stack = roots;
            while let Some(name) = stack.pop() {
                if seen.insert(name.clone()) {
                    for child in children.get(&name).into_iter().flatten() {
                        collect_named(child, &mut stack);
                    }
                }
            }
            seen
        };
        let operations = || modules.iter().flat_map(|m| m.operations.iter());
        let requests = reachable(operations().filter_map(|o| o.request.clone()).collect());
        let answers = reachable(
            operations()
                .flat_map(|o| [o.response.clone(), o.error.clone()])
                .collect(),
        );
        for def in modules.iter_mut().flat_map(|m| m.types.iter_mut()) {
            if let TypeKind::Enum { open, .. } = &mut def.kind {
                *open = !requests.contains(&def.name) || answers.contains(&def.name);
            }
        }
    }
}

pub(super) fn contains_encrypted(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Encrypted => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => contains_encrypted(inner),
        _ => false,
    }
}

pub(super) fn collect_named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) | TypeRef::Boxed(n) => out.push(n.clone()),
        TypeRef::List(inner) | TypeRef::Map(inner) => collect_named(inner, out),
        _ => {}
    }
}
