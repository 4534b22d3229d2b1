//! Schemas to types: names claimed once, objects, string enums, oneOfs, and
//! the type of every property, item and map value.

use std::collections::{BTreeSet, HashMap};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use crate::ir::{TypeDef, TypeRef};
use crate::locate::escape;
use crate::naming;

use super::refs::SCHEMAS;
use super::view::{boxed, doc_lines, is_merge, is_named_shape, plain, wrapped, SchemaRef, View};
use super::ComponentKey;
use super::{view, Lowerer, Place, NO_PLACE, TYPES};

/// Every type lowering has made so far, and what naming, boxing and
/// sorting them needs: the state of this step, which bodies, responses and
/// webhooks add to and operations look types up in.
pub(super) struct TypeTable {
    /// The Rust names of every component schema, which an inline type may
    /// not take in the import mode (filled when first needed).
    pub(super) component_names: Option<BTreeSet<String>>,
    /// Component schemas already given a type name.
    pub(super) named: HashMap<ComponentKey, String>,
    /// Each type name and where it came from, to report collisions.
    pub(super) origins: HashMap<String, (usize, String)>,
    /// Types by the file that declares them.
    pub(super) types: Vec<Vec<TypeDef>>,
    /// Where each type is in `types` (its file, its index), so that an
    /// operation finds its body's type without a scan of every type.
    pub(super) type_places: HashMap<String, Vec<(usize, usize)>>,
    /// Each `x-error-fields` met: its file, pointer, type and map, resolved
    /// once every type is known.
    pub(super) error_field_specs: Vec<(usize, String, String, Value)>,
    /// Types being lowered, to box direct self-references.
    pub(super) in_progress: Vec<String>,
    /// The place of the component schemas being lowered: an inline type
    /// sorts right after the component it appears in.
    pub(super) roots: Vec<Place>,
    /// Each type's sort key: its root's place, then the order it started in.
    pub(super) sort_keys: HashMap<String, (Place, usize)>,
}

impl TypeTable {
    /// An empty table for a gateway of `files` spec files.
    pub(super) fn new(files: usize) -> Self {
        TypeTable {
            component_names: None,
            named: HashMap::new(),
            origins: HashMap::new(),
            types: vec![Vec::new(); files],
            type_places: HashMap::new(),
            error_field_specs: Vec::new(),
            in_progress: Vec::new(),
            roots: Vec::new(),
            sort_keys: HashMap::new(),
        }
    }
}

impl<'a> Lowerer<'a> {
    /// Registers `name` for a type defined at `pointer`, reporting a collision.
    pub(super) fn claim_name(&mut self, name: &str, file: usize, pointer: &str) -> bool {
        if !self.check_type_name(file, pointer, name) {
            return false;
        }
        if let Some((other_file, other_pointer)) = self.table.origins.get(name).cloned() {
            if (other_file, other_pointer.as_str()) == (file, pointer) {
                // The same schema again (a property of an object that more
                // than one `allOf` merges): already defined, under this name.
                return false;
            }
            let other = format!("{}#{}", self.file(other_file).path.display(), other_pointer);
            self.error(
                file,
                pointer,
                format!("type name `{name}` is also produced by {other}"),
                Some("rename one of them, or give one a `title`"),
            );
            return false;
        }
        self.table
            .origins
            .insert(name.to_owned(), (file, pointer.to_owned()));
        true
    }

