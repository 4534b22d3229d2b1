//! paygen-codegen: curated OpenAPI specs in, typed Rust gateway clients out.
//!
//! The pipeline has one module per phase: [`load`] reads the YAML (with a map
//! of positions for diagnostics), [`lower`] resolves it into the [`ir`],
//! `emit` turns the IR into tokens, and [`write`](mod@write) formats them and writes only
//! what changed.
//!
//! ```no_run
//! let summary = paygen_codegen::Generator::new("specs", "generated/src/gateways").write()?;
//! println!("{} files written", summary.count(paygen_codegen::write::Change::Created));
//! # Ok::<(), paygen_codegen::Error>(())
//! ```

pub mod budget;
pub mod build;
mod emit;
pub mod error;
pub mod ir;
pub mod keys;
pub mod load;
pub mod locate;
pub mod lower;
mod markdown;
pub mod naming;
mod normalise;
mod openapi31;
mod parallel;
pub mod skip;
pub mod surface;
pub mod write;

use std::path::{Path, PathBuf};

pub use error::{Diagnostic, Diagnostics, Error};
use write::{OutputFile, Summary};

/// The generator's settings: where the specs are, where the code goes.
#[derive(Debug, Clone)]
pub struct Generator {
    specs: PathBuf,
    out: PathBuf,
    spec_label: String,
    features: bool,
    /// How generated headers say to regenerate.
    regenerate: String,
    /// Leave out each operation that uses something unsupported, instead of
    /// failing (the lenient import mode).
    skip_unsupported: bool,
    /// The path the gateway modules are reached by (`paygen`), for the
    /// example on each gateway module's page; `None` for no example.
    doc_examples: Option<String>,
}

/// What one run produced, before anything is written.
#[derive(Debug)]
pub struct Output {
    /// The lowered gateways.
    pub gateways: Vec<ir::Gateway>,
    /// The formatted files, by path below the output folder.
    pub files: Vec<OutputFile>,
    /// Other tools' `x-` keys, accepted without effect, as `file:line:col:
    /// key` lines (`generate --verbose` prints them).
    pub foreign_extensions: Vec<String>,
    /// What the lenient mode left out, and why (empty in the strict mode).
    pub skipped: Vec<skip::Skipped>,
    /// Keys that only document (`tags`, `externalDocs`), which the lenient
    /// mode dropped: how many of each (empty in the strict mode, where each
    /// is an error).
    pub documentation_only: std::collections::BTreeMap<String, usize>,
}

impl Generator {
    /// Reads specs from `specs` (one folder per gateway) and writes modules to
    /// `out` (the generated crate's `src/gateways`).
    pub fn new(specs: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Generator {
            specs: specs.into(),
            out: out.into(),
            spec_label: "specs".to_owned(),
            features: true,
            regenerate: "run `cargo run -p paygen-codegen -- generate`".to_owned(),
            skip_unsupported: false,
            doc_examples: Some("paygen".to_owned()),
        }
    }

    /// This crate's own workspace's `specs/` and `generated/src/gateways/`: the
    /// checkout it was compiled in. A program run elsewhere (the CLI) finds its
    /// workspace with [`find_workspace`] and uses [`Generator::for_workspace_at`].
    pub fn for_workspace() -> Self {
        Generator::for_workspace_at(&workspace_root())
    }

    /// The `specs/` and `generated/src/gateways/` of the workspace at `root`.
    pub fn for_workspace_at(root: &Path) -> Self {
        Generator::new(root.join("specs"), root.join("generated/src/gateways"))
    }

    /// How generated headers name the specs folder (default `specs`).
    pub fn spec_label(mut self, label: impl Into<String>) -> Self {
        self.spec_label = label.into();
        self
    }

    /// How the generated files' header says to regenerate them (default:
    /// run `cargo run -p paygen-codegen -- generate`).
    pub fn regenerate_hint(mut self, hint: impl Into<String>) -> Self {
        self.regenerate = hint.into();
        self
    }

