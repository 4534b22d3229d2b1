//! Builds README's recipes as a newcomer would: each recipe crate written from
//! README's own blocks into a fresh folder outside this workspace, beside a
//! `paygen` link to this checkout (README's `../paygen`), then
//! `cargo test` in it; a crate with a binary is also run, against the
//! `paygen-mock` binary serving Razorpay, with `RAZORPAY_*` pointing at it.
//!
//! `cargo run -p paygen-tests --bin recipes` (`.ci/run` runs it). The mock
//! binary is `PAYGEN_MOCK_BIN`, or built here. Builds share this checkout's
//! `target/` (or `CARGO_TARGET_DIR`). `--keep` leaves the folder for a look.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("recipes: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn run() -> Result<()> {
    let keep = std::env::args().any(|a| a == "--keep");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("the tests crate has a parent folder")?
        .canonicalize()?;
    let readme = std::fs::read_to_string(root.join("README.md"))?;
    let crates = paygen_tests::recipes::read(&readme).map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    if crates.is_empty() {
        return Err("README.md has no recipe".into());
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let work = std::env::temp_dir().join(format!("paygen-recipes-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    std::os::unix::fs::symlink(&root, work.join("paygen"))?;
    let mock_bin = mock_binary(&root, &target)?;

    let mut result = Ok(());
    for (name, recipe) in &crates {
        eprintln!("== recipe `{name}`");
        let dir = work.join(name);
        if let Err(e) = write_crate(&root, &dir, recipe).and_then(|()| {
            check_crate(&dir, &target, &mock_bin)
                .map_err(|e| format!("recipe `{name}`: {e}").into())
        }) {
            result = Err(e);
            break;
        }
    }
    if keep || result.is_err() {
        eprintln!("recipes: the crates are in {}", work.display());
    } else {
        std::fs::remove_dir_all(&work)?;
    }
    result
}

/// The mock binary: `PAYGEN_MOCK_BIN`, else this checkout's, built now.
fn mock_binary(root: &Path, target: &Path) -> Result<PathBuf> {
    if let Some(bin) = std::env::var_os("PAYGEN_MOCK_BIN") {
        return Ok(bin.into());
    }
    cargo(root, target)
        .args(["build", "-q", "-p", "paygen-mock", "--bin", "paygen-mock"])
        .status()?
        .success()
        .then(|| target.join("debug/paygen-mock"))
        .ok_or_else(|| "cannot build paygen-mock".into())
}

fn write_crate(root: &Path, dir: &Path, recipe: &paygen_tests::recipes::RecipeCrate) -> Result<()> {
    for (path, contents) in &recipe.files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().ok_or("a file has a folder")?)?;
        std::fs::write(file, contents)?;
    }
    for (path, source) in &recipe.copies {
        copy(&root.join(source), &dir.join(path))?;
    }
    // The versions this checkout is tested with; cargo adds the crate itself.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else {
        std::fs::copy(from, to).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    Ok(())
}

/// A cargo command in `dir`, sharing `target`, with no debug info for the
/// dependencies (for disk, as the workspace builds them).
fn cargo(dir: &Path, target: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_PROFILE_DEV_DEBUG", "false");
    command
}

fn check_crate(dir: &Path, target: &Path, mock_bin: &Path) -> Result<()> {
    if !cargo(dir, target).args(["test", "-q"]).status()?.success() {
        return Err("`cargo test` failed".into());
    }
    if !dir.join("src/main.rs").exists() {
        return Ok(());
    }
    let mut mock = MockProcess::start(mock_bin)?;
    let url = mock.url()?;
    let output = cargo(dir, target)
        .args(["run", "-q"])
        .env("RAZORPAY_ENVIRONMENT", &url)
        .env("RAZORPAY_KEY_ID", "mock_key_id")
        .env("RAZORPAY_KEY_SECRET", "mock_key_secret")
        .stderr(Stdio::inherit())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    if !output.status.success() {
        return Err(format!("`cargo run` against paygen-mock at {url} failed").into());
    }
    if stdout.trim().is_empty() {
        return Err("`cargo run` printed nothing".into());
    }
    mock.stop();
    Ok(())
}

/// `paygen-mock --gateway razorpay` on a free port, stopped when dropped.
/// Its output stays open while it runs (a closed pipe would fail its writes).
struct MockProcess(Child, Option<BufReader<std::process::ChildStdout>>);

impl MockProcess {
    fn start(bin: &Path) -> Result<Self> {
        let child = Command::new(bin)
            .args(["--gateway", "razorpay", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        Ok(Self(child, None))
    }

    /// The base URL, the first line the binary prints.
    fn url(&mut self) -> Result<String> {
        let stdout = self.0.stdout.take().ok_or("the mock's output is piped")?;
        let reader = self.1.insert(BufReader::new(stdout));
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let url = line.trim().to_owned();
        if url.is_empty() {
            return Err("paygen-mock printed no URL".into());
        }
        Ok(url)
    }

    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        self.stop();
    }
}
