//! Cashfree's customers: each `create_customer` registers a new customer
//! with a fresh `customer_uid`, holding only what was sent.
//!
//! Page: <https://www.cashfree.com/docs/api-reference/payments/previous/v2023-08-01/customers/create>.
//! Inferred, as the page does not say: that a phone number already
//! registered is registered again (no refusal), and the uid's form (the
//! page's example, `cfcustom_` and digits).

use serde_json::{json, Value};

use crate::sim::{Call, Refusal};
use crate::world::World;

const CUSTOMER: &str = "customer";

pub(super) fn create(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let uid = format!("cfcustom_{}", world.fresh_number(14));
    let customer = json!({
        "customer_uid": uid,
        "customer_phone": call.field("customer_phone"),
        "customer_email": call.field("customer_email"),
        "customer_name": call.field("customer_name"),
    });
    world.put(CUSTOMER, &uid, &customer);
    Ok(customer)
}
