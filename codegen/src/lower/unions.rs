//! Unions to enums: `oneOf` of single-key objects (tagged by the key),
//! `oneOf`/`anyOf` of string enums (one string enum), and any other
//! `oneOf`/`anyOf` (untagged, told apart by shape).

use std::borrow::Cow;

use std::collections::HashMap;

use openapiv3::{ReferenceOr, Schema};

use crate::ir::{TypeKind, TypeRef, Variant};
use crate::locate::escape;
use crate::naming;

use super::view::{boxed, doc_lines, plain, View};
use super::Lowerer;

impl<'a> Lowerer<'a, '_> {
    pub(super) fn one_of(
        &mut self,
        file: usize,
        pointer: &str,
        name: &str,
        v: &View<'a>,
    ) -> Option<TypeKind> {
        let (choices, keyword) = if v.one_of.is_empty() {
            (v.any_of, "anyOf")
        } else {
            (v.one_of, "oneOf")
        };
        if let Some(strings) = self.one_of_strings(file, pointer, choices, keyword) {
            return Some(strings);
        }
        if let Some(discriminator) = v.discriminator {
            return self.discriminated(file, pointer, name, choices, keyword, discriminator);
        }
        // A `oneOf` of single-key objects is told apart by its key; anything
        // else by the value's shape.
        let keyed = keyword == "oneOf"
            && choices.iter().enumerate().all(|(i, choice)| {
                let p = format!("{pointer}/oneOf/{i}");
                self.deref_schema(file, &p, plain(choice))
                    .is_some_and(|(_, _, s)| self.view(s).properties.is_some_and(|p| p.len() == 1))
            });
        if !keyed {
            return self.untagged(file, pointer, name, choices, keyword);
        }
        let mut variants = Vec::new();
        for (i, choice) in v.one_of.iter().enumerate() {
            let p = format!("{pointer}/oneOf/{i}");
            let (choice_file, choice_pointer, schema) =
                self.explained(file, &p, "this oneOf choice", |this| {
                    this.deref_schema(file, &p, plain(choice))
                })?;
            let cv = self.view(schema);
            let props = cv.properties.filter(|p| p.len() == 1);
            let Some((wire, prop)) = props.and_then(|p| p.iter().next()) else {
                self.error(
                    choice_file,
                    &choice_pointer,
                    format!("`{name}`: each oneOf choice must be an object with exactly one property"),
                    Some("paygen maps oneOf to an enum whose variant is the single key, as in `{\"card\": {...}}`"),
                );
                continue;
            };
            let prop_pointer = format!("{choice_pointer}/properties/{}", escape(wire));
            let Some(rust) = naming::pascal(wire) else {
                self.error(
                    choice_file,
                    &prop_pointer,
                    format!("`{wire}` gives no Rust variant name"),
                    Some("use letters in the key"),
                );
                continue;
            };
            if let Some(first) = variants.iter().find(|v: &&Variant| v.wire == *wire) {
                // One key, several choices: the key does not tell them apart
                // (a tag property whose values would).
                self.error(
                    choice_file,
                    &prop_pointer,
                    format!(
                        "`{name}`: two oneOf choices are objects with the one key `{}`, which does not tell them apart",
                        first.wire
                    ),
                    Some("paygen tells single-key choices apart by their key; a tag property whose value names the choice is a `discriminator`, which is not supported"),
                );
                continue;
            }
            let hint = format!("{name}{rust}");
            let ty = self.explained(choice_file, &prop_pointer, "this oneOf choice", |this| {
                this.type_ref(choice_file, &prop_pointer, &hint, boxed(prop))
            })?;
            variants.push(Variant {
                rust,
                wire: wire.clone(),
                ty,
                doc: doc_lines(schema.schema_data.description.as_deref(), None),
                tags: Vec::new(),
            });
        }
        Some(TypeKind::OneOf {
            variants,
            rename_all: None,
            untagged: false,
            tag: None,
        })
    }

    /// Whether a `oneOf`/`anyOf` is a choice of texts that is a `String`:
    /// one choice has no limits (`NameOrId`: a UUID, or a name matching a
    /// pattern), so any text is one of them; or each choice has a pattern
    /// and nothing else (`IpNet`: an IPv4 or an IPv6 subnet), so a text is
    /// one of them when it matches either, which
    /// [`text_union_pattern`](Self::text_union_pattern) checks.
    pub(super) fn is_text_union(&mut self, file: usize, pointer: &str, v: &View<'a>) -> bool {
        self.text_union(file, pointer, v).is_some()
    }

    /// The pattern a choice of patterned texts is checked against: the
    /// choices' patterns as alternatives; `None` when any text will do.
    pub(super) fn text_union_pattern(
        &mut self,
        file: usize,
        pointer: &str,
        v: &View<'a>,
    ) -> Option<String> {
        self.text_union(file, pointer, v).flatten()
    }

    /// `None`: not a choice of texts that is a `String`; `Some(None)`: any
    /// text is one of its choices; `Some(Some(p))`: a text is one when it
    /// matches `p`.
    fn text_union(&mut self, file: usize, pointer: &str, v: &View<'a>) -> Option<Option<String>> {
        let (choices, keyword) = if v.one_of.is_empty() {
            (v.any_of, "anyOf")
        } else {
            (v.one_of, "oneOf")
        };
        if choices.is_empty() || v.properties.is_some() {
            return None;
        }
        let mut unlimited = false;
        let mut patterns = Vec::new();
        let mut mergeable = true;
        for (i, choice) in choices.iter().enumerate() {
            let p = format!("{pointer}/{keyword}/{i}");
            let (choice_file, choice_pointer, schema) =
                self.deref_schema(file, &p, plain(choice))?;
            let viewed = self.view(schema);
            let mut cv = Cow::Borrowed(&*viewed);
            let marked = |key| schema.schema_data.extensions.contains_key(key);
            if cv.typ != Some("string")
                || !cv.enumeration.is_empty()
                || marked("x-secret")
                || marked("x-encrypted")
            {
                return None;
            }
            if self.specs.lenient {
                self.without_skipped_limits(choice_file, &choice_pointer, &mut cv);
            }
            let lengths = cv.min_length.is_some() || cv.max_length.is_some();
            match cv.pattern {
                None if !lengths => unlimited = true,
                // A back-reference counts groups, which other patterns beside
                // it would renumber.
                Some(pattern) if !lengths && !has_back_reference(pattern) => patterns.push(pattern),
                _ => mergeable = false,
            }
        }
        if unlimited {
            return Some(None);
        }
        if !mergeable {
            return None;
        }
        let either = patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        paygen_model::pattern::engine(&either).ok()?;
        Some(Some(either))
    }

    /// A choice of objects told apart by the value of one property (a
    /// `discriminator`): each choice is named by the `mapping` entries that
    /// point at it, else by the values its own schema gives that property
    /// (an `enum`), else, for a `$ref`, by the component's name, as OpenAPI
    /// says. Decoded by that value, sent as the choice is (tag included).
    fn discriminated(
        &mut self,
        file: usize,
        pointer: &str,
        name: &str,
        choices: &'a [ReferenceOr<Schema>],
        keyword: &str,
        discriminator: &'a openapiv3::Discriminator,
    ) -> Option<TypeKind> {
        let property = &discriminator.property_name;
        let TypeKind::OneOf { mut variants, .. } =
            self.untagged(file, pointer, name, choices, keyword)?
        else {
            return None;
        };
        let at = format!("{pointer}/discriminator");
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, (choice, variant)) in choices.iter().zip(variants.iter_mut()).enumerate() {
            let p = format!("{pointer}/{keyword}/{i}");
            let reference = match choice {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            };
            let component = reference.and_then(|r| r.rsplit('/').next());
            let mut tags: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| {
                    Some(target.as_str()) == reference
                        || component.is_some_and(|c| target.as_str() == c)
                })
                .map(|(value, _)| value.clone())
                .collect();
            if tags.is_empty() {
                if let Some((f, fp, schema)) = self.deref_schema(file, &p, plain(choice)) {
                    // Its own property, or one its `allOf` merges.
                    let own = self.merged_property(f, &fp, schema, property);
                    if let Some(ReferenceOr::Item(prop)) = own {
                        tags = self
                            .view(prop)
                            .enumeration
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect();
                    }
                }
            }
            if tags.is_empty() {
                tags.extend(component.map(str::to_owned));
            }
            if tags.is_empty() {
                self.error(
                    file,
                    &p,
                    format!("no value of `{property}` names this choice"),
                    Some("name it in the discriminator's `mapping`, or give the choice's property an `enum` of the values that name it"),
                );
                return None;
            }
            for tag in &tags {
                if let Some(other) = seen.insert(tag.clone(), i) {
                    self.error(
                        file,
                        &at,
                        format!("`{property}: {tag}` names choices {other} and {i}"),
                        Some("each value of the discriminator names one choice"),
                    );
                    return None;
                }
            }
            variant.tags = tags;
        }
        Some(TypeKind::OneOf {
            variants,
            rename_all: None,
            untagged: true,
            tag: Some(property.clone()),
        })
    }

    /// A choice of values told apart by their shape: each variant named
    /// after the component its `$ref` names, its `title`, or its kind.
    pub(super) fn untagged(
        &mut self,
        file: usize,
        pointer: &str,
        name: &str,
        choices: &'a [ReferenceOr<Schema>],
        keyword: &str,
    ) -> Option<TypeKind> {
        let mut variants: Vec<Variant> = Vec::new();
        for (i, choice) in choices.iter().enumerate() {
            let p = format!("{pointer}/{keyword}/{i}");
            let (choice_file, choice_pointer, schema) =
                self.explained(file, &p, "this choice", |this| {
                    this.deref_schema(file, &p, plain(choice))
                })?;
            let named = match choice {
                ReferenceOr::Reference { reference } => reference.rsplit('/').next(),
                ReferenceOr::Item(item) => item.schema_data.title.as_deref(),
            };
            let base = named.and_then(naming::pascal).unwrap_or_else(|| {
                match self.view(schema).typ {
                    Some("string") => "Text",
                    Some("integer") => "Integer",
                    Some("number") => "Number",
                    Some("boolean") => "Flag",
                    Some("array") => "List",
                    _ => "Object",
                }
                .to_owned()
            });
            let rust = if variants.iter().any(|v| v.rust == base) {
                format!("{base}{}", i + 1)
            } else {
                base
            };
            let hint = format!("{name}{rust}");
            let ty = self.explained(file, &p, "this choice", |this| {
                this.type_ref(file, &p, &hint, plain(choice))
            })?;
            let ty = match ty {
                TypeRef::Named(n) if self.table.in_progress.contains(&n) => TypeRef::Boxed(n),
                other => other,
            };
            // A variant holds its value bare: limits on a choice that is not
            // a named type would have nowhere to be checked.
            if !matches!(ty, TypeRef::Named(_) | TypeRef::Boxed(_))
                && !self
                    .rules(choice_file, &choice_pointer, schema, &ty, false)
                    .is_empty()
            {
                self.error(
                    file,
                    &p,
                    format!("the limits of this {keyword} choice would not be checked"),
                    Some("make the choice an object (or a `$ref` to one) that carries the limits on its fields, or remove them"),
                );
                return None;
            }
            variants.push(Variant {
                rust,
                wire: String::new(),
                ty,
                doc: doc_lines(schema.schema_data.description.as_deref(), None),
                tags: Vec::new(),
            });
        }
        Some(TypeKind::OneOf {
            variants,
            rename_all: None,
            untagged: true,
            tag: None,
        })
    }

    /// A `oneOf` of string enums (often one value each, with its own
    /// description): one string enum of all their values; `None` when a
    /// choice is anything else.
    fn one_of_strings(
        &mut self,
        file: usize,
        pointer: &str,
        choices: &'a [ReferenceOr<Schema>],
        keyword: &str,
    ) -> Option<TypeKind> {
        let mut items = Vec::new();
        for (i, choice) in choices.iter().enumerate() {
            let p = format!("{pointer}/{keyword}/{i}");
            let (choice_file, choice_pointer, schema) =
                self.deref_schema(file, &p, plain(choice))?;
            let cv = self.view(schema);
            if cv.typ != Some("string") || cv.enumeration.is_empty() {
                return None;
            }
            let description = schema.schema_data.description.as_deref();
            let single = cv.enumeration.len() == 1;
            for (j, value) in cv.enumeration.iter().cloned().enumerate() {
                items.push((
                    choice_file,
                    format!("{choice_pointer}/enum/{j}"),
                    value,
                    description.filter(|_| single),
                ));
            }
        }
        Some(TypeKind::Enum {
            values: self.enum_values(items),
            open: false,
            rename_all: None,
        })
    }
}

/// Whether a pattern refers back to a group (`\1`, `\k<name>`).
fn has_back_reference(pattern: &str) -> bool {
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes[i + 1].is_ascii_digit() && bytes[i + 1] != b'0' || bytes[i + 1] == b'k' {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::has_back_reference;

    #[test]
    fn back_references_are_told_from_escapes() {
        assert!(has_back_reference(r"^(a)\1$"));
        assert!(has_back_reference(r"^(?<x>a)\k<x>$"));
        assert!(!has_back_reference(r"^\+[1-9]\d{6}$"));
        assert!(
            !has_back_reference(r"^\\1$"),
            "an escaped backslash, then a digit"
        );
        assert!(!has_back_reference(r"^\0$"));
    }
}
