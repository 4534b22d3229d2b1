//! What a gateway does to an answer that the spec's example cannot show:
//! Razorpay signs each payment it hands back with the key secret, over the
//! order and payment ids of *this* call, with the runtime's own signing code.

use std::collections::HashMap;

use serde_json::Value;

/// Links between entities a call created: a payment and the order it pays.
#[derive(Debug, Default)]
pub(crate) struct Links {
    order_of_payment: HashMap<String, String>,
}

/// Finishes `answer` for `gateway`: new nested payment ids, the order a
/// payment belongs to, and signatures.
pub(crate) fn finish(
    call: &Call<'_>,
    answer: &mut Value,
    links: &mut Links,
    next_id: &mut dyn FnMut(&str) -> String,
) {
    let Value::Object(fields) = answer else {
        return;
    };
    match call.gateway {
        "razorpay" => razorpay(call, fields, links, next_id),
        "juspay" => juspay(call, fields),
        _ => {}
    }
}

/// What the finishing touches need to know of the call.
pub(crate) struct Call<'a> {
    pub gateway: &'a str,
    pub operation: &'a str,
    pub path_params: &'a [(&'a str, String)],
    /// Whether the call creates an entity.
    pub creates: bool,
    /// The request body, as JSON.
    pub sent: &'a Value,
    pub credentials: &'a [String],
}

/// A Juspay refund is added to the order's `refunds`, pending; the same
/// `unique_request_id` again adds nothing.
fn juspay(call: &Call<'_>, fields: &mut serde_json::Map<String, Value>) {
    // A transaction's id is `<merchant>-<order>-<attempt>`.
    if let (Some(Value::String(merchant)), Some(Value::String(order)), true) = (
        call.sent.get("merchant_id"),
        call.sent.get("order_id"),
        fields.contains_key("txn_id"),
    ) {
        fields.insert(
            "txn_id".into(),
            Value::String(format!("{merchant}-{order}-1")),
        );
    }
    if call.operation != "refund_order" {
        return;
    }
    let Some(request_id) = call.sent.get("unique_request_id").cloned() else {
        return;
    };
    let amount = call.sent.get("amount").and_then(|a| match a {
        Value::String(text) => text.parse::<serde_json::Number>().ok().map(Value::Number),
        other => Some(other.clone()),
    });
    let refunds = fields
        .entry("refunds")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !refunds.is_array() {
        *refunds = Value::Array(Vec::new());
    }
    let Value::Array(refunds) = refunds else {
        return;
    };
    if refunds
        .iter()
        .any(|r| r.get("unique_request_id") == Some(&request_id))
    {
        return;
    }
    refunds.push(serde_json::json!({
        "unique_request_id": request_id,
        "amount": amount,
        "status": "PENDING",
        "sent_to_gateway": false,
        "initiated_by": "API",
    }));
}

fn razorpay(
    call: &Call<'_>,
    fields: &mut serde_json::Map<String, Value>,
    links: &mut Links,
    next_id: &mut dyn FnMut(&str) -> String,
) {
    let (path_params, creates, credentials) = (call.path_params, call.creates, call.credentials);
    // An order created with its payment: the payment is new too, and belongs to it.
    if creates {
        if let (Some(Value::String(order)), Some(Value::Object(workflow))) = (
            fields.get("id").cloned(),
            fields.get_mut("payment_workflow"),
        ) {
            if let Some(Value::String(example)) = workflow.get("id") {
                let payment = next_id(example);
                links.order_of_payment.insert(payment.clone(), order);
                workflow.insert("id".into(), Value::String(payment));
            }
        }
    }
    // A payment read or changed by its id: its order is the one that created it.
    let payment_id = path_params
        .iter()
        .find(|(name, _)| *name == "id")
        .map(|(_, id)| id.clone());
    let order = payment_id
        .as_ref()
        .and_then(|p| links.order_of_payment.get(p).cloned());
    if let (Some(order), Some(slot)) = (&order, fields.get_mut("order_id")) {
        *slot = Value::String(order.clone());
    }
    // A refund of a payment names it.
    if let (Some(payment), Some(slot)) = (&payment_id, fields.get_mut("payment_id")) {
        if payment.starts_with("pay_") {
            *slot = Value::String(payment.clone());
        }
    }
    // A signed payment: signed over this order and payment, with the key secret.
    if fields.contains_key("razorpay_signature") {
        if let Some(payment) = &payment_id {
            fields.insert("razorpay_payment_id".into(), Value::String(payment.clone()));
        }
        if let Some(order) = order {
            fields.insert("razorpay_order_id".into(), Value::String(order));
        }
        let id = |key: &str| {
            fields
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let (order, payment) = (id("razorpay_order_id"), id("razorpay_payment_id"));
        let secret = credentials.get(1).map_or("", String::as_str);
        let signature = paygen::webhooks::razorpay::payment_signature(&order, &payment, secret);
        fields.insert("razorpay_signature".into(), Value::String(signature));
    }
}
