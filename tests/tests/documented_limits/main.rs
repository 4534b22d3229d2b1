//! Every limit the gateway pages state, broken one at a time on a documented
//! example: each must be caught, by validation (with its path) or, for a value
//! outside a closed enum, when decoding. One snapshot per gateway lists them all.

use std::fmt::Write as _;

use paygen::Validate;
use paygen_codegen::ir::ExampleOf;
use paygen_codegen::Generator;
use paygen_tests::registry::{with_type, TypeVisitor};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// What a broken request comes to: a decode error or a validation report
/// (`Err` when it passes, that is, when the limit is not enforced).
struct Outcome(Value);

impl TypeVisitor for Outcome {
    type Output = Result<String, String>;

    fn visit<T>(self) -> Self::Output
    where
        T: serde::Serialize + DeserializeOwned + std::fmt::Debug + Validate + 'static,
    {
        let request: T = match serde_json::from_value(self.0) {
            Ok(request) => request,
            Err(e) => return Ok(format!("rejected when decoding: {e}")),
        };
        match request.validate() {
            Ok(()) => Err("accepted: the limit is not enforced".into()),
            Err(report) => Ok(report.to_string()),
        }
    }
}

/// A change to an example: set the value at a JSON pointer, or remove it.
enum Edit {
    Set(&'static str, Value),
    Remove(&'static str),
}
use Edit::{Remove, Set};

mod cashfree;
mod juspay;
mod razorpay;

fn apply(mut value: Value, edits: &[Edit]) -> Value {
    for edit in edits {
        let (pointer, new) = match edit {
            Set(p, v) => (*p, Some(v.clone())),
            Remove(p) => (*p, None),
        };
        let (parent, key) = pointer.rsplit_once('/').expect("pointers start with /");
        let target = value
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("{parent} is not in the example"));
        match (target, new) {
            (Value::Object(map), Some(v)) => {
                map.insert(key.to_owned(), v);
            }
            (Value::Object(map), None) => {
                map.remove(key);
            }
            (Value::Array(items), Some(v)) => items[key.parse::<usize>().unwrap()] = v,
            _ => panic!("cannot edit {pointer}"),
        }
    }
    value
}

struct Case {
    limit: &'static str,
    operation: &'static str,
    example: &'static str,
    edits: Vec<Edit>,
}

fn case(
    limit: &'static str,
    operation: &'static str,
    example: &'static str,
    edits: Vec<Edit>,
) -> Case {
    Case {
        limit,
        operation,
        example,
        edits,
    }
}

/// Snapshots a gateway's report as `tests/snapshots/documented_limits__<gateway>_limits.snap`.
fn assert_limits_snapshot(gateway: &str, report: &str) {
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(format!("documented_limits__{gateway}_limits"), report);
    });
}

fn check(gateway: &str, cases: Vec<Case>) -> String {
    let output = Generator::for_workspace()
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let gw = output.gateways.iter().find(|g| g.name == gateway).unwrap();
    let mut out = String::new();
    for case in cases {
        let op = gw
            .operations()
            .find(|o| o.method_name == case.operation)
            .unwrap_or_else(|| panic!("no operation {}", case.operation));
        let example = op
            .examples
            .iter()
            .find(|e| e.of == ExampleOf::Request && e.name == case.example)
            .unwrap_or_else(|| panic!("no request example {}", case.example));
        let edits: Vec<String> = case
            .edits
            .iter()
            .map(|e| match e {
                Set(p, v) => {
                    let v = v.to_string();
                    let v = if v.len() > 40 {
                        format!("{}... ({} chars)", &v[..30], v.len())
                    } else {
                        v
                    };
                    format!("set {p} = {v}")
                }
                Remove(p) => format!("remove {p}"),
            })
            .collect();
        let request = op.request.as_deref().unwrap();
        let result = with_type(
            gateway,
            request,
            Outcome(apply(example.value.clone(), &case.edits)),
        )
        .unwrap_or_else(|| panic!("no type {request}"))
        .unwrap_or_else(|e| panic!("{}: {e}", case.limit));
        writeln!(
            out,
            "## {}\n{}::{} `{}`: {}\n{}\n",
            case.limit,
            gateway,
            case.operation,
            case.example,
            edits.join("; "),
            result
        )
        .unwrap();
    }
    out
}

fn long(n: usize) -> Value {
    Value::String("x".repeat(n))
}

fn notes(n: usize) -> Value {
    Value::Object((1..=n).map(|i| (format!("key{i}"), json!("v"))).collect())
}

#[test]
fn limits_the_pages_do_not_state_for_every_currency_are_left_to_the_gateway() {
    // The INR minimum (100 paise) is not a minimum in yen.
    let order = paygen::razorpay::CreateOrderRequest::new(99, "JPY");
    assert!(order.validate().is_ok());
    // CRED's currency defaults to INR on the page: it may be left out.
    let mut payment: paygen::razorpay::CreatePaymentRequest = serde_json::from_value(json!({
        "amount": 1000, "order_id": "order_4xbQrmEoA5WJ0G", "email": "a@b.c",
        "contact": "9900988990", "method": "app", "provider": "cred", "app_present": false
    }))
    .unwrap();
    assert!(payment.validate().is_ok());
    payment.currency = Some("INR".into());
    assert!(payment.validate().is_ok());
}

#[test]
fn the_payment_callback_url_is_sent_with_the_payment() {
    let mut order: paygen::razorpay::CreateOrderAndPaymentRequest = serde_json::from_value(json!({
        "amount": 50000, "currency": "USD",
        "payment": {"email": "a@b.c", "contact": "+11234567890", "ip": "105.106.107.108",
                    "method": "card",
                    "card": {"number": "4111111111111111", "name": "John Smith",
                             "expiry_month": "11", "expiry_year": "30", "cvv": "100"}}
    }))
    .unwrap();
    order.payment.callback_url = Some("https://merchant.example/callback".into());
    order.user_agent = Some("Mozilla/5.0".into());
    assert!(order.validate().is_ok());
    let wire = serde_json::to_value(&order).unwrap();
    assert_eq!(
        wire["payment"]["callback_url"],
        "https://merchant.example/callback"
    );
    assert_eq!(wire["user_agent"], "Mozilla/5.0");
}
