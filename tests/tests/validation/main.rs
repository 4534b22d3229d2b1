//! The derive's validation rules, one section per rule: inputs that pass, and a
//! snapshot of each failing input with its report.

use std::collections::BTreeMap;

use insta::assert_snapshot;
use paygen::{Code, Validate, Wire};
use paygen_tests::validation_snapshot;
use serde::Serialize;

fn codes<T: Validate>(value: &T) -> Vec<(String, Code)> {
    match value.validate() {
        Ok(()) => Vec::new(),
        Err(report) => report.iter().map(|v| (v.path.clone(), v.code)).collect(),
    }
}

// ---------------------------------------------------------------- required

#[derive(Serialize, Wire)]
struct Customer {
    #[paygen(required)]
    name: String,
    #[paygen(required)]
    email: Option<String>,
    #[paygen(required)]
    age: Option<u8>,
}

#[test]
fn required_passes_when_present_and_non_empty() {
    let ok = Customer {
        name: "John Smith".into(),
        email: Some("john.smith@example.com".into()),
        age: Some(0),
    };
    assert!(ok.validate().is_ok());
}

#[test]
fn required_reports_missing_and_empty() {
    let bad = Customer {
        name: String::new(),
        email: Some(String::new()),
        age: None,
    };
    assert_snapshot!(validation_snapshot(&bad));
}

// ---------------------------------------------------------------- length

#[derive(Serialize, Wire)]
struct Lengths {
    #[paygen(length(equal = 3))]
    currency: String,
    #[paygen(length(max = 40))]
    receipt: Option<String>,
    #[paygen(length(min = 2, max = 5))]
    code: String,
}

#[test]
fn length_counts_characters_not_bytes() {
    // "₹₹₹" is 3 characters and 9 bytes; "₹₹₹₹₹" is 5 characters.
    let ok = Lengths {
        currency: "₹₹₹".into(),
        receipt: Some("r".repeat(40)),
        code: "₹₹₹₹₹".into(),
    };
    assert!(ok.validate().is_ok());
    let none = Lengths {
        receipt: None,
        ..ok
    };
    assert!(none.validate().is_ok());
}

#[test]
fn length_reports_each_bound() {
    let bad = Lengths {
        currency: "RUPEE".into(),
        receipt: Some("receipt#".repeat(5) + "!"),
        code: "x".into(),
    };
    assert_snapshot!(validation_snapshot(&bad));
    let too_long = Lengths {
        currency: "INR".into(),
        receipt: None,
        code: "abcdef".into(),
    };
    assert_eq!(codes(&too_long), [("code".to_owned(), Code::Length)]);
}

// ---------------------------------------------------------------- range

#[derive(Serialize, Wire)]
struct Ranges {
    #[paygen(range(min = 100))]
    amount: i64,
    #[paygen(range(min = 12, max = 7200))]
    expiry_minutes: Option<u32>,
    #[paygen(range(exclusive_min = 0, exclusive_max = 100))]
    percent: u8,
    #[paygen(range(min = -720, max = 840))]
    timezone_offset: i32,
}

#[test]
fn range_passes_on_inclusive_bounds() {
    let ok = Ranges {
        amount: 100,
        expiry_minutes: Some(7200),
        percent: 99,
        timezone_offset: -720,
    };
    assert!(ok.validate().is_ok());
}

#[test]
fn range_reports_inclusive_and_exclusive_bounds() {
    let bad = Ranges {
        amount: 99,
        expiry_minutes: Some(7201),
        percent: 0,
        timezone_offset: 841,
    };
    assert_snapshot!(validation_snapshot(&bad));
    let low = Ranges {
        amount: 100,
        expiry_minutes: Some(11),
        percent: 100,
        timezone_offset: -721,
    };
    assert_eq!(
        codes(&low),
        [
            ("expiry_minutes".to_owned(), Code::Range),
            ("percent".to_owned(), Code::Range),
            ("timezone_offset".to_owned(), Code::Range),
        ]
    );
}

#[derive(Serialize, Wire)]
struct Amounts {
    #[paygen(range(min = 0.01, max = 100000))]
    amount: paygen::Decimal,
    #[paygen(range(exclusive_min = 0, exclusive_max = 99.995))]
    share: Option<paygen::Decimal>,
}

