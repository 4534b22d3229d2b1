//! The rules between fields (`x-rules`: one requires another, two must
//! differ, a sum) with their wire paths turned into Rust field paths.

use openapiv3::Schema;
use serde_json::Value;

use crate::ir::{CrossKind, CrossRule, Field, Literal};
use crate::naming;

use super::view::{boxed, View};
use super::Lowerer;

impl<'a> Lowerer<'a, '_> {
    /// `x-rules` on an object: rules between its fields, with wire paths turned
    /// into Rust field paths.
    pub(super) fn cross_rules(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        fields: &[Field],
    ) -> (Vec<CrossRule>, Vec<Vec<String>>) {
        let Some(list) = schema.schema_data.extensions.get("x-rules") else {
            return (Vec::new(), Vec::new());
        };
        let Some(list) = list.as_array() else {
            self.error(
                file,
                &format!("{pointer}/x-rules"),
                "`x-rules` must be a list".into(),
                None,
            );
            return (Vec::new(), Vec::new());
        };
        let mut rules = Vec::new();
        let mut any_of = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let p = format!("{pointer}/x-rules/{i}");
            let one = entry
                .as_object()
                .filter(|o| o.len() == 1)
                .and_then(|o| o.iter().next());
            let Some((kind, args)) = one else {
                self.error(
                    file,
                    &p,
                    "each rule is a map with one key".into(),
                    Some("write `- required_if: {field: ..., when: ..., equals: ...}`"),
                );
                continue;
            };
            if kind == "any_of" {
                let names: Option<Vec<&str>> = args
                    .as_array()
                    .and_then(|a| a.iter().map(Value::as_str).collect());
                match names {
                    Some(names) if names.len() >= 2 => {
                        let paths: Option<Vec<String>> = names
                            .iter()
                            .map(|n| {
                                self.field_at(file, &p, schema, fields, n)
                                    .map(|(rust, _)| rust)
                            })
                            .collect();
                        any_of.extend(paths);
                    }
                    _ => self.error(
                        file,
                        &format!("{p}/any_of"),
                        "`any_of` lists two fields or more".into(),
                        Some("write `- any_of: [card_number, instrument_id]`"),
                    ),
                }
                continue;
            }
            rules.extend(self.cross_rule(file, &p, schema, fields, kind, args));
        }
        (rules, any_of)
    }

    /// One rule between fields (`required_if`, `only_if`, `not_less_than`),
    /// its paths turned into Rust field paths.
    pub(super) fn cross_rule(
        &mut self,
        file: usize,
        p: &str,
        schema: &'a Schema,
        fields: &[Field],
        kind: &str,
        args: &Value,
    ) -> Option<CrossRule> {
        let Some(rule_kind) = CrossKind::from_name(kind) else {
            let mut known: Vec<&str> = CrossKind::ALL.iter().map(|k| k.as_str()).collect();
            known.push("any_of");
            self.error(
                file,
                p,
                format!("unknown rule `{kind}`"),
                Some(&format!("expected one of {}", known.join(", "))),
            );
            return None;
        };
        let other_key = rule_kind.other_key();
        let field = args.get("field").and_then(Value::as_str);
        let other = args.get(other_key).and_then(Value::as_str);
        let (Some(field), Some(other)) = (field, other) else {
            self.error(
                file,
                p,
                format!("`{kind}` needs `field` and `{other_key}`"),
                None,
            );
            return None;
        };
        let equals = match args.get("equals") {
            None => None,
            Some(Value::String(s)) => Some(Literal::Str(s.clone())),
            Some(Value::Bool(b)) => Some(Literal::Bool(*b)),
            Some(Value::Number(n)) if n.is_i64() => n.as_i64().map(Literal::Int),
            Some(_) => {
                self.error(
                    file,
                    &format!("{p}/{kind}/equals"),
                    "`equals` must be a string, boolean or integer".into(),
                    None,
                );
                return None;
            }
        };
        let (wire_field, wire_other) = (field, other);
        let field = self.field_at(file, p, schema, fields, field);
        let other = self.field_at(file, p, schema, fields, other);
        let ((field, field_schema), (other, other_schema)) = (field?, other?);
        // The generated check compares the two values (`not_less_than`) or
        // one value with `equals`: a pair that cannot be compared is
        // refused here, where the spec can be named, not by rustc.
        let at = format!("{p}/{kind}");
        if rule_kind == CrossKind::NotLessThan {
            let (a, b) = (
                comparable(field_schema, &self.view(field_schema)),
                comparable(other_schema, &self.view(other_schema)),
            );
            if a.is_none() || a != b {
                let said = |c: Option<&str>| c.unwrap_or("not comparable").to_owned();
                self.error(
                    file,
                    &at,
                    format!(
                        "`not_less_than` compares `{wire_field}` ({}) with `{wire_other}` ({}): they must be of one comparable type",
                        said(a),
                        said(b)
                    ),
                    Some("compare two integers of one format, two numbers, or two strings that are neither enums nor secrets"),
                );
                return None;
            }
        }
        if let Some(equals) = &equals {
            let typ = self.view(other_schema).typ;
            let fits = match equals {
                Literal::Str(_) => typ == Some("string"),
                Literal::Bool(_) => typ == Some("boolean"),
                Literal::Int(_) => typ == Some("integer"),
            };
            if !fits {
                self.error(
                    file,
                    &format!("{at}/equals"),
                    format!(
                        "`equals` is {}, and `{wire_other}` is {}: the condition could never hold",
                        match equals {
                            Literal::Str(_) => "a string",
                            Literal::Bool(_) => "a boolean",
                            Literal::Int(_) => "an integer",
                        },
                        typ.map_or("not a scalar".to_owned(), |t| format!("of type `{t}`"))
                    ),
                    Some("write `equals` as the value is written on the wire, of the field's type"),
                );
                return None;
            }
        }
        let minimum = if rule_kind == CrossKind::MinimumWhen {
            let minimum = match args.get("minimum") {
                Some(Value::Number(n)) => Some(n.to_string()),
                Some(Value::String(s)) if s.parse::<f64>().is_ok() => Some(s.clone()),
                _ => None,
            };
            let typ = self.view(field_schema).typ;
            let numeric = matches!(typ, Some("integer" | "number"));
            let whole = minimum
                .as_deref()
                .is_some_and(|m| !m.contains(['.', 'e', 'E']));
            match (minimum, equals.is_some()) {
                (Some(m), true) if numeric && (typ == Some("number") || whole) => Some(m),
                _ => {
                    self.error(
                        file,
                        &at,
                        format!("`minimum_when` needs `equals` and a `minimum` of `{wire_field}`'s type, a number field"),
                        Some("write `- minimum_when: {field: amount, when: currency, equals: INR, minimum: 100}`"),
                    );
                    return None;
                }
            }
        } else {
            None
        };
        Some(CrossRule {
            kind: rule_kind,
            field,
            other,
            equals,
            minimum,
        })
    }

    /// The dotted Rust field path of a dotted wire path, and the schema of
    /// the field it ends at.
    pub(super) fn field_at(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        fields: &[Field],
        path: &str,
    ) -> Option<(String, &'a Schema)> {
        let mut out = Vec::new();
        let mut current: &'a Schema = schema;
        for (depth, segment) in path.split('.').enumerate() {
            let v = self.view(current);
            let props = v.properties;
            let Some(prop) = props.and_then(|p| p.get(segment)) else {
                let names: Vec<String> = props
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                self.error(
                    file,
                    pointer,
                    format!("`{path}`: no property `{segment}` here"),
                    Some(&format!("properties at this level: {}", names.join(", "))),
                );
                return None;
            };
            let rust = if depth == 0 {
                fields
                    .iter()
                    .find(|f| f.wire == segment)
                    .map(|f| f.rust.clone())?
            } else {
                naming::snake(segment)?
            };
            out.push(rust);
            current = self.deref_schema(file, pointer, boxed(prop))?.2;
        }
        Some((out.join("."), current))
    }
}

/// The type a field's values compare as, when the generated code can
/// compare two of them with `<`: integers by their width, numbers, plain text.
fn comparable(schema: &Schema, v: &View) -> Option<&'static str> {
    let marked = |key| schema.schema_data.extensions.contains_key(key);
    match v.typ? {
        "integer" => Some(match v.format.as_deref() {
            Some(format) if super::scalars::I32_FORMATS.contains(&format) => "a 32-bit integer",
            _ => "a 64-bit integer",
        }),
        "number" => Some("a number"),
        "string" if v.enumeration.is_empty() && !marked("x-secret") && !marked("x-encrypted") => {
            Some("a string")
        }
        _ => None,
    }
}