    /// The path a consumer reaches the gateway modules by (default `paygen`,
    /// as in `paygen::razorpay`), for the compiled example on each gateway
    /// module's page; `None` writes no example (modules that are not public).
    pub fn doc_examples(mut self, crate_path: Option<String>) -> Self {
        self.doc_examples = crate_path;
        self
    }

    /// The lenient import mode (default off): an operation that uses
    /// something paygen does not support is left out, with the reason in
    /// [`Output::skipped`], and so is a component schema that does (with
    /// every operation that uses it); the run fails only on problems that
    /// belong to no operation (servers, security, a file that does not parse)
    /// or when nothing is left to generate. For starting from a gateway's
    /// published OpenAPI file; curated specs stay strict.
    pub fn skip_unsupported(mut self, on: bool) -> Self {
        self.skip_unsupported = on;
        self
    }

    /// Whether each gateway module sits behind a cargo feature of its name (default on).
    pub fn cargo_features(mut self, on: bool) -> Self {
        self.features = on;
        self
    }

    /// The specs folder.
    pub fn specs_dir(&self) -> &Path {
        &self.specs
    }

    /// The output folder.
    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// Loads, checks and renders everything in memory; every spec problem is
    /// reported at once.
    pub fn render(&self) -> Result<Output, Error> {
        // A spec decides how deep parsing and lowering recurse.
        parallel::on_large_stack(|| self.render_here())
    }

    fn render_here(&self) -> Result<Output, Error> {
        let mut timer = PhaseTimer::from_env();
        let (specs, mut diagnostics) = load::discover(&self.specs)?;
        // The files are parsed on every core while this thread lowers: it
        // takes each file as soon as it is parsed (or parses it itself), so
        // lowering overlaps loading instead of waiting for the last file.
        let first_lowering = std::thread::scope(|scope| {
            // Without the thread (a sandbox's limit), lowering parses what it
            // reaches and `problems` below parses the rest.
            let _ = parallel::builder().spawn_scoped(scope, || load::parse_all(&specs));
            let mut found = Vec::new();
            let gateways = lower::lower(
                &specs,
                &skip::Skips::default(),
                self.skip_unsupported,
                &mut found,
            );
            (gateways, found)
        });
        diagnostics.extend(load::problems(&specs)?);
        let foreign_extensions = specs
            .iter()
            .flat_map(|g| g.parsed())
            .flat_map(|file| {
                file.foreign_extensions.iter().map(|pointer| {
                    let (line, column) = file.position(pointer);
                    let key = pointer.rsplit('/').next().unwrap_or_default();
                    format!(
                        "{}:{line}:{column}: `{key}` at #{pointer}",
                        file.path.display()
                    )
                })
            })
            .collect();
        timer.lap("load and lower");
        // Keys that only document: errors when curated, dropped (and
        // counted, by key) on import.
        let mut documentation_only: std::collections::BTreeMap<String, usize> = Default::default();
        for d in specs
            .iter()
            .flat_map(|g| g.parsed())
            .flat_map(|f| &f.documentation_only)
        {
            if self.skip_unsupported {
                // Each message opens with what it drops, in backticks:
                // "`tags` is not supported here", "`Content-Type` is not a parameter".
                let key = d.message.split('`').nth(1).unwrap_or_default().to_owned();
                *documentation_only.entry(key).or_default() += 1;
            } else {
                diagnostics.push(d.clone());
            }
        }
        let mut skips = skip::Skips::default();
        let mut first_lowering = Some(first_lowering);
        let gateways = loop {
            let mut found = diagnostics.clone();
            let gateways = match first_lowering.take() {
                Some((gateways, lowered)) => {
                    found.extend(lowered);
                    gateways
                }
                None => lower::lower(&specs, &skips, self.skip_unsupported, &mut found),
            };
            if found.is_empty() {
                break gateways;
            }
            if !self.skip_unsupported {
                return Err(Error::Specs(Diagnostics(found).sorted()));
            }
            // Skip what the problems are in, and lower again without it: a
            // skipped component is then reported where it is used.
            let (left, grew) = skips.absorb(found);
            if !left.is_empty() {
                return Err(Error::Specs(Diagnostics(left).sorted()));
            }
            if !grew {
                break gateways;
            }
        };
        if self.skip_unsupported {
            timer.lap("lower again, leaving out what cannot be generated");
        }
        // The parsed documents are the largest thing held; their memory is
        // reused by what comes next instead of new pages.
        drop(specs);
        timer.lap("drop the documents");
        let nothing_left = |g: &ir::Gateway| {
            g.operations().next().is_none() && g.modules.iter().all(|m| m.webhooks.is_none())
        };
        if self.skip_unsupported && gateways.iter().all(nothing_left) {
            let mut all: Vec<Diagnostic> = skips.report().into_iter().map(|s| s.reason).collect();
            all.sort();
            return Err(Error::Specs(Diagnostics(all).sorted()));
        }
        let settings = emit::Settings {
            example_path: self.doc_examples.as_deref(),
            features: self.features,
        };
        // Only the formatted text outlives this step.
        let mut files = self.format(&gateways, &settings, emit::OPERATIONS_PER_PIECE);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        timer.lap("emit and format");
        Ok(Output {
            gateways,
            files,
            foreign_extensions,
            skipped: skips.report(),
            documentation_only,
        })
    }

