//! Cashfree's payment links: `ACTIVE` -> `PAID` when the customer pays (each
//! payment through an order of its own, `PAID` with its payment and the
//! order's payment webhook), `EXPIRED` past its expiry, `CANCELLED` by you;
//! only an `ACTIVE` link is cancelled.
//!
//! Pages: <https://www.cashfree.com/docs/api-reference/payments/previous/v2023-08-01/payment-links/create-payment-link>
//! (the entity, 30 days' default expiry), .../cancel-payment-link ("Only a
//! link in ACTIVE status can be cancelled"), .../get-orders-for-a-payment-link.
//! Inferred, as the pages do not show them: the refusals' codes and texts
//! (`link_already_exists` with a 409, as for an order id in use;
//! `link_not_active`), the link's orders' ids
//! (`CFPay_<link_id>_<suffix>`), and that a link's payment posts the order's
//! `PAYMENT_SUCCESS_WEBHOOK` before the link's `PAYMENT_LINK_EVENT`. Each
//! change of a link posts a `PAYMENT_LINK_EVENT` (.../payment-links/webhooks):
//! the link as it is after it, with the order and payment for a payment.

use serde_json::{json, Value};

use super::{drive as drive_order, ORDER};
use crate::sim::{decimal, no_transition, number, sent_or, text, Call, Notice, Outcome, Refusal};
use crate::world::{now, rfc3339, World};
use crate::Happening;

pub(super) const LINK: &str = "link";

/// A link lives 30 days unless the request says otherwise.
const LINK_LIFETIME: u64 = 30 * 86_400;

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_link" => create(call, world),
        "get_link" => link(world, call.param("link_id")),
        "cancel_link" => cancel(world, call.param("link_id")).map(|o| o.answered(world)),
        "get_link_orders" => {
            let id = call.param("link_id");
            link(world, id)?;
            Ok(Value::Array(
                world
                    .all(ORDER)
                    .filter(|(_, o)| o["link_id"] == id)
                    .map(|(_, o)| o)
                    .collect(),
            ))
        }
        _ => crate::sim::generic::answer(call, world),
    }
}

fn link(world: &World, id: &str) -> Result<Value, Refusal> {
    world
        .get(LINK, id)
        .ok_or_else(|| Refusal::not_found(LINK, id))
}

fn create(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.text("link_id").unwrap_or_default().to_owned();
    if world.has(LINK, &id) {
        return Err(Refusal::Rule {
            status: 409,
            code: "link_already_exists",
            message: "link with same id is already present".into(),
            field: Some("link_id"),
        });
    }
    let created = now();
    let expiry = sent_or(
        call,
        "link_expiry_time",
        json!(rfc3339(created + LINK_LIFETIME)),
    );
    let customer = call.field("customer_details").cloned().unwrap_or(json!({}));
    let cf_link_id: u64 = world.fresh_number(7).parse().unwrap_or_default();
    let link = json!({
        "cf_link_id": cf_link_id,
        "link_id": id,
        "link_status": "ACTIVE",
        "link_currency": sent_or(call, "link_currency", json!("INR")),
        "link_amount": decimal(call.field("link_amount")).map_or(Value::Null, number),
        "link_amount_paid": 0,
        "link_partial_payments": sent_or(call, "link_partial_payments", json!(false)),
        "link_minimum_partial_amount": sent_or(call, "link_minimum_partial_amount", Value::Null),
        "link_purpose": sent_or(call, "link_purpose", Value::Null),
        "link_created_at": rfc3339(created),
        "customer_details": {
            "customer_phone": customer.get("customer_phone"),
            "customer_email": customer.get("customer_email"),
            "customer_name": customer.get("customer_name"),
        },
        "link_meta": sent_or(call, "link_meta", json!({})),
        "link_url": format!("https://payments-test.cashfree.com/links/{}", world.fresh_id("")),
        "link_expiry_time": expiry,
        "link_notes": sent_or(call, "link_notes", json!({})),
        "link_auto_reminders": sent_or(call, "link_auto_reminders", json!(false)),
        "link_notify": sent_or(call, "link_notify", json!({"send_sms": false, "send_email": false})),
    });
    world.put(LINK, &id, &link);
    Ok(link)
}

