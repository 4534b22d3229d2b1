//! Decimals (OpenAPI `type: number`) on the wire exactly: decoded from the
//! JSON number's own digits, never through an `f64`, and written as a JSON
//! number with the decimal's digits.
//!
//! serde_json hands a number to a visitor as an `f64`, which has about 16
//! significant digits: `12345678901234567.89` would arrive as
//! `12345678901234568`. Read as a raw value (serde_json's `raw_value`
//! feature, which changes nothing else), the number comes as the text the
//! gateway sent. Generated fields name this module in
//! `#[serde(with = "...")]`; it serves `Decimal` and `Option`, `Vec`, `Box`
//! and `BTreeMap` of it alike.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};

/// serde_json's name for a raw value (`serde_json::value::RawValue`).
pub(crate) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A shape holding decimals: `Decimal`, or a container of them.
pub trait Exact: Sized {
    /// Writes the value, each decimal as a JSON number with its own digits.
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value, each decimal from the number's own digits.
    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// `#[serde(with)]` entry point: serialize.
pub fn serialize<T: Exact, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_exact(serializer)
}

/// `#[serde(with)]` entry point: deserialize.
pub fn deserialize<'de, T: Exact, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_exact(deserializer)
}

/// One decimal, written as a raw JSON number.
struct Number<'a>(&'a Decimal);

impl Serialize for Number<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // `Display` writes the digits (`-12.50`), never an exponent. Written as
        // serde_json writes a `RawValue`: verbatim into JSON, and as the plain
        // value by paygen's form encoder.
        let digits = self.0.to_string();
        let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
        raw.serialize_field(RAW_VALUE_TOKEN, &digits)?;
        raw.end()
    }
}

/// One decimal, read from a raw JSON number (or, from deserializers that
/// have no raw values, from what they give).
struct Exactly(Decimal);

impl<'de> serde::Deserialize<'de> for Exactly {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_newtype_struct(RAW_VALUE_TOKEN, DecimalVisitor)
            .map(Exactly)
    }
}

/// Parses JSON text that holds a number, or a string holding one (some
/// gateways quote amounts), exactly: no rounding, or an error.
fn parse_exact<E: de::Error>(text: &str) -> Result<Decimal, E> {
    let text = text.trim();
    let digits = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    let parsed = if digits.contains(['e', 'E']) {
        Decimal::from_scientific(digits)
    } else {
        Decimal::from_str_exact(digits)
    };
    // The message leaves the value out: an amount is a customer's data.
    parsed.map_err(|_| {
        E::custom("a number that is not an exact decimal (too many digits, or not a number)")
    })
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number")
    }

    /// serde_json's raw value: one entry, under its private name, whose value
    /// is the JSON text. Any other map is not a number.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        match map.next_key::<RawText>()? {
            Some(RawText(key)) if key == RAW_VALUE_TOKEN => {}
            _ => return Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
        let RawText(text) = map.next_value()?;
        parse_exact(&text)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        parse_exact(text)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(n))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Decimal, E> {
        // Only deserializers without raw values get here (a `serde_json::Value`
        // built beforehand, which holds an `f64` already): the shortest text
        // that reads back as the same `f64` is the best that is left.
        if !n.is_finite() {
            return Err(E::custom("a number that is not finite"));
        }
        parse_exact(ryu::Buffer::new().format_finite(n))
    }
}

/// The JSON text of a raw value (or its key), borrowed or owned.
struct RawText<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for RawText<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = RawText<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number as JSON text")
            }
            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(RawText(text.into()))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(RawText(text.to_owned().into()))
            }
            fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
                Ok(RawText(text.into()))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

impl Exact for Decimal {
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Number(self).serialize(serializer)
    }

    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <Exactly as serde::Deserialize>::deserialize(deserializer).map(|e| e.0)
    }
}

/// `T` through its `Exact` impl, for containers.
struct Via<'a, T>(&'a T);

impl<T: Exact> Serialize for Via<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_exact(serializer)
    }
}

struct ViaOwned<T>(T);

impl<'de, T: Exact> serde::Deserialize<'de> for ViaOwned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_exact(deserializer).map(ViaOwned)
    }
}

impl<T: Exact> Exact for Option<T> {
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Via(value)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value: Option<ViaOwned<T>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(value.map(|v| v.0))
    }
}

