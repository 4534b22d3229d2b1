//! A fresh Razorpay order and payment, typed and written straight to JSON
//! text, from what the request sent, read as types borrowing from its text:
//! `create_order` (the call a consumer's tests make most) builds no
//! `serde_json::Value` tree, neither of its request nor of what it makes,
//! which keeps the mock's request rate at wiremock's (the bench's
//! paygen-mock row).
//!
//! The fields and their initial values are those of
//! <https://razorpay.com/docs/api/orders/> and
//! <https://razorpay.com/docs/api/payments/>: nothing paid, no attempts, a
//! payment `created` and waiting for its customer. A field the request did
//! not send is `null` (notes: `[]`, as Razorpay answers empty notes).

use std::borrow::Cow;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::world::{now, World};

/// What an order is made from: the fields of the request the mock keeps.
/// The request was judged against its generated type before this is read.
#[derive(Debug, Default, Deserialize)]
pub(in crate::sim) struct OrderSent<'a> {
    #[serde(default)]
    pub amount: i64,
    #[serde(borrow, default)]
    pub currency: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub receipt: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub notes: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub customer_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub payment: Option<PaymentSent<'a>>,
    #[serde(default)]
    pub partial_payment: Option<bool>,
    /// Route transfers to make once the order's payment is captured.
    #[serde(default)]
    pub transfers: Option<Vec<Value>>,
}

/// What a payment is made from: the request's `payment` (or the request
/// itself), or what the mock's own events pay with.
#[derive(Debug, Default, Deserialize)]
pub(in crate::sim) struct PaymentSent<'a> {
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(borrow, default)]
    pub method: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub description: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub email: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub contact: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub provider: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub notes: Option<&'a RawValue>,
    /// `1`: save the card as a token of the order's customer once paid.
    #[serde(default)]
    pub save: Option<i64>,
    #[serde(borrow, default)]
    pub card: Option<CardSent<'a>>,
}

/// What a saved card keeps of the card sent: never its number (only its
/// first and last digits are read) or its security code.
#[derive(Debug, Default, Deserialize)]
pub(in crate::sim) struct CardSent<'a> {
    #[serde(borrow, default)]
    pub number: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub expiry_month: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub expiry_year: Option<Cow<'a, str>>,
}

impl PaymentSent<'static> {
    /// A payment the mock makes itself (a customer paying a link or a QR
    /// Code): `amount` by `method`.
    pub(in crate::sim) fn made(amount: Option<i64>, method: &'static str) -> Self {
        PaymentSent {
            amount,
            method: Some(Cow::Borrowed(method)),
            ..PaymentSent::default()
        }
    }
}

/// Razorpay's notes: as sent, else `[]`.
fn notes<S: Serializer>(notes: &Option<&RawValue>, serializer: S) -> Result<S::Ok, S::Error> {
    match notes {
        Some(notes) => notes.serialize(serializer),
        None => serializer.collect_seq(std::iter::empty::<()>()),
    }
}

/// An order as Razorpay answers it.
#[derive(Debug, Serialize)]
pub(in crate::sim) struct Order<'a> {
    pub id: String,
    entity: &'static str,
    pub amount: i64,
    amount_paid: i64,
    pub amount_due: i64,
    pub currency: &'a str,
    receipt: Option<&'a RawValue>,
    offer_id: Option<&'a str>,
    pub status: &'static str,
    attempts: i64,
    #[serde(serialize_with = "notes")]
    notes: Option<&'a RawValue>,
    created_at: u64,
    /// The Route transfers it was created with, as created.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transfers: Vec<Value>,
    /// The order's customer, which its payments carry.
    #[serde(skip)]
    customer_id: Option<&'a str>,
}

impl<'a> Order<'a> {
    /// A new order from the request: its values, a fresh id, `created`,
    /// nothing paid. INR's minimum (100 paise) is the spec's
    /// `minimum_when`: the request type's validation refused a smaller
    /// amount before this.
    pub(in crate::sim) fn new(sent: &'a OrderSent<'_>, world: &mut World) -> Self {
        Order {
            id: world.fresh_id("order_"),
            entity: "order",
            amount: sent.amount,
            amount_paid: 0,
            amount_due: sent.amount,
            currency: sent.currency.as_deref().unwrap_or("INR"),
            receipt: sent.receipt,
            offer_id: None,
            status: "created",
            attempts: 0,
            notes: sent.notes,
            created_at: now(),
            transfers: Vec::new(),
            customer_id: sent.customer_id.as_deref(),
        }
    }

