//! What generated code costs a consumer to type-check: a crate of it checked
//! against the same crate with no code, and paygen's import beside
//! progenitor's output for one file, in one run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{published, Row};

/// Two `cargo check` times of one crate, its dependencies already built.
pub struct CheckCost {
    /// With a `lib.rs` of one comment: cargo's and rustc's fixed cost.
    pub empty: Duration,
    /// With the generated code.
    pub code: Duration,
}

impl CheckCost {
    /// Milliseconds the code adds per operation, over the crate with none.
    pub fn ms_per(&self, operations: usize) -> f64 {
        self.code.saturating_sub(self.empty).as_secs_f64() * 1000.0 / operations.max(1) as f64
    }
}

/// cargo with `args` on the crate at `krate`, into `target`, not incremental.
fn cargo(args: &[&str], krate: &Path, target: &Path, offline: bool) -> Command {
    let mut cargo = Command::new(env!("CARGO"));
    cargo.args(args);
    if offline {
        cargo.arg("--offline");
    }
    cargo
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(krate);
    cargo
}

/// Checks the crate at `krate` into `target`: first with no code (which
/// builds its dependencies, not timed), then the best of two of the crate
/// with no code and of the crate with `code` as its `lib.rs`, taken in
/// turn. Incremental compilation is off, so every check is a whole one.
pub fn check_cost(krate: &Path, target: &Path, code: &str, offline: bool) -> CheckCost {
    let lib = krate.join("src/lib.rs");
    let check = |text: &str| {
        std::fs::write(&lib, text).unwrap();
        let started = Instant::now();
        let status = cargo(&["check", "-q", "--lib"], krate, target, offline)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "{} does not type-check", krate.display());
        started.elapsed()
    };
    check("//! Dependencies only.\n");
    let (mut empty, mut with_code) = (Duration::MAX, Duration::MAX);
    for round in 0..2 {
        // A different text each round, so cargo checks the crate again.
        empty = empty.min(check(&format!("//! No code (round {round}).\n")));
        with_code = with_code.min(check(&format!("{code}\n// Round {round}.\n")));
    }
    CheckCost {
        empty,
        code: with_code,
    }
}

/// Writes a crate at `krate` that depends on the workspace's `paygen` as an
/// imported gateway's consumer does, with `generator`'s output in `src/gen`;
/// gives the `lib.rs` that compiles it.
pub fn paygen_crate(krate: &Path, generator: &paygen_codegen::Generator) -> String {
    let root = paygen_codegen::workspace_root();
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"imported\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\npaygen = {{ path = {:?}, default-features = false, features = [\"rustls-tls\"] }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
            root.join("generated").display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    generator.write().unwrap();
    "//! An imported gateway.\n#![deny(missing_docs)]\n#[path = \"gen/mod.rs\"]\npub mod gen;\n"
        .into()
}

/// `cargo llvm-lines`' total for the crate at `krate` (a dev build), or
/// `None` when cargo-llvm-lines is not installed.
fn llvm_lines(krate: &Path, target: &Path, offline: bool) -> Option<u64> {
    let output = cargo(&["llvm-lines", "--lib"], krate, target, offline)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let total = text.lines().find(|l| l.ends_with("(TOTAL)"))?;
    total.split_whitespace().next()?.parse().ok()
}

/// Lines of Rust under `dir`.
fn lines_under(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            if path.is_dir() {
                lines_under(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&path).unwrap().lines().count()
            } else {
                0
            }
        })
        .sum()
}

/// The version of progenitor that wrote the crate at `krate`, from the
/// `progenitor-client` it depends on.
fn progenitor_version(krate: &Path) -> String {
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("progenitor-client = "))
        .map_or_else(|| "?".into(), |v| v.trim_matches('"').to_string())
}

/// paygen's import and progenitor's output for one file of `operations`
/// operations of the kinds both generate ([`published::shared_style`]), each
/// type-checked in a crate of its own against that crate with no code, in
/// one run; and `cargo llvm-lines` totals of both when it is installed.
/// Needs `cargo-progenitor` (`cargo install cargo-progenitor`) and, the first
/// time, the network for the dependencies of progenitor's crate.
pub fn progenitor_rows(rows: &mut Vec<Row>, operations: usize) {
    let metric = format!("cargo check beside progenitor ({operations} shared operations)");
    let installed = Command::new(env!("CARGO"))
        .args(["progenitor", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        eprintln!("skipped: {metric}: `cargo install cargo-progenitor` to measure it");
        rows.push(Row {
            metric,
            ours: "skipped: cargo-progenitor is not installed".into(),
            base: String::new(),
            ratio: None,
            target: "<= 1.0",
        });
        return;
    }
    let root = paygen_codegen::workspace_root();
    let dir = std::env::temp_dir().join(format!("paygen-bench-compile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let specs = dir.join("specs");
    published::shared_style(&specs, operations);

    let ours = dir.join("paygen");
    let generator = paygen_codegen::Generator::new(&specs, ours.join("src/gen"))
        .cargo_features(false)
        .skip_unsupported(true);
    let output = generator.render().unwrap();
    let generated: usize = output.gateways.iter().map(|g| g.operations().count()).sum();
    assert_eq!(generated, operations, "paygen skipped a shared operation");
    let ours_code = paygen_crate(&ours, &generator);
    let ours_lines = lines_under(&ours.join("src/gen"));

    let theirs = dir.join("progenitor");
    let status = Command::new(env!("CARGO"))
        .args(["progenitor", "-n", "progenitor_shared", "-v", "0.1.0", "-i"])
        .arg(specs.join("shared/gateway.yaml"))
        .arg("-o")
        .arg(&theirs)
        .stdout(Stdio::null())
        .status()
        .expect("cargo runs");
    assert!(status.success(), "progenitor refused the shared file");
    let theirs_code = std::fs::read_to_string(theirs.join("src/lib.rs")).unwrap();
    let theirs_lines = theirs_code.lines().count();
    let version = progenitor_version(&theirs);

    let (ours_target, theirs_target) = (
        root.join("target/bench-import"),
        root.join("target/bench-progenitor"),
    );
    let ours_cost = check_cost(&ours, &ours_target, &ours_code, true);
    let theirs_cost = check_cost(&theirs, &theirs_target, &theirs_code, false);
    let (a, b) = (ours_cost.ms_per(operations), theirs_cost.ms_per(operations));
    let side = |cost: &CheckCost, ms: f64, lines: usize| {
        format!(
            "{ms:.1} ms/op ({:.1} s, {:.1} s with no code; {lines} lines)",
            cost.code.as_secs_f64(),
            cost.empty.as_secs_f64()
        )
    };
    rows.push(Row {
        metric,
        ours: side(&ours_cost, a, ours_lines),
        base: format!(
            "{} (progenitor {version})",
            side(&theirs_cost, b, theirs_lines)
        ),
        ratio: Some(a / b),
        target: "<= 1.0",
    });
    match (
        llvm_lines(&ours, &ours_target, true),
        llvm_lines(&theirs, &theirs_target, false),
    ) {
        (Some(a), Some(b)) => rows.push(Row {
            metric: format!("LLVM IR lines, same {operations} operations (cargo llvm-lines)"),
            ours: a.to_string(),
            base: format!("{b} (progenitor {version})"),
            ratio: Some(a as f64 / b as f64),
            target: "",
        }),
        _ => eprintln!("skipped: LLVM IR lines: `cargo install cargo-llvm-lines` to measure them"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
