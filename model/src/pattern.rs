//! Which `pattern`s paygen can enforce, and with which engine: the one
//! answer the generator, the derive and the runtime share.
//!
//! OpenAPI patterns are ECMA-262 regular expressions. `regex` (linear time)
//! takes every pattern without look-around or back-references, which is
//! nearly all of them; the rest (`^(?![0-9a-f]{8}-)[a-z]+$`, a name that is
//! not a UUID) go to `fancy-regex`, which backtracks for those parts only
//! and stops at [`BACKTRACK_LIMIT`] steps instead of running without end.
//! No gateway of `specs/` needs it, so it is built only with the
//! `backtracking` feature (paygen's `lookaround`); without it such a pattern
//! is refused, and the message says which feature runs it.
//!
//! Profiling validation of the pages' request types showed about 40% of the
//! time inside the `regex` crate's search for the short, anchored patterns
//! gateways use (`^[0-9]{2}$`), mostly its general-purpose machinery (lazy
//! DFA cache, strategy dispatch). A fully built dense DFA from
//! `regex-automata` (the engine under `regex`) answers those with a plain
//! table walk and no cache, so a linear pattern is built as one, unless it
//! would be larger than [`DENSE_LIMIT`].
//!
//! The derive checks each pattern with [`engine`] as it expands, from this
//! crate, with the runtime's engines: the proc-macro and the runtime then ask
//! cargo for `regex-automata` and `fancy-regex` with the same features, and a
//! consumer's build compiles each once rather than once per side.

use regex_automata::dfa::regex::Regex as DenseRegex;

/// The steps `fancy-regex` may take on one value; a value that needs more
/// does not match (it is refused, never sent unchecked).
pub const BACKTRACK_LIMIT: usize = 100_000;

/// The bytes a dense DFA may take; a pattern whose DFA would be larger is
/// run by `regex`.
pub const DENSE_LIMIT: usize = 64 * 1024;

/// The engine a pattern needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// `regex` (or its dense DFA): linear time.
    Linear,
    /// `fancy-regex`: look-around and back-references.
    Backtracking,
}

/// A pattern built by the engine that runs it.
#[derive(Debug)]
pub enum Compiled {
    /// A dense DFA: linear, a table walk.
    Dense(Box<DenseRegex>),
    /// `regex`: linear, for a pattern whose dense DFA would be over [`DENSE_LIMIT`].
    General(regex::Regex),
    /// `fancy-regex`, within [`BACKTRACK_LIMIT`] steps a value.
    #[cfg(feature = "backtracking")]
    Backtracking(fancy_regex::Regex),
}

impl Compiled {
    /// The engine this pattern needs.
    pub fn engine(&self) -> Engine {
        match self {
            Compiled::Dense(_) | Compiled::General(_) => Engine::Linear,
            #[cfg(feature = "backtracking")]
            Compiled::Backtracking(_) => Engine::Backtracking,
        }
    }

    /// Whether `text` matches somewhere (anchor with `^...$` for the whole
    /// text). A value that takes the backtracking engine past its step limit
    /// does not match.
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Compiled::Dense(dense) => dense.is_match(text),
            Compiled::General(general) => general.is_match(text),
            #[cfg(feature = "backtracking")]
            Compiled::Backtracking(fancy) => fancy.is_match(text).unwrap_or(false),
        }
    }
}

/// `source` built with the engine that will run it: a dense DFA; when the
/// DFA would be too large, `regex`; when the pattern needs look-around or a
/// back-reference, `fancy-regex` (with the `backtracking` feature). An
/// engine that cannot take the pattern fails while parsing it, before
/// building anything, so each pattern is built by one engine only. The error
/// is `regex`'s message, which points at the fault (`fancy-regex` reads the
/// same syntax, with two features more).
pub fn compile(source: &str) -> Result<Compiled, String> {
    let dense = DenseRegex::builder()
        .dense(regex_automata::dfa::dense::Config::new().dfa_size_limit(Some(DENSE_LIMIT)))
        .build(source);
    Ok(match dense {
        Ok(dense) => Compiled::Dense(Box::new(dense)),
        Err(_) => match regex::Regex::new(source) {
            Ok(general) => Compiled::General(general),
            Err(linear) => backtracking(source, &linear)?,
        },
    })
}

