//! Secrets and card data never show: every request type from the pages is
//! formatted with `{:?}` and serialized outside an encoder, with every field
//! the specs mark `x-secret` set to a marker, and the marker must not appear.
//! Card numbers are normalised and checked (digits, length, Luhn).

use std::collections::HashMap;

use paygen::{CardNumber, Validate};
use paygen_codegen::ir::{ExampleOf, TypeKind, TypeRef};
use paygen_codegen::Generator;
use paygen_tests::registry::{with_type, TypeVisitor};
use serde_json::Value;

const MARKER: &str = "SECRET-MARKER";

/// Replaces, in `value` of type `ty`, every secret with a numbered marker.
fn mark(value: &mut Value, ty: &TypeRef, types: &HashMap<String, TypeKind>, marked: &mut usize) {
    match (ty, value) {
        (TypeRef::Secret | TypeRef::CardNumber | TypeRef::Encrypted, value @ Value::String(_)) => {
            *marked += 1;
            *value = Value::String(format!("{MARKER}-{marked:04}"));
        }
        (TypeRef::Named(name) | TypeRef::Boxed(name), value) => match (types.get(name), value) {
            (Some(TypeKind::Struct { fields, .. }), Value::Object(map)) => {
                for field in fields {
                    if let Some(v) = map.get_mut(&field.wire) {
                        mark(v, &field.ty, types, marked);
                    }
                }
            }
            (Some(TypeKind::OneOf { variants, .. }), Value::Object(map)) => {
                for variant in variants {
                    if let Some(v) = map.get_mut(&variant.wire) {
                        mark(v, &variant.ty, types, marked);
                    }
                }
            }
            _ => {}
        },
        (TypeRef::List(inner), Value::Array(items)) => {
            for item in items {
                mark(item, inner, types, marked);
            }
        }
        (TypeRef::Map(inner), Value::Object(map)) => {
            for v in map.values_mut() {
                mark(v, inner, types, marked);
            }
        }
        _ => {}
    }
}

/// Formats and serializes (outside an encoder) a value decoded into the type
/// visited.
struct Shown(Value);

impl TypeVisitor for Shown {
    type Output = String;

    fn visit<T>(self) -> String
    where
        T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug + Validate + 'static,
    {
        let decoded: T = serde_json::from_value(self.0).unwrap();
        format!("{decoded:?}\n{}", serde_json::to_string(&decoded).unwrap())
    }
}

#[test]
fn no_request_type_shows_a_secret() {
    let output = Generator::for_workspace().render().unwrap();
    let mut marked = 0;
    for gateway in &output.gateways {
        let types: HashMap<String, TypeKind> = gateway
            .modules
            .iter()
            .flat_map(|m| m.types.iter())
            .map(|t| (t.name.clone(), t.kind.clone()))
            .collect();
        for op in gateway.operations() {
            let Some(request) = op.request.as_deref() else {
                continue;
            };
            for example in op.examples.iter().filter(|e| e.of == ExampleOf::Request) {
                let mut value = example.value.clone();
                let before = marked;
                mark(
                    &mut value,
                    &TypeRef::Named(request.to_owned()),
                    &types,
                    &mut marked,
                );
                let text = with_type(&gateway.name, request, Shown(value)).unwrap();
                assert!(
                    !text.contains(MARKER),
                    "{}::{} `{}` shows a secret:\n{text}",
                    gateway.name,
                    op.method_name,
                    example.name
                );
                if example.name == "card" || example.name == "cred" {
                    assert!(
                        marked > before,
                        "{}::{} marks no secret",
                        gateway.name,
                        op.method_name
                    );
                }
            }
        }
    }
    assert!(marked >= 15, "only {marked} secrets marked in the examples");
}

#[test]
fn card_numbers_are_normalised_and_checked() {
    let card = CardNumber::new("4916 3338-9663 2957");
    assert_eq!(card.expose(), "4916333896632957");
    assert_eq!(card.to_string(), "**** 2957");
    assert!(card.validate().is_ok());

    let cases = [
        ("", "(request): must not be empty [required]"),
        (
            "4916 3338 9663 295x",
            "(request): must contain only digits, spaces and dashes [format]",
        ),
        (
            "4111 1111 111",
            "(request): must have 12 to 19 digits (got 11) [format]",
        ),
        (
            "41111111111111111111",
            "(request): must have 12 to 19 digits (got 20) [format]",
        ),
        (
            "4111 1111 1111 1112",
            "(request): is not a valid card number (Luhn check failed) [format]",
        ),
    ];
    for (number, expected) in cases {
        let report = CardNumber::new(number).validate().unwrap_err();
        assert_eq!(report.to_string(), expected, "{number}");
    }
}

#[test]
fn a_bad_card_number_is_reported_with_its_path() {
    let mut card = paygen::cashfree::CardMethod::new(paygen::cashfree::CardChannel::Link);
    card.card_number = Some("4111 1111 1111 1112".into());
    card.card_expiry_mm = Some("03".into());
    card.card_expiry_yy = Some("28".into());
    card.card_cvv = Some("123".into());
    let request = paygen::cashfree::PayOrderRequest::new(
        "session_x",
        paygen::cashfree::PayOrderPaymentMethod::Card(card),
    );
    assert_eq!(
        request.validate().unwrap_err().to_string(),
        "payment_method.card.card_number: is not a valid card number (Luhn check failed) [format]"
    );
}

#[test]
fn secrets_compare_by_value() {
    use paygen::Secret;
    assert_eq!(Secret::from("123"), Secret::from(String::from("123")));
    assert_ne!(Secret::from("123"), Secret::from("124"));
    assert_ne!(Secret::from("123"), Secret::from("1234"));
    assert_eq!(
        CardNumber::from("4111 1111 1111 1111"),
        CardNumber::from(String::from("4111111111111111"))
    );
    assert_ne!(
        CardNumber::from("4111111111111111"),
        CardNumber::from("4916333896632957")
    );
}

#[test]
fn secrets_built_from_owned_strings_are_sent_with_their_value() {
    use paygen::{RequestBody, Secret};
    let mut card = paygen::cashfree::CardMethod::new(paygen::cashfree::CardChannel::Link);
    card.card_number = Some(CardNumber::from(String::from("4111111111111111")));
    card.card_cvv = Some(Secret::from(String::from("987")));
    card.card_expiry_mm = Some(Secret::from(String::from("03")));
    card.card_expiry_yy = Some(Secret::from(String::from("28")));
    let request = paygen::cashfree::PayOrderRequest::new(
        "session_x",
        paygen::cashfree::PayOrderPaymentMethod::Card(card),
    );
    let body = String::from_utf8(request.encode_body().unwrap()).unwrap();
    for sent in [
        r#""card_number":"4111111111111111""#,
        r#""card_cvv":"987""#,
        r#""card_expiry_mm":"03""#,
    ] {
        assert!(body.contains(sent), "{sent} missing from {body}");
    }
}

#[test]
fn masked_values_still_say_what_they_hide() {
    use paygen::Secret;
    // Masked, but not blank: a log line should still show a value was there.
    let cvv = Secret::from("987");
    assert_eq!(format!("{cvv:?}"), "Secret(***)");
    assert_eq!(cvv.to_string(), "***");
    let card = CardNumber::from("4916 3338 9663 2957");
    assert_eq!(format!("{card:?}"), "CardNumber(**** 2957)");
    assert_eq!(card.to_string(), "**** 2957");
}
