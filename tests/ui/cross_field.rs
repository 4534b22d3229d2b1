// Rules between fields name fields that exist, and say what they need.
use paygen::Wire;

#[derive(serde::Serialize, Wire)]
#[paygen(required_if(field = "provder", when = "method", equals = "app"))]
#[paygen(only_if(field = "first_payment_min_amount"))]
#[paygen(not_less_than(field = "manual", other = "auto", equals = 1))]
#[paygen(required_if(field = "provider..x", when = "method"))]
struct Payment {
    method: String,
    provider: Option<String>,
    first_payment_min_amount: Option<i64>,
    manual: u32,
    auto: u32,
}

#[derive(serde::Serialize, Wire)]
#[paygen(minimum_when(field = "amount", when = "currency"))]
#[paygen(minimum_when(field = "amount", when = "currency", equals = "INR", minimum = "lots"))]
struct Order {
    amount: i64,
    currency: String,
}

fn main() {}