impl<T: Exact> Exact for Box<T> {
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_exact(serializer)
    }

    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_exact(deserializer).map(Box::new)
    }
}

impl<T: Exact> Exact for Vec<T> {
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Via))
    }

    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items: Vec<ViaOwned<T>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(items.into_iter().map(|v| v.0).collect())
    }
}

impl<T: Exact> Exact for BTreeMap<String, T> {
    fn serialize_exact<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Via(v))))
    }

    fn deserialize_exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries: BTreeMap<String, ViaOwned<T>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Amounts {
        #[serde(with = "super")]
        one: Decimal,
        #[serde(with = "super", default, skip_serializing_if = "Option::is_none")]
        maybe: Option<Decimal>,
        #[serde(with = "super", default)]
        many: Vec<Decimal>,
    }

    #[test]
    fn digits_beyond_an_f64_survive_both_ways() {
        let json = r#"{"one":12345678901234567.89,"maybe":-0.10,"many":[1,2.50,1e2]}"#;
        let amounts: Amounts = serde_json::from_str(json).unwrap();
        assert_eq!(amounts.one.to_string(), "12345678901234567.89");
        assert_eq!(amounts.maybe.unwrap().to_string(), "-0.10");
        assert_eq!(
            amounts
                .many
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>(),
            ["1", "2.50", "100"]
        );
        assert_eq!(
            serde_json::to_string(&amounts).unwrap(),
            r#"{"one":12345678901234567.89,"maybe":-0.10,"many":[1,2.50,100]}"#
        );
        let from_reader: Amounts = serde_json::from_reader(json.as_bytes()).unwrap();
        assert_eq!(from_reader, amounts);
    }

    #[test]
    fn quoted_amounts_null_and_absent_decode() {
        let amounts: Amounts = serde_json::from_str(r#"{"one":"22.42","maybe":null}"#).unwrap();
        assert_eq!(amounts.one.to_string(), "22.42");
        assert_eq!(amounts.maybe, None);
        assert!(amounts.many.is_empty());
    }

    #[test]
    fn what_cannot_be_exact_is_an_error_that_does_not_echo_it() {
        for json in [
            r#"{"one":123456789012345678901234567890.5}"#,
            r#"{"one":"12x"}"#,
            r#"{"one":true}"#,
        ] {
            let error = serde_json::from_str::<Amounts>(json)
                .unwrap_err()
                .to_string();
            assert!(
                !error.contains("12x") && !error.contains("1234567890"),
                "{error}"
            );
        }
    }

    /// Decoding buffered by serde (a flattened field, an untagged enum) has no
    /// raw values: each kind of number arrives on its own path.
    #[test]
    fn buffered_decoding_reads_every_kind_of_number() {
        #[derive(Debug, serde::Deserialize)]
        struct Buffered {
            #[serde(flatten)]
            amounts: Amounts,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Amounts {
            #[serde(with = "super")]
            one: Decimal,
            #[serde(with = "super", default)]
            by_key: BTreeMap<String, Decimal>,
        }
        let json = r#"{"one": 22.42, "by_key": {"u": 7, "i": -7, "s": "0.10"}}"#;
        let amounts = serde_json::from_str::<Buffered>(json).unwrap().amounts;
        assert_eq!(amounts.one.to_string(), "22.42");
        let by_key: Vec<String> = amounts.by_key.values().map(|d| d.to_string()).collect();
        assert_eq!(by_key, ["-7", "0.10", "7"]);
        for (json, expected) in [
            (
                r#"{"one": true}"#,
                "invalid type: boolean `true`, expected a decimal number",
            ),
            (
                r#"{"one": {"x": "1.5"}}"#,
                "invalid type: map, expected a decimal number",
            ),
            (
                r#"{"one": {"$serde_json::private::RawValue": 5}}"#,
                "expected a decimal number as JSON text",
            ),
        ] {
            let error = serde_json::from_str::<Buffered>(json)
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{json}: {error}");
        }
    }

    #[test]
    fn a_value_built_beforehand_decodes_through_its_f64() {
        let value = serde_json::json!({"one": 22.42});
        let amounts: Amounts = serde_json::from_value(value).unwrap();
        assert_eq!(amounts.one.to_string(), "22.42");
    }
}
