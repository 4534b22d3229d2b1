//! Razorpay's customers: one per email and contact (`fail_existing` `0`
//! answers the one that exists), holding only what was sent, edited in place.

use serde_json::{json, Value};

use super::{find, CUSTOMER};
use crate::sim::{sent_or, Call, Refusal};
use crate::world::{now, World};

/// Razorpay's error for a second customer with the same email and contact.
const CUSTOMER_EXISTS: &str = "Customer already exists for the merchant";

/// Whether a customer other than `except` has this email and contact.
fn same_details(world: &World, customer: &Value, except: &str) -> Option<Value> {
    world
        .all(CUSTOMER)
        .find(|(id, c)| {
            *id != except && c["email"] == customer["email"] && c["contact"] == customer["contact"]
        })
        .map(|(_, c)| c)
}

/// A new customer from the request's values alone (nothing of the page's
/// example), or, when one with the same email and contact exists, that one
/// with `fail_existing` `0` and Razorpay's error otherwise.
pub(super) fn create_customer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let mut customer = json!({
        "id": null,
        "entity": "customer",
        "name": sent_or(call, "name", Value::Null),
        "email": sent_or(call, "email", Value::Null),
        "contact": sent_or(call, "contact", Value::Null),
        "gstin": sent_or(call, "gstin", Value::Null),
        "notes": sent_or(call, "notes", json!([])),
        "created_at": now(),
    });
    let identified = !(customer["email"].is_null() && customer["contact"].is_null());
    if let Some(existing) = identified
        .then(|| same_details(world, &customer, ""))
        .flatten()
    {
        return match call.text("fail_existing") {
            Some("0") => Ok(existing.clone()),
            _ => Err(Refusal::bad_request("BAD_REQUEST_ERROR", CUSTOMER_EXISTS)),
        };
    }
    let id = world.fresh_id("cust_");
    customer["id"] = json!(id);
    world.put(CUSTOMER, &id, &customer);
    Ok(customer)
}

/// The customer with the name, email and contact the request sends (the
/// rest as it was); its email and contact must stay unique.
pub(super) fn edit_customer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let id = call.param("id").to_owned();
    let mut customer = find(world, CUSTOMER, &id)?.clone();
    for key in ["name", "email", "contact"] {
        if let Some(value) = call.field(key) {
            customer[key] = value.clone();
        }
    }
    if same_details(world, &customer, &id).is_some() {
        return Err(Refusal::bad_request("BAD_REQUEST_ERROR", CUSTOMER_EXISTS));
    }
    world.put(CUSTOMER, &id, &customer);
    Ok(customer)
}
