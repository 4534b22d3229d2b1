//! Juspay's mandates: an order created with `options.create_mandate` (and
//! its `mandate.max_amount`) registers a mandate when its card payment is
//! charged (`REQUIRED`, or `OPTIONAL` with `should_create_mandate`); the
//! mandate is `ACTIVE`, shown in the order's `mandate`, and debited without
//! the customer by `execute_mandate` (a new order, `PENDING_VBV` until
//! `Happening::Pay` or `Fail`), never above its `max_amount` (exactly it
//! when `FIXED`) and only for its own customer; `revoke_mandate` ends it,
//! and a revoked mandate is debited and revoked no more. Registration posts
//! `MANDATE_ACTIVATED` (after the order's `ORDER_SUCCEEDED`), revocation
//! `MANDATE_REVOKED`, each with the mandate under `content.mandate`.
//!
//! Pages: <https://juspay.io/api-reference/docs/express-checkout/create-order--mandate>
//! (the mandate's fields and states),
//! <https://juspay.io/in/docs/hyper-checkout/android/mandates-subscriptions/mandate-execution-api>
//! (the debit and its error table) and
//! <https://juspay.io/api-reference-global/docs/mandates/revoke-mandate-api>.
//! Inferred, as the pages do not show them: that the mandate is registered
//! when the payment is charged, the refusal of `should_create_mandate` on an
//! order that asked for no mandate, that another customer's mandate is "not
//! found", that a debit's order holds the mandate it debited, and the mandate
//! webhooks' shape (see `specs/juspay/webhooks.yaml`).

use serde_json::{json, Map, Value};

use super::{fresh_order, hex_id, set_status, ORDER};
use crate::sim::{decimal, text, Call, Notice, Outcome, Refusal};
use crate::world::{now, rfc3339, World};

/// A mandate, by its id.
const MANDATE: &str = "mandate";

/// The mandate an order asked for, until its payment registers it, by the
/// order's id.
const TO_REGISTER: &str = "mandate_to_register";

/// The mandate fields of a create-order call, as the mandate keeps them.
const TERMS: &[(&str, &str)] = &[
    ("mandate.max_amount", "max_amount"),
    ("mandate.amount_rule", "amount_rule"),
    ("mandate.frequency", "frequency"),
    ("mandate.start_date", "start_date"),
    ("mandate.end_date", "end_date"),
    ("mandate.revokable_by_customer", "revokable_by_customer"),
];

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "execute_mandate" => execute(call, world),
        "revoke_mandate" => revoke(world, call.param("mandate_id")).map(|o| o.answered(world)),
        _ => crate::sim::generic::answer(call, world),
    }
}

/// A create-order call's mandate, checked before the order is made: `None`
/// when it asks for none.
pub(super) fn asked(call: &Call<'_>) -> Result<Option<Value>, Refusal> {
    let Some(kind) = call.text("options.create_mandate") else {
        return Ok(None);
    };
    if call.field("mandate.max_amount").is_none() {
        return Err(
            Refusal::bad_request("Invalid", "Mandate max amount not found.")
                .on_field("mandate.max_amount"),
        );
    }
    let mut terms = Map::new();
    terms.insert("create_mandate".into(), json!(kind));
    for (sent, kept) in TERMS {
        if let Some(value) = call.field(sent) {
            terms.insert((*kept).into(), value.clone());
        }
    }
    let max = decimal(terms.get("max_amount")).map_or(Value::Null, crate::sim::number);
    terms.insert("max_amount".into(), max);
    terms
        .entry("amount_rule")
        .or_insert_with(|| json!("VARIABLE"));
    Ok(Some(Value::Object(terms)))
}

/// Keeps order `order_id`'s mandate until its payment registers it.
pub(super) fn await_payment(world: &mut World, order_id: &str, terms: &Value) {
    world.put(TO_REGISTER, order_id, terms);
}

/// A card transaction's `should_create_mandate`: allowed only on an order
/// that asked for a mandate.
pub(super) fn note_txn(call: &Call<'_>, world: &mut World, order_id: &str) -> Result<(), Refusal> {
    // A form's `true` is text.
    let asks = call
        .field("should_create_mandate")
        .is_some_and(|v| v == &json!(true) || v == &json!("true"));
    if !asks {
        return Ok(());
    }
    let Some(mut terms) = world.get(TO_REGISTER, order_id) else {
        return Err(Refusal::bad_request(
            "INVALID_REQUEST",
            "should_create_mandate: the order asked for no mandate (options.create_mandate)",
        )
        .on_field("should_create_mandate"));
    };
    terms["txn_asked"] = json!(true);
    world.put(TO_REGISTER, order_id, &terms);
    Ok(())
}