fn decimal(digits: &str) -> paygen::Decimal {
    digits.parse().unwrap()
}

#[test]
fn decimal_bounds_are_exact_decimals_not_floats() {
    let at_the_bounds = Amounts {
        amount: decimal("0.01"),
        share: Some(decimal("99.994")),
    };
    assert!(at_the_bounds.validate().is_ok());
    let top = Amounts {
        amount: decimal("100000.00"),
        share: Some(decimal("0.001")),
    };
    assert!(top.validate().is_ok());
    // 0.0099999 is below 0.01, though as floats they would print alike.
    let below = Amounts {
        amount: decimal("0.0099999"),
        share: Some(decimal("99.995")),
    };
    assert_eq!(
        codes(&below),
        [
            ("amount".to_owned(), Code::Range),
            ("share".to_owned(), Code::Range),
        ]
    );
    let over = Amounts {
        amount: decimal("100000.01"),
        share: Some(decimal("0")),
    };
    assert_snapshot!(validation_snapshot(&over));
}

// ---------------------------------------------------------------- one_of

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RefundSpeed {
    Normal,
    Optimum,
    #[serde(rename = "instant")]
    Instant,
}

#[derive(Serialize, Wire)]
struct Enums {
    #[paygen(one_of("android", "web", "ios"))]
    platform: String,
    #[paygen(one_of("normal", "optimum"))]
    refund_speed: RefundSpeed,
    #[paygen(one_of(1, 2, 3))]
    tier: Option<u8>,
    #[paygen(one_of(true))]
    accepted: bool,
}

#[test]
fn one_of_matches_wire_values() {
    let ok = Enums {
        platform: "web".into(),
        refund_speed: RefundSpeed::Optimum,
        tier: Some(3),
        accepted: true,
    };
    assert!(ok.validate().is_ok());
}

#[test]
fn one_of_reports_values_outside_the_set() {
    let bad = Enums {
        platform: "Web".into(),
        refund_speed: RefundSpeed::Instant,
        tier: Some(4),
        accepted: false,
    };
    assert_snapshot!(validation_snapshot(&bad));
    let speed_only = Enums {
        platform: "ios".into(),
        refund_speed: RefundSpeed::Normal,
        tier: None,
        accepted: true,
    };
    assert!(speed_only.validate().is_ok());
}

// ---------------------------------------------------------------- pattern

#[derive(Serialize, Wire)]
struct Patterns {
    #[paygen(pattern = "^[0-9]{2}$")]
    expiry_month: String,
    #[paygen(pattern = "^cust_[A-Za-z0-9]{14}$")]
    customer_id: Option<String>,
}

#[test]
fn pattern_passes_on_match() {
    let ok = Patterns {
        expiry_month: "11".into(),
        customer_id: Some("cust_E9penp7VGhT5yt".into()),
    };
    assert!(ok.validate().is_ok());
}

#[test]
fn pattern_reports_mismatch() {
    let bad = Patterns {
        expiry_month: "1".into(),
        customer_id: Some("E9penp7VGhT5yt".into()),
    };
    assert_snapshot!(validation_snapshot(&bad));
}

// ---------------------------------------------------------------- count and each

#[derive(Serialize, Wire)]
struct Collections {
    /// Razorpay `notes`: at most 15 pairs of at most 256 characters.
    #[paygen(count(max = 15), each(length(max = 256)))]
    notes: BTreeMap<String, String>,
    #[paygen(count(min = 1, max = 3), each(range(min = 1)))]
    amounts: Vec<i64>,
    #[paygen(each(one_of("card", "upi")))]
    methods: Option<Vec<String>>,
}

fn notes(n: usize, value_len: usize) -> BTreeMap<String, String> {
    (1..=n)
        .map(|i| (format!("key{i:02}"), "v".repeat(value_len)))
        .collect()
}

#[test]
fn count_and_each_pass_at_the_limits() {
    let ok = Collections {
        notes: notes(15, 256),
        amounts: vec![1, 2, 3],
        methods: Some(vec!["upi".into()]),
    };
    assert!(ok.validate().is_ok());
}