    /// What a payment made on it copies.
    pub(in crate::sim) fn paid_on(&self) -> PaidOn<'_> {
        PaidOn {
            order_id: Some(&self.id),
            currency: self.currency,
            amount_due: self.amount_due,
            customer_id: self.customer_id,
        }
    }

    /// A payment was made on it: one more attempt, and `attempted`.
    pub(in crate::sim) fn attempted(&mut self) {
        self.attempts += 1;
        if self.status == "created" {
            self.status = "attempted";
        }
    }

    /// The order as JSON text.
    pub(in crate::sim) fn text(&self) -> String {
        written(self)
    }
}

/// What a payment copies from the order it is made on (a QR Code's payment
/// has no order).
#[derive(Debug, Clone, Copy)]
pub(in crate::sim) struct PaidOn<'a> {
    pub order_id: Option<&'a str>,
    pub currency: &'a str,
    pub amount_due: i64,
    pub customer_id: Option<&'a str>,
}

impl<'a> PaidOn<'a> {
    /// The facts of an order kept in the world.
    pub(in crate::sim) fn order(order: &'a Value) -> Self {
        PaidOn {
            order_id: order.get("id").and_then(Value::as_str),
            currency: order
                .get("currency")
                .and_then(Value::as_str)
                .unwrap_or("INR"),
            amount_due: order["amount_due"].as_i64().unwrap_or(0),
            customer_id: None,
        }
    }
}

/// A payment as Razorpay answers it.
#[derive(Debug, Serialize)]
pub(in crate::sim) struct Payment<'a> {
    pub id: String,
    entity: &'static str,
    pub amount: i64,
    currency: &'a str,
    pub status: &'static str,
    order_id: Option<&'a str>,
    method: &'a str,
    international: bool,
    amount_refunded: i64,
    refund_status: Option<&'a str>,
    pub captured: bool,
    description: Option<&'a RawValue>,
    email: Option<&'a RawValue>,
    contact: Option<&'a RawValue>,
    provider: Option<&'a RawValue>,
    customer_id: Option<&'a str>,
    token_id: Option<&'a str>,
    #[serde(serialize_with = "notes")]
    notes: Option<&'a RawValue>,
    fee: Option<i64>,
    tax: Option<i64>,
    error_code: Option<&'a str>,
    error_description: Option<&'a str>,
    error_source: Option<&'a str>,
    error_step: Option<&'a str>,
    error_reason: Option<&'a str>,
    created_at: u64,
}

impl<'a> Payment<'a> {
    /// A new payment on `order` from `sent`, `created`: it waits for the
    /// customer. It is for `sent`'s amount, else the amount due, by `sent`'s
    /// method, else card.
    pub(in crate::sim) fn new(
        world: &mut World,
        order: PaidOn<'a>,
        sent: &'a PaymentSent<'_>,
    ) -> Self {
        Payment {
            id: world.fresh_id("pay_"),
            entity: "payment",
            amount: sent.amount.unwrap_or(order.amount_due),
            currency: order.currency,
            status: "created",
            order_id: order.order_id,
            method: sent.method.as_deref().unwrap_or("card"),
            international: false,
            amount_refunded: 0,
            refund_status: None,
            captured: false,
            description: sent.description,
            email: sent.email,
            contact: sent.contact,
            provider: sent.provider,
            customer_id: order.customer_id,
            token_id: None,
            notes: sent.notes,
            fee: None,
            tax: None,
            error_code: None,
            error_description: None,
            error_source: None,
            error_step: None,
            error_reason: None,
            created_at: now(),
        }
    }

    /// Paid at once (a payment link's or a QR Code's UPI payment).
    pub(in crate::sim) fn captured(mut self) -> Self {
        self.status = "captured";
        self.captured = true;
        self
    }

