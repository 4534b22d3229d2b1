//! The `paygen-codegen` command line: `generate` (and `generate --check`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use paygen_codegen::write::Change;
use paygen_codegen::{Error, Generator};

// glibc's allocator spends most of a large spec's run consolidating and
// unlinking the generator's many short-lived token and tree nodes; mimalloc
// does not (a 20 MiB spec: see docs/performance.md's generator rows).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates paygen's typed gateway clients from curated OpenAPI specs.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the gateway modules from the specs.
    Generate {
        /// Change nothing; exit 1 with a diff when the generated code is stale.
        #[arg(long)]
        check: bool,
        /// The specs folder (default: `specs/` of the paygen workspace holding the
        /// current directory).
        #[arg(long, value_name = "DIR")]
        specs: Option<PathBuf>,
        /// The output folder (default: `generated/src/gateways/` of the paygen
        /// workspace holding the current directory).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// How the generated headers name the specs folder (default: `specs`).
        #[arg(long, value_name = "PATH")]
        spec_label: Option<String>,
        /// Do not put each gateway module behind a cargo feature.
        #[arg(long)]
        no_features: bool,
        /// The path consumers reach the gateway modules by, for the example
        /// on each module's page (default: `paygen`).
        #[arg(long, value_name = "PATH")]
        crate_path: Option<String>,
        /// Import mode, for a gateway's published OpenAPI file: leave out each
        /// operation (and component) that uses something unsupported, with one
        /// located warning each, instead of failing. Exit 0 when anything is
        /// generated.
        #[arg(long)]
        skip_unsupported: bool,
        /// Also list other tools' `x-` keys, which paygen accepts and ignores.
        #[arg(long, short)]
        verbose: bool,
    },
}

fn main() -> ExitCode {
    let Command::Generate {
        check,
        specs,
        out,
        spec_label,
        no_features,
        crate_path,
        skip_unsupported,
        verbose,
    } = Cli::parse().command;
    let Some((specs, out, root)) = locate(specs, out) else {
        return ExitCode::from(2);
    };
    let mut generator = Generator::new(specs, out)
        .cargo_features(!no_features)
        .skip_unsupported(skip_unsupported);
    if let Some(path) = crate_path {
        generator = generator.doc_examples(Some(path));
    }
    if let Some(label) = spec_label {
        generator = generator.spec_label(label);
    }
    let output = match generator.render() {
        Ok(output) => output,
        Err(e) => return fail(e),
    };
    print_notes(&output, verbose);
    for gateway in &output.gateways {
        let operations = gateway.operations().count();
        let types: usize = gateway.modules.iter().map(|m| m.types.len()).sum();
        let webhooks: usize = gateway
            .modules
            .iter()
            .filter_map(|m| m.webhooks.as_ref())
            .map(|w| w.events.len())
            .sum();
        let webhooks = match webhooks {
            0 => String::new(),
            1 => ", 1 webhook".to_owned(),
            n => format!(", {n} webhooks"),
        };
        println!(
            "{}: {operations} operation{}, {types} types{webhooks}",
            gateway.name,
            if operations == 1 { "" } else { "s" }
        );
    }
    if let Some(root) = &root {
        warn_of_breaking_edits(root, &output);
    }
    let summary = match paygen_codegen::write::apply(generator.out_dir(), &output.files, check) {
        Ok(summary) => summary,
        Err(e) => return fail(e),
    };
    let (created, updated, unchanged, removed) = (
        summary.count(Change::Created),
        summary.count(Change::Updated),
        summary.count(Change::Unchanged),
        summary.count(Change::Removed),
    );
    if check {
        if summary.is_fresh() {
            println!(
                "{}: up to date ({unchanged} files)",
                generator.out_dir().display()
            );
            return ExitCode::SUCCESS;
        }
        print!("{}", summary.diff);
        eprintln!(
            "generated code is stale ({created} missing, {updated} changed, {removed} no longer produced); run `cargo run -p paygen-codegen -- generate` and commit the result"
        );
        return ExitCode::from(1);
    }
    println!(
        "{}: {created} created, {updated} updated, {unchanged} unchanged, {removed} removed",
        generator.out_dir().display()
    );
    ExitCode::SUCCESS
}

