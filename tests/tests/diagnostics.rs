//! Diagnostics for broken specs: one folder per class of problem under
//! `tests/fixtures/broken/`, all reported in one run with `file:line:column`,
//! the JSON pointer and what to do.

use paygen_codegen::{Error, Generator};

#[test]
fn every_problem_is_reported_in_one_run() {
    let root = paygen_codegen::workspace_root();
    let generator = Generator::new(
        root.join("tests/fixtures/broken"),
        std::env::temp_dir().join("paygen-never-written"),
    );
    let diagnostics = match generator.render() {
        Err(Error::Specs(diagnostics)) => diagnostics,
        Err(other) => panic!("expected spec diagnostics, got {other}"),
        Ok(_) => panic!("broken specs generated code"),
    };
    // One or more diagnostics for each folder, that is, each class of problem.
    let folders: std::collections::BTreeSet<String> = diagnostics
        .0
        .iter()
        .filter_map(|d| {
            d.file
                .iter()
                .next()
                .map(|c| c.to_string_lossy().into_owned())
        })
        .collect();
    let expected: std::collections::BTreeSet<String> =
        std::fs::read_dir(root.join("tests/fixtures/broken"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
    assert_eq!(folders, expected, "a broken fixture went unreported");
    insta::assert_snapshot!(diagnostics.to_string());
}
