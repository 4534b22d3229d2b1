//! Cashfree's disputes: raised on a `PAID` order's payment
//! (`Happening::Dispute` on the order: `DISPUTE_CREATED`, for the payment's
//! amount), contested by uploading documents (`DISPUTE_DOCS_RECEIVED`, each
//! document listed in `dispute_evidence`) or accepted
//! (`DISPUTE_MERCHANT_ACCEPTED`), then decided by the bank once contested
//! (`Happening::Win` or `Lose`: `DISPUTE_MERCHANT_WON` or `_LOST`). Only an
//! open dispute (created, or with documents) takes documents or is accepted.
//!
//! Pages: <https://www.cashfree.com/docs/api-reference/payments/previous/v2023-08-01/dispute/disputes-for-order>
//! and the by-payment, by-id, accept and document pages beside it (the
//! entity, its statuses, the document types, JPEG, PNG or PDF of at most
//! 20 MB) and .../dispute/dispute-webhooks (`DISPUTE_CREATED` when raised,
//! `DISPUTE_UPDATED` when a document is uploaded, `DISPUTE_CLOSED` when
//! decided or accepted). Inferred, as the pages do not show them: the
//! refusals' codes and texts, the 7 days a dispute gives to respond, and the
//! far-future `resolved_at` of an open dispute (the pages' example of one).

use serde_json::{json, Value};

use super::{order, settlements::paid_with, PAYMENT};
use crate::sim::{no_transition, text, Call, Notice, Outcome, Refusal};
use crate::world::{now, rfc3339, World};
use crate::Happening;

pub(super) const DISPUTE: &str = "dispute";

/// How long a raised dispute gives you to upload evidence.
const RESPOND_WITHIN: u64 = 7 * 86_400;

/// An open dispute's `resolved_at`, as the pages show one.
const NOT_RESOLVED: &str = "9999-09-09T00:00:00";

/// The largest document Cashfree takes.
const MAX_DOCUMENT: u64 = 20 * 1_000_000;

/// The files a document may be: by name, and by media type.
const DOCUMENT_NAMES: &[&str] = &[".jpeg", ".jpg", ".png", ".pdf"];
const DOCUMENT_TYPES: &[&str] = &["image/jpeg", "image/jpg", "image/png", "application/pdf"];

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "get_disputes_for_order" => {
            let id = call.param("order_id");
            order(world, id)?;
            Ok(disputes_where(world, "order_id", id))
        }
        "get_disputes_for_payment" => {
            let id = call.param("cf_payment_id");
            if !world.has(PAYMENT, id) {
                return Err(Refusal::not_found(PAYMENT, id));
            }
            Ok(disputes_where(world, "cf_payment_id", id))
        }
        "get_dispute" => dispute(world, call.param("dispute_id")),
        "accept_dispute" => accept(world, call.param("dispute_id")),
        "submit_dispute_evidence" => upload(call, world),
        _ => crate::sim::generic::answer(call, world),
    }
}

fn dispute(world: &World, id: &str) -> Result<Value, Refusal> {
    world
        .get(DISPUTE, id)
        .ok_or_else(|| Refusal::not_found(DISPUTE, id))
}

/// The disputes whose order details have `key` equal to `value`, oldest first.
fn disputes_where(world: &World, key: &str, value: &str) -> Value {
    Value::Array(
        world
            .all(DISPUTE)
            .map(|(_, d)| d)
            .filter(|d| d["order_details"][key] == value)
            .collect(),
    )
}

/// A dispute that is still open: raised, or with documents uploaded.
fn open(world: &World, id: &str, doing: &str) -> Result<Value, Refusal> {
    let dispute = dispute(world, id)?;
    match text(&dispute, "dispute_status") {
        "DISPUTE_CREATED" | "DISPUTE_DOCS_RECEIVED" => Ok(dispute),
        closed => Err(Refusal::bad_request(
            "dispute_closed",
            format!("dispute {id} is {closed}: only an open dispute can be {doing}"),
        )),
    }
}

fn accept(world: &mut World, id: &str) -> Result<Value, Refusal> {
    let mut dispute = open(world, id, "accepted")?;
    close(
        &mut dispute,
        "DISPUTE_MERCHANT_ACCEPTED",
        "Accepted by the merchant",
    );
    world.put(DISPUTE, id, &dispute);
    Ok(notified("DISPUTE_CLOSED", dispute).answered(world))
}

fn close(dispute: &mut Value, status: &str, remarks: &str) {
    let at = rfc3339(now());
    dispute["dispute_status"] = json!(status);
    dispute["cf_dispute_remarks"] = json!(remarks);
    dispute["updated_at"] = json!(at);
    dispute["resolved_at"] = json!(at);
}

