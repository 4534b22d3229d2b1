// Only structs with named fields carry wire names and rules.
use paygen::Wire;

#[derive(serde::Serialize, Wire)]
enum Method {
    Card,
    App,
}

#[derive(serde::Serialize, Wire)]
struct Amount(i64);

fn main() {}
