// Bounds that no value can satisfy.
use paygen::Wire;

#[derive(serde::Serialize, Wire)]
struct Order {
    #[paygen(length(min = 41, max = 40))]
    receipt: String,
    #[paygen(range(min = 7200, max = 12))]
    manual_expiry_period: u32,
    #[paygen(range(exclusive_min = 1.5, max = -1))]
    offset: f64,
    #[paygen(count(min = 16, max = 15))]
    notes: Vec<String>,
    #[paygen(length(equal = 3, max = 3))]
    currency: String,
    #[paygen(range(min = 1, exclusive_min = 0))]
    attempts: u32,
}

fn main() {}
