//! Lowers parsed OpenAPI documents to the IR: resolves `$ref`s across a
//! gateway's files, chooses every name, decides encodings and validation rules,
//! and reports every problem it meets with its position.

mod analysis;
mod bodies;
mod cross_rules;
mod enums;
mod gateway;
mod names;
mod objects;
mod operations;
mod parameters;
mod refs;
mod responses;
mod rules;
mod security;
mod types;
mod unions;
mod view;
mod webhooks;

use std::collections::{BTreeSet, HashMap, HashSet};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::Diagnostic;
use crate::ir::{Gateway, Module, TypeKind, TypeRef};
use crate::load::{GatewaySpecs, SpecFile};
use crate::locate::escape;
use crate::skip::Skips;
use analysis::{contains_encrypted, decide_names, decide_sides, shadowed_names};
use gateway::ClientPlan;
use operations::OperationScope;
use refs::{REQUEST_BODIES, SCHEMAS};
use types::TypeTable;
use view::{doc_lines, is_named_shape, view};

/// The file in each gateway folder that holds servers, security and shared schemas.
pub const SHARED_FILE: &str = "gateway.yaml";

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
const TYPES: &str = "string, integer, number, boolean, array, object";
/// Lowers every gateway, adding a diagnostic for each problem found.
/// Leaves out what `skips` names (the lenient mode; empty when strict).
pub fn lower(
    gateways: &[GatewaySpecs],
    skips: &Skips,
    lenient: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Gateway> {
    gateways
        .iter()
        .filter_map(|g| {
            let mut lowerer = Lowerer::new(g, skips, diagnostics);
            lowerer.lenient = lenient;
            lowerer.run()
        })
        .collect()
}

/// Where a component comes from: a file and a name.
type ComponentKey = (usize, String);

/// A component schema's place: its file, then its index among the file's
/// schemas. Types sort by it, so that each module lists them in the order
/// its spec declares them.
type Place = (usize, usize);

/// The place of types that no component schema holds (an operation's
/// inline body): after every component's.
const NO_PLACE: Place = (usize::MAX, usize::MAX);

/// One gateway's lowering. [`Lowerer::run`] takes it through its steps in
/// order, each in its own file, each step's state in its own part:
///
/// 1. The client (`client`, a [`ClientPlan`]): `gateway.rs` reads the shared
///    file's name, servers and settings, `security.rs` its requirement and
///    credentials.
/// 2. Component schemas (`table`, a [`TypeTable`]): `types.rs` names each and
///    lowers it by its shape, in `objects.rs`, `enums.rs` or `unions.rs`,
///    with the rules of `rules.rs` and `cross_rules.rs`. A schema is read
///    through `view.rs`, and a `$ref` followed by `refs.rs`.
/// 3. Each file's operations (`scope`, an [`OperationScope`]):
///    `operations.rs`, with `parameters.rs`, `bodies.rs` and `responses.rs`,
///    adding their inline types to `table`; then its webhooks, `webhooks.rs`.
/// 4. Passes over the finished modules: `analysis.rs` (which side of the
///    wire each type is on, which enums are open, the names a gateway
///    shadows) and `gateway.rs`'s `x-error-fields`. Throughout, `names.rs`
///    checks the names a spec gives against those generated code keeps.
struct Lowerer<'a> {
    gateway: &'a GatewaySpecs,
    /// The import mode: what a published file leaves out (a top-level
    /// `security`) is worked out from the rest, where it can be.
    lenient: bool,
    /// What the lenient mode leaves out.
    skips: &'a Skips,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// How many times lowering stopped at a file whose own error was already
    /// reported (a `$ref` into a file that did not parse): explained.
    reported_elsewhere: usize,
    /// The components whose `$ref`s are being followed, to catch cycles.
    ref_chain: Vec<ComponentKey>,
    /// What lowering the gateway file and its security decides for the
    /// client, which every operation then reads (`gateway.rs`, `security.rs`).
    client: ClientPlan,
    /// Every type made so far, and what naming and sorting them needs (`types.rs`).
    table: TypeTable,
    /// The operation being lowered (`operations.rs`).
    scope: OperationScope,
}

