//! Cashfree's settlements: a `PAID` order's successful payment is settled
//! once (`Happening::Settle` on the order), for its amount, with a transfer
//! and its UTR; before that the order's settlement names its payment and no
//! settlement. Every settlement made is listed by `POST /settlements`, a
//! page at a time, filtered by id, UTR or time, and posts a
//! `SETTLEMENT_SUCCESS` webhook.
//!
//! Pages: <https://www.cashfree.com/docs/api-reference/payments/previous/v2023-08-01/settlements/get-settlements-by-order-id>,
//! .../settlements/settlements, .../settlements/settlement-webhooks.
//! Inferred, as the pages do not show them: that a paid order not yet
//! settled answers with its settlement fields null, that fees and tax are 0
//! in the mock, that refunds are not netted per order (Cashfree adjusts them
//! in later settlements), the refusal of a second settlement, that the list
//! is oldest first, and the cursor's form (base64 of the next page's offset)
//! and the refusal of one the mock did not give.

use base64::Engine as _;
use serde_json::{json, Value};

use super::{order, ORDER, PAYMENT};
use crate::sim::{integer, no_transition, text, Call, Notice, Outcome, Refusal};
use crate::world::{now, rfc3339, unix_time, World};
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
pub(super) fn paid_with(world: &World, order_id: &str) -> Option<Value> {
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
        "cf_settlement_id": world.fresh_number(7),
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
    let listed = as_listed(&settlement);
    let webhook = json!({
        // The id the list and the order's settlement name it by.
        "settlement_id": text(&settlement, "cf_settlement_id").parse::<i64>().unwrap_or_default(),
        "status": "SUCCESS",
        "utr": listed["settlement_utr"],
        "payment_amount": listed["payment_amount"],
        "settlement_amount": listed["amount_settled"],
        "adjustment": 0,
        "amount_settled": listed["amount_settled"],
        "service_charge": listed["service_charge"],
        "service_tax": listed["service_tax"],
        "settlement_charge": 0,
        "settlement_tax": 0,
        "payment_from": listed["payment_from"],
        "payment_till": listed["payment_till"],
        "settlement_initiated_on": at,
        "settled_on": at,
        "settlement_type": "STANDARD",
        "reason": null,
        "remarks": null,
    });
    Ok(Outcome {
        entity: settlement,
        notices: vec![Notice {
            event: "SETTLEMENT_SUCCESS",
            payload: json!({"settlement": webhook}),
        }],
    })
}

/// The settlements the query names, a page at a time (`POST /settlements`).
pub(super) fn list(call: &Call<'_>, world: &World) -> Result<Value, Refusal> {
    let query = call.json();
    let limit = integer(query.pointer("/pagination/limit")).unwrap_or(10);
    let limit = usize::try_from(limit).unwrap_or(1).max(1);
    let offset = match query.pointer("/pagination/cursor") {
        None | Some(Value::Null) => 0,
        Some(cursor) => offset_of(cursor.as_str().unwrap_or_default()).ok_or_else(|| {
            Refusal::bad_request(
                "cursor_invalid",
                "pagination.cursor is not a cursor a page of settlements gave",
            )
            .on_field("pagination.cursor")
        })?,
    };
    let filters = query.get("filters").unwrap_or(&Value::Null);
    let (from, till) = (
        time_filter(filters, "start_date", "filters.start_date")?,
        time_filter(filters, "end_date", "filters.end_date")?,
    );
    let listed = |key: &str, value: &Value| match filters.get(key).and_then(Value::as_array) {
        Some(wanted) => wanted.contains(value),
        None => true,
    };
    let matching: Vec<Value> = world
        .all(SETTLEMENT)
        .map(|(_, settled)| settled)
        .filter(|settled| !settled["cf_settlement_id"].is_null())
        .map(|settled| as_listed(&settled))
        .filter(|s| listed("cf_settlement_ids", &s["cf_settlement_id"]))
        .filter(|s| listed("settlement_utrs", &s["settlement_utr"]))
        .filter(|s| {
            let made = unix_time(text(s, "settlement_date"));
            from.is_none_or(|from| made >= Some(from)) && till.is_none_or(|till| made <= Some(till))
        })
        .collect();
    let page: Vec<Value> = matching.iter().skip(offset).take(limit).cloned().collect();
    let next = offset + page.len();
    let cursor = if next < matching.len() {
        json!(cursor_at(next))
    } else {
        Value::Null
    };
    Ok(json!({"cursor": cursor, "limit": limit, "data": page}))
}

/// An order's settlement as the list shows it: one settlement of one
/// payment, with no adjustment, fee or charge.
fn as_listed(settled: &Value) -> Value {
    json!({
        "cf_settlement_id": settled["cf_settlement_id"],
        "settlement_utr": settled["transfer_utr"],
        "status": "PAID",
        "payment_amount": settled["settlement_amount"],
        "adjustment": 0,
        "service_charge": settled["service_charge"],
        "service_tax": settled["service_tax"],
        "settlement_charge": 0,
        "settlement_tax": 0,
        "amount_settled": settled["settlement_amount"],
        "payment_from": settled["payment_time"],
        "payment_till": settled["payment_time"],
        "settlement_date": settled["transfer_time"],
        "settlement_initiated_on": settled["transfer_time"],
        "settlement_type": "STANDARD_SETTLEMENT",
        "reason": null,
        "remarks": null,
    })
}

/// The cursor of the page that starts at `offset`.
fn cursor_at(offset: usize) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{{\"offset\":{offset}}}"))
}

/// The offset a cursor of [`cursor_at`]'s names; `None` for any other text.
fn offset_of(cursor: &str) -> Option<usize> {
    let json = base64::engine::general_purpose::STANDARD
        .decode(cursor)
        .ok()?;
    let value: Value = serde_json::from_slice(&json).ok()?;
    usize::try_from(value.get("offset")?.as_u64()?).ok()
}

/// A filter's time as Unix seconds; a time that is not RFC 3339 is refused.
fn time_filter(filters: &Value, key: &str, field: &'static str) -> Result<Option<i64>, Refusal> {
    match filters.get(key).and_then(Value::as_str) {
        None => Ok(None),
        Some(at) => unix_time(at).map(Some).ok_or_else(|| {
            Refusal::bad_request(
                "filters_invalid",
                format!("{field} is not a date and time such as 2022-07-20T00:00:00Z"),
            )
            .on_field(field)
        }),
    }
}
