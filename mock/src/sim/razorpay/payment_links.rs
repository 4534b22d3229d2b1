//! Razorpay's Standard and UPI Payment Links (`upi_link`, which take no
//! partial payments): `created` -> `paid` when the customer
//! pays (with the order and captured payment Razorpay makes for it),
//! `expired` past its expiry, `cancelled` by you; only a `created` link is
//! changed or cancelled, and only a payable one is sent again.
//!
//! Pages: <https://razorpay.com/docs/api/payments/payment-links/> (the entity,
//! create, fetch, update, cancel, resend) and
//! <https://razorpay.com/docs/payments/payment-links/states/> ("You can cancel a
//! Payment Link only if it is in the issued state"). Inferred, as the pages do
//! not show them: the refusals' texts; that only a `created` link can be
//! updated; that a reference id already in use is refused (the create page
//! says it "must be a unique number for each Payment Link"); that `expire_by`
//! must be in the future and at most six months away (the entity page: "the
//! expire by date cannot exceed more than six months from the date of
//! creation"); that a resend is refused once the link cannot be paid; the
//! text refusing partial payments on a UPI link (the UPI page,
//! <https://razorpay.com/docs/payments/payment-links/upi/>, says they do not
//! apply).

use serde_json::{json, Value};

use super::entities::{PaidOn, Payment, PaymentSent};
use super::{find, ORDER, PAYMENT};
use crate::sim::{integer, no_transition, sent_or, text, Call, Notice, Outcome, Refusal};
use crate::world::{now, World};
use crate::Happening;

pub(super) const PAYMENT_LINK: &str = "payment_link";

/// Six months, as the pages bound a link's life: 183 days.
const LONGEST_LIFE: u64 = 183 * 86_400;

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_payment_link" => create(call, world),
        "fetch_payment_link" => find(world, PAYMENT_LINK, call.param("id")),
        "list_payment_links" => Ok(list(call, world)),
        "update_payment_link" => update(call, world),
        "cancel_payment_link" => cancel(world, call.param("id")),
        "notify_payment_link" => notify(call, world),
        _ => crate::sim::generic::answer(call, world),
    }
}

fn create(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let upi = call.field("upi_link") == Some(&json!(true));
    if upi && call.field("accept_partial") == Some(&json!(true)) {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            "Partial payments are not supported for UPI Payment Links",
        )
        .on_field("accept_partial"));
    }
    let reference = sent_or(call, "reference_id", json!(""));
    unique_reference(world, &reference, "")?;
    let expire_by = integer(call.field("expire_by")).unwrap_or(0);
    check_expiry(expire_by)?;
    let id = world.fresh_id("plink_");
    let at = now();
    let link = json!({
        "id": id,
        "amount": integer(call.field("amount")).unwrap_or_default(),
        "amount_paid": 0,
        "currency": sent_or(call, "currency", json!("INR")),
        "accept_partial": sent_or(call, "accept_partial", json!(false)),
        "first_min_partial_amount": sent_or(call, "first_min_partial_amount", json!(0)),
        "description": sent_or(call, "description", json!("")),
        "reference_id": reference,
        "customer": sent_or(call, "customer", json!([])),
        "notify": sent_or(call, "notify", json!({"email": false, "sms": false})),
        "reminder_enable": sent_or(call, "reminder_enable", json!(false)),
        "reminders": [],
        "notes": sent_or(call, "notes", json!([])),
        "callback_url": sent_or(call, "callback_url", json!("")),
        "callback_method": sent_or(call, "callback_method", json!("")),
        "short_url": format!("https://rzp.io/i/{}", &id["plink_".len()..][..8]),
        "status": "created",
        "payments": null,
        "expire_by": expire_by,
        "expired_at": 0,
        "cancelled_at": 0,
        "created_at": at,
        "updated_at": at,
        "upi_link": upi,
        "user_id": "",
    });
    world.put(PAYMENT_LINK, &id, &link);
    Ok(link)
}

/// Every link, newest first; only the one with the query's `reference_id`,
/// or the one the query's `payment_id` paid, when given.
fn list(call: &Call<'_>, world: &World) -> Value {
    let reference = call.query("reference_id");
    let payment = call.query("payment_id");
    let links: Vec<Value> = world
        .all(PAYMENT_LINK)
        .rev()
        .map(|(_, link)| link)
        .filter(|link| {
            reference
                .as_ref()
                .is_none_or(|r| link["reference_id"] == **r)
        })
        .filter(|link| {
            payment.as_ref().is_none_or(|p| {
                link["payments"]
                    .as_array()
                    .is_some_and(|made| made.iter().any(|m| m["payment_id"] == **p))
            })
        })
        .collect();
    json!({ "payment_links": links })
}

fn update(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("id");
    let mut link = find(world, PAYMENT_LINK, id)?;
    if link["status"] != "created" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!(
                "Payment Link is {}: only a created link can be updated",
                text(&link, "status")
            ),
        ));
    }
    if let Some(reference) = call.field("reference_id") {
        unique_reference(world, reference, id)?;
    }
    if let Some(expire_by) = call.field("expire_by") {
        check_expiry(integer(Some(expire_by)).unwrap_or(0))?;
    }
    for key in [
        "reference_id",
        "expire_by",
        "reminder_enable",
        "accept_partial",
        "notes",
    ] {
        if let Some(value) = call.field(key) {
            link[key] = value.clone();
        }
    }
    link["updated_at"] = json!(now());
    world.put(PAYMENT_LINK, id, &link);
    Ok(link)
}

