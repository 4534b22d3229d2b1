//! Razorpay's rule table: orders `created` -> `attempted` -> `paid`; payments
//! `created` -> `authorized` -> `captured` (or `failed`), captured only while
//! authorized and for the authorized amount; refunds of a captured payment,
//! partial or full, never above what was captured, `pending` -> `processed`;
//! customers, one per email and contact; payment links (`payment_links`);
//! disputes (`disputes`); QR Codes (`qr_codes`); settlements
//! (`settlements`); tokens (`tokens`); Route transfers (`transfers`).
//!
//! Pages: <https://razorpay.com/docs/api/orders/> (entity and states),
//! <https://razorpay.com/docs/api/payments/> (states, capture),
//! <https://razorpay.com/docs/api/refunds/> (partial and full refunds),
//! <https://razorpay.com/docs/api/customers/> (`fail_existing`, unique email
//! and contact; the duplicate's error text is inferred: the pages do not
//! show it),
//! <https://razorpay.com/docs/api/errors/> (the error body; an unknown id is a
//! 400 `BAD_REQUEST_ERROR`, "The id provided does not exist").

mod customers;
mod disputes;
mod entities;
mod payment_links;
mod qr_codes;
mod settlements;
mod tokens;
mod transfers;
mod workflow;
use customers::{create_customer, edit_customer};
use disputes::DISPUTE;
use entities::{Order, OrderSent, PaidOn, Payment, PaymentSent};
use payment_links::PAYMENT_LINK;
use qr_codes::QR_CODE;
use workflow::{next_actions, with_workflow};

use serde_json::{json, Map, Value};

use super::{integer, no_transition, sent_or, text, Call, Notice, Outcome, Refusal, Reply};
use crate::world::{now, World};
use crate::Happening;

const ORDER: &str = "order";
const PAYMENT: &str = "payment";
const REFUND: &str = "refund";
const CUSTOMER: &str = "customer";

/// Razorpay answers an id it does not know with a 400, not a 404.
pub(crate) const NOT_FOUND_STATUS: u16 = 400;

pub(crate) fn answer(call: &Call<'_>, world: &mut World) -> Result<Reply, Refusal> {
    match call.operation {
        "create_order" => create_order(call, world),
        "retry_order_payment" => retry_order_payment(call, world),
        "create_payment" => create_payment(call, world),
        "resend_otp" => resend_otp(call, world),
        _ => entity(call, world).map(Reply::Json),
    }
}

/// The OTP sent again, for a payment awaiting it.
fn resend_otp(call: &Call<'_>, world: &mut World) -> Result<Reply, Refusal> {
    let payment = payment(world, call.param("id"))?;
    if payment["status"] != "created" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            "OTP can be resent only for a payment awaiting it",
        ));
    }
    Ok(next_actions(call, text(&payment, "id")))
}

/// Answers every call but those answered as text.
fn entity(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_order_and_payment" => create_order_and_payment(call, world),
        "fetch_order" => Ok(order(world, call.param("id"))?.clone()),
        "fetch_order_payments" => {
            let id = order(world, call.param("id"))?["id"].clone();
            let items = world
                .all(PAYMENT)
                .filter(|(_, p)| p["order_id"] == id)
                .map(|(_, p)| p.clone());
            Ok(collection(call, items))
        }
        "list_orders" => Ok(collection(call, world.all(ORDER).map(|(_, o)| o.clone()))),
        "fetch_payment" => Ok(payment(world, call.param("id"))?.clone()),
        "list_payments" => Ok(collection(call, world.all(PAYMENT).map(|(_, p)| p.clone()))),
        "capture_payment" => capture_payment(call, world),
        "submit_otp" => submit_otp(call, world),
        "create_refund" => create_refund(call, world),
        "fetch_payment_refunds" => {
            let id = payment(world, call.param("id"))?["id"].clone();
            let items = world
                .all(REFUND)
                .filter(|(_, r)| r["payment_id"] == id)
                .map(|(_, r)| r.clone());
            Ok(collection(call, items))
        }
        "fetch_refund" => Ok(find(world, REFUND, call.param("id"))?.clone()),
        "create_customer" => create_customer(call, world),
        "fetch_customer" => find(world, CUSTOMER, call.param("id")),
        "create_payment_link"
        | "list_payment_links"
        | "fetch_payment_link"
        | "update_payment_link"
        | "cancel_payment_link"
        | "notify_payment_link" => payment_links::answer(call, world),
        "list_disputes" | "fetch_dispute" | "accept_dispute" | "contest_dispute" => {
            disputes::answer(call, world)
        }
        "create_qr_code" | "fetch_qr_code" | "close_qr_code" => qr_codes::answer(call, world),
        "list_settlements" | "fetch_settlement" | "settlement_recon" => {
            settlements::answer(call, world)
        }
        "list_customer_tokens" | "fetch_customer_token" | "delete_customer_token" => {
            tokens::answer(call, world)
        }
        "create_payment_transfers"
        | "fetch_payment_transfers"
        | "fetch_transfer"
        | "reverse_transfer"
        | "fetch_transfer_reversals"
        | "create_direct_transfer" => transfers::answer(call, world),
        "edit_customer" => edit_customer(call, world),
        "list_customers" => Ok(collection(
            call,
            world.all(CUSTOMER).map(|(_, c)| c.clone()),
        )),
        _ => super::generic::answer(call, world),
    }
}

