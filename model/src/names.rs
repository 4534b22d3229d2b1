//! The type names generated code writes without a path, and what each kind
//! of name means to the generator and the derive: one list each, so that the
//! generator's shadowing check, the derive's rules and the prelude generated
//! modules import cannot drift apart.

/// What `paygen::__private::prelude` brings into every generated module.
pub const PAYGEN_PRELUDE: &[&str] = &[
    "BTreeMap",
    "CardNumber",
    "Decimal",
    "Encrypted",
    "FilePart",
    "JsonValue",
    "Secret",
];

/// The names of Rust's prelude that generated code uses.
pub const RUST_PRELUDE: &[&str] = &[
    "Option", "String", "Vec", "Box", "Into", "Result", "Send", "Sync", "Fn",
];

/// Every name generated code uses unqualified: a gateway type of one of
/// these names makes the generator spell the other out in full.
pub fn is_unqualified(name: &str) -> bool {
    PAYGEN_PRELUDE.contains(&name) || RUST_PRELUDE.contains(&name)
}

/// Text types a constructor takes as `impl Into<T>`, so that a `&str` is
/// enough.
pub const TEXT_TYPES: &[&str] = &["String", "Secret", "CardNumber", "Encrypted"];

/// Types that carry no rules of their own: the derive validates every other
/// type of a field as `nested`, so its own rules (or a secret's checks) run.
pub const WITHOUT_RULES: &[&str] = &[
    "String",
    "str",
    "bool",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "Decimal",
    "JsonValue",
    "Value",
    "FilePart",
];
