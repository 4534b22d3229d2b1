//! Cashfree's rule table: orders `ACTIVE` -> `PAID`, `EXPIRED` or
//! `TERMINATED`; a payment per pay call, `PENDING` -> `SUCCESS` or `FAILED`;
//! refunds only of a `PAID` order, their sum never above its amount,
//! `PENDING` -> `SUCCESS`; payment links (`links`); settlements of paid
//! orders (`settlements`); saved cards (`instruments`); disputes of paid
//! orders (`disputes`); offers and what an order can be paid with
//! (`offers`); customers (`customers`).
//!
//! Pages: <https://www.cashfree.com/docs/api-reference/payments/previous/v2023-08-01/orders/create>
//! (order entity, `ACTIVE` on creation), .../orders/get (404 for an unknown
//! order), .../refunds/create (refunds of paid orders), .../payments/pay.
//! Inferred where the pages are silent: the error codes of refused
//! transitions (`order_already_exists`, `order_not_paid`,
//! `refund_amount_exceeded`, `order_not_active`) follow the pages' shape
//! (`message`, `code`, `type`) without a page listing them.

mod customers;
mod disputes;
mod instruments;
mod links;
mod offers;
mod settlements;

use serde_json::{json, Value};

use super::{
    decimal, no_transition, number, only_when, sent_or, text, Call, Notice, Outcome, Refusal,
};
use crate::world::{now, rfc3339, World};
use crate::Happening;
use paygen::Decimal;

const ORDER: &str = "order";
const PAYMENT: &str = "payment";
const REFUND: &str = "refund";

/// Cashfree answers an unknown order, payment or refund with a 404.
pub(crate) const NOT_FOUND_STATUS: u16 = 404;

/// An order lives 30 days unless the request says otherwise (the Create
/// Order page's default for `order_expiry_time`).
const ORDER_LIFETIME: u64 = 30 * 86_400;

pub(crate) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_order" => create_order(call, world),
        "create_customer" => customers::create(call, world),
        "create_link" | "get_link" | "cancel_link" | "get_link_orders" => {
            links::answer(call, world)
        }
        "get_order" => Ok(order(world, call.param("order_id"))?.clone()),
        "get_settlements_for_order" => settlements::of_order(call, world),
        "get_settlements" => settlements::list(call, world),
        "get_disputes_for_order"
        | "get_disputes_for_payment"
        | "get_dispute"
        | "accept_dispute"
        | "submit_dispute_evidence" => disputes::answer(call, world),
        "create_offer" | "get_offer" | "get_eligible_offers" | "get_eligible_payment_methods" => {
            offers::answer(call, world)
        }
        "fetch_instruments" | "fetch_instrument" | "delete_instrument" | "fetch_cryptogram" => {
            instruments::answer(call, world)
        }
        "pay_order" => pay_order(call, world),
        "get_payments_for_order" => {
            let id = call.param("order_id");
            order(world, id)?;
            Ok(Value::Array(
                world
                    .all(PAYMENT)
                    .filter(|(_, p)| p["order_id"] == id)
                    .map(|(_, p)| p.clone())
                    .collect(),
            ))
        }
        "get_payment" => {
            let id = call.param("order_id");
            order(world, id)?;
            let payment_id = call.param("cf_payment_id");
            match world.get(PAYMENT, payment_id) {
                Some(payment) if payment["order_id"] == id => Ok(payment.clone()),
                _ => Err(Refusal::not_found(PAYMENT, payment_id)),
            }
        }
        "create_refund" => create_refund(call, world),
        "get_refunds_for_order" => {
            let id = call.param("order_id");
            order(world, id)?;
            Ok(Value::Array(refunds_of(world, id).collect()))
        }
        "get_refund" => {
            let id = call.param("order_id");
            order(world, id)?;
            let refund_id = call.param("refund_id");
            world
                .get(REFUND, &refund_key(id, refund_id))
                .ok_or_else(|| Refusal::not_found(REFUND, refund_id))
        }
        _ => super::generic::answer(call, world),
    }
}

