//! Refuses a YAML file whose aliases would expand it beyond a small multiple
//! of what it writes, before anything expands them.
//!
//! serde_yaml copies an alias's node each time it is used, and its own limit
//! counts alias uses, not the nodes they copy: a few kilobytes of nested
//! aliases (`b: &b [*a, *a, ...]`, `c: [*b, *b, ...]`) make billions of nodes.
//! yaml-rust2's event parser reads the text once without expanding anything,
//! which is enough to count what the aliases would make.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// How many times the nodes it writes a file's aliases may make it, at most.
pub const EXPANSION_FACTOR: u64 = 16;

/// Nodes any file may reach through aliases, however small it is.
pub const EXPANSION_FLOOR: u64 = 100_000;

/// Why a file's aliases are refused, and where.
#[derive(Debug, PartialEq)]
pub struct Refused {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Checks the expansion of `text`'s aliases; a text that does not parse is
/// left to the parser that reports it.
pub fn check(text: &str) -> Result<(), Refused> {
    // No alias without its indicator.
    if !text.contains('*') {
        return Ok(());
    }
    let mut counter = Counter::default();
    let mut parser = Parser::new_from_str(text);
    if parser.load(&mut counter, true).is_err() {
        return Ok(());
    }
    let limit = (counter.written * EXPANSION_FACTOR).max(EXPANSION_FLOOR);
    match counter.first_over(limit) {
        None => Ok(()),
        Some(mark) => Err(Refused {
            message: format!(
                "YAML aliases expand this file to {} nodes; it writes {}, and aliases may make it at most {limit} ({EXPANSION_FACTOR} times what it writes, or {EXPANSION_FLOOR})",
                counter.expanded, counter.written
            ),
            line: mark.line(),
            column: mark.col() + 1,
        }),
    }
}

/// Counts the nodes a document writes and the nodes it expands to.
#[derive(Default)]
struct Counter {
    /// Nodes in the text.
    written: u64,
    /// Nodes once every alias is replaced by a copy of its node.
    expanded: u64,
    /// The expanded size of each anchored node, by anchor id.
    sizes: HashMap<usize, u64>,
    /// For each collection still open: its anchor id and `expanded` when it opened.
    open: Vec<(usize, u64)>,
    /// Each alias, with `expanded` after it, in text order.
    aliases: Vec<(Marker, u64)>,
}

impl Counter {
    /// Where the expansion first passes `limit`: at an alias, as nothing
    /// else makes more than the text writes.
    fn first_over(&self, limit: u64) -> Option<Marker> {
        if self.expanded <= limit {
            return None;
        }
        self.aliases
            .iter()
            .find(|(_, expanded)| *expanded > limit)
            .map(|(mark, _)| *mark)
    }
}

impl MarkedEventReceiver for Counter {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(_, _, anchor, _) => {
                self.written += 1;
                self.expanded = self.expanded.saturating_add(1);
                if anchor != 0 {
                    self.sizes.insert(anchor, 1);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.written += 1;
                self.open.push((anchor, self.expanded));
                self.expanded = self.expanded.saturating_add(1);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start)) = self.open.pop() {
                    if anchor != 0 {
                        self.sizes.insert(anchor, self.expanded - start);
                    }
                }
            }
            Event::Alias(anchor) => {
                self.written += 1;
                let size = self.sizes.get(&anchor).copied().unwrap_or(1);
                self.expanded = self.expanded.saturating_add(size);
                self.aliases.push((mark, self.expanded));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `a` of `width` scalars, `b` of `width` aliases of `a`, `c` of `width`
    /// aliases of `b`.
    fn bomb(width: usize) -> String {
        let list = |item: &str| vec![item; width].join(", ");
        format!(
            "a: &a [{}]\nb: &b [{}]\nc: [{}]\n",
            list("x"),
            list("*a"),
            list("*b")
        )
    }

    #[test]
    fn a_nested_alias_bomb_is_refused_at_the_alias_that_passes_the_limit() {
        let refused = check(&bomb(1000)).unwrap_err();
        assert!(
            refused
                .message
                .starts_with("YAML aliases expand this file to "),
            "{}",
            refused.message
        );
        // `b` alone makes 1,000,000 nodes: the limit is passed on line 2.
        assert_eq!(refused.line, 2);
        assert!(refused.column > 1);
    }

    #[test]
    fn ordinary_reuse_is_accepted() {
        // Small bombs are within the floor; a schema reused a few times is
        // within the factor.
        assert_eq!(check(&bomb(10)), Ok(()));
        let mut text =
            String::from("base: &base {type: object, properties: {a: {type: string}}}\n");
        for i in 0..50 {
            text.push_str(&format!("s{i}: *base\n"));
        }
        assert_eq!(check(&text), Ok(()));
        assert_eq!(check("a: '*not an alias*'\n"), Ok(()));
    }

    #[test]
    fn the_count_is_exact() {
        let mut counter = Counter::default();
        let text = "a: &a [x, y]\nb: [*a, *a]\n";
        Parser::new_from_str(text).load(&mut counter, true).unwrap();
        // The root map, keys a and b, a's list and its two items, b's list
        // and two aliases.
        assert_eq!(counter.written, 9);
        // Each alias is a copy of a's three nodes.
        assert_eq!(counter.expanded, 7 + 3 + 3);
        assert_eq!(counter.first_over(12).map(|m| m.line()), Some(2));
        assert_eq!(counter.first_over(13), None);
    }
}
