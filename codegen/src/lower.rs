//! Lowers parsed OpenAPI documents to the IR: resolves `$ref`s across a
//! gateway's files, chooses every name, decides encodings and validation rules,
//! and reports every problem it meets with its position.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Components, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    RequestBody, Response, Schema, SchemaKind, SecurityScheme, StatusCode, Type,
};
use serde_json::Value;

use crate::error::Diagnostic;
use crate::ir::{
    Auth, Credential, CrossRule, Encoding, EnumValue, Example, ExampleOf, Field, Gateway, Literal,
    Module, Operation, Param, ParamIn, Range, Rules, Setting, TypeDef, TypeKind, TypeRef, Variant,
};
use crate::load::{GatewaySpecs, SpecFile};
use crate::locate::escape;
use crate::naming;

/// The file in each gateway folder that holds servers, security and shared schemas.
pub const SHARED_FILE: &str = "gateway.yaml";

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const TYPES: &str = "string, integer, number, boolean, array, object";

/// Lowers every gateway, adding a diagnostic for each problem found.
pub fn lower(gateways: &[GatewaySpecs], diagnostics: &mut Vec<Diagnostic>) -> Vec<Gateway> {
    gateways
        .iter()
        .filter_map(|g| Lowerer::new(g, diagnostics).run())
        .collect()
}

/// A schema's keywords in one flat view, whichever way openapiv3 parsed it.
#[derive(Default)]
struct View<'s> {
    typ: Option<&'s str>,
    format: Option<String>,
    pattern: Option<&'s str>,
    enumeration: Vec<Value>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    exclusive_minimum: bool,
    exclusive_maximum: bool,
    properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    one_of: &'s [ReferenceOr<Schema>],
    unsupported: Option<&'static str>,
}

fn format_name<T: std::fmt::Debug>(f: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(i) => Some(format!("{i:?}").to_lowercase()),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
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
            v.enumeration = n
                .enumeration
                .iter()
                .map(|e| e.map_or(Value::Null, Value::from))
                .collect();
        }
        SchemaKind::Type(Type::Boolean(_)) => v.typ = Some("boolean"),
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
        SchemaKind::AllOf { .. } => v.unsupported = Some("allOf"),
        SchemaKind::AnyOf { .. } => v.unsupported = Some("anyOf"),
        SchemaKind::Not { .. } => v.unsupported = Some("not"),
        SchemaKind::Any(a) => {
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
            if !a.all_of.is_empty() {
                v.unsupported = Some("allOf");
            } else if !a.any_of.is_empty() {
                v.unsupported = Some("anyOf");
            } else if a.not.is_some() {
                v.unsupported = Some("not");
            }
        }
    }
    v
}

/// Doc lines from a description and an example.
fn doc_lines(description: Option<&str>, example: Option<&Value>) -> Vec<String> {
    let mut lines: Vec<String> = description
        .map(|d| d.trim().lines().map(|l| l.trim_end().to_owned()).collect())
        .unwrap_or_default();
    if let Some(example) = example {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let text = match example {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        lines.push(format!("Example: `{text}`"));
    }
    lines
}

/// A section of `components`: its name in `$ref`s, and how to reach it.
struct Kind<T: 'static> {
    name: &'static str,
    pick: fn(&Components) -> &IndexMap<String, ReferenceOr<T>>,
}

const SCHEMAS: Kind<Schema> = Kind {
    name: "schemas",
    pick: |c| &c.schemas,
};
const PARAMETERS: Kind<Parameter> = Kind {
    name: "parameters",
    pick: |c| &c.parameters,
};
const REQUEST_BODIES: Kind<RequestBody> = Kind {
    name: "requestBodies",
    pick: |c| &c.request_bodies,
};
const RESPONSES: Kind<Response> = Kind {
    name: "responses",
    pick: |c| &c.responses,
};

/// Where a component comes from: a file and a name.
type ComponentKey = (usize, String);

struct Lowerer<'a> {
    gateway: &'a GatewaySpecs,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Component schemas already given a type name.
    named: HashMap<ComponentKey, String>,
    /// Each type name and where it came from, to report collisions.
    origins: HashMap<String, (usize, String)>,
    /// Types by the file that declares them.
    types: Vec<Vec<TypeDef>>,
    /// Types being lowered, to box direct self-references.
    in_progress: Vec<String>,
    /// Each component schema's place in file and declaration order.
    declared: HashMap<String, usize>,
    /// The declared place of the types being lowered: an inline type sorts
    /// right after the component it appears in.
    roots: Vec<usize>,
    /// Each type's sort key: its root's place, then the order it started in.
    sort_keys: HashMap<String, (usize, usize)>,
    /// The examples of the operation being lowered.
    examples: Vec<Example>,
}

