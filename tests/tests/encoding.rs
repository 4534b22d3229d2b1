//! The exact bytes each body encoding produces: JSON, flat form, JSON inside a
//! form field, and bracketed form keys, including characters that must be escaped.

use std::collections::BTreeMap;

use insta::assert_snapshot;
use paygen::{BodyEncoding, RequestBody, Wire};
use paygen_tests::form_snapshot;
use serde::Serialize;

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("bodies are UTF-8")
}

// ---------------------------------------------------------------- JSON

#[derive(Serialize, Wire)]
#[paygen(body = "json")]
struct CreateOrder {
    amount: i64,
    currency: String,
    receipt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_payment: Option<bool>,
    notes: BTreeMap<String, String>,
    app_offer: bool,
}

#[test]
fn json_body_is_serde_json_bytes() {
    let order = CreateOrder {
        amount: 1000,
        currency: "INR".into(),
        receipt: "receipt#1 & \"quoted\" ₹".into(),
        partial_payment: None,
        notes: BTreeMap::from([
            ("key1".to_owned(), "value3".to_owned()),
            ("key2".to_owned(), "value2".to_owned()),
        ]),
        app_offer: true,
    };
    assert_eq!(CreateOrder::ENCODING, BodyEncoding::Json);
    assert_eq!(order.content_type(), "application/json");
    let body = order.encode_body().unwrap();
    assert_eq!(body, serde_json::to_vec(&order).unwrap());
    assert_snapshot!(text(&body));
}

#[test]
fn encode_body_into_appends_to_a_reused_buffer() {
    let order = CreateOrder {
        amount: 1,
        currency: "INR".into(),
        receipt: "r".into(),
        partial_payment: Some(false),
        notes: BTreeMap::new(),
        app_offer: false,
    };
    let mut buffer = Vec::with_capacity(128);
    order.encode_body_into(&mut buffer).unwrap();
    let first = buffer.len();
    buffer.clear();
    order.encode_body_into(&mut buffer).unwrap();
    assert_eq!(buffer.len(), first);
    assert_eq!(
        text(&buffer),
        r#"{"amount":1,"currency":"INR","receipt":"r","partial_payment":false,"notes":{},"app_offer":false}"#
    );
}

// ---------------------------------------------------------------- flat form

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum PaymentMethodType {
    Wallet,
}

#[derive(Serialize, Wire)]
#[paygen(body = "form")]
struct Eligibility {
    merchant_id: String,
    amount: Option<String>,
    customer_id: Option<String>,
    payment_method_type: PaymentMethodType,
    sdk_params: bool,
    attempt: u32,
}

#[test]
fn flat_form_omits_none_and_writes_booleans_and_variants() {
    let request = Eligibility {
        merchant_id: "Symbol".into(),
        amount: Some("100.00".into()),
        customer_id: None,
        payment_method_type: PaymentMethodType::Wallet,
        sdk_params: true,
        attempt: 17,
    };
    assert_eq!(request.content_type(), "application/x-www-form-urlencoded");
    let body = request.encode_body().unwrap();
    assert_eq!(
        text(&body),
        "merchant_id=Symbol&amount=100.00&payment_method_type=WALLET&sdk_params=true&attempt=17"
    );
}

#[derive(Serialize, Wire)]
#[paygen(body = "form")]
struct Escapes {
    ampersand: String,
    equals: String,
    plus: String,
    space: String,
    non_ascii: String,
    #[serde(rename = "odd key&=")]
    odd_key: String,
}

#[test]
fn form_escapes_reserved_and_non_ascii_characters() {
    let request = Escapes {
        ampersand: "a&b".into(),
        equals: "a=b".into(),
        plus: "+91 99009 88990".into(),
        space: "John Smith".into(),
        non_ascii: "₹299.35 café".into(),
        odd_key: "x".into(),
    };
    assert_snapshot!(form_snapshot(&request.encode_body().unwrap()));
}

// ---------------------------------------------------------------- JSON inside a form field

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SdkPgParams {
    platform: String,
    os: String,
    device: String,
    country_code: String,
    phone_number: String,
    cred_app_present: bool,
    metadata: BTreeMap<String, String>,
}

/// Juspay's `/txns` request as the page's curl example sends it.
#[derive(Serialize, Wire)]
#[paygen(body = "form")]
struct Txns {
    order_id: String,
    merchant_id: String,
    payment_method_type: String,
    payment_method: String,
    redirect_after_payment: bool,
    format: String,
    sdk_params: bool,
    #[paygen(json_in_form)]
    sdk_pg_params: SdkPgParams,
    #[paygen(json_in_form)]
    absent_json: Option<SdkPgParams>,
}

