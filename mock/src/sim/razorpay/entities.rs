//! A fresh Razorpay order and payment, typed and written straight to JSON
//! text (`sim::json`), from what the request sent: read from the generated
//! request type the body was judged as (`create_order`), or else as types
//! borrowing from its text. `create_order` (the call a consumer's tests make
//! most) reads its body once and, for an order with or without its payment,
//! builds no `serde_json::Value` tree, neither of its request nor of what it
//! makes (Route transfers, when sent, are kept as values): the mock's
//! request rate depends on it (the bench's paygen-mock row).
//!
//! The fields and their initial values are those of
//! <https://razorpay.com/docs/api/orders/> and
//! <https://razorpay.com/docs/api/payments/>: nothing paid, no attempts, a
//! payment `created` and waiting for its customer. A field the request did
//! not send is `null` (notes: `[]`, as Razorpay answers empty notes).

use std::borrow::Cow;
use std::collections::BTreeMap;

use paygen::razorpay::{CreateOrderRequest, OrderPayment};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::sim::json::{self, Object, Serialized};
use crate::sim::Call;
use crate::world::{now, World};

/// A value an entity carries over from its request unchanged: as the JSON
/// text the simulator read, or as the field of the generated request type
/// the body was judged as (the mock then reads the body once, not twice).
#[derive(Debug, Clone, Copy)]
pub(in crate::sim) enum Carried<'a> {
    Json(&'a RawValue),
    Text(&'a str),
    Notes(&'a BTreeMap<String, String>),
}

impl Serialize for Carried<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Carried::Json(json) => json.serialize(serializer),
            Carried::Text(text) => serializer.serialize_str(text),
            Carried::Notes(notes) => notes.serialize(serializer),
        }
    }
}

impl json::Value for Carried<'_> {
    fn write(&self, text: &mut Vec<u8>) {
        match self {
            Carried::Json(json) => json.write(text),
            Carried::Text(value) => value.write(text),
            Carried::Notes(notes) => Serialized(notes).write(text),
        }
    }
}

/// Razorpay's notes: as sent, else `[]`.
struct Notes<'a>(Option<Carried<'a>>);

impl json::Value for Notes<'_> {
    fn write(&self, text: &mut Vec<u8>) {
        match &self.0 {
            Some(notes) => notes.write(text),
            None => text.extend_from_slice(b"[]"),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Carried<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&RawValue>::deserialize(deserializer).map(Carried::Json)
    }
}

/// What an order is made from: the fields of the request the mock keeps.
/// The request was judged against its generated type before this is read.
#[derive(Debug, Default, Deserialize)]
pub(in crate::sim) struct OrderSent<'a> {
    #[serde(default)]
    pub amount: i64,
    #[serde(borrow, default)]
    pub currency: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub receipt: Option<Carried<'a>>,
    #[serde(borrow, default)]
    pub notes: Option<Carried<'a>>,
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
    pub description: Option<Carried<'a>>,
    #[serde(borrow, default)]
    pub email: Option<Carried<'a>>,
    #[serde(borrow, default)]
    pub contact: Option<Carried<'a>>,
    #[serde(borrow, default)]
    pub provider: Option<Carried<'a>>,
    #[serde(borrow, default)]
    pub notes: Option<Carried<'a>>,
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

impl<'a> OrderSent<'a> {
    /// What an order is made from: the generated request its body was judged
    /// as (the body is then read once), else the body's text.
    pub(in crate::sim) fn of(call: &Call<'a>) -> Option<Self> {
        match call.decoded() {
            Some(request) => Some(OrderSent::decoded(request)),
            None => call.read(),
        }
    }

