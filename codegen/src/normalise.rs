//! Rewrites a parsed YAML document into what the OpenAPI parser reads:
//! `callbacks` and top-level `webhooks` taken out (the one refused or
//! dropped, the other kept for the lowering), and what published files write
//! beside a schema's `$ref`, or beside a combinator, read as OpenAPI 3.0
//! means it.

use indexmap::IndexMap;
use openapiv3::{PathItem, ReferenceOr};

use crate::keys;

/// Removes `callbacks` from every operation and from `components`.
pub(crate) fn strip_callbacks(value: &mut serde_yaml::Value) {
    if let Some(components) = value.get_mut("components").and_then(|c| c.as_mapping_mut()) {
        components.remove("callbacks");
    }
    let Some(paths) = value.get_mut("paths").and_then(|p| p.as_mapping_mut()) else {
        return;
    };
    for (_, item) in paths.iter_mut() {
        if let Some(item) = item.as_mapping_mut() {
            for (_, operation) in item.iter_mut() {
                if let Some(operation) = operation.as_mapping_mut() {
                    operation.remove("callbacks");
                }
            }
        }
    }
}

/// What may stand beside a schema's `$ref` and mean something: OpenAPI 3.0
/// ignores it there (3.1 does not), and published files put it there.
const REF_SIBLINGS: &[&str] = &[
    "description",
    "summary",
    "title",
    "nullable",
    "default",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Rewrites, in one walk, what published files write that OpenAPI 3.0
/// (and openapiv3) reads otherwise than they mean; examples, defaults and
/// enum values are data and stay as written:
/// - a schema `$ref` with siblings from [`REF_SIBLINGS`] (`{$ref: X,
///   description: D}`) becomes the form OpenAPI 3.0 keeps them in
///   (`{allOf: [{$ref: X}], description: D}`), which means `X` with those
///   applied where it is used; a `summary` is the description where there
///   is none. Any other sibling stays beside the `$ref`, for the key check
///   to report.
/// - an `enum` of texts without a `type` is a string enum.
/// - `type: object` beside `allOf` (whose merge is an object, with the
///   schema's own `properties` after the merged ones), or beside
///   `oneOf`/`anyOf` without `properties` (a union of objects), is taken
///   off: it says again what the combinator says, and openapiv3 would keep
///   it and drop the combinator.
pub(crate) fn normalise(value: &mut serde_yaml::Value) {
    match value {
        serde_yaml::Value::Sequence(items) => items.iter_mut().for_each(normalise),
        serde_yaml::Value::Mapping(map) => {
            if lift_ref_siblings(map) {
                return;
            }
            drop_object_type_beside_combinators(map);
            type_text_enums(map);
            for (key, child) in map.iter_mut() {
                if !is_data(key) {
                    normalise(child);
                }
            }
        }
        _ => {}
    }
}

/// The `$ref` rewrite of [`normalise`] on one mapping; whether it applied.
fn lift_ref_siblings(map: &mut serde_yaml::Mapping) -> bool {
    let schema_ref = map
        .get("$ref")
        .and_then(serde_yaml::Value::as_str)
        .is_some_and(|r| r.contains("#/components/schemas/"));
    let liftable = |k: &serde_yaml::Value| k.as_str().is_some_and(|k| REF_SIBLINGS.contains(&k));
    if !(schema_ref && map.keys().any(liftable)) {
        return false;
    }
    let reference = map.remove("$ref").unwrap_or_default();
    if let Some(summary) = map.remove("summary") {
        if !map.contains_key("description") {
            map.insert("description".into(), summary);
        }
    }
    // Any other sibling (`type`, `format`, limits restated) stays beside
    // the `$ref`, where the key check reports it.
    let mut only = serde_yaml::Mapping::new();
    only.insert("$ref".into(), reference);
    let others: Vec<serde_yaml::Value> = map.keys().filter(|k| !liftable(k)).cloned().collect();
    for key in others {
        if let Some(value) = map.remove(&key) {
            only.insert(key, value);
        }
    }
    map.insert(
        "allOf".into(),
        serde_yaml::Value::Sequence(vec![serde_yaml::Value::Mapping(only)]),
    );
    true
}

/// The `enum` rewrite of [`normalise`]: an `enum` of texts without a
/// `type` (`{enum: [VENDOR_AGREEMENT]}`, as published files write an item)
/// is a string enum; openapiv3 would read it as a schema of any type.
fn type_text_enums(map: &mut serde_yaml::Mapping) {
    let texts = match map.get("enum") {
        Some(serde_yaml::Value::Sequence(values)) => {
            !values.is_empty() && values.iter().all(serde_yaml::Value::is_string)
        }
        _ => false,
    };
    let typed = ["type", "$ref", "allOf", "oneOf", "anyOf", "not"]
        .iter()
        .any(|k| map.contains_key(*k));
    if texts && !typed {
        map.insert("type".into(), "string".into());
    }
}

/// The `type: object` rewrite of [`normalise`] on one mapping.
fn drop_object_type_beside_combinators(map: &mut serde_yaml::Mapping) {
    let object = map.get("type").and_then(serde_yaml::Value::as_str) == Some("object");
    let merge = map.contains_key("allOf");
    let union =
        (map.contains_key("oneOf") || map.contains_key("anyOf")) && !map.contains_key("properties");
    if object && (merge || union) {
        map.remove("type");
    }
}

/// Whether a key holds data (an example, a default, enum values), which is
/// never rewritten, whatever it looks like.
fn is_data(key: &serde_yaml::Value) -> bool {
    matches!(
        key.as_str(),
        Some("example" | "examples" | "default" | "enum" | "x-enum-descriptions")
    )
}

/// Takes a document's top-level `webhooks` out, each read as a path item;
/// one that does not read is a problem at its own name, and `webhooks` in an
/// OpenAPI 3.0 file (which has no such key) is one at `/webhooks`.
pub(crate) fn take_webhooks(
    value: &mut serde_yaml::Value,
    from_3_1: bool,
) -> (
    IndexMap<String, ReferenceOr<PathItem>>,
    Vec<keys::KeyProblem>,
) {
    let mut webhooks = IndexMap::new();
    let mut problems = Vec::new();
    let Some(taken) = value
        .as_mapping_mut()
        .and_then(|map| map.remove("webhooks"))
    else {
        return (webhooks, problems);
    };
    if !from_3_1 {
        problems.push(keys::KeyProblem {
            pointer: "/webhooks".to_owned(),
            message: "`webhooks` is OpenAPI 3.1, and this file says OpenAPI 3.0".to_owned(),
            help: "document each webhook's payload as a component schema (see `specs/razorpay/webhooks.yaml`)".to_owned(),
        });
        return (webhooks, problems);
    }
    let serde_yaml::Value::Mapping(entries) = taken else {
        problems.push(keys::KeyProblem {
            pointer: "/webhooks".to_owned(),
            message: "`webhooks` must map each webhook's name to a path item".to_owned(),
            help: "write `webhooks: {<name>: {post: {requestBody: ...}}}`".to_owned(),
        });
        return (webhooks, problems);
    };
    for (name, item) in entries {
        let name = match name {
            serde_yaml::Value::String(name) => name,
            other => serde_yaml::to_string(&other)
                .unwrap_or_default()
                .trim()
                .to_owned(),
        };
        match serde_yaml::from_value::<ReferenceOr<PathItem>>(item) {
            Ok(item) => {
                webhooks.insert(name, item);
            }
            Err(e) => problems.push(keys::KeyProblem {
                pointer: format!("/webhooks/{}", crate::locate::escape(&name)),
                message: format!("the webhook does not read as a path item: {e}"),
                help: "give it an operation (`post`) with a `requestBody`, as a path's".to_owned(),
            }),
        }
    }
    (webhooks, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(yaml: &str) -> serde_yaml::Value {
        let mut value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        normalise(&mut value);
        value
    }

    fn yaml(text: &str) -> serde_yaml::Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn an_enum_of_texts_without_a_type_is_a_string_enum_and_only_that() {
        assert_eq!(
            normalised("{enum: [A, B]}"),
            yaml("{enum: [A, B], type: string}")
        );
        // Items of a list are reached too.
        assert_eq!(
            normalised("{items: [{enum: [A]}]}"),
            yaml("{items: [{enum: [A], type: string}]}")
        );
        // Not when a value is not text, the list is empty, or a type (or
        // what stands for one) is given.
        for kept in [
            "{enum: [A, 1]}",
            "{enum: []}",
            "{enum: [A], type: integer}",
            "{enum: [A], $ref: '#/x'}",
            "{enum: [A], allOf: []}",
            "{enum: [A], oneOf: []}",
            "{enum: [A], anyOf: []}",
            "{enum: [A], not: {}}",
            "{enum: A}",
        ] {
            assert_eq!(normalised(kept), yaml(kept), "{kept}");
        }
    }
}
