// A rule given twice is an error at the second one.
use paygen::Wire;

#[derive(serde::Serialize, Wire)]
#[paygen(body = "json")]
#[paygen(body = "form")]
struct Order {
    #[paygen(length(max = 40))]
    #[paygen(length(min = 1))]
    receipt: String,
    #[paygen(required, required)]
    currency: String,
    #[paygen(range(min = 1, min = 2))]
    amount: i64,
    #[serde(rename = "x-request-id")]
    #[paygen(rename = "x-request-id")]
    request_id: String,
}

fn main() {}
