//! What every lowering step reads and reports through: one gateway's parsed
//! files, what the lenient mode leaves out, and the diagnostics, each placed
//! at its file's line and column.

use crate::error::Diagnostic;
use crate::load::{GatewaySpecs, SpecFile};
use crate::skip::Skips;

use super::{ComponentKey, SHARED_FILE};

/// One gateway's files as lowering reads them. Each step borrows it: the
/// client's (`gateway.rs`, `security.rs`) alone, the types' and operations'
/// through their [`Lowerer`](super::Lowerer).
pub(super) struct Specs<'a> {
    pub(super) gateway: &'a GatewaySpecs,
    /// The import mode: what a published file leaves out (a top-level
    /// `security`) is worked out from the rest, where it can be.
    pub(super) lenient: bool,
    /// What the lenient mode leaves out.
    pub(super) skips: &'a Skips,
    pub(super) diagnostics: &'a mut Vec<Diagnostic>,
    /// How many times lowering stopped at a file whose own error was already
    /// reported (a `$ref` into a file that did not parse): explained.
    pub(super) reported_elsewhere: usize,
    /// The components whose `$ref`s are being followed, to catch cycles.
    pub(super) ref_chain: Vec<ComponentKey>,
}

impl<'a> Specs<'a> {
    pub(super) fn new(
        gateway: &'a GatewaySpecs,
        skips: &'a Skips,
        lenient: bool,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Specs {
            gateway,
            lenient,
            skips,
            diagnostics,
            reported_elsewhere: 0,
            ref_chain: Vec::new(),
        }
    }

    /// The file at `index`. Lowering reaches a file by iterating those
    /// that parsed ([`Self::parsed_files`]) or by resolving a `$ref` (which
    /// stops at a file that did not), so the file is always there.
    pub(super) fn file(&self, index: usize) -> &'a SpecFile {
        self.gateway
            .file(index)
            .expect("lowering only reaches files that parsed")
    }

    /// The indices of the files that parsed, in file-name order; each is
    /// waited for (or parsed) only when the iteration reaches it.
    pub(super) fn parsed_files(&self) -> impl Iterator<Item = usize> + 'a {
        let gateway = self.gateway;
        (0..gateway.len()).filter(move |&index| gateway.file(index).is_some())
    }

    pub(super) fn error(
        &mut self,
        file: usize,
        pointer: &str,
        message: String,
        help: Option<&str>,
    ) {
        let d = self
            .file(file)
            .diagnostic(pointer, message, help.map(str::to_owned));
        self.diagnostics.push(d);
    }

    /// How many problems have been reported so far, here or in the file
    /// that holds them: a step that gives nothing without adding to it has
    /// not said why.
    pub(super) fn problems(&self) -> usize {
        self.diagnostics.len() + self.reported_elsewhere
    }

    /// The gateway's `gateway.yaml`, or why there is none.
    pub(super) fn shared_file(&mut self) -> Option<usize> {
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
    pub(super) fn only_webhooks(&self) -> bool {
        let files = || self.parsed_files().map(|f| self.file(f));
        files().all(|f| f.doc.paths.paths.is_empty()) && files().any(|f| !f.webhooks.is_empty())
    }
}
