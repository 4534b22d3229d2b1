//! `#[derive(WireEnum)]` and `#[derive(Wire)]` on enums: wire values, the
//! catch-all for values gateways add later, and validation of both.

use paygen::{Validate, Wire, WireEnum};
use serde::{Deserialize, Serialize};

/// An open enum, as response types use: unknown values decode.
#[derive(Debug, Clone, PartialEq, Eq, WireEnum)]
enum Status {
    #[paygen(rename = "created")]
    Created,
    #[paygen(rename = "PENDING_VBV")]
    PendingVbv,
    #[paygen(other)]
    Unknown(String),
}

/// A closed enum: unknown values are an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, WireEnum)]
enum Platform {
    #[paygen(rename = "android")]
    Android,
    #[paygen(rename = "web")]
    Web,
    #[paygen(rename = "2022-09-01")]
    V20220901,
}

#[test]
fn values_round_trip_through_serde() {
    assert_eq!(
        serde_json::to_string(&Status::PendingVbv).unwrap(),
        r#""PENDING_VBV""#
    );
    assert_eq!(
        serde_json::from_str::<Status>(r#""created""#).unwrap(),
        Status::Created
    );
    assert_eq!(Platform::V20220901.to_string(), "2022-09-01");
    assert_eq!("web".parse::<Platform>().unwrap(), Platform::Web);
    assert_eq!(Status::VALUES, ["created", "PENDING_VBV"]);
}

#[test]
fn unknown_values_decode_into_the_catch_all_and_keep_their_text() {
    let status: Status = serde_json::from_str(r#""AUTHORIZING""#).unwrap();
    assert_eq!(status, Status::Unknown("AUTHORIZING".into()));
    assert_eq!(status.as_str(), "AUTHORIZING");
    assert_eq!(serde_json::to_string(&status).unwrap(), r#""AUTHORIZING""#);
}

#[test]
fn closed_enums_reject_unknown_values_with_the_choices() {
    let err = serde_json::from_str::<Platform>(r#""ios""#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown variant `ios`, expected one of `android`, `web`, `2022-09-01`"
    );
    let err = "ios".parse::<Platform>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown Platform value `ios`, expected one of android, web, 2022-09-01"
    );
}

#[derive(Serialize, Deserialize, Wire)]
struct Payment {
    #[paygen(nested)]
    status: Status,
}

#[test]
fn an_unknown_value_in_a_request_is_a_violation() {
    assert!(Payment {
        status: Status::Created
    }
    .validate()
    .is_ok());
    let report = Payment {
        status: Status::Unknown("AUTHORIZING".into()),
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        report.to_string(),
        "status: must be one of created, PENDING_VBV [enum]"
    );
}

#[derive(Serialize, Deserialize, Wire)]
struct Upi {
    #[paygen(required)]
    channel: String,
}

#[derive(Serialize, Deserialize, Wire)]
struct Card {
    #[paygen(length(min = 12))]
    card_number: String,
}

/// An OpenAPI `oneOf` of single-key objects: serde's externally tagged enum.
#[derive(Serialize, Deserialize, Wire)]
#[paygen(body = "json")]
enum PaymentMethod {
    #[serde(rename = "upi")]
    Upi(Upi),
    #[serde(rename = "card")]
    Card(Card),
}

#[test]
fn one_of_enums_validate_the_chosen_variant_under_its_wire_name() {
    use paygen::RequestBody;
    let card = PaymentMethod::Card(Card {
        card_number: "4111".into(),
    });
    assert_eq!(
        card.validate().unwrap_err().to_string(),
        "card.card_number: must be at least 12 characters long (got 4) [length]"
    );
    let upi = PaymentMethod::Upi(Upi {
        channel: "link".into(),
    });
    assert!(upi.validate().is_ok());
    assert_eq!(upi.encode_body().unwrap(), br#"{"upi":{"channel":"link"}}"#);
}
