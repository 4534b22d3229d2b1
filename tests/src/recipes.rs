//! README's recipes, read out of README itself: the crates a newcomer would
//! write by following it (the quick start, testing with the mock, a gateway of
//! their own), so that `.ci/run` builds them from the README's own text
//! (`cargo run -p paygen-tests --bin recipes`) and never from a hand-made copy.
//!
//! A recipe block is the fenced block after a marker line:
//!
//! ```text
//! <!-- recipe: shop Cargo.toml -->          the block is shop/Cargo.toml
//! <!-- recipe: shop Cargo.toml append -->   the block goes at its end
//! <!-- recipe: acme specs from examples/own-gateway/specs -->
//!                                           a file or folder of this repository, copied
//! ```
//!
//! Line-based rather than a Markdown parser: the markers are ours, and a
//! marker that is not followed by a fence is an error, not a skipped block.

use std::collections::BTreeMap;
use std::fmt;

/// One crate of a recipe: its files, in the order README gives them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RecipeCrate {
    /// Path inside the crate -> contents.
    pub files: BTreeMap<String, String>,
    /// Path inside the crate -> path inside this repository, copied.
    pub copies: BTreeMap<String, String>,
}

/// A marker README gets wrong, with its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipeError {
    /// The marker's line in README.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RecipeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "README.md:{}: {}", self.line, self.message)
    }
}

impl std::error::Error for RecipeError {}

const MARKER: &str = "<!-- recipe:";

/// Every recipe crate of `readme`, by name, or every marker it gets wrong.
pub fn read(readme: &str) -> Result<BTreeMap<String, RecipeCrate>, Vec<RecipeError>> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut crates: BTreeMap<String, RecipeCrate> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at].trim();
        at += 1;
        let Some(rest) = line.strip_prefix(MARKER) else {
            continue;
        };
        let error = |message: String| RecipeError { line: at, message };
        let Some(words) = rest.strip_suffix("-->") else {
            errors.push(error("a recipe marker ends with `-->` on its line".into()));
            continue;
        };
        let words: Vec<&str> = words.split_whitespace().collect();
        match words.as_slice() {
            [name, path, "from", source] => {
                let copies = &mut crates.entry((*name).to_owned()).or_default().copies;
                copies.insert((*path).to_owned(), (*source).to_owned());
            }
            [name, path, mode @ ..] if mode.is_empty() || mode == ["append"] => {
                let Some(fence) = lines.get(at).filter(|l| l.starts_with("```")) else {
                    // Another marker may stand between (a copy before a block).
                    if lines.get(at).is_some_and(|l| l.trim().starts_with(MARKER)) {
                        errors.push(error("a recipe block's marker is the line right above its fence".into()));
                    } else {
                        errors.push(error(format!("no fenced block follows the marker of `{path}`")));
                    }
                    continue;
                };
                let fence = fence.trim_end();
                let ticks = fence.len() - fence.trim_start_matches('`').len();
                let close = "`".repeat(ticks);
                let Some(end) = lines[at + 1..]
                    .iter()
                    .position(|l| l.trim_end() == close)
                    .map(|offset| at + 1 + offset)
                else {
                    errors.push(error(format!("the block of `{path}` is never closed")));
                    break;
                };
                let mut body = lines[at + 1..end].join("\n");
                body.push('\n');
                let files = &mut crates.entry((*name).to_owned()).or_default().files;
                match (mode.is_empty(), files.get_mut(*path)) {
                    (true, None) => {
                        files.insert((*path).to_owned(), body);
                    }
                    (true, Some(_)) => {
                        errors.push(error(format!("`{name}/{path}` is given twice; the second should say `append`")));
                    }
                    (false, Some(file)) => {
                        file.push('\n');
                        file.push_str(&body);
                    }
                    (false, None) => {
                        errors.push(error(format!("`{name}/{path}` is appended to before it is given")));
                    }
                }
                at = end + 1;
            }
            _ => errors.push(error(
                "a recipe marker is `<!-- recipe: CRATE FILE [append] -->` or `<!-- recipe: CRATE PATH from SOURCE -->`".into(),
            )),
        }
    }
    if errors.is_empty() {
        Ok(crates)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_markers_become_files_and_appends_extend_them() {
        let readme = "text\n<!-- recipe: shop Cargo.toml -->\n```toml\n[package]\n```\n\
                      more\n<!-- recipe: shop Cargo.toml append -->\n```toml\n[dev-dependencies]\n```\n\
                      <!-- recipe: shop specs from examples/specs -->\n\
                      <!-- recipe: shop src/main.rs -->\n````rust,ignore\n```\nfn main() {}\n````\n";
        let crates = read(readme).unwrap();
        let shop = &crates["shop"];
        assert_eq!(
            shop.files["Cargo.toml"],
            "[package]\n\n[dev-dependencies]\n"
        );
        assert_eq!(shop.files["src/main.rs"], "```\nfn main() {}\n");
        assert_eq!(shop.copies["specs"], "examples/specs");
    }

    #[test]
    fn every_wrong_marker_is_reported_with_its_line() {
        let readme = "<!-- recipe: shop Cargo.toml -->\nnot a fence\n\
                      <!-- recipe: shop a.rs append -->\n```\nx\n```\n\
                      <!-- recipe: shop -->\n<!-- recipe: shop b.rs -->\n```\nnever closed\n";
        let errors = read(readme).unwrap_err();
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "README.md:1: no fenced block follows the marker of `Cargo.toml`",
                "README.md:3: `shop/a.rs` is appended to before it is given",
                "README.md:7: a recipe marker is `<!-- recipe: CRATE FILE [append] -->` or `<!-- recipe: CRATE PATH from SOURCE -->`",
                "README.md:8: the block of `b.rs` is never closed",
            ]
        );
    }
}
