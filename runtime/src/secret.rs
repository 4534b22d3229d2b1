//! Values that must not leak: secrets, card numbers and personal data. Their
//! `Debug` and `Display` never show the value, they are zeroized on drop,
//! they compare in constant time, and they serialize to the wire only inside
//! paygen's encoders (anywhere else, such as a log line, they serialize masked).

use std::cell::Cell;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::rules::Text;
use super::validate::{Code, Param, Path, Validate, ValidationReport};

thread_local! {
    /// How many encoders are running on this thread; secrets show only then.
    static EXPOSED: Cell<u32> = const { Cell::new(0) };
}

/// Runs `encode` with secrets exposed to serialization on this thread.
/// Encoders are synchronous, so the exposure cannot outlive the call.
pub(crate) fn exposing<R>(encode: impl FnOnce() -> R) -> R {
    struct Guard;
    impl Drop for Guard {
        fn drop(&mut self) {
            EXPOSED.with(|n| n.set(n.get() - 1));
        }
    }
    EXPOSED.with(|n| n.set(n.get() + 1));
    let _guard = Guard;
    encode()
}

pub(crate) fn is_exposed() -> bool {
    EXPOSED.with(|n| n.get() > 0)
}

const MASK: &str = "***";

/// A secret or personal value (CVV, expiry, phone number, account number).
#[derive(Clone, Default)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The value itself. Name the call site for what it does with it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({MASK})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if is_exposed() { &self.0 } else { MASK })
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

impl Text for Secret {
    fn text(&self) -> &str {
        &self.0
    }
}

impl Validate for Secret {
    fn validate_into(&self, _: &Path<'_>, _: &mut ValidationReport) {}
}

/// A card number. Spaces and dashes are removed on the way in (`4916 3338
/// 9663 2957` is sent as `4916333896632957`); `Debug` and `Display` show the
/// last four digits only; validation checks digits, length 12 to 19 and the
/// Luhn checksum.
#[derive(Clone, Default)]
pub struct CardNumber(Zeroizing<String>);

impl CardNumber {
    /// The number, without the spaces and dashes people write in it.
    pub fn new(number: impl Into<String>) -> Self {
        // In place: no second buffer, and the one buffer is zeroed on drop,
        // spare capacity included.
        let mut number = Zeroizing::new(number.into());
        number.retain(|c| !matches!(c, ' ' | '-'));
        CardNumber(number)
    }

    /// The digits.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters, which may be shown to people.
    pub fn last_four(&self) -> &str {
        let n = self.0.len();
        self.0.get(n.saturating_sub(4)..).unwrap_or("")
    }

    fn masked(&self) -> String {
        format!("**** {}", self.last_four())
    }
}

/// The Luhn checksum of a string of ASCII digits.
fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

impl From<String> for CardNumber {
    fn from(value: String) -> Self {
        CardNumber::new(value)
    }
}

impl From<&str> for CardNumber {
    fn from(value: &str) -> Self {
        CardNumber::new(value)
    }
}

impl PartialEq for CardNumber {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for CardNumber {}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber({})", self.masked())
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl Serialize for CardNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if is_exposed() {
            serializer.serialize_str(&self.0)
        } else {
            serializer.serialize_str(&self.masked())
        }
    }
}

impl<'de> Deserialize<'de> for CardNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(CardNumber::new)
    }
}

impl Validate for CardNumber {
    fn validate_into(&self, path: &Path<'_>, report: &mut ValidationReport) {
        let number = &*self.0;
        let format = |rule: &'static str| {
            vec![Param {
                name: "rule",
                value: serde_json::Value::from(rule),
            }]
        };
        if number.is_empty() {
            report.push(path, Code::Required, "must not be empty", Vec::new());
        } else if !number.bytes().all(|b| b.is_ascii_digit()) {
            report.push(
                path,
                Code::Format,
                "must contain only digits, spaces and dashes",
                format("digits"),
            );
        } else if !(12..=19).contains(&number.len()) {
            report.push(
                path,
                Code::Format,
                format!("must have 12 to 19 digits (got {})", number.len()),
                format("length"),
            );
        } else if !luhn(number) {
            report.push(
                path,
                Code::Format,
                "is not a valid card number (Luhn check failed)",
                format("luhn"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_real_test_numbers_only() {
        assert!(luhn("4111111111111111"));
        assert!(luhn("4916333896632957"));
        assert!(!luhn("4111111111111112"));
    }

    #[test]
    fn secrets_serialize_only_inside_an_encoder() {
        let cvv = Secret::new("123");
        assert_eq!(serde_json::to_string(&cvv).unwrap(), r#""***""#);
        assert_eq!(
            exposing(|| serde_json::to_string(&cvv).unwrap()),
            r#""123""#
        );
        assert_eq!(serde_json::to_string(&cvv).unwrap(), r#""***""#);
        let card = CardNumber::new("4916 3338-9663 2957");
        assert_eq!(format!("{card:?}"), "CardNumber(**** 2957)");
        assert_eq!(
            exposing(|| serde_json::to_string(&card).unwrap()),
            r#""4916333896632957""#
        );
    }
}
