//! Razorpay's settlements: what was captured, less what was refunded, paid
//! out in one settlement (`processed`, with a UTR) when the test settles a
//! captured payment (`Happening::Settle`): every captured payment and every
//! refund not yet settled goes into it, each once. The recon lists each of
//! them as a credit or a debit, by the day it was settled.
//!
//! Pages: <https://razorpay.com/docs/api/settlements/> (the entity, fetch,
//! fetch all, recon: "all transactions such as payments, refunds, transfers
//! and adjustments settled to your account on a particular day or month"),
//! <https://razorpay.com/docs/payments/settlements/> (captured payments are
//! settled on your settlement cycle), <https://razorpay.com/docs/webhooks/settlements/>
//! (`settlement.processed` once the funds are sent). Inferred, as the pages do not show
//! them: that a settlement is `processed` at once, that fees and tax are 0
//! (the pages' "normal settlement"), the refusal when nothing is left to
//! settle, and that a settlement whose refunds outweigh its payments is
//! refused rather than made negative, and the webhook's payload (the
//! settlement, wrapped as every entity of a delivery is). Not simulated:
//! transfers' share of a settlement, and adjustments.

use serde_json::{json, Value};

use super::{collection_up_to, find, PAYMENT, REFUND};
use crate::sim::{no_transition, text, Call, Notice, Outcome, Refusal};
use crate::world::{now, rfc3339, World};
use crate::Happening;

pub(super) const SETTLEMENT: &str = "settlement";

/// Which settlement holds a payment or refund, by the payment's or refund's id.
const SETTLED: &str = "settled";

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "list_settlements" => Ok(list(call, world)),
        "fetch_settlement" => find(world, SETTLEMENT, call.param("id")),
        "settlement_recon" => Ok(recon(call, world)),
        _ => crate::sim::generic::answer(call, world),
    }
}

/// The settlements created within the call's `from` and `to`, newest first.
fn list(call: &Call<'_>, world: &World) -> Value {
    let bound = |name: &str| call.query(name).and_then(|v| v.parse::<u64>().ok());
    let (from, to) = (bound("from").unwrap_or(0), bound("to").unwrap_or(u64::MAX));
    let items: Vec<Value> = world
        .all(SETTLEMENT)
        .map(|(_, s)| s)
        .filter(|s| {
            s["created_at"]
                .as_u64()
                .is_some_and(|at| at >= from && at < to)
        })
        .collect();
    collection_up_to(call, items.into_iter(), 100)
}

/// Settles every captured payment and every refund not yet settled, in one
/// settlement; `id` is a captured (or refunded) payment, the test's trigger.
pub(super) fn settle(world: &mut World, id: &str) -> Result<Outcome, Refusal> {
    let payment = find(world, PAYMENT, id)?;
    let state = text(&payment, "status");
    if state != "captured" && state != "refunded" {
        return Err(no_transition(PAYMENT, id, state, Happening::Settle));
    }
    let unsettled = |kind, world: &World| -> Vec<(String, i64)> {
        world
            .all(kind)
            .filter(|(id, _)| !world.has(SETTLED, id))
            .filter(|(_, e)| kind == REFUND || matches!(text(e, "status"), "captured" | "refunded"))
            .map(|(id, e)| (id.to_owned(), e["amount"].as_i64().unwrap_or(0)))
            .collect()
    };
    let (payments, refunds) = (unsettled(PAYMENT, world), unsettled(REFUND, world));
    let credit: i64 = payments.iter().map(|(_, amount)| amount).sum();
    let debit: i64 = refunds.iter().map(|(_, amount)| amount).sum();
    if payments.is_empty() || credit <= debit {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!("nothing to settle: {credit} captured and {debit} refunded since the last settlement"),
        ));
    }
    let at = now();
    let settlement_id = world.fresh_id("setl_");
    let settlement = json!({
        "id": settlement_id,
        "entity": "settlement",
        "amount": credit - debit,
        "status": "processed",
        "fees": 0,
        "tax": 0,
        "utr": format!("{at}{}", world.fresh_id("").to_lowercase().get(..6).unwrap_or_default()),
        "created_at": at,
    });
    for (id, _) in payments.iter().chain(&refunds) {
        world.put(
            SETTLED,
            id,
            &json!({"settlement_id": settlement_id, "settled_at": at}),
        );
    }
    world.put(SETTLEMENT, &settlement_id, &settlement);
    Ok(Outcome {
        notices: vec![Notice {
            event: "settlement.processed",
            payload: json!({"settlement": {"entity": settlement}}),
        }],
        entity: settlement,
    })
}

/// The transactions settled in the call's month of its year, or on its day.
fn recon(call: &Call<'_>, world: &World) -> Value {
    let number = |name: &str| call.query(name).and_then(|v| v.parse::<u32>().ok());
    let day = match (number("year"), number("month"), number("day")) {
        (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}-"),
        _ => String::from("-"),
    };
    let items: Vec<Value> = [PAYMENT, REFUND]
        .into_iter()
        .flat_map(|kind| world.all(kind).map(move |(id, e)| (kind, id.to_owned(), e)))
        .filter_map(|(kind, id, entity)| {
            let settled = world.get(SETTLED, &id)?;
            let at = settled["settled_at"].as_u64()?;
            rfc3339(at)
                .starts_with(&day)
                .then(|| recon_item(world, kind, &entity, &settled))
        })
        .collect();
    collection_up_to(call, items.into_iter(), 1000)
}

/// A settled payment (a credit) or refund (a debit), as the recon lists it.
fn recon_item(world: &World, kind: &str, entity: &Value, settled: &Value) -> Value {
    let amount = entity["amount"].as_i64().unwrap_or(0);
    let is_payment = kind == PAYMENT;
    let payment = match is_payment {
        true => entity.clone(),
        false => world
            .get(PAYMENT, text(entity, "payment_id"))
            .unwrap_or(Value::Null),
    };
    let settlement = world
        .get(SETTLEMENT, text(settled, "settlement_id"))
        .unwrap_or(Value::Null);
    json!({
        "entity_id": entity["id"],
        "type": kind,
        "debit": if is_payment { 0 } else { amount },
        "credit": if is_payment { amount } else { 0 },
        "amount": amount,
        "currency": entity["currency"],
        "fee": 0,
        "tax": 0,
        "on_hold": false,
        "settled": true,
        "created_at": entity["created_at"],
        "settled_at": settled["settled_at"],
        "settlement_id": settled["settlement_id"],
        "posted_at": null,
        "credit_type": "default",
        "description": payment["description"],
        "notes": null,
        "payment_id": if is_payment { Value::Null } else { entity["payment_id"].clone() },
        "settlement_utr": settlement["utr"],
        "order_id": payment["order_id"],
        "order_receipt": null,
        "method": payment["method"],
        "card_network": null,
        "card_issuer": null,
        "card_type": null,
        "dispute_id": null,
    })
}
