//! How `#[paygen::model]` structs decode: from an object only, with serde's
//! meaning of every attribute. Most structs get paygen's own map visitor; one
//! whose serde attributes ask for more gets serde's derive. Both are held to
//! what a plain serde derive of the same declaration decodes (a property
//! test over objects with renamed, aliased, unknown, repeated and missing
//! keys), except that neither reads a list of fields by position.

use paygen::Decimal;
use proptest::prelude::*;
use serde::Deserialize;

/// The shapes paygen's visitor reads: renamed, aliased, defaulted, optional
/// and decimal fields, under a `rename_all` rule.
#[paygen::model]
#[serde(rename_all = "camelCase")]
pub struct Transfer {
    pub account_id: String,
    #[serde(rename = "amt")]
    pub amount: i64,
    #[serde(alias = "fee_amount")]
    pub fee: Option<i64>,
    #[serde(default)]
    pub on_hold: bool,
    pub rate: Decimal,
    pub cap: Option<Decimal>,
    pub notes: Option<Vec<String>>,
}

/// The same declaration under serde's plain derive: the reference.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainTransfer {
    account_id: String,
    #[serde(rename = "amt")]
    amount: i64,
    #[serde(alias = "fee_amount", default)]
    fee: Option<i64>,
    #[serde(default)]
    on_hold: bool,
    #[serde(with = "paygen::__private::decimal")]
    rate: Decimal,
    #[serde(default, with = "paygen::__private::decimal")]
    cap: Option<Decimal>,
    #[serde(default)]
    notes: Option<Vec<String>>,
}

impl From<Transfer> for PlainTransfer {
    fn from(t: Transfer) -> Self {
        PlainTransfer {
            account_id: t.account_id,
            amount: t.amount,
            fee: t.fee,
            on_hold: t.on_hold,
            rate: t.rate,
            cap: t.cap,
            notes: t.notes,
        }
    }
}

/// A struct with an attribute paygen's visitor does not read, so serde's
/// derive reads it (called so that it too takes an object only).
#[paygen::model]
#[serde(deny_unknown_fields)]
pub struct Strict {
    pub id: String,
    pub count: Option<i64>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainStrict {
    id: String,
    #[serde(default)]
    count: Option<i64>,
}

impl From<Strict> for PlainStrict {
    fn from(s: Strict) -> Self {
        PlainStrict {
            id: s.id,
            count: s.count,
        }
    }
}

/// The outcome of decoding `text` as `T`, as `R`, errors with the type's
/// name taken out (each type names itself in "expected struct ...").
fn outcome<'a, T, R>(text: &'a str, name: &str) -> Result<R, String>
where
    T: Deserialize<'a>,
    R: From<T>,
{
    serde_json::from_str::<T>(text)
        .map(R::from)
        .map_err(|e| e.to_string().replace(name, "_"))
}

#[test]
fn fields_are_read_as_serde_reads_them() {
    let text = r#"{"accountId": "acc_1", "amt": 5000, "fee_amount": 12, "rate": "1.25",
        "unknown": {"deep": [1, 2]}, "notes": ["a"]}"#;
    let transfer: Transfer = serde_json::from_str(text).unwrap();
    assert_eq!(transfer.account_id, "acc_1");
    assert_eq!(transfer.amount, 5000);
    assert_eq!(transfer.fee, Some(12), "read by its alias");
    assert!(!transfer.on_hold, "defaulted");
    assert_eq!(transfer.rate, Decimal::new(125, 2));
    assert_eq!(transfer.cap, None);
    assert_eq!(transfer.notes.as_deref(), Some(&["a".to_owned()][..]));
}

#[test]
fn a_missing_or_repeated_field_is_named() {
    let missing = serde_json::from_str::<Transfer>(r#"{"accountId": "a", "rate": 1}"#);
    assert_eq!(
        missing.unwrap_err().to_string(),
        "missing field `amt` at line 1 column 29"
    );
    let no_rate = serde_json::from_str::<Transfer>(r#"{"accountId": "a", "amt": 1}"#);
    assert!(no_rate
        .unwrap_err()
        .to_string()
        .starts_with("missing field `rate`"));
    let twice = serde_json::from_str::<Transfer>(r#"{"amt": 1, "amt": 2}"#);
    assert!(twice
        .unwrap_err()
        .to_string()
        .starts_with("duplicate field `amt`"));
    // An alias and the name are one field.
    let both = serde_json::from_str::<Transfer>(r#"{"fee": 1, "fee_amount": 2}"#);
    assert!(both
        .unwrap_err()
        .to_string()
        .starts_with("duplicate field `fee`"));
}

#[test]
fn neither_reads_a_list_of_fields_by_position() {
    let list = r#"["acc_1", 5000, null, false, "1.25", null, null]"#;
    let ours = serde_json::from_str::<Transfer>(list)
        .unwrap_err()
        .to_string();
    assert!(
        ours.starts_with("invalid type: sequence, expected struct Transfer"),
        "{ours}"
    );
    assert!(
        serde_json::from_str::<PlainTransfer>(list).is_ok(),
        "serde's derive would read it"
    );
    let strict = serde_json::from_str::<Strict>(r#"["s_1", 2]"#)
        .unwrap_err()
        .to_string();
    assert!(
        strict.starts_with("invalid type: sequence, expected struct Strict"),
        "{strict}"
    );
}

#[test]
fn another_attribute_keeps_serdes_meaning() {
    let unknown = serde_json::from_str::<Strict>(r#"{"id": "s_1", "other": 1}"#);
    assert!(unknown
        .unwrap_err()
        .to_string()
        .starts_with("unknown field `other`"));
    let strict: Strict = serde_json::from_str(r#"{"id": "s_1"}"#).unwrap();
    assert_eq!((strict.id.as_str(), strict.count), ("s_1", None));
}

/// Object text from keys, each with a value: keys repeat, go missing and
/// include ones the struct does not have.
fn object(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("\"1.50\"".to_owned()),
        Just("[\"x\", \"y\"]".to_owned()),
        Just("{\"k\": [1]}".to_owned()),
        (-1_000_i64..1_000).prop_map(|n| n.to_string()),
        (0_u32..10_000).prop_map(|n| format!("{}.{:02}", n / 100, n % 100)),
        "[a-z]{0,4}".prop_map(|s| format!("\"{s}\"")),
    ];
    prop::collection::vec((prop::sample::select(keys), value), 0..9).prop_map(|pairs| {
        let members: Vec<String> = pairs
            .into_iter()
            .map(|(key, value)| format!("\"{key}\": {value}"))
            .collect();
        format!("{{{}}}", members.join(", "))
    })
}

const TRANSFER_KEYS: &[&str] = &[
    "accountId",
    "amt",
    "fee",
    "fee_amount",
    "onHold",
    "rate",
    "cap",
    "notes",
    "account_id",
    "amount",
    "other",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn paygens_visitor_decodes_as_serdes_derive(text in object(TRANSFER_KEYS)) {
        prop_assert_eq!(
            outcome::<Transfer, PlainTransfer>(&text, "Transfer"),
            outcome::<PlainTransfer, PlainTransfer>(&text, "PlainTransfer")
        );
    }

    #[test]
    fn serdes_derive_decodes_as_serdes_derive(text in object(&["id", "count", "other"])) {
        prop_assert_eq!(
            outcome::<Strict, PlainStrict>(&text, "Strict"),
            outcome::<PlainStrict, PlainStrict>(&text, "PlainStrict")
        );
    }
}