    /// In the import mode, a name for the inline type at `pointer` that no
    /// other type has and no component schema will take: `name` (from its
    /// `title`), else `hint` (its place), else `name` numbered. A published
    /// file titles an inline schema after a component (`title:
    /// PaymentsResponse` on a webhook's wrapper of it) more often than not.
    fn free_name(&mut self, file: usize, pointer: &str, name: String, hint: &str) -> String {
        if self.table.component_names.is_none() {
            let names = self
                .parsed_files()
                .filter_map(|f| self.file(f).doc.components.as_ref())
                .flat_map(|c| c.schemas.keys())
                .filter_map(|n| naming::pascal(n))
                .collect();
            self.table.component_names = Some(names);
        }
        let reserved = self.table.component_names.as_ref().expect("filled above");
        let candidates = [name.clone(), hint.to_owned()]
            .into_iter()
            .chain((2..).map(|n| format!("{name}{n}")));
        for candidate in candidates {
            match self.table.origins.get(&candidate) {
                Some((f, p)) if (*f, p.as_str()) == (file, pointer) => return candidate,
                Some(_) => continue,
                None if reserved.contains(&candidate) => continue,
                None => return candidate,
            }
        }
        unreachable!("the numbered names do not end")
    }

    pub(super) fn component_schema(&mut self, file: usize, name: &str) -> Option<String> {
        let key = (file, name.to_owned());
        if let Some(rust) = self.table.named.get(&key) {
            return Some(rust.clone());
        }
        let pointer = format!("/components/schemas/{}", escape(name));
        let Some(rust) = naming::pascal(name) else {
            self.error(
                file,
                &pointer,
                format!("`{name}` gives no Rust type name"),
                Some("use letters in schema names"),
            );
            return None;
        };
        let (index, _, schema) = self
            .file(file)
            .doc
            .components
            .as_ref()?
            .schemas
            .get_full(name)?;
        let schema = match schema {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => {
                let reference = reference.clone();
                let (target, target_name) = self.resolve(file, &pointer, &reference, &SCHEMAS)?;
                let rust = self.following(file, &pointer, key.clone(), |this| {
                    this.component_schema(target, &target_name)
                })?;
                self.table.named.insert(key, rust.clone());
                return Some(rust);
            }
        };
        self.table.named.insert(key, rust.clone());
        if !self.claim_name(&rust, file, &pointer) {
            return Some(rust);
        }
        self.define(file, &pointer, &rust, schema, Some((file, index)));
        Some(rust)
    }

    /// Lowers `schema` into a new type named `name`, declared in `file`: a
    /// component schema at `place`, or (`None`) a schema inside the one
    /// being lowered.
    pub(super) fn define(
        &mut self,
        file: usize,
        pointer: &str,
        name: &str,
        schema: &'a Schema,
        place: Option<Place>,
    ) {
        if self.table.in_progress.len() >= MAX_NESTED_TYPES {
            self.error(
                file,
                pointer,
                format!(
                    "`{name}` is the type {} deep in a chain of types each defined inside the one before, from `{}`",
                    self.table.in_progress.len() + 1,
                    self.table.in_progress[0]
                ),
                Some(&format!("paygen defines at most {MAX_NESTED_TYPES} nested types; break the chain")),
            );
            return;
        }
        let mut doc = doc_lines(schema.schema_data.description.as_deref(), None);
        if doc.is_empty() {
            doc.push(self.undocumented(pointer));
        }
        let v = view(schema);
        self.table.in_progress.push(name.to_owned());
        let root = place
            .or_else(|| self.table.roots.last().copied())
            .unwrap_or(NO_PLACE);
        self.table.roots.push(root);
        let sequence = self.table.sort_keys.len();
        self.table
            .sort_keys
            .insert(name.to_owned(), (root, sequence));
        let kind = if !v.one_of.is_empty() || !v.any_of.is_empty() {
            self.one_of(file, pointer, name, &v)
        } else if v.typ == Some("string") && !v.enumeration.is_empty() {
            self.string_enum(
                file,
                pointer,
                &v,
                schema.schema_data.extensions.get("x-enum-descriptions"),
            )
        } else if v.properties.is_some() || is_merge(&v) {
            self.object(file, pointer, name, schema)
        } else {
            self.error(
                file,
                pointer,
                format!("`{name}` is not an object, a string enum or a oneOf, so it cannot be a named type"),
                Some("use it inline where it is needed, or give it `type: object` with `properties`"),
            );
            None
        };
        self.table.in_progress.pop();
        self.table.roots.pop();
        if let Some(kind) = kind {
            self.table
                .type_places
                .entry(name.to_owned())
                .or_default()
                .push((file, self.table.types[file].len()));
            if let Some(raw) = schema.schema_data.extensions.get("x-error-fields") {
                self.table.error_field_specs.push((
                    file,
                    pointer.to_owned(),
                    name.to_owned(),
                    raw.clone(),
                ));
            }
            self.table.types[file].push(TypeDef {
                name: name.to_owned(),
                doc,
                kind,
                body: None,
                received: false,
                error_fields: Vec::new(),
            });
        }
    }

