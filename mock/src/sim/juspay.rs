//! Juspay's rule table: orders `NEW` -> `PENDING_VBV` (a transaction started)
//! -> `CHARGED`, or `AUTHORIZATION_FAILED`, after which a new transaction may
//! be started; refunds only of a `CHARGED` order, their sum never above its
//! amount, one per `unique_request_id`, `PENDING` -> `SUCCESS`; customers
//! (`customers`); saved cards (`cards`); mandates (`mandates`).
//!
//! Pages: <https://juspay.io/in/docs/api-reference/docs/express-checkout/create-order-api>,
//! .../order-status-api (statuses and their ids: NEW 10, PENDING_VBV 23,
//! CHARGED 21, AUTHORIZATION_FAILED 27; an unknown order is not found),
//! .../refund-order-api (`unique_request_id` makes a refund request idempotent).
//! Inferred: a second create with an existing `order_id` answers the existing
//! order unchanged (the page does not say; nothing is created twice).

mod cards;
mod customers;
mod mandates;

use serde_json::{json, Value};

use super::{
    decimal, no_transition, number, only_when, renamed, text, Call, Notice, Outcome, Refusal,
};
use crate::world::{now, rfc3339, World};
use crate::Happening;
use paygen::Decimal;

const ORDER: &str = "order";

/// The spec documents a 404 for an unknown order.
pub(crate) const NOT_FOUND_STATUS: u16 = 404;

/// The statuses a transaction may be started from.
const PAYABLE: &[&str] = &[
    "NEW",
    "PENDING_VBV",
    "AUTHORIZATION_FAILED",
    "AUTHENTICATION_FAILED",
];

pub(crate) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_order" => create_order(call, world),
        "order_status" => Ok(order(world, call.param("order_id"))?.clone()),
        "update_order" => update_order(call, world),
        "create_txn" => create_txn(call, world),
        "refund_order" => refund_order(call, world),
        "create_customer" | "get_customer" | "update_customer" => customers::answer(call, world),
        "create_card_txn" | "list_cards" | "delete_card" | "add_card" => cards::answer(call, world),
        "execute_mandate" | "revoke_mandate" => mandates::answer(call, world),
        _ => super::generic::answer(call, world),
    }
}

fn order(world: &World, id: &str) -> Result<Value, Refusal> {
    world
        .get(ORDER, id)
        .ok_or_else(|| Refusal::not_found(ORDER, id))
}

/// The status and its number.
fn set_status(order: &mut Value, status: &str) {
    let id = match status {
        "NEW" => 10,
        "CHARGED" => 21,
        "PENDING_VBV" => 23,
        "AUTHENTICATION_FAILED" => 26,
        "AUTHORIZATION_FAILED" => 27,
        _ => 0,
    };
    order["status"] = json!(status);
    order["status_id"] = json!(id);
}

fn hex_id(prefix: &str) -> String {
    let hex: String = (0..32)
        .map(|_| char::from_digit(fastrand::u32(..16), 16).unwrap_or('0'))
        .collect();
    format!("{prefix}{hex}")
}

/// A new order, `NEW`, of `amount` for `customer_id`, with nothing else sent.
fn fresh_order(order_id: &str, merchant: Option<&str>, customer_id: Value, amount: Value) -> Value {
    let id = hex_id("ordeh_");
    let mut order = json!({
        "id": id,
        "order_id": order_id,
        "merchant_id": merchant,
        "customer_id": customer_id,
        "customer_email": null,
        "customer_phone": null,
        "product_id": null,
        "amount": amount,
        "effective_amount": amount,
        "amount_refunded": 0,
        "refunded": false,
        "currency": "INR",
        "date_created": rfc3339(now()),
        "return_url": null,
        "udf1": null,
        "udf2": null,
        "payment_links": {"web": format!("https://api.juspay.in/merchant/pay/{id}")},
        "refunds": [],
    });
    set_status(&mut order, "NEW");
    order
}

