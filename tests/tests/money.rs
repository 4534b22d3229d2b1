//! Money is held to what the pages state before anything is sent: an amount
//! of more decimal places than the page allows, or a refund of nothing or
//! less, is a validation error naming the field, checked exactly (`multipleOf`
//! as a decimal remainder, never a float).

use paygen::{cashfree, juspay, Decimal, Validate};

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn violations(report: Result<(), paygen::ValidationReport>) -> Vec<String> {
    match report {
        Ok(()) => Vec::new(),
        Err(report) => report
            .iter()
            .map(|v| format!("{}: {}", v.path, v.message))
            .collect(),
    }
}

fn cashfree_order(amount: &str) -> cashfree::CreateOrderRequest {
    let customer = cashfree::CustomerDetails::new("7112AAA812234", "9898989898");
    cashfree::CreateOrderRequest::new(decimal(amount), "INR", customer)
}

#[test]
fn a_cashfree_order_has_at_most_two_decimals() {
    assert!(violations(cashfree_order("10.34").validate()).is_empty());
    assert!(
        violations(cashfree_order("10.340").validate()).is_empty(),
        "a trailing zero is the same amount"
    );
    assert_eq!(
        violations(cashfree_order("10.345").validate()),
        ["order_amount: must be a multiple of 0.01 (got 10.345)"]
    );
}

#[test]
fn a_cashfree_refund_is_of_something_and_in_paise() {
    let refund = |amount: &str| cashfree::CreateRefundRequest::new(decimal(amount), "refund_1");
    assert!(violations(refund("5.00").validate()).is_empty());
    assert_eq!(
        violations(refund("-5").validate()),
        ["refund_amount: must be greater than 0 (got -5)"]
    );
    assert_eq!(
        violations(refund("0").validate()),
        ["refund_amount: must be greater than 0 (got 0)"]
    );
    assert_eq!(
        violations(refund("0.001").validate()),
        ["refund_amount: must be a multiple of 0.01 (got 0.001)"]
    );
}

#[test]
fn juspay_amounts_have_at_most_two_decimals() {
    let order = juspay::CreateOrderRequest::new("order_1", decimal("100.155"));
    assert_eq!(
        violations(order.validate()),
        ["amount: must be a multiple of 0.01 (got 100.155)"]
    );
    let refund = juspay::RefundOrderRequest::new("refund_1", decimal("1.001"));
    assert_eq!(
        violations(refund.validate()),
        ["amount: must be a multiple of 0.01 (got 1.001)"]
    );
}

#[tokio::test]
async fn a_bad_amount_is_never_sent() {
    // Nothing listens here: a validation error is returned before any connection.
    let client = cashfree::Client::new(
        paygen::Environment::Custom("http://127.0.0.1:9".into()),
        "id",
        "secret",
    );
    let error = client
        .create_order(&cashfree_order("10.345"), &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, paygen::Error::Validation(_)), "{error:?}");
    assert_eq!(error.outcome(), paygen::Outcome::NotSent);
}

#[test]
fn a_razorpay_order_in_inr_is_at_least_one_rupee() {
    use paygen::razorpay;
    let order = |amount, currency| razorpay::CreateOrderRequest::new(amount, currency);
    assert_eq!(
        violations(order(99, "INR").validate()),
        ["amount: must be at least 100 when `currency` is `INR`"]
    );
    assert!(violations(order(100, "INR").validate()).is_empty());
    // Other currencies have other minimums, which the page does not give.
    assert!(violations(order(99, "USD").validate()).is_empty());
    let mut payment = razorpay::OrderPayment::builder()
        .email("john@example.com")
        .contact("+919900988990")
        .ip("1.2.3.4")
        .method(razorpay::OrderPaymentMethod::Card)
        .build()
        .unwrap();
    payment.card = Some(
        razorpay::Card::builder()
            .number("4111111111111111")
            .name("John")
            .expiry_month("11")
            .expiry_year("30")
            .cvv("100")
            .build()
            .unwrap(),
    );
    let both = razorpay::CreateOrderAndPaymentRequest::new(50, "INR", payment);
    assert_eq!(
        violations(both.validate()),
        ["amount: must be at least 100 when `currency` is `INR`"]
    );
}
