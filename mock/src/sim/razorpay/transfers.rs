//! Razorpay Route's transfers of a payment: only a captured payment is
//! transferred from, in its currency, and its transfers never add up to more
//! than it (those its order was created with included); an order's
//! transfers (INR only, not with `partial_payment`, never more than the
//! order) are `created` until its payment is captured, then `pending`; a transfer is `pending` until the test processes it
//! (`Happening::Settle` on the transfer: `processed`, with a
//! `transfer.processed` webhook); a direct transfer from your balance is
//! processed at once (its retry under the same `X-Transfer-Idempotency` key
//! answers the first); a processed transfer is reversed wholly or in parts,
//! never beyond its amount, and lists its reversals.
//!
//! Pages: <https://razorpay.com/docs/api/payments/route/transfers/>,
//! .../route/transfers/create-transfers-orders/
//! (create from a payment: "once the payment is captured", fetch a payment's
//! transfers, fetch one), <https://razorpay.com/docs/webhooks/route/>
//! (`transfer.processed`), .../route/transfers/reverse-a-transfer/ and
//! .../route/fetch-reversals/. Inferred, as the pages do not show them: the
//! refusals' texts, that fees and tax are 0 in the mock, the webhook's
//! payload (the transfer, wrapped as every entity of a delivery is), that
//! only a processed transfer is reversed, and that an order's transfers keep
//! the order as their `source` and show in its payment's transfers.

use serde_json::{json, Value};

use super::{collection_of, find, PAYMENT};
use crate::sim::{integer, no_transition, text, Call, Notice, Outcome, Refusal};
use crate::world::{now, World};
use crate::Happening;

pub(super) const TRANSFER: &str = "transfer";

/// A reversal of a transfer, by its id.
const REVERSAL: &str = "reversal";

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_payment_transfers" => create(call, world),
        "fetch_payment_transfers" => {
            let payment = find(world, PAYMENT, call.param("id"))?;
            // Newest first, as Razorpay's lists are.
            let mut made = of_payment(world, &payment);
            made.reverse();
            Ok(collection_of(made))
        }
        "fetch_transfer" => find(world, TRANSFER, call.param("id")),
        "reverse_transfer" => reverse(call, world),
        "create_direct_transfer" => direct(call, world),
        "fetch_transfer_reversals" => {
            let transfer = find(world, TRANSFER, call.param("id"))?;
            // Newest first, as Razorpay's lists are.
            let reversals: Vec<Value> = world
                .all(REVERSAL)
                .rev()
                .map(|(_, r)| r)
                .filter(|r| r["transfer_id"] == transfer["id"])
                .collect();
            Ok(collection_of(reversals))
        }
        _ => crate::sim::generic::answer(call, world),
    }
}

/// The transfers made from `payment`, or with its order, oldest first.
fn of_payment(world: &World, payment: &Value) -> Vec<Value> {
    let order = payment["order_id"].as_str().filter(|id| !id.is_empty());
    world
        .all(TRANSFER)
        .map(|(_, t)| t)
        .filter(|t| t["source"] == payment["id"] || order.is_some_and(|o| t["source"] == o))
        .collect()
}

/// A transfer of `sent`'s account and amount from `source`.
fn transfer(
    world: &mut World,
    source: &str,
    sent: &Value,
    currency: &Value,
    status: &str,
) -> Value {
    json!({
        "id": world.fresh_id("trf_"),
        "entity": "transfer",
        "status": status,
        "source": source,
        "recipient": sent["account"],
        "amount": integer(sent.get("amount")).unwrap_or(0),
        "currency": currency,
        "amount_reversed": 0,
        "notes": sent.get("notes").cloned().unwrap_or(json!([])),
        "linked_account_notes": sent.get("linked_account_notes").cloned().unwrap_or(json!([])),
        "fees": 0,
        "tax": 0,
        "on_hold": sent.get("on_hold").cloned().unwrap_or(json!(false)),
        "on_hold_until": sent.get("on_hold_until").cloned().unwrap_or(Value::Null),
        "recipient_settlement_id": null,
        "created_at": now(),
        "processed_at": null,
    })
}

/// Create Transfers From Orders: an order's transfers, `created` until its
/// payment is captured. Refused for an order that may be paid in parts, in
/// another currency than INR, or for more in all than the order's amount.
pub(super) fn for_order(
    world: &mut World,
    order: &str,
    amount: i64,
    currency: &str,
    partial_payment: Option<bool>,
    asked: &[Value],
) -> Result<Vec<Value>, Refusal> {
    let refused =
        |message: String| Refusal::bad_request("BAD_REQUEST_ERROR", message).on_field("transfers");
    if partial_payment == Some(true) {
        return Err(refused(
            "Transfers cannot be created on an order with partial_payment enabled".into(),
        ));
    }
    if currency != "INR" || asked.iter().any(|t| t["currency"] != "INR") {
        return Err(refused(
            "Transfers from orders are supported for INR only".into(),
        ));
    }
    let wanted: i64 = asked
        .iter()
        .map(|t| integer(t.get("amount")).unwrap_or(0))
        .sum();
    if wanted > amount {
        return Err(refused(format!(
            "The sum of the transfers' amounts, {wanted}, is greater than the order's amount, {amount}"
        )));
    }
    let currency = json!(currency);
    let mut made = Vec::with_capacity(asked.len());
    for sent in asked {
        let transfer = transfer(world, order, sent, &currency, "created");
        world.put(TRANSFER, text(&transfer, "id"), &transfer);
        made.push(transfer);
    }
    Ok(made)
}