fn find(world: &World, kind: &'static str, id: &str) -> Result<Value, Refusal> {
    world
        .get(kind, id)
        .ok_or_else(|| Refusal::not_found(kind, id))
}

fn order(world: &World, id: &str) -> Result<Value, Refusal> {
    find(world, ORDER, id)
}

fn payment(world: &World, id: &str) -> Result<Value, Refusal> {
    find(world, PAYMENT, id)
}

/// A collection response, newest first, `skip` and `count` (10 by default, at
/// most 100) applied.
fn collection(call: &Call<'_>, items: impl DoubleEndedIterator<Item = Value>) -> Value {
    collection_up_to(call, items, 100)
}

/// A collection response, newest first, `skip` and `count` (10 by default, at
/// most `most`) applied.
fn collection_up_to(
    call: &Call<'_>,
    items: impl DoubleEndedIterator<Item = Value>,
    most: usize,
) -> Value {
    let count = call
        .query("count")
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(10)
        .min(most);
    let skip = call
        .query("skip")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0);
    collection_of(items.rev().skip(skip).take(count).collect())
}

/// `items` as a collection response, as they are.
fn collection_of(items: Vec<Value>) -> Value {
    json!({"entity": "collection", "count": items.len(), "items": items})
}

/// A payment was made on `order`, as kept in the world: one more attempt,
/// and `attempted` (as [`Order::attempted`] for a fresh one).
fn attempted(order: &mut Value) {
    order["attempts"] = json!(order["attempts"].as_i64().unwrap_or(0) + 1);
    if order["status"] == "created" {
        order["status"] = json!("attempted");
    }
}

/// A new payment on `order` (kept in the world) from `sent`, kept.
fn pay_kept_order(world: &mut World, order: &mut Value, sent: &PaymentSent<'_>) -> String {
    let payment = Payment::new(world, PaidOn::order(order), sent);
    let id = payment.id.clone();
    world.put_text(PAYMENT, &id, &payment.text());
    attempted(order);
    id
}

/// The request's fields the simulator reads, as `T`. The request decoded
/// into its generated type before this, so a refusal here is the mock's
/// own fault, and says so.
fn read<'a, T: serde::Deserialize<'a>>(call: &Call<'a>) -> Result<T, Refusal> {
    call.read().ok_or_else(|| unread(call))
}

fn unread(call: &Call<'_>) -> Refusal {
    let operation = call.operation;
    let why = format!("paygen-mock could not read the fields of `{operation}` it keeps");
    Refusal::bad_request("BAD_REQUEST_ERROR", why)
}

fn create_order(call: &Call<'_>, world: &mut World) -> Result<Reply, Refusal> {
    let sent = OrderSent::of(call).ok_or_else(|| unread(call))?;
    let mut order = Order::new(&sent, world);
    if let Some(asked) = &sent.transfers {
        let (amount, currency, partial) = (order.amount, order.currency, sent.partial_payment);
        order.transfers = transfers::for_order(world, &order.id, amount, currency, partial, asked)?;
    }
    let payment = match &sent.payment {
        Some(paid_with) => {
            let payment = Payment::new(world, order.paid_on(), paid_with);
            let text = payment.text();
            world.put_text(PAYMENT, &payment.id, &text);
            // A card asked to be saved, for the order's customer.
            if let (Some(1), Some(card), Some(customer)) =
                (paid_with.save, &paid_with.card, sent.customer_id.as_deref())
            {
                tokens::save_when_captured(world, &payment.id, customer, card);
            }
            let id = payment.id;
            order.attempted();
            Some(id)
        }
        None => None,
    };
    let text = order.text();
    world.put_text(ORDER, &order.id, &text);
    Ok(match payment {
        Some(payment) => with_workflow(call, text, &payment),
        None => Reply::Text(text),
    })
}