impl<'a> Lowerer<'a> {
    fn new(gateway: &'a GatewaySpecs, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Lowerer {
            gateway,
            diagnostics,
            named: HashMap::new(),
            origins: HashMap::new(),
            types: vec![Vec::new(); gateway.files.len()],
            in_progress: Vec::new(),
            declared: HashMap::new(),
            roots: Vec::new(),
            sort_keys: HashMap::new(),
            examples: Vec::new(),
        }
    }

    fn file(&self, index: usize) -> &'a SpecFile {
        &self.gateway.files[index]
    }

    fn error(&mut self, file: usize, pointer: &str, message: String, help: Option<&str>) {
        let d = self
            .file(file)
            .diagnostic(pointer, message, help.map(str::to_owned));
        self.diagnostics.push(d);
    }

    /// Resolves `#/components/<kind>/<name>` or `<file>.yaml#/components/<kind>/<name>`.
    fn resolve<T>(
        &mut self,
        file: usize,
        pointer: &str,
        reference: &str,
        kind: &Kind<T>,
    ) -> Option<(usize, String)> {
        let name_of_kind = kind.name;
        let (target_file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if target_file.is_empty() {
            Some(file)
        } else {
            self.gateway
                .files
                .iter()
                .position(|f| f.path.file_name().and_then(|n| n.to_str()) == Some(target_file))
        };
        if target.is_none() && self.gateway.failed.iter().any(|f| f == target_file) {
            // That file's own error is already reported.
            return None;
        }
        let prefix = format!("/components/{name_of_kind}/");
        let name = fragment.strip_prefix(&prefix).map(str::to_owned);
        let (Some(target), Some(name)) = (target, name) else {
            let files: Vec<String> = self
                .gateway
                .files
                .iter()
                .filter_map(|f| f.path.file_name()?.to_str().map(str::to_owned))
                .collect();
            self.error(
                file,
                pointer,
                format!("`$ref: {reference}` does not name a {name_of_kind} component of this gateway"),
                Some(&format!(
                    "write `#/components/{name_of_kind}/Name` or `<file>#/components/{name_of_kind}/Name`, with <file> one of {}",
                    files.join(", ")
                )),
            );
            return None;
        };
        let components = self.file(target).doc.components.as_ref().map(kind.pick);
        if !components.is_some_and(|c| c.contains_key(&name)) {
            let known: Vec<String> = components
                .map(|c| c.keys().cloned().collect())
                .unwrap_or_default();
            let target_name = self.file(target).path.display().to_string();
            self.error(
                file,
                pointer,
                format!(
                    "`$ref: {reference}`: there is no {name_of_kind} component `{name}` in {target_name}"
                ),
                Some(&if known.is_empty() {
                    format!("{target_name} defines no {name_of_kind}")
                } else {
                    format!("defined there: {}", known.join(", "))
                }),
            );
            return None;
        }
        Some((target, name))
    }

    /// `item` itself, or the component its `$ref` names (which must not be
    /// another `$ref`).
    fn component<T>(
        &mut self,
        file: usize,
        pointer: &str,
        item: &'a ReferenceOr<T>,
        kind: &Kind<T>,
    ) -> Option<&'a T> {
        let reference = match item {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => reference,
        };
        let (target, name) = self.resolve(file, pointer, reference, kind)?;
        let components: &'a Components = self.file(target).doc.components.as_ref()?;
        match (kind.pick)(components).get(&name)? {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => {
                self.error(
                    file,
                    pointer,
                    format!(
                        "`$ref: {reference}` names a {} component that is itself a `$ref`",
                        kind.name
                    ),
                    Some("point at the component that holds the definition"),
                );
                None
            }
        }
    }

    fn run(mut self) -> Option<Gateway> {
        let Some(shared) = self
            .gateway
            .files
            .iter()
            .position(|f| f.path.file_name().and_then(|n| n.to_str()) == Some(SHARED_FILE))
        else {
            if self.gateway.failed.iter().any(|f| f == SHARED_FILE) {
                // Its own error is already reported.
                return None;
            }
            self.diagnostics.push(Diagnostic {
                file: format!("{}/{SHARED_FILE}", self.gateway.name).into(),
                line: 1,
                column: 1,
                pointer: String::new(),
                message: format!("gateway `{}` has no {SHARED_FILE}", self.gateway.name),
                help: Some(format!(
                    "add {SHARED_FILE} with the gateway's `servers` (each with `x-environment: sandbox` or `production`), `components.securitySchemes` and top-level `security`"
                )),
            });
            return None;
        };
        let errors_before = self.diagnostics.len();
        let (sandbox_url, production_url) = self.servers(shared);
        let auth = self.auth(shared);
        let settings = self.settings(shared);

        // Component schemas first, in file and declaration order, so that each
        // type lands in the module of the file that declares it.
        for file in 0..self.gateway.files.len() {
            if let Some(components) = &self.file(file).doc.components {
                for name in components.schemas.keys() {
                    if let Some(rust) = naming::pascal(name) {
                        let place = self.declared.len();
                        self.declared.entry(rust).or_insert(place);
                    }
                }
            }
        }
        for file in 0..self.gateway.files.len() {
            if let Some(components) = &self.file(file).doc.components {
                for (name, schema) in &components.schemas {
                    // Scalars, lists, maps and `$ref`s to other components are
                    // used where they are referenced.
                    match schema {
                        ReferenceOr::Reference { .. } => continue,
                        ReferenceOr::Item(schema) => {
                            let v = view(schema);
                            if !is_named_shape(&v) && v.unsupported.is_none() {
                                continue;
                            }
                        }
                    }
                    self.component_schema(file, name);
                }
            }
        }
        let mut modules = Vec::new();
        let mut method_names: HashMap<String, (usize, String)> = HashMap::new();
        for file in 0..self.gateway.files.len() {
            let operations = self.operations(file, &mut method_names);
            let spec = self.file(file);
            modules.push(Module {
                name: naming::snake(&spec.stem).unwrap_or_else(|| "spec".into()),
                spec_file: spec.path.display().to_string(),
                types: Vec::new(),
                operations,
            });
        }
        for (module, mut types) in modules.iter_mut().zip(std::mem::take(&mut self.types)) {
            types.sort_by_key(|t| {
                self.sort_keys
                    .get(&t.name)
                    .copied()
                    .unwrap_or((usize::MAX, 0))
            });
            module.types = types;
        }
        self.decide_sides(&mut modules);

        let secret_fields: BTreeSet<String> = modules
            .iter()
            .flat_map(|m| m.types.iter())
            .flat_map(|t| match &t.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .filter(|f| f.ty.is_secret())
                    .map(|f| f.wire.clone())
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let doc = self.file(shared).doc.info.description.as_deref();
        let gateway = Gateway {
            secret_fields: secret_fields.into_iter().collect(),
            name: naming::snake(&self.gateway.name).unwrap_or_default(),
            title: self.file(shared).doc.info.title.clone(),
            doc: doc_lines(doc, None),
            shared_file: self.file(shared).path.display().to_string(),
            sandbox_url,
            production_url,
            auth: auth?,
            settings,
            encrypts: modules
                .iter()
                .flat_map(|m| m.types.iter())
                .any(|t| match &t.kind {
                    TypeKind::Struct { fields, .. } => {
                        fields.iter().any(|f| contains_encrypted(&f.ty))
                    }
                    TypeKind::OneOf { variants } => {
                        variants.iter().any(|v| contains_encrypted(&v.ty))
                    }
                    TypeKind::Enum { .. } => false,
                }),
            modules,
        };
        (self.diagnostics.len() == errors_before).then_some(gateway)
    }

    fn servers(&mut self, file: usize) -> (String, String) {
        let doc: &OpenAPI = &self.file(file).doc;
        let mut sandbox = None;
        let mut production = None;
        for (i, server) in doc.servers.iter().enumerate() {
            let pointer = format!("/servers/{i}");
            match server
                .extensions
                .get("x-environment")
                .and_then(Value::as_str)
            {
                Some("sandbox") => sandbox = Some(server.url.trim_end_matches('/').to_owned()),
                Some("production") => {
                    production = Some(server.url.trim_end_matches('/').to_owned())
                }
                other => self.error(
                    file,
                    &pointer,
                    format!(
                        "server `{}` has {}",
                        server.url,
                        other.map_or("no `x-environment`".to_owned(), |o| format!(
                            "`x-environment: {o}`"
                        ))
                    ),
                    Some(
                        "mark each server `x-environment: sandbox` or `x-environment: production`",
                    ),
                ),
            }
        }
        for (name, url) in [("sandbox", &sandbox), ("production", &production)] {
            if url.is_none() {
                self.error(
                    file,
                    "/servers",
                    format!("no {name} server"),
                    Some(&format!("add a server with `x-environment: {name}`")),
                );
            }
        }
        (sandbox.unwrap_or_default(), production.unwrap_or_default())
    }

    /// `x-settings` in the shared file: values the client carries, each read
    /// from an environment variable by `from_env`.
    fn settings(&mut self, file: usize) -> Vec<Setting> {
        let Some(map) = self.file(file).doc.extensions.get("x-settings") else {
            return Vec::new();
        };
        let Some(map) = map.as_object() else {
            self.error(
                file,
                "/x-settings",
                "`x-settings` must be a map of setting names".into(),
                None,
            );
            return Vec::new();
        };
        let mut settings = Vec::new();
        for (name, value) in map {
            let pointer = format!("/x-settings/{}", escape(name));
            let env = value.get("env").and_then(Value::as_str);
            let (Some(rust), Some(env)) = (naming::snake(name), env) else {
                self.error(
                    file,
                    &pointer,
                    format!("setting `{name}` needs `env`, the environment variable to read"),
                    None,
                );
                continue;
            };
            let description = value.get("description").and_then(Value::as_str);
            settings.push(Setting {
                name: rust,
                env: env.to_owned(),
                doc: doc_lines(description, None),
            });
        }
        settings
    }

    fn credential(
        &mut self,
        file: usize,
        pointer: &str,
        value: Option<&Value>,
    ) -> Option<Credential> {
        let Some(arg) = value.and_then(Value::as_str).and_then(naming::snake) else {
            self.error(
                file,
                pointer,
                "the security scheme does not name its credential".into(),
                Some("add `x-credential: client_id` (apiKey) or `x-username`/`x-password` (http basic), naming the client constructor's argument"),
            );
            return None;
        };
        let env = format!(
            "{}_{}",
            self.gateway.name.to_uppercase(),
            naming::unraw(&arg).to_uppercase()
        );
        Some(Credential {
            doc: format!("`{arg}`, or `{env}` in the environment"),
            arg,
            env,
        })
    }

    fn auth(&mut self, file: usize) -> Option<Auth> {
        let doc = &self.file(file).doc;
        let requirement = doc.security.as_ref().and_then(|s| s.first());
        let Some(requirement) = requirement else {
            self.error(
                file,
                "",
                "the gateway has no top-level `security` requirement".into(),
                Some("add `security: [{SchemeName: []}]` naming the schemes every call uses"),
            );
            return None;
        };
        let schemes = doc.components.as_ref().map(|c| &c.security_schemes);
        let mut basic = None;
        let mut headers = Vec::new();
        for name in requirement.keys() {
            let pointer = format!("/components/securitySchemes/{}", escape(name));
            let scheme = schemes.and_then(|s| s.get(name));
            match scheme {
                Some(ReferenceOr::Item(SecurityScheme::HTTP {
                    scheme, extensions, ..
                })) if scheme.eq_ignore_ascii_case("basic") => {
                    let username =
                        self.credential(file, &pointer, extensions.get("x-username"))?;
                    let password = match extensions.get("x-password") {
                        Some(v) => Some(self.credential(file, &pointer, Some(v))?),
                        None => None,
                    };
                    basic = Some(Auth::Basic { username, password });
                }
                Some(ReferenceOr::Item(SecurityScheme::APIKey {
                    location: openapiv3::APIKeyLocation::Header,
                    name: header,
                    extensions,
                    ..
                })) => {
                    let credential =
                        self.credential(file, &pointer, extensions.get("x-credential"))?;
                    headers.push((header.clone(), credential));
                }
                Some(_) => self.error(
                    file,
                    &pointer,
                    format!("security scheme `{name}` is not supported"),
                    Some("paygen supports `type: http, scheme: basic` and `type: apiKey, in: header`"),
                ),
                None => self.error(
                    file,
                    "/security",
                    format!("security scheme `{name}` is not defined"),
                    Some("define it under `components.securitySchemes`"),
                ),
            }
        }
        match (basic, headers.is_empty()) {
            (Some(auth), true) => Some(auth),
            (None, false) => Some(Auth::Headers(headers)),
            _ => {
                self.error(
                    file,
                    "/security",
                    "combine either one http basic scheme or apiKey header schemes".into(),
                    None,
                );
                None
            }
        }
    }

    /// Registers `name` for a type defined at `pointer`, reporting a collision.
    fn claim_name(&mut self, name: &str, file: usize, pointer: &str) -> bool {
        if let Some((other_file, other_pointer)) = self.origins.get(name).cloned() {
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

    fn component_schema(&mut self, file: usize, name: &str) -> Option<String> {
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
                let rust = self.component_schema(target, &target_name)?;
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
    fn define(&mut self, file: usize, pointer: &str, name: &str, schema: &'a Schema) {
        let doc = doc_lines(schema.schema_data.description.as_deref(), None);
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
        let kind = if !v.one_of.is_empty() {
            self.one_of(file, pointer, name, &v)
        } else if v.typ == Some("string") && !v.enumeration.is_empty() {
            self.string_enum(file, pointer, &v)
        } else if v.properties.is_some() {
            self.object(file, pointer, name, schema, &v)
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
            });
        }
    }

    fn string_enum(&mut self, file: usize, pointer: &str, v: &View) -> Option<TypeKind> {
        let mut values = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (i, value) in v.enumeration.iter().enumerate() {
            let p = format!("{pointer}/enum/{i}");
            let Some(wire) = value.as_str() else {
                self.error(
                    file,
                    &p,
                    "a string enum value must be a string".into(),
                    Some("quote it"),
                );
                continue;
            };
            let Some(rust) = naming::pascal(wire) else {
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
            });
        }
        Some(TypeKind::Enum {
            values,
            open: false,
        })
    }

    fn one_of(&mut self, file: usize, pointer: &str, name: &str, v: &View<'a>) -> Option<TypeKind> {
        let mut variants = Vec::new();
        for (i, choice) in v.one_of.iter().enumerate() {
            let p = format!("{pointer}/oneOf/{i}");
            let (choice_file, choice_pointer, schema) =
                self.deref_schema(file, &p, plain(choice))?;
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
            let Some(rust) = naming::pascal(wire) else {
                continue;
            };
            let prop_pointer = format!("{choice_pointer}/properties/{}", escape(wire));
            let hint = format!("{name}{rust}");
            let ty = self.type_ref(choice_file, &prop_pointer, &hint, boxed(prop))?;
            variants.push(Variant {
                rust,
                wire: wire.clone(),
                ty,
                doc: doc_lines(schema.schema_data.description.as_deref(), None),
            });
        }
        Some(TypeKind::OneOf { variants })
    }

    /// Follows a `$ref` (once or more) to the schema it names.
    fn deref_schema(
        &mut self,
        file: usize,
        pointer: &str,
        schema: SchemaRef<'a>,
    ) -> Option<(usize, String, &'a Schema)> {
        match schema {
            SchemaRef::Item(s) => Some((file, pointer.to_owned(), s)),
            SchemaRef::Ref(reference) => {
                let (target, name) = self.resolve(file, pointer, reference, &SCHEMAS)?;
                let schemas = &self.file(target).doc.components.as_ref()?.schemas;
                let p = format!("/components/schemas/{}", escape(&name));
                self.deref_schema(target, &p, plain(schemas.get(&name)?))
            }
        }
    }

    fn object(
        &mut self,
        file: usize,
        pointer: &str,
        name: &str,
        schema: &'a Schema,
        v: &View<'a>,
    ) -> Option<TypeKind> {
        let properties = v.properties?;
        for (i, required) in v.required.iter().enumerate() {
            if !properties.contains_key(required) {
                self.error(
                    file,
                    &format!("{pointer}/required/{i}"),
                    format!("required property `{required}` is not defined in `properties`"),
                    Some("define it under `properties`, or remove it from `required`"),
                );
            }
        }
        let mut fields: Vec<Field> = Vec::new();
        for (wire, prop) in properties {
            let p = format!("{pointer}/properties/{}", escape(wire));
            let Some(rust) = naming::snake(wire) else {
                self.error(
                    file,
                    &p,
                    format!("property `{wire}` gives no Rust field name"),
                    None,
                );
                continue;
            };
            if let Some(first) = fields.iter().find(|f| f.rust == rust) {
                let message = format!(
                    "properties `{}` and `{wire}` both become field `{rust}`",
                    first.wire
                );
                self.error(
                    file,
                    &p,
                    message,
                    Some("rename one; Rust needs distinct field names"),
                );
                continue;
            }
            let hint = format!("{name}{}", naming::pascal(wire).unwrap_or_default());
            let prop_ref = boxed(prop);
            let Some(ty) = self.type_ref(file, &p, &hint, prop_ref) else {
                continue;
            };
            let ty = match ty {
                TypeRef::Named(n) if self.in_progress.contains(&n) => TypeRef::Boxed(n),
                other => other,
            };
            let (prop_file, prop_pointer, prop_schema) = match self.deref_schema(file, &p, prop_ref)
            {
                Some(x) => x,
                None => continue,
            };
            let required = v.required.contains(wire) && !prop_schema.schema_data.nullable;
            let rules = self.rules(prop_file, &prop_pointer, prop_schema, &ty, required);
            let data = &prop_schema.schema_data;
            fields.push(Field {
                rust,
                wire: wire.clone(),
                ty,
                required,
                doc: doc_lines(data.description.as_deref(), data.example.as_ref()),
                rules,
                json_in_form: false,
            });
        }
        let rules = self.cross_rules(file, pointer, schema, &fields);
        Some(TypeKind::Struct { fields, rules })
    }

    /// The type of a property, items or map value; inline objects, enums and
    /// oneOfs become named types called `hint`.
    fn type_ref(
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
                        return self.type_ref(target, &p, hint, plain(target_schema));
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
        if let Some(keyword) = v.unsupported {
            self.error(
                file,
                pointer,
                format!("`{keyword}` is not supported"),
                Some("paygen supports objects, arrays, maps (additionalProperties), string enums, scalars and oneOf of single-key objects"),
            );
            return None;
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
        if !v.one_of.is_empty() {
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
            Some("integer") => match v.format.as_deref() {
                Some("int32") => Some(TypeRef::I32),
                None | Some("int64") => Some(TypeRef::I64),
                Some(other) => {
                    self.error(
                        file,
                        pointer,
                        format!("integer format `{other}` is not supported"),
                        Some("use `int32` or `int64`"),
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
                _ => Some(TypeRef::Json),
            },
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

    /// The validation rules OpenAPI states for a value of type `ty`.
    fn rules(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        ty: &TypeRef,
        required: bool,
    ) -> Rules {
        let v = view(schema);
        if matches!(ty, TypeRef::CardNumber | TypeRef::Encrypted) {
            // A card number checks its own digits, length and checksum.
            return Rules::default();
        }
        let mut rules = Rules {
            required: required && matches!(ty, TypeRef::String | TypeRef::Secret),
            ..Rules::default()
        };
        if v.min_length.is_some() || v.max_length.is_some() {
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
        if let Some(pattern) = v.pattern {
            if let Err(e) = regex::Regex::new(pattern) {
                self.error(file, &format!("{pointer}/pattern"), format!("invalid pattern: {e}"), Some("paygen uses Rust regex syntax, a subset of ECMA-262 without look-around or backreferences"));
            }
            rules.pattern = Some(pattern.to_owned());
        }
        if v.minimum.is_some() || v.maximum.is_some() {
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
            match ty {
                TypeRef::I32 | TypeRef::I64 => {
                    let int = |x: Option<f64>| x.map(|x| x as i64);
                    let (lo, hi) = (int(v.minimum), int(v.maximum));
                    rules.range = Some(Range {
                        min: lo.filter(|_| !v.exclusive_minimum),
                        max: hi.filter(|_| !v.exclusive_maximum),
                        exclusive_min: lo.filter(|_| v.exclusive_minimum),
                        exclusive_max: hi.filter(|_| v.exclusive_maximum),
                    });
                }
                _ => self.error(
                    file,
                    pointer,
                    "`minimum`/`maximum` are supported on integers only".into(),
                    Some("state decimal bounds in the description until paygen supports them"),
                ),
            }
        }
        let (count_min, count_max) = match ty {
            TypeRef::List(_) => (v.min_items, v.max_items),
            TypeRef::Map(_) => (v.min_properties, v.max_properties),
            _ => (None, None),
        };
        if let (Some(min), Some(max)) = (count_min, count_max) {
            if min > max {
                self.error(
                    file,
                    pointer,
                    format!("the minimum count {min} is greater than the maximum {max}"),
                    None,
                );
            }
        }
        if count_min.is_some() || count_max.is_some() {
            rules.count = Some((count_min.map(|n| n as u64), count_max.map(|n| n as u64)));
        }
        let inner = match (ty, v.items, v.additional) {
            (TypeRef::List(inner), Some(items), _) => {
                Some((inner, format!("{pointer}/items"), boxed(items)))
            }
            (TypeRef::Map(inner), _, Some(AdditionalProperties::Schema(value))) => Some((
                inner,
                format!("{pointer}/additionalProperties"),
                plain(value),
            )),
            _ => None,
        };
        if let Some((inner, p, item)) = inner {
            if let Some((f, ip, item_schema)) = self.deref_schema(file, &p, item) {
                let item_rules = self.rules(f, &ip, item_schema, inner, false);
                if !item_rules.is_empty() {
                    rules.each = Some(Box::new(item_rules));
                }
            }
        }
        rules
    }

    /// `x-rules` on an object: rules between its fields, with wire paths turned
    /// into Rust field paths.
    fn cross_rules(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        fields: &[Field],
    ) -> Vec<CrossRule> {
        let Some(list) = schema.schema_data.extensions.get("x-rules") else {
            return Vec::new();
        };
        let Some(list) = list.as_array() else {
            self.error(
                file,
                &format!("{pointer}/x-rules"),
                "`x-rules` must be a list".into(),
                None,
            );
            return Vec::new();
        };
        let mut rules = Vec::new();
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
            let (kind, other_key): (&'static str, &str) = match kind.as_str() {
                "required_if" => ("required_if", "when"),
                "only_if" => ("only_if", "when"),
                "not_less_than" => ("not_less_than", "other"),
                unknown => {
                    self.error(
                        file,
                        &p,
                        format!("unknown rule `{unknown}`"),
                        Some("expected one of required_if, only_if, not_less_than"),
                    );
                    continue;
                }
            };
            let field = args.get("field").and_then(Value::as_str);
            let other = args.get(other_key).and_then(Value::as_str);
            let (Some(field), Some(other)) = (field, other) else {
                self.error(
                    file,
                    &p,
                    format!("`{kind}` needs `field` and `{other_key}`"),
                    None,
                );
                continue;
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
                    continue;
                }
            };
            let field = self.rust_path(file, &p, schema, fields, field);
            let other = self.rust_path(file, &p, schema, fields, other);
            if let (Some(field), Some(other)) = (field, other) {
                rules.push(CrossRule {
                    kind,
                    field,
                    other,
                    equals,
                });
            }
        }
        rules
    }

    /// Turns a dotted wire path into a dotted Rust field path.
    fn rust_path(
        &mut self,
        file: usize,
        pointer: &str,
        schema: &'a Schema,
        fields: &[Field],
        path: &str,
    ) -> Option<String> {
        let mut out = Vec::new();
        let mut current: &'a Schema = schema;
        for (depth, segment) in path.split('.').enumerate() {
            let v = view(current);
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
        Some(out.join("."))
    }

    fn parameter(
        &mut self,
        file: usize,
        pointer: &str,
        param: &'a ReferenceOr<Parameter>,
    ) -> Option<Param> {
        let resolved = self.component(file, pointer, param, &PARAMETERS)?;
        // Where the parameter is written, for diagnostics about its schema.
        let (param_file, param_pointer) = match param {
            ReferenceOr::Item(_) => (file, pointer.to_owned()),
            ReferenceOr::Reference { reference } => {
                let (target, name) = self.resolve(file, pointer, reference, &PARAMETERS)?;
                (target, format!("/components/parameters/{}", escape(&name)))
            }
        };
        let param = resolved;
        let (location, data) = match param {
            Parameter::Header { parameter_data, .. } => (ParamIn::Header, parameter_data),
            Parameter::Path { parameter_data, .. } => (ParamIn::Path, parameter_data),
            Parameter::Query { parameter_data, .. } | Parameter::Cookie { parameter_data, .. } => {
                self.error(
                    file,
                    pointer,
                    format!(
                        "parameter `{}`: query and cookie parameters are not supported",
                        parameter_data.name
                    ),
                    Some("paygen supports `in: header` and `in: path`"),
                );
                return None;
            }
        };
        if location == ParamIn::Header && data.name.eq_ignore_ascii_case("content-type") {
            self.error(
                file,
                pointer,
                "`Content-Type` is not a parameter: it follows from the request body's media type"
                    .into(),
                Some("remove this parameter"),
            );
            return None;
        }
        let default = match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => s
                .schema_data
                .default
                .as_ref()
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        };
        // A required header with a default is always sent: the caller may
        // leave it unset.
        let required = data.required && default.is_none();
        // Parameters are text on the wire: the schema's limits apply to it.
        let rules = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let at = format!("{param_pointer}/schema");
                match self.deref_schema(param_file, &at, plain(schema)) {
                    Some((f, p, schema)) => self.rules(f, &p, schema, &TypeRef::String, required),
                    None => Rules::default(),
                }
            }
            ParameterSchemaOrContent::Content(_) => Rules::default(),
        };
        Some(Param {
            rust: naming::snake(&data.name)?,
            wire: data.name.clone(),
            location,
            required,
            rules,
            default,
            doc: doc_lines(data.description.as_deref(), data.example.as_ref()),
            idempotency_key: data.extensions.get("x-idempotency-key") == Some(&Value::Bool(true)),
        })
    }

    fn operations(
        &mut self,
        file: usize,
        names: &mut HashMap<String, (usize, String)>,
    ) -> Vec<Operation> {
        let mut out = Vec::new();
        let doc: &'a OpenAPI = &self.file(file).doc;
        for (path, item) in &doc.paths.paths {
            let path_pointer = format!("/paths/{}", escape(path));
            let ReferenceOr::Item(item) = item else {
                self.error(
                    file,
                    &path_pointer,
                    "path items must be written out, not `$ref`".into(),
                    None,
                );
                continue;
            };
            for (method, op) in item.iter() {
                let pointer = format!("{path_pointer}/{method}");
                if let Some(operation) =
                    self.operation(file, &pointer, path, method, op, &item.parameters, names)
                {
                    out.push(operation);
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        file: usize,
        pointer: &str,
        path: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        shared_params: &'a [ReferenceOr<Parameter>],
        names: &mut HashMap<String, (usize, String)>,
    ) -> Option<Operation> {
        let Some(id) = op.operation_id.as_deref() else {
            self.error(
                file,
                pointer,
                "the operation has no `operationId`".into(),
                Some("add `operationId: createOrder`; it names the client method"),
            );
            return None;
        };
        let method_name = naming::snake(id)?;
        if let Some((other_file, other_pointer)) = names.get(&method_name).cloned() {
            let other = format!("{}#{}", self.file(other_file).path.display(), other_pointer);
            self.error(
                file,
                &format!("{pointer}/operationId"),
                format!("operationId `{id}` (method `{method_name}`) is also used by {other}"),
                Some("operationIds must be unique within a gateway"),
            );
            return None;
        }
        names.insert(method_name.clone(), (file, pointer.to_owned()));
        let pascal = naming::pascal(id)?;

        let mut params = Vec::new();
        let all = shared_params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    format!(
                        "{}/parameters/{i}",
                        pointer.rsplit_once('/').map_or("", |x| x.0)
                    ),
                    p,
                )
            })
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p)),
            );
        for (p, param) in all.collect::<Vec<_>>() {
            if let Some(param) = self.parameter(file, &p, param) {
                params.push(param);
            }
        }
        let template: BTreeSet<String> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        for name in &template {
            if !params
                .iter()
                .any(|p| p.location == ParamIn::Path && &p.wire == name)
            {
                self.error(
                    file,
                    pointer,
                    format!("path parameter `{{{name}}}` in `{path}` is not declared"),
                    Some(&format!("add `parameters: [{{name: {name}, in: path, required: true, schema: {{type: string}}}}]`")),
                );
            }
        }
        for param in params.iter().filter(|p| p.location == ParamIn::Path) {
            if !template.contains(&param.wire) {
                self.error(
                    file,
                    pointer,
                    format!(
                        "path parameter `{}` does not appear in `{path}`",
                        param.wire
                    ),
                    Some("remove it or add it to the path"),
                );
            }
        }

        let request = match &op.request_body {
            None => None,
            Some(body) => self.request_body(
                file,
                &format!("{pointer}/requestBody"),
                &format!("{pascal}Request"),
                body,
            ),
        };
        let (response, error) = self.responses(file, pointer, &pascal, &op.responses)?;

        let mut doc = doc_lines(op.summary.as_deref(), None);
        if let Some(description) = op.description.as_deref() {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend(doc_lines(Some(description), None));
        }
        if let Some(source) = op.extensions.get("x-source").and_then(Value::as_str) {
            doc.push(String::new());
            doc.extend(doc_lines(Some(&format!("Source: {}", source.trim())), None));
        }
        Some(Operation {
            method_name,
            doc,
            http_method: method.to_uppercase(),
            path: path.to_owned(),
            params_type: (!params.is_empty()).then(|| format!("{pascal}Params")),
            params,
            request: request.map(|(name, encoding, json_fields)| {
                self.mark_body(&name, encoding, &json_fields, file, pointer);
                name
            }),
            response,
            error,
            examples: {
                let mut examples = std::mem::take(&mut self.examples);
                let mut seen = BTreeSet::new();
                // A shared error response is referenced by several status codes.
                examples.retain(|e| seen.insert((e.of as u8, e.name.clone())));
                examples
            },
        })
    }

    fn request_body(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        body: &'a ReferenceOr<RequestBody>,
    ) -> Option<(String, Encoding, Vec<String>)> {
        let body = self.component(file, pointer, body, &REQUEST_BODIES)?;
        if body.content.len() != 1 {
            self.error(
                file,
                &format!("{pointer}/content"),
                format!("the request body lists {} media types", body.content.len()),
                Some(&format!("give exactly one: `{JSON}` or `{FORM}`")),
            );
            return None;
        }
        let (media, content) = body.content.first()?;
        media_examples(ExampleOf::Request, content, &mut self.examples);
        let p = format!("{pointer}/content/{}", escape(media));
        let encoding = match media.as_str() {
            JSON => Encoding::Json,
            FORM => Encoding::Form,
            other => {
                self.error(
                    file,
                    &p,
                    format!("unsupported media type `{other}`"),
                    Some(&format!("expected `{JSON}` or `{FORM}`")),
                );
                return None;
            }
        };
        let mut json_fields = Vec::new();
        for (field, enc) in &content.encoding {
            match enc.content_type.as_deref() {
                Some(JSON) if encoding == Encoding::Form => json_fields.push(field.clone()),
                Some(other) => self.error(
                    file,
                    &format!("{p}/encoding/{}", escape(field)),
                    format!("field encoding `{other}` is not supported"),
                    Some(&format!(
                        "in a form body, `contentType: {JSON}` sends the field as one JSON value"
                    )),
                ),
                None => {}
            }
        }
        let Some(schema) = &content.schema else {
            self.error(file, &p, "the request body has no `schema`".into(), None);
            return None;
        };
        match self.type_ref(file, &format!("{p}/schema"), hint, plain(schema))? {
            TypeRef::Named(name) => Some((name, encoding, json_fields)),
            _ => {
                self.error(
                    file,
                    &format!("{p}/schema"),
                    "a request body must be an object".into(),
                    None,
                );
                None
            }
        }
    }

    /// Marks `name` as sent with `encoding`, and its JSON-in-form fields.
    fn mark_body(
        &mut self,
        name: &str,
        encoding: Encoding,
        json_fields: &[String],
        file: usize,
        pointer: &str,
    ) {
        let mut conflict = None;
        for def in self.types.iter_mut().flatten().filter(|t| t.name == name) {
            if def.body.is_some_and(|b| b != encoding) {
                conflict = Some(name.to_owned());
            }
            def.body = Some(encoding);
            if let TypeKind::Struct { fields, .. } = &mut def.kind {
                for f in fields.iter_mut() {
                    if json_fields.contains(&f.wire) {
                        f.json_in_form = true;
                    }
                }
            }
        }
        if let Some(name) = conflict {
            self.error(
                file,
                pointer,
                format!("`{name}` is sent both as JSON and as a form"),
                Some("use two schemas"),
            );
        }
    }

    fn response_schema(
        &mut self,
        file: usize,
        pointer: &str,
        hint: &str,
        of: ExampleOf,
        response: &'a ReferenceOr<Response>,
    ) -> Option<String> {
        let response = self.component(file, pointer, response, &RESPONSES)?;
        let Some(content) = response.content.get(JSON) else {
            let found: Vec<&String> = response.content.keys().collect();
            self.error(
                file,
                pointer,
                format!("the response has no `{JSON}` content (found: {found:?})"),
                Some("paygen decodes JSON responses; document the body under `content: {application/json: {schema: ...}}`"),
            );
            return None;
        };
        media_examples(of, content, &mut self.examples);
        let p = format!("{pointer}/content/{}/schema", escape(JSON));
        let Some(schema) = &content.schema else {
            self.error(file, &p, "the response has no `schema`".into(), None);
            return None;
        };
        match self.type_ref(file, &p, hint, plain(schema))? {
            TypeRef::Named(name) => Some(name),
            _ => {
                self.error(file, &p, "a response body must be an object".into(), None);
                None
            }
        }
    }

    fn responses(
        &mut self,
        file: usize,
        pointer: &str,
        pascal: &str,
        responses: &'a openapiv3::Responses,
    ) -> Option<(String, String)> {
        let mut success = None;
        let mut errors: Vec<(String, String)> = Vec::new();
        let (mut has_success, mut has_error) = (false, responses.default.is_some());
        for (code, response) in &responses.responses {
            let p = format!("{pointer}/responses/{code}");
            let is_success = matches!(code, StatusCode::Code(c) if (200..300).contains(c))
                || matches!(code, StatusCode::Range(2));
            has_success |= is_success;
            has_error |= !is_success;
            if is_success {
                if success.is_none() {
                    success = self.response_schema(
                        file,
                        &p,
                        &format!("{pascal}Response"),
                        ExampleOf::Response,
                        response,
                    );
                }
            } else if let Some(name) = self.response_schema(
                file,
                &p,
                &format!("{pascal}Error"),
                ExampleOf::Error,
                response,
            ) {
                errors.push((p, name));
            }
        }
        if let Some(default) = &responses.default {
            let p = format!("{pointer}/responses/default");
            if let Some(name) = self.response_schema(
                file,
                &p,
                &format!("{pascal}Error"),
                ExampleOf::Error,
                default,
            ) {
                errors.push((p, name));
            }
        }
        if !has_success {
            self.error(
                file,
                &format!("{pointer}/responses"),
                "no 2XX response with a JSON body".into(),
                Some("document the success body"),
            );
        }
        let error = errors.first().map(|(_, n)| n.clone());
        for (p, name) in &errors {
            if Some(name) != error.as_ref() {
                self.error(
                    file,
                    p,
                    format!("error responses use both `{}` and `{name}`", error.as_deref().unwrap_or_default()),
                    Some("every error response of an operation must share one schema, the gateway's error body"),
                );
            }
        }
        if !has_error {
            self.error(
                file,
                &format!("{pointer}/responses"),
                "no error response".into(),
                Some("document the gateway's error body as a `default` or 4XX response"),
            );
        }
        Some((success?, error?))
    }

    /// Enums that only requests use are closed: a value outside the spec is
    /// a mistake to catch. Every other enum (in a response, an error body, a
    /// webhook payload) is open and decodes values the gateway adds later.
    fn decide_sides(&self, modules: &mut [Module]) {
        let mut children: HashMap<String, Vec<TypeRef>> = HashMap::new();
        for def in modules.iter().flat_map(|m| m.types.iter()) {
            let refs = match &def.kind {
                TypeKind::Struct { fields, .. } => fields.iter().map(|f| f.ty.clone()).collect(),
                TypeKind::OneOf { variants } => variants.iter().map(|v| v.ty.clone()).collect(),
                TypeKind::Enum { .. } => Vec::new(),
            };
            children.insert(def.name.clone(), refs);
        }
        let reachable = |roots: Vec<String>| {
            let mut seen = BTreeSet::new();
            let mut stack = roots;
            while let Some(name) = stack.pop() {
                if seen.insert(name.clone()) {
                    for child in children.get(&name).into_iter().flatten() {
                        collect_named(child, &mut stack);
                    }
                }
            }
            seen
        };
        let operations = || modules.iter().flat_map(|m| m.operations.iter());
        let requests = reachable(operations().filter_map(|o| o.request.clone()).collect());
        let answers = reachable(
            operations()
                .flat_map(|o| [o.response.clone(), o.error.clone()])
                .collect(),
        );
        for def in modules.iter_mut().flat_map(|m| m.types.iter_mut()) {
            if let TypeKind::Enum { open, .. } = &mut def.kind {
                *open = !requests.contains(&def.name) || answers.contains(&def.name);
            }
        }
    }
}

