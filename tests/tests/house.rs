//! The house rules a reviewer would otherwise check by hand, over every
//! hand-written Rust file of the workspace: none is over 600 lines, and no
//! module imports, directly or through others, a module that imports it.
//!
//! A file is generated when its first line is paygen-codegen's `// @generated`
//! header; every other `.rs` file is hand-written.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use syn::{Item, UseTree};

/// The most lines a hand-written file may have.
const MAX_LINES: usize = 600;

/// The folders of the workspace that hold Rust files, each a crate or
/// crates below it.
const FOLDERS: &[&str] = &[
    "bench",
    "codegen",
    "examples",
    "generated",
    "macros",
    "mock",
    "model",
    "runtime",
    "tests",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// Every `.rs` file under `dir`, leaving out build output and hidden folders.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The hand-written Rust files of the workspace, with their text.
fn hand_written() -> Vec<(PathBuf, String)> {
    let root = root();
    let mut files = Vec::new();
    for folder in FOLDERS {
        rust_files(&root.join(folder), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).expect("a workspace file reads");
            (path, text)
        })
        .filter(|(_, text)| !text.starts_with("// @generated"))
        .collect()
}

#[test]
fn no_hand_written_file_is_over_600_lines() {
    let files = hand_written();
    // The walk finds the workspace's files: the codegen, runtime and mock
    // sources alone are well over a hundred.
    assert!(files.len() > 100, "found only {} files", files.len());
    let root = root();
    let long: Vec<String> = files
        .iter()
        .map(|(path, text)| (path, text.lines().count()))
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(path, lines)| {
            format!(
                "{} ({lines} lines)",
                path.strip_prefix(&root).unwrap().display()
            )
        })
        .collect();
    assert!(
        long.is_empty(),
        "hand-written files over {MAX_LINES} lines; split them by what each part does:\n{}",
        long.join("\n")
    );
}

/// A crate's modules, by path from the crate root (`lower::types`), each
/// with the modules its `use` items name, outside its test modules.
struct Crate {
    imports: BTreeMap<String, BTreeSet<String>>,
}

/// The module path of `file` in the crate whose sources are in `src`:
/// `lower/mod.rs` and `lower.rs` are `lower`, the crate root is ``.
fn module_path(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}::{child}")
    }
}

fn parent_of(module: &str) -> &str {
    module.rsplit_once("::").map_or("", |(parent, _)| parent)
}

/// The paths (as segments) a `use` tree names.
fn use_paths(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push(path);
        }
        UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push(path);
        }
        UseTree::Glob(_) => out.push(prefix.clone()),
        UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(tree, prefix, out);
            }
        }
    }
}

