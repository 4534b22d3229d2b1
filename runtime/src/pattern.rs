//! A compiled `pattern`, checked many times: the engine is the one
//! `paygen_model::pattern::compile` chooses (a dense DFA, `regex` for a
//! larger pattern, `fancy-regex` for look-around and back-references, within
//! a step limit, with the `lookaround` feature), whose verdict the generator
//! and the derive check with (`paygen_model::pattern::engine`, held to
//! `compile` by a test).

use paygen_model::pattern::Compiled;

/// A pattern compiled once, checked many times, with `regex`'s semantics
/// (and, with the `lookaround` feature, `fancy-regex`'s look-around and
/// back-references).
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    engine: Compiled,
}

impl Pattern {
    /// Compiles `source` (the derive has already checked that it compiles)
    /// once, with the engine that will run it (see
    /// `paygen_model::pattern::compile`).
    pub fn new(source: &'static str) -> Result<Pattern, String> {
        let engine = paygen_model::pattern::compile(source)?;
        Ok(Pattern { source, engine })
    }

    /// Whether `text` matches somewhere (anchor with `^...$` for the whole
    /// text). A value that takes the backtracking engine past its step limit
    /// does not match.
    pub fn is_match(&self, text: &str) -> bool {
        self.engine.is_match(text)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &'static str {
        self.source
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "lookaround")]
    #[test]
    fn look_around_and_back_references_are_enforced() {
        // A name that is not a UUID (a published spec's own pattern, shape kept).
        let name =
            Pattern::new("^(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-)^[a-z]([a-zA-Z0-9-]*[a-zA-Z0-9]+)?$")
                .unwrap();
        assert!(matches!(name.engine, Compiled::Backtracking(_)));
        assert!(name.is_match("my-instance"));
        assert!(!name.is_match("0123abcd-0123-4567-89ab-0123456789ab"));
        assert!(!name.is_match("Bad"));
        let doubled = Pattern::new(r"^(ab)\1$").unwrap();
        assert!(doubled.is_match("abab") && !doubled.is_match("abba"));
        // A value that would backtrack without end is refused, not hung on.
        let catastrophic = Pattern::new(r"^(a+)+\1$").unwrap();
        assert!(catastrophic.is_match("aaaa"));
        assert!(!catastrophic.is_match(&format!("{}b", "a".repeat(64))));
    }

    #[test]
    fn the_dense_engine_agrees_with_regex() {
        let sources = [
            r"^[0-9]{2}$",
            r"^(0[1-9]|1[0-2])$",
            r"^[0-9]{3,4}$",
            r"^\+[0-9]{1,3}$",
            r"^cust_[A-Za-z0-9]{14}$",
            r"^enc-",
            r"[a-z]+@[a-z]+",
        ];
        let alphabet = ['0', '1', '2', '9', 'a', 'Z', '+', '@', '-', ' ', 'é'];
        let mut inputs = vec![
            String::new(),
            "cust_E9penp7VGhT5yt".to_owned(),
            "enc-xyz".to_owned(),
        ];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            let next: Vec<String> = frontier
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            inputs.extend(next.iter().cloned());
            frontier = next;
        }
        for source in sources {
            let pattern = Pattern::new(source).unwrap();
            assert!(matches!(pattern.engine, Compiled::Dense(_)), "{source}");
            let regex = regex::Regex::new(source).unwrap();
            for input in &inputs {
                assert_eq!(
                    pattern.is_match(input),
                    regex.is_match(input),
                    "{source} on {input:?}"
                );
            }
        }
    }

    #[test]
    fn a_huge_pattern_falls_back_to_the_general_engine() {
        let pattern = Pattern::new(r"^\w{50}\p{L}{50}$").unwrap();
        assert!(matches!(pattern.engine, Compiled::General(_)));
        assert!(!pattern.is_match("short"));
    }
}