/// An order with its ACH payment, answered with the payment's signature.
fn create_order_and_payment(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let mut sent: OrderSent = read(call)?;
    let paid_with = sent.payment.take().unwrap_or_default();
    let mut order = Order::new(&sent, world);
    let payment = Payment::new(world, order.paid_on(), &paid_with);
    world.put_text(PAYMENT, &payment.id, &payment.text());
    let pay_id = payment.id;
    order.attempted();
    world.put_text(ORDER, &order.id, &order.text());
    Ok(signed(call, &order.id, &pay_id))
}

/// Another payment on an order whose last one failed.
fn retry_order_payment(call: &Call<'_>, world: &mut World) -> Result<Reply, Refusal> {
    let id = call.text("id").unwrap_or_default();
    let mut order = order(world, id)?;
    if order["status"] == "paid" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            "Order has already been paid",
        ));
    }
    let sent: OrderSent = read(call)?;
    let paid_with = sent.payment.unwrap_or_default();
    let pay_id = pay_kept_order(world, &mut order, &paid_with);
    let text = order.to_string();
    world.put_text(ORDER, id, &text);
    Ok(with_workflow(call, text, &pay_id))
}

/// A payment on an existing, unpaid order, for its amount due (CRED).
fn create_payment(call: &Call<'_>, world: &mut World) -> Result<Reply, Refusal> {
    let id = call.text("order_id").unwrap_or_default();
    let mut order = order(world, id)?;
    if order["status"] == "paid" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            "Order has already been paid",
        ));
    }
    let amount = integer(call.field("amount")).unwrap_or_default();
    if Some(amount) != order["amount_due"].as_i64() {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!(
                "The payment amount {amount} must match the amount due on the order, {}",
                order["amount_due"]
            ),
        )
        .on_field("amount"));
    }
    let pay_id = pay_kept_order(world, &mut order, &read(call)?);
    world.put(ORDER, id, &order);
    Ok(next_actions(call, &pay_id))
}

/// The payment's signature response: over this order and payment, with the key secret.
fn signed(call: &Call<'_>, order: &str, payment: &str) -> Value {
    let secret = call.credentials.get(1).map_or("", String::as_str);
    json!({
        "razorpay_payment_id": payment,
        "razorpay_order_id": order,
        "razorpay_signature": paygen::webhooks::razorpay::payment_signature(order, payment, secret),
    })
}

/// The OTP authenticates the payment: `created` -> `authorized` (and
/// `captured`, with its order paid, when the order asked for automatic capture).
fn submit_otp(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("id").to_owned();
    let payment = payment(world, &id)?;
    if payment["status"] != "created" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!(
                "Payment is {}: an OTP is not awaited",
                text(&payment, "status")
            ),
        ));
    }
    let order_id = text(&payment, "order_id").to_owned();
    let happened = authorize(world, &id)?;
    let automatic = world
        .get(ORDER, &order_id)
        .is_some_and(|o| o.pointer("/payment_config/capture") == Some(&json!("automatic")));
    if automatic {
        capture(world, &id, &happened.entity)?;
    }
    Ok(signed(call, &order_id, &id))
}

fn capture_payment(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("id").to_owned();
    let payment = payment(world, &id)?.clone();
    match text(&payment, "status") {
        "authorized" => {}
        "captured" | "refunded" => {
            return Err(Refusal::bad_request(
                "BAD_REQUEST_ERROR",
                "This payment has already been captured",
            ))
        }
        _ => {
            return Err(Refusal::bad_request(
                "BAD_REQUEST_ERROR",
                "Only payments which have been authorized and not yet captured can be captured",
            ))
        }
    }
    if integer(call.field("amount")) != payment["amount"].as_i64() {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            "Capture amount must be equal to the amount authorized",
        )
        .on_field("amount"));
    }
    if call.field("currency") != payment.get("currency") {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            "The currency should be the same as the payment currency",
        )
        .on_field("currency"));
    }
    Ok(capture(world, &id, &payment)?.answered(world))
}

