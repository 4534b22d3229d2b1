//! A compiled `pattern`, checked with a dense DFA built once.
//!
//! Profiling validation of the pages' request types showed about 40% of the
//! time inside the `regex` crate's search for the short, anchored patterns
//! gateways use (`^[0-9]{2}$`), mostly its general-purpose machinery (lazy DFA
//! cache, strategy dispatch). A fully built dense DFA from `regex-automata`
//! (the engine under `regex`) answers those with a plain table walk and no
//! cache. A pattern too large for a dense DFA falls back to `regex`.

use regex_automata::dfa::regex::Regex as DenseRegex;

/// A pattern compiled once, checked many times, with `regex`'s semantics.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    engine: Engine,
}

#[derive(Debug)]
enum Engine {
    Dense(Box<DenseRegex>),
    General(regex::Regex),
}

/// Dense DFAs for larger patterns can take a lot of memory; past this, the
/// general engine is used.
const DENSE_LIMIT: usize = 64 * 1024;

impl Pattern {
    /// Compiles `source` (the derive has already checked that it compiles).
    pub fn new(source: &'static str) -> Result<Pattern, regex::Error> {
        let dense = DenseRegex::builder()
            .dense(regex_automata::dfa::dense::Config::new().dfa_size_limit(Some(DENSE_LIMIT)))
            .build(source);
        let engine = match dense {
            Ok(dense) => Engine::Dense(Box::new(dense)),
            Err(_) => Engine::General(regex::Regex::new(source)?),
        };
        Ok(Pattern { source, engine })
    }

    /// Whether `text` matches somewhere (anchor with `^...$` for the whole text).
    pub fn is_match(&self, text: &str) -> bool {
        match &self.engine {
            Engine::Dense(dense) => dense.is_match(text),
            Engine::General(general) => general.is_match(text),
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
    fn a_huge_pattern_falls_back_to_the_general_engine() {
        let pattern = Pattern::new(r"^\w{50}\p{L}{50}$").unwrap();
        assert!(matches!(pattern.engine, Engine::General(_)));
        assert!(!pattern.is_match("short"));
    }
}
