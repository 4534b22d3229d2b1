//! Razorpay's UPI QR Codes: `active` until closed on demand, or (for
//! `single_use`) paid; each payment adds to what the QR Code received and
//! posts `qr_code.credited`; only an `active` QR Code is paid or closed.
//!
//! Pages: <https://razorpay.com/docs/api/qr-codes/> (the entity, create,
//! fetch, close; "single_use: QR Code will accept only one payment and then
//! close automatically"). Inferred, as the pages do not show them: the
//! refusals' texts, that `close_by` must be in the future, that a closed QR
//! Code cannot be closed again, and that a customer paying a QR Code with no
//! fixed amount pays 100 paise (the smallest INR payment).

use serde_json::{json, Value};

use super::entities::{PaidOn, Payment, PaymentSent};
use super::{find, PAYMENT};
use crate::sim::{integer, no_transition, sent_or, text, Call, Notice, Outcome, Refusal};
use crate::world::{now, World};
use crate::Happening;

pub(super) const QR_CODE: &str = "qr_code";

/// What a customer pays a QR Code with no fixed amount.
const OPEN_AMOUNT: i64 = 100;

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_qr_code" => create(call, world),
        "fetch_qr_code" => find(world, QR_CODE, call.param("id")),
        "close_qr_code" => close(world, call.param("id")),
        _ => crate::sim::generic::answer(call, world),
    }
}

fn create(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let close_by = integer(call.field("close_by"));
    if close_by.is_some_and(|at| u64::try_from(at).map_or(true, |at| at <= now())) {
        return Err(
            Refusal::bad_request("BAD_REQUEST_ERROR", "close_by must be in the future")
                .on_field("close_by"),
        );
    }
    let id = world.fresh_id("qr_");
    let qr = json!({
        "id": id,
        "entity": "qr_code",
        "created_at": now(),
        "name": sent_or(call, "name", Value::Null),
        "usage": sent_or(call, "usage", json!("multiple_use")),
        "type": sent_or(call, "type", json!("upi_qr")),
        "image_url": format!("https://rzp.io/i/{}", &id["qr_".len()..][..8]),
        "payment_amount": sent_or(call, "payment_amount", Value::Null),
        "status": "active",
        "description": sent_or(call, "description", Value::Null),
        "fixed_amount": sent_or(call, "fixed_amount", json!(false)),
        "payments_amount_received": 0,
        "payments_count_received": 0,
        "notes": sent_or(call, "notes", json!([])),
        "customer_id": sent_or(call, "customer_id", Value::Null),
        "close_by": close_by,
        "closed_at": null,
        "close_reason": null,
    });
    world.put(QR_CODE, &id, &qr);
    Ok(qr)
}

fn closed(mut qr: Value, reason: &str) -> Value {
    qr["status"] = json!("closed");
    qr["closed_at"] = json!(now());
    qr["close_reason"] = json!(reason);
    qr
}

fn close(world: &mut World, id: &str) -> Result<Value, Refusal> {
    let qr = find(world, QR_CODE, id)?;
    if qr["status"] != "active" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            "The QR Code is already closed",
        ));
    }
    let qr = closed(qr, "on_demand");
    world.put(QR_CODE, id, &qr);
    Ok(qr)
}

/// A customer pays the QR Code: a captured UPI payment, added to what it
/// received; a `single_use` one closes.
pub(super) fn drive(world: &mut World, id: &str, event: Happening) -> Result<Outcome, Refusal> {
    let mut qr = find(world, QR_CODE, id)?;
    if qr["status"] != "active" || !matches!(event, Happening::Pay) {
        return Err(no_transition(QR_CODE, id, text(&qr, "status"), event));
    }
    let amount = match qr["fixed_amount"] == true {
        true => qr["payment_amount"].as_i64().unwrap_or(OPEN_AMOUNT),
        false => OPEN_AMOUNT,
    };
    let no_order = PaidOn {
        order_id: None,
        currency: "INR",
        amount_due: amount,
        customer_id: None,
    };
    let sent = PaymentSent::made(Some(amount), "upi");
    let payment = Payment::new(world, no_order, &sent).captured();
    let received = qr["payments_amount_received"].as_i64().unwrap_or(0) + amount;
    let count = qr["payments_count_received"].as_i64().unwrap_or(0) + 1;
    qr["payments_amount_received"] = json!(received);
    qr["payments_count_received"] = json!(count);
    if qr["usage"] == "single_use" {
        qr = closed(qr, "paid");
    }
    world.put_text(PAYMENT, &payment.id, &payment.text());
    world.put(QR_CODE, id, &qr);
    Ok(Outcome {
        notices: vec![Notice {
            event: "qr_code.credited",
            payload: json!({"payment": {"entity": payment.value()}, "qr_code": {"entity": qr}}),
        }],
        entity: qr,
    })
}
