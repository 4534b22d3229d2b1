//! Juspay's saved cards: a card transaction with `save_to_locker` keeps its
//! card for the order's customer once the payment is charged, and
//! `add_card` keeps a created customer's card without a payment; a saved card
//! pays by its token, only for its own customer's orders; a deleted card's
//! token pays nothing and deletes nothing. The mock never keeps a card's
//! number or security code: only what the list shows (the masked number,
//! first six digits, expiry, name, brand).
//!
//! Pages: <https://juspay.io/in/docs/api-reference/docs/express-checkout/credit--debit-card-transaction>
//! (a new card or a saved one's token; "the card will be saved in locker when
//! the transaction is successful"), .../list-stored-cards, .../delete-card,
//! .../order-status-api (the order's `card`), .../add-card (a created
//! customer; a card by number or a Tokenize token). Inferred, as the pages do not
//! show them: the refusals' codes and texts, that a token stays valid until
//! its card is deleted, that one card saved twice for a customer is one
//! saved card, that a card's brand is read from its first digit when not
//! sent, that a customer with no saved card lists none, and the refusal of
//! an unknown customer and of a token (the mock has no Tokenize API).

use serde_json::{json, Value};

use super::{customers, start_txn, ORDER};
use crate::sim::{last_four, text, Call, Network, Refusal};
use crate::world::World;

/// A saved card, by its token; it also holds its customer's id.
const CARD: &str = "card";

/// A new card waiting for its transaction to be charged before it is saved,
/// by the transaction's id.
const TO_SAVE: &str = "card_to_save";

pub(super) fn answer(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    match call.operation {
        "create_card_txn" => create_card_txn(call, world),
        "add_card" => add_card(call, world),
        "list_cards" => Ok(list(call, world)),
        "delete_card" => delete(call, world),
        _ => crate::sim::generic::answer(call, world),
    }
}

fn invalid_token() -> Refusal {
    Refusal::bad_request(
        "INVALID_CARD_TOKEN",
        "card_token does not name a card saved for this customer",
    )
    .on_field("card_token")
}

/// `YY` as `YYYY`.
fn full_year(year: &str) -> String {
    match year.len() {
        2 => format!("20{year}"),
        _ => year.to_owned(),
    }
}

/// The brand Juspay names a card number's network by.
fn brand_of(number: &str) -> &'static str {
    match Network::of(number) {
        Network::Visa => "VISA",
        Network::Mastercard => "MASTERCARD",
        Network::Amex => "AMEX",
        Network::Rupay => "RUPAY",
        Network::Unknown => "",
    }
}

/// A transaction on the order by a new card or a saved one.
fn create_card_txn(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let token = call.text("card_token");
    let number = call.text("card_number");
    if token.is_some() && number.is_some() {
        return Err(Refusal::bad_request(
            "INVALID_REQUEST",
            "send either card_token or card_number, not both",
        ));
    }
    let customer = call
        .text("order_id")
        .and_then(|id| world.get(ORDER, id))
        .and_then(|order| order["customer_id"].as_str().map(str::to_owned));
    let saved = match token {
        Some(token) => {
            let card = world.get(CARD, token).ok_or_else(invalid_token)?;
            // The order's customer, by either id it is known by.
            let theirs = customer.as_deref().is_some_and(|customer| {
                ids_of(world, customer)
                    .iter()
                    .any(|id| card["customer_id"] == id.as_str())
            });
            if !theirs {
                return Err(invalid_token());
            }
            Some(card)
        }
        None => None,
    };
    let (card, brand) = match &saved {
        Some(card) => (used_card(card), text(card, "card_brand").to_owned()),
        None => {
            let number: String = number
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let brand = call
                .text("payment_method")
                .unwrap_or_else(|| brand_of(&number))
                .to_owned();
            (new_card(call, &number, &brand), brand)
        }
    };
    let mut started = start_txn(call, world, "CARD", &brand)?;
    super::mandates::note_txn(call, world, &started.order_id)?;
    started.order["card"] = card.clone();
    started.order["auth_type"] = json!("THREE_DS");
    // A form's `true` is text.
    let asked = call
        .field("save_to_locker")
        .is_some_and(|v| v == &json!(true) || v == &json!("true"));
    let keep_card = saved.is_none() && asked;
    if let (true, Some(customer)) = (keep_card, customer) {
        let mut to_save = card;
        to_save["customer_id"] = json!(customer);
        world.put(TO_SAVE, &started.txn_id, &to_save);
    }
    started.keep(world);
    let url = format!(
        "https://api.juspay.in/v2/pay/start/{}/{}",
        call.text("merchant_id").unwrap_or_default(),
        started.txn_uuid
    );
    Ok(json!({
        "order_id": started.order_id,
        "txn_id": started.txn_id,
        "txn_uuid": started.txn_uuid,
        "status": "PENDING_VBV",
        "payment": {"authentication": {"method": "GET", "url": url}},
    }))
}

/// The order's `card` for a new card: never its number or security code.
fn new_card(call: &Call<'_>, number: &str, brand: &str) -> Value {
    let digits = |range: std::ops::Range<usize>| number.get(range).unwrap_or_default().to_owned();
    json!({
        "card_isin": digits(0..6),
        "last_four_digits": last_four(number),
        "expiry_year": full_year(call.text("card_exp_year").unwrap_or_default()),
        "expiry_month": call.text("card_exp_month"),
        "name_on_card": call.text("name_on_card"),
        "card_brand": brand,
        "using_saved_card": false,
        "saved_to_locker": false,
    })
}