/// `source`, which `regex` refused with `linear`, built by `fancy-regex`.
#[cfg(feature = "backtracking")]
fn backtracking(source: &str, linear: &regex::Error) -> Result<Compiled, String> {
    fancy_regex::RegexBuilder::new(source)
        .backtrack_limit(BACKTRACK_LIMIT)
        .build()
        .map(Compiled::Backtracking)
        .map_err(|_| linear.to_string())
}

/// Without `fancy-regex`: why `source`, which `regex` refused, is not run.
#[cfg(not(feature = "backtracking"))]
fn backtracking(source: &str, linear: &regex::Error) -> Result<Compiled, String> {
    Err(refusal(source, linear))
}

/// `regex`'s message, and, for a pattern refused only for its look-around or
/// back-reference, the feature that runs it.
#[cfg(not(feature = "backtracking"))]
fn refusal(source: &str, linear: &regex::Error) -> String {
    use regex_syntax::ast::ErrorKind;
    let needs_backtracking = regex_syntax::ast::parse::Parser::new()
        .parse(source)
        .err()
        .is_some_and(|e| {
            matches!(
                e.kind(),
                ErrorKind::UnsupportedLookAround | ErrorKind::UnsupportedBackreference
            )
        });
    if needs_backtracking {
        format!(
            "the pattern uses look-around or a back-reference, which paygen runs only with \
             its `lookaround` feature (on by default; it builds fancy-regex):\n{linear}"
        )
    } else {
        linear.to_string()
    }
}

/// The engine `source` compiles with, or why no engine takes it: the
/// verdict of [`compile`] without building the dense DFA, which takes tens of
/// milliseconds for a pattern such as `.+` in an unoptimised build (the
/// derive's, at every expansion). A pattern `regex` takes, [`compile`] builds
/// as a dense DFA or, past [`DENSE_LIMIT`], with `regex` itself.
pub fn engine(source: &str) -> Result<Engine, String> {
    match regex::Regex::new(source) {
        Ok(_) => Ok(Engine::Linear),
        #[cfg(feature = "backtracking")]
        Err(linear) => match fancy_regex::Regex::new(source) {
            Ok(_) => Ok(Engine::Backtracking),
            Err(_) => Err(linear.to_string()),
        },
        #[cfg(not(feature = "backtracking"))]
        Err(linear) => Err(refusal(source, &linear)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pattern_goes_to_the_engine_it_needs() {
        assert!(matches!(compile("^[0-9]{3,4}$"), Ok(Compiled::Dense(_))));
        assert!(matches!(
            compile(r"^\w{50}\p{L}{50}$"),
            Ok(Compiled::General(_))
        ));
        assert_eq!(engine(r"^\w{50}\p{L}{50}$"), Ok(Engine::Linear));
        let error = engine("[").unwrap_err();
        assert!(error.contains("unclosed character class"), "{error}");
    }

    /// Without `fancy-regex`, a pattern that needs it is refused, naming the
    /// feature that runs it; a wrong pattern is refused as wrong.
    #[cfg(not(feature = "backtracking"))]
    #[test]
    fn look_around_names_the_feature_that_runs_it() {
        for source in ["^(?![0-9a-f]{8}-)[a-z]+$", r"^(a)\1$"] {
            let error = engine(source).unwrap_err();
            assert!(error.contains("its `lookaround` feature"), "{error}");
            assert_eq!(compile(source).map(|c| c.engine()), Err(error));
        }
        let wrong = engine("[").unwrap_err();
        assert!(!wrong.contains("lookaround"), "{wrong}");
    }

    #[cfg(feature = "backtracking")]
    #[test]
    fn look_around_and_back_references_backtrack() {
        assert_eq!(engine("^(?![0-9a-f]{8}-)[a-z]+$"), Ok(Engine::Backtracking));
        assert_eq!(engine(r"^(a)\1$"), Ok(Engine::Backtracking));
        assert!(engine("^(?!x)[").is_err());
    }

    #[test]
    fn the_check_and_the_compile_agree() {
        for source in [
            r"^[0-9]{2}$",
            r"^\d+\.\d+\.\d+([\-\+].+)?$",
            r"^\w{50}\p{L}{50}$",
            r"^(ab)\1$",
            r"^(?!x)[a-z]+$",
            r"\bword\b",
            "^(unclosed$",
            "[",
            r"^(?!x)[",
        ] {
            assert_eq!(
                compile(source).map(|compiled| compiled.engine()),
                engine(source),
                "{source}"
            );
        }
    }
}
