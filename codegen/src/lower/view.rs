//! A flat view of a schema, whichever way openapiv3 parsed it, and the doc
//! lines a schema's description and example give.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use paygen_model::doc::code;
use serde_json::Value;

/// A schema's keywords in one flat view, whichever way openapiv3 parsed it.
#[derive(Clone, Default)]
pub(super) struct View<'s> {
    pub(super) typ: Option<&'s str>,
    pub(super) format: Option<String>,
    pub(super) pattern: Option<&'s str>,
    pub(super) enumeration: Vec<Value>,
    pub(super) min_length: Option<usize>,
    pub(super) max_length: Option<usize>,
    pub(super) minimum: Option<f64>,
    pub(super) maximum: Option<f64>,
    pub(super) exclusive_minimum: bool,
    pub(super) exclusive_maximum: bool,
    pub(super) multiple_of: Option<f64>,
    pub(super) properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub(super) required: &'s [String],
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) min_properties: Option<usize>,
    pub(super) max_properties: Option<usize>,
    pub(super) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(super) min_items: Option<usize>,
    pub(super) max_items: Option<usize>,
    pub(super) one_of: &'s [ReferenceOr<Schema>],
    pub(super) all_of: &'s [ReferenceOr<Schema>],
    pub(super) any_of: &'s [ReferenceOr<Schema>],
    pub(super) unsupported: Option<&'static str>,
    /// The property whose value names a `oneOf`/`anyOf` choice.
    pub(super) discriminator: Option<&'s openapiv3::Discriminator>,
}

/// A `format` as the spec spells it (`date-time`), whether openapiv3 knew it or not.
pub(super) fn format_name<T: serde::Serialize>(
    f: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(i) => match serde_json::to_value(i) {
            Ok(Value::String(name)) => Some(name),
            _ => None,
        },
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// Each schema's [`View`], made the first time lowering reads the schema
/// and shared after. A schema is read by the step that types it, by its
/// rules and by its parent's checks, and a view is not free to make (a
/// `format` goes through serde, an `enum` is copied).
///
/// Keyed by the schema's address: every key is borrowed from the parsed
/// specs for all of `'a`, which outlives the cache, so an address names one
/// schema for as long as the cache can be asked.
#[derive(Default)]
pub(super) struct Views<'a> {
    made: RefCell<HashMap<*const Schema, Rc<View<'a>>>>,
}

impl<'a> Views<'a> {
    /// `schema`'s view, made now if this is the first time it is read.
    pub(super) fn of(&self, schema: &'a Schema) -> Rc<View<'a>> {
        let key: *const Schema = schema;
        if let Some(made) = self.made.borrow().get(&key) {
            return Rc::clone(made);
        }
        let made = Rc::new(view(schema));
        self.made.borrow_mut().insert(key, Rc::clone(&made));
        made
    }
}

fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.typ = Some("string");
            v.format = format_name(&s.format);
            v.pattern = s.pattern.as_deref();
            v.enumeration = s
                .enumeration
                .iter()
                .map(|e| e.clone().map_or(Value::Null, Value::String))
                .collect();
            v.min_length = s.min_length;
            v.max_length = s.max_length;
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.typ = Some("integer");
            v.format = format_name(&i.format);
            v.minimum = i.minimum.map(|m| m as f64);
            v.maximum = i.maximum.map(|m| m as f64);
            v.exclusive_minimum = i.exclusive_minimum;
            v.exclusive_maximum = i.exclusive_maximum;
            v.multiple_of = i.multiple_of.map(|m| m as f64);
            v.enumeration = i
                .enumeration
                .iter()
                .map(|e| e.map_or(Value::Null, Value::from))
                .collect();
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.typ = Some("number");
            v.format = format_name(&n.format);
            v.minimum = n.minimum;
            v.maximum = n.maximum;
            v.exclusive_minimum = n.exclusive_minimum;
            v.exclusive_maximum = n.exclusive_maximum;
            v.multiple_of = n.multiple_of;
            v.enumeration = n
                .enumeration
                .iter()
                .map(|e| e.map_or(Value::Null, Value::from))
                .collect();
        }
        SchemaKind::Type(Type::Boolean(b)) => {
            v.typ = Some("boolean");
            v.enumeration = b
                .enumeration
                .iter()
                .map(|e| e.map_or(Value::Null, Value::Bool))
                .collect();
        }
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object");
            v.properties = Some(&o.properties);
            v.required = &o.required;
            v.additional = o.additional_properties.as_ref();
            v.min_properties = o.min_properties;
            v.max_properties = o.max_properties;
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array");
            v.items = a.items.as_ref();
            v.min_items = a.min_items;
            v.max_items = a.max_items;
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of,
        SchemaKind::AllOf { all_of } => v.all_of = all_of,
        SchemaKind::AnyOf { any_of } => v.any_of = any_of,
        SchemaKind::Not { .. } => v.unsupported = Some("not"),
        SchemaKind::Any(a) => any_view(a, &mut v),
    }
    v.discriminator = schema.schema_data.discriminator.as_ref();
    v
}

