//! The customer's next steps once a payment is made: the spec example's
//! `next` list (the URLs the customer's OTP goes to), naming the new payment
//! instead of the example's, written as JSON text from the example's text.
//!
//! Pages: <https://razorpay.com/docs/payments/payment-gateway/s2s-integration/json/v2/build-integration/single-integration-api/>
//! (`payment_workflow` and its `next` actions).

use std::borrow::Cow;
use std::sync::Mutex;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::sim::{Call, Reply};

use super::entities::with_field;

/// What an example response says of next steps: at its top (a payment's
/// response) or in its `payment_workflow` (an order's).
#[derive(Debug, Default, Deserialize)]
struct Example<'a> {
    #[serde(borrow, default)]
    razorpay_payment_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    next: Option<&'a RawValue>,
    #[serde(borrow, default)]
    payment_workflow: Option<Workflow<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct Workflow<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    next: Option<&'a RawValue>,
}

/// What an example says of next steps: the payment id it names and its
/// `next` list as written (`None`: the example has none).
type Steps = (Cow<'static, str>, Option<&'static str>);

/// The next steps of the example `text`, read once per example: the
/// examples are the spec's, fixed for the life of the process, and reading
/// one (an order's is a kilobyte and more) for each call was a tenth of the
/// mock's work on a card payment (the bench's paygen-mock row).
fn example_steps(text: &'static str) -> Steps {
    static READ: Mutex<Vec<(&'static str, Steps)>> = Mutex::new(Vec::new());
    let mut read = READ.lock().unwrap_or_else(|e| e.into_inner());
    // Examples are static text: one is found by its address.
    if let Some((_, steps)) = read.iter().find(|(t, _)| std::ptr::eq(*t, text)) {
        return steps.clone();
    }
    let example: Example = serde_json::from_str(text).unwrap_or_default();
    let workflow = example.payment_workflow.unwrap_or_default();
    let old = example
        .razorpay_payment_id
        .or(workflow.id)
        .unwrap_or_default();
    let steps = (old, example.next.or(workflow.next).map(RawValue::get));
    read.push((text, steps.clone()));
    steps
}

/// The example's `next` list naming `payment`, as JSON text (`[]` when the
/// example has none). Ids are letters, digits and `_`, so the example's
/// payment id is renamed in the text as written.
fn next_steps(call: &Call<'_>, payment: &str) -> String {
    let (old, next) = call.example_text().map(example_steps).unwrap_or_default();
    let Some(mut rest) = next else {
        return "[]".to_owned();
    };
    if old.is_empty() {
        return rest.to_owned();
    }
    let mut text = String::with_capacity(rest.len() + 16);
    while let Some(at) = rest.find(&*old) {
        text.push_str(&rest[..at]);
        text.push_str(payment);
        rest = &rest[at + old.len()..];
    }
    text.push_str(rest);
    text
}

/// `payment` as a JSON string.
fn quoted(payment: &str) -> String {
    serde_json::Value::from(payment).to_string()
}

/// A payment's response: its id and the customer's next steps.
pub(super) fn next_actions(call: &Call<'_>, payment: &str) -> Reply {
    Reply::Text(format!(
        r#"{{"razorpay_payment_id":{},"next":{}}}"#,
        quoted(payment),
        next_steps(call, payment)
    ))
}

/// The order (JSON text) as answered when a payment was made with it: the
/// order and the payment's workflow (its id and the customer's next steps).
pub(super) fn with_workflow(call: &Call<'_>, order: &str, payment: &str) -> Reply {
    let workflow = format!(
        r#"{{"id":{},"next":{}}}"#,
        quoted(payment),
        next_steps(call, payment)
    );
    Reply::Text(with_field(order, "payment_workflow", &workflow))
}