    /// A doc line for a type its spec does not describe, saying where it is
    /// used, so that every public item is documented.
    fn undocumented(&self, pointer: &str) -> String {
        let segments: Vec<&str> = pointer.split('/').collect();
        match segments.as_slice() {
            ["", "components", "schemas", schema] => {
                format!(
                    "The gateway's {} object.",
                    paygen_model::doc::code(&crate::locate::unescape(schema))
                )
            }
            [.., "properties", property] => match self.table.in_progress.last() {
                Some(parent) => format!(
                    "The {} of [`{parent}`].",
                    paygen_model::doc::code(&crate::locate::unescape(property))
                ),
                None => format!(
                    "The {} object.",
                    paygen_model::doc::code(&crate::locate::unescape(property))
                ),
            },
            _ if pointer.contains("/requestBody/")
                || pointer.starts_with("/components/requestBodies/") =>
            {
                format!(
                    "The request body of {}.",
                    paygen_model::doc::code(
                        self.scope
                            .current_operation
                            .as_deref()
                            .unwrap_or("this operation")
                    )
                )
            }
            _ => format!(
                "A response of {}.",
                paygen_model::doc::code(
                    self.scope
                        .current_operation
                        .as_deref()
                        .unwrap_or("this operation")
                )
            ),
        }
    }

    /// The type of a property, items or map value; inline objects, enums and
    /// oneOfs become named types called `hint`.
    pub(super) fn type_ref(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        schema: SchemaRef<'a>,
    ) -> Option<TypeRef> {
        let schema = match schema {
            SchemaRef::Ref(reference) => {
                return self.referenced_type(file, pointer, hint, reference)
            }
            SchemaRef::Item(s) => s,
        };
        let v = view(schema);
        if let Some(inner) = wrapped(&v) {
            return self.type_ref(file, &format!("{pointer}/allOf/0"), hint, plain(inner));
        }
        if let Some(keyword) = v.unsupported {
            self.error(
                file,
                pointer,
                format!("`{keyword}` is not supported"),
                Some("paygen supports objects, arrays, maps (additionalProperties), string enums, scalars, `allOf`, `oneOf` and `anyOf`"),
            );
            return None;
        }
        self.check_text_extensions(file, pointer, schema, &v);
        if !self.known_format(file, pointer, &v) {
            return None;
        }
        if self.is_text_union(file, pointer, &v) {
            return Some(TypeRef::String);
        }
        let named = !v.one_of.is_empty()
            || !v.any_of.is_empty()
            || is_merge(&v)
            || (v.typ == Some("string") && !v.enumeration.is_empty())
            || (matches!(v.typ, Some("object") | None)
                && v.properties.is_some_and(|p| !p.is_empty()));
        if named {
            let name = schema
                .schema_data
                .title
                .as_deref()
                .and_then(naming::pascal)
                .unwrap_or_else(|| hint.to_owned());
            let name = if self.lenient {
                self.free_name(file, pointer, name, hint)
            } else {
                name
            };
            if self.claim_name(&name, file, pointer) {
                self.define(file, pointer, &name, schema, None);
            }
            return Some(TypeRef::Named(name));
        }
        match v.typ {
            Some("string")
                if v.format.as_deref() == Some("binary")
                    && self.scope.multipart_depth.map(|d| d + 1)
                        == Some(self.table.in_progress.len()) =>
            {
                Some(TypeRef::File)
            }
            Some("string") => self.text_type(file, pointer, schema),
            Some("integer") => self.integer_type(file, pointer, &v),
            Some("number") => Some(TypeRef::Decimal),
            Some("boolean") => Some(TypeRef::Bool),
            Some("array") => self.list_type(file, pointer, hint, &v),
            Some("object") => self.map_type(file, pointer, hint, &v),
            // No `type` and nothing that implies one: any JSON value, as
            // OpenAPI says.
            None if implies_no_type(&v) => Some(TypeRef::Json),
            // `items` alone says what the value is, as published files
            // mean it: a list (`minItems` and the like say the same).
            None if v.items.is_some() => self.list_type(file, pointer, hint, &v),
            None => {
                self.error(
                    file,
                    pointer,
                    "the schema has no `type`".into(),
                    Some(&format!("give it a `type`: one of {TYPES}")),
                );
                None
            }
            Some(other) => {
                self.error(
                    file,
                    &format!("{pointer}/type"),
                    format!("unknown type `{other}`"),
                    Some(&format!("expected one of {TYPES}")),
                );
                None
            }
        }
    }