    /// Every file of `gateways`, formatted: each on one thread (its tokens
    /// are not `Send`), files in parallel, a client's operations in pieces
    /// of `per_piece` joined into its file.
    fn format(
        &self,
        gateways: &[ir::Gateway],
        settings: &emit::Settings<'_>,
        per_piece: usize,
    ) -> Vec<OutputFile> {
        let plan = emit::plan(gateways, per_piece);
        let pieces = parallel::map(&plan, |&planned| {
            match emit::emit(planned, gateways, settings) {
                emit::Emitted::File(file) => {
                    write::Formatted::File(write::render(file, &self.spec_label, &self.regenerate))
                }
                emit::Emitted::Members(members) => {
                    write::Formatted::Members(write::render_members(members))
                }
            }
        });
        write::join(pieces)
    }

    /// Renders and writes what changed, removing stale generated files.
    pub fn write(&self) -> Result<Summary, Error> {
        let output = self.render()?;
        write::apply(&self.out, &output.files, false)
    }

    /// Renders and compares with what is on disk, changing nothing.
    pub fn check(&self) -> Result<Summary, Error> {
        let output = self.render()?;
        write::apply(&self.out, &output.files, true)
    }
}

/// Prints how long each phase took to stderr when `PAYGEN_TIMINGS` is set, for
/// finding where a large spec spends its time.
struct PhaseTimer(Option<std::time::Instant>);

impl PhaseTimer {
    fn from_env() -> Self {
        PhaseTimer(std::env::var_os("PAYGEN_TIMINGS").map(|_| std::time::Instant::now()))
    }

    fn lap(&mut self, phase: &str) {
        if let Some(start) = &mut self.0 {
            // Resident memory where the platform says (Linux), for a large
            // spec's growth phase by phase.
            let resident = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|statm| statm.split(' ').nth(1)?.parse::<u64>().ok())
                .map(|pages| format!(", {} MiB resident", (pages * 4096) >> 20))
                .unwrap_or_default();
            eprintln!("{phase}: {} ms{resident}", start.elapsed().as_millis());
            *start = std::time::Instant::now();
        }
    }
}

/// The paygen workspace that holds `start`: the nearest directory, from
/// `start` upwards, with a `specs/` folder and a `Cargo.toml` that declares a
/// `[workspace]`.
pub fn find_workspace(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let declares_workspace = manifest.lines().any(|l| l.trim() == "[workspace]");
        (declares_workspace && dir.join("specs").is_dir()).then(|| dir.to_owned())
    })
}

/// The root of the workspace this crate was compiled in: the parent of its
/// folder. Right for this repository's own tests; a binary may run elsewhere.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}
