//! Juspay's customers: one per `object_reference_id`, found by Juspay's id
//! or yours, holding only what was sent, updated in place; a client token
//! only when asked for, never kept.
//!
//! Pages: <https://juspay.io/in/docs/ec-api/docs/base-integration/createcustomer>
//! (`object_reference_id` unique), .../getcustomer (either id; a 404
//! `object_not_found` for one nobody created; the token lasts 15 minutes),
//! .../updatecustomer. Inferred, as the pages do not show it: the refusal of
//! a second customer with the same `object_reference_id`.

use serde_json::{json, Value};

use crate::sim::{sent_or, Call, Refusal};
use crate::world::{now, rfc3339, World};

const CUSTOMER: &str = "customer";

/// How long a client token lasts.
const TOKEN_LIFETIME: u64 = 15 * 60;

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_customer" => create(call, world),
        "get_customer" => {
            let (_, customer) = find(world, call.param("customer_id"))?;
            let asked = call.query("options.get_client_auth_token").as_deref() == Some("true");
            Ok(with_token(world, customer, asked))
        }
        "update_customer" => update(call, world),
        _ => crate::sim::generic::answer(call, world),
    }
}

/// The customer with Juspay's id or `object_reference_id` `id`.
pub(super) fn find(world: &World, id: &str) -> Result<(String, Value), Refusal> {
    world
        .all(CUSTOMER)
        .find(|(key, c)| *key == id || c["object_reference_id"] == id)
        .map(|(key, c)| (key.to_owned(), c))
        .ok_or_else(not_found)
}

fn not_found() -> Refusal {
    Refusal::Rule {
        status: 404,
        code: "object_not_found",
        message: "Cannot find what you are looking for".into(),
        field: None,
    }
}

/// `customer`, with a fresh client token when `asked`.
fn with_token(world: &mut World, mut customer: Value, asked: bool) -> Value {
    if asked {
        customer["juspay"] = json!({
            "client_auth_token": world.fresh_id("tkn_"),
            "client_auth_token_expiry": rfc3339(now() + TOKEN_LIFETIME),
        });
    }
    customer
}

fn create(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let reference = call.text("object_reference_id").unwrap_or_default();
    if find(world, reference).is_ok() {
        return Err(Refusal::bad_request(
            "invalid_request",
            format!("a customer with object_reference_id {reference} already exists"),
        )
        .on_field("object_reference_id"));
    }
    let id = world.fresh_id("cst_").to_lowercase();
    let at = rfc3339(now());
    let customer = json!({
        "id": id,
        "object": "customer",
        "object_reference_id": reference,
        "mobile_country_code": sent_or(call, "mobile_country_code", Value::Null),
        "mobile_number": sent_or(call, "mobile_number", Value::Null),
        "email_address": sent_or(call, "email_address", Value::Null),
        "first_name": sent_or(call, "first_name", Value::Null),
        "last_name": sent_or(call, "last_name", Value::Null),
        "date_created": at,
        "last_updated": at,
    });
    world.put(CUSTOMER, &id, &customer);
    let asked = call.field("options.get_client_auth_token") == Some(&json!(true))
        || call.text("options.get_client_auth_token") == Some("true");
    Ok(with_token(world, customer, asked))
}

fn update(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let (id, mut customer) = find(world, call.param("customer_id"))?;
    for key in [
        "mobile_number",
        "mobile_country_code",
        "email_address",
        "first_name",
        "last_name",
    ] {
        if let Some(value) = call.field(key) {
            customer[key] = value.clone();
        }
    }
    customer["last_updated"] = json!(rfc3339(now()));
    world.put(CUSTOMER, &id, &customer);
    Ok(customer)
}