fn not_active(link: &Value) -> Refusal {
    Refusal::bad_request(
        "link_not_active",
        format!(
            "link is {}: only an ACTIVE link can be cancelled",
            text(link, "link_status")
        ),
    )
}

fn cancel(world: &mut World, id: &str) -> Result<Outcome, Refusal> {
    let mut link = link(world, id)?;
    if link["link_status"] != "ACTIVE" {
        return Err(not_active(&link));
    }
    link["link_status"] = json!("CANCELLED");
    world.put(LINK, id, &link);
    Ok(Outcome {
        notices: vec![link_notice(&link, None)],
        entity: link,
    })
}

/// `PAYMENT_LINK_EVENT`: the link itself, and for a payment the order made
/// for it with that payment.
fn link_notice(link: &Value, order: Option<Value>) -> Notice {
    let mut payload = link.clone();
    if let Some(order) = order {
        payload["order"] = order;
    }
    Notice {
        event: "PAYMENT_LINK_EVENT",
        payload,
    }
}

/// The customer pays what is left of the link, through an order of its own
/// that is paid as any order is; or the link expires.
pub(super) fn drive(world: &mut World, id: &str, event: Happening) -> Result<Outcome, Refusal> {
    let mut link = link(world, id)?;
    let state = text(&link, "link_status").to_owned();
    let payable = state == "ACTIVE" || state == "PARTIALLY_PAID";
    if !payable || !matches!(event, Happening::Pay | Happening::Expire) {
        return Err(no_transition(LINK, id, &state, event));
    }
    if matches!(event, Happening::Expire) {
        link["link_status"] = json!("EXPIRED");
        world.put(LINK, id, &link);
        return Ok(Outcome {
            notices: vec![link_notice(&link, None)],
            entity: link,
        });
    }
    let amount = decimal(link.get("link_amount")).unwrap_or_default();
    let paid = decimal(link.get("link_amount_paid")).unwrap_or_default();
    let order_id = format!("CFPay_{id}_{}", world.fresh_id(""));
    let created = now();
    let order = json!({
        "cf_order_id": world.fresh_number(10),
        "order_id": order_id,
        "link_id": id,
        "entity": "order",
        "order_currency": link["link_currency"],
        "order_amount": number(amount - paid),
        "order_status": "ACTIVE",
        "payment_session_id": world.fresh_id("session_"),
        "order_expiry_time": link["link_expiry_time"],
        "order_note": null,
        "created_at": rfc3339(created),
        "order_splits": [],
        "customer_details": link["customer_details"],
        "order_meta": {"return_url": null, "notify_url": null, "payment_methods": null},
        "order_tags": null,
    });
    world.put(ORDER, &order_id, &order);
    let paid_order = drive_order(world, &order_id, Happening::Pay)?;
    link["link_amount_paid"] = number(amount);
    link["link_status"] = json!("PAID");
    world.put(LINK, id, &link);
    let payment = paid_order
        .notices
        .iter()
        .find_map(|notice| notice.payload.get("payment"))
        .cloned()
        .unwrap_or_default();
    let mut notices = paid_order.notices;
    notices.push(link_notice(
        &link,
        Some(json!({
            "order_id": order_id,
            "order_amount": paid_order.entity["order_amount"],
            "order_expiry_time": paid_order.entity["order_expiry_time"],
            "order_hash": world.fresh_id(""),
            // The page sends the payment's id as a number.
            "transaction_id": payment["cf_payment_id"]
                .as_str()
                .and_then(|id| id.parse::<i64>().ok()),
            "transaction_status": payment["payment_status"],
        })),
    ));
    Ok(Outcome {
        entity: link,
        notices,
    })
}
