//! Razorpay's disputes: raised on a captured payment (`open`, for its
//! amount), accepted (`lost`, the amount deducted) or contested with
//! evidence, drafted or submitted (`under_review`), then decided by the bank
//! (`won` or `lost`); only an `open` dispute is accepted or contested.
//!
//! Pages: <https://razorpay.com/docs/api/disputes/> (the entity and its
//! states, accept: "The dispute status will change from open to lost",
//! contest: "Dispute evidence draft does not get auto-submitted") and
//! <https://razorpay.com/docs/payments/disputes/dashboard/> ("You can accept
//! only those disputes that are in open state"). Inferred, as the pages do
//! not show them: the refusals' texts, that a contest needs an `open`
//! dispute, and the 21 days a dispute gives to respond.

use serde_json::{json, Map, Value};

use super::{collection, find, PAYMENT};
use crate::sim::{no_transition, text, Call, Notice, Outcome, Refusal};
use crate::world::{now, World};
use crate::Happening;

pub(super) const DISPUTE: &str = "dispute";

/// How long a raised dispute gives you to respond.
const RESPOND_WITHIN: u64 = 21 * 86_400;

/// The evidence fields a contest may send.
const EVIDENCE: &[&str] = &[
    "amount",
    "summary",
    "shipping_proof",
    "billing_proof",
    "cancellation_proof",
    "customer_communication",
    "proof_of_service",
    "explanation_letter",
    "refund_confirmation",
    "access_activity_log",
    "refund_cancellation_policy",
    "term_and_conditions",
    "others",
];

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "list_disputes" => Ok(collection(call, world.all(DISPUTE).map(|(_, d)| d))),
        "fetch_dispute" => find(world, DISPUTE, call.param("id")),
        "accept_dispute" => accept(world, call.param("id")),
        "contest_dispute" => contest(call, world),
        _ => crate::sim::generic::answer(call, world),
    }
}

fn open_only(dispute: &Value, doing: &str) -> Result<(), Refusal> {
    if dispute["status"] == "open" {
        return Ok(());
    }
    Err(Refusal::bad_request(
        "BAD_REQUEST_ERROR",
        format!(
            "The dispute is {}: only an open dispute can be {doing}",
            text(dispute, "status")
        ),
    ))
}

fn accept(world: &mut World, id: &str) -> Result<Value, Refusal> {
    let mut dispute = find(world, DISPUTE, id)?;
    open_only(&dispute, "accepted")?;
    dispute["status"] = json!("lost");
    dispute["amount_deducted"] = dispute["amount"].clone();
    world.put(DISPUTE, id, &dispute);
    Ok(dispute)
}

fn contest(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("id");
    let mut dispute = find(world, DISPUTE, id)?;
    open_only(&dispute, "contested")?;
    let mut evidence = match dispute.get("evidence") {
        Some(Value::Object(kept)) => kept.clone(),
        _ => Map::new(),
    };
    for key in EVIDENCE {
        if let Some(value) = call.field(key) {
            evidence.insert((*key).to_owned(), value.clone());
        }
    }
    if !evidence.contains_key("amount") {
        evidence.insert("amount".into(), dispute["amount"].clone());
    }
    let submitting = call.text("action") == Some("submit");
    if submitting {
        let documents = EVIDENCE
            .iter()
            .filter(|key| !matches!(**key, "amount" | "summary"))
            .any(|key| {
                evidence
                    .get(*key)
                    .and_then(Value::as_array)
                    .is_some_and(|d| !d.is_empty())
            });
        if !documents {
            return Err(Refusal::bad_request(
                "BAD_REQUEST_ERROR",
                "At least one document is required to submit a contest",
            ));
        }
        evidence.insert("submitted_at".into(), json!(now()));
        dispute["status"] = json!("under_review");
    } else {
        evidence.insert("submitted_at".into(), Value::Null);
    }
    dispute["evidence"] = Value::Object(evidence);
    world.put(DISPUTE, id, &dispute);
    Ok(dispute)
}

/// The customer's bank disputes captured payment `payment_id`.
pub(super) fn raise(world: &mut World, payment_id: &str) -> Result<Outcome, Refusal> {
    let payment = find(world, PAYMENT, payment_id)?;
    if payment["status"] != "captured" {
        return Err(no_transition(
            PAYMENT,
            payment_id,
            text(&payment, "status"),
            Happening::Dispute,
        ));
    }
    let id = world.fresh_id("disp_");
    let at = now();
    let dispute = json!({
        "id": id,
        "entity": "dispute",
        "payment_id": payment_id,
        "amount": payment["amount"],
        "currency": payment["currency"],
        "amount_deducted": 0,
        "reason_code": "chargeback",
        "reason_description": null,
        "respond_by": at + RESPOND_WITHIN,
        "status": "open",
        "phase": "chargeback",
        "created_at": at,
        "evidence": null,
    });
    world.put(DISPUTE, &id, &dispute);
    Ok(notified("payment.dispute.created", dispute, payment))
}

/// The bank decides a contested dispute.
pub(super) fn drive(world: &mut World, id: &str, event: Happening) -> Result<Outcome, Refusal> {
    let mut dispute = find(world, DISPUTE, id)?;
    let (status, name) = match event {
        Happening::Win => ("won", "payment.dispute.won"),
        Happening::Lose => ("lost", "payment.dispute.lost"),
        _ => return Err(no_transition(DISPUTE, id, text(&dispute, "status"), event)),
    };
    if dispute["status"] != "under_review" {
        return Err(no_transition(DISPUTE, id, text(&dispute, "status"), event));
    }
    dispute["status"] = json!(status);
    if status == "lost" {
        dispute["amount_deducted"] = dispute["amount"].clone();
    }
    world.put(DISPUTE, id, &dispute);
    let payment = world
        .get(PAYMENT, text(&dispute, "payment_id"))
        .unwrap_or(Value::Null);
    Ok(notified(name, dispute, payment))
}

fn notified(event: &'static str, dispute: Value, payment: Value) -> Outcome {
    Outcome {
        notices: vec![Notice {
            event,
            payload: json!({"payment": {"entity": payment}, "dispute": {"entity": dispute}}),
        }],
        entity: dispute,
    }
}
