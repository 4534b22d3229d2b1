// Values of the wrong kind name what is expected.
use paygen::Wire;

#[derive(serde::Serialize, Wire)]
#[paygen(body = "xml")]
struct Order {
    #[paygen(length(max = "40"))]
    receipt: String,
    #[paygen(range(min = "100"))]
    amount: i64,
    #[paygen(one_of(1.5))]
    rate: u8,
    #[paygen(count())]
    ids: Vec<u32>,
    #[paygen(range(multiple_of = 0))]
    units: i64,
}

#[derive(serde::Serialize, Wire)]
#[paygen(required_if(field = "provider", when = "method", equals = 'x'))]
struct Payment {
    method: String,
    provider: Option<String>,
}

fn main() {}
