//! Decoding of generated enums: for `#[derive(WireEnum)]`, borrowing string
//! decoding and the error for a value outside a closed enum; for a union
//! with a `discriminator`, choosing the variant by its property's value.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A string decoded without copying when the input allows it.
pub struct WireStr<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for WireStr<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;

        impl<'de> Visitor<'de> for StrVisitor {
            type Value = WireStr<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(WireStr(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(WireStr(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(WireStr(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(StrVisitor)
    }
}

/// A value that is not one of a closed enum's documented values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    type_name: &'static str,
    value: String,
    expected: &'static [&'static str],
}

impl UnknownValue {
    /// The error for `value`, which is none of `expected`.
    pub fn new(type_name: &'static str, value: &str, expected: &'static [&'static str]) -> Self {
        UnknownValue {
            type_name,
            value: value.to_owned(),
            expected,
        }
    }

    /// The value that was given.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} value `{}`, expected one of {}",
            self.type_name,
            self.value,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownValue {}

/// Decodes a `oneOf` told apart by a `discriminator`: the object's
/// `property` names the choice, and `pick` decodes the whole object (tag
/// included) as the choice it names, or gives `None` for a name it does
/// not know. Errors name the property, never a value.
pub fn discriminated<'de, D, T>(
    deserializer: D,
    property: &'static str,
    pick: impl FnOnce(&str, serde_json::Value) -> Option<Result<T, serde_json::Error>>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error as _;
    let value = serde_json::Value::deserialize(deserializer)?;
    let tag = match value.get(property) {
        Some(serde_json::Value::String(tag)) => tag.clone(),
        Some(_) => {
            return Err(D::Error::custom(format!(
                "`{property}`, which names the choice, is not text"
            )))
        }
        None => return Err(D::Error::missing_field(property)),
    };
    match pick(&tag, value) {
        Some(decoded) => decoded.map_err(|e| D::Error::custom(super::decode::DecodeError::from(e))),
        None => Err(D::Error::custom(format!(
            "`{property}` names no choice this type knows"
        ))),
    }
}