fn create_refund(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("id").to_owned();
    let mut payment = payment(world, &id)?.clone();
    let status = text(&payment, "status");
    if status != "captured" {
        let message = if status == "refunded" {
            "The payment has been fully refunded already".to_owned()
        } else {
            format!("The payment is {status}: only a captured payment can be refunded")
        };
        return Err(Refusal::bad_request("BAD_REQUEST_ERROR", message));
    }
    let captured = payment["amount"].as_i64().unwrap_or(0);
    let refunded = payment["amount_refunded"].as_i64().unwrap_or(0);
    let left = captured - refunded;
    let amount = integer(call.field("amount")).unwrap_or(left);
    if amount > left {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!(
                "The total refund amount is greater than the refund payment amount: {left} is left to refund"
            ),
        )
        .on_field("amount"));
    }
    let refund_id = world.fresh_id("rfnd_");
    let speed = sent_or(call, "speed", json!("normal"));
    let refund = json!({
        "id": refund_id,
        "entity": "refund",
        "amount": amount,
        "currency": payment["currency"],
        "payment_id": id,
        "notes": sent_or(call, "notes", json!([])),
        "receipt": sent_or(call, "receipt", Value::Null),
        "acquirer_data": {"arn": null},
        "created_at": now(),
        "batch_id": null,
        "status": "pending",
        "speed_processed": "normal",
        "speed_requested": speed,
    });
    payment["amount_refunded"] = json!(refunded + amount);
    if refunded + amount == captured {
        payment["refund_status"] = json!("full");
        payment["status"] = json!("refunded");
    } else {
        payment["refund_status"] = json!("partial");
    }
    world.put(PAYMENT, &id, &payment);
    world.put(REFUND, &refund_id, &refund);
    Ok(refund)
}

/// `created` -> `authorized`.
fn authorize(world: &mut World, id: &str) -> Result<Outcome, Refusal> {
    let mut payment = world
        .get_mut(PAYMENT, id)
        .ok_or_else(|| Refusal::not_found(PAYMENT, id))?;
    let payment = &mut *payment;
    if payment["status"] != "created" {
        return Err(no_transition(
            PAYMENT,
            id,
            text(payment, "status"),
            Happening::Authorize,
        ));
    }
    payment["status"] = json!("authorized");
    let entity = payment.clone();
    Ok(Outcome {
        notices: vec![Notice {
            event: "payment.authorized",
            payload: json!({"payment": {"entity": entity}}),
        }],
        entity,
    })
}

/// `authorized` -> `captured`, and the order paid by it.
fn capture(world: &mut World, id: &str, payment: &Value) -> Result<Outcome, Refusal> {
    let mut payment = payment.clone();
    payment["status"] = json!("captured");
    payment["captured"] = json!(true);
    let saved = tokens::save_captured(world, id);
    if let Some((token, _)) = &saved {
        payment["token_id"] = json!(token);
    }
    let amount = payment["amount"].as_i64().unwrap_or(0);
    let mut notices = vec![Notice {
        event: "payment.captured",
        payload: json!({"payment": {"entity": payment}}),
    }];
    notices.extend(saved.map(|(_, activated)| activated));
    let order_id = text(&payment, "order_id").to_owned();
    transfers::on_capture(world, &order_id);
    if let Some(mut order) = world.get_mut(ORDER, &order_id) {
        let order = &mut *order;
        let paid = order["amount_paid"].as_i64().unwrap_or(0) + amount;
        let due = (order["amount"].as_i64().unwrap_or(0) - paid).max(0);
        order["amount_paid"] = json!(paid);
        order["amount_due"] = json!(due);
        if due == 0 {
            order["status"] = json!("paid");
            notices.push(Notice {
                event: "order.paid",
                payload: json!({"payment": {"entity": payment}, "order": {"entity": order}}),
            });
        }
    }
    world.put(PAYMENT, id, &payment);
    Ok(Outcome {
        entity: payment,
        notices,
    })
}