    /// What an order is made from, read from the generated request the body
    /// was judged as.
    pub(in crate::sim) fn decoded(request: &'a CreateOrderRequest) -> Self {
        OrderSent {
            amount: request.amount,
            currency: Some(Cow::Borrowed(&request.currency)),
            receipt: request.receipt.as_deref().map(Carried::Text),
            notes: request.notes.as_ref().map(Carried::Notes),
            customer_id: request.customer_id.as_deref().map(Cow::Borrowed),
            payment: request.payment.as_ref().map(PaymentSent::decoded),
            partial_payment: request.partial_payment,
            transfers: request.transfers.as_ref().map(|transfers| {
                transfers
                    .iter()
                    .map(|t| serde_json::to_value(t).unwrap_or_default())
                    .collect()
            }),
        }
    }
}

impl<'a> PaymentSent<'a> {
    /// What a payment is made from, read from the generated request's
    /// `payment`.
    fn decoded(payment: &'a OrderPayment) -> Self {
        PaymentSent {
            amount: payment.amount,
            method: Some(Cow::Borrowed(payment.method.as_str())),
            description: None,
            email: Some(Carried::Text(&payment.email)),
            contact: Some(Carried::Text(payment.contact.expose())),
            provider: None,
            notes: payment.notes.as_ref().map(Carried::Notes),
            save: payment.save,
            card: payment.card.as_ref().map(|card| CardSent {
                number: Some(Cow::Borrowed(card.number.expose())),
                name: Some(Cow::Borrowed(&card.name)),
                expiry_month: Some(Cow::Borrowed(card.expiry_month.expose())),
                expiry_year: Some(Cow::Borrowed(card.expiry_year.expose())),
            }),
        }
    }
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

/// An order as Razorpay answers it.
#[derive(Debug)]
pub(in crate::sim) struct Order<'a> {
    pub id: String,
    entity: &'static str,
    pub amount: i64,
    amount_paid: i64,
    pub amount_due: i64,
    pub currency: &'a str,
    receipt: Option<Carried<'a>>,
    offer_id: Option<&'a str>,
    pub status: &'static str,
    attempts: i64,
    notes: Option<Carried<'a>>,
    created_at: u64,
    /// The Route transfers it was created with, as created.
    pub transfers: Vec<Value>,
    /// The order's customer, which its payments carry.
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

    /// The order as JSON text, with room after it for a payment's workflow
    /// (the answer to an order made with a payment is written on at its end).
    pub(in crate::sim) fn text(&self) -> String {
        let mut order = Object::with_capacity(1024);
        order
            .field("id", self.id.as_str())
            .field("entity", self.entity)
            .field("amount", self.amount)
            .field("amount_paid", self.amount_paid)
            .field("amount_due", self.amount_due)
            .field("currency", self.currency)
            .field("receipt", self.receipt)
            .field("offer_id", self.offer_id)
            .field("status", self.status)
            .field("attempts", self.attempts)
            .field("notes", Notes(self.notes))
            .field("created_at", self.created_at);
        if !self.transfers.is_empty() {
            order.field("transfers", Serialized(&self.transfers));
        }
        order.end()
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
#[derive(Debug)]
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
    description: Option<Carried<'a>>,
    email: Option<Carried<'a>>,
    contact: Option<Carried<'a>>,
    provider: Option<Carried<'a>>,
    customer_id: Option<&'a str>,
    token_id: Option<&'a str>,
    notes: Option<Carried<'a>>,
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
        let mut payment = Object::with_capacity(640);
        payment
            .field("id", self.id.as_str())
            .field("entity", self.entity)
            .field("amount", self.amount)
            .field("currency", self.currency)
            .field("status", self.status)
            .field("order_id", self.order_id)
            .field("method", self.method)
            .field("international", self.international)
            .field("amount_refunded", self.amount_refunded)
            .field("refund_status", self.refund_status)
            .field("captured", self.captured)
            .field("description", self.description)
            .field("email", self.email)
            .field("contact", self.contact)
            .field("provider", self.provider)
            .field("customer_id", self.customer_id)
            .field("token_id", self.token_id)
            .field("notes", Notes(self.notes))
            .field("fee", self.fee)
            .field("tax", self.tax)
            .field("error_code", self.error_code)
            .field("error_description", self.error_description)
            .field("error_source", self.error_source)
            .field("error_step", self.error_step)
            .field("error_reason", self.error_reason)
            .field("created_at", self.created_at);
        payment.end()
    }

