//! Cold builds of `paygen`: every dependency compiled from nothing, in a
//! target directory of their own, with one gateway feature and with all.

use std::time::Instant;

use super::Row;

/// One cold `cargo build` of `paygen` with `features`, in seconds.
fn cold_build(features: &str) -> f64 {
    let root = paygen_codegen::workspace_root();
    let target = std::env::temp_dir().join(format!("paygen-cold-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&target);
    let started = Instant::now();
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "build",
            "-q",
            "--offline",
            "-p",
            "paygen",
            "--no-default-features",
        ])
        .args(["--features", features])
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    let took = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&target);
    assert!(
        status.success(),
        "the cold build of paygen ({features}) failed"
    );
    took
}

/// The rows: one gateway (Juspay, the smallest), and all three.
pub fn rows(rows: &mut Vec<Row>) {
    for (label, features) in [
        ("one gateway (juspay)", "juspay,rustls-tls"),
        ("all three gateways", "razorpay,cashfree,juspay,rustls-tls"),
    ] {
        let took = cold_build(features);
        rows.push(Row {
            metric: format!("cold build of paygen (dev), {label}"),
            ours: format!("{took:.1} s"),
            base: String::new(),
            ratio: None,
            target: "",
        });
    }
}
