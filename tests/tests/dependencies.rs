//! What a consumer of `paygen` compiles, by `cargo tree`: RSA only for a
//! gateway that encrypts, h2 only with `http2`, fancy-regex only with
//! `lookaround`, no crate built twice with
//! different features (once for the derive, once for the crate), and one
//! syn for paygen's derive and serde's.

/// `cargo tree` of `paygen` with `features` and `args`, one line each.
fn tree(features: &str, args: &[&str]) -> Vec<String> {
    let output = std::process::Command::new(env!("CARGO"))
        .current_dir(paygen_codegen::workspace_root())
        .args(["tree", "--quiet", "--offline", "-p", "paygen"])
        .args(["--no-default-features", "--features", features])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The crates `paygen` with `features` depends on (normal dependencies), by name.
fn dependencies(features: &str) -> Vec<String> {
    tree(features, &["-e", "normal", "--prefix", "none"])
        .iter()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn rsa_is_built_only_for_a_gateway_that_encrypts() {
    for alone in ["razorpay", "cashfree"] {
        let deps = dependencies(&format!("{alone},rustls-tls"));
        assert!(deps.iter().any(|d| d == "paygen-runtime"), "{deps:?}");
        assert!(
            !deps.iter().any(|d| d == "rsa"),
            "{alone} builds RSA: {deps:?}"
        );
    }
    let deps = dependencies("juspay,rustls-tls");
    assert!(deps.iter().any(|d| d == "rsa"), "{deps:?}");
}

#[test]
fn h2_is_built_only_with_http2() {
    let without = dependencies("razorpay,rustls-tls");
    assert!(without.iter().any(|d| d == "reqwest"), "{without:?}");
    assert!(
        !without.iter().any(|d| d == "h2"),
        "h2 without http2: {without:?}"
    );
    let with = dependencies("razorpay,rustls-tls,http2");
    assert!(with.iter().any(|d| d == "h2"), "{with:?}");
}

#[test]
fn fancy_regex_is_built_only_with_lookaround() {
    let without = dependencies("razorpay,cashfree,juspay,rustls-tls");
    assert!(without.iter().any(|d| d == "regex-automata"), "{without:?}");
    assert!(
        !without.iter().any(|d| d == "fancy-regex"),
        "fancy-regex without lookaround: {without:?}"
    );
    let with = dependencies("razorpay,rustls-tls,lookaround");
    assert!(with.iter().any(|d| d == "fancy-regex"), "{with:?}");
}

/// The crates paygen brings that the derive (a proc-macro, built for the
/// host) and the crate itself both use: asked for with different features,
/// cargo builds them twice.
const SHARED_WITH_THE_DERIVE: &[&str] = &[
    "paygen-model",
    "regex",
    "regex-automata",
    "regex-syntax",
    "fancy-regex",
    "serde",
    "serde_core",
    // The derive reads decimal bounds itself, so these are the runtime's alone.
    "rust_decimal",
    "num-traits",
];

/// What paygen's derive shares with serde's and thiserror's: a second major
/// of syn would be a second build of the largest crate of every derive.
const SHARED_WITH_SERDES_DERIVE: &[&str] = &["syn", "quote", "proc-macro2"];

#[test]
fn the_derive_and_the_crate_build_their_shared_crates_once() {
    // `--duplicates` lists a crate once per build of it: two versions, or
    // one version built with two sets of features.
    for features in ["juspay,rustls-tls", "juspay,rustls-tls,lookaround"] {
        let twice: Vec<String> = tree(features, &["-e", "normal,build", "--duplicates"])
            .iter()
            .filter(|line| !line.starts_with([' ', '│', '├', '└']) && !line.is_empty())
            .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
            .collect();
        for name in SHARED_WITH_THE_DERIVE
            .iter()
            .chain(SHARED_WITH_SERDES_DERIVE)
        {
            assert!(
                !twice.iter().any(|t| t == name),
                "{name} is built twice with {features}: {twice:?}"
            );
        }
    }
    // What the check reads: a crate the derive asks for with other features.
    assert!(
        dependencies("juspay,rustls-tls")
            .iter()
            .any(|d| d == "paygen-macros"),
        "the derive is a dependency"
    );
}