/// The bank refuses the payment.
fn fail(world: &mut World, id: &str) -> Result<Outcome, Refusal> {
    let mut payment = world
        .get_mut(PAYMENT, id)
        .ok_or_else(|| Refusal::not_found(PAYMENT, id))?;
    let payment = &mut *payment;
    let state = text(payment, "status");
    if state != "created" && state != "authorized" {
        return Err(no_transition(PAYMENT, id, state, Happening::Fail));
    }
    let map: &mut Map<String, Value> = payment.as_object_mut().expect("a payment is an object");
    map.insert("status".into(), json!("failed"));
    map.insert("error_code".into(), json!("BAD_REQUEST_ERROR"));
    map.insert("error_description".into(), json!("Payment failed"));
    map.insert("error_source".into(), json!("bank"));
    map.insert("error_step".into(), json!("payment_authorization"));
    map.insert("error_reason".into(), json!("payment_failed"));
    let entity = payment.clone();
    Ok(Outcome {
        notices: vec![Notice {
            event: "payment.failed",
            payload: json!({"payment": {"entity": entity}}),
        }],
        entity,
    })
}

/// The payment of `order` a customer is working on (the newest not yet
/// failed or captured), or a new one for the amount due.
fn open_payment(world: &mut World, order_id: &str) -> Result<String, Refusal> {
    let order = order(world, order_id)?.clone();
    if order["status"] == "paid" {
        return Err(no_transition(ORDER, order_id, "paid", Happening::Pay));
    }
    let open = world
        .all(PAYMENT)
        .filter(|(_, p)| p["order_id"] == order["id"])
        .filter(|(_, p)| p["status"] == "created" || p["status"] == "authorized")
        .map(|(id, _)| id.to_owned())
        .next_back();
    if let Some(id) = open {
        return Ok(id);
    }
    let mut order = order;
    let id = pay_kept_order(world, &mut order, &PaymentSent::made(None, "card"));
    world.put(ORDER, order_id, &order);
    Ok(id)
}

pub(crate) fn drive(world: &mut World, id: &str, event: Happening) -> Result<Outcome, Refusal> {
    let kind = world
        .kinds_of(id)
        .first()
        .copied()
        .ok_or_else(|| Refusal::not_found("entity", id))?;
    match (kind, event) {
        (ORDER, Happening::Pay | Happening::Authorize | Happening::Fail) => {
            let payment = open_payment(world, id)?;
            let mut happened = drive(world, &payment, event)?;
            happened.entity = world.get(ORDER, id).unwrap_or(Value::Null);
            Ok(happened)
        }
        (PAYMENT, Happening::Authorize) => authorize(world, id),
        (PAYMENT, Happening::Pay) => {
            let mut notices = Vec::new();
            if payment(world, id)?["status"] == "created" {
                notices = authorize(world, id)?.notices;
            }
            let payment = payment(world, id)?.clone();
            if payment["status"] != "authorized" {
                return Err(no_transition(PAYMENT, id, text(&payment, "status"), event));
            }
            let mut happened = capture(world, id, &payment)?;
            notices.append(&mut happened.notices);
            happened.notices = notices;
            Ok(happened)
        }
        (PAYMENT, Happening::Fail) => fail(world, id),
        (PAYMENT_LINK, event) => payment_links::drive(world, id, event),
        (PAYMENT, Happening::Dispute) => disputes::raise(world, id),
        (PAYMENT, Happening::Settle) => settlements::settle(world, id),
        (DISPUTE, event) => disputes::drive(world, id, event),
        (QR_CODE, event) => qr_codes::drive(world, id, event),
        (transfers::TRANSFER, event) => transfers::drive(world, id, event),
        (REFUND, Happening::Settle) => {
            let entity = {
                let mut refund = world
                    .get_mut(REFUND, id)
                    .ok_or_else(|| Refusal::not_found(REFUND, id))?;
                if refund["status"] != "pending" {
                    return Err(no_transition(REFUND, id, text(&refund, "status"), event));
                }
                refund["status"] = json!("processed");
                refund.clone()
            };
            let payment = world
                .get(PAYMENT, text(&entity, "payment_id"))
                .unwrap_or(Value::Null);
            Ok(Outcome {
                notices: vec![Notice {
                    event: "refund.processed",
                    payload: json!({"refund": {"entity": entity}, "payment": {"entity": payment}}),
                }],
                entity,
            })
        }
        (kind, event) => {
            let state = world
                .get(kind, id)
                .map(|e| text(&e, "status").to_owned())
                .unwrap_or_default();
            Err(no_transition(kind, id, &state, event))
        }
    }
}
