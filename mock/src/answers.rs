//! Answers of a gateway without a rule table: the spec's example for the
//! operation, with the request's values carried over (amounts, currency,
//! notes, the ids the request names) and new ids for what the call creates.

use serde_json::{Map, Value};

/// Keys whose values identify an entity the gateway creates.
const CREATED_IDS: &[&str] = &[
    "id",
    "cf_order_id",
    "cf_payment_id",
    "cf_refund_id",
    "txn_uuid",
    "razorpay_payment_id",
];

/// The answer for a call: `example` with the request's top-level values and
/// the path parameters carried over, and fresh ids where the call creates
/// something.
pub(crate) fn answer(
    example: &Value,
    request: &Value,
    path_params: &[(&str, String)],
    creates: bool,
    next_id: &mut dyn FnMut(&str) -> String,
) -> Value {
    let mut answer = example.clone();
    let Value::Object(fields) = &mut answer else {
        return answer;
    };
    if creates {
        for key in CREATED_IDS {
            if let Some(Value::String(old)) = fields.get(*key) {
                let fresh = next_id(old);
                fields.insert((*key).to_owned(), Value::String(fresh));
            }
        }
    }
    if let Value::Object(request) = request {
        carry(fields, request);
    }
    for (name, value) in path_params {
        let same_kind = match fields.get(*name) {
            Some(Value::String(old)) => same_prefix(old, value),
            Some(_) => true,
            None => false,
        };
        // `/payments/{id}/refund` names the payment, not the refund it answers with.
        if same_kind {
            fields.insert((*name).to_owned(), Value::String(value.clone()));
        }
    }
    answer
}

/// Whether two ids are of one kind: the same prefix before `_` (`pay_`),
/// or either has none.
fn same_prefix(a: &str, b: &str) -> bool {
    match (a.split_once('_'), b.split_once('_')) {
        (Some((x, _)), Some((y, _))) => x == y,
        _ => true,
    }
}

/// Request values the response also has, kind for kind (a string for a
/// string, a number for a number): the gateway echoes them.
fn carry(answer: &mut Map<String, Value>, request: &Map<String, Value>) {
    for (key, sent) in request {
        let Some(slot) = answer.get_mut(key) else {
            continue;
        };
        let same_kind = matches!(
            (&*slot, sent),
            (Value::String(_), Value::String(_))
                | (Value::Number(_), Value::Number(_))
                | (Value::Bool(_), Value::Bool(_))
                | (Value::Object(_), Value::Object(_))
                | (Value::Null, _)
        );
        if same_kind {
            *slot = sent.clone();
        } else if let (Value::Number(_), Value::String(text)) = (&*slot, sent) {
            // A form sends numbers as text.
            if let Ok(number) = text.parse::<serde_json::Number>() {
                *slot = Value::Number(number);
            }
        }
    }
}

/// Every string value under an id-like key (`id`, `order_id`,
/// `cf_payment_id`), at the top level: what the entity can be found by.
pub(crate) fn ids(answer: &Value) -> Vec<String> {
    let Value::Object(fields) = answer else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|(k, _)| *k == "id" || k.ends_with("_id"))
        .filter_map(|(_, v)| match v {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn request_values_and_path_parameters_carry_over_kind_for_kind() {
        let example = json!({"id": "order_X", "amount": 100, "currency": "INR", "notes": {}, "status": "created"});
        let request = json!({"amount": 50000, "currency": "USD", "notes": {"k": "v"}, "status": 3});
        let mut n = 0;
        let answer = answer(&example, &request, &[], true, &mut |old| {
            n += 1;
            format!("{old}_{n}")
        });
        assert_eq!(
            answer,
            json!({"id": "order_X_1", "amount": 50000, "currency": "USD", "notes": {"k": "v"}, "status": "created"})
        );
        let fetched = super::answer(
            &example,
            &json!(null),
            &[("id", "order_Y".into())],
            false,
            &mut |_| unreachable!(),
        );
        assert_eq!(fetched["id"], "order_Y");
        // `/payments/{id}/refund`: the path names the payment, the response is a refund.
        let refund = json!({"id": "rfnd_A", "payment_id": "pay_A"});
        let made = super::answer(
            &refund,
            &json!(null),
            &[("id", "pay_B".into())],
            false,
            &mut |_| unreachable!(),
        );
        assert_eq!(made["id"], "rfnd_A");
    }
}
