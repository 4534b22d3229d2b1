//! Reading serde's own attributes where paygen needs them: a field's or
//! variant's wire name, and flags such as `untagged` and `flatten`.

use syn::{Attribute, LitStr, Token};

use super::skip_value;

/// serde's `rename` (or `rename(serialize = ...)`) on a field or variant.
pub fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    serde_name(attrs, "rename")
}

/// Whether serde's attributes hold the flag `key` (`#[serde(untagged)]`).
pub fn serde_flag(attrs: &[Attribute], key: &str) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // A malformed serde attribute is reported by serde's own derive.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                found = true;
            } else {
                skip_value(&meta)?;
            }
            Ok(())
        });
    }
    found
}

/// serde's `key = "..."` or `key(serialize = "...")`, if given. Anything else
/// in `#[serde(...)]` is serde's business and is skipped.
pub(super) fn serde_name(attrs: &[Attribute], key: &str) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // A malformed serde attribute is reported by serde's own derive.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                if meta.input.peek(Token![=]) {
                    let lit: LitStr = meta.value()?.parse()?;
                    found = Some(lit.value());
                } else {
                    meta.parse_nested_meta(|inner| {
                        if inner.path.is_ident("serialize") {
                            let lit: LitStr = inner.value()?.parse()?;
                            found = Some(lit.value());
                        } else {
                            skip_value(&inner)?;
                        }
                        Ok(())
                    })?;
                }
            } else {
                skip_value(&meta)?;
            }
            Ok(())
        });
    }
    found
}
