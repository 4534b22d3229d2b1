//! Compile-time diagnostics of `#[derive(Wire)]`, one UI case per error class:
//! unknown keys, bad values, duplicate rules, impossible bounds, invalid
//! regexes, rules on unsupported types, rules between fields, non-structs.

#[test]
fn derive_errors_are_spanned_and_complete() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
