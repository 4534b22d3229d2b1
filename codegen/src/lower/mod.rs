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
mod scalars;
mod security;
mod specs;
mod types;
mod unions;
mod view;
mod webhooks;

use std::collections::BTreeSet;
use std::rc::Rc;

use openapiv3::Schema;

use crate::error::Diagnostic;
use crate::ir::{Gateway, Module, OperationCredential, TypeKind, TypeRef};
use crate::load::{GatewaySpecs, SpecFile};
use crate::skip::Skips;
use analysis::{contains_encrypted, decide_names, decide_sides, shadowed_names};
use gateway::{ClientPlan, ErrorFieldsAt};
use operations::OperationScope;
use specs::Specs;
use types::TypeTable;
use view::{doc_lines, View, Views};

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
        .filter_map(|g| lower_gateway(&mut Specs::new(g, skips, lenient, diagnostics)))
        .collect()
}

/// One gateway's lowering, step by step; each step's output is the next
/// one's input, and each is in its own file:
///
/// 1. The client, from the shared file alone: a [`ClientPlan`]
///    (`gateway.rs` reads the name, servers and settings, `security.rs` the
///    requirement and its credentials).
/// 2. and 3. Types, then operations: a [`Lowerer`] reads the plan and
///    gives the [`Lowered`] modules.
/// 4. Passes over the finished modules: `analysis.rs` (which side of the
///    wire each type is on, which enums are open, the names a gateway
///    shadows), then `gateway.rs`'s `x-error-fields`, which need every type.
///
/// Every step reports through the one [`Specs`], and a step whose part
/// failed leaves it out and lets the next run, so that one run reports
/// every problem; the gateway is made only when none was found.
fn lower_gateway(specs: &mut Specs<'_>) -> Option<Gateway> {
    let shared = specs.shared_file()?;
    let errors_before = specs.diagnostics.len();
    let client = ClientPlan::lower(specs, shared);
    let Lowered {
        mut modules,
        error_fields,
        operation_credentials,
    } = Lowerer::new(specs, &client).lower();
    decide_sides(&mut modules);
    decide_names(&mut modules);
    specs.error_fields(error_fields, &mut modules);
    let gateway = assemble(specs.file(shared), client, operation_credentials, modules);
    (specs.diagnostics.len() == errors_before).then_some(gateway?)
}

/// The gateway of step 1's client and step 3's modules.
fn assemble(
    shared: &SpecFile,
    client: ClientPlan,
    operation_credentials: Vec<OperationCredential>,
    modules: Vec<Module>,
) -> Option<Gateway> {
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
    let encrypts = modules
        .iter()
        .flat_map(|m| m.types.iter())
        .any(|t| match &t.kind {
            TypeKind::Struct { fields, .. } => fields.iter().any(|f| contains_encrypted(&f.ty)),
            TypeKind::OneOf { variants, .. } => variants.iter().any(|v| contains_encrypted(&v.ty)),
            TypeKind::Enum { .. } => false,
        });
    Some(Gateway {
        shadowed: shadowed_names(&modules),
        secret_fields: wire_names(|f| f.ty.is_secret()),
        encrypted_fields: wire_names(|f| f.ty == TypeRef::Encrypted),
        name: client.name?,
        title: crate::markdown::one_line(&shared.doc.info.title),
        doc: doc_lines(shared.doc.info.description.as_deref(), None),
        sandbox_url: client.sandbox_url,
        production_url: client.production_url,
        auth: client.auth?,
        operation_credentials,
        settings: client.settings,
        encrypts,
        modules,
        client: client.has_client,
    })
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

/// Steps 2 and 3 of a gateway's lowering, whose state it holds, each part
/// in the step that owns it:
///
/// 2. Component schemas (`table`, a [`TypeTable`]): `types.rs` names each and
///    lowers it by its shape, in `objects.rs`, `enums.rs` or `unions.rs`,
///    with the rules of `rules.rs` and `cross_rules.rs`. A schema is read
///    through `view.rs`, and a `$ref` followed by `refs.rs`.
/// 3. Each file's operations (`scope`, an [`OperationScope`]):
///    `operations.rs`, with `parameters.rs`, `bodies.rs` and `responses.rs`,
///    adding their inline types to `table` and the credentials they send
///    instead of the client's own to `operation_credentials`; then its
///    webhooks, `webhooks.rs`.
///
/// It reads step 1's [`ClientPlan`], and gives [`Lowered`].
struct Lowerer<'a, 's> {
    specs: &'s mut Specs<'a>,
    client: &'s ClientPlan,
    /// Every type made so far, and what naming and sorting them needs.
    table: TypeTable,
    /// The operation being lowered.
    scope: OperationScope,
    /// The credentials operations send instead of the client's own (their
    /// `security` allows only another scheme), in the order first met.
    operation_credentials: Vec<OperationCredential>,
    /// Each schema's view, made once.
    views: Views<'a>,
}

/// What steps 2 and 3 give: the modules, one per file, and what the passes
/// over them need.
struct Lowered {
    modules: Vec<Module>,
    /// Each `x-error-fields`, resolved once every type is known.
    error_fields: Vec<ErrorFieldsAt>,
    operation_credentials: Vec<OperationCredential>,
}

impl<'a, 's> Lowerer<'a, 's> {
    fn new(specs: &'s mut Specs<'a>, client: &'s ClientPlan) -> Self {
        let files = specs.gateway.len();
        Lowerer {
            specs,
            client,
            table: TypeTable::new(files),
            scope: OperationScope::default(),
            operation_credentials: Vec::new(),
            views: Views::default(),
        }
    }

    /// Component schemas (step 2), then each file's operations and
    /// webhooks (step 3).
    fn lower(mut self) -> Lowered {
        self.component_schemas();
        let modules = self.modules();
        Lowered {
            modules,
            error_fields: self.table.error_fields,
            operation_credentials: self.operation_credentials,
        }
    }

    /// The file at `index` (see [`Specs::file`]).
    fn file(&self, index: usize) -> &'a SpecFile {
        self.specs.file(index)
    }

    /// How `schema` reads, whichever way openapiv3 parsed it.
    fn view(&self, schema: &'a Schema) -> Rc<View<'a>> {
        self.views.of(schema)
    }

    fn parsed_files(&self) -> impl Iterator<Item = usize> + 'a {
        self.specs.parsed_files()
    }

    fn error(&mut self, file: usize, pointer: &str, message: String, help: Option<&str>) {
        self.specs.error(file, pointer, message, help);
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
        let before = self.specs.problems();
        let out = lower(self);
        if out.is_none() && self.specs.problems() == before {
            self.error(
                file,
                pointer,
                format!("{what} could not be generated, and paygen gave no reason"),
                Some("this is a bug in paygen: please report it with this spec"),
            );
        }
        out
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
        let mut specs = Specs::new(&gateways[0], &skips, false, &mut diagnostics);
        let client = ClientPlan::default();
        let mut lowerer = Lowerer::new(&mut specs, &client);
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
