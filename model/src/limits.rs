//! The sentence a field's docs give its limits in (`Limits: 3 to 80
//! characters; matches `^[A-Z]+$`.`), spelled once for the generator (which
//! documents parameters) and the derive (which documents fields).

use crate::doc::code;

/// The words before each bound of a number, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// `minimum`.
    Min,
    /// `maximum`.
    Max,
    /// `exclusiveMinimum`.
    ExclusiveMin,
    /// `exclusiveMaximum`.
    ExclusiveMax,
    /// `multipleOf`.
    MultipleOf,
}

impl Bound {
    /// Every bound, in the order the sentence lists them.
    pub const ALL: [Bound; 5] = [
        Bound::Min,
        Bound::Max,
        Bound::ExclusiveMin,
        Bound::ExclusiveMax,
        Bound::MultipleOf,
    ];

    fn words(self) -> &'static str {
        match self {
            Bound::Min => "at least",
            Bound::Max => "at most",
            Bound::ExclusiveMin => "more than",
            Bound::ExclusiveMax => "less than",
            Bound::MultipleOf => "a multiple of",
        }
    }
}

/// The parts of a limits sentence, added in the order they are read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Limits {
    parts: Vec<String>,
}

impl Limits {
    /// A length of text: `exactly 3 characters`, `1 to 80 characters`, `at
    /// least 1 character`; nothing when neither end is given.
    pub fn length(&mut self, min: Option<u64>, max: Option<u64>) -> &mut Self {
        self.span(min, max, "character", "characters")
    }

    /// A text that must not be empty (required, with no length of its own).
    pub fn not_empty(&mut self) -> &mut Self {
        self.parts.push("not empty".to_owned());
        self
    }

    /// A bound of a number, as the source writes it (`100`, `-1.5`).
    pub fn bound(&mut self, bound: Bound, value: &str) -> &mut Self {
        self.parts.push(format!("{} {value}", bound.words()));
        self
    }

    /// A number's bounds, each as the source writes it, in the order of
    /// [`Bound::ALL`] (minimum, maximum, exclusive minimum, exclusive
    /// maximum, multiple of); `None` for a bound not given.
    pub fn bounds<S: AsRef<str>>(&mut self, values: [Option<S>; 5]) -> &mut Self {
        for (value, bound) in values.into_iter().zip(Bound::ALL) {
            if let Some(value) = value {
                self.bound(bound, value.as_ref());
            }
        }
        self
    }

    /// A pattern the text must match.
    pub fn pattern(&mut self, pattern: &str) -> &mut Self {
        self.parts.push(format!("matches {}", code(pattern)));
        self
    }

    /// The values allowed, each already shown as code.
    pub fn one_of(&mut self, values: &[String]) -> &mut Self {
        self.parts.push(format!("one of {}", values.join(", ")));
        self
    }

    /// How many entries a list or map has.
    pub fn count(&mut self, min: Option<u64>, max: Option<u64>) -> &mut Self {
        self.span(min, max, "entry", "entries")
    }

    /// The limits of each item or value.
    pub fn each(&mut self, each: &Limits) -> &mut Self {
        if !each.parts.is_empty() {
            self.parts.push(format!("each {}", each.parts.join("; ")));
        }
        self
    }

    fn span(&mut self, min: Option<u64>, max: Option<u64>, one: &str, many: &str) -> &mut Self {
        let unit = |n: u64| if n == 1 { one } else { many };
        let part = match (min, max) {
            (Some(n), Some(m)) if n == m => format!("exactly {n} {}", unit(n)),
            (Some(n), Some(m)) => format!("{n} to {m} {many}"),
            (Some(n), None) => format!("at least {n} {}", unit(n)),
            (None, Some(m)) => format!("at most {m} {}", unit(m)),
            (None, None) => return self,
        };
        self.parts.push(part);
        self
    }

    /// `Limits: ...; ....`, or `None` when there is none.
    pub fn sentence(&self) -> Option<String> {
        (!self.parts.is_empty()).then(|| format!("Limits: {}.", self.parts.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_reads_as_a_phrase_and_one_is_singular() {
        let mut each = Limits::default();
        each.length(Some(1), None);
        let mut limits = Limits::default();
        limits
            .length(Some(3), Some(3))
            .bound(Bound::Min, "100")
            .bound(Bound::ExclusiveMax, "-1.5")
            .pattern("^[A-Z]+$")
            .one_of(&["`INR`".into(), "`USD`".into()])
            .count(None, Some(1))
            .each(&each);
        assert_eq!(
            limits.sentence().unwrap(),
            "Limits: exactly 3 characters; at least 100; less than -1.5; matches `^[A-Z]+$`; \
             one of `INR`, `USD`; at most 1 entry; each at least 1 character."
        );
        let mut span = Limits::default();
        span.length(Some(1), Some(80)).count(Some(2), None);
        assert_eq!(
            span.sentence().unwrap(),
            "Limits: 1 to 80 characters; at least 2 entries."
        );
        let mut bounds = Limits::default();
        bounds.bounds([Some("1"), None, None, Some("5"), Some("0.01")]);
        assert_eq!(
            bounds.sentence().unwrap(),
            "Limits: at least 1; less than 5; a multiple of 0.01."
        );
        assert_eq!(Limits::default().sentence(), None);
        assert_eq!(Limits::default().length(None, None).sentence(), None);
    }
}
