//! README is a consumer's page: short, with recipes `.ci/run` builds, and
//! links that lead somewhere. Each page of `docs/` has its code compiled.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn readme_is_at_most_300_lines() {
    let lines = read("README.md").lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines; move detail to docs/"
    );
}

#[test]
fn readme_gives_the_three_recipes_whole() {
    let crates = paygen_tests::recipes::read(&read("README.md")).unwrap();
    let names: Vec<&str> = crates.keys().map(String::as_str).collect();
    assert_eq!(names, ["acme", "shop"]);

    // The quick start, and testing with the mock, in one crate.
    let shop = &crates["shop"];
    let files: Vec<&str> = shop.files.keys().map(String::as_str).collect();
    assert_eq!(files, ["Cargo.toml", "src/main.rs", "tests/checkout.rs"]);
    let manifest = &shop.files["Cargo.toml"];
    for needed in [
        "[package]",
        "[dependencies]",
        "paygen = ",
        "tokio = ",
        "[dev-dependencies]",
        "paygen-mock = ",
    ] {
        assert!(
            manifest.contains(needed),
            "shop's Cargo.toml lacks {needed}:\n{manifest}"
        );
    }

    // Your own gateway: its manifest, build script, library and a spec.
    let acme = &crates["acme"];
    let files: Vec<&str> = acme.files.keys().map(String::as_str).collect();
    assert_eq!(files, ["Cargo.toml", "build.rs", "src/lib.rs"]);
    for source in acme.copies.values() {
        assert!(
            root().join(source).exists(),
            "README copies {source}, which does not exist"
        );
    }
    assert!(acme.files["Cargo.toml"].contains("[build-dependencies]"));
}

#[test]
fn every_docs_page_is_compiled_as_doctests() {
    let lib = read("generated/src/lib.rs");
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") {
            assert!(
                lib.contains(&format!("\"../../docs/{name}\"")),
                "docs/{name} is not in generated/src/lib.rs's doc_pages: its code is not compiled"
            );
        }
    }
}

/// The relative links of a Markdown page: `](target)`, without `#anchor`.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = &rest[..end];
        if !target.contains("://") && !target.starts_with('#') {
            out.push(target.split('#').next().unwrap_or_default().to_owned());
        }
    }
    out
}

#[test]
fn links_between_readme_and_docs_lead_to_files() {
    let mut pages = vec!["README.md".to_owned()];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        pages.push(format!("docs/{name}"));
    }
    let mut broken = Vec::new();
    for page in &pages {
        let folder = Path::new(page).parent().unwrap();
        for target in links(&read(page)) {
            if !root().join(folder).join(&target).exists() {
                broken.push(format!("{page}: {target}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links to nothing:\n{}",
        broken.join("\n")
    );
}

/// docs/coverage.md lists every operation the specs hold, page by page, and
/// nothing else: the table is what a client can call.
#[test]
fn the_coverage_table_is_every_operation_of_the_specs() {
    let output = paygen_codegen::Generator::for_workspace()
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expected = String::new();
    for gateway in &output.gateways {
        for module in gateway.modules.iter().filter(|m| !m.operations.is_empty()) {
            let methods: Vec<String> = module
                .operations
                .iter()
                .map(|op| format!("`{}`", op.method_name))
                .collect();
            expected.push_str(&format!(
                "| {} | {} | {} |\n",
                gateway.name,
                module.title,
                methods.join(", ")
            ));
        }
    }
    let page = read("docs/coverage.md");
    let table: String = page
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| gateway"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        table, expected,
        "docs/coverage.md's table differs from the specs; its rows should read:\n{expected}"
    );
}
