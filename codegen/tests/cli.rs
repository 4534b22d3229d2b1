//! The `paygen-codegen` command line: exit codes, what it prints, and that it
//! writes only what changed, removes stale files, and never overwrites a
//! hand-written one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    run_in(&paygen_codegen::workspace_root(), args)
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paygen-codegen"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Copies the folder `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file below `dir` with its contents, by path relative to `dir`.
fn snapshot_tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_owned();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn workspace(path: &str) -> String {
    paygen_codegen::workspace_root()
        .join(path)
        .display()
        .to_string()
}

/// A fresh, empty folder for one test, removed when the test is done with it
/// (so that test runs do not fill the disk).
fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("paygen-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// A folder removed with everything in it when dropped.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn generate(out: &Path, check: bool) -> Output {
    let out = out.display().to_string();
    let specs = workspace("specs");
    let mut args = vec!["generate", "--specs", &specs, "--out", &out];
    if check {
        args.push("--check");
    }
    run(&args)
}

#[test]
fn the_workspace_is_fresh() {
    let output = run(&["generate", "--check"]);
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert!(text(&output.stdout).contains("up to date"));
}

#[test]
fn broken_specs_exit_2_with_every_diagnostic() {
    let specs = workspace("tests/fixtures/broken");
    let out = scratch("broken");
    let output = run(&[
        "generate",
        "--specs",
        &specs,
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("unknown_type/page.yaml:27:18: unknown type `integr`"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("errors in the specs; nothing was written\n"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "nothing is written"
    );
}

#[test]
fn writes_only_what_changed_and_removes_stale_files() {
    let out = scratch("write");
    let first = generate(&out, false);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let stdout = text(&first.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("razorpay: ") && l.contains(" operation")),
        "{stdout}"
    );
    let files: usize = stdout
        .split(" created, 0 updated, 0 unchanged, 0 removed")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary line: {stdout}"));
    assert!(files > 10, "{stdout}");

    let again = generate(&out, false);
    let unchanged = format!("0 created, 0 updated, {files} unchanged, 0 removed");
    assert!(
        text(&again.stdout).contains(&unchanged),
        "{}",
        text(&again.stdout)
    );

    // A stale generated file and an edited one: check reports both and changes nothing.
    let stale = out.join("razorpay/old_page.rs");
    std::fs::write(
        &stale,
        "// @generated by paygen-codegen from specs/razorpay/old_page.yaml.\n",
    )
    .unwrap();
    let client = out.join("razorpay/client.rs");
    let original = std::fs::read_to_string(&client).unwrap();
    std::fs::write(
        &client,
        original.replace("pub struct Client", "pub struct Klient"),
    )
    .unwrap();
    let check = generate(&out, true);
    assert_eq!(check.status.code(), Some(1));
    let diff = text(&check.stdout);
    assert!(
        diff.contains("-pub struct Klient {\n+pub struct Client {"),
        "{diff}"
    );
    assert!(diff.contains("--- a/razorpay/old_page.rs"), "{diff}");
    assert!(text(&check.stderr).contains("run `cargo run -p paygen-codegen -- generate`"));
    assert!(stale.exists());

    let fix = generate(&out, false);
    assert!(
        text(&fix.stdout).contains(&format!(
            "0 created, 1 updated, {} unchanged, 1 removed",
            files - 1
        )),
        "{}",
        text(&fix.stdout)
    );
    assert!(!stale.exists());
    assert_eq!(std::fs::read_to_string(&client).unwrap(), original);
}

#[test]
fn a_hand_written_file_is_never_overwritten() {
    let out = scratch("handwritten");
    std::fs::create_dir_all(out.join("juspay")).unwrap();
    std::fs::write(out.join("juspay/client.rs"), "// mine\n").unwrap();
    let output = generate(&out, false);
    assert_eq!(output.status.code(), Some(3));
    assert!(text(&output.stderr).contains("exists without the @generated header"));
    assert_eq!(
        std::fs::read_to_string(out.join("juspay/client.rs")).unwrap(),
        "// mine\n"
    );
}

/// A copy of the workspace's specs, generated code and released API in a
/// scratch folder named `name`, with the workspace manifest that marks it.
fn copy_workspace(name: &str) -> Scratch {
    let root = paygen_codegen::workspace_root();
    let copy = scratch(name);
    copy_tree(&root.join("specs"), &copy.join("specs"));
    copy_tree(
        &root.join("generated/src/gateways"),
        &copy.join("generated/src/gateways"),
    );
    std::fs::copy(root.join("Cargo.toml"), copy.join("Cargo.toml")).unwrap();
    std::fs::copy(
        root.join("generated/api.txt"),
        copy.join("generated/api.txt"),
    )
    .unwrap();
    copy
}

#[test]
fn the_workspace_is_the_one_the_command_runs_in() {
    let root = paygen_codegen::workspace_root();
    let copy = copy_workspace("copy");
    let spec = copy.join("specs/razorpay/cred.yaml");
    let edited = std::fs::read_to_string(&spec).unwrap().replace(
        "A created payment and the ways to continue it.",
        "A payment, just created.",
    );
    std::fs::write(&spec, edited).unwrap();
    let ours = snapshot_tree(&root.join("generated/src/gateways"));

    // From a folder inside the copy: the copy is found, reported and changed.
    let output = run_in(&copy.join("specs/razorpay"), &["generate"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.starts_with(&format!("workspace: {}\n", copy.display())),
        "{stdout}"
    );
    assert!(stdout.contains("0 created, 1 updated"), "{stdout}");
    let regenerated =
        std::fs::read_to_string(copy.join("generated/src/gateways/razorpay/cred.rs")).unwrap();
    assert!(regenerated.contains("/// A payment, just created."));
    assert_eq!(
        snapshot_tree(&root.join("generated/src/gateways")),
        ours,
        "the checkout the binary was built in changed"
    );

    // Outside any workspace: a clear error, nothing written.
    let nowhere = scratch("nowhere");
    let output = run_in(&nowhere, &["generate", "--check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("no paygen workspace here:"), "{stderr}");
    assert!(stderr.contains("give both --specs and --out"), "{stderr}");
}

#[test]
fn verbose_lists_other_tools_extensions() {
    let specs = workspace("tests/fixtures/specs");
    let out = scratch("verbose");
    let output = run(&[
        "generate",
        "--verbose",
        "--no-features",
        "--specs",
        &specs,
        "--out",
        &out.display().to_string(),
    ]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.contains("other tools' extensions, accepted without effect:\n  maps/page.yaml:8:7: `x-codegen-request-body-name` at #/paths/~1notes/post/x-codegen-request-body-name\n"),
        "{stdout}"
    );
    let quiet = run(&[
        "generate",
        "--no-features",
        "--specs",
        &specs,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(
        !text(&quiet.stdout).contains("x-codegen"),
        "listed only with --verbose"
    );
}

#[test]
fn an_edit_that_breaks_consumers_is_named_when_generating() {
    let copy = copy_workspace("breaking");

    // Unchanged specs: nothing to warn of.
    let output = run_in(&copy, &["generate"]);
    assert!(output.status.success());
    assert!(
        !text(&output.stderr).contains("would break"),
        "{}",
        text(&output.stderr)
    );

    // A tighter limit: generated as asked, with the edit named.
    let spec = copy.join("specs/razorpay/orders.yaml");
    let text_before = std::fs::read_to_string(&spec).unwrap();
    let tightened = text_before.replacen("maxLength: 40", "maxLength: 30", 1);
    assert_ne!(
        tightened, text_before,
        "the fixture has the limit to tighten"
    );
    std::fs::write(&spec, tightened).unwrap();
    let output = run_in(&copy, &["generate"]);
    assert!(output.status.success());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "warning: 1 spec edit would break consumers of {} (generated/api.txt):\n  razorpay::",
            env!("CARGO_PKG_VERSION")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(": limit: a smaller maximum length\n"),
        "{stderr}"
    );
}

/// The code blocks and raw HTML of each doc comment in `source`: a doc
/// comment is a run of `///` or `//!` lines, read as rustdoc reads it.
fn doc_blocks(source: &str) -> Vec<String> {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    let mut comments: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in source.lines() {
        let line = line.trim_start();
        match line
            .strip_prefix("///")
            .or_else(|| line.strip_prefix("//!"))
        {
            Some(doc) => {
                current.push_str(doc.strip_prefix(' ').unwrap_or(doc));
                current.push('\n');
            }
            None if !current.is_empty() => comments.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    let mut found = Vec::new();
    for comment in comments {
        for event in Parser::new_ext(&comment, options) {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    found.push(format!("fence `{info}`"))
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                    found.push("indented block".to_owned())
                }
                Event::Html(html) | Event::InlineHtml(html) => found.push(format!("html {html}")),
                _ => {}
            }
        }
    }
    found
}

#[test]
fn a_specs_text_reaches_rustdoc_as_text_only() {
    // The spec whose every description, example, name and value tries to
    // become a doctest or raw HTML (tests/build.rs generates it too, and
    // `cargo test --doc` runs what it makes).
    let out = scratch("untrusted");
    let specs = workspace("tests/fixtures/untrusted");
    let output = run(&[
        "generate",
        "--specs",
        &specs,
        "--out",
        &out.display().to_string(),
        "--no-features",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let files = snapshot_tree(&out);
    let mut blocks = Vec::new();
    for (path, bytes) in &files {
        for block in doc_blocks(&text(bytes)) {
            blocks.push(format!("{}: {block}", path.display()));
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    // Every block of the spec's text is a `text` fence; the one runnable
    // block is the generator's own example on the module's page.
    let runnable: Vec<&String> = blocks
        .iter()
        .filter(|b| !b.ends_with("fence `text`"))
        .collect();
    assert_eq!(runnable, ["hostile/mod.rs: fence `no_run`"], "{blocks:#?}");
    assert!(blocks.len() > 8, "{blocks:#?}");
}