/// The order's payment was captured: its transfers are made (`pending`).
pub(super) fn on_capture(world: &mut World, order: &str) {
    let made: Vec<String> = world
        .all(TRANSFER)
        .filter(|(_, t)| t["source"] == order && t["status"] == "created")
        .map(|(id, _)| id.to_owned())
        .collect();
    for id in made {
        if let Some(mut transfer) = world.get_mut(TRANSFER, &id) {
            transfer["status"] = json!("pending");
        }
    }
}

fn create(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("id").to_owned();
    let payment = find(world, PAYMENT, &id)?;
    let state = text(&payment, "status");
    if state != "captured" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!("The payment is {state}: only a captured payment can be transferred"),
        ));
    }
    let asked = call
        .field("transfers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let currency = &payment["currency"];
    if asked.iter().any(|t| &t["currency"] != currency) {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!("A transfer's currency must be the payment's, {currency}"),
        )
        .on_field("currency"));
    }
    let made: i64 = of_payment(world, &payment)
        .iter()
        .map(|t| t["amount"].as_i64().unwrap_or(0))
        .sum();
    let wanted: i64 = asked
        .iter()
        .map(|t| integer(t.get("amount")).unwrap_or(0))
        .sum();
    let amount = payment["amount"].as_i64().unwrap_or(0);
    if made + wanted > amount {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!(
                "The sum of amount requested for transfer is greater than the captured amount: {} is left",
                amount - made
            ),
        )
        .on_field("amount"));
    }
    let mut items = Vec::with_capacity(asked.len());
    for sent in &asked {
        let transfer = transfer(world, &id, sent, currency, "pending");
        world.put(TRANSFER, text(&transfer, "id"), &transfer);
        items.push(transfer);
    }
    Ok(collection_of(items))
}

/// `pending` -> `processed`.
pub(super) fn drive(world: &mut World, id: &str, event: Happening) -> Result<Outcome, Refusal> {
    let mut transfer = world
        .get_mut(TRANSFER, id)
        .ok_or_else(|| Refusal::not_found(TRANSFER, id))?;
    let state = text(&transfer, "status").to_owned();
    if state != "pending" || event != Happening::Settle {
        return Err(no_transition(TRANSFER, id, &state, event));
    }
    transfer["status"] = json!("processed");
    transfer["processed_at"] = json!(now());
    let transfer = transfer.clone();
    Ok(Outcome {
        notices: vec![Notice {
            event: "transfer.processed",
            payload: json!({"transfer": {"entity": transfer}}),
        }],
        entity: transfer,
    })
}

/// Reverses what is asked of a processed transfer (all that is left, when
/// no amount is sent), never more than is left.
fn reverse(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let mut transfer = find(world, TRANSFER, call.param("id"))?;
    let state = text(&transfer, "status");
    if state != "processed" {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!("The transfer is {state}: only a processed transfer can be reversed"),
        ));
    }
    let amount = transfer["amount"].as_i64().unwrap_or(0);
    let reversed = transfer["amount_reversed"].as_i64().unwrap_or(0);
    let left = amount - reversed;
    let asked = integer(call.field("amount")).unwrap_or(left);
    if asked > left || left == 0 {
        return Err(Refusal::bad_request(
            "BAD_REQUEST_ERROR",
            format!("The reversal amount {asked} is more than the {left} left of the transfer"),
        )
        .on_field("amount"));
    }
    let id = world.fresh_id("rvrsl_");
    let reversal = json!({
        "id": id,
        "entity": "reversal",
        "transfer_id": transfer["id"],
        "amount": asked,
        "fee": 0,
        "tax": 0,
        "currency": transfer["currency"],
        "notes": call.field("notes").cloned().unwrap_or(json!([])),
        "initiator_id": null,
        "customer_refund_id": null,
        "utr": null,
        "created_at": now(),
    });
    world.put(REVERSAL, &id, &reversal);
    transfer["amount_reversed"] = json!(reversed + asked);
    world.put(TRANSFER, text(&transfer, "id"), &transfer);
    Ok(reversal)
}

/// Your account, as a direct transfer names its source.
const MERCHANT_ACCOUNT: &str = "acc_MockMerchant01";

/// A transfer from your balance: processed at once, with its webhook.
fn direct(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = world.fresh_id("trf_");
    let at = now();
    let transfer = json!({
        "id": id,
        "entity": "transfer",
        "status": "processed",
        "source": MERCHANT_ACCOUNT,
        "recipient": call.field("account"),
        "amount": integer(call.field("amount")),
        "currency": call.field("currency"),
        "amount_reversed": 0,
        "fees": 0,
        "tax": 0,
        "notes": call.field("notes").cloned().unwrap_or(json!([])),
        "linked_account_notes": [],
        "on_hold": false,
        "on_hold_until": null,
        "recipient_settlement_id": null,
        "created_at": at,
        "processed_at": at,
    });
    world.put(TRANSFER, &id, &transfer);
    Ok(Outcome {
        notices: vec![Notice {
            event: "transfer.processed",
            payload: json!({"transfer": {"entity": transfer}}),
        }],
        entity: transfer,
    }
    .answered(world))
}
