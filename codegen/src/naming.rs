//! All naming in one place: wire names to Rust field, type, variant and
//! function names, with keywords, leading digits and symbols handled.
//!
//! Every name made here is a Rust identifier (Unicode XID, as rustc reads
//! them), whatever a spec holds: a wire name is first brought to its
//! compatibility form (NFKC: `m²` reads `m2`, `ﬁ` reads `fi`), then every
//! character that cannot stand in an identifier separates words, as `-` and
//! spaces do. A name of which nothing survives is `None`, which the caller
//! reports at its place in the spec.

use heck::{ToPascalCase, ToSnakeCase};
use unicode_normalization::UnicodeNormalization;

/// Keywords that need a raw identifier (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing `_`.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A snake_case name for a field, parameter or function (`x-api-version` ->
/// `x_api_version`, `credAppPresent` -> `cred_app_present`, `type` -> `r#type`,
/// `3ds` -> `n3ds`). `None` when nothing of the name survives.
pub fn snake(wire: &str) -> Option<String> {
    identifier(words(wire).to_snake_case(), 'n')
}

/// A PascalCase name for a type or variant (`payment_config` -> `PaymentConfig`,
/// `2022-09-01` -> `V20220901`). `None` when nothing of the name survives.
pub fn pascal(wire: &str) -> Option<String> {
    identifier(words(wire).to_pascal_case(), 'V')
}

/// The wire name in its compatibility form, with a space for every
/// character that cannot be part of an identifier, for heck to split on.
fn words(wire: &str) -> String {
    wire.nfkc()
        .map(|c| {
            if unicode_ident::is_xid_continue(c) {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// `name` as an identifier: `lead` before a first character that cannot
/// start one (a digit), keywords made safe; `None` when it is empty.
fn identifier(mut name: String, lead: char) -> Option<String> {
    let first = name.chars().next()?;
    if !unicode_ident::is_xid_start(first) && first != '_' {
        name.insert(0, lead);
    }
    // heck splits on the spaces `words` put in and joins with `_` or
    // nothing; changing case can still give a character no identifier
    // holds, and such a name is refused rather than built.
    if !name.chars().all(unicode_ident::is_xid_continue) {
        return None;
    }
    Some(keyword_safe(name))
}

/// An enum variant for the wire value `wire`. One rule across gateways: a
/// one-word value in the lower-then-upper style of brand names (`iOS`,
/// `macOS`) is named from its lower-case form, so that `iOS` on one page and
/// `ios` on another are both `Ios`; any other value as [`pascal`] names it.
pub fn variant(wire: &str) -> Option<String> {
    let brand = wire.starts_with(|c: char| c.is_ascii_lowercase())
        && wire.chars().all(|c| c.is_ascii_alphanumeric())
        && {
            // The upper-case letters are one run at the end.
            let tail = wire.trim_end_matches(|c: char| c.is_ascii_uppercase());
            tail.len() < wire.len() && !tail.contains(|c: char| c.is_ascii_uppercase())
        };
    if brand {
        pascal(&wire.to_ascii_lowercase())
    } else {
        pascal(wire)
    }
}

fn keyword_safe(name: String) -> String {
    if RESERVED.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// An HTTP header name as it goes on the wire: lower case (HTTP/2 requires
/// it, and `http::HeaderName::from_static` panics on anything else), or
/// `None` when it is not an RFC 9110 token (`x bad:header`).
pub fn header(name: &str) -> Option<String> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    (!name.is_empty() && name.chars().all(token)).then(|| name.to_ascii_lowercase())
}

pub use paygen_model::{setter, unraw};

#[cfg(test)]
mod tests {
    use super::{pascal, snake};

    #[test]
    fn naming_table() {
        let snake_cases = [
            ("order_id", "order_id"),
            ("orderId", "order_id"),
            ("credAppPresent", "cred_app_present"),
            ("x-api-version", "x_api_version"),
            ("type", "r#type"),
            ("self", "self_"),
            ("3ds", "n3ds"),
            ("sdk_pg_params.os", "sdk_pg_params_os"),
            ("URL", "url"),
        ];
        for (wire, rust) in snake_cases {
            assert_eq!(snake(wire).as_deref(), Some(rust), "{wire}");
        }
        let pascal_cases = [
            ("payment_config", "PaymentConfig"),
            ("PENDING_VBV", "PendingVbv"),
            ("2022-09-01", "V20220901"),
            ("iPAD", "IPad"),
            ("macOS", "MacOs"),
            ("Self", "Self_"),
        ];
        for (wire, rust) in pascal_cases {
            assert_eq!(pascal(wire).as_deref(), Some(rust), "{wire}");
        }
        // One rule across gateways: a brand-style value and its lower-case
        // spelling name the same variant (Juspay's `iOS` and `ios`).
        let variant_cases = [
            ("iOS", "Ios"),
            ("ios", "Ios"),
            ("IOS", "Ios"),
            ("macOS", "Macos"),
            ("iPAD", "Ipad"),
            ("eMandate", "EMandate"),
            ("PENDING_VBV", "PendingVbv"),
            ("net_banking", "NetBanking"),
        ];
        for (wire, rust) in variant_cases {
            assert_eq!(super::variant(wire).as_deref(), Some(rust), "{wire}");
        }
        assert_eq!(snake("--"), None);
        assert_eq!(
            super::header("X-Request-Id").as_deref(),
            Some("x-request-id")
        );
        assert_eq!(
            super::header("x-api-version").as_deref(),
            Some("x-api-version")
        );
        assert_eq!(super::header("x bad:header"), None);
        assert_eq!(super::header(""), None);
        assert_eq!(super::header("x-caf\u{e9}"), None);
        assert_eq!(pascal(""), None);
    }

    proptest::proptest! {
        /// Whatever a spec names, the name is `None` (reported by the caller)
        /// or one rustc reads as an identifier: building it never panics.
        #[test]
        fn every_name_is_an_identifier_or_none(wire in "\\PC{0,12}|[a-z0-9_ ²½€-]{0,12}") {
            let names = [snake(&wire), pascal(&wire), super::variant(&wire)];
            for name in names.into_iter().flatten() {
                let ident = crate::emit::ident(&name);
                let parsed: syn::Ident = syn::parse_str(&ident.to_string())
                    .unwrap_or_else(|e| panic!("{wire:?} -> {name:?}: {e}"));
                proptest::prop_assert_eq!(parsed.to_string(), name);
            }
        }
    }

    #[test]
    fn names_outside_ascii_become_identifiers() {
        let cases = [
            ("m²", Some("m2"), Some("M2")),
            ("m³", Some("m3"), Some("M3")),
            ("½off", Some("n1_2off"), Some("V12off")),
            ("ﬁnal", Some("r#final"), Some("Final")),
            ("prix_€", Some("prix"), Some("Prix")),
            ("💳", None, None),
            // A combining mark with nothing to combine with separates words.
            ("\u{301}a", Some("a"), Some("A")),
            ("montant_dû", Some("montant_dû"), Some("MontantDû")),
            ("金额", Some("金额"), Some("金额")),
        ];
        for (wire, snake_case, pascal_case) in cases {
            assert_eq!(snake(wire).as_deref(), snake_case, "{wire}");
            assert_eq!(pascal(wire).as_deref(), pascal_case, "{wire}");
        }
    }
}
