//! Reads an OpenAPI 3.1 file as the OpenAPI 3.0 document it can be, for the
//! import mode: the parser (openapiv3) and the rest of paygen read 3.0.
//!
//! Each 3.1 construct becomes the 3.0 construct that says the same thing:
//! `type: [X, "null"]` is `type: X` with `nullable: true`; several types are
//! an `anyOf` of each; `const: v` is `enum: [v]` (of `v`'s type); a numeric
//! `exclusiveMinimum: n` is `minimum: n` with `exclusiveMinimum: true`; a
//! schema's list of `examples` gives its first as `example`. A schema `$ref`
//! with siblings is handled for both versions by the loader. Top-level
//! `webhooks` stay, for the loader to take out and the lowering to type. What
//! 3.0 has no place for and paygen does not read (`jsonSchemaDialect`,
//! `components.pathItems`) is taken out and named, so that the run reports it
//! as dropped.
//! No crate converts between the two versions, so these rules are ours.

use serde_yaml::{Mapping, Value};

/// What a conversion took out: each top-level key 3.0 has no place for.
pub struct Converted {
    /// The keys removed, as JSON pointers (`/jsonSchemaDialect`).
    pub dropped: Vec<String>,
}

/// Whether `value` is an OpenAPI 3.1 document.
pub fn is_3_1(value: &Value) -> bool {
    value
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"))
}

/// Rewrites a 3.1 document in place as 3.0.3.
pub fn to_3_0(value: &mut Value) -> Converted {
    let mut dropped = Vec::new();
    if let Some(map) = value.as_mapping_mut() {
        map.insert("openapi".into(), "3.0.3".into());
        if map.remove("jsonSchemaDialect").is_some() {
            dropped.push("/jsonSchemaDialect".to_owned());
        }
        if let Some(components) = map.get_mut("components").and_then(Value::as_mapping_mut) {
            if components.remove("pathItems").is_some() {
                dropped.push("/components/pathItems".to_owned());
            }
            if let Some(schemas) = components
                .get_mut("schemas")
                .and_then(Value::as_mapping_mut)
            {
                schemas.values_mut().for_each(schema);
            }
        }
        if !map.contains_key("paths") {
            map.insert("paths".into(), Value::Mapping(Mapping::new()));
        }
        if let Some(info) = map.get_mut("info").and_then(Value::as_mapping_mut) {
            info.remove("summary");
            if let Some(license) = info.get_mut("license").and_then(Value::as_mapping_mut) {
                license.remove("identifier");
            }
        }
    }
    find_schemas(value);
    Converted { dropped }
}

/// Walks the parts of a document that hold schemas under `schema` (a
/// parameter's, a header's, a media type's), leaving examples alone.
fn find_schemas(value: &mut Value) {
    match value {
        Value::Sequence(items) => items.iter_mut().for_each(find_schemas),
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    Some("schema") => schema(child),
                    // Data, and the component schemas done apart.
                    Some("example" | "examples" | "schemas" | "default" | "enum") => {}
                    _ => find_schemas(child),
                }
            }
        }
        _ => {}
    }
}

/// Rewrites one schema and the schemas inside it.
fn schema(value: &mut Value) {
    let Some(map) = value.as_mapping_mut() else {
        return;
    };
    types(map);
    if let Some(constant) = map.remove("const") {
        // A constant says its type where the schema does not.
        let implied = match &constant {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let (Some(implied), false) = (implied, map.contains_key("type")) {
            map.insert("type".into(), implied.into());
        }
        map.insert("enum".into(), Value::Sequence(vec![constant]));
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(inclusive.into(), bound);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(Value::Sequence(examples)) = map.remove("examples") {
        if let (Some(first), false) = (examples.into_iter().next(), map.contains_key("example")) {
            map.insert("example".into(), first);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            schema(child);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Sequence(children)) = map.get_mut(key) {
            children.iter_mut().for_each(schema);
        }
    }
    if let Some(Value::Mapping(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(schema);
    }
}

/// `type: [X, "null"]` as `type: X, nullable: true`; several types as an
/// `anyOf` of each.
fn types(map: &mut Mapping) {
    let Some(Value::Sequence(listed)) = map.get("type").cloned() else {
        return;
    };
    let null = Value::String("null".into());
    let nullable = listed.contains(&null);
    let mut kinds: Vec<Value> = listed.into_iter().filter(|t| *t != null).collect();
    match kinds.len() {
        0 => {
            map.remove("type");
        }
        1 => {
            map.insert("type".into(), kinds.remove(0));
        }
        _ => {
            map.remove("type");
            let choices = kinds
                .into_iter()
                .map(|kind| {
                    let mut choice = Mapping::new();
                    choice.insert("type".into(), kind);
                    Value::Mapping(choice)
                })
                .collect();
            map.insert("anyOf".into(), Value::Sequence(choices));
        }
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn each_3_1_construct_becomes_its_3_0_form() {
        let mut doc = yaml(
            "openapi: 3.1.0
info: {title: T, version: '1', summary: S, license: {name: MIT, identifier: MIT}}
jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base
webhooks: {paid: {post: {responses: {'200': {description: ok}}}}}
components:
  schemas:
    Amount:
      type: [integer, 'null']
      exclusiveMinimum: 0
      examples: [100, 200]
    Kind:
      const: card
    Either:
      type: [string, integer]
    Holder:
      type: object
      properties:
        const: {type: [string, 'null']}
      example: {const: x, type: [a, b]}
",
        );
        let converted = to_3_0(&mut doc);
        assert_eq!(converted.dropped, ["/jsonSchemaDialect"]);
        let expected = yaml(
            "openapi: 3.0.3
info: {title: T, version: '1', license: {name: MIT}}
components:
  schemas:
    Amount:
      type: integer
      exclusiveMinimum: true
      minimum: 0
      example: 100
      nullable: true
    Kind:
      type: string
      enum: [card]
    Either:
      anyOf: [{type: string}, {type: integer}]
    Holder:
      type: object
      properties:
        const: {type: string, nullable: true}
      example: {const: x, type: [a, b]}
webhooks: {paid: {post: {responses: {'200': {description: ok}}}}}
paths: {}
",
        );
        assert_eq!(doc, expected);
    }

    #[test]
    fn schemas_under_parameters_and_media_types_are_rewritten_and_examples_are_not() {
        let mut doc = yaml(
            "openapi: 3.1.0
paths:
  /a:
    get:
      parameters:
        - {name: n, in: query, schema: {type: [string, 'null']}, example: {type: [x]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {const: 1}
              examples: {one: {value: {const: 2}}}
",
        );
        to_3_0(&mut doc);
        let p = &doc["paths"]["/a"]["get"];
        assert_eq!(
            p["parameters"][0]["schema"],
            yaml("{type: string, nullable: true}")
        );
        assert_eq!(p["parameters"][0]["example"], yaml("{type: [x]}"));
        let media = &p["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"], yaml("{type: integer, enum: [1]}"));
        assert_eq!(media["examples"], yaml("{one: {value: {const: 2}}}"));
        assert!(is_3_1(&yaml("openapi: 3.1.1")) && !is_3_1(&yaml("openapi: 3.0.3")));
    }
}
