//! Cold builds of `paygen`: every dependency compiled from nothing, in a
//! target directory of their own, with one gateway feature and with all,
//! beside the HTTP stack alone that any gateway client builds.

use std::path::Path;
use std::time::Instant;

use super::Row;

/// One cold `cargo build` (dev, not incremental) of `args` run in `dir`, in
/// seconds.
fn cold_build(dir: &Path, args: &[&str]) -> f64 {
    let target = std::env::temp_dir().join(format!("paygen-cold-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&target);
    let started = Instant::now();
    let status = std::process::Command::new(env!("CARGO"))
        .args(["build", "-q", "--offline"])
        .args(args)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(dir)
        .status()
        .expect("cargo runs");
    let took = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&target);
    assert!(status.success(), "the cold build ({args:?}) failed");
    took
}

/// The baseline: a crate of no code of its own on what every gateway client
/// builds whatever its code (reqwest with rustls and JSON, serde's derive,
/// serde_json, tokio), at the versions of paygen's `Cargo.lock`.
fn http_stack() -> f64 {
    let dir = std::env::temp_dir().join(format!("paygen-cold-floor-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"http-stack\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nreqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"json\"] }\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"time\"] }\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), "//! The HTTP stack alone.\n").unwrap();
    let root = paygen_codegen::workspace_root();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let took = cold_build(&dir, &[]);
    let _ = std::fs::remove_dir_all(&dir);
    took
}

/// The rows: each of the smallest gateway without RSA (Razorpay) and the
/// one that encrypts (Juspay, with RSA), then all three, each against the
/// HTTP stack alone built in the same run.
pub fn rows(rows: &mut Vec<Row>) {
    let root = paygen_codegen::workspace_root();
    let floor = http_stack();
    for (label, features) in [
        ("one gateway (razorpay)", "razorpay,rustls-tls"),
        ("one gateway (juspay, with RSA)", "juspay,rustls-tls"),
        ("all three gateways", "razorpay,cashfree,juspay,rustls-tls"),
    ] {
        let took = cold_build(
            &root,
            &[
                "-p",
                "paygen",
                "--no-default-features",
                "--features",
                features,
            ],
        );
        rows.push(Row {
            metric: format!("cold build of paygen (dev), {label}"),
            ours: format!("{took:.1} s"),
            base: format!("{floor:.1} s (the HTTP stack alone)"),
            ratio: Some(took / floor),
            target: "",
        });
    }
}
