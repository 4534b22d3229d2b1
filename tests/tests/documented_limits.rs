//! Every limit the gateway pages state, broken one at a time on a documented
//! example: each must be caught, by validation (with its path) or, for a value
//! outside a closed enum, when decoding. One snapshot per gateway lists them all.

use std::fmt::Write as _;

use paygen::Validate;
use paygen_codegen::ir::ExampleOf;
use paygen_codegen::Generator;
use paygen_tests::registry::{with_type, TypeVisitor};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// What a broken request comes to: a decode error or a validation report
/// (`Err` when it passes, that is, when the limit is not enforced).
struct Outcome(Value);

impl TypeVisitor for Outcome {
    type Output = Result<String, String>;

    fn visit<T>(self) -> Self::Output
    where
        T: serde::Serialize + DeserializeOwned + std::fmt::Debug + Validate + 'static,
    {
        let request: T = match serde_json::from_value(self.0) {
            Ok(request) => request,
            Err(e) => return Ok(format!("rejected when decoding: {e}")),
        };
        match request.validate() {
            Ok(()) => Err("accepted: the limit is not enforced".into()),
            Err(report) => Ok(report.to_string()),
        }
    }
}

/// A change to an example: set the value at a JSON pointer, or remove it.
enum Edit {
    Set(&'static str, Value),
    Remove(&'static str),
}
use Edit::{Remove, Set};

fn apply(mut value: Value, edits: &[Edit]) -> Value {
    for edit in edits {
        let (pointer, new) = match edit {
            Set(p, v) => (*p, Some(v.clone())),
            Remove(p) => (*p, None),
        };
        let (parent, key) = pointer.rsplit_once('/').expect("pointers start with /");
        let target = value
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("{parent} is not in the example"));
        match (target, new) {
            (Value::Object(map), Some(v)) => {
                map.insert(key.to_owned(), v);
            }
            (Value::Object(map), None) => {
                map.remove(key);
            }
            (Value::Array(items), Some(v)) => items[key.parse::<usize>().unwrap()] = v,
            _ => panic!("cannot edit {pointer}"),
        }
    }
    value
}

struct Case {
    limit: &'static str,
    operation: &'static str,
    example: &'static str,
    edits: Vec<Edit>,
}

fn case(
    limit: &'static str,
    operation: &'static str,
    example: &'static str,
    edits: Vec<Edit>,
) -> Case {
    Case {
        limit,
        operation,
        example,
        edits,
    }
}

fn check(gateway: &str, cases: Vec<Case>) -> String {
    let output = Generator::for_workspace()
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let gw = output.gateways.iter().find(|g| g.name == gateway).unwrap();
    let mut out = String::new();
    for case in cases {
        let op = gw
            .operations()
            .find(|o| o.method_name == case.operation)
            .unwrap_or_else(|| panic!("no operation {}", case.operation));
        let example = op
            .examples
            .iter()
            .find(|e| e.of == ExampleOf::Request && e.name == case.example)
            .unwrap_or_else(|| panic!("no request example {}", case.example));
        let edits: Vec<String> = case
            .edits
            .iter()
            .map(|e| match e {
                Set(p, v) => {
                    let v = v.to_string();
                    let v = if v.len() > 40 {
                        format!("{}... ({} chars)", &v[..30], v.len())
                    } else {
                        v
                    };
                    format!("set {p} = {v}")
                }
                Remove(p) => format!("remove {p}"),
            })
            .collect();
        let request = op.request.as_deref().unwrap();
        let result = with_type(
            gateway,
            request,
            Outcome(apply(example.value.clone(), &case.edits)),
        )
        .unwrap_or_else(|| panic!("no type {request}"))
        .unwrap_or_else(|e| panic!("{}: {e}", case.limit));
        writeln!(
            out,
            "## {}\n{}::{} `{}`: {}\n{}\n",
            case.limit,
            gateway,
            case.operation,
            case.example,
            edits.join("; "),
            result
        )
        .unwrap();
    }
    out
}

fn long(n: usize) -> Value {
    Value::String("x".repeat(n))
}

fn notes(n: usize) -> Value {
    Value::Object((1..=n).map(|i| (format!("key{i}"), json!("v"))).collect())
}

#[test]
fn razorpay_limits() {
    let cases = vec![
        case(
            "amount positive (the minimum per currency is Razorpay's to check)",
            "create_order",
            "card",
            vec![Set("/amount", json!(0))],
        ),
        case(
            "create_order_and_payment needs its payment",
            "create_order_and_payment",
            "ach",
            vec![Remove("/payment")],
        ),
        case(
            "CRED needs app_present",
            "create_payment",
            "cred",
            vec![Remove("/app_present")],
        ),
        case(
            "a retry by card needs the card",
            "retry_order_payment",
            "retry",
            vec![Remove("/payment/card")],
        ),
        case(
            "currency exactly 3 characters",
            "create_order",
            "card",
            vec![Set("/currency", json!("RUPEE"))],
        ),
        case(
            "receipt at most 40 characters",
            "create_order",
            "card",
            vec![Set("/receipt", long(41))],
        ),
        case(
            "notes at most 15 pairs",
            "create_order",
            "card",
            vec![Set("/notes", notes(16))],
        ),
        case(
            "notes values at most 256 characters",
            "create_order",
            "card",
            vec![Set("/notes/key1", long(257))],
        ),
        case(
            "automatic_expiry_period at least 12",
            "create_order",
            "card",
            vec![Set(
                "/payment_config/capture_options/automatic_expiry_period",
                json!(11),
            )],
        ),
        case(
            "manual_expiry_period at most 7200",
            "create_order",
            "card",
            vec![Set(
                "/payment_config/capture_options/manual_expiry_period",
                json!(7201),
            )],
        ),
        case(
            "manual_expiry_period not less than automatic_expiry_period",
            "create_order",
            "card",
            vec![
                Set(
                    "/payment_config/capture_options/automatic_expiry_period",
                    json!(60),
                ),
                Set(
                    "/payment_config/capture_options/manual_expiry_period",
                    json!(30),
                ),
            ],
        ),
        case(
            "automatic_expiry_period mandatory when capture = automatic",
            "create_order",
            "card",
            vec![Remove(
                "/payment_config/capture_options/automatic_expiry_period",
            )],
        ),
        case(
            "refund_speed is normal or optimum",
            "create_order",
            "card",
            vec![Set(
                "/payment_config/capture_options/refund_speed",
                json!("instant"),
            )],
        ),
        case(
            "capture is automatic or manual",
            "create_order",
            "card",
            vec![Set("/payment_config/capture", json!("later"))],
        ),
        case(
            "first_payment_min_amount only with partial_payment = true",
            "create_order",
            "card",
            vec![
                Set("/partial_payment", json!(false)),
                Set("/first_payment_min_amount", json!(500)),
            ],
        ),
        case(
            "first_payment_min_amount not above amount",
            "create_order",
            "card",
            vec![Set("/first_payment_min_amount", json!(60000))],
        ),
        case(
            "payment email at most 40 characters",
            "create_order",
            "card",
            vec![Set("/payment/email", long(41))],
        ),
        case(
            "payment contact at most 15 characters",
            "create_order",
            "card",
            vec![Set("/payment/contact", json!("+112345678901234"))],
        ),
        case(
            "card mandatory for method card",
            "create_order",
            "card",
            vec![Remove("/payment/card")],
        ),
        case(
            "card expiry month MM",
            "create_order",
            "card",
            vec![Set("/payment/card/expiry_month", json!("13"))],
        ),
        case(
            "card expiry year YY",
            "create_order",
            "card",
            vec![Set("/payment/card/expiry_year", json!("2035"))],
        ),
        case(
            "bank_account mandatory for method ach",
            "create_order_and_payment",
            "ach",
            vec![Remove("/payment/bank_account")],
        ),
        case(
            "account_type is one of four",
            "create_order_and_payment",
            "ach",
            vec![Set("/payment/bank_account/account_type", json!("savings"))],
        ),
        case(
            "bank_code_category is routing_number",
            "create_order_and_payment",
            "ach",
            vec![Set(
                "/payment/bank_account/bank_code_category",
                json!("ifsc"),
            )],
        ),
        case(
            "provider mandatory when method = app",
            "create_payment",
            "cred",
            vec![Remove("/provider")],
        ),
        case(
            "app_present only with provider = cred",
            "create_payment",
            "cred",
            vec![Set("/method", json!("card")), Remove("/provider")],
        ),
        case(
            "provider is cred",
            "create_payment",
            "cred",
            vec![Set("/provider", json!("paytm"))],
        ),
        case(
            "retry needs the order id",
            "retry_order_payment",
            "retry",
            vec![Set("/id", json!(""))],
        ),
    ];
    let report = check("razorpay", cases);
    insta::assert_snapshot!(report);
}

#[test]
fn cashfree_limits() {
    let cases = vec![
        case(
            "payment_session_id required",
            "pay_order",
            "card",
            vec![Set("/payment_session_id", json!(""))],
        ),
        case(
            "card channel is link or post",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/channel", json!("collect"))],
        ),
        case(
            "card expiry month MM",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/card_expiry_mm", json!("3"))],
        ),
        case(
            "card expiry year YY",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/card_expiry_yy", json!("2028"))],
        ),
        case(
            "card cvv 3 or 4 digits",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/card_cvv", json!("12"))],
        ),
        case(
            "card bank for EMI is one of five",
            "pay_order",
            "card",
            vec![Set("/payment_method/card/card_bank_name", json!("HDFC"))],
        ),
        case(
            "UPI channel is link, collect or qrcode",
            "pay_order",
            "upi_link",
            vec![Set("/payment_method/upi/channel", json!("gpay"))],
        ),
        case(
            "upi_id required for the collect channel",
            "pay_order",
            "upi_link",
            vec![Set("/payment_method/upi/channel", json!("collect"))],
        ),
        case(
            "upi_expiry_minutes between 5 and 15",
            "pay_order",
            "upi_link",
            vec![
                Set("/payment_method/upi/channel", json!("collect")),
                Set("/payment_method/upi/upi_id", json!("a@b")),
                Set("/payment_method/upi/upi_expiry_minutes", json!(20)),
            ],
        ),
        case(
            "one payment method among seven",
            "pay_order",
            "card",
            vec![Set(
                "/payment_method",
                json!({"wallet": {"channel": "link"}}),
            )],
        ),
        case(
            "app provider among the listed wallets",
            "pay_order",
            "card",
            vec![Set(
                "/payment_method",
                json!({"app": {"channel": "link", "provider": "venmo", "phone": "9999999999"}}),
            )],
        ),
        case(
            "paylater provider among the listed ones",
            "pay_order",
            "card",
            vec![Set(
                "/payment_method",
                json!({"paylater": {"channel": "link", "provider": "klarna", "phone": "9999999999"}}),
            )],
        ),
        case(
            "cardless EMI provider among the listed ones",
            "pay_order",
            "card",
            vec![Set(
                "/payment_method",
                json!({"cardless_emi": {"channel": "link", "provider": "affirm", "phone": "9999999999"}}),
            )],
        ),
        case(
            "a card needs a number, a saved instrument or a cryptogram",
            "pay_order",
            "card",
            vec![
                Remove("/payment_method/card/card_number"),
                Remove("/payment_method/card/card_expiry_mm"),
                Remove("/payment_method/card/card_expiry_yy"),
                Remove("/payment_method/card/card_cvv"),
            ],
        ),
        case(
            "a card number needs its expiry and CVV",
            "pay_order",
            "card",
            vec![
                Remove("/payment_method/card/card_expiry_mm"),
                Remove("/payment_method/card/card_expiry_yy"),
                Remove("/payment_method/card/card_cvv"),
            ],
        ),
        case(
            "order amount at least 1",
            "create_order",
            "minimal",
            vec![Set("/order_amount", json!(0.99))],
        ),
        case(
            "order id 3 to 45 letters, digits, _ and -",
            "create_order",
            "full",
            vec![Set("/order_id", json!("order#1"))],
        ),
        case(
            "order id at most 45 characters",
            "create_order",
            "full",
            vec![Set("/order_id", long(46))],
        ),
        case(
            "customer id and phone required",
            "create_order",
            "minimal",
            vec![
                Remove("/customer_details/customer_id"),
                Remove("/customer_details/customer_phone"),
            ],
        ),
        case(
            "customer phone 10 digits",
            "create_order",
            "minimal",
            vec![Set(
                "/customer_details/customer_phone",
                json!("+919898989898"),
            )],
        ),
        case(
            "notify URL is https",
            "create_order",
            "full",
            vec![Set(
                "/order_meta/notify_url",
                json!("http://example.com/cf_notify"),
            )],
        ),
        case(
            "at most 10 order tags",
            "create_order",
            "full",
            vec![Set("/order_tags", notes(11))],
        ),
        case(
            "order note 3 to 200 characters",
            "create_order",
            "full",
            vec![Set("/order_note", long(201))],
        ),
        case(
            "refund id 3 to 40 characters",
            "create_refund",
            "standard",
            vec![Set("/refund_id", json!("r1"))],
        ),
        case(
            "refund speed STANDARD or INSTANT",
            "create_refund",
            "standard",
            vec![Set("/refund_speed", json!("OPTIMUM"))],
        ),
    ];
    let report = check("cashfree", cases);
    insta::assert_snapshot!(report);
}

#[test]
fn juspay_limits() {
    let cases = vec![
        case(
            "merchant_id required",
            "check_eligibility",
            "cred",
            vec![Set("/merchant_id", json!(""))],
        ),
        case(
            "at least one payment instrument",
            "check_eligibility",
            "cred",
            vec![Set("/payment_instrument", json!([]))],
        ),
        case(
            "eligibility platform is android, web or ios",
            "check_eligibility",
            "cred",
            vec![Set(
                "/payment_instrument/0/command_input/platform",
                json!("desktop"),
            )],
        ),
        case(
            "os among android, iOS, windows, linux, macOS, unknown",
            "check_eligibility",
            "cred",
            vec![Set("/payment_instrument/0/command_input/os", json!("ios"))],
        ),
        case(
            "device among mobile, iPAD, desktop, tablet, unknown",
            "check_eligibility",
            "cred",
            vec![Set(
                "/payment_instrument/0/command_input/device",
                json!("phone"),
            )],
        ),
        case(
            "countryCode such as +91",
            "check_eligibility",
            "cred",
            vec![Set(
                "/payment_instrument/0/command_input/countryCode",
                json!("91"),
            )],
        ),
        case(
            "phoneNumber: 6 to 15 digits (encrypted when sent)",
            "check_eligibility",
            "cred",
            vec![Set(
                "/payment_instrument/0/command_input/phoneNumber",
                json!("99009 88990"),
            )],
        ),
        case(
            "credAppPresent required",
            "check_eligibility",
            "cred",
            vec![Remove("/payment_instrument/0/command_input/credAppPresent")],
        ),
        case(
            "txns platform is android or web",
            "create_txn",
            "cred",
            vec![Set("/sdk_pg_params/platform", json!("ios"))],
        ),
        case(
            "txns payment_method is CRED",
            "create_txn",
            "cred",
            vec![Set("/payment_method", json!("UPI"))],
        ),
        case(
            "txns payment_method_type is WALLET",
            "create_txn",
            "cred",
            vec![Set("/payment_method_type", json!("CARD"))],
        ),
        case(
            "txns format is json",
            "create_txn",
            "cred",
            vec![Set("/format", json!("xml"))],
        ),
        case(
            "txns order_id and merchant_id required",
            "create_txn",
            "cred",
            vec![Set("/order_id", json!("")), Set("/merchant_id", json!(""))],
        ),
        case(
            "txns phoneNumber: 6 to 15 digits (encrypted when sent)",
            "create_txn",
            "cred",
            vec![Set("/sdk_pg_params/phoneNumber", json!("+919900988990"))],
        ),
        case(
            "redirect_after_payment should be passed as true",
            "create_txn",
            "cred",
            vec![Set("/redirect_after_payment", json!(false))],
        ),
        case(
            "sdk_params should be passed as true",
            "create_txn",
            "cred",
            vec![Set("/sdk_params", json!(false))],
        ),
        case(
            "metadata is a JSON object",
            "create_txn",
            "cred",
            vec![Set("/sdk_pg_params/metadata", json!("abc=123"))],
        ),
    ];
    let report = check("juspay", cases);
    insta::assert_snapshot!(report);
}

#[test]
fn limits_the_pages_do_not_state_for_every_currency_are_left_to_the_gateway() {
    // The INR minimum (100 paise) is not a minimum in yen.
    let order = paygen::razorpay::CreateOrderRequest::new(99, "JPY");
    assert!(order.validate().is_ok());
    // CRED's currency defaults to INR on the page: it may be left out.
    let mut payment: paygen::razorpay::CreatePaymentRequest = serde_json::from_value(json!({
        "amount": 1000, "order_id": "order_4xbQrmEoA5WJ0G", "email": "a@b.c",
        "contact": "9900988990", "method": "app", "provider": "cred", "app_present": false
    }))
    .unwrap();
    assert!(payment.validate().is_ok());
    payment.currency = Some("INR".into());
    assert!(payment.validate().is_ok());
}

#[test]
fn the_payment_callback_url_is_sent_with_the_payment() {
    let mut order: paygen::razorpay::CreateOrderAndPaymentRequest = serde_json::from_value(json!({
        "amount": 50000, "currency": "USD",
        "payment": {"email": "a@b.c", "contact": "+11234567890", "ip": "105.106.107.108",
                    "method": "card",
                    "card": {"number": "4111111111111111", "name": "John Smith",
                             "expiry_month": "11", "expiry_year": "30", "cvv": "100"}}
    }))
    .unwrap();
    order.payment.callback_url = Some("https://merchant.example/callback".into());
    order.user_agent = Some("Mozilla/5.0".into());
    assert!(order.validate().is_ok());
    let wire = serde_json::to_value(&order).unwrap();
    assert_eq!(
        wire["payment"]["callback_url"],
        "https://merchant.example/callback"
    );
    assert_eq!(wire["user_agent"], "Mozilla/5.0");
}