fn create_order(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let order_id = call.text("order_id").unwrap_or_default().to_owned();
    let order = match world.get(ORDER, &order_id) {
        Some(order) => order.clone(),
        None => {
            let mandate = mandates::asked(call)?;
            let amount = decimal(call.field("amount")).map_or(Value::Null, number);
            let customer = call.field("customer_id").cloned().unwrap_or(Value::Null);
            let mut order = fresh_order(&order_id, call.header("x-merchantid"), customer, amount);
            for sent in [
                "customer_email",
                "customer_phone",
                "product_id",
                "currency",
                "return_url",
                "udf1",
                "udf2",
            ] {
                if let Some(value) = call.field(sent) {
                    order[sent] = value.clone();
                }
            }
            world.put(ORDER, &order_id, &order);
            if let Some(terms) = mandate {
                mandates::await_payment(world, &order_id, &terms);
            }
            order
        }
    };
    let token = call
        .field("options.get_client_auth_token")
        .is_some_and(|v| v == &json!(true) || v == &json!("true"));
    let juspay = if token {
        json!({
            "client_auth_token": hex_id("tkn_"),
            "client_auth_token_expiry": rfc3339(now() + 15 * 60),
        })
    } else {
        Value::Null
    };
    Ok(json!({
        "status": order["status"],
        "id": order["id"],
        "order_id": order["order_id"],
        "payment_links": {"web": order["payment_links"]["web"], "expiry": null},
        "juspay": juspay,
    }))
}

/// The order with its amount and your own values changed, as sent; a
/// `CHARGED` order is paid for its amount and is not changed (inferred: the
/// page advises against updating once a transaction started).
fn update_order(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("order_id").to_owned();
    let mut order = order(world, &id)?;
    let state = text(&order, "status").to_owned();
    if state == "CHARGED" {
        return Err(Refusal::bad_request(
            "INVALID_ORDER_STATE",
            format!("order is {state}: only an order not yet paid can be updated"),
        ));
    }
    if let Some(amount) = decimal(call.field("amount")) {
        order["amount"] = number(amount);
        order["effective_amount"] = number(amount);
    }
    for udf in (1..=10).map(|n| format!("udf{n}")) {
        if let Some(value) = call.field(&udf) {
            order[udf.as_str()] = value.clone();
        }
    }
    world.put(ORDER, &id, &order);
    Ok(order)
}

/// A transaction on a payable order: `PENDING_VBV` until the customer
/// approves it in CRED (the test's `drive`).
fn create_txn(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let mut started = start_txn(call, world, "WALLET", "CRED")?;
    let (txn_id, txn_uuid) = (started.txn_id.clone(), started.txn_uuid.clone());
    started.keep(world);
    let template = call.example().cloned().unwrap_or(Value::Null);
    let payment = renamed(
        &renamed(&template["payment"], text(&template, "txn_uuid"), &txn_uuid),
        text(&template, "txn_id"),
        &txn_id,
    );
    Ok(json!({
        "order_id": started.order_id,
        "txn_id": txn_id,
        "txn_uuid": txn_uuid,
        "status": "PENDING_VBV",
        "payment": payment,
    }))
}

/// A transaction started on an order, not yet kept.
struct Started {
    order_id: String,
    order: Value,
    txn_id: String,
    txn_uuid: String,
}

impl Started {
    fn keep(&mut self, world: &mut World) {
        world.put(ORDER, &self.order_id, &self.order);
    }
}

/// Starts a transaction by `method_type` and `method` on the request's
/// order, which must be payable: `PENDING_VBV`, with the transaction's ids
/// (`<merchant>-<order>-<attempt>` and a fresh uuid).
fn start_txn(
    call: &Call<'_>,
    world: &mut World,
    method_type: &str,
    method: &str,
) -> Result<Started, Refusal> {
    let order_id = call.text("order_id").unwrap_or_default().to_owned();
    let mut order = order(world, &order_id)?;
    let state = text(&order, "status").to_owned();
    if !PAYABLE.contains(&state.as_str()) {
        return Err(Refusal::bad_request(
            "INVALID_ORDER_STATE",
            format!("order is {state}: a transaction cannot be started on it"),
        ));
    }
    let merchant = call.text("merchant_id").unwrap_or_default();
    let attempt = world.tick();
    let txn_id = format!("{merchant}-{order_id}-{attempt}");
    let txn_uuid = world.fresh_id("eul");
    set_status(&mut order, "PENDING_VBV");
    order["txn_id"] = json!(txn_id);
    order["txn_uuid"] = json!(txn_uuid);
    order["payment_method_type"] = json!(method_type);
    order["payment_method"] = json!(method);
    Ok(Started {
        order_id,
        order,
        txn_id,
        txn_uuid,
    })
}