    /// The type a `$ref` names: the component's named type, or (for a
    /// scalar, list or map component) the type it spells, followed through
    /// chains of `$ref`s.
    fn referenced_type(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        reference: &'a str,
    ) -> Option<TypeRef> {
        let (target, name) = self.resolve(file, pointer, reference, &SCHEMAS)?;
        let target_schema = self
            .file(target)
            .doc
            .components
            .as_ref()?
            .schemas
            .get(&name)?;
        let p = format!("/components/schemas/{}", escape(&name));
        match target_schema {
            // A chain of `$ref`s: follow it from the target's file.
            ReferenceOr::Reference { .. } => {
                self.following(file, pointer, (target, name.clone()), |this| {
                    this.type_ref(target, &p, hint, plain(target_schema))
                })
            }
            ReferenceOr::Item(s) if self.is_text_union(target, &p, &view(s)) => {
                Some(TypeRef::String)
            }
            ReferenceOr::Item(s) if is_named_shape(&view(s)) => {
                self.component_schema(target, &name).map(TypeRef::Named)
            }
            ReferenceOr::Item(_) => self.type_ref(target, &p, hint, plain(target_schema)),
        }
    }

    /// `x-secret` and `x-encrypted` mark text; anywhere else they are errors.
    fn check_text_extensions(&mut self, file: usize, pointer: &str, schema: &Schema, v: &View) {
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
        if known.contains(&format) || self.lenient {
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
    fn text_type(&mut self, file: usize, pointer: &str, schema: &Schema) -> Option<TypeRef> {
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
    fn integer_type(&mut self, file: usize, pointer: &str, v: &View) -> Option<TypeRef> {
        match v.format.as_deref() {
            Some(format) if I32_FORMATS.contains(&format) => Some(TypeRef::I32),
            None | Some("int64" | "uint32") => Some(TypeRef::I64),
            Some("uint64") => Some(TypeRef::U64),
            // A published file's own name for an integer (`integer64`).
            Some(_) if self.lenient => Some(TypeRef::I64),
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
    fn list_type(
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
    fn map_type(
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

/// Whether a schema without `type` says nothing that implies one.
/// How many types may be in definition at once: a type is defined when
/// first used, inside the one that uses it, by recursion (about 11 KiB of
/// stack a type in an unoptimised build, of the 64 MiB spec work has), and
/// a spec must not be able to make that chain deep enough to exhaust it.
pub(super) const MAX_NESTED_TYPES: usize = 1000;

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

fn implies_no_type(v: &View) -> bool {
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