#[test]
fn json_in_form_sends_one_percent_encoded_json_object() {
    let request = Txns {
        order_id: "test_1610009874".into(),
        merchant_id: "Symbol".into(),
        payment_method_type: "WALLET".into(),
        payment_method: "CRED".into(),
        redirect_after_payment: true,
        format: "json".into(),
        sdk_params: true,
        sdk_pg_params: SdkPgParams {
            platform: "web".into(),
            os: "macOS".into(),
            device: "desktop".into(),
            country_code: "+91".into(),
            phone_number: "enc-<encrypted phonenumber>".into(),
            cred_app_present: false,
            metadata: BTreeMap::from([
                ("abc".to_owned(), "123".to_owned()),
                ("def".to_owned(), "456".to_owned()),
            ]),
        },
        absent_json: None,
    };
    let body = request.encode_body().unwrap();
    assert_snapshot!(form_snapshot(&body));

    // The field decodes back to the JSON object serde_json writes.
    let pairs: BTreeMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let params: serde_json::Value = serde_json::from_str(&pairs["sdk_pg_params"]).unwrap();
    assert_eq!(
        params,
        serde_json::to_value(&request.sdk_pg_params).unwrap()
    );
    assert!(!pairs.contains_key("absent_json"));
}

// ---------------------------------------------------------------- bracketed form keys

#[derive(Serialize)]
struct Card {
    number: String,
    expiry_month: String,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Method {
    Card,
}

#[derive(Serialize)]
struct Payment {
    method: Method,
    card: Card,
    billing_address: Option<Card>,
}

#[derive(Serialize)]
struct Product {
    name: String,
    quantity: u32,
}

#[derive(Serialize, Wire)]
#[paygen(body = "form")]
struct NestedOrder {
    amount: i64,
    notes: BTreeMap<String, String>,
    payment: Payment,
    products: Vec<Product>,
    tags: Vec<String>,
    empty: Vec<String>,
}

#[test]
fn nested_values_use_bracketed_keys() {
    let request = NestedOrder {
        amount: 50000,
        notes: BTreeMap::from([
            ("key1".to_owned(), "value3".to_owned()),
            ("note key&".to_owned(), "a=b c".to_owned()),
        ]),
        payment: Payment {
            method: Method::Card,
            card: Card {
                number: "4916333896632957".into(),
                expiry_month: "11".into(),
            },
            billing_address: None,
        },
        products: vec![
            Product {
                name: "Beam".into(),
                quantity: 1,
            },
            Product {
                name: "Scotty".into(),
                quantity: 2,
            },
        ],
        tags: vec!["a".into(), "b".into()],
        empty: Vec::new(),
    };
    let body = request.encode_body().unwrap();
    assert_snapshot!(form_snapshot(&body));
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    assert!(pairs.contains(&("notes[note key&]".to_owned(), "a=b c".to_owned())));
}

// ---------------------------------------------------------------- what a form cannot carry

#[test]
fn form_errors_are_errors_not_panics() {
    #[derive(Serialize, Wire)]
    #[paygen(body = "form")]
    struct WithFloat {
        rate: f64,
    }
    let err = WithFloat { rate: f64::NAN }.encode_body().unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot form-encode this value: a number must be finite"
    );

    #[derive(Serialize, Wire)]
    #[paygen(body = "form")]
    struct WithBytes<'a> {
        #[serde(with = "serde_bytes_like")]
        raw: &'a [u8],
    }
    mod serde_bytes_like {
        pub fn serialize<S: serde::Serializer>(v: &&[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }
    let err = WithBytes { raw: b"x" }.encode_body().unwrap_err();
    assert!(err.to_string().contains("raw bytes"), "{err}");
}

#[test]
fn map_keys_a_bracket_aware_parser_would_misread_are_refused() {
    #[derive(Serialize, Wire)]
    #[paygen(body = "form")]
    struct WithNotes {
        notes: std::collections::BTreeMap<String, String>,
    }
    for key in ["", "]", "a[b]", "[0]"] {
        let notes = [(key.to_owned(), "v".to_owned())].into_iter().collect();
        let err = WithNotes { notes }.encode_body().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot form-encode this value: map key `{key}` in `notes` cannot be sent in a \
                 form: a key may not be empty or contain `[` or `]`, which the gateway would \
                 read as nesting"
            )
        );
    }
    // Everything else round-trips through a bracket-aware reading.
    let notes = [("a b&c=d".to_owned(), "v".to_owned())]
        .into_iter()
        .collect();
    let out = WithNotes { notes }.encode_body().unwrap();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&out).into_owned().collect();
    assert_eq!(pairs, [("notes[a b&c=d]".to_owned(), "v".to_owned())]);
}