fn refund_order(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let order_id = call.param("order_id").to_owned();
    let mut order = order(world, &order_id)?.clone();
    let request_id = call
        .field("unique_request_id")
        .cloned()
        .unwrap_or(Value::Null);
    let refunds = order["refunds"].as_array().cloned().unwrap_or_default();
    // The same request again is the same refund: nothing more is refunded.
    if refunds.iter().any(|r| r["unique_request_id"] == request_id) {
        return Ok(order);
    }
    only_when(
        &order,
        "status",
        "CHARGED",
        "INVALID_REFUND_REQUEST",
        "a CHARGED order can be refunded",
    )?;
    let amount = decimal(call.field("amount")).unwrap_or_default();
    let paid = decimal(order.get("amount")).unwrap_or_default();
    let refunded = decimal(order.get("amount_refunded")).unwrap_or(Decimal::ZERO);
    if amount + refunded > paid {
        return Err(Refusal::bad_request(
            "INVALID_REFUND_AMOUNT",
            format!(
                "Refund amount is greater than the refundable amount ({} left of {paid})",
                paid - refunded
            ),
        )
        .on_field("amount"));
    }
    let mut refunds = refunds;
    refunds.push(json!({
        "id": world.fresh_number(7),
        "ref": null,
        "amount": number(amount),
        "created": rfc3339(now()),
        "status": "PENDING",
        "error_message": "",
        "sent_to_gateway": false,
        "unique_request_id": request_id,
        "initiated_by": "API",
        "refund_type": "STANDARD",
        "refund_source": order["payment_method"],
    }));
    order["refunds"] = Value::Array(refunds);
    order["amount_refunded"] = number(amount + refunded);
    order["refunded"] = json!(amount + refunded == paid);
    world.put(ORDER, &order_id, &order);
    Ok(order)
}

fn notice(event: &'static str, order: &Value) -> Notice {
    Notice {
        event,
        payload: json!({"order": order}),
    }
}

pub(crate) fn drive(world: &mut World, id: &str, event: Happening) -> Result<Outcome, Refusal> {
    // An order by its id, or the order holding a refund of that request id.
    let order_id = match world.get(ORDER, id) {
        Some(_) => id.to_owned(),
        None => world
            .all(ORDER)
            .find(|(_, o)| {
                o["refunds"]
                    .as_array()
                    .is_some_and(|rs| rs.iter().any(|r| r["unique_request_id"] == id))
            })
            .map(|(oid, _)| oid.to_owned())
            .ok_or_else(|| Refusal::not_found("entity", id))?,
    };
    let mut guard = world.get_mut(ORDER, &order_id).expect("just found");
    let order = &mut *guard;
    let state = text(order, "status").to_owned();
    match event {
        Happening::Pay if state == "PENDING_VBV" => {
            set_status(order, "CHARGED");
            let txn = order["txn_id"].clone();
            order["payment_gateway_response"] = json!({
                "resp_code": "SUCCESS",
                "resp_message": "Transaction successful",
                "txn_id": txn,
                "epg_txn_id": null,
                "created": rfc3339(now()),
            });
            let mut order = order.clone();
            drop(guard);
            // A new card asked to be saved is saved once its payment succeeds,
            // and a mandate asked for is registered.
            let saved = cards::save_charged(world, &mut order);
            let activated = mandates::register_charged(world, &mut order);
            if activated.is_some() || saved {
                world.put(ORDER, &order_id, &order);
            }
            let mut notices = vec![notice("ORDER_SUCCEEDED", &order)];
            notices.extend(activated);
            Ok(Outcome {
                notices,
                entity: order,
            })
        }
        Happening::Fail if state == "PENDING_VBV" => {
            set_status(order, "AUTHORIZATION_FAILED");
            order["bank_error_code"] = json!("DECLINED");
            order["bank_error_message"] = json!("the payment was declined");
            let order = order.clone();
            Ok(Outcome {
                notices: vec![notice("ORDER_FAILED", &order)],
                entity: order,
            })
        }
        Happening::Settle => {
            let mut settled = false;
            if let Some(refunds) = order["refunds"].as_array_mut() {
                for refund in refunds.iter_mut() {
                    let this = order_id == id || refund["unique_request_id"] == id;
                    if this && refund["status"] == "PENDING" {
                        refund["status"] = json!("SUCCESS");
                        refund["sent_to_gateway"] = json!(true);
                        settled = true;
                    }
                }
            }
            if !settled {
                return Err(Refusal::bad_request(
                    "invalid_transition",
                    format!("`{id}` has no PENDING refund: `settle` does not apply"),
                ));
            }
            let order = order.clone();
            Ok(Outcome {
                notices: vec![notice("ORDER_REFUNDED", &order)],
                entity: order,
            })
        }
        other => Err(no_transition(ORDER, &order_id, &state, other)),
    }
}