fn order(world: &World, id: &str) -> Result<Value, Refusal> {
    world
        .get(ORDER, id)
        .ok_or_else(|| Refusal::not_found(ORDER, id))
}

/// A refund id is unique within its order.
fn refund_key(order: &str, refund: &str) -> String {
    format!("{order}/{refund}")
}

fn refunds_of<'w>(world: &'w World, order: &'w str) -> impl Iterator<Item = Value> + 'w {
    world
        .all(REFUND)
        .filter(move |(_, r)| r["order_id"] == order)
        .map(|(_, r)| r)
}

fn create_order(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = match call.text("order_id") {
        Some(id) => id.to_owned(),
        None => world.fresh_id("order_"),
    };
    if world.has(ORDER, &id) {
        return Err(Refusal::Rule {
            status: 409,
            code: "order_already_exists",
            message: "order with same id is already present".into(),
            field: Some("order_id"),
        });
    }
    let created = now();
    let meta = call.field("order_meta").cloned().unwrap_or(json!({}));
    let customer = call.field("customer_details").cloned().unwrap_or(json!({}));
    let order = json!({
        "cf_order_id": world.fresh_number(10),
        "order_id": id,
        "entity": "order",
        "order_currency": sent_or(call, "order_currency", json!("INR")),
        "order_amount": decimal(call.field("order_amount")).map_or(Value::Null, number),
        "order_status": "ACTIVE",
        "payment_session_id": world.fresh_id("session_"),
        "order_expiry_time": sent_or(call, "order_expiry_time", json!(rfc3339(created + ORDER_LIFETIME))),
        "order_note": sent_or(call, "order_note", Value::Null),
        "created_at": rfc3339(created),
        "order_splits": sent_or(call, "order_splits", json!([])),
        "customer_details": {
            "customer_id": customer.get("customer_id"),
            "customer_name": customer.get("customer_name"),
            "customer_email": customer.get("customer_email"),
            "customer_phone": customer.get("customer_phone"),
        },
        "order_meta": {
            "return_url": meta.get("return_url"),
            "notify_url": meta.get("notify_url"),
            "payment_methods": meta.get("payment_methods"),
        },
        "order_tags": sent_or(call, "order_tags", Value::Null),
    });
    world.put(ORDER, &id, &order);
    Ok(order)
}

/// The session's order, if it is `ACTIVE`, gets a `PENDING` payment; the
/// answer says how to complete it, from the example of the same method.
fn pay_order(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let session = call.text("payment_session_id").unwrap_or_default();
    let order = world
        .all(ORDER)
        .find(|(_, o)| o["payment_session_id"] == session)
        .map(|(_, o)| o.clone())
        .ok_or_else(|| {
            Refusal::bad_request(
                "payment_session_id_invalid",
                "payment_session_id is not valid",
            )
            .on_field("payment_session_id")
        })?;
    only_when(
        &order,
        "order_status",
        "ACTIVE",
        "order_not_active",
        "an ACTIVE order can be paid",
    )?;
    let (method, details) = call
        .field("payment_method")
        .and_then(Value::as_object)
        .and_then(|m| m.iter().next())
        .map(|(name, details)| (name.clone(), details.clone()))
        .unwrap_or_else(|| ("upi".to_owned(), json!({})));
    let channel = details.get("channel").cloned().unwrap_or(Value::Null);
    let payment_id = world.fresh_number(10);
    if method == "card" {
        instruments::on_card_payment(call, world, &order, &details, &payment_id)?;
    }
    let payment = json!({
        "cf_payment_id": payment_id,
        "order_id": order["order_id"],
        "entity": "payment",
        "payment_currency": order["order_currency"],
        "payment_amount": order["order_amount"],
        "order_amount": order["order_amount"],
        "payment_status": "PENDING",
        "is_captured": false,
        "payment_group": method,
        "payment_method": {method.clone(): {"channel": channel}},
        "payment_time": rfc3339(now()),
        "payment_message": null,
        "error_details": null,
    });
    world.put(PAYMENT, &payment_id, &payment);
    let template = call
        .examples
        .iter()
        .map(|(_, v)| v)
        .find(|v| v["payment_method"] == method.as_str())
        .or_else(|| call.example())
        .cloned()
        .unwrap_or(json!({"action": "link", "data": null}));
    Ok(json!({
        "payment_method": method,
        "channel": channel,
        "action": template["action"],
        "cf_payment_id": payment_id,
        "payment_amount": order["order_amount"],
        "data": template["data"],
    }))
}

