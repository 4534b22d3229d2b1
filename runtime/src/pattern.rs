//! A compiled `pattern`, checked with a dense DFA built once.
//!
//! Profiling validation of the pages' request types showed about 40% of the
//! time inside the `regex` crate's search for the short, anchored patterns
//! gateways use (`^[0-9]{2}$`), mostly its general-purpose machinery (lazy DFA
//! cache, strategy dispatch). A fully built dense DFA from `regex-automata`
//! (the engine under `regex`) answers those with a plain table walk and no
//! cache. A pattern too large for a dense DFA falls back to `regex`, and one
//! with look-around or back-references to `fancy-regex`, within a step limit
//! (see `paygen_model::pattern`).

use regex_automata::dfa::regex::Regex as DenseRegex;

/// A pattern compiled once, checked many times, with `regex`'s semantics
/// (and `fancy-regex`'s look-around and back-references).
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    engine: Engine,
}

#[derive(Debug)]
enum Engine {
    Dense(Box<DenseRegex>),
    General(regex::Regex),
    Backtracking(fancy_regex::Regex),
}

/// Dense DFAs for larger patterns can take a lot of memory; past this, the
/// general engine is used.
const DENSE_LIMIT: usize = 64 * 1024;

impl Pattern {
    /// Compiles `source` (the derive has already checked that it compiles)
    /// once, with the engine that will run it: a dense DFA; when the DFA
    /// would be too large, `regex`; when the pattern needs look-around or a
    /// back-reference, `fancy-regex`. An engine that cannot take the pattern
    /// fails while parsing it, before building anything, so each pattern is
    /// built by one engine only. The verdict is `paygen_model::pattern::engine`'s
    /// (a test holds the two together).
    pub fn new(source: &'static str) -> Result<Pattern, String> {
        let dense = DenseRegex::builder()
            .dense(regex_automata::dfa::dense::Config::new().dfa_size_limit(Some(DENSE_LIMIT)))
            .build(source);
        let engine = match dense {
            Ok(dense) => Engine::Dense(Box::new(dense)),
            Err(_) => match regex::Regex::new(source) {
                Ok(general) => Engine::General(general),
                Err(linear) => Engine::Backtracking(
                    fancy_regex::RegexBuilder::new(source)
                        .backtrack_limit(paygen_model::pattern::BACKTRACK_LIMIT)
                        .build()
                        // `regex`'s message points at the fault, as the generator reports it.
                        .map_err(|_| linear.to_string())?,
                ),
            },
        };
        Ok(Pattern { source, engine })
    }

    /// Whether `text` matches somewhere (anchor with `^...$` for the whole
    /// text). A value that takes the backtracking engine past its step limit
    /// does not match.
    pub fn is_match(&self, text: &str) -> bool {
        match &self.engine {
            Engine::Dense(dense) => dense.is_match(text),
            Engine::General(general) => general.is_match(text),
            Engine::Backtracking(fancy) => fancy.is_match(text).unwrap_or(false),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &'static str {
        self.source
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_around_and_back_references_are_enforced() {
        // A name that is not a UUID (a published spec's own pattern, shape kept).
        let name =
            Pattern::new("^(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-)^[a-z]([a-zA-Z0-9-]*[a-zA-Z0-9]+)?$")
                .unwrap();
        assert!(matches!(name.engine, Engine::Backtracking(_)));
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
            assert!(matches!(pattern.engine, Engine::Dense(_)), "{source}");
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
    fn the_engine_is_the_one_the_generator_names() {
        use paygen_model::pattern::{engine, Engine as Needs};
        for source in [
            r"^[0-9]{2}$",
            r"^\w{50}\p{L}{50}$",
            r"^(ab)\1$",
            r"^(?!x)[a-z]+$",
            r"\bword\b",
        ] {
            let built = Pattern::new(source).unwrap();
            let linear = matches!(built.engine, Engine::Dense(_) | Engine::General(_));
            assert_eq!(linear, engine(source) == Ok(Needs::Linear), "{source}");
        }
        assert_eq!(
            Pattern::new("^(unclosed$").unwrap_err(),
            engine("^(unclosed$").unwrap_err()
        );
    }

    #[test]
    fn a_huge_pattern_falls_back_to_the_general_engine() {
        let pattern = Pattern::new(r"^\w{50}\p{L}{50}$").unwrap();
        assert!(matches!(pattern.engine, Engine::General(_)));
        assert!(!pattern.is_match("short"));
    }
}
