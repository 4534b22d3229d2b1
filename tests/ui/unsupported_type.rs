// A rule on a type it cannot apply to says which rule would.
use paygen::Wire;

#[derive(serde::Serialize, Wire)]
#[paygen(body = "json")]
struct Order {
    #[paygen(length(max = 10))]
    amount: i64,
    #[paygen(range(min = 1))]
    currency: String,
    #[paygen(count(max = 15))]
    receipt: Option<String>,
    #[paygen(nested)]
    app_offer: bool,
    #[paygen(each(length(max = 256)))]
    customer_id: String,
    #[paygen(pattern = "^[a-z]+$")]
    partial_payment: bool,
    #[paygen(one_of("a"))]
    tags: Vec<String>,
    #[paygen(json_in_form)]
    notes: Vec<String>,
    #[paygen(each(count(max = 1)))]
    ids: Vec<u32>,
    #[paygen(path_segment)]
    page: u32,
}

fn main() {}