fn create_refund(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("order_id");
    let order = order(world, id)?.clone();
    only_when(
        &order,
        "order_status",
        "PAID",
        "order_not_paid",
        "a PAID order can be refunded",
    )?;
    let refund_id = call.text("refund_id").unwrap_or_default().to_owned();
    if world.has(REFUND, &refund_key(id, &refund_id)) {
        return Err(Refusal::Rule {
            status: 409,
            code: "refund_already_exists",
            message: format!("refund with id {refund_id} is already present"),
            field: Some("refund_id"),
        });
    }
    let amount = decimal(call.field("refund_amount")).unwrap_or_default();
    let paid = decimal(order.get("order_amount")).unwrap_or_default();
    let refunded: Decimal = refunds_of(world, id)
        .filter(|r| r["refund_status"] != "CANCELLED")
        .filter_map(|r| decimal(r.get("refund_amount")))
        .sum();
    if amount + refunded > paid {
        return Err(Refusal::bad_request(
            "refund_amount_exceeded",
            format!(
                "refund amount is greater than the refundable amount ({} left of {paid})",
                paid - refunded
            ),
        )
        .on_field("refund_amount"));
    }
    let payment = world
        .all(PAYMENT)
        .filter(|(_, p)| p["order_id"] == id && p["payment_status"] == "SUCCESS")
        .map(|(pid, _)| pid.to_owned())
        .next_back();
    let speed = sent_or(call, "refund_speed", json!("STANDARD"));
    let refund = json!({
        "cf_payment_id": payment,
        "cf_refund_id": world.fresh_number(8),
        "order_id": id,
        "refund_id": refund_id,
        "entity": "refund",
        "refund_amount": number(amount),
        "refund_currency": order["order_currency"],
        "refund_note": sent_or(call, "refund_note", Value::Null),
        "refund_status": "PENDING",
        "refund_arn": null,
        "refund_charge": 0,
        "status_description": "In Progress",
        "metadata": null,
        "refund_splits": sent_or(call, "refund_splits", json!([])),
        "refund_type": "MERCHANT_INITIATED",
        "refund_mode": null,
        "created_at": rfc3339(now()),
        "processed_at": null,
        "refund_speed": {"requested": speed, "accepted": speed, "processed": null, "message": null},
    });
    world.put(REFUND, &refund_key(id, &refund_id), &refund);
    Ok(refund)
}

/// The webhook `data` of a payment event: the order, the payment, the customer.
fn payment_notice(event: &'static str, order: &Value, payment: &Value) -> Notice {
    Notice {
        event,
        payload: json!({
            "order": {
                "order_id": order["order_id"],
                "order_amount": order["order_amount"],
                "order_currency": order["order_currency"],
                "order_tags": order["order_tags"],
            },
            "payment": payment,
            "customer_details": order["customer_details"],
        }),
    }
}

/// The newest `PENDING` payment of the order, or a new one (a payment made
/// on Cashfree's own checkout page).
fn pending_payment(world: &mut World, order: &Value) -> String {
    let id = text(order, "order_id");
    if let Some(pending) = world
        .all(PAYMENT)
        .filter(|(_, p)| p["order_id"] == id && p["payment_status"] == "PENDING")
        .map(|(pid, _)| pid.to_owned())
        .next_back()
    {
        return pending;
    }
    let payment_id = world.fresh_number(10);
    let payment = json!({
        "cf_payment_id": payment_id,
        "order_id": id,
        "entity": "payment",
        "payment_currency": order["order_currency"],
        "payment_amount": order["order_amount"],
        "order_amount": order["order_amount"],
        "payment_status": "PENDING",
        "is_captured": false,
        "payment_group": "upi",
        "payment_method": {"upi": {"channel": "collect"}},
        "payment_time": rfc3339(now()),
    });
    world.put(PAYMENT, &payment_id, &payment);
    payment_id
}