/// The keywords of a schema openapiv3 could not give one kind (several
/// kinds' keywords, or none).
fn any_view<'s>(a: &'s openapiv3::AnySchema, v: &mut View<'s>) {
    v.typ = a.typ.as_deref();
    v.format = a.format.clone();
    v.pattern = a.pattern.as_deref();
    v.enumeration = a.enumeration.clone();
    v.min_length = a.min_length;
    v.max_length = a.max_length;
    v.minimum = a.minimum;
    v.maximum = a.maximum;
    v.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
    v.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
    v.multiple_of = a.multiple_of;
    if !a.properties.is_empty() || a.typ.as_deref() == Some("object") {
        v.properties = Some(&a.properties);
    }
    v.required = &a.required;
    v.additional = a.additional_properties.as_ref();
    v.min_properties = a.min_properties;
    v.max_properties = a.max_properties;
    v.items = a.items.as_ref();
    v.min_items = a.min_items;
    v.max_items = a.max_items;
    v.one_of = &a.one_of;
    v.all_of = &a.all_of;
    v.any_of = &a.any_of;
    if a.not.is_some() {
        v.unsupported = Some("not");
    }
}

/// Doc lines from a description (inert: see [`crate::markdown`]) and an
/// example (as inline code).
pub(super) fn doc_lines(description: Option<&str>, example: Option<&Value>) -> Vec<String> {
    let mut lines: Vec<String> = description.map(crate::markdown::inert).unwrap_or_default();
    if let Some(example) = example {
        lines.push(format!("Example: {}", code(&value_text(example))));
    }
    lines
}

/// A value from a spec as it reads in a doc line: a string without its quotes.
pub(super) fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether a schema becomes a named Rust type (an object with properties, a
/// string enum or a oneOf) rather than a field type (a scalar, list, map or
/// free-form object).
/// Doc lines for a property or parameter schema: its description, what the
/// gateway assumes when it is not sent (`default`), whether it is
/// deprecated, and its example.
pub(super) fn schema_doc(data: &openapiv3::SchemaData, example: Option<&Value>) -> Vec<String> {
    let mut lines = doc_lines(data.description.as_deref(), None);
    let mut notes = Vec::new();
    if let Some(default) = &data.default {
        notes.push(format!(
            "When not sent, the gateway uses {}.",
            code(&value_text(default))
        ));
    }
    if data.deprecated {
        notes.push("Deprecated by the gateway: avoid it in new code.".to_owned());
    }
    if !notes.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(notes);
    }
    lines.extend(doc_lines(None, example.or(data.example.as_ref())));
    lines
}

pub(super) fn is_named_shape(v: &View) -> bool {
    !v.one_of.is_empty()
        || !v.any_of.is_empty()
        || is_merge(v)
        || (v.typ == Some("string") && !v.enumeration.is_empty())
        || v.properties.is_some_and(|p| !p.is_empty())
}

/// The one schema a schema only wraps: a `$ref` (`allOf: [{$ref: X}]`,
/// written to add a `description` or `nullable` beside a reference), or a
/// schema that is not an object (`allOf: [{type: string, format: uuid}]`,
/// written to add a `title`): the schema means what that one means. A lone
/// inline object is merged, as `allOf` of objects is. Members that add
/// nothing (`{type: object}` beside a `oneOf`'s `$ref`) are not counted.
pub(super) fn wrapped<'s>(v: &View<'s>) -> Option<&'s ReferenceOr<Schema>> {
    let members: Vec<&'s ReferenceOr<Schema>> =
        v.all_of.iter().filter(|m| !adds_nothing(m)).collect();
    match members.as_slice() {
        [only @ ReferenceOr::Reference { .. }] if v.properties.is_none() => Some(*only),
        [only @ ReferenceOr::Item(inner)] if v.properties.is_none() => {
            let inner = view(inner);
            // A wrapper of a wrapper (`{allOf: [$ref], nullable: true}`
            // beside a placeholder) wraps what the inner one does.
            if wrapped(&inner).is_some() {
                return Some(*only);
            }
            let object = matches!(inner.typ, Some("object") | None)
                && (inner.properties.is_some() || !inner.all_of.is_empty());
            (!object && inner.typ.is_some()).then_some(*only)
        }
        _ => None,
    }
}

/// An `allOf` member that adds nothing (`{}`, `{type: object}`,
/// `{properties: {}}`), as published files write a placeholder.
fn adds_nothing(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = member else {
        return false;
    };
    let m = view(schema);
    matches!(m.typ, None | Some("object"))
        && m.properties.is_none_or(|p| p.is_empty())
        && m.all_of.is_empty()
        && m.one_of.is_empty()
        && m.any_of.is_empty()
        && m.additional.is_none()
        && m.unsupported.is_none()
        && m.enumeration.is_empty()
}

/// Whether a schema merges objects with `allOf` (into one struct), rather
/// than wrapping one reference.
pub(super) fn is_merge(v: &View) -> bool {
    !v.all_of.is_empty() && wrapped(v).is_none()
}

/// A schema or a `$ref` to one, whether openapiv3 boxed it or not.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

pub(super) fn plain(schema: &ReferenceOr<Schema>) -> SchemaRef<'_> {
    match schema {
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaRef::Item(s),
    }
}

pub(super) fn boxed(schema: &ReferenceOr<Box<Schema>>) -> SchemaRef<'_> {
    match schema {
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaRef::Item(s),
    }
}
