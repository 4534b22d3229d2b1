//! Cashfree's offers and eligibility: an offer is created `active` as sent
//! and read back by its id; the offers of an order or amount are every
//! active offer, each `eligibility` true only when the amount reaches its
//! `min_amount` and now is within its window; the payment methods of an
//! order or amount are the mock's four (UPI, card, net banking with two
//! banks, wallets), filtered as asked.
//!
//! Pages: <https://www.cashfree.com/docs/api-reference/payments/previous/v2023-08-01/offers/create>,
//! .../offers/get, .../payment-methods/get-offers-for-order and
//! .../payment-methods/get-payment-methods. Inferred, as the pages do not
//! show them: the refusal of an offer that ends before it starts, that
//! offers that do not apply are listed as not eligible, the 404 of an
//! unknown order, and the mock's catalogue of methods and banks (the
//! page's example shows two banks).

use paygen::Decimal;
use serde_json::{json, Value};

use super::order;
use crate::sim::{decimal, text, Call, Refusal};
use crate::world::{now, unix_time, World};

const OFFER: &str = "offer";

/// One choice within a method: its `nick`, `display` name and `code`.
type Choice = (&'static str, &'static str, i64);

/// The payment methods the mock offers: (`entity_value`, its choices).
const METHODS: &[(&str, &[Choice])] = &[
    ("upi", &[]),
    ("card", &[]),
    (
        "netbanking",
        &[
            ("hdfc_bank", "HDFC Bank", 3021),
            ("state_bank_of_india", "State Bank Of India", 3044),
        ],
    ),
    ("app", &[]),
];

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_offer" => create(call, world),
        "get_offer" => {
            let id = call.param("offer_id");
            world
                .get(OFFER, id)
                .ok_or_else(|| Refusal::not_found(OFFER, id))
        }
        "get_eligible_offers" => eligible_offers(call, world),
        "get_eligible_payment_methods" => eligible_methods(call, world),
        _ => crate::sim::generic::answer(call, world),
    }
}

fn create(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let body = call.json();
    let meta = &body["offer_meta"];
    let window = (
        unix_time(text(meta, "offer_start_time")),
        unix_time(text(meta, "offer_end_time")),
    );
    match window {
        (Some(start), Some(end)) if start < end => {}
        (Some(_), Some(_)) => {
            return Err(Refusal::bad_request(
                "offer_end_time_invalid",
                "offer_meta.offer_end_time must be after offer_meta.offer_start_time",
            )
            .on_field("offer_meta.offer_end_time"))
        }
        _ => {
            return Err(Refusal::bad_request(
                "offer_time_invalid",
                "offer_meta's times must be ISO 8601 dates and times, such as 2023-03-21T08:09:51Z",
            )
            .on_field("offer_meta.offer_start_time"))
        }
    }
    let id = uuid(world);
    let offer = json!({
        "offer_id": id,
        "offer_status": "active",
        "offer_meta": meta,
        "offer_tnc": body["offer_tnc"],
        "offer_details": body["offer_details"],
        "offer_validations": body["offer_validations"],
    });
    world.put(OFFER, &id, &offer);
    Ok(offer)
}

/// A fresh id in the form of Cashfree's (a version 4 UUID's).
fn uuid(world: &mut World) -> String {
    let counter = world.fresh_number(12);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{counter}",
        fastrand::u32(..),
        fastrand::u16(..),
        fastrand::u16(..0x1000),
        0x8000 | fastrand::u16(..0x4000),
    )
}

/// The amount a query asks about: its order's, or the one it names.
fn queried_amount(call: &Call<'_>, world: &World) -> Result<Option<Decimal>, Refusal> {
    let queries = &call.json()["queries"];
    match queries.get("order_id").and_then(Value::as_str) {
        Some(id) => Ok(decimal(order(world, id)?.get("order_amount"))),
        None => Ok(decimal(queries.get("amount"))),
    }
}

fn eligible_offers(call: &Call<'_>, world: &World) -> Result<Value, Refusal> {
    let amount = queried_amount(call, world)?;
    let kinds = call
        .json()
        .pointer("/filters/offer_type")
        .and_then(Value::as_array);
    let at = i64::try_from(now()).unwrap_or(i64::MAX);
    let listed = world
        .all(OFFER)
        .map(|(_, offer)| offer)
        .filter(|offer| offer["offer_status"] == "active")
        .filter(|offer| {
            kinds.is_none_or(|kinds| kinds.contains(&offer["offer_details"]["offer_type"]))
        })
        .map(|offer| {
            let meta = &offer["offer_meta"];
            let started = unix_time(text(meta, "offer_start_time")).is_some_and(|s| s <= at);
            let running = unix_time(text(meta, "offer_end_time")).is_some_and(|e| at < e);
            let minimum = decimal(offer["offer_validations"].get("min_amount"));
            let enough = match (amount, minimum) {
                (Some(amount), Some(minimum)) => amount >= minimum,
                (Some(_), None) => true,
                (None, _) => false,
            };
            json!({
                "eligibility": started && running && enough,
                "entity_type": "offers",
                "entity_value": offer["offer_id"],
                "entity_details": offer,
            })
        })
        .collect();
    Ok(Value::Array(listed))
}

fn eligible_methods(call: &Call<'_>, world: &World) -> Result<Value, Refusal> {
    let payable = queried_amount(call, world)?.is_some_and(|a| a > Decimal::ZERO);
    let wanted = call
        .json()
        .pointer("/filters/payment_methods")
        .and_then(Value::as_array);
    let listed = METHODS
        .iter()
        .filter(|(method, _)| wanted.is_none_or(|w| w.iter().any(|v| v == method)))
        .map(|(method, choices)| {
            let details: Vec<Value> = choices
                .iter()
                .map(|(nick, display, code)| {
                    json!({"nick": nick, "display": display, "eligibility": payable, "code": code})
                })
                .collect();
            json!({
                "eligibility": payable,
                "entity_type": "payment_methods",
                "entity_value": method,
                "entity_details": {
                    "payment_method_details": if details.is_empty() { Value::Null } else { Value::Array(details) },
                },
            })
        })
        .collect();
    Ok(Value::Array(listed))
}