/// Warns of each spec edit that breaks consumers of the release recorded in
/// the workspace's `generated/api.txt` (which `cargo test` then fails on), so
/// that the maintainer learns it from the command that regenerates.
fn warn_of_breaking_edits(root: &std::path::Path, output: &paygen_codegen::Output) {
    let path = root.join(paygen_codegen::surface::BASELINE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let baseline = match paygen_codegen::surface::Surface::from_text(&text) {
        Ok(baseline) => baseline,
        Err(e) => {
            eprintln!("warning: {}: {e}", path.display());
            return;
        }
    };
    let now = paygen_codegen::surface::Surface::of(&output.gateways, &baseline.version);
    let breaking = baseline.breaking_changes(&now);
    if breaking.is_empty() {
        return;
    }
    eprintln!(
        "warning: {} spec edit{} would break consumers of {} ({}):",
        breaking.len(),
        if breaking.len() == 1 { "" } else { "s" },
        baseline.version,
        paygen_codegen::surface::BASELINE
    );
    for change in &breaking {
        eprintln!("  {change}");
    }
    eprintln!(
        "  undo them, or make a breaking release (docs/versions.md); `cargo test` fails until then\n"
    );
}

/// The specs and output folders: as given, or those of the paygen
/// workspace holding the current directory (and that workspace's root).
fn locate(
    specs: Option<PathBuf>,
    out: Option<PathBuf>,
) -> Option<(PathBuf, PathBuf, Option<PathBuf>)> {
    // The checkout the command runs in, never the one it was built in: a
    // binary built elsewhere (a shared target dir, `cargo install`) must not
    // read or write another tree.
    Some(match (specs, out) {
        (Some(specs), Some(out)) => (specs, out, None),
        (specs, out) => {
            let Some(root) = std::env::current_dir()
                .ok()
                .and_then(|dir| paygen_codegen::find_workspace(&dir))
            else {
                eprintln!(
                    "no paygen workspace here: no folder from {} up holds `specs/` and a workspace `Cargo.toml`; run this inside a paygen checkout, or give both --specs and --out",
                    std::env::current_dir()
                        .map(|d| d.display().to_string())
                        .unwrap_or_else(|_| "the current directory".into())
                );
                return None;
            };
            println!("workspace: {}", root.display());
            let workspace = Generator::for_workspace_at(&root);
            (
                specs.unwrap_or_else(|| workspace.specs_dir().to_owned()),
                out.unwrap_or_else(|| workspace.out_dir().to_owned()),
                Some(root),
            )
        }
    })
}

/// What the run accepted without effect (with `--verbose`), dropped or skipped.
fn print_notes(output: &paygen_codegen::Output, verbose: bool) {
    if verbose && !output.foreign_extensions.is_empty() {
        println!("other tools' extensions, accepted without effect:");
        for line in &output.foreign_extensions {
            println!("  {line}");
        }
    }
    for skipped in &output.skipped {
        eprintln!("warning: {skipped}");
    }
    if !output.documentation_only.is_empty() {
        let counts: Vec<String> = output
            .documentation_only
            .iter()
            .map(|(key, n)| format!("`{key}` ({n})"))
            .collect();
        eprintln!(
            "warning: dropped keys that only document, which generate nothing: {}",
            counts.join(", ")
        );
    }
    if !output.skipped.is_empty() {
        eprintln!(
            "{} skipped: each is left out of the generated code\n",
            output.skipped.len()
        );
    }
}

fn fail(error: Error) -> ExitCode {
    eprintln!("{error}");
    match error {
        Error::Specs(_) => ExitCode::from(2),
        Error::Io { .. } => ExitCode::from(3),
    }
}
