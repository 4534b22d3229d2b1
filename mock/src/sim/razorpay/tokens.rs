//! Razorpay's tokens (a customer's saved cards): a card payment sent with
//! `save: 1` on an order of a customer is saved as a token of that customer
//! once it is captured, and the payment names the token; a customer's tokens
//! are listed, fetched and deleted only through that customer. A token
//! never holds the card's number or security code. Saving posts
//! `token.activated` (after `payment.captured`), with the customer's id.
//!
//! Pages: <https://razorpay.com/docs/api/payments/recurring-payments/cards/tokens/>
//! (fetch by customer, delete: `{"deleted": true}`), the S2S card payment
//! page (`save` with the order's `customer_id`). Inferred, as the pages do
//! not show them: that a token is made at capture (not at authorization),
//! its network read from the number's first digit, that a token of
//! another customer, or deleted, is not found, and that a token is active
//! as soon as it is saved (no `token.initiated` first; deleting one posts
//! nothing, as the tokenisation webhooks page ties its events to the bank).

use serde_json::{json, Value};

use super::entities::CardSent;
use super::{collection, find, CUSTOMER};
use crate::sim::{last_four, text, Call, Network, Notice, Refusal};
use crate::world::{now, World};

const TOKEN: &str = "token";

/// A card to save as a token once its payment is captured, by the payment's id.
const TO_SAVE: &str = "token_to_save";

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let customer = call.param("customer_id");
    find(world, CUSTOMER, customer)?;
    match call.operation {
        "list_customer_tokens" => Ok(collection(
            call,
            world
                .all(TOKEN)
                .filter(|(_, t)| t["customer_id"] == customer)
                .map(|(_, t)| shown(t)),
        )),
        "fetch_customer_token" => Ok(shown(token_of(world, customer, call.param("token_id"))?)),
        "delete_customer_token" => {
            let id = call.param("token_id");
            token_of(world, customer, id)?;
            world.remove(TOKEN, id);
            Ok(json!({"deleted": true}))
        }
        _ => crate::sim::generic::answer(call, world),
    }
}

/// The customer's token `id`.
fn token_of(world: &World, customer: &str, id: &str) -> Result<Value, Refusal> {
    world
        .get(TOKEN, id)
        .filter(|t| t["customer_id"] == customer)
        .ok_or_else(|| Refusal::not_found(TOKEN, id))
}

/// A token as Razorpay answers it: without the customer it is kept under.
fn shown(mut token: Value) -> Value {
    if let Some(token) = token.as_object_mut() {
        token.remove("customer_id");
    }
    token
}

/// The card network a number's first digit names.
fn network(number: &str) -> &'static str {
    match Network::of(number) {
        Network::Visa => "Visa",
        Network::Mastercard => "MasterCard",
        Network::Amex => "American Express",
        Network::Rupay => "RuPay",
        Network::Unknown => "Unknown",
    }
}

/// Keeps what a token will show of `card` until payment `payment` is
/// captured: the name, last four digits, network and expiry.
pub(super) fn save_when_captured(
    world: &mut World,
    payment: &str,
    customer: &str,
    card: &CardSent<'_>,
) {
    let digits: String = card
        .number
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let number = |text: &Option<std::borrow::Cow<'_, str>>| {
        text.as_deref().and_then(|t| t.parse::<i64>().ok())
    };
    let year = number(&card.expiry_year).map(|y| if y < 100 { 2000 + y } else { y });
    world.put(
        TO_SAVE,
        payment,
        &json!({
            "customer_id": customer,
            "card": {
                "entity": "card",
                "name": card.name.as_deref(),
                "last4": last_four(&digits),
                "network": network(&digits),
                "type": "credit",
                "issuer": null,
                "international": false,
                "emi": false,
                "sub_type": "consumer",
                "expiry_month": number(&card.expiry_month),
                "expiry_year": year,
            },
        }),
    );
}

/// Saves the card of captured payment `payment` as a token, when it asked
/// to be saved: the token's id, and its `token.activated` webhook.
pub(super) fn save_captured(world: &mut World, payment: &str) -> Option<(String, Notice)> {
    let saving = world.get(TO_SAVE, payment)?;
    world.remove(TO_SAVE, payment);
    let id = world.fresh_id("token_");
    let at = now();
    let token = json!({
        "id": id,
        "entity": "token",
        "token": world.fresh_id(""),
        "bank": null,
        "wallet": null,
        "method": "card",
        "card": saving["card"],
        "recurring": false,
        "auth_type": null,
        "mrn": null,
        "used_at": at,
        "created_at": at,
        "expired_at": null,
        "dcc_enabled": false,
        "customer_id": text(&saving, "customer_id"),
    });
    world.put(TOKEN, &id, &token);
    let mut sent = token;
    sent["status"] = json!("active");
    sent["compliant_with_tokenisation_guidelines"] = json!(true);
    let activated = Notice {
        event: "token.activated",
        payload: json!({"token": {"entity": sent}}),
    };
    Some((id, activated))
}