    /// The payment as JSON text.
    pub(in crate::sim) fn text(&self) -> String {
        written(self)
    }

    /// The payment as a JSON value, for a webhook's payload.
    pub(in crate::sim) fn value(&self) -> Value {
        serde_json::from_str(&self.text()).unwrap_or(Value::Null)
    }
}

/// `entity` as JSON text. Strings, integers, booleans and JSON values always
/// serialize; a failure would be a bug in this module's types.
fn written(entity: &impl Serialize) -> String {
    serde_json::to_string(entity).expect("an entity of strings, numbers and JSON values serializes")
}

/// `object` (JSON text of an object) with `key` set to `value` (JSON text)
/// at its end: the order with its payment's workflow, written without
/// parsing the order again. `object` is this module's or `serde_json`'s
/// output, so it ends with its closing brace.
pub(in crate::sim) fn with_field(object: &str, key: &str, value: &str) -> String {
    let body = object.trim_end().strip_suffix('}').unwrap_or(object);
    let comma = if body.trim_end().ends_with('{') {
        ""
    } else {
        ","
    };
    let mut text = String::with_capacity(body.len() + key.len() + value.len() + 8);
    text.push_str(body);
    text.push_str(comma);
    text.push('"');
    text.push_str(key);
    text.push_str("\":");
    text.push_str(value);
    text.push('}');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_field_is_added_to_an_object_written_as_text() {
        let added = with_field(
            r#"{"id":"order_A"}"#,
            "payment_workflow",
            r#"{"id":"pay_B"}"#,
        );
        assert_eq!(
            serde_json::from_str::<Value>(&added).unwrap(),
            json!({"id": "order_A", "payment_workflow": {"id": "pay_B"}})
        );
        assert_eq!(with_field("{}", "a", "1"), r#"{"a":1}"#);
    }

    #[test]
    fn an_order_holds_what_was_sent_and_nothing_paid() {
        let mut world = World::default();
        let body =
            r#"{"amount": 5000, "currency": "USD", "receipt": "r#1", "partial_payment": true}"#;
        let sent: OrderSent = serde_json::from_str(body).unwrap();
        let order: Value = serde_json::from_str(&Order::new(&sent, &mut world).text()).unwrap();
        assert_eq!(order["amount"], 5000);
        assert_eq!(order["amount_due"], 5000);
        assert_eq!(order["amount_paid"], 0);
        assert_eq!(order["currency"], "USD");
        assert_eq!(order["receipt"], "r#1");
        assert_eq!(order["notes"], json!([]));
        assert_eq!(order["status"], "created");
        assert!(order.get("partial_payment").is_none(), "{order}");
    }

    #[test]
    fn a_payment_copies_its_order_and_what_was_sent() {
        let mut world = World::default();
        let order = json!({"id": "order_A", "currency": "USD", "amount_due": 700});
        let body = r#"{"method": "upi", "email": "a@example.com", "notes": {"k": "v"}}"#;
        let sent: PaymentSent = serde_json::from_str(body).unwrap();
        let payment = Payment::new(&mut world, PaidOn::order(&order), &sent).value();
        assert_eq!(payment["order_id"], "order_A");
        assert_eq!(payment["currency"], "USD");
        assert_eq!(payment["amount"], 700);
        assert_eq!(payment["method"], "upi");
        assert_eq!(payment["email"], "a@example.com");
        assert_eq!(payment["contact"], Value::Null);
        assert_eq!(payment["notes"], json!({"k": "v"}));
        assert_eq!(
            (payment["status"].as_str(), payment["captured"].as_bool()),
            (Some("created"), Some(false))
        );
        let sent = PaymentSent {
            amount: Some(100),
            ..PaymentSent::default()
        };
        let paid = Payment::new(&mut world, PaidOn::order(&order), &sent)
            .captured()
            .value();
        assert_eq!(
            (paid["amount"].as_i64(), paid["method"].as_str()),
            (Some(100), Some("card"))
        );
        assert_eq!(paid["notes"], json!([]));
        assert_eq!(
            (paid["status"].as_str(), paid["captured"].as_bool()),
            (Some("captured"), Some(true))
        );
    }
}