    /// The payment as a JSON value, for a webhook's payload.
    pub(in crate::sim) fn value(&self) -> Value {
        serde_json::from_str(&self.text()).unwrap_or(Value::Null)
    }
}

/// `object` (JSON text of an object) opened again for another field: all
/// but its closing brace, then what separates the next field (a comma when
/// it has fields). `object` is this module's or `serde_json`'s output, so it
/// ends with its closing brace.
pub(in crate::sim) fn open_object(object: &str) -> (&str, &'static str) {
    let body = object.trim_end().strip_suffix('}').unwrap_or(object);
    let separator = if body.trim_end().ends_with('{') {
        ""
    } else {
        ","
    };
    (body, separator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `object` (JSON text of an object) with `key` set to `value` (JSON
    /// text) at its end.
    fn with_field(object: &str, key: &str, value: &str) -> String {
        let (body, separator) = open_object(object);
        format!("{body}{separator}\"{key}\":{value}}}")
    }

    /// The order and payment `sent` makes, as JSON, without what differs
    /// from one making to the next (fresh ids, the clock).
    fn made(sent: &OrderSent<'_>) -> (Value, Value) {
        let mut world = World::default();
        let mut order = Order::new(sent, &mut world);
        let paid_with = sent.payment.as_ref().unwrap();
        let payment = Payment::new(&mut world, order.paid_on(), paid_with).text();
        order.attempted();
        let mut read =
            [order.text(), payment].map(|text| serde_json::from_str::<Value>(&text).unwrap());
        for entity in &mut read {
            for fresh in ["id", "order_id", "created_at"] {
                entity.as_object_mut().unwrap().remove(fresh);
            }
        }
        let [order, payment] = read;
        (order, payment)
    }

    #[test]
    fn an_order_made_from_the_decoded_request_is_the_one_made_from_its_text() {
        let body = r#"{
            "amount": 50000, "currency": "INR", "receipt": "r \"1\" \u00e9",
            "notes": {"key2": "b", "key1": "a\nz"}, "partial_payment": true,
            "customer_id": "cust_E9penp7VGhT5yt",
            "payment": {
                "amount": 100, "currency": "INR", "email": "john@example.com",
                "contact": "+911234567890", "method": "card", "ip": "105.106.107.108",
                "notes": {"n": "1"}, "save": 1,
                "card": {"number": "4916333896632957", "name": "John \"J\" Smith",
                         "expiry_month": "11", "expiry_year": "35", "cvv": "100"}
            }
        }"#;
        let request: CreateOrderRequest = serde_json::from_str(body).unwrap();
        let read: OrderSent = serde_json::from_str(body).unwrap();
        let decoded = OrderSent::decoded(&request);
        let (order, payment) = made(&decoded);
        assert_eq!((&order, &payment), (&made(&read).0, &made(&read).1));
        assert_eq!(order["receipt"], "r \"1\" é");
        assert_eq!(order["notes"], json!({"key1": "a\nz", "key2": "b"}));
        assert_eq!(
            (&payment["email"], &payment["contact"], &payment["notes"]),
            (
                &json!("john@example.com"),
                &json!("+911234567890"),
                &json!({"n": "1"})
            )
        );
        // What a saved card keeps is read alike.
        let card = |sent: &OrderSent<'_>| format!("{:?}", sent.payment.as_ref().unwrap().card);
        assert_eq!(card(&decoded), card(&read));
        assert_eq!(
            (
                decoded.payment.as_ref().unwrap().save,
                decoded.customer_id.as_deref()
            ),
            (Some(1), Some("cust_E9penp7VGhT5yt"))
        );
    }

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
