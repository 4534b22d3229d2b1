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

use super::entities::open_object;

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

/// What an example says of next steps: its `next` list as written, cut
/// where it names the example's payment (`None`: the example has none).
/// Ids are letters, digits and `_`, so the example's payment id is found
/// in the text as written.
type Steps = Option<Vec<&'static str>>;

/// The next steps of the example `text`, read once per example: the
/// examples are the spec's, fixed for the life of the process, and reading
/// one (an order's is a kilobyte and more) for each call was a tenth of the
/// mock's work on a card payment (the bench's paygen-mock row). `write`
/// gets them while they are looked up.
fn with_example_steps<R>(text: &'static str, write: impl FnOnce(&Steps) -> R) -> R {
    static READ: Mutex<Vec<(&'static str, Steps)>> = Mutex::new(Vec::new());
    let mut read = READ.lock().unwrap_or_else(|e| e.into_inner());
    // Examples are static text: one is found by its address.
    let at = match read.iter().position(|(t, _)| std::ptr::eq(*t, text)) {
        Some(at) => at,
        None => {
            read.push((text, steps_of(text)));
            read.len() - 1
        }
    };
    write(&read[at].1)
}

/// The example's `next` list, cut at each mention of its payment id.
fn steps_of(text: &'static str) -> Steps {
    let example: Example<'static> = serde_json::from_str(text).unwrap_or_default();
    let workflow = example.payment_workflow.unwrap_or_default();
    let old = example
        .razorpay_payment_id
        .or(workflow.id)
        .unwrap_or_default();
    let next = example.next.or(workflow.next)?.get();
    if old.is_empty() {
        return Some(vec![next]);
    }
    Some(next.split(&*old).collect())
}

/// Appends the example's `next` list naming `payment` to `text` (`[]` when
/// the example has none).
fn push_next_steps(text: &mut String, call: &Call<'_>, payment: &str) {
    let Some(example) = call.example_text() else {
        text.push_str("[]");
        return;
    };
    with_example_steps(example, |steps| match steps {
        None => text.push_str("[]"),
        Some(pieces) => {
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    text.push_str(payment);
                }
                text.push_str(piece);
            }
        }
    });
}

/// Appends `payment` as a JSON string: as it is between quotes when it
/// needs no escaping (letters, digits, `_` and `-`, as in an id the mock
/// made), else as serde_json writes it.
fn push_quoted(text: &mut String, payment: &str) {
    if payment
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        text.push('"');
        text.push_str(payment);
        text.push('"');
    } else {
        text.push_str(&serde_json::Value::from(payment).to_string());
    }
}

/// A payment's response: its id and the customer's next steps.
pub(super) fn next_actions(call: &Call<'_>, payment: &str) -> Reply {
    let mut text = String::with_capacity(256);
    text.push_str(r#"{"razorpay_payment_id":"#);
    push_quoted(&mut text, payment);
    text.push_str(r#","next":"#);
    push_next_steps(&mut text, call, payment);
    text.push('}');
    Reply::Text(text)
}

/// The order (JSON text) as answered when a payment was made with it: the
/// order and the payment's workflow (its id and the customer's next steps),
/// written on at the end of the order's own text.
pub(super) fn with_workflow(call: &Call<'_>, order: String, payment: &str) -> Reply {
    let (open, separator) = {
        let (body, separator) = open_object(&order);
        (body.len(), separator)
    };
    let mut text = order;
    text.truncate(open);
    text.reserve(512);
    text.push_str(separator);
    text.push_str(r#""payment_workflow":{"id":"#);
    push_quoted(&mut text, payment);
    text.push_str(r#","next":"#);
    push_next_steps(&mut text, call, payment);
    text.push_str("}}");
    Reply::Text(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_quoted_as_serde_json_quotes_it() {
        for id in [
            "pay_AceMFJW8T10002",
            "pay-1",
            "",
            "pay\"1",
            "pay\\1",
            "pay\n1",
            "pay_é",
            "\u{1}",
        ] {
            let mut text = String::new();
            push_quoted(&mut text, id);
            assert_eq!(text, serde_json::to_string(id).unwrap(), "{id:?}");
        }
    }
}
