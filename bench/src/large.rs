//! The release CLI on a 20 MiB spec (20,000 operations, 40,000 component
//! schemas): wall time and peak memory of the whole process, as a maintainer
//! runs it.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::Row;

/// Builds the release CLI, writes the synthetic spec and times three runs of
/// `generate` into an empty folder, keeping the best.
pub fn rows(rows: &mut Vec<Row>) {
    let root = paygen_codegen::workspace_root();
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "build",
            "-q",
            "--release",
            "--offline",
            "-p",
            "paygen-codegen",
        ])
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the release CLI does not build");
    let cli = root.join("target/release/paygen-codegen");
    let dir = std::env::temp_dir().join(format!("paygen-bench-large-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let operations = 20_000;
    crate::synthetic_specs(&dir.join("specs"), operations);
    let bytes = folder_bytes(&dir.join("specs/synthetic"));
    let (best, peak) = (0..3)
        .map(|_| {
            let _ = std::fs::remove_dir_all(dir.join("out"));
            generate(&cli, &dir)
        })
        .min()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    rows.push(Row {
        metric: format!(
            "release CLI on a {} MiB spec ({operations} operations, {} component schemas)",
            bytes >> 20,
            operations * 2
        ),
        ours: format!("{:.2} s, {peak} MiB peak", best.as_secs_f64()),
        base: String::new(),
        ratio: None,
        target: "< 2 s",
    });
}

/// One run: its wall time and its own peak resident memory in MiB.
#[allow(clippy::zombie_processes)] // reaped by wait4
fn generate(cli: &Path, dir: &Path) -> (Duration, i64) {
    let started = Instant::now();
    let child = std::process::Command::new(cli)
        .arg("generate")
        .arg("--specs")
        .arg(dir.join("specs"))
        .arg("--out")
        .arg(dir.join("out"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the CLI runs");
    // wait4, not Child::wait: it gives this child's own resource use (and
    // reaps it, which clippy cannot see).
    // SAFETY: wait4 fills the zeroed status and struct it is given, for a
    // child of this process that nothing else waits for.
    let (status, usage) = unsafe {
        let mut status = 0;
        let mut usage: libc::rusage = std::mem::zeroed();
        let pid = libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage);
        assert_eq!(pid, child.id() as libc::pid_t, "wait4 on the CLI");
        (status, usage)
    };
    let took = started.elapsed();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the CLI fails on the large spec"
    );
    // Linux reports kibibytes.
    (took, usage.ru_maxrss >> 10)
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}
