//! The gateways' documented behaviour, one rule table per gateway: which
//! calls create which entities, what a fresh entity holds, which transitions
//! each lifecycle allows, and the gateway's own refusal for each one it does
//! not. A gateway without a table (one added to `specs/` by YAML) gets
//! [`generic`]: entities exist only when created, unknown ids are not found.
//!
//! Written by hand: the specs say shapes and limits, not lifecycles. Each rule
//! names the page it comes from; where a page is silent the rule says what
//! was inferred.

pub(crate) mod cashfree;
pub(crate) mod generic;
mod json;
pub(crate) mod juspay;
pub(crate) mod razorpay;

use paygen::Decimal;
use serde_json::Value;

use crate::request::Sent;
use crate::world::World;
use crate::Happening;

/// One call, as the simulator sees it.
pub(crate) struct Call<'a> {
    pub operation: &'static str,
    pub method: &'static str,
    /// The path parameters, by name.
    pub path: &'a [(&'static str, String)],
    pub query: Option<&'a str>,
    /// The request body, unmasked.
    pub sent: &'a Sent<'a>,
    pub headers: &'a hyper::HeaderMap,
    /// The spec's example responses, by name: templates for what the gateway
    /// fills that no call decides (the next actions' URLs, a redirect form).
    pub examples: &'a [(&'static str, Value)],
    /// The same examples as the spec's JSON text.
    pub example_texts: &'static [(&'static str, &'static str)],
    /// The response's type (`Order`, `Vec<Payment>`): the generic simulator
    /// keeps entities by it.
    pub answer_type: &'static str,
    pub credentials: &'a [String],
}

impl<'a> Call<'a> {
    /// The path parameter `name` (empty when the route has none).
    pub(crate) fn param(&self, name: &str) -> &str {
        self.path
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The request body as JSON (a form as its fields).
    pub(crate) fn json(&self) -> &Value {
        self.sent.json()
    }

    /// The request body as the generated request type `T` it was judged
    /// valid as (see [`Sent::decoded`]).
    pub(crate) fn decoded<T: 'static>(&self) -> Option<&'a T> {
        self.sent.decoded()
    }

    /// A JSON request body as `T`, borrowing from its text (see [`Sent`]).
    pub(crate) fn read<T: serde::Deserialize<'a>>(&self) -> Option<T> {
        self.sent.read()
    }

    /// The request body's field `name`.
    pub(crate) fn field(&self, name: &str) -> Option<&Value> {
        self.json().get(name).filter(|v| !v.is_null())
    }

    /// The request body's text field `name`.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.field(name).and_then(Value::as_str)
    }

    /// The spec's first example response.
    pub(crate) fn example(&self) -> Option<&Value> {
        self.examples.first().map(|(_, v)| v)
    }

    /// The spec's first example response, as JSON text.
    pub(crate) fn example_text(&self) -> Option<&'static str> {
        self.example_texts.first().map(|(_, text)| *text)
    }

    /// The header `name`, as text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The query parameter `name`.
    pub(crate) fn query(&self, name: &str) -> Option<String> {
        let query = self.query?;
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// Why the simulated gateway refused a call or an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No entity with this id: the gateway's not-found response.
    NotFound {
        /// `order`, `payment`, `refund`.
        what: &'static str,
        id: String,
    },
    /// A documented rule refused it.
    Rule {
        status: u16,
        code: &'static str,
        message: String,
        field: Option<&'static str>,
    },
}

impl Refusal {
    /// A 400 for breaking a business rule.
    pub(crate) fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Refusal::Rule {
            status: 400,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// The same, naming the field at fault.
    pub(crate) fn on_field(mut self, name: &'static str) -> Self {
        if let Refusal::Rule { field, .. } = &mut self {
            *field = Some(name);
        }
        self
    }

    pub(crate) fn not_found(what: &'static str, id: &str) -> Self {
        Refusal::NotFound {
            what,
            id: id.to_owned(),
        }
    }

    /// What a test reads when its event was refused.
    pub(crate) fn message(&self) -> String {
        match self {
            Refusal::NotFound { what, id } => format!("no {what} `{id}` was created"),
            Refusal::Rule { message, .. } => message.clone(),
        }
    }
}

/// A webhook the world sends because something happened: the gateway's
/// event name and what goes inside its envelope.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Notice {
    pub event: &'static str,
    pub payload: Value,
}

/// What an event did: the entity as it is now, and the webhooks it sends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub entity: Value,
    pub notices: Vec<Notice>,
}

impl Outcome {
    /// The entity, for a call that made this happen: its webhooks are sent
    /// once the call is answered, as the gateway sends them.
    pub(crate) fn answered(self, world: &mut World) -> Value {
        for notice in self.notices {
            world.notify(notice.event, notice.payload);
        }
        self.entity
    }
}

/// What the simulated gateway answers a call with: a JSON value, or an
/// entity already written as JSON text (see `razorpay::entities`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    Json(Value),
    Text(String),
}

impl Reply {
    /// The response body.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        match self {
            // A `Value` always serializes.
            Reply::Json(value) => serde_json::to_vec(&value).unwrap_or_default(),
            Reply::Text(text) => text.into_bytes(),
        }
    }
}

/// Answers `call` as `gateway` documents it, changing `world`.
pub(crate) fn answer(gateway: &str, call: &Call<'_>, world: &mut World) -> Result<Reply, Refusal> {
    match gateway {
        "razorpay" => razorpay::answer(call, world),
        "cashfree" => cashfree::answer(call, world).map(Reply::Json),
        "juspay" => juspay::answer(call, world).map(Reply::Json),
        _ => generic::answer(call, world).map(Reply::Json),
    }
}