#[test]
fn count_and_each_report_with_keys_and_indices() {
    let mut many = notes(16, 1);
    many.insert("key03".into(), "v".repeat(257));
    let bad = Collections {
        notes: many,
        amounts: vec![5, 0, -1, 7],
        methods: Some(vec!["card".into(), "wallet".into()]),
    };
    assert_snapshot!(validation_snapshot(&bad));
    let empty = Collections {
        notes: BTreeMap::new(),
        amounts: Vec::new(),
        methods: None,
    };
    assert_eq!(codes(&empty), [("amounts".to_owned(), Code::Count)]);
}

// ---------------------------------------------------------------- nested

#[derive(Serialize, Wire)]
struct Card {
    #[paygen(required, length(min = 12, max = 19))]
    number: String,
    #[paygen(pattern = "^(0[1-9]|1[0-2])$")]
    expiry_month: String,
}

#[derive(Serialize, Wire)]
struct Item {
    #[paygen(required)]
    name: String,
}

#[derive(Serialize, Wire)]
struct PaymentDetails {
    #[paygen(nested)]
    card: Option<Card>,
    #[paygen(nested)]
    items: Vec<Item>,
    #[paygen(nested)]
    by_key: BTreeMap<String, Item>,
}

#[derive(Serialize, Wire)]
#[paygen(body = "json")]
struct Checkout {
    #[paygen(nested)]
    payment: PaymentDetails,
}

#[test]
fn nested_structs_and_items_carry_their_path() {
    let bad = Checkout {
        payment: PaymentDetails {
            card: Some(Card {
                number: "4111".into(),
                expiry_month: "13".into(),
            }),
            items: vec![
                Item { name: "ok".into() },
                Item {
                    name: String::new(),
                },
            ],
            by_key: BTreeMap::from([(
                "gift".to_owned(),
                Item {
                    name: String::new(),
                },
            )]),
        },
    };
    assert_snapshot!(validation_snapshot(&bad));
    let ok = Checkout {
        payment: PaymentDetails {
            card: None,
            items: Vec::new(),
            by_key: BTreeMap::new(),
        },
    };
    assert!(ok.validate().is_ok());
}

mod between_fields;

// ---------------------------------------------------------------- every violation, in order

/// Juspay's `sdk_pg_params`, whose wire names are camelCase.
#[derive(Serialize, Wire)]
#[serde(rename_all = "camelCase")]
struct SdkPgParams {
    #[paygen(one_of("android", "web", "ios"))]
    platform: String,
    #[paygen(required, pattern = "^\\+[0-9]{1,3}$")]
    country_code: String,
    #[serde(rename = "phoneNumber")]
    #[paygen(required)]
    phone: String,
}

#[derive(Serialize, Wire)]
#[paygen(body = "form")]
#[paygen(required_if(field = "customer_id", when = "sdk_pg_params.phone"))]
struct Txn {
    #[paygen(required)]
    order_id: String,
    #[paygen(nested, json_in_form)]
    sdk_pg_params: SdkPgParams,
    customer_id: Option<String>,
}

#[test]
fn every_violation_is_reported_in_declaration_order_with_wire_names() {
    let bad = Txn {
        order_id: String::new(),
        sdk_pg_params: SdkPgParams {
            platform: "desktop".into(),
            country_code: "91".into(),
            phone: "enc-abc".into(),
        },
        customer_id: None,
    };
    let report = bad.validate().unwrap_err();
    assert_eq!(report.len(), 4);
    assert_snapshot!(validation_snapshot(&bad));
}

#[test]
fn the_report_is_usable_as_an_error() {
    let bad = Customer {
        name: String::new(),
        email: None,
        age: None,
    };
    let error: Box<dyn std::error::Error> = Box::new(bad.validate().unwrap_err());
    assert_eq!(
        error.to_string(),
        "name: must not be empty [required]\nemail: is required [required]\nage: is required [required]"
    );
    let report = bad.validate().unwrap_err();
    let first = &report.violations()[0];
    assert_eq!(
        (first.path.as_str(), first.code.as_str()),
        ("name", "required")
    );
    assert_eq!(first.param("max"), None);
}