impl<'a> Lowerer<'a> {
    fn new(
        gateway: &'a GatewaySpecs,
        skips: &'a Skips,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Lowerer {
            gateway,
            skips,
            diagnostics,
            lenient: false,
            reported_elsewhere: 0,
            ref_chain: Vec::new(),
            client: ClientPlan::default(),
            table: TypeTable::new(gateway.len()),
            scope: OperationScope::default(),
        }
    }

    /// The file at `index`. Lowering reaches a file by iterating those
    /// that parsed ([`Self::parsed_files`]) or by resolving a `$ref` (which
    /// stops at a file that did not), so the file is always there.
    fn file(&self, index: usize) -> &'a SpecFile {
        self.gateway
            .file(index)
            .expect("lowering only reaches files that parsed")
    }

    /// The indices of the files that parsed, in file-name order; each is
    /// waited for (or parsed) only when the iteration reaches it.
    fn parsed_files(&self) -> impl Iterator<Item = usize> + 'a {
        let gateway = self.gateway;
        (0..gateway.len()).filter(move |&index| gateway.file(index).is_some())
    }

    fn error(&mut self, file: usize, pointer: &str, message: String, help: Option<&str>) {
        let d = self
            .file(file)
            .diagnostic(pointer, message, help.map(str::to_owned));
        self.diagnostics.push(d);
    }

    /// Runs `lower` for the `what` at `pointer`; when it gives nothing without
    /// a diagnostic, reports that, so that nothing a spec says is dropped in
    /// silence (every early return in lowering should say why itself; this
    /// is the net under the ones that do not).
    fn explained<T>(
        &mut self,
        file: usize,
        pointer: &str,
        what: &str,
        lower: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        let before = self.diagnostics.len() + self.reported_elsewhere;
        let out = lower(self);
        if out.is_none() && self.diagnostics.len() + self.reported_elsewhere == before {
            self.error(
                file,
                pointer,
                format!("{what} could not be generated, and paygen gave no reason"),
                Some("this is a bug in paygen: please report it with this spec"),
            );
        }
        out
    }

    /// The gateway's `gateway.yaml`, or why there is none.
    fn shared_file(&mut self) -> Option<usize> {
        if let Some(index) = self.gateway.index_of(SHARED_FILE) {
            // When it did not parse, its own error is already reported.
            return self.gateway.file(index).map(|_| index);
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
        None
    }

    /// Whether the gateway's files document webhooks and no path: a
    /// gateway's notification files, which the merchant only receives.
    fn only_webhooks(&self) -> bool {
        let files = || self.parsed_files().map(|f| self.file(f));
        files().all(|f| f.doc.paths.paths.is_empty()) && files().any(|f| !f.webhooks.is_empty())
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
                        .located(file, reference, &REQUEST_BODIES)
                        .map(|(at, _, body)| (at, body)),
                });
            for (at, body) in bodies {
                if let Some(ReferenceOr::Reference { reference }) = body
                    .content
                    .get(MULTIPART)
                    .and_then(|media| media.schema.as_ref())
                {
                    if let Some((target, name, _)) = self.located(at, reference, &SCHEMAS) {
                        found.insert((target, name.to_owned()));
                    }
                }
            }
        }
        found
    }

    /// Component schemas first, in file and declaration order, so that each
    /// type lands in the module of the file that declares it.
    fn component_schemas(&mut self) {
        let multipart = self.multipart_components();
        for file in self.parsed_files() {
            if let Some(components) = &self.file(file).doc.components {
                for (name, schema) in &components.schemas {
                    if !self.skips.is_empty() {
                        let pointer = format!("/components/schemas/{}", escape(name));
                        if self.skips.contains(&self.file(file).path, &pointer) {
                            continue;
                        }
                    }
                    // Scalars, lists, maps and `$ref`s to other components are
                    // used where they are referenced.
                    match schema {
                        ReferenceOr::Reference { .. } => continue,
                        ReferenceOr::Item(schema) => {
                            let v = view(schema);
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

    /// One module per spec file: its operations, then its types in order.
    fn modules(&mut self) -> Vec<Module> {
        let mut modules = Vec::new();
        let mut method_names: HashMap<String, (usize, String)> = HashMap::new();
        let mut module_names = HashMap::new();
        let mut files = Vec::new();
        for file in self.parsed_files() {
            files.push(file);
            let operations = self.operations(file, &mut method_names);
            let name = self.module_name(file, &mut module_names);
            let webhooks = name
                .as_deref()
                .and_then(|module| self.webhooks(file, module));
            modules.push(Module {
                name: name.unwrap_or_default(),
                spec_file: self.file(file).path.display().to_string(),
                title: crate::markdown::one_line(&self.file(file).doc.info.title),
                types: Vec::new(),
                operations,
                webhooks,
            });
        }
        for (module, file) in modules.iter_mut().zip(files) {
            let mut types = std::mem::take(&mut self.table.types[file]);
            // One lookup per type, not one per comparison.
            types.sort_by_cached_key(|t| {
                self.table
                    .sort_keys
                    .get(&t.name)
                    .copied()
                    .unwrap_or((NO_PLACE, 0))
            });
            module.types = types;
        }
        modules
    }

    fn run(mut self) -> Option<Gateway> {
        let shared = self.shared_file()?;
        let errors_before = self.diagnostics.len();
        let name = self.gateway_name(shared);
        let client = !self.only_webhooks();
        let (sandbox_url, production_url) = if client {
            self.servers(shared)
        } else {
            Default::default()
        };
        let requirement = if client {
            self.requirement(shared)
        } else {
            Some(Vec::new())
        };
        let auth = requirement
            .as_deref()
            .and_then(|requirement| self.auth(shared, requirement));
        self.client.security_schemes = requirement.into_iter().flatten().collect();
        let settings = self.settings(shared);
        self.client.setting_names = settings.iter().map(|s| s.name.clone()).collect();
        self.client.setting_headers = settings
            .iter()
            .filter_map(|s| Some((s.header.clone()?, s.name.clone())))
            .collect();

        self.component_schemas();
        let mut modules = self.modules();
        decide_sides(&mut modules);
        decide_names(&mut modules);
        self.error_fields(&mut modules);
        let shadowed = shadowed_names(&modules);

        // The wire names of the fields of every struct that `keep` takes.
        let wire_names = |keep: fn(&crate::ir::Field) -> bool| -> Vec<String> {
            let names: BTreeSet<String> = modules
                .iter()
                .flat_map(|m| m.types.iter())
                .flat_map(|t| match &t.kind {
                    TypeKind::Struct { fields, .. } => fields.as_slice(),
                    _ => &[],
                })
                .filter(|f| keep(f))
                .map(|f| f.wire.clone())
                .collect();
            names.into_iter().collect()
        };
        let secret_fields = wire_names(|f| f.ty.is_secret());
        let encrypted_fields = wire_names(|f| f.ty == TypeRef::Encrypted);
        let doc = self.file(shared).doc.info.description.as_deref();
        let gateway = Gateway {
            shadowed,
            secret_fields,
            encrypted_fields,
            name: name?,
            title: crate::markdown::one_line(&self.file(shared).doc.info.title),
            doc: doc_lines(doc, None),
            sandbox_url,
            production_url,
            auth: auth?,
            operation_credentials: std::mem::take(&mut self.client.operation_credentials),
            settings,
            encrypts: modules
                .iter()
                .flat_map(|m| m.types.iter())
                .any(|t| match &t.kind {
                    TypeKind::Struct { fields, .. } => {
                        fields.iter().any(|f| contains_encrypted(&f.ty))
                    }
                    TypeKind::OneOf { variants, .. } => {
                        variants.iter().any(|v| contains_encrypted(&v.ty))
                    }
                    TypeKind::Enum { .. } => false,
                }),
            modules,
            client,
        };
        (self.diagnostics.len() == errors_before).then_some(gateway)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Encoding;

    #[test]
    fn nothing_is_dropped_without_a_diagnostic() {
        let specs = crate::workspace_root().join("tests/fixtures/specs");
        let (gateways, _) = crate::load::load(&specs).unwrap();
        let mut diagnostics = Vec::new();
        let skips = Skips::default();
        let mut lowerer = Lowerer::new(&gateways[0], &skips, &mut diagnostics);
        // A lowering step that gives up without saying why is reported.
        let silent: Option<()> = lowerer.explained(0, "/paths", "this operation", |_| None);
        // One that says why is reported once, in its own words.
        let said: Option<()> = lowerer.explained(0, "/info", "this part", |this| {
            this.error(0, "/info", "the reason".into(), None);
            None
        });
        let kept = lowerer.explained(0, "/info", "this part", |_| Some(1));
        assert_eq!((silent, said, kept), (None, None, Some(1)));
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "this operation could not be generated, and paygen gave no reason",
                "the reason"
            ]
        );
    }

    #[test]
    fn a_multipart_body_named_by_ref_sends_its_binary_fields_as_files() {
        // Cashfree's dispute evidence: `schema: {$ref: DisputeEvidence}`, a
        // component lowered before the operation that sends it.
        let specs = crate::workspace_root().join("specs");
        let (gateways, _) = crate::load::load(&specs).unwrap();
        let mut diagnostics = Vec::new();
        let lowered = lower(&gateways, &Skips::default(), false, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let cashfree = lowered.iter().find(|g| g.name == "cashfree").unwrap();
        let evidence = cashfree
            .modules
            .iter()
            .flat_map(|m| &m.types)
            .find(|t| t.name == "DisputeEvidence")
            .unwrap();
        let TypeKind::Struct { fields, .. } = &evidence.kind else {
            panic!("DisputeEvidence is a struct");
        };
        let file = fields.iter().find(|f| f.wire == "file").unwrap();
        assert_eq!(file.ty, TypeRef::File);
        assert_eq!(evidence.body, Some(Encoding::Multipart));
    }
}
