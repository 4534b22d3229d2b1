//! The validation rules a schema states: limits on a value, its `enum` and
//! `default`, and the limits a published file gets wrong on its own (skipped
//! alone). The rules between fields are in `cross_rules`.

use std::borrow::Cow;

use openapiv3::{AdditionalProperties, Schema};
use serde_json::Value;

use crate::ir::{Literal, Range, Rules, TypeRef};
use crate::skip::LIMITS;

use super::view::{boxed, plain, View};
use super::Lowerer;

/// How a type is named in messages.
fn type_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String | TypeRef::Secret | TypeRef::CardNumber | TypeRef::Encrypted => "string",
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => "integer",
        TypeRef::Decimal => "number",
        TypeRef::Bool => "boolean",
        TypeRef::List(_) => "array",
        TypeRef::Map(_) | TypeRef::Json | TypeRef::Named(_) | TypeRef::Boxed(_) => "object",
        TypeRef::NoContent => "no body",
        TypeRef::File => "file",
    }
}

/// `an integer`, `a string`.
fn with_article(name: &str) -> String {
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

impl<'a> Lowerer<'a, '_> {
    /// `enum` on a value that does not become a Rust enum (string enums do):
    /// the allowed values of an integer or a boolean, checked as a rule.
    fn enum_rule(
        &mut self,
        file: usize,
        pointer: &str,
        v: &View,
        ty: &TypeRef,
    ) -> Option<Vec<Literal>> {
        let values: Vec<&Value> = v.enumeration.iter().filter(|e| !e.is_null()).collect();
        if values.is_empty() || matches!(ty, TypeRef::Named(_) | TypeRef::Boxed(_)) {
            return None;
        }
        let literals: Option<Vec<Literal>> = match ty {
            TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => values
                .iter()
                .map(|e| e.as_i64().map(Literal::Int))
                .collect(),
            TypeRef::Bool => values
                .iter()
                .map(|e| e.as_bool().map(Literal::Bool))
                .collect(),
            // Only a parameter is a plain string with an `enum`: a property's
            // string enum is a Rust enum.
            TypeRef::String => values
                .iter()
                .map(|e| e.as_str().map(|s| Literal::Str(s.to_owned())))
                .collect(),
            _ => None,
        };
        if literals.is_none() {
            self.error(
                file,
                &format!("{pointer}/enum"),
                format!(
                    "`enum` on {} is not supported, or holds a value of another type",
                    with_article(type_name(ty))
                ),
                Some("string enums become Rust enums, integer and boolean enums a rule; give each value the schema's type"),
            );
        }
        literals
    }

    /// `default` must be a value of the schema's type: it is documented as
    /// what the gateway assumes when the field is not sent.
    fn check_default(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &Schema,
        v: &View,
        ty: &TypeRef,
    ) {
        let Some(default) = &schema.schema_data.default else {
            return;
        };
        let fits = match ty {
            TypeRef::String | TypeRef::Secret | TypeRef::CardNumber | TypeRef::Encrypted => {
                default.is_string()
            }
            TypeRef::I32 | TypeRef::I64 => default.is_i64(),
            TypeRef::U64 => default.is_u64(),
            TypeRef::Decimal => default.is_number(),
            TypeRef::Bool => default.is_boolean(),
            TypeRef::List(_) => default.is_array(),
            TypeRef::Map(_) | TypeRef::Json => default.is_object(),
            TypeRef::NoContent | TypeRef::File => false,
            TypeRef::Named(_) | TypeRef::Boxed(_) => {
                v.enumeration.is_empty() || v.enumeration.contains(default)
            }
        };
        if !fits {
            let expected = if v.enumeration.is_empty() {
                with_article(type_name(ty))
            } else {
                "one of the `enum` values".to_owned()
            };
            self.error(
                file,
                &format!("{pointer}/default"),
                format!("default `{default}` is not {expected}"),
                Some("write the value the gateway assumes when the field is not sent"),
            );
        }
    }

    /// The validation rules OpenAPI states for a value of type `ty`.
    pub(super) fn rules(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        ty: &TypeRef,
        required: bool,
    ) -> Rules {
        // The schema's view, copied only if a step below adjusts it.
        let viewed = self.view(schema);
        let mut v = Cow::Borrowed(&*viewed);
        if v.typ == Some("integer") {
            format_bounds(&mut v);
        }
        if self.specs.lenient {
            self.without_skipped_limits(file, pointer, &mut v);
        }
        if matches!(ty, TypeRef::CardNumber | TypeRef::Encrypted | TypeRef::File) {
            // A card number checks its own digits, length and checksum; a
            // file's bytes are the file's.
            return Rules::default();
        }
        let mut rules = Rules {
            required: required && matches!(ty, TypeRef::String | TypeRef::Secret),
            ..Rules::default()
        };
        rules.one_of = self.enum_rule(file, pointer, &v, ty);
        self.check_default(file, pointer, schema, &v, ty);
        if !matches!(ty, TypeRef::String | TypeRef::Secret) {
            // Text rules on a value that is not text: an enum's values are
            // fixed, a number has no characters.
            self.text_rules_on_other(file, pointer, &mut v, ty);
        }
        self.length_rule(file, pointer, &v, &mut rules);
        // `format: uuid` is a shape a gateway checks: the client checks it
        // first, as a pattern (hyphenated, either case), unless the spec
        // gives its own.
        if v.pattern.is_none()
            && v.format.as_deref() == Some("uuid")
            && matches!(ty, TypeRef::String | TypeRef::Secret)
        {
            rules.pattern = Some(UUID_PATTERN.to_owned());
        }
        if let Some(pattern) = v.pattern {
            if let Err(e) = paygen_model::pattern::engine(pattern) {
                self.error(file, &format!("{pointer}/pattern"), format!("invalid pattern: {e}"), Some("paygen reads Rust regex syntax, with look-around and back-references (ECMA-262's patterns, nearly all)"));
            }
            rules.pattern = Some(pattern.to_owned());
        }
        if rules.pattern.is_none() && *ty == TypeRef::String {
            // A choice of patterned texts is text matching one of them.
            rules.pattern = self.text_union_pattern(file, pointer, &v);
        }
        if v.minimum.is_some() || v.maximum.is_some() || v.multiple_of.is_some() {
            rules.range = self.range_rule(file, pointer, &v, ty);
        }
        let (count_min, count_max) = match ty {
            TypeRef::List(_) => (v.min_items, v.max_items),
            TypeRef::Map(_) => (v.min_properties, v.max_properties),
            _ => (None, None),
        };
        if let (Some(min), Some(max)) = (count_min, count_max) {
            if min > max {
                let limit = if matches!(ty, TypeRef::List(_)) {
                    "minItems"
                } else {
                    "minProperties"
                };
                self.error(
                    file,
                    &format!("{pointer}/{limit}"),
                    format!("the minimum count {min} is greater than the maximum {max}"),
                    None,
                );
            }
        }
        if count_min.is_some() || count_max.is_some() {
            rules.count = Some((count_min.map(|n| n as u64), count_max.map(|n| n as u64)));
        }
        rules.each = self.each_rule(file, pointer, &v, ty);
        rules
    }

    /// Forgets the limits of `v` that the import mode skipped (a pattern no
    /// engine reads, a minimum above its maximum): the value is still sent
    /// and read, without that check.
    pub(super) fn without_skipped_limits(
        &self,
        file: usize,
        pointer: &str,
        v: &mut Cow<'_, View<'a>>,
    ) {
        let path = &self.file(file).path;
        let skipped = |limit: &str| {
            self.specs
                .skips
                .contains(path, &format!("{pointer}/{limit}"))
        };
        if !LIMITS.into_iter().any(skipped) {
            return;
        }
        let v = v.to_mut();
        if skipped("pattern") {
            v.pattern = None;
        }
        if skipped("minLength") {
            v.min_length = None;
        }
        if skipped("maxLength") {
            v.max_length = None;
        }
        if skipped("minimum") {
            v.minimum = None;
        }
        if skipped("maximum") {
            v.maximum = None;
        }
        if skipped("minItems") {
            v.min_items = None;
        }
        if skipped("maxItems") {
            v.max_items = None;
        }
        if skipped("minProperties") {
            v.min_properties = None;
        }
        if skipped("maxProperties") {
            v.max_properties = None;
        }
    }

    /// Text rules (`minLength`, `maxLength`, `pattern`) on a value of type
    /// `ty`, which is not text: an error, or, in the import mode, dropped
    /// (a published enum's `maxLength` bounds values that are fixed anyway).
    fn text_rules_on_other(
        &mut self,
        file: usize,
        pointer: &str,
        v: &mut Cow<'_, View>,
        ty: &TypeRef,
    ) {
        let found: Vec<&str> = [
            ("minLength", v.min_length.is_some()),
            ("maxLength", v.max_length.is_some()),
            ("pattern", v.pattern.is_some()),
        ]
        .into_iter()
        .filter_map(|(key, set)| set.then_some(key))
        .collect();
        if found.is_empty() {
            return;
        }
        let text_rules = &mut v.to_mut();
        (
            text_rules.min_length,
            text_rules.max_length,
            text_rules.pattern,
        ) = (None, None, None);
        if self.specs.lenient {
            return;
        }
        let what = match ty {
            TypeRef::Named(_) => "an enum (its values are fixed)".to_owned(),
            other => format!("a value of type `{}`", other.spec_name()),
        };
        self.error(
            file,
            &format!("{pointer}/{}", found[0]),
            format!(
                "`{}` applies to text, and this is {what}",
                found.join("`, `")
            ),
            Some("remove it: there is no text to check"),
        );
    }

    /// `minLength`/`maxLength`; a minimum that `required` already says is dropped.
    fn length_rule(&mut self, file: usize, pointer: &str, v: &View, rules: &mut Rules) {
        if v.min_length.is_none() && v.max_length.is_none() {
            return;
        }
        if let (Some(min), Some(max)) = (v.min_length, v.max_length) {
            if min > max {
                self.error(
                    file,
                    &format!("{pointer}/minLength"),
                    format!("minLength {min} is greater than maxLength {max}"),
                    Some("swap them or fix the limit from the gateway's page"),
                );
            }
        }
        // `required` already says a string must not be empty: a minimum of
        // one adds nothing, and a larger minimum says more.
        let min = match v.min_length {
            Some(0) => None,
            Some(1) if rules.required => None,
            Some(n) => {
                rules.required = false;
                Some(n as u64)
            }
            None => None,
        };
        if min.is_some() || v.max_length.is_some() {
            rules.length = Some((min, v.max_length.map(|n| n as u64)));
        }
    }

    /// `minimum`/`maximum` and their exclusive forms, as literals of the
    /// field's type: whole numbers for an integer, exact decimals for a number.
    fn range_rule(&mut self, file: usize, pointer: &str, v: &View, ty: &TypeRef) -> Option<Range> {
        if let (Some(min), Some(max)) = (v.minimum, v.maximum) {
            if min > max {
                self.error(
                    file,
                    &format!("{pointer}/minimum"),
                    format!("minimum {min} is greater than maximum {max}"),
                    Some("swap them or fix the limit from the gateway's page"),
                );
            }
        }
        let literal: fn(f64) -> String = match ty {
            TypeRef::U64 if v.minimum.is_some_and(|m| m < 0.0) => {
                self.error(
                    file,
                    &format!("{pointer}/minimum"),
                    "a negative `minimum` of an unsigned integer (`uint64`)".into(),
                    Some("remove it: a `uint64` is never negative"),
                );
                return None;
            }
            TypeRef::U64 => |x| format!("{}", x as u64),
            TypeRef::I32 | TypeRef::I64 => {
                for (key, bound) in [
                    ("minimum", v.minimum),
                    ("maximum", v.maximum),
                    ("multipleOf", v.multiple_of),
                ] {
                    if bound.is_some_and(|b| b.fract() != 0.0) {
                        self.error(
                            file,
                            &format!("{pointer}/{key}"),
                            format!("`{key}` of an integer is not a whole number"),
                            Some("an integer field is bounded by integers; make the field `type: number` if it holds decimals"),
                        );
                    }
                }
                |x| format!("{}", x as i64)
            }
            TypeRef::Decimal => |x| format!("{x}"),
            // A bound a published file puts on text bounds nothing.
            _ if self.specs.lenient => return None,
            _ => {
                self.error(
                    file,
                    pointer,
                    "`minimum`/`maximum` bound numbers; this field is not one".into(),
                    Some("remove the bound, or give the field `type: integer` or `type: number`"),
                );
                return None;
            }
        };
        if v.multiple_of.is_some_and(|m| m <= 0.0 || !m.is_finite()) {
            self.error(
                file,
                &format!("{pointer}/multipleOf"),
                "`multipleOf` must be greater than 0".into(),
                Some("give the step, such as 0.01 for two decimal places"),
            );
            return None;
        }
        let (lo, hi) = (v.minimum.map(literal), v.maximum.map(literal));
        Some(Range {
            min: lo.clone().filter(|_| !v.exclusive_minimum),
            max: hi.clone().filter(|_| !v.exclusive_maximum),
            exclusive_min: lo.filter(|_| v.exclusive_minimum),
            exclusive_max: hi.filter(|_| v.exclusive_maximum),
            multiple_of: v.multiple_of.map(literal),
        })
    }

    /// The rules of each item of a list or value of a map.
    fn each_rule(
        &mut self,
        file: usize,
        pointer: &str,
        v: &View<'a>,
        ty: &TypeRef,
    ) -> Option<Box<Rules>> {
        let (inner, p, item) = match (ty, v.items, v.additional) {
            (TypeRef::List(inner), Some(items), _) => {
                (inner, format!("{pointer}/items"), boxed(items))
            }
            (TypeRef::Map(inner), _, Some(AdditionalProperties::Schema(value))) => (
                inner,
                format!("{pointer}/additionalProperties"),
                plain(value),
            ),
            _ => return None,
        };
        let (f, ip, item_schema) = self.deref_schema(file, &p, item)?;
        let item_rules = self.rules(f, &ip, item_schema, inner, false);
        (!item_rules.is_empty()).then(|| Box::new(item_rules))
    }
}

/// The bounds an integer `format` implies (`uint8` is 0 to 255), where they
/// are tighter than the schema's own `minimum` and `maximum`.
fn format_bounds(v: &mut Cow<'_, View>) {
    let (low, high) = match v.format.as_deref() {
        Some("int8") => (-128.0, 127.0),
        Some("int16") => (-32768.0, 32767.0),
        Some("uint8") => (0.0, 255.0),
        Some("uint16") => (0.0, 65535.0),
        Some("uint32") => (0.0, 4_294_967_295.0),
        _ => return,
    };
    if v.minimum.is_none_or(|m| m < low) {
        let v = v.to_mut();
        v.minimum = Some(low);
        v.exclusive_minimum = false;
    }
    if v.maximum.is_none_or(|m| m > high) {
        let v = v.to_mut();
        v.maximum = Some(high);
        v.exclusive_maximum = false;
    }
}

/// What `format: uuid` requires: 8-4-4-4-12 hexadecimal digits.
const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
