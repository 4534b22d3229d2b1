//! Schemas to types: names claimed once, objects, string enums, oneOfs, and
//! the type of every property, item and map value.

use super::*;

/// One object of a struct's definition: its own `properties`, or those of an
/// object its `allOf` merges.
pub(super) struct ObjectPart<'a> {
    file: usize,
    pointer: String,
    /// The component it is, when it is one: its properties' inline types
    /// are named after it.
    owner: Option<String>,
    properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
}

impl<'a> Lowerer<'a> {
    /// Registers `name` for a type defined at `pointer`, reporting a collision.
    pub(super) fn claim_name(&mut self, name: &str, file: usize, pointer: &str) -> bool {
        if !self.check_type_name(file, pointer, name) {
            return false;
        }
        if let Some((other_file, other_pointer)) = self.origins.get(name).cloned() {
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
        self.origins
            .insert(name.to_owned(), (file, pointer.to_owned()));
        true
    }

    pub(super) fn component_schema(&mut self, file: usize, name: &str) -> Option<String> {
        let key = (file, name.to_owned());
        if let Some(rust) = self.named.get(&key) {
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
        let schema = match self.file(file).doc.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => {
                let reference = reference.clone();
                let (target, target_name) = self.resolve(file, &pointer, &reference, &SCHEMAS)?;
                let rust = self.following(file, &pointer, key.clone(), |this| {
                    this.component_schema(target, &target_name)
                })?;
                self.named.insert(key, rust.clone());
                return Some(rust);
            }
        };
        self.named.insert(key, rust.clone());
        if !self.claim_name(&rust, file, &pointer) {
            return Some(rust);
        }
        self.define(file, &pointer, &rust, schema);
        Some(rust)
    }

    /// Lowers `schema` into a new type named `name`, declared in `file`.
    pub(super) fn define(&mut self, file: usize, pointer: &str, name: &str, schema: &'a Schema) {
        let mut doc = doc_lines(schema.schema_data.description.as_deref(), None);
        if doc.is_empty() {
            doc.push(self.undocumented(pointer));
        }
        let v = view(schema);
        self.in_progress.push(name.to_owned());
        let root = self
            .declared
            .get(name)
            .or(self.roots.last())
            .copied()
            .unwrap_or(usize::MAX);
        self.roots.push(root);
        let sequence = self.sort_keys.len();
        self.sort_keys.insert(name.to_owned(), (root, sequence));
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
        self.in_progress.pop();
        self.roots.pop();
        if let Some(kind) = kind {
            self.types[file].push(TypeDef {
                name: name.to_owned(),
                doc,
                kind,
                body: None,
                received: false,
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
                    "The gateway's `{}` object.",
                    schema.replace("~1", "/").replace("~0", "~")
                )
            }
            [.., "properties", property] => match self.in_progress.last() {
                Some(parent) => format!("The `{property}` of [`{parent}`]."),
                None => format!("The `{property}` object."),
            },
            _ if pointer.contains("/requestBody") => format!(
                "The request body of `{}`.",
                self.current_operation
                    .as_deref()
                    .unwrap_or("this operation")
            ),
            _ => format!(
                "An answer of `{}`.",
                self.current_operation
                    .as_deref()
                    .unwrap_or("this operation")
            ),
        }
    }

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
    fn enum_values(&mut self, items: Vec<(usize, String, Value, Option<&str>)>) -> Vec<EnumValue> {
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
            let Some(rust) = naming::variant(wire) else {
                self.error(
                    file,
                    &p,
                    format!("enum value `{wire}` gives no Rust variant name"),
                    None,
                );
                continue;
            };
            if let Some(first) = seen.get(&rust) {
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
            let cv = view(schema);
            if cv.typ != Some("string") || cv.enumeration.is_empty() {
                return None;
            }
            let description = schema.schema_data.description.as_deref();
            let single = cv.enumeration.len() == 1;
            for (j, value) in cv.enumeration.into_iter().enumerate() {
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

    /// `x-enum-descriptions`: one description per enum value, by value.
    fn enum_descriptions<'v>(
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
        // A `oneOf` of single-key objects is told apart by its key; anything
        // else by the value's shape.
        let keyed = keyword == "oneOf"
            && choices.iter().enumerate().all(|(i, choice)| {
                let p = format!("{pointer}/oneOf/{i}");
                self.deref_schema(file, &p, plain(choice))
                    .is_some_and(|(_, _, s)| view(s).properties.is_some_and(|p| p.len() == 1))
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
            let cv = view(schema);
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
            let hint = format!("{name}{rust}");
            let ty = self.explained(choice_file, &prop_pointer, "this oneOf choice", |this| {
                this.type_ref(choice_file, &prop_pointer, &hint, boxed(prop))
            })?;
            variants.push(Variant {
                rust,
                wire: wire.clone(),
                ty,
                doc: doc_lines(schema.schema_data.description.as_deref(), None),
            });
        }
        Some(TypeKind::OneOf {
            variants,
            rename_all: None,
            untagged: false,
        })
    }

    /// A choice of values told apart by their shape: each variant named
    /// after the component its `$ref` names, its `title`, or its kind.
    fn untagged(
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
                match view(schema).typ {
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
                TypeRef::Named(n) if self.in_progress.contains(&n) => TypeRef::Boxed(n),
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
            });
        }
        Some(TypeKind::OneOf {
            variants,
            rename_all: None,
            untagged: true,
        })
    }

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
                if !parts.iter().any(|p| p.properties.contains_key(wire)) {
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
        // Where each property was first defined, for a merge that defines it twice.
        let mut defined: HashMap<&'a String, (&'a ReferenceOr<Box<Schema>>, String)> =
            HashMap::new();
        for part in parts {
            for (wire, prop) in part.properties {
                let p = format!("{}/properties/{}", part.pointer, escape(wire));
                if let Some((first, at)) = defined.get(wire) {
                    if *first != prop {
                        self.error(
                            part.file,
                            &p,
                            format!("property `{wire}` is also defined, differently, at #{at}"),
                            Some("`allOf` merges objects: define each property in one of them"),
                        );
                    }
                    continue;
                }
                defined.insert(wire, (prop, p.clone()));
                let required = required.contains(&wire);
                // The inline types of a merged component's properties are
                // named after that component, and shared by every merge.
                let owner = part.owner.as_deref().unwrap_or(name);
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

    /// The objects a struct is made of: the schema's own properties, after
    /// those of every object its `allOf` merges (followed through `$ref`s and
    /// nested `allOf`s), each read in the file that declares it.
    fn object_parts(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        parts: &mut Vec<ObjectPart<'a>>,
    ) {
        let v = view(schema);
        // A component that merges: on the chain of followed `$ref`s, so that
        // merging itself through others is reported as the cycle it is.
        let own = pointer
            .strip_prefix("/components/schemas/")
            .filter(|name| !name.contains('/') && !v.all_of.is_empty())
            .map(|name| (file, name.replace("~1", "/").replace("~0", "~")));
        if let Some(key) = own {
            if !self.ref_chain.contains(&key) {
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
            let owner = pointer
                .strip_prefix("/components/schemas/")
                .filter(|name| !name.contains('/'))
                .and_then(|name| naming::pascal(&name.replace("~1", "/").replace("~0", "~")));
            parts.push(ObjectPart {
                file,
                pointer: pointer.to_owned(),
                owner,
                properties,
                required: v.required,
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
                    let Some((target, name)) = self.resolve(file, &p, reference, &SCHEMAS) else {
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
        let v = view(schema);
        if v.properties.is_some() || !v.all_of.is_empty() {
            self.object_parts(file, pointer, schema, parts);
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
        let Some(rust) = naming::snake(wire) else {
            self.error(
                file,
                p,
                format!("property `{wire}` gives no Rust field name"),
                None,
            );
            return None;
        };
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
            TypeRef::Named(n) if self.in_progress.contains(&n) => TypeRef::Boxed(n),
            other => other,
        };
        let (prop_file, prop_pointer, prop_schema) =
            self.explained(file, p, "this property", |this| {
                this.deref_schema(file, p, prop_ref)
            })?;
        // A wrapped reference (`allOf: [{$ref: X}]`) may add `nullable` and
        // its own description to what X says.
        let outer = match prop {
            ReferenceOr::Item(outer) if wrapped(&view(outer)).is_some() => Some(&outer.schema_data),
            _ => None,
        };
        let nullable = prop_schema.schema_data.nullable || outer.is_some_and(|o| o.nullable);
        let required = required && !nullable;
        let rules = self.rules(prop_file, &prop_pointer, prop_schema, &ty, required);
        let data = match outer {
            Some(outer) if outer.description.is_some() => outer,
            _ => &prop_schema.schema_data,
        };
        Some(Field {
            rust,
            wire: wire.to_owned(),
            ty,
            required,
            doc: schema_doc(data, None),
            rules,
            json_in_form: false,
            fixed: false,
        })
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
                let (target, name) = self.resolve(file, pointer, reference, &SCHEMAS)?;
                let target_schema = self
                    .file(target)
                    .doc
                    .components
                    .as_ref()?
                    .schemas
                    .get(&name)?;
                let v = match target_schema {
                    ReferenceOr::Item(s) => view(s),
                    // A chain of `$ref`s: follow it from the target's file.
                    ReferenceOr::Reference { .. } => {
                        let p = format!("/components/schemas/{}", escape(&name));
                        return self.following(file, pointer, (target, name.clone()), |this| {
                            this.type_ref(target, &p, hint, plain(target_schema))
                        });
                    }
                };
                if is_named_shape(&v) {
                    return self.component_schema(target, &name).map(TypeRef::Named);
                }
                let p = format!("/components/schemas/{}", escape(&name));
                let schemas = &self.file(target).doc.components.as_ref()?.schemas;
                return self.type_ref(target, &p, hint, plain(schemas.get(&name)?));
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
        let plain_string =
            v.typ == Some("string") && v.enumeration.is_empty() && v.one_of.is_empty();
        for extension in ["x-secret", "x-encrypted"] {
            if !plain_string && schema.schema_data.extensions.contains_key(extension) {
                self.error(
                    file,
                    &format!("{pointer}/{extension}"),
                    format!(
                        "`{extension}` applies to a string without `enum`, not to {}",
                        if !v.one_of.is_empty() {
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
                        }
                    ),
                    Some("mark the string fields that hold the secret: paygen masks and zeroizes text; an enum value or a number is not a secret it can hide"),
                );
            }
        }
        let named = |this: &mut Self| -> Option<TypeRef> {
            let name = schema
                .schema_data
                .title
                .as_deref()
                .and_then(naming::pascal)
                .unwrap_or_else(|| hint.to_owned());
            if this.claim_name(&name, file, pointer) {
                this.define(file, pointer, &name, schema);
            }
            Some(TypeRef::Named(name))
        };
        if !v.one_of.is_empty() || !v.any_of.is_empty() || is_merge(&v) {
            return named(self);
        }
        match v.typ {
            Some("string") if !v.enumeration.is_empty() => named(self),
            Some("string") if schema.schema_data.extensions.contains_key("x-encrypted") => {
                match schema.schema_data.extensions.get("x-encrypted") {
                    Some(Value::String(scheme)) if scheme == "rsa-pkcs1v15" => {
                        Some(TypeRef::Encrypted)
                    }
                    other => {
                        self.error(
                            file,
                            &format!("{pointer}/x-encrypted"),
                            format!(
                                "unknown `x-encrypted: {}`",
                                other.cloned().unwrap_or_default()
                            ),
                            Some("paygen supports `x-encrypted: rsa-pkcs1v15`"),
                        );
                        None
                    }
                }
            }
            Some("string") => match schema.schema_data.extensions.get("x-secret") {
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
            },
            // The sized formats are checked as the bounds they imply.
            Some("integer") => match v.format.as_deref() {
                Some("int32" | "int16" | "int8" | "uint16" | "uint8") => Some(TypeRef::I32),
                None | Some("int64" | "uint32") => Some(TypeRef::I64),
                Some("uint64") => {
                    self.error(
                        file,
                        pointer,
                        "integer format `uint64` is not supported: its values above 2^63 - 1 do not fit an i64".into(),
                        Some("use `int64` (with `minimum: 0`) if the gateway's values fit, or `type: string`"),
                    );
                    None
                }
                Some(other) => {
                    self.error(
                        file,
                        pointer,
                        format!("integer format `{other}` is not supported"),
                        Some("use `int32`, `int64`, or a sized one (`int8`, `int16`, `uint8`, `uint16`, `uint32`)"),
                    );
                    None
                }
            },
            Some("number") => Some(TypeRef::Decimal),
            Some("boolean") => Some(TypeRef::Bool),
            Some("array") => {
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
            Some("object") | None if v.properties.is_some_and(|p| !p.is_empty()) => named(self),
            Some("object") => match v.additional {
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
                Some(AdditionalProperties::Any(true)) => {
                    Some(TypeRef::Map(Box::new(TypeRef::Json)))
                }
                // Neither: any JSON (gateways send `[]` for an empty object).
                _ => Some(TypeRef::Json),
            },
            // No `type` and nothing that implies one: any JSON value, as
            // OpenAPI says.
            None if v.format.is_none()
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
                && v.max_properties.is_none() =>
            {
                Some(TypeRef::Json)
            }
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
}