/// Makes `event` happen to the entity `id` of `gateway`.
pub(crate) fn drive(
    gateway: &str,
    world: &mut World,
    id: &str,
    event: Happening,
) -> Result<Outcome, Refusal> {
    match gateway {
        "razorpay" => razorpay::drive(world, id, event),
        "cashfree" => cashfree::drive(world, id, event),
        "juspay" => juspay::drive(world, id, event),
        _ => Err(Refusal::bad_request(
            "no_lifecycle",
            format!(
                "the mock has no lifecycle for `{gateway}`: only razorpay, cashfree and juspay"
            ),
        )),
    }
}

/// The status a gateway answers an unknown id with.
pub(crate) fn not_found_status(gateway: &str) -> u16 {
    match gateway {
        "razorpay" => razorpay::NOT_FOUND_STATUS,
        "cashfree" => cashfree::NOT_FOUND_STATUS,
        "juspay" => juspay::NOT_FOUND_STATUS,
        _ => 404,
    }
}

/// The refusal of an event the entity's lifecycle has no transition for.
pub(crate) fn no_transition(what: &str, id: &str, state: &str, event: Happening) -> Refusal {
    Refusal::bad_request(
        "invalid_transition",
        format!(
            "{what} `{id}` is {state}: `{}` does not apply",
            event.name()
        ),
    )
}

/// Refuses, with `code`, unless the order's `status_key` is `allowed`:
/// "order is EXPIRED: only an ACTIVE order can be paid".
pub(crate) fn only_when(
    order: &Value,
    status_key: &str,
    allowed: &str,
    code: &'static str,
    rule: &str,
) -> Result<(), Refusal> {
    let state = text(order, status_key);
    if state == allowed {
        return Ok(());
    }
    Err(Refusal::bad_request(
        code,
        format!("order is {state}: only {rule}"),
    ))
}

/// An amount in a money field: a JSON number or a form's text.
pub(crate) fn decimal(value: Option<&Value>) -> Option<Decimal> {
    match value? {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A decimal amount as a JSON number, as the gateways response it.
pub(crate) fn number(amount: Decimal) -> Value {
    serde_json::from_str(&amount.normalize().to_string()).unwrap_or(Value::Null)
}

/// An integer amount (Razorpay's subunits).
pub(crate) fn integer(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `value`'s text field `key`, or `""`.
pub(crate) fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The request's value for `key`, or `default`.
pub(crate) fn sent_or(call: &Call<'_>, key: &str, default: Value) -> Value {
    call.field(key).cloned().unwrap_or(default)
}

/// `template` with every text that holds `old` holding `new` instead (an
/// example's next-action URLs, which name the example's payment).
pub(crate) fn renamed(template: &Value, old: &str, new: &str) -> Value {
    match template {
        Value::String(s) if !old.is_empty() => Value::String(s.replace(old, new)),
        Value::Array(items) => Value::Array(items.iter().map(|v| renamed(v, old, new)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), renamed(v, old, new)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A card's network, as the mock reads it from the number's first digit
/// (the gateways' pages infer it so when it is not sent); each gateway
/// spells it its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Network {
    Visa,
    Mastercard,
    Amex,
    Rupay,
    Unknown,
}

impl Network {
    /// The network of card number `number` (digits).
    pub(crate) fn of(number: &str) -> Self {
        match number.as_bytes().first() {
            Some(b'4') => Network::Visa,
            Some(b'5' | b'2') => Network::Mastercard,
            Some(b'3') => Network::Amex,
            Some(b'6') => Network::Rupay,
            _ => Network::Unknown,
        }
    }

    /// The first digit of the network's numbers (Visa's for an unknown one).
    pub(crate) fn first_digit(self) -> char {
        match self {
            Network::Mastercard => '5',
            Network::Amex => '3',
            Network::Rupay => '6',
            Network::Visa | Network::Unknown => '4',
        }
    }
}

/// The last four characters of `digits` (all of them, when fewer).
pub(crate) fn last_four(digits: &str) -> &str {
    digits
        .get(digits.len().saturating_sub(4)..)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_cards_network_is_its_first_digits_and_back() {
        for (number, network) in [
            ("4111111111111111", Network::Visa),
            ("5105105105105100", Network::Mastercard),
            ("2223000048400011", Network::Mastercard),
            ("378282246310005", Network::Amex),
            ("6076010000000000", Network::Rupay),
            ("9999", Network::Unknown),
            ("", Network::Unknown),
        ] {
            assert_eq!(Network::of(number), network, "{number}");
            if network != Network::Unknown {
                let digit = network.first_digit().to_string();
                assert_eq!(Network::of(&digit), network);
            }
        }
        assert_eq!(last_four("4111111111111111"), "1111");
        assert_eq!(last_four("12"), "12");
    }

    #[test]
    fn money_reads_from_numbers_and_form_text_exactly() {
        assert_eq!(decimal(Some(&json!(10.34))), Some("10.34".parse().unwrap()));
        assert_eq!(decimal(Some(&json!("1.00"))), Some("1".parse().unwrap()));
        assert_eq!(decimal(Some(&json!(true))), None);
        assert_eq!(number("5.50".parse().unwrap()), json!(5.5));
        assert_eq!(integer(Some(&json!("100"))), Some(100));
        assert_eq!(integer(Some(&json!(1.5))), None);
    }

    #[test]
    fn a_template_is_renamed_everywhere() {
        let next = json!([{"url": "https://x/pay_A/otp"}, {"action": "redirect"}]);
        assert_eq!(
            renamed(&next, "pay_A", "pay_B"),
            json!([{"url": "https://x/pay_B/otp"}, {"action": "redirect"}])
        );
    }
}
