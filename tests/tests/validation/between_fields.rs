//! Rules between fields: `required_if`, `only_if`, `not_less_than`, through nested paths.

use super::*;

#[derive(Serialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Capture {
    Automatic,
    Manual,
}

#[derive(Serialize, Wire)]
struct CaptureOptions {
    #[paygen(range(min = 12))]
    automatic_expiry_period: Option<u32>,
    #[paygen(range(max = 7200))]
    manual_expiry_period: Option<u32>,
}

/// Razorpay's `payment_config`: `automatic_expiry_period` is mandatory when
/// `capture = automatic`, and `manual_expiry_period` may not be below it.
#[derive(Serialize, Wire)]
#[paygen(required_if(
    field = "capture_options.automatic_expiry_period",
    when = "capture",
    equals = "automatic"
))]
#[paygen(not_less_than(
    field = "capture_options.manual_expiry_period",
    other = "capture_options.automatic_expiry_period"
))]
struct PaymentConfig {
    capture: Capture,
    #[paygen(nested)]
    capture_options: Option<CaptureOptions>,
}

/// Razorpay's order: `first_payment_min_amount` only with `partial_payment = true`.
#[derive(Serialize, Wire)]
#[paygen(body = "json")]
#[paygen(only_if(
    field = "first_payment_min_amount",
    when = "partial_payment",
    equals = true
))]
struct Order {
    #[paygen(range(min = 100))]
    amount: i64,
    partial_payment: Option<bool>,
    first_payment_min_amount: Option<i64>,
    #[paygen(nested)]
    payment_config: Option<PaymentConfig>,
}

/// Razorpay's CRED payment: `provider` is mandatory when `method = app`.
#[derive(Serialize, Wire)]
#[paygen(required_if(field = "provider", when = "method", equals = "app"))]
#[paygen(only_if(field = "app_present", when = "provider"))]
struct CredPayment {
    method: String,
    provider: Option<String>,
    app_present: Option<bool>,
}

fn order(config: PaymentConfig) -> Order {
    Order {
        amount: 1000,
        partial_payment: None,
        first_payment_min_amount: None,
        payment_config: Some(config),
    }
}

#[test]
fn cross_field_rules_pass_when_satisfied() {
    let ok = order(PaymentConfig {
        capture: Capture::Automatic,
        capture_options: Some(CaptureOptions {
            automatic_expiry_period: Some(12),
            manual_expiry_period: Some(12),
        }),
    });
    assert!(ok.validate().is_ok());
    let manual = order(PaymentConfig {
        capture: Capture::Manual,
        capture_options: None,
    });
    assert!(manual.validate().is_ok());
    let partial = Order {
        partial_payment: Some(true),
        first_payment_min_amount: Some(500),
        ..manual
    };
    assert!(partial.validate().is_ok());
    let cred = CredPayment {
        method: "app".into(),
        provider: Some("cred".into()),
        app_present: Some(false),
    };
    assert!(cred.validate().is_ok());
    let card = CredPayment {
        method: "card".into(),
        provider: None,
        app_present: None,
    };
    assert!(card.validate().is_ok());
}

#[test]
fn required_if_reports_through_nested_paths() {
    let without_options = order(PaymentConfig {
        capture: Capture::Automatic,
        capture_options: None,
    });
    assert_snapshot!(
        "required_if_missing_parent",
        validation_snapshot(&without_options)
    );
    let without_period = order(PaymentConfig {
        capture: Capture::Automatic,
        capture_options: Some(CaptureOptions {
            automatic_expiry_period: None,
            manual_expiry_period: Some(7200),
        }),
    });
    assert_snapshot!(
        "required_if_missing_field",
        validation_snapshot(&without_period)
    );
    let cred = CredPayment {
        method: "app".into(),
        provider: Some(String::new()),
        app_present: None,
    };
    assert_eq!(codes(&cred), [("provider".to_owned(), Code::RequiredIf)]);
}

#[test]
fn only_if_reports_a_value_given_without_its_condition() {
    let bad = Order {
        amount: 1000,
        partial_payment: Some(false),
        first_payment_min_amount: Some(500),
        payment_config: None,
    };
    assert_snapshot!(validation_snapshot(&bad));
    let no_provider = CredPayment {
        method: "card".into(),
        provider: None,
        app_present: Some(true),
    };
    assert_eq!(
        codes(&no_provider),
        [("app_present".to_owned(), Code::OnlyIf)]
    );
}

#[test]
fn not_less_than_compares_two_fields() {
    let bad = order(PaymentConfig {
        capture: Capture::Automatic,
        capture_options: Some(CaptureOptions {
            automatic_expiry_period: Some(60),
            manual_expiry_period: Some(30),
        }),
    });
    assert_snapshot!(validation_snapshot(&bad));
}
