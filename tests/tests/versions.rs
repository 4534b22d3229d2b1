//! The promises docs/versions.md makes, checked: the
//! MSRV covers every dependency the published crates build with (as locked),
//! and the generated API changes only as the version allows.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// The crates consumers build: a dependency of any of them counts.
const PUBLISHED: &[&str] = &[
    "paygen",
    "paygen-runtime",
    "paygen-macros",
    "paygen-model",
    "paygen-codegen",
];

/// `1.85` and `1.85.0` alike, for comparing.
fn version_key(v: &str) -> [u64; 3] {
    let mut key = [0; 3];
    for (slot, part) in key.iter_mut().zip(v.split('.')) {
        *slot = part.parse().unwrap_or(0);
    }
    key
}

/// The platform this runs on (`x86_64-unknown-linux-gnu`), from rustc.
fn host() -> String {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned()
}

/// `cargo metadata` of the workspace, as locked, for this platform (only
/// its packages are downloaded).
fn metadata() -> Value {
    let root = paygen_codegen::workspace_root();
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--filter-platform",
        ])
        .arg(host())
        .current_dir(&root)
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_msrv_covers_every_dependency_of_the_published_crates() {
    let meta = metadata();
    let packages: BTreeMap<&str, &Value> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: BTreeMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let mut stack: Vec<&str> = packages
        .iter()
        .filter(|(_, p)| p["source"].is_null() && PUBLISHED.contains(&p["name"].as_str().unwrap()))
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(
        stack.len(),
        PUBLISHED.len(),
        "every published crate is a workspace member"
    );
    let msrv = packages[stack[0]]["rust_version"]
        .as_str()
        .unwrap()
        .to_owned();
    // Normal and build dependencies only: dev-dependencies (trybuild, say)
    // are not built by consumers.
    let mut seen = BTreeSet::new();
    let mut newer = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let package = packages[id];
        if let Some(needs) = package["rust_version"].as_str() {
            if version_key(needs) > version_key(&msrv) {
                newer.push(format!(
                    "{} {} needs Rust {needs}",
                    package["name"].as_str().unwrap(),
                    package["version"].as_str().unwrap()
                ));
            }
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let kinds = dep["dep_kinds"].as_array().unwrap();
            if kinds
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build")
            {
                stack.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    assert!(
        newer.is_empty(),
        "docs/versions.md promises Rust {msrv} (`rust-version` in Cargo.toml), but the locked dependencies need more:\n{}\n\
         raise `rust-version` (a minor release, noted in CHANGELOG.md) or pin older versions in Cargo.lock",
        newer.join("\n")
    );
    assert!(
        seen.len() > 50,
        "the walk reached the dependencies ({})",
        seen.len()
    );
}

/// Where the released surface is kept.
fn baseline_path() -> std::path::PathBuf {
    paygen_codegen::workspace_root().join(paygen_codegen::surface::BASELINE)
}

#[test]
fn the_generated_api_changes_only_as_the_version_allows() {
    use paygen_codegen::surface::Surface;
    let version = env!("CARGO_PKG_VERSION");
    let output = paygen_codegen::Generator::for_workspace().render().unwrap();
    let current = Surface::of(&output.gateways, version);
    let path = baseline_path();
    if std::env::var_os("PAYGEN_UPDATE_API").is_some() {
        std::fs::write(&path, current.to_text()).unwrap();
        return;
    }
    let accept = "PAYGEN_UPDATE_API=1 cargo test -p paygen-tests --test versions";
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; write it with {accept}", path.display()));
    let baseline = Surface::from_text(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        baseline.version, version,
        "generated/api.txt is the surface released as {}, and the version is now {version}: \
         write the new release's surface with {accept}",
        baseline.version
    );
    let breaking = baseline.breaking_changes(&current);
    assert!(
        breaking.is_empty(),
        "spec edits that break consumers of {version}:\n{}\n\
         either undo them, or make a breaking release: raise the version in Cargo.toml \
         (0.x: the minor), note them in CHANGELOG.md, and run {accept}",
        breaking.join("\n")
    );
}

/// The surface of the fixture specs (every shape the generator makes: unions,
/// per-status errors, maps, recursive types, pages), for a reviewer to read
/// what the semver check compares.
#[test]
fn the_surface_lists_what_the_generated_code_declares() {
    let root = paygen_codegen::workspace_root();
    let output = paygen_codegen::Generator::new(
        root.join("tests/fixtures/specs"),
        root.join("tests/src/fixtures"),
    )
    .cargo_features(false)
    .doc_examples(None)
    .render()
    .unwrap();
    let surface = paygen_codegen::surface::Surface::of(&output.gateways, "fixtures");
    insta::assert_snapshot!(surface.to_text());
}