pub(crate) fn drive(world: &mut World, id: &str, event: Happening) -> Result<Outcome, Refusal> {
    if let Some(order) = world.get(ORDER, id) {
        let state = text(&order, "order_status").to_owned();
        if event == Happening::Settle && state == "PAID" {
            return settlements::settle(world, id);
        }
        if event == Happening::Dispute {
            return disputes::raise(world, id);
        }
        if state != "ACTIVE" {
            return Err(no_transition(ORDER, id, &state, event));
        }
        let set = |world: &mut World, status: &str| {
            let mut order = world.get_mut(ORDER, id).expect("the order was just read");
            let order = &mut *order;
            order["order_status"] = json!(status);
            order.clone()
        };
        return match event {
            Happening::Pay => {
                let payment_id = pending_payment(world, &order);
                let payment = {
                    let mut payment = world.get_mut(PAYMENT, &payment_id).expect("just made");
                    payment["payment_status"] = json!("SUCCESS");
                    payment["is_captured"] = json!(true);
                    payment["payment_message"] = json!("Transaction successful");
                    payment["payment_completion_time"] = json!(rfc3339(now()));
                    payment.clone()
                };
                instruments::save_paid(world, &payment_id);
                let order = set(world, "PAID");
                Ok(Outcome {
                    notices: vec![payment_notice("PAYMENT_SUCCESS_WEBHOOK", &order, &payment)],
                    entity: order,
                })
            }
            Happening::Fail => {
                let payment_id = pending_payment(world, &order);
                let payment = {
                    let mut payment = world.get_mut(PAYMENT, &payment_id).expect("just made");
                    payment["payment_status"] = json!("FAILED");
                    payment["payment_message"] = json!("Transaction failed");
                    payment["error_details"] = json!({
                        "error_code": "TRANSACTION_DECLINED",
                        "error_description": "the bank declined the payment",
                        "error_reason": "bank_declined",
                        "error_source": "bank",
                    });
                    payment.clone()
                };
                Ok(Outcome {
                    notices: vec![payment_notice("PAYMENT_FAILED_WEBHOOK", &order, &payment)],
                    entity: order,
                })
            }
            Happening::Expire => Ok(Outcome {
                entity: set(world, "EXPIRED"),
                notices: Vec::new(),
            }),
            Happening::Terminate => Ok(Outcome {
                entity: set(world, "TERMINATED"),
                notices: Vec::new(),
            }),
            other => Err(no_transition(ORDER, id, &state, other)),
        };
    }
    if world.has(links::LINK, id) {
        return links::drive(world, id, event);
    }
    if world.has(disputes::DISPUTE, id) {
        return disputes::drive(world, id, event);
    }
    // A refund, by its id (unique within its order).
    let key = world
        .all(REFUND)
        .find(|(_, r)| r["refund_id"] == id || r["cf_refund_id"] == id)
        .map(|(key, _)| key.to_owned())
        .ok_or_else(|| Refusal::not_found("entity", id))?;
    let mut refund = world.get_mut(REFUND, &key).expect("just found");
    let refund = &mut *refund;
    let state = text(refund, "refund_status").to_owned();
    match event {
        Happening::Settle if state == "PENDING" => {
            refund["refund_status"] = json!("SUCCESS");
            refund["status_description"] = json!("Refund processed successfully");
            refund["processed_at"] = json!(rfc3339(now()));
            let entity = refund.clone();
            Ok(Outcome {
                notices: vec![Notice {
                    event: "REFUND_STATUS_WEBHOOK",
                    payload: json!({"refund": entity}),
                }],
                entity,
            })
        }
        other => Err(no_transition(REFUND, id, &state, other)),
    }
}
