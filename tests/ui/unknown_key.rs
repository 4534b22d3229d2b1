// Unknown keys, at every level, are all reported in one compile, and the
// fallback impls keep the rest of the program free of follow-on errors.
use paygen::{RequestBody, Validate, Wire};

#[derive(serde::Serialize, Wire)]
#[paygen(body = "json", encoding = "form")]
struct Order {
    #[paygen(maxlen = 40)]
    receipt: String,
    #[paygen(length(most = 3))]
    currency: String,
    #[paygen(each(required))]
    notes: Vec<String>,
    #[paygen(range(at_least = 100))]
    amount: i64,
}

fn main() {
    let order = Order {
        receipt: String::new(),
        currency: String::new(),
        notes: Vec::new(),
        amount: 0,
    };
    let _ = order.validate();
    let _ = order.encode_body();
}