fn cancel(world: &mut World, id: &str) -> Result<Value, Refusal> {
    let mut link = find(world, PAYMENT_LINK, id)?;
    if link["status"] != "created" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!(
                "Payment Link is {}: only a created link can be cancelled",
                text(&link, "status")
            ),
        ));
    }
    let at = now();
    link["status"] = json!("cancelled");
    link["cancelled_at"] = json!(at);
    link["updated_at"] = json!(at);
    world.put(PAYMENT_LINK, id, &link);
    Ok(link)
}

fn notify(call: &Call<'_>, world: &World) -> Result<Value, Refusal> {
    let link = find(world, PAYMENT_LINK, call.param("id"))?;
    let medium = call.param("medium");
    if medium != "sms" && medium != "email" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!("`{medium}` is not a way to send a link: sms or email"),
        ));
    }
    if !payable(&link) {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!(
                "Payment Link is {}: it cannot be paid, so it is not sent",
                text(&link, "status")
            ),
        ));
    }
    Ok(json!({"success": true}))
}

fn payable(link: &Value) -> bool {
    link["status"] == "created" || link["status"] == "partially_paid"
}

/// Refuses a reference id another link (not `except`) already has.
fn unique_reference(world: &World, reference: &Value, except: &str) -> Result<(), Refusal> {
    if reference.as_str().is_none_or(str::is_empty) {
        return Ok(());
    }
    let taken = world
        .all(PAYMENT_LINK)
        .any(|(id, link)| id != except && link["reference_id"] == *reference);
    if taken {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!(
                "Payment Link with reference id {} already exists",
                reference.as_str().unwrap_or_default()
            ),
        )
        .on_field("reference_id"));
    }
    Ok(())
}

/// Refuses an expiry in the past or more than six months away (0: none).
fn check_expiry(expire_by: i64) -> Result<(), Refusal> {
    let now = now();
    let Ok(at) = u64::try_from(expire_by) else {
        return Err(expiry_refused("is not a time"));
    };
    if at == 0 {
        return Ok(());
    }
    if at <= now {
        return Err(expiry_refused("is in the past"));
    }
    if at > now + LONGEST_LIFE {
        return Err(expiry_refused("is more than six months away"));
    }
    Ok(())
}

fn expiry_refused(why: &str) -> Refusal {
    Refusal::bad_request("BAD_REQUEST_ERROR", format!("expire_by {why}")).on_field("expire_by")
}

/// The customer pays what is left of the link: Razorpay makes an order for
/// it and a captured payment, and the link is `paid`. Its expiry: `expired`.
pub(super) fn drive(world: &mut World, id: &str, event: Happening) -> Result<Outcome, Refusal> {
    let mut link = find(world, PAYMENT_LINK, id)?;
    if !payable(&link) || !matches!(event, Happening::Pay | Happening::Expire) {
        return Err(no_transition(
            PAYMENT_LINK,
            id,
            text(&link, "status"),
            event,
        ));
    }
    let at = now();
    link["updated_at"] = json!(at);
    if matches!(event, Happening::Expire) {
        link["status"] = json!("expired");
        link["expired_at"] = json!(at);
        world.put(PAYMENT_LINK, id, &link);
        return Ok(Outcome {
            notices: vec![Notice {
                event: "payment_link.expired",
                payload: json!({"payment_link": {"entity": link}}),
            }],
            entity: link,
        });
    }
    let amount = link["amount"].as_i64().unwrap_or(0);
    let due = amount - link["amount_paid"].as_i64().unwrap_or(0);
    let order_id = world.fresh_id("order_");
    let mut order = json!({
        "id": order_id,
        "entity": "order",
        "amount": amount,
        "amount_paid": amount,
        "amount_due": 0,
        "currency": link["currency"],
        "receipt": null,
        "offer_id": null,
        "status": "attempted",
        "attempts": 0,
        "notes": [],
        "created_at": at,
    });
    let sent = PaymentSent::made(Some(due), "upi");
    let payment = Payment::new(world, PaidOn::order(&order), &sent).captured();
    let paid = payment.value();
    world.put_text(PAYMENT, &payment.id, &payment.text());
    let payment_id = payment.id;
    order["attempts"] = json!(1);
    order["status"] = json!("paid");
    let made = json!({
        "payment_id": payment_id,
        "plink_id": id,
        "amount": due,
        "method": "upi",
        "status": "captured",
        "created_at": at,
        "updated_at": at,
    });
    match link["payments"].as_array_mut() {
        Some(payments) => payments.push(made),
        None => link["payments"] = json!([made]),
    }
    link["amount_paid"] = json!(amount);
    link["status"] = json!("paid");
    link["order_id"] = json!(order_id);
    world.put(ORDER, &order_id, &order);
    world.put(PAYMENT_LINK, id, &link);
    Ok(Outcome {
        notices: vec![Notice {
            event: "payment_link.paid",
            payload: json!({
                "payment_link": {"entity": link},
                "order": {"entity": order},
                "payment": {"entity": paid},
            }),
        }],
        entity: link,
    })
}
