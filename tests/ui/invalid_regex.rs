// A pattern is compiled at expansion time, so a bad one fails the build.
use paygen::Wire;

#[derive(serde::Serialize, Wire)]
struct Card {
    #[paygen(pattern = "^(0[1-9]|1[0-2]$")]
    expiry_month: String,
    #[paygen(each(pattern = "[z-a]"))]
    tags: Vec<String>,
}

fn main() {}
