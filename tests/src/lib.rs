//! Shared helpers for paygen's workspace tests: rendering what a reviewer reads
//! in a snapshot.

use paygen::{Validate, ValidationReport};

/// The code generated from `tests/fixtures/specs/`, one module per fixture,
/// compiled here so that a fixture whose output does not compile fails the build.
// Machine-written: formatted by prettyplease, so rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(missing_docs)]
pub mod fixtures;
use serde::Serialize;

/// The input as JSON, then the validation outcome: one line per violation,
/// then the report as a service would return it.
pub fn validation_snapshot<T: Serialize + Validate>(input: &T) -> String {
    let json = serde_json::to_string_pretty(input).expect("test inputs serialize");
    let outcome = match input.validate() {
        Ok(()) => "valid".to_owned(),
        Err(report) => render_report(&report),
    };
    format!("input:\n{json}\n\n{outcome}\n")
}

/// `Display` lines, then the serialized report.
pub fn render_report(report: &ValidationReport) -> String {
    let json = serde_json::to_string_pretty(report).expect("reports serialize");
    format!(
        "violations ({}):\n{report}\n\nas JSON:\n{json}",
        report.len()
    )
}

/// A form body split at `&`, one pair per line, for readable snapshots; the
/// body itself is shown first, exactly as sent.
pub fn form_snapshot(body: &[u8]) -> String {
    let text = std::str::from_utf8(body).expect("form bodies are ASCII");
    let pairs: Vec<&str> = text.split('&').collect();
    format!("body:\n{text}\n\npairs:\n{}\n", pairs.join("\n"))
}