/// One document uploaded to contest the dispute.
fn upload(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("dispute_id");
    let mut dispute = open(world, id, "contested")?;
    let file = call.field("file").unwrap_or(&Value::Null);
    let name = text(file, "filename");
    let media = text(file, "content_type");
    let lower = name.to_ascii_lowercase();
    if !DOCUMENT_NAMES.iter().any(|e| lower.ends_with(e))
        || !DOCUMENT_TYPES.contains(&media.to_ascii_lowercase().as_str())
    {
        return Err(Refusal::bad_request(
            "document_type_invalid",
            format!("file `{name}` ({media}) is not a JPEG, PNG or PDF"),
        )
        .on_field("file"));
    }
    if file["bytes"].as_u64().unwrap_or(0) > MAX_DOCUMENT {
        return Err(Refusal::bad_request(
            "document_too_large",
            format!("file `{name}` is larger than 20 MB"),
        )
        .on_field("file"));
    }
    let document = json!({
        "document_id": world.fresh_number(5).parse::<i64>().unwrap_or_default(),
        "document_name": name,
        "document_type": call.text("doc_type"),
    });
    if let Some(evidence) = dispute["dispute_evidence"].as_array_mut() {
        evidence.push(document);
    } else {
        dispute["dispute_evidence"] = json!([document]);
    }
    dispute["dispute_status"] = json!("DISPUTE_DOCS_RECEIVED");
    dispute["cf_dispute_remarks"] = json!("Documents received");
    dispute["updated_at"] = json!(rfc3339(now()));
    world.put(DISPUTE, id, &dispute);
    Ok(notified("DISPUTE_UPDATED", dispute).answered(world))
}

/// The customer's bank disputes the payment of `PAID` order `order_id`.
pub(super) fn raise(world: &mut World, order_id: &str) -> Result<Outcome, Refusal> {
    let order = order(world, order_id)?;
    let state = text(&order, "order_status");
    if state != "PAID" {
        return Err(no_transition("order", order_id, state, Happening::Dispute));
    }
    let payment = paid_with(world, order_id).unwrap_or(Value::Null);
    let id = world.fresh_number(9);
    let at = now();
    let customer = &order["customer_details"];
    let dispute = json!({
        "dispute_id": id.parse::<i64>().unwrap_or_default(),
        "dispute_type": "DISPUTE",
        "reason_code": "1401",
        "reason_description": "Fraud Transaction",
        "dispute_amount": payment["payment_amount"],
        "dispute_amount_currency": payment["payment_currency"],
        "created_at": rfc3339(at),
        "respond_by": rfc3339(at + RESPOND_WITHIN),
        "updated_at": rfc3339(at),
        "resolved_at": NOT_RESOLVED,
        "dispute_status": "DISPUTE_CREATED",
        "cf_dispute_remarks": "Raised by the customer's bank",
        "preferred_evidence": [{
            "document_type": "Delivery/Service Proof",
            "document_description": "Proof that the customer received the goods or services.",
        }],
        "dispute_evidence": [],
        "order_details": {
            "order_id": order_id,
            "order_currency": order["order_currency"],
            "order_amount": order["order_amount"],
            "cf_payment_id": payment["cf_payment_id"],
            "payment_currency": payment["payment_currency"],
            "payment_amount": payment["payment_amount"],
        },
        "customer_details": {
            "customer_name": customer["customer_name"],
            "customer_phone": customer["customer_phone"],
            "customer_email": customer["customer_email"],
        },
    });
    world.put(DISPUTE, &id, &dispute);
    Ok(notified("DISPUTE_CREATED", dispute))
}

/// The bank decides a contested dispute.
pub(super) fn drive(world: &mut World, id: &str, event: Happening) -> Result<Outcome, Refusal> {
    let mut dispute = dispute(world, id)?;
    let state = text(&dispute, "dispute_status").to_owned();
    let (status, remarks) = match event {
        Happening::Win if state == "DISPUTE_DOCS_RECEIVED" => {
            ("DISPUTE_MERCHANT_WON", "Decided for the merchant")
        }
        Happening::Lose if state == "DISPUTE_DOCS_RECEIVED" => {
            ("DISPUTE_MERCHANT_LOST", "Decided for the customer")
        }
        other => return Err(no_transition(DISPUTE, id, &state, other)),
    };
    close(&mut dispute, status, remarks);
    world.put(DISPUTE, id, &dispute);
    Ok(notified("DISPUTE_CLOSED", dispute))
}

/// The dispute, and its webhook as the dispute webhook page shows one: the
/// dispute's own fields (its id as text), its order and its customer.
fn notified(event: &'static str, dispute: Value) -> Outcome {
    let open = event == "DISPUTE_CREATED";
    let mut shown = serde_json::Map::new();
    for key in [
        "dispute_type",
        "reason_code",
        "reason_description",
        "dispute_amount",
        "created_at",
        "updated_at",
        "respond_by",
        "dispute_status",
        "cf_dispute_remarks",
    ] {
        shown.insert(key.into(), dispute[key].clone());
    }
    shown.insert(
        "dispute_id".into(),
        json!(dispute["dispute_id"].to_string()),
    );
    shown.insert(
        "dispute_action_on".into(),
        if open { json!("MERCHANT") } else { Value::Null },
    );
    Outcome {
        notices: vec![Notice {
            event,
            payload: json!({
                "dispute": shown,
                "order_details": dispute["order_details"],
                "customer_details": dispute["customer_details"],
            }),
        }],
        entity: dispute,
    }
}
