//! Which `pattern`s paygen can enforce, and with which engine: the one
//! answer the generator, the derive and the runtime share.
//!
//! OpenAPI patterns are ECMA-262 regular expressions. `regex` (linear time)
//! takes every pattern without look-around or back-references, which is
//! nearly all of them; the rest (`^(?![0-9a-f]{8}-)[a-z]+$`, a name that is
//! not a UUID) go to `fancy-regex`, which backtracks for those parts only
//! and stops at [`BACKTRACK_LIMIT`] steps instead of running without end.

/// The steps `fancy-regex` may take on one value; a value that needs more
/// does not match (it is refused, never sent unchecked).
pub const BACKTRACK_LIMIT: usize = 100_000;

/// The engine a pattern needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// `regex`: linear time.
    Linear,
    /// `fancy-regex`: look-around and back-references.
    Backtracking,
}

/// The engine `source` compiles with, or why no engine takes it.
pub fn engine(source: &str) -> Result<Engine, String> {
    match regex::Regex::new(source) {
        Ok(_) => Ok(Engine::Linear),
        Err(linear) => match fancy_regex::Regex::new(source) {
            Ok(_) => Ok(Engine::Backtracking),
            // `regex`'s message points at the fault; `fancy-regex` reads the
            // same syntax, with two features more.
            Err(_) => Err(linear.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pattern_goes_to_the_engine_it_needs() {
        assert_eq!(engine("^[0-9]{3,4}$"), Ok(Engine::Linear));
        assert_eq!(engine("^(?![0-9a-f]{8}-)[a-z]+$"), Ok(Engine::Backtracking));
        assert_eq!(engine(r"^(a)\1$"), Ok(Engine::Backtracking));
        let error = engine("[").unwrap_err();
        assert!(error.contains("unclosed character class"), "{error}");
    }
}