/// The examples of a media type: its `examples` by name, or its `example`.
fn media_examples(of: ExampleOf, media: &openapiv3::MediaType, out: &mut Vec<Example>) {
    for (name, example) in &media.examples {
        if let ReferenceOr::Item(example) = example {
            if let Some(value) = &example.value {
                out.push(Example {
                    of,
                    name: name.clone(),
                    value: value.clone(),
                });
            }
        }
    }
    if let Some(value) = &media.example {
        out.push(Example {
            of,
            name: "example".to_owned(),
            value: value.clone(),
        });
    }
}

/// Whether a schema becomes a named Rust type (an object with properties, a
/// string enum or a oneOf) rather than a field type (a scalar, list, map or
/// free-form object).
fn is_named_shape(v: &View) -> bool {
    !v.one_of.is_empty()
        || (v.typ == Some("string") && !v.enumeration.is_empty())
        || v.properties.is_some_and(|p| !p.is_empty())
}

fn contains_encrypted(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Encrypted => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => contains_encrypted(inner),
        _ => false,
    }
}

fn collect_named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) | TypeRef::Boxed(n) => out.push(n.clone()),
        TypeRef::List(inner) | TypeRef::Map(inner) => collect_named(inner, out),
        _ => {}
    }
}

/// A schema or a `$ref` to one, whether openapiv3 boxed it or not.
#[derive(Clone, Copy)]
enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

fn plain(schema: &ReferenceOr<Schema>) -> SchemaRef<'_> {
    match schema {
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaRef::Item(s),
    }
}

fn boxed(schema: &ReferenceOr<Box<Schema>>) -> SchemaRef<'_> {
    match schema {
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaRef::Item(s),
    }
}
