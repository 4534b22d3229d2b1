//! The types of values that name no type of their own: text (plain,
//! secret, a card number or encrypted), integers by their format, numbers,
//! lists and maps, with the `format`s paygen knows.

use openapiv3::{AdditionalProperties, Schema};
use serde_json::Value;

use crate::ir::TypeRef;

use super::view::{boxed, plain, View};
use super::Lowerer;

impl<'a> Lowerer<'a, '_> {
    /// `x-secret` and `x-encrypted` mark text; anywhere else they are errors.
    pub(super) fn check_text_extensions(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &Schema,
        v: &View,
    ) {
        let plain_string =
            v.typ == Some("string") && v.enumeration.is_empty() && v.one_of.is_empty();
        for extension in ["x-secret", "x-encrypted"] {
            if plain_string || !schema.schema_data.extensions.contains_key(extension) {
                continue;
            }
            let what = if !v.one_of.is_empty() {
                "a oneOf"
            } else if !v.enumeration.is_empty() {
                "an enum"
            } else {
                match v.typ {
                    Some("integer") => "an integer",
                    Some("number") => "a number",
                    Some("boolean") => "a boolean",
                    Some("array") => "an array",
                    _ => "an object",
                }
            };
            self.error(
                file,
                &format!("{pointer}/{extension}"),
                format!("`{extension}` applies to a string without `enum`, not to {what}"),
                Some("mark the string fields that hold the secret: paygen masks and zeroizes text; an enum value or a number is not a secret it can hide"),
            );
        }
    }

    /// Whether the schema's `format` is one paygen knows for its type
    /// (integers' formats are checked with their bounds); an unknown one is
    /// reported, as a format that changes nothing would be a rule silently
    /// dropped.
    pub(super) fn known_format(&mut self, file: usize, pointer: &str, v: &View) -> bool {
        let (Some(format), Some(known)) = (
            v.format.as_deref(),
            match v.typ {
                Some("string") => Some(STRING_FORMATS),
                Some("number") => Some(NUMBER_FORMATS),
                _ => None,
            },
        ) else {
            return true;
        };
        // A published file's own formats (`float64`, `ISO8601`) say what the
        // text or number holds; the import mode reads the plain type.
        if known.contains(&format) || self.specs.lenient {
            return true;
        }
        self.error(
            file,
            &format!("{pointer}/format"),
            format!("unknown {} format `{format}`", v.typ.unwrap_or_default()),
            Some(&format!("known formats: {}", known.join(", "))),
        );
        false
    }

    /// Text: plain, secret, a card number, or encrypted for the gateway.
    pub(super) fn text_type(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &Schema,
    ) -> Option<TypeRef> {
        let extensions = &schema.schema_data.extensions;
        if let Some(scheme) = extensions.get("x-encrypted") {
            if scheme.as_str() == Some("rsa-pkcs1v15") {
                return Some(TypeRef::Encrypted);
            }
            self.error(
                file,
                &format!("{pointer}/x-encrypted"),
                format!("unknown `x-encrypted: {scheme}`"),
                Some("paygen supports `x-encrypted: rsa-pkcs1v15`"),
            );
            return None;
        }
        match extensions.get("x-secret") {
            None | Some(Value::Bool(false)) => Some(TypeRef::String),
            Some(Value::Bool(true)) => Some(TypeRef::Secret),
            Some(Value::String(kind)) if kind == "card-number" => Some(TypeRef::CardNumber),
            Some(other) => {
                self.error(
                    file,
                    &format!("{pointer}/x-secret"),
                    format!("unknown `x-secret: {other}`"),
                    Some("use `x-secret: true`, or `x-secret: card-number` for a card number"),
                );
                None
            }
        }
    }

    /// An integer by its `format`; the sized formats are checked as the
    /// bounds they imply.
    pub(super) fn integer_type(&mut self, file: usize, pointer: &str, v: &View) -> Option<TypeRef> {
        match v.format.as_deref() {
            Some(format) if I32_FORMATS.contains(&format) => Some(TypeRef::I32),
            None | Some("int64" | "uint32") => Some(TypeRef::I64),
            Some("uint64") => Some(TypeRef::U64),
            // A published file's own name for an integer (`integer64`).
            Some(_) if self.specs.lenient => Some(TypeRef::I64),
            Some(other) => {
                self.error(
                    file,
                    pointer,
                    format!("integer format `{other}` is not supported"),
                    Some("use `int32`, `int64`, or a sized one (`int8`, `int16`, `uint8`, `uint16`, `uint32`)"),
                );
                None
            }
        }
    }

    /// An array: a list of its `items`.
    pub(super) fn list_type(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        v: &View<'a>,
    ) -> Option<TypeRef> {
        let Some(items) = v.items else {
            self.error(
                file,
                pointer,
                "an array needs `items`".into(),
                Some("add `items` with the item schema"),
            );
            return None;
        };
        let inner = self.type_ref(
            file,
            &format!("{pointer}/items"),
            &format!("{hint}Item"),
            boxed(items),
        )?;
        Some(TypeRef::List(Box::new(inner)))
    }

    /// An object without properties: a map of its `additionalProperties`,
    /// or any JSON (gateways send `[]` for an empty object).
    pub(super) fn map_type(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        v: &View<'a>,
    ) -> Option<TypeRef> {
        match v.additional {
            Some(AdditionalProperties::Schema(value)) => {
                let inner = self.type_ref(
                    file,
                    &format!("{pointer}/additionalProperties"),
                    &format!("{hint}Value"),
                    plain(value),
                )?;
                Some(TypeRef::Map(Box::new(inner)))
            }
            // `additionalProperties: true`: an object, of any members.
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Map(Box::new(TypeRef::Json))),
            _ => Some(TypeRef::Json),
        }
    }
}

/// The integer formats whose values fit an `i32`.
pub(super) const I32_FORMATS: &[&str] = &["int32", "int16", "int8", "uint16", "uint8"];

/// The string formats OpenAPI 3.0 and JSON Schema define that a payment
/// spec uses; each documents the text, which stays a `String`.
pub(super) const STRING_FORMATS: &[&str] = &[
    "binary",
    "byte",
    "date",
    "date-time",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "password",
    "time",
    "uri",
    "uri-reference",
    "url",
    "uuid",
];

/// The number formats OpenAPI 3.0 defines, and `decimal`: every number is
/// an exact `Decimal` whatever its format says.
pub(super) const NUMBER_FORMATS: &[&str] = &["decimal", "double", "float"];

/// Whether a schema without `type` says nothing that implies one.
pub(super) fn implies_no_type(v: &View) -> bool {
    v.format.is_none()
        && v.pattern.is_none()
        && v.enumeration.is_empty()
        && v.min_length.is_none()
        && v.max_length.is_none()
        && v.minimum.is_none()
        && v.maximum.is_none()
        && v.items.is_none()
        && v.min_items.is_none()
        && v.max_items.is_none()
        && v.additional.is_none()
        && v.min_properties.is_none()
        && v.max_properties.is_none()
}
