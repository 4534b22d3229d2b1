//! The vocabulary `paygen-codegen` (which writes generated code) and
//! `paygen-macros` (which expands it) share, so that each decision is spelled
//! once: how serde renames fields and variants, the body encodings, the
//! rules between fields, which patterns can be enforced, how spec text sits
//! in generated docs, the sentence that states a field's limits, the type
//! names generated code writes without a path, and how a raw Rust name reads
//! without its `r#`.

#![warn(missing_docs)]

pub mod doc;
pub mod limits;
pub mod names;
pub mod pattern;
mod rename;

pub use rename::RenameRule;

/// A Rust name without its raw prefix (`r#type` is `type`): how a field or
/// method reads in docs, messages and wire names.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The setter of an optional field, a parameter or a client setting: `with_`
/// and the name without its raw prefix (`r#type` is set by `with_type`).
pub fn setter(name: &str) -> String {
    format!("with_{}", unraw(name))
}

/// How a request body is put on the wire, as `#[paygen(body = "...")]` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: each field a part, files as they are.
    Multipart,
}

/// The boundary between the parts of a `multipart/form-data` body. Fixed, so
/// that a body's bytes are the same on every run; the encoder refuses a part
/// that contains it.
pub const MULTIPART_BOUNDARY: &str = "paygen-part-3f9c0b7e52d14a68b1e6";

impl Encoding {
    /// Every encoding, in the order messages list them.
    pub const ALL: [Encoding; 3] = [Encoding::Json, Encoding::Form, Encoding::Multipart];

    /// The attribute value: `json`, `form` or `multipart`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::Json => "json",
            Encoding::Form => "form",
            Encoding::Multipart => "multipart",
        }
    }

    /// The encoding an attribute value names.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// The `Content-Type` it is sent with.
    pub const fn content_type(self) -> &'static str {
        match self {
            Encoding::Json => "application/json",
            Encoding::Form => "application/x-www-form-urlencoded",
            // `MULTIPART_BOUNDARY`, spelled out: `concat!` takes literals only.
            Encoding::Multipart => "multipart/form-data; boundary=paygen-part-3f9c0b7e52d14a68b1e6",
        }
    }
}

/// A rule between two fields of one object (`x-rules` in a spec, a container
/// `#[paygen(...)]` in Rust).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrossKind {
    /// `field` must be present when `when` has a value (or equals one).
    RequiredIf,
    /// `field` may be present only when `when` has a value (or equals one).
    OnlyIf,
    /// `field >= other` when both are present.
    NotLessThan,
    /// `field >= minimum` when `when` equals `equals` (a documented
    /// minimum per currency: 100 paise when the currency is INR).
    MinimumWhen,
}

impl CrossKind {
    /// Every kind, in the order messages list them.
    pub const ALL: [CrossKind; 4] = [
        CrossKind::RequiredIf,
        CrossKind::OnlyIf,
        CrossKind::NotLessThan,
        CrossKind::MinimumWhen,
    ];

    /// The attribute (and `x-rules`) name.
    pub const fn as_str(self) -> &'static str {
        match self {
            CrossKind::RequiredIf => "required_if",
            CrossKind::OnlyIf => "only_if",
            CrossKind::NotLessThan => "not_less_than",
            CrossKind::MinimumWhen => "minimum_when",
        }
    }

    /// The kind an attribute name names.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The key naming the other field: `when` for the conditional rules,
    /// `other` for the comparison.
    pub const fn other_key(self) -> &'static str {
        match self {
            CrossKind::RequiredIf | CrossKind::OnlyIf | CrossKind::MinimumWhen => "when",
            CrossKind::NotLessThan => "other",
        }
    }
}

#[cfg(test)]
mod encoding_tests {
    use super::*;

    #[test]
    fn the_multipart_content_type_names_the_boundary_the_encoder_writes() {
        assert_eq!(
            Encoding::Multipart.content_type(),
            format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}")
        );
        for encoding in Encoding::ALL {
            assert_eq!(Encoding::from_name(encoding.as_str()), Some(encoding));
        }
    }
}
