//! String enums: their values and Rust names, and what each value means
//! (`x-enum-descriptions`).

use std::collections::HashMap;

use serde_json::Value;

use crate::ir::{EnumValue, TypeKind};
use crate::naming;

use super::view::{doc_lines, View};
use super::Lowerer;

impl<'a> Lowerer<'a, '_> {
    pub(super) fn string_enum(
        &mut self,
        file: usize,
        pointer: &str,
        v: &View,
        descriptions: Option<&Value>,
    ) -> Option<TypeKind> {
        let descriptions = self.enum_descriptions(file, pointer, v, descriptions);
        let items = v
            .enumeration
            .iter()
            .enumerate()
            .map(|(i, value)| {
                let doc = value.as_str().and_then(|w| descriptions.get(w).copied());
                (file, format!("{pointer}/enum/{i}"), value.clone(), doc)
            })
            .collect();
        Some(TypeKind::Enum {
            values: self.enum_values(items),
            open: false,
            rename_all: None,
        })
    }

    /// The variants of a string enum from its values, each with where it is
    /// written and its description.
    pub(super) fn enum_values(
        &mut self,
        items: Vec<(usize, String, Value, Option<&str>)>,
    ) -> Vec<EnumValue> {
        let mut values = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (file, p, value, doc) in items {
            let Some(wire) = value.as_str() else {
                self.error(
                    file,
                    &p,
                    "a string enum value must be a string".into(),
                    Some("quote it"),
                );
                continue;
            };
            let Some(mut rust) = naming::variant(wire) else {
                self.error(
                    file,
                    &p,
                    format!("enum value `{wire}` gives no Rust variant name"),
                    None,
                );
                continue;
            };
            if let Some(first) = seen.get(&rust) {
                // The same value listed twice (published files do) names one
                // variant: the repeat changes nothing, in the import mode.
                if first == wire && self.specs.lenient {
                    continue;
                }
                // Two values that spell one name (`PHL_AIR_21`, `PHL_AIR21`):
                // the import mode names the later one `..V2`, `..V3`; its wire
                // value stays as written.
                if self.specs.lenient {
                    let base = rust.clone();
                    let mut n = 2;
                    while seen.contains_key(&rust) {
                        rust = format!("{base}V{n}");
                        n += 1;
                    }
                    seen.insert(rust.clone(), wire.to_owned());
                    values.push(EnumValue {
                        rust,
                        wire: wire.to_owned(),
                        doc: doc_lines(doc, None),
                    });
                    continue;
                }
                self.error(
                    file,
                    &p,
                    format!("enum values `{first}` and `{wire}` both become variant `{rust}`"),
                    Some("remove the duplicate"),
                );
                continue;
            }
            seen.insert(rust.clone(), wire.to_owned());
            values.push(EnumValue {
                rust,
                wire: wire.to_owned(),
                doc: doc_lines(doc, None),
            });
        }
        values
    }

    /// `x-enum-descriptions`: one description per enum value, by value.
    pub(super) fn enum_descriptions<'v>(
        &mut self,
        file: usize,
        pointer: &str,
        v: &View,
        descriptions: Option<&'v Value>,
    ) -> HashMap<&'v str, &'v str> {
        let mut found = HashMap::new();
        let Some(descriptions) = descriptions else {
            return found;
        };
        let at = format!("{pointer}/x-enum-descriptions");
        let Some(map) = descriptions.as_object() else {
            self.error(
                file,
                &at,
                "`x-enum-descriptions` maps each enum value to its description".into(),
                Some("write `x-enum-descriptions: {VALUE: What it means.}`"),
            );
            return found;
        };
        for (value, description) in map {
            let key_at = format!("{at}/{}", value.replace('~', "~0").replace('/', "~1"));
            if !v.enumeration.iter().any(|e| e.as_str() == Some(value)) {
                self.error(
                    file,
                    &key_at,
                    format!("`x-enum-descriptions` describes `{value}`, which is not one of the enum's values"),
                    Some("use the value exactly as the enum spells it"),
                );
            } else if let Some(description) = description.as_str() {
                found.insert(value.as_str(), description);
            } else {
                self.error(
                    file,
                    &key_at,
                    format!("the description of `{value}` must be a string"),
                    None,
                );
            }
        }
        found
    }
}
