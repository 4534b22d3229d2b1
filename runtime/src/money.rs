//! Money between the gateways' two conventions: Razorpay counts integer minor
//! units (paise), Cashfree and Juspay send decimals in the main unit (rupees).
//! Conversions are exact or an error, never rounded and never through `f64`.
//!
//! Decimal amounts decode exactly: a JSON number such as `22.42` reaches
//! `Decimal` through its shortest decimal form, which is the number as written
//! for amounts of up to 15 significant digits (one trillion rupees and paise).

use rust_decimal::Decimal;

/// ISO 4217 minor-unit exponents of the currencies the gateways settle in or
/// accept for international payments. Currencies not listed are an error
/// rather than a guess.
const EXPONENTS: &[(&str, u32)] = &[
    ("AED", 2),
    ("AUD", 2),
    ("BHD", 3),
    ("CAD", 2),
    ("CHF", 2),
    ("CNY", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("IDR", 2),
    ("INR", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LKR", 2),
    ("MYR", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PHP", 2),
    ("QAR", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("USD", 2),
    ("VND", 0),
    ("ZAR", 2),
];

/// Why an amount could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The currency is not in paygen's table of minor units.
    #[error("unknown currency `{0}`: paygen does not know its minor unit")]
    UnknownCurrency(String),
    /// The amount has more decimal places than the currency has minor units.
    #[error("{amount} {currency} has more than {exponent} decimal places")]
    TooPrecise {
        /// The amount given.
        amount: Decimal,
        /// Its currency.
        currency: String,
        /// The currency's decimal places.
        exponent: u32,
    },
    /// The amount does not fit the target type.
    #[error("{0} is out of range")]
    OutOfRange(String),
}

/// The number of decimal places of `currency`'s minor unit (2 for INR).
pub fn minor_unit_exponent(currency: &str) -> Result<u32, MoneyError> {
    EXPONENTS
        .binary_search_by(|(code, _)| (*code).cmp(currency))
        .map(|i| EXPONENTS[i].1)
        .map_err(|_| MoneyError::UnknownCurrency(currency.to_owned()))
}

/// Minor units to the main unit: `29935` paise is `299.35` rupees.
pub fn to_major_units(minor: i64, currency: &str) -> Result<Decimal, MoneyError> {
    let exponent = minor_unit_exponent(currency)?;
    let mut amount = Decimal::from(minor);
    amount
        .set_scale(exponent)
        .map_err(|_| MoneyError::OutOfRange(minor.to_string()))?;
    Ok(amount)
}

/// The main unit to minor units: `299.35` rupees is `29935` paise, and
/// `299.355` rupees is an error, not a rounding.
pub fn to_minor_units(major: Decimal, currency: &str) -> Result<i64, MoneyError> {
    let exponent = minor_unit_exponent(currency)?;
    let normalized = major.normalize();
    if normalized.scale() > exponent {
        return Err(MoneyError::TooPrecise {
            amount: major,
            currency: currency.to_owned(),
            exponent,
        });
    }
    let scaled = major
        .checked_mul(Decimal::from(10_i64.pow(exponent)))
        .ok_or_else(|| MoneyError::OutOfRange(major.to_string()))?;
    i64::try_from(scaled.normalize()).map_err(|_| MoneyError::OutOfRange(major.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(EXPONENTS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn conversions_are_exact_both_ways() {
        assert_eq!(to_major_units(29935, "INR").unwrap(), dec("299.35"));
        assert_eq!(to_major_units(100, "INR").unwrap().to_string(), "1.00");
        assert_eq!(to_minor_units(dec("299.35"), "INR").unwrap(), 29935);
        assert_eq!(to_minor_units(dec("1.0"), "INR").unwrap(), 100);
        assert_eq!(to_minor_units(dec("500"), "JPY").unwrap(), 500);
        assert_eq!(to_minor_units(dec("1.234"), "KWD").unwrap(), 1234);
        assert_eq!(to_major_units(1234, "KWD").unwrap(), dec("1.234"));
    }

    #[test]
    fn conversions_never_round() {
        assert!(matches!(
            to_minor_units(dec("299.355"), "INR"),
            Err(MoneyError::TooPrecise { exponent: 2, .. })
        ));
        assert!(matches!(
            to_minor_units(dec("1.5"), "JPY"),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert!(matches!(
            to_minor_units(dec("99999999999999999999"), "INR"),
            Err(MoneyError::OutOfRange(_))
        ));
        assert_eq!(
            to_minor_units(dec("1"), "XYZ"),
            Err(MoneyError::UnknownCurrency("XYZ".into()))
        );
    }

    #[test]
    fn json_amounts_decode_exactly() {
        for text in [
            "22.42",
            "1.75",
            "0.1",
            "0.3",
            "299.35",
            "9999999999999.99",
            "100",
        ] {
            let amount: Decimal = serde_json::from_str(text).unwrap();
            assert_eq!(amount, dec(text), "{text}");
            assert_eq!(amount.to_string(), text);
        }
    }
}
