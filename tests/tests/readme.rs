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

/// README's summary table has one row per gateway of `specs/`, and each row
/// names, in some word of its own, every page of that gateway's coverage
/// table in docs/coverage.md: a page added to a spec without a word here
/// fails. The words are a page title's last significant word, or a synonym
/// the row uses.
#[test]
fn readme_summarises_every_gateway_and_page() {
    let output = paygen_codegen::Generator::for_workspace()
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let readme = read("README.md");
    let rows: Vec<(String, String)> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| gateway | what its client covers"))
        .skip(2)
        .take_while(|l| l.starts_with("| "))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].to_lowercase(), cells[2].to_lowercase())
        })
        .collect();
    let mut gateways: Vec<&str> = output.gateways.iter().map(|g| g.name.as_str()).collect();
    let mut named: Vec<&str> = rows.iter().map(|(g, _)| g.as_str()).collect();
    gateways.sort_unstable();
    named.sort_unstable();
    assert_eq!(named, gateways, "README's table: one row per gateway");
    // What each page is about, as the README's rows say it.
    let topic = |title: &str| -> &'static [&'static str] {
        let title = title.to_lowercase();
        let words: &[(&str, &[&str])] = &[
            ("cred", &["cred"]),
            ("single integration", &["s2s"]),
            ("order pay", &["order pay"]),
            ("order update", &["update"]),
            ("orders", &["orders"]),
            ("payments", &["payments"]),
            ("refunds", &["refunds"]),
            ("customers", &["customers"]),
            ("saved cards", &["saved cards"]),
            ("tokens", &["saved cards"]),
            ("payment links", &["payment links"]),
            ("qr codes", &["qr codes"]),
            ("settlements", &["settlements"]),
            ("disputes", &["disputes"]),
            ("route", &["route transfers"]),
            ("offers", &["offers"]),
            ("eligibility", &["eligibility"]),
            ("mandates", &["mandates"]),
            ("items", &["orders"]),
        ];
        words
            .iter()
            .find(|(key, _)| title.contains(key))
            .map_or(&[], |(_, said)| *said)
    };
    let mut missing = Vec::new();
    for gateway in &output.gateways {
        let row = rows
            .iter()
            .find(|(name, _)| *name == gateway.name)
            .map(|(_, row)| row.as_str())
            .unwrap_or_default();
        for module in gateway.modules.iter().filter(|m| !m.operations.is_empty()) {
            let said = topic(&module.title);
            if said.is_empty() || !said.iter().any(|word| row.contains(word)) {
                missing.push(format!("{}: {}", gateway.name, module.title));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "README's coverage table says nothing of:\n{}",
        missing.join("\n")
    );
}
