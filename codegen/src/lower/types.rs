//! Schemas to types: names claimed once, objects, string enums, oneOfs, and
//! the type of every property, item and map value.

use std::collections::{BTreeSet, HashMap, HashSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::ir::{TypeDef, TypeRef};
use crate::locate::escape;
use crate::naming;

use super::gateway::ErrorFieldsAt;
use super::refs::{REQUEST_BODIES, SCHEMAS};
use super::scalars::implies_no_type;
use super::view::{doc_lines, is_merge, is_named_shape, plain, wrapped, SchemaRef};
use super::ComponentKey;
use super::{Lowerer, Place, MULTIPART, NO_PLACE, TYPES};

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
    /// Each `x-error-fields` met, resolved once every type is known.
    pub(super) error_fields: Vec<ErrorFieldsAt>,
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
            error_fields: Vec::new(),
            in_progress: Vec::new(),
            roots: Vec::new(),
            sort_keys: HashMap::new(),
        }
    }
}

impl<'a> Lowerer<'a, '_> {
    /// Registers `name` for a type defined at `pointer`, reporting a collision.
    pub(super) fn claim_name(&mut self, name: &str, file: usize, pointer: &str) -> bool {
        if !self.specs.check_type_name(file, pointer, name) {
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

    /// The component schemas that are `multipart/form-data` request bodies
    /// (`schema: {$ref: ...}`, in an operation or a `requestBodies`
    /// component): lowered first, as components, their `format: binary`
    /// fields must already be files.
    fn multipart_components(&self) -> HashSet<ComponentKey> {
        let mut found = HashSet::new();
        for file in self.parsed_files() {
            let doc: &'a OpenAPI = &self.file(file).doc;
            let operations = doc.paths.paths.values().filter_map(ReferenceOr::as_item);
            let bodies = operations
                .flat_map(|item| item.iter())
                .filter_map(|(_, op)| op.request_body.as_ref())
                .filter_map(|body| match body {
                    ReferenceOr::Item(body) => Some((file, body)),
                    ReferenceOr::Reference { reference } => self
                        .specs
                        .located(file, reference, &REQUEST_BODIES)
                        .map(|(at, _, body)| (at, body)),
                });
            for (at, body) in bodies {
                if let Some(ReferenceOr::Reference { reference }) = body
                    .content
                    .get(MULTIPART)
                    .and_then(|media| media.schema.as_ref())
                {
                    if let Some((target, name, _)) = self.specs.located(at, reference, &SCHEMAS) {
                        found.insert((target, name.to_owned()));
                    }
                }
            }
        }
        found
    }

    /// Component schemas first, in file and declaration order, so that each
    /// type lands in the module of the file that declares it.
    pub(super) fn component_schemas(&mut self) {
        let multipart = self.multipart_components();
        for file in self.parsed_files() {
            if let Some(components) = &self.file(file).doc.components {
                for (name, schema) in &components.schemas {
                    if !self.specs.skips.is_empty() {
                        let pointer = format!("/components/schemas/{}", escape(name));
                        if self.specs.skips.contains(&self.file(file).path, &pointer) {
                            continue;
                        }
                    }
                    // Scalars, lists, maps and `$ref`s to other components are
                    // used where they are referenced.
                    match schema {
                        ReferenceOr::Reference { .. } => continue,
                        ReferenceOr::Item(schema) => {
                            let v = self.view(schema);
                            if !is_named_shape(&v) && v.unsupported.is_none() {
                                continue;
                            }
                            let pointer = format!("/components/schemas/{}", escape(name));
                            if self.is_text_union(file, &pointer, &v) {
                                continue;
                            }
                        }
                    }
                    if multipart.contains(&(file, name.clone())) {
                        self.scope.multipart_depth = Some(self.table.in_progress.len());
                    }
                    self.component_schema(file, name);
                    self.scope.multipart_depth = None;
                }
            }
        }
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
                let (target, target_name) =
                    self.specs.resolve(file, &pointer, &reference, &SCHEMAS)?;
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
        let v = self.view(schema);
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
                self.table.error_fields.push(ErrorFieldsAt {
                    file,
                    pointer: pointer.to_owned(),
                    type_name: name.to_owned(),
                    map: raw.clone(),
                });
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
        let v = self.view(schema);
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
            let name = if self.specs.lenient {
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
        let (target, name) = self.specs.resolve(file, pointer, reference, &SCHEMAS)?;
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
            ReferenceOr::Item(s) if self.is_text_union(target, &p, &self.view(s)) => {
                Some(TypeRef::String)
            }
            ReferenceOr::Item(s) if is_named_shape(&self.view(s)) => {
                self.component_schema(target, &name).map(TypeRef::Named)
            }
            ReferenceOr::Item(_) => self.type_ref(target, &p, hint, plain(target_schema)),
        }
    }
}

/// How many types may be in definition at once: a type is defined when
/// first used, inside the one that uses it, by recursion (about 11 KiB of
/// stack a type in an unoptimised build, of the 64 MiB spec work has), and
/// a spec must not be able to make that chain deep enough to exhaust it.
pub(super) const MAX_NESTED_TYPES: usize = 1000;