/// The order's `card` for a saved card.
fn used_card(card: &Value) -> Value {
    let masked = text(card, "card_number");
    json!({
        "card_isin": card["card_isin"],
        "last_four_digits": last_four(masked),
        "expiry_year": card["card_exp_year"],
        "expiry_month": card["card_exp_month"],
        "name_on_card": card["name_on_card"],
        "card_brand": card["card_brand"],
        "card_reference": card["card_reference"],
        "card_fingerprint": card["card_fingerprint"],
        "using_saved_card": true,
        "saved_to_locker": false,
    })
}

/// Saves the card of `order`'s charged transaction, when it asked to be
/// saved: answers whether it was (and marks the order's `card` so).
pub(super) fn save_charged(world: &mut World, order: &mut Value) -> bool {
    let txn = text(order, "txn_id").to_owned();
    let Some(card) = world.get(TO_SAVE, &txn) else {
        return false;
    };
    world.remove(TO_SAVE, &txn);
    let saved = keep(world, &card, "");
    order["card"]["saved_to_locker"] = json!(true);
    order["card"]["card_reference"] = saved["card_reference"].clone();
    order["card"]["card_fingerprint"] = saved["card_fingerprint"].clone();
    true
}

/// Saves `card` (an order's `card`, with its `customer_id`) for its
/// customer, or finds it saved already: the same card saved twice for a
/// customer is one saved card.
fn keep(world: &mut World, card: &Value, nickname: &str) -> Value {
    let customer = text(card, "customer_id");
    let last_four = text(card, "last_four_digits");
    let same = |saved: &Value| {
        saved["customer_id"] == customer
            && saved["card_isin"] == card["card_isin"]
            && saved["card_number"]
                .as_str()
                .is_some_and(|n| n.ends_with(last_four))
            && saved["card_exp_year"] == card["expiry_year"]
            && saved["card_exp_month"] == card["expiry_month"]
    };
    let existing = world
        .all(CARD)
        .find(|(_, saved)| same(saved))
        .map(|(_, c)| c);
    match existing {
        Some(saved) => saved,
        None => {
            let token = uuid(world);
            let saved = json!({
                "card_token": token,
                "card_reference": hex(32),
                "card_fingerprint": hex(26),
                "card_number": format!("XXXX-XXXXXXXX-{last_four}"),
                "card_isin": card["card_isin"],
                "card_exp_year": card["expiry_year"],
                "card_exp_month": card["expiry_month"],
                "card_brand": card["card_brand"],
                "nickname": nickname,
                "name_on_card": card["name_on_card"],
                "expired": false,
                "customer_id": customer,
            });
            world.put(CARD, &token, &saved);
            saved
        }
    }
}

/// Saves a customer's card without a payment (`/card/add`): by its number
/// and expiry; a Tokenize API token is refused, as the mock gives none.
fn add_card(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let customer = call.text("customer_id").unwrap_or_default();
    let (customer_id, _) = customers::find(world, customer).map_err(|_| {
        Refusal::bad_request(
            "INVALID_CUSTOMER",
            format!("customer `{customer}` was not created (create_customer)"),
        )
        .on_field("customer_id")
    })?;
    let Some(number) = call.text("card_number") else {
        return Err(Refusal::bad_request(
            "INVALID_TOKEN",
            "token is not one Juspay's Tokenize API gave in the last 15 minutes",
        )
        .on_field("token"));
    };
    let number: String = number.chars().filter(char::is_ascii_digit).collect();
    let mut card = new_card(call, &number, brand_of(&number));
    card["customer_id"] = json!(customer_id);
    let saved = keep(world, &card, call.text("nickname").unwrap_or_default());
    Ok(json!({
        "card_token": saved["card_token"],
        "card_reference": saved["card_reference"],
        "card_fingerprint": saved["card_fingerprint"],
    }))
}

/// A token shaped like Juspay's (`c75a9fca-1121-418e-973c-47d5c4971456`).
fn uuid(world: &mut World) -> String {
    let tick = world.tick();
    format!(
        "{}-{}-{}-{}-{}{:04x}",
        hex(8),
        hex(4),
        hex(4),
        hex(4),
        hex(8),
        tick % 0x10000
    )
}

fn hex(n: usize) -> String {
    (0..n)
        .map(|_| char::from_digit(fastrand::u32(..16), 16).unwrap_or('0'))
        .collect()
}

/// The ids a customer is known by: the one asked for, and its other id
/// (Juspay's, or the `object_reference_id` it was created with).
fn ids_of(world: &World, customer: &str) -> Vec<String> {
    let mut ids = vec![customer.to_owned()];
    if let Ok((id, found)) = customers::find(world, customer) {
        ids.push(id);
        ids.push(text(&found, "object_reference_id").to_owned());
    }
    ids
}

/// The customer's saved cards, oldest first, as the list shows them.
fn list(call: &Call<'_>, world: &World) -> Value {
    let customer = call.query("customer_id").unwrap_or_default();
    let ids = ids_of(world, &customer);
    let cards: Vec<Value> = world
        .all(CARD)
        .filter(|(_, card)| ids.iter().any(|id| card["customer_id"] == id.as_str()))
        .map(|(_, mut card)| {
            if let Some(card) = card.as_object_mut() {
                card.remove("customer_id");
            }
            card
        })
        .collect();
    let mut list = json!({"customer_id": customer, "cards": cards});
    if let Some(merchant) = call.header("x-merchantid") {
        list["merchantId"] = json!(merchant);
    }
    list
}

fn delete(call: &Call<'_>, world: &mut World) -> Result<Value, Refusal> {
    let token = call.text("card_token").unwrap_or_default();
    let card = world.get(CARD, token).ok_or_else(invalid_token)?;
    world.remove(CARD, token);
    Ok(json!({
        "card_token": token,
        "card_reference": card["card_reference"],
        "deleted": true,
    }))
}
