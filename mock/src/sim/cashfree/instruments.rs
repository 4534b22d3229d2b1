//! Cashfree's saved cards (token vault instruments): a card paid with
//! `save_instrument` is saved for the order's customer once the payment
//! succeeds, its `instrument_id` pays only that customer's orders, and a
//! deleted card is `INACTIVE`, neither listed nor found nor paying. An
//! instrument never holds the card's number or security code; its
//! cryptogram is a fresh network token of the mock's own with a fresh code.
//!
//! Pages: <https://www.cashfree.com/docs/api-reference/payments/previous/v2023-08-01/token-vault/fetch-all-saved-card-instrument>
//! and the fetch-one and delete pages beside it; .../payments/pay
//! (`save_instrument`, `instrument_id`). Inferred, as the pages do not show
//! them: the refusals' codes and texts, that a card is saved only once its
//! payment succeeds, its network read from the number's first digit, and
//! that a deleted card is not found.

use serde_json::{json, Value};

use crate::sim::{last_four, text, Call, Network, Refusal};
use crate::world::{now, rfc3339, World};

const INSTRUMENT: &str = "instrument";

/// A card to save once its payment succeeds, by the payment's id.
const TO_SAVE: &str = "instrument_to_save";

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let customer = call.param("customer_id");
    match call.operation {
        "fetch_instruments" => Ok(Value::Array(
            world
                .all(INSTRUMENT)
                .map(|(_, i)| i)
                .filter(|i| i["customer_id"] == customer && i["instrument_status"] == "ACTIVE")
                .collect(),
        )),
        "fetch_instrument" => active(world, customer, call.param("instrument_id")),
        "fetch_cryptogram" => {
            let instrument = active(world, customer, call.param("instrument_id"))?;
            Ok(cryptogram(&instrument))
        }
        "delete_instrument" => {
            let id = call.param("instrument_id");
            active(world, customer, id)?;
            let mut instrument = world.get_mut(INSTRUMENT, id).expect("just found");
            instrument["instrument_status"] = json!("INACTIVE");
            Ok(instrument.clone())
        }
        _ => crate::sim::generic::answer(call, world),
    }
}

/// A fresh network token and cryptogram for a saved card: the mock never
/// kept the card's number, so the token is a number of its own (with the
/// card's network's first digit) that only shares the card's last four.
fn cryptogram(instrument: &Value) -> Value {
    use base64::Engine as _;
    let display = last_four(text(instrument, "instrument_display"));
    let first = match text(&instrument["instrument_meta"], "card_network") {
        "mastercard" => Network::Mastercard,
        "amex" => Network::Amex,
        "rupay" => Network::Rupay,
        _ => Network::Visa,
    }
    .first_digit();
    let digits: String = (0..15)
        .map(|_| char::from(b'0' + fastrand::u8(..10)))
        .collect();
    let code: Vec<u8> = (0..20).map(|_| fastrand::u8(..)).collect();
    let expiry = crate::world::rfc3339(now() + 3 * 365 * 86_400);
    json!({
        "instrument_id": instrument["instrument_id"],
        "token_requestor_id": "22457512314",
        "card_number": format!("{first}{digits}"),
        "card_expiry_mm": expiry.get(5..7),
        "card_expiry_yy": expiry.get(0..4),
        "cryptogram": base64::engine::general_purpose::STANDARD.encode(code),
        "card_display": display,
    })
}

/// The customer's saved card `id`, not deleted.
fn active(world: &World, customer: &str, id: &str) -> Result<Value, Refusal> {
    world
        .get(INSTRUMENT, id)
        .filter(|i| i["customer_id"] == customer && i["instrument_status"] == "ACTIVE")
        .ok_or_else(|| Refusal::not_found(INSTRUMENT, id))
}

fn customer_of(order: &Value) -> &str {
    order
        .pointer("/customer_details/customer_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Checks a card payment's `instrument_id` (a saved card of the order's
/// customer) and keeps a new card to save when `save_instrument` asks.
pub(super) fn on_card_payment(
    call: &Call<'_>,
    world: &mut World,
    order: &Value,
    card: &Value,
    payment_id: &str,
) -> Result<(), Refusal> {
    let customer = customer_of(order);
    if let Some(id) = card.get("instrument_id").and_then(Value::as_str) {
        active(world, customer, id).map_err(|_| {
            Refusal::bad_request(
                "instrument_id_invalid",
                "instrument_id does not name a saved card of the order's customer",
            )
            .on_field("instrument_id")
        })?;
        return Ok(());
    }
    let asked = call
        .field("save_instrument")
        .is_some_and(|v| v == &json!(true));
    let digits: String = text(card, "card_number")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if asked && !digits.is_empty() && !customer.is_empty() {
        let network = match Network::of(&digits) {
            Network::Visa => "visa",
            Network::Mastercard => "mastercard",
            Network::Amex => "amex",
            Network::Rupay => "rupay",
            Network::Unknown => "",
        };
        let last4 = last_four(&digits);
        world.put(
            TO_SAVE,
            payment_id,
            &json!({
                "customer_id": customer,
                "instrument_display": format!("XXXXXXXXXXXX{last4}"),
                "instrument_meta": {"card_network": network},
            }),
        );
    }
    Ok(())
}

/// Saves the card of succeeded payment `payment_id`, when it asked to be saved.
pub(super) fn save_paid(world: &mut World, payment_id: &str) {
    let Some(saving) = world.get(TO_SAVE, payment_id) else {
        return;
    };
    world.remove(TO_SAVE, payment_id);
    let id = format!(
        "{}-{}",
        world.fresh_number(8),
        world.fresh_id("").to_lowercase()
    );
    let instrument = json!({
        "customer_id": saving["customer_id"],
        "afa_reference": payment_id.parse::<i64>().unwrap_or_default(),
        "instrument_id": id,
        "instrument_type": "card",
        "instrument_uid": format!("uid_{}", saving["instrument_display"].as_str().unwrap_or_default()),
        "instrument_display": saving["instrument_display"],
        "instrument_status": "ACTIVE",
        "created_at": rfc3339(now()),
        "instrument_meta": saving["instrument_meta"],
    });
    world.put(INSTRUMENT, &id, &instrument);
}