fn is_test_module(item: &syn::ItemMod) -> bool {
    item.attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// The `use` paths of `items`, in `module` and its inline modules.
fn collect_uses(module: &str, items: &[Item], out: &mut Vec<(String, Vec<String>)>) {
    for item in items {
        match item {
            Item::Use(u) => {
                let mut paths = Vec::new();
                use_paths(&u.tree, &mut Vec::new(), &mut paths);
                out.extend(paths.into_iter().map(|p| (module.to_owned(), p)));
            }
            Item::Mod(m) if !is_test_module(m) => {
                if let Some((_, inner)) = &m.content {
                    collect_uses(&join(module, &m.ident.to_string()), inner, out);
                }
            }
            _ => {}
        }
    }
}

impl Crate {
    /// The crate whose sources are the hand-written `files` under `src`.
    fn read(src: &Path, files: &[(PathBuf, String)]) -> Crate {
        let mut modules = BTreeSet::new();
        let mut uses = Vec::new();
        for (path, text) in files.iter().filter(|(p, _)| p.starts_with(src)) {
            let module = module_path(src, path);
            let file = syn::parse_file(text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            modules.insert(module.clone());
            collect_uses(&module, &file.items, &mut uses);
        }
        let mut imports: BTreeMap<String, BTreeSet<String>> = modules
            .iter()
            .map(|m| (m.clone(), BTreeSet::new()))
            .collect();
        for (module, path) in uses {
            let Some(target) = resolve(&modules, &module, &path) else {
                continue;
            };
            // A module and its own submodules are one part of the house:
            // a parent declares its children, a child reads its parent's
            // shared items. A circle is between parts.
            let related =
                |a: &str, b: &str| a == b || b.starts_with(&format!("{a}::")) || a.is_empty();
            if related(&module, &target) || related(&target, &module) {
                continue;
            }
            imports.entry(module).or_default().insert(target);
        }
        Crate { imports }
    }

    /// Each circle of imports, as the modules around it.
    fn circles(&self) -> Vec<Vec<String>> {
        let mut found = BTreeSet::new();
        for start in self.imports.keys() {
            // Depth-first from `start`, back to `start`.
            let mut stack = vec![(start.clone(), vec![start.clone()])];
            let mut seen = BTreeSet::new();
            while let Some((at, path)) = stack.pop() {
                for next in self.imports.get(&at).into_iter().flatten() {
                    if next == start {
                        let mut circle = path.clone();
                        // One spelling per circle: from its least module.
                        let least = circle.iter().enumerate().min_by_key(|(_, m)| *m).unwrap().0;
                        circle.rotate_left(least);
                        found.insert(circle);
                    } else if seen.insert(next.clone()) {
                        let mut longer = path.clone();
                        longer.push(next.clone());
                        stack.push((next.clone(), longer));
                    }
                }
            }
        }
        found.into_iter().collect()
    }
}

/// The module of the crate that `path`, used in `module`, names: the
/// longest prefix of it that is a module; `None` outside the crate.
fn resolve(modules: &BTreeSet<String>, module: &str, path: &[String]) -> Option<String> {
    let (mut base, rest) = match path.first()?.as_str() {
        "crate" => (String::new(), &path[1..]),
        "self" => (module.to_owned(), &path[1..]),
        "super" => {
            let mut base = module.to_owned();
            let mut rest = path;
            while rest.first().map(String::as_str) == Some("super") {
                base = parent_of(&base).to_owned();
                rest = &rest[1..];
            }
            (base, rest)
        }
        // A child module named without `self::`.
        first if modules.contains(&join(module, first)) => (module.to_owned(), path),
        _ => return None,
    };
    for segment in rest {
        let next = join(&base, segment);
        if !modules.contains(&next) {
            break;
        }
        base = next;
    }
    Some(base)
}

#[test]
fn no_module_imports_one_that_imports_it() {
    let root = root();
    let files = hand_written();
    let sources: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|(path, _)| {
            let mut dir = path.parent()?;
            while dir.file_name()? != "src" {
                dir = dir.parent()?;
            }
            Some(dir.to_path_buf())
        })
        .collect();
    // Every crate of the workspace with sources of its own.
    assert!(sources.len() >= 8, "found {sources:?}");
    let mut circles = Vec::new();
    for src in &sources {
        let krate = Crate::read(src, &files);
        for circle in krate.circles() {
            let name = src.strip_prefix(&root).unwrap().display().to_string();
            circles.push(format!("{name}: {} -> {}", circle.join(" -> "), circle[0]));
        }
    }
    assert!(
        circles.is_empty(),
        "modules that import each other; move what both need into one of them, or below both:\n{}",
        circles.join("\n")
    );
}

#[test]
fn a_circle_between_siblings_is_found_and_a_parent_child_pair_is_not() {
    let modules: BTreeSet<String> = ["", "a", "b", "a::c"].map(str::to_owned).into();
    let path = |p: &str| p.split("::").map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        resolve(&modules, "a", &path("super::b::Item")),
        Some("b".into())
    );
    assert_eq!(
        resolve(&modules, "a", &path("c::Thing")),
        Some("a::c".into())
    );
    assert_eq!(
        resolve(&modules, "a::c", &path("super::Item")),
        Some("a".into())
    );
    assert_eq!(resolve(&modules, "a", &path("std::fmt")), None);
    let krate = |edges: &[(&str, &str)]| Crate {
        imports: edges.iter().fold(BTreeMap::new(), |mut map, (from, to)| {
            map.entry(from.to_string())
                .or_insert_with(BTreeSet::new)
                .insert(to.to_string());
            map
        }),
    };
    assert_eq!(
        krate(&[("b", "a"), ("a", "b")]).circles(),
        vec![vec!["a".to_owned(), "b".to_owned()]]
    );
    assert!(krate(&[("a", "b"), ("b", "c")]).circles().is_empty());
}
