//! The generator's output: the checked-in clients and the fixture modules
//! (`tests/src/fixtures/`, which reviewers read in diffs and this crate
//! compiles) are fresh, and output is deterministic.

use std::path::PathBuf;

use paygen_codegen::write::Change;
use paygen_codegen::Generator;

fn root() -> PathBuf {
    paygen_codegen::workspace_root()
}

/// The fixture specs generate into `tests/src/fixtures/`, without cargo features.
fn fixtures() -> Generator {
    Generator::new(
        root().join("tests/fixtures/specs"),
        root().join("tests/src/fixtures"),
    )
    .spec_label("tests/fixtures/specs")
    .cargo_features(false)
    // Not a public API: no examples on the fixture modules' pages.
    .doc_examples(None)
}

/// The import fixtures (published-style OpenAPI files) generate, in the
/// lenient mode, into `tests/src/imported/`.
fn imported() -> Generator {
    Generator::new(
        root().join("tests/fixtures/imported"),
        root().join("tests/src/imported"),
    )
    .spec_label("tests/fixtures/imported")
    .cargo_features(false)
    .doc_examples(None)
    .skip_unsupported(true)
}

fn assert_fresh(generator: &Generator, command: &str) {
    let summary = generator.check().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        summary.is_fresh(),
        "{} is stale ({} changed, {} missing, {} no longer produced); run `{command}`:\n{}",
        generator.out_dir().display(),
        summary.count(Change::Updated),
        summary.count(Change::Created),
        summary.count(Change::Removed),
        summary.diff
    );
}

#[test]
fn checked_in_clients_are_fresh() {
    assert_fresh(
        &Generator::for_workspace(),
        "cargo run -p paygen-codegen -- generate",
    );
}

#[test]
fn fixture_modules_are_fresh() {
    if std::env::var_os("PAYGEN_UPDATE_FIXTURES").is_some() {
        fixtures().write().unwrap_or_else(|e| panic!("{e}"));
    }
    assert_fresh(
        &fixtures(),
        "PAYGEN_UPDATE_FIXTURES=1 cargo test -p paygen-tests --test generated_code",
    );
}

#[test]
fn imported_modules_are_fresh() {
    if std::env::var_os("PAYGEN_UPDATE_FIXTURES").is_some() {
        imported().write().unwrap_or_else(|e| panic!("{e}"));
    }
    assert_fresh(
        &imported(),
        "PAYGEN_UPDATE_FIXTURES=1 cargo test -p paygen-tests --test generated_code",
    );
}

/// What the lenient mode leaves out of a published-style file, and why: one
/// located warning per skipped operation or component.
#[test]
fn the_import_mode_skips_each_unsupported_operation_with_its_reason() {
    let output = imported().render().unwrap_or_else(|e| panic!("{e}"));
    let operations: Vec<String> = output
        .gateways
        .iter()
        .flat_map(|g| {
            g.operations()
                .map(|op| format!("{}::{}", g.name, op.method_name))
        })
        .collect();
    assert_eq!(
        operations,
        [
            // Every operation of cardhub but the one only a partner's key
            // authenticates: what published files do inside an operation or
            // a component costs that alone, never the run.
            "cardhub::create_order",
            "cardhub::get_order",
            "cardhub::get_settlement",
            "cardhub::get_latest_order_event",
            // 200 and 202 with different bodies: an enum of the answers.
            "cardhub::create_refund",
            "cardhub::add_order_note",
            "cardhub::get_dispute",
            "cardhub::list_partner_merchants",
            "cardhub::pay_order",
            "cardhub::get_settlement_report",
            // An OpenAPI 3.1 file, read as 3.0.
            "eurocard::create_payment",
            "shopbank::create_order",
            "shopbank::get_order",
            "shopbank::capture_order",
            "shopbank::refund_order",
            "shopbank::create_payout",
            // OAuth 2 client credentials on every call.
            "walletpay::orders_create",
            "walletpay::orders_get",
            "walletpay::orders_patch",
            "walletpay::orders_capture",
            "walletpay::disputes_provide_evidence"
        ]
    );
    let report: Vec<String> = output
        .skipped
        .iter()
        .map(|s| format!("warning: {s}"))
        .collect();
    insta::assert_snapshot!(format!(
        "{}\n\ndropped, documentation only: {:?}",
        report.join("\n"),
        output.documentation_only
    ));
    // The same files are refused by the strict mode, every problem listed.
    let strict = imported().skip_unsupported(false).render().unwrap_err();
    assert!(
        strict.to_string().contains("`tags` is not supported here"),
        "{strict}"
    );
}

#[test]
fn output_is_deterministic() {
    let first = Generator::for_workspace().render().unwrap();
    let second = Generator::for_workspace().render().unwrap();
    assert_eq!(first.files, second.files);
    let first = fixtures().render().unwrap();
    let second = fixtures().render().unwrap();
    assert_eq!(first.files, second.files);
}

#[test]
fn generated_docs_speak_of_public_pages_not_of_internal_sources() {
    let output = Generator::for_workspace()
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    for file in &output.files {
        for (number, line) in file.contents.lines().enumerate() {
            let doc = line.trim_start();
            if !doc.starts_with("///") && !doc.starts_with("//!") {
                continue;
            }
            for internal in ["seed ", ".yaml", "../shared"] {
                assert!(
                    !doc.contains(internal),
                    "{}:{}: a doc comment mentions `{internal}`: {doc}",
                    file.path.display(),
                    number + 1
                );
            }
        }
    }
}