/// Registers the mandate a charged order's payment was to register: its
/// `mandate` is then `ACTIVE`. The `MANDATE_ACTIVATED` webhook when it was
/// (the order changed).
pub(super) fn register_charged(world: &mut World, order: &mut Value) -> Option<Notice> {
    let order_id = text(order, "order_id").to_owned();
    let terms = world.get(TO_REGISTER, &order_id)?;
    if terms["create_mandate"] != "REQUIRED" && terms["txn_asked"] != json!(true) {
        return None;
    }
    world.remove(TO_REGISTER, &order_id);
    let id = world.fresh_id("");
    let mut mandate = json!({
        "mandate_id": id,
        "mandate_token": hex_id(""),
        "mandate_status": "ACTIVE",
        "mandate_type": "MANDATE",
        "max_amount": terms["max_amount"],
        "amount_rule": terms["amount_rule"],
        "frequency": terms.get("frequency").cloned().unwrap_or(json!("ASPRESENTED")),
        "currency": order["currency"],
        "start_date": terms.get("start_date").cloned().unwrap_or(json!(now().to_string())),
        "end_date": terms.get("end_date"),
        "activated_at": rfc3339(now()),
    });
    order["mandate"] = mandate.clone();
    let activated = notice("MANDATE_ACTIVATED", &mandate);
    mandate["customer_id"] = order["customer_id"].clone();
    mandate["registered_by"] = json!(order_id);
    world.put(MANDATE, &id, &mandate);
    Some(activated)
}

/// A mandate event's webhook: the mandate as an order shows it, under
/// `content.mandate`.
fn notice(event: &'static str, mandate: &Value) -> Notice {
    Notice {
        event,
        payload: json!({"mandate": shown(mandate)}),
    }
}

/// The mandate as an order shows it: without what only the mock keeps.
fn shown(mandate: &Value) -> Value {
    let mut shown = mandate.clone();
    if let Some(fields) = shown.as_object_mut() {
        fields.remove("customer_id");
        fields.remove("registered_by");
    }
    shown
}

fn not_found() -> Refusal {
    Refusal::bad_request("Mandate not found", "Mandate not found").on_field("mandate_id")
}

/// One debit of an active mandate, as a new order.
fn execute(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let mandate_id = call.text("mandate_id").unwrap_or_default();
    let customer = call.text("order.customer_id").unwrap_or_default();
    let mandate = world
        .get(MANDATE, mandate_id)
        .filter(|m| m["customer_id"] == customer)
        .ok_or_else(not_found)?;
    if mandate["mandate_status"] != "ACTIVE" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST",
            "Mandate Not in Active State",
        ));
    }
    let amount = decimal(call.field("order.amount")).unwrap_or_default();
    let max = decimal(mandate.get("max_amount")).unwrap_or_default();
    if mandate["amount_rule"] == "FIXED" && amount != max {
        return Err(Refusal::bad_request(
            "Invalid",
            "Order amount not equal to mandate max amount.",
        )
        .on_field("order.amount"));
    }
    if amount > max {
        return Err(Refusal::bad_request(
            "Invalid",
            format!("Order amount greater than mandate max amount ({max})"),
        )
        .on_field("order.amount"));
    }
    let order_id = call.text("order.order_id").unwrap_or_default();
    if world.has(ORDER, order_id) {
        return Err(Refusal::bad_request(
            "DUPLICATE_ORDER_ID",
            "Order already exists with the given order_id",
        ));
    }
    let merchant = call.text("merchant_id").unwrap_or_default();
    let mut order = fresh_order(
        order_id,
        call.header("x-merchantid"),
        json!(customer),
        crate::sim::number(amount),
    );
    order["currency"] = mandate["currency"].clone();
    let txn_id = format!("{merchant}-{order_id}-1");
    let txn_uuid = world.fresh_id("eul");
    set_status(&mut order, "PENDING_VBV");
    order["txn_id"] = json!(txn_id);
    order["txn_uuid"] = json!(txn_uuid);
    order["payment_method_type"] = json!("CARD");
    order["mandate"] = shown(&mandate);
    world.put(ORDER, order_id, &order);
    Ok(json!({
        "txn_uuid": txn_uuid,
        "txn_id": txn_id,
        "status": "PENDING_VBV",
        "payment": {"authentication": {
            "url": format!("https://api.juspay.in/v2/pay/finish/{merchant}/{txn_uuid}/{order_id}"),
            "method": "GET",
        }},
        "order_id": order_id,
    }))
}

/// Revokes an active mandate, with `MANDATE_REVOKED`; the order that
/// registered it shows it revoked.
fn revoke(world: &mut World, id: &str) -> Result<Outcome, Refusal> {
    let mut mandate = world.get(MANDATE, id).ok_or_else(not_found)?;
    if mandate["mandate_status"] != "ACTIVE" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST",
            "Mandate Not in Active State",
        ));
    }
    mandate["mandate_status"] = json!("REVOKED");
    world.put(MANDATE, id, &mandate);
    if let Some(mut order) = world.get_mut(ORDER, text(&mandate, "registered_by")) {
        order["mandate"] = shown(&mandate);
    }
    Ok(Outcome {
        notices: vec![notice("MANDATE_REVOKED", &mandate)],
        entity: json!({"mandate_id": id, "mandate_status": "REVOKED"}),
    })
}
