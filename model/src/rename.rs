//! serde's `rename_all` rules, exactly as serde applies them to fields
//! (snake_case Rust names) and to variants (PascalCase Rust names).

/// One of serde's `rename_all` rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RenameRule {
    /// `lowercase`.
    Lower,
    /// `UPPERCASE`.
    Upper,
    /// `PascalCase`.
    Pascal,
    /// `camelCase`.
    Camel,
    /// `snake_case`.
    Snake,
    /// `SCREAMING_SNAKE_CASE`.
    ScreamingSnake,
    /// `kebab-case`.
    Kebab,
    /// `SCREAMING-KEBAB-CASE`.
    ScreamingKebab,
}

impl RenameRule {
    /// Every rule, in the order the generator tries them.
    pub const ALL: [RenameRule; 8] = [
        RenameRule::Snake,
        RenameRule::Lower,
        RenameRule::ScreamingSnake,
        RenameRule::Upper,
        RenameRule::Camel,
        RenameRule::Pascal,
        RenameRule::Kebab,
        RenameRule::ScreamingKebab,
    ];

    /// The rule's name in `rename_all = "..."`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RenameRule::Lower => "lowercase",
            RenameRule::Upper => "UPPERCASE",
            RenameRule::Pascal => "PascalCase",
            RenameRule::Camel => "camelCase",
            RenameRule::Snake => "snake_case",
            RenameRule::ScreamingSnake => "SCREAMING_SNAKE_CASE",
            RenameRule::Kebab => "kebab-case",
            RenameRule::ScreamingKebab => "SCREAMING-KEBAB-CASE",
        }
    }

    /// The rule a `rename_all` value names.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The wire name of a field, given its snake_case Rust name.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => field.split('_').map(capitalize).collect(),
            RenameRule::Camel => {
                let pascal = RenameRule::Pascal.apply_to_field(field);
                lower_first(&pascal)
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.replace('_', "-").to_ascii_uppercase(),
        }
    }

    /// The wire name of a variant, given its PascalCase Rust name.
    pub fn apply_to_variant(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => lower_first(variant),
            RenameRule::Snake => {
                let mut snake = String::with_capacity(variant.len() + 4);
                for (i, c) in variant.char_indices() {
                    if c.is_uppercase() && i > 0 {
                        snake.push('_');
                    }
                    snake.push(c.to_ascii_lowercase());
                }
                snake
            }
            RenameRule::ScreamingSnake => RenameRule::Snake
                .apply_to_variant(variant)
                .to_ascii_uppercase(),
            RenameRule::Kebab => RenameRule::Snake
                .apply_to_variant(variant)
                .replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake
                .apply_to_variant(variant)
                .replace('_', "-"),
        }
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

fn lower_first(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::RenameRule;

    /// The table serde's own tests use for fields and variants.
    #[test]
    fn rules_match_serde() {
        let cases = [
            (
                "Outcome", "outcome", "OUTCOME", "outcome", "outcome", "OUTCOME", "outcome",
                "OUTCOME",
            ),
            (
                "VeryTasty",
                "verytasty",
                "VERYTASTY",
                "veryTasty",
                "very_tasty",
                "VERY_TASTY",
                "very-tasty",
                "VERY-TASTY",
            ),
            ("A", "a", "A", "a", "a", "A", "a", "A"),
            ("Z42", "z42", "Z42", "z42", "z42", "Z42", "z42", "Z42"),
        ];
        for (variant, lower, upper, camel, snake, screaming, kebab, screaming_kebab) in cases {
            let expect = [
                (RenameRule::Pascal, variant),
                (RenameRule::Lower, lower),
                (RenameRule::Upper, upper),
                (RenameRule::Camel, camel),
                (RenameRule::Snake, snake),
                (RenameRule::ScreamingSnake, screaming),
                (RenameRule::Kebab, kebab),
                (RenameRule::ScreamingKebab, screaming_kebab),
            ];
            for (rule, wire) in expect {
                assert_eq!(rule.apply_to_variant(variant), wire, "{rule:?} {variant}");
            }
        }
        let fields = [
            ("outcome", "Outcome", "outcome", "OUTCOME", "outcome-x"),
            (
                "very_tasty",
                "VeryTasty",
                "veryTasty",
                "VERY_TASTY",
                "very-tasty",
            ),
        ];
        for (field, pascal, camel, screaming, _) in fields {
            assert_eq!(RenameRule::Pascal.apply_to_field(field), pascal);
            assert_eq!(RenameRule::Camel.apply_to_field(field), camel);
            assert_eq!(RenameRule::ScreamingSnake.apply_to_field(field), screaming);
            assert_eq!(
                RenameRule::Kebab.apply_to_field(field),
                field.replace('_', "-")
            );
        }
        for rule in RenameRule::ALL {
            assert_eq!(RenameRule::from_name(rule.as_str()), Some(rule));
        }
        assert_eq!(RenameRule::from_name("Title Case"), None);
    }
}
