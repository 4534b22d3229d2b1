//! Cashfree's settlements of orders: a `PAID` order's successful payment is
//! settled once (`Happening::Settle` on the order), for its amount, with a
//! transfer and its UTR; before that the order's settlement names its
//! payment and no settlement.
//!
//! Page: <https://www.cashfree.com/docs/api-reference/payments/previous/v2023-08-01/settlements/get-settlements-by-order-id>.
//! Inferred, as the page does not show them: that a paid order not yet
//! settled answers with its settlement fields null, that fees and tax are 0
//! in the mock, that refunds are not netted per order (Cashfree adjusts them
//! in later settlements), and the refusal of a second settlement.

use serde_json::{json, Value};

use super::{order, ORDER, PAYMENT};
use crate::sim::{no_transition, text, Call, Outcome, Refusal};
use crate::world::{now, rfc3339, World};
use crate::Happening;

/// An order's settlement, by the order's id.
const SETTLEMENT: &str = "settlement";

/// The order's settlement: its successful payment, and the settlement that
/// paid it out once there is one.
pub(super) fn of_order(call: &Call<'_>, world: &World) -> Result<Value, Refusal> {
    let id = call.param("order_id");
    let order = order(world, id)?;
    if let Some(settled) = world.get(SETTLEMENT, id) {
        return Ok(settled);
    }
    let payment = paid_with(world, id);
    Ok(json!({
        "cf_payment_id": payment.as_ref().map(|p| p["cf_payment_id"].clone()),
        "cf_settlement_id": null,
        "settlement_currency": null,
        "order_id": id,
        "entity": "settlement",
        "order_amount": order["order_amount"],
        "payment_time": payment.as_ref().map(|p| p["payment_time"].clone()),
        "service_charge": null,
        "service_tax": null,
        "settlement_amount": null,
        "settlement_id": null,
        "transfer_id": null,
        "transfer_time": null,
        "transfer_utr": null,
    }))
}

/// The order's successful payment.
fn paid_with(world: &World, order_id: &str) -> Option<Value> {
    world
        .all(PAYMENT)
        .map(|(_, p)| p)
        .find(|p| p["order_id"] == order_id && p["payment_status"] == "SUCCESS")
}

/// Settles a `PAID` order's payment, once.
pub(super) fn settle(world: &mut World, id: &str) -> Result<Outcome, Refusal> {
    let order = order(world, id)?;
    let state = text(&order, "order_status");
    if state != "PAID" {
        return Err(no_transition(ORDER, id, state, Happening::Settle));
    }
    if world.has(SETTLEMENT, id) {
        return Err(Refusal::bad_request(
            "settlement_already_done",
            format!("order {id}'s payment is settled already"),
        ));
    }
    let payment = paid_with(world, id).unwrap_or(Value::Null);
    let at = rfc3339(now());
    let settlement_id = world.fresh_number(7);
    let settlement = json!({
        "cf_payment_id": payment["cf_payment_id"],
        "cf_settlement_id": world.fresh_number(6),
        "settlement_currency": order["order_currency"],
        "order_id": id,
        "entity": "settlement",
        "order_amount": order["order_amount"],
        "payment_time": payment["payment_time"],
        "service_charge": 0,
        "service_tax": 0,
        "settlement_amount": payment["payment_amount"],
        "settlement_id": settlement_id.parse::<i64>().unwrap_or_default(),
        "transfer_id": world.fresh_number(6).parse::<i64>().unwrap_or_default(),
        "transfer_time": at,
        "transfer_utr": format!("CF_UTR_{settlement_id}"),
    });
    world.put(SETTLEMENT, id, &settlement);
    Ok(Outcome {
        entity: settlement,
        notices: Vec::new(),
    })
}
