//! Objects to structs: their own properties and those `allOf` merges, each
//! property to a field with its type, rules and docs.

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use crate::ir::{Access, Field, Rules, TypeKind, TypeRef};
use crate::locate::escape;
use crate::naming;

use super::refs::SCHEMAS;
use super::view::{boxed, doc_lines, plain, schema_doc, wrapped, SchemaRef, View};
use super::Lowerer;

/// One object of a struct's definition: its own `properties`, or those of an
/// object its `allOf` merges, or a union its `allOf` merges.
pub(super) struct ObjectPart<'a> {
    file: usize,
    pointer: String,
    /// The component it is, when it is one: its properties' inline types
    /// are named after it.
    owner: Option<String>,
    properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
    /// A `oneOf`/`anyOf` the `allOf` merges (a payment method, keyed by
    /// its kind, beside a billing address): the struct holds it as one
    /// flattened field, whose members sit beside the struct's own on the
    /// wire. Its schema, and whether a wrapper made it `nullable`.
    union: Option<(&'a Schema, bool)>,
}

/// No properties: those of a union part.
static NO_PROPERTIES: std::sync::LazyLock<IndexMap<String, ReferenceOr<Box<Schema>>>> =
    std::sync::LazyLock::new(IndexMap::new);

impl<'a> Lowerer<'a, '_> {
    pub(super) fn object(
        &mut self,
        file: usize,
        pointer: &str,
        name: &str,
        schema: &'a Schema,
    ) -> Option<TypeKind> {
        let mut parts = Vec::new();
        self.object_parts(file, pointer, schema, &mut parts);
        self.object_fields(file, pointer, name, schema, &parts)
    }

    /// The struct made of `parts`.
    fn object_fields(
        &mut self,
        file: usize,
        pointer: &str,
        name: &str,
        schema: &'a Schema,
        parts: &[ObjectPart<'a>],
    ) -> Option<TypeKind> {
        let mut required: Vec<&'a String> = Vec::new();
        for part in parts {
            for (i, wire) in part.required.iter().enumerate() {
                // A published file's `required` may name a property it does
                // not define: nothing can be sent or checked for it.
                if !parts.iter().any(|p| p.properties.contains_key(wire)) && !self.specs.lenient {
                    self.error(
                        part.file,
                        &format!("{}/required/{i}", part.pointer),
                        format!("required property `{wire}` is not defined in `properties`"),
                        Some("define it under `properties`, or remove it from `required`"),
                    );
                }
                required.push(wire);
            }
        }
        let mut fields: Vec<Field> = Vec::new();
        // Where each property was last defined, for a merge that defines it twice.
        let mut defined: HashMap<&'a String, (&'a ReferenceOr<Box<Schema>>, usize, String)> =
            HashMap::new();
        for part in parts {
            if part.union.is_some() {
                if let Some(field) = self.union_field(part, name) {
                    fields.push(field);
                }
                continue;
            }
            for (wire, prop) in part.properties {
                let p = format!("{}/properties/{}", part.pointer, escape(wire));
                let required = required.contains(&wire);
                // The inline types of a merged component's properties are
                // named after that component, and shared by every merge.
                let owner = part.owner.as_deref().unwrap_or(name);
                if let Some((first, first_file, at)) = defined.get(wire).cloned() {
                    if first == prop {
                        continue;
                    }
                    // `allOf` means every member holds, so a member that
                    // narrows a property another defines (an error body's
                    // `details` limited to this status's issues) says what
                    // the property is: the later definition is kept. Only
                    // two different stated types cannot both hold.
                    let (was, is) = (
                        self.stated_type(first_file, &at, first),
                        self.stated_type(part.file, &p, prop),
                    );
                    if let (Some(was), Some(is)) = (was, is) {
                        if was != is {
                            self.error(
                                part.file,
                                &p,
                                format!("property `{wire}` is `{is}` here and `{was}` at #{at}: no value is both"),
                                Some("`allOf` merges objects: a property defined in two of them must have one type"),
                            );
                            continue;
                        }
                    }
                    defined.insert(wire, (prop, part.file, p.clone()));
                    let Some(index) = fields.iter().position(|f| &f.wire == wire) else {
                        continue;
                    };
                    let earlier = fields.remove(index);
                    let later = self.field(part.file, &p, owner, wire, prop, required, &fields);
                    fields.insert(index, later.unwrap_or(earlier));
                    continue;
                }
                defined.insert(wire, (prop, part.file, p.clone()));
                if let Some(field) = self.field(part.file, &p, owner, wire, prop, required, &fields)
                {
                    fields.push(field);
                }
            }
        }
        let (rules, any_of) = self.cross_rules(file, pointer, schema, &fields);
        Some(TypeKind::Struct {
            fields,
            rules,
            any_of,
        })
    }

    /// The schema of property `wire` of an object, among its own properties
    /// and those its `allOf` merges (the last definition, as a struct takes
    /// it); problems on the way are reported where the object is lowered.
    pub(super) fn merged_property(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        wire: &str,
    ) -> Option<&'a ReferenceOr<Box<Schema>>> {
        let before = self.specs.diagnostics.len();
        let mut parts = Vec::new();
        self.object_parts(file, pointer, schema, &mut parts);
        self.specs.diagnostics.truncate(before);
        parts
            .iter()
            .rev()
            .find_map(|part| part.properties.get(wire))
    }

    /// The JSON type a property's schema states, through `$ref`s; `None`
    /// when it states none (a combination, or any value). Problems on the
    /// way are reported where the property itself is lowered, not here.
    fn stated_type(
        &mut self,
        file: usize,
        pointer: &str,
        prop: &'a ReferenceOr<Box<Schema>>,
    ) -> Option<&'a str> {
        let before = self.specs.diagnostics.len();
        let found = self
            .deref_schema(file, pointer, boxed(prop))
            .and_then(|(_, _, schema)| self.view(schema).typ);
        self.specs.diagnostics.truncate(before);
        found
    }

    /// The objects a struct is made of: the schema's own properties, after
    /// those of every object its `allOf` merges (followed through `$ref`s and
    /// nested `allOf`s), each read in the file that declares it.
    pub(super) fn object_parts(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        parts: &mut Vec<ObjectPart<'a>>,
    ) {
        let v = self.view(schema);
        // A component that merges: on the chain of followed `$ref`s, so that
        // merging itself through others is reported as the cycle it is.
        let own = component_name(pointer)
            .filter(|_| !v.all_of.is_empty())
            .map(|name| (file, name));
        if let Some(key) = own {
            if !self.specs.ref_chain.contains(&key) {
                self.following(file, pointer, key, |this| {
                    this.merge_all_of(file, pointer, &v, parts);
                    Some(())
                });
                self.own_properties(file, pointer, &v, parts);
                return;
            }
        }
        self.merge_all_of(file, pointer, &v, parts);
        self.own_properties(file, pointer, &v, parts);
    }

    /// A schema's own `properties`, after what its `allOf` merges.
    fn own_properties(
        &mut self,
        file: usize,
        pointer: &str,
        v: &View<'a>,
        parts: &mut Vec<ObjectPart<'a>>,
    ) {
        if let Some(properties) = v.properties {
            let owner = component_name(pointer).and_then(|name| naming::pascal(&name));
            parts.push(ObjectPart {
                file,
                pointer: pointer.to_owned(),
                owner,
                properties,
                required: v.required,
                union: None,
            });
        }
    }

    /// The objects of an `allOf`, in order.
    fn merge_all_of(
        &mut self,
        file: usize,
        pointer: &str,
        v: &View<'a>,
        parts: &mut Vec<ObjectPart<'a>>,
    ) {
        for (i, element) in v.all_of.iter().enumerate() {
            let p = format!("{pointer}/allOf/{i}");
            match element {
                ReferenceOr::Item(inner) => self.merged_part(file, &p, inner, parts),
                ReferenceOr::Reference { reference } => {
                    let Some((target, name)) = self.specs.resolve(file, &p, reference, &SCHEMAS)
                    else {
                        continue;
                    };
                    let Some(component) = self
                        .file(target)
                        .doc
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get(&name))
                    else {
                        continue;
                    };
                    let at = format!("/components/schemas/{}", escape(&name));
                    // On the chain of followed `$ref`s: an object that merges
                    // itself is a cycle, reported, not a stack overflow.
                    self.following(file, &p, (target, name), |this| {
                        let (f, fp, inner) = this.deref_schema(target, &at, plain(component))?;
                        this.merged_part(f, &fp, inner, parts);
                        Some(())
                    });
                }
            }
        }
    }

    /// One object an `allOf` merges, at `pointer`.
    fn merged_part(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        parts: &mut Vec<ObjectPart<'a>>,
    ) {
        let v = self.view(schema);
        if let Some((f, fp, union)) = self.merged_union(file, pointer, schema) {
            let nullable = schema.schema_data.nullable || union.schema_data.nullable;
            parts.push(ObjectPart {
                file: f,
                owner: component_name(&fp).and_then(|name| naming::pascal(&name)),
                pointer: fp,
                properties: &NO_PROPERTIES,
                required: &[],
                union: Some((union, nullable)),
            });
        } else if v.properties.is_some() || !v.all_of.is_empty() {
            self.object_parts(file, pointer, schema, parts);
        } else if matches!(v.typ, None | Some("object"))
            && v.one_of.is_empty()
            && v.any_of.is_empty()
            && v.unsupported.is_none()
            && v.additional.is_none()
        {
            // An object that adds no property (`{}`, `{properties: {}}`,
            // `{type: object}`), as published files write a placeholder
            // for a later extension: merging it changes nothing.
        } else {
            let what = if !v.one_of.is_empty() {
                "a oneOf".to_owned()
            } else if let Some(keyword) = v.unsupported {
                format!("an `{keyword}`")
            } else {
                match v.typ {
                    Some(typ) => format!("of type `{typ}`"),
                    None => "a schema without `properties`".to_owned(),
                }
            };
            self.error(
                file,
                pointer,
                format!("`allOf` merges objects, and this is {what}"),
                Some("list only objects (with `properties`) under `allOf`, or `$ref`s to them"),
            );
        }
    }

    /// The union an `allOf` member is (itself, or the one schema a wrapper
    /// `allOf` names): a `oneOf`/`anyOf` without properties of its own.
    fn merged_union(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
    ) -> Option<(usize, String, &'a Schema)> {
        let before = self.specs.diagnostics.len();
        let found = self.deref_schema(file, pointer, SchemaRef::Item(schema));
        // Problems on the way are reported where the member is merged.
        self.specs.diagnostics.truncate(before);
        let (f, fp, target) = found?;
        let v = self.view(target);
        let union = (!v.one_of.is_empty() || !v.any_of.is_empty())
            && v.properties.is_none()
            && v.all_of.is_empty();
        union.then_some((f, fp, target))
    }

    /// The flattened field of a union part of the struct `parent`.
    fn union_field(&mut self, part: &ObjectPart<'a>, parent: &str) -> Option<Field> {
        let (schema, nullable) = part.union?;
        // A union of texts is one `String`, which has no members to flatten.
        let texts = self.is_text_union(part.file, &part.pointer, &self.view(schema));
        let ty = match component_name(&part.pointer) {
            _ if texts => TypeRef::String,
            Some(name) => TypeRef::Named(self.component_schema(part.file, &name)?),
            None => {
                let hint = format!("{parent}Choice");
                self.type_ref(part.file, &part.pointer, &hint, SchemaRef::Item(schema))?
            }
        };
        let TypeRef::Named(type_name) = &ty else {
            self.error(
                part.file,
                &part.pointer,
                "`allOf` merges objects, and this is a choice of values that are not objects"
                    .into(),
                Some(
                    "list only objects (with `properties`), or `oneOf`s of objects, under `allOf`",
                ),
            );
            return None;
        };
        let rust = naming::snake(type_name)?;
        let mut doc = doc_lines(schema.schema_data.description.as_deref(), None);
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push("Its members sit beside this object's own on the wire (`allOf`).".to_owned());
        Some(Field {
            wire: naming::unraw(&rust).to_owned(),
            rust,
            ty,
            required: !nullable,
            doc,
            rules: Rules::default(),
            json_in_form: false,
            fixed: false,
            access: Access::Both,
            aliases: Vec::new(),
            flatten: true,
            idempotency_key: false,
        })
    }

    /// The field for property `wire` of the struct `parent`, declared at `pointer`.
    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        file: usize,
        pointer: &str,
        parent: &str,
        wire: &str,
        prop: &'a ReferenceOr<Box<Schema>>,
        required: bool,
        fields: &[Field],
    ) -> Option<Field> {
        let p = pointer;
        let Some(mut rust) = naming::snake(wire) else {
            self.error(
                file,
                p,
                format!("property `{wire}` gives no Rust field name"),
                None,
            );
            return None;
        };
        // Two properties that spell one name (`iDealConsumerIBAN`,
        // `iDealConsumerIban`): the import mode names the later one `.._2`,
        // `.._3`; its wire name stays as written.
        if self.specs.lenient {
            let base = naming::unraw(&rust).to_owned();
            let mut n = 2;
            while fields.iter().any(|f| f.rust == rust) {
                rust = format!("{base}_{n}");
                n += 1;
            }
        }
        if let Some(first) = fields.iter().find(|f| f.rust == rust) {
            let message = format!(
                "properties `{}` and `{wire}` both become field `{rust}`",
                first.wire
            );
            self.error(
                file,
                p,
                message,
                Some("rename one; Rust needs distinct field names"),
            );
            return None;
        }
        let hint = format!("{parent}{}", naming::pascal(wire).unwrap_or_default());
        let prop_ref = boxed(prop);
        let ty = self.explained(file, p, "this property", |this| {
            this.type_ref(file, p, &hint, prop_ref)
        })?;
        let ty = match ty {
            TypeRef::Named(n) if self.table.in_progress.contains(&n) => TypeRef::Boxed(n),
            other => other,
        };
        let (prop_file, prop_pointer, prop_schema) =
            self.explained(file, p, "this property", |this| {
                this.deref_schema(file, p, prop_ref)
            })?;
        // A wrapped reference (`allOf: [{$ref: X}]`) may add `nullable` and
        // its own description to what X says.
        let outer = match prop {
            ReferenceOr::Item(outer) if wrapped(&self.view(outer)).is_some() => {
                Some(&outer.schema_data)
            }
            _ => None,
        };
        let nullable = prop_schema.schema_data.nullable || outer.is_some_and(|o| o.nullable);
        let required = required && !nullable;
        let marked = |read: bool| {
            let data = &prop_schema.schema_data;
            let own = if read {
                data.read_only
            } else {
                data.write_only
            };
            own || outer.is_some_and(|o| if read { o.read_only } else { o.write_only })
        };
        // One schema for both sides: a read-only field is never sent, so
        // never required of a request; a write-only one is never in an
        // answer, so optional there, and its requirement is checked before
        // a request is sent.
        let access = match (marked(true), marked(false)) {
            (true, false) => Access::ReadOnly,
            (false, true) => Access::WriteOnly,
            _ => Access::Both,
        };
        let mut rules = self.rules(
            prop_file,
            &prop_pointer,
            prop_schema,
            &ty,
            required && access == Access::Both,
        );
        if access == Access::WriteOnly && required {
            rules.required = true;
        }
        let data = match outer {
            Some(outer) if outer.description.is_some() => outer,
            _ => &prop_schema.schema_data,
        };
        let mut doc = schema_doc(data, None);
        let said = match access {
            Access::Both => None,
            Access::ReadOnly => Some("Read-only: in the gateway's responses, never sent."),
            Access::WriteOnly => Some("Write-only: sent, never in the gateway's responses."),
        };
        if let Some(said) = said {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(said.to_owned());
        }
        let aliases = self.aliases(prop_file, &prop_pointer, data, wire);
        let idempotency_key = self.body_idempotency_key(prop_file, &prop_pointer, prop_schema, &ty);
        Some(Field {
            rust,
            wire: wire.to_owned(),
            ty,
            required: required && access == Access::Both,
            doc,
            rules,
            json_in_form: false,
            fixed: false,
            access,
            aliases,
            flatten: false,
            idempotency_key,
        })
    }

    /// `x-idempotency-key: true` on a property: the body carries the
    /// gateway's idempotency key, which must be text.
    fn body_idempotency_key(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &Schema,
        ty: &TypeRef,
    ) -> bool {
        match schema.schema_data.extensions.get("x-idempotency-key") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) if *ty == TypeRef::String => true,
            Some(other) => {
                self.error(
                    file,
                    &format!("{pointer}/x-idempotency-key"),
                    format!("`x-idempotency-key: {other}` marks text only, with `true`"),
                    Some("mark a `type: string` property that the gateway answers a repeat of with its first result"),
                );
                false
            }
        }
    }

    /// `x-aliases` on a property: the other names a gateway's pages give it,
    /// each a non-empty text unlike the property's own name.
    fn aliases(
        &mut self,
        file: usize,
        pointer: &str,
        data: &openapiv3::SchemaData,
        wire: &str,
    ) -> Vec<String> {
        let Some(raw) = data.extensions.get("x-aliases") else {
            return Vec::new();
        };
        let names: Option<Vec<String>> = raw.as_array().and_then(|list| {
            list.iter()
                .map(|v| {
                    v.as_str()
                        .filter(|s| !s.is_empty() && *s != wire)
                        .map(str::to_owned)
                })
                .collect()
        });
        names.unwrap_or_else(|| {
            self.error(
                file,
                &format!("{pointer}/x-aliases"),
                "`x-aliases` must be a list of other names for the property".into(),
                Some("`x-aliases: [subtext]`, each a name the pages also use, not the property's own"),
            );
            Vec::new()
        })
    }
}

/// The component schema `pointer` is (`/components/schemas/Order`), not a
/// place inside one.
fn component_name(pointer: &str) -> Option<String> {
    pointer
        .strip_prefix("/components/schemas/")
        .filter(|name| !name.contains('/'))
        .map(crate::locate::unescape)
}
