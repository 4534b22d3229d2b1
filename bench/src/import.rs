//! The import mode's rows: a published-style OpenAPI file of many operations
//! that uses every construct issue 11 lists (some generated, some skipped;
//! `published.rs`), generated in the lenient mode, and the generated gateway
//! type-checked.

use std::path::Path;
use std::time::Instant;

use super::{compile, published, Row};

/// Generates a published-style file in the lenient mode; with `check`,
/// type-checks the generated gateway in a crate of its own on the
/// workspace's target directory.
pub fn rows(rows: &mut Vec<Row>, check: bool) {
    let n = 500;
    let dir = std::env::temp_dir().join(format!("paygen-bench-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let specs = dir.join("specs");
    published::published_style(&specs, n);
    let generator = paygen_codegen::Generator::new(&specs, dir.join("crate/src/gen"))
        .cargo_features(false)
        .skip_unsupported(true);
    let mut output = None;
    let best = (0..3)
        .map(|_| {
            let started = Instant::now();
            output = Some(generator.render().unwrap());
            started.elapsed()
        })
        .min()
        .unwrap();
    let output = output.unwrap();
    let generated: usize = output.gateways.iter().map(|g| g.operations().count()).sum();
    rows.push(Row {
        metric: format!("import {n} published-style operations (lenient, in memory)"),
        ours: format!(
            "{:.1} ms; {generated} generated ({:.0}%), {} skipped",
            best.as_secs_f64() * 1000.0,
            generated as f64 * 100.0 / n as f64,
            output.skipped.len()
        ),
        base: String::new(),
        ratio: None,
        target: ">= 90% generated (as published files); the rest skipped",
    });
    if check {
        rows.push(check_row(&dir, &generator, generated));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `cargo check` of the imported gateway in a crate of its own, against the
/// same crate with no code.
fn check_row(dir: &Path, generator: &paygen_codegen::Generator, generated: usize) -> Row {
    let krate = dir.join("crate");
    let code = compile::paygen_crate(&krate, generator);
    let target = paygen_codegen::workspace_root().join("target/bench-import");
    let cost = compile::check_cost(&krate, &target, &code, true);
    Row {
        metric: format!("cargo check of the imported gateway ({generated} operations)"),
        ours: format!(
            "{:.1} s ({:.0} ms/op)",
            cost.code.as_secs_f64(),
            cost.ms_per(generated)
        ),
        base: format!("{:.1} s (the crate with no code)", cost.empty.as_secs_f64()),
        ratio: None,
        target: "type-checks",
    }
}
