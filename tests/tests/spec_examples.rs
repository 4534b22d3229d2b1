//! Every example body in `specs/` against its generated type: request examples
//! decode and validate cleanly; success and error examples decode, and the
//! decoded value is snapshotted.

use std::fmt::Debug;

use paygen::Validate;
use paygen_codegen::ir::ExampleOf;
use paygen_codegen::Generator;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn decode<T: DeserializeOwned + Debug + Validate>(
    what: &str,
    value: &Value,
    of: ExampleOf,
) -> String {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{what} does not decode: {e}\n{value:#}"));
    if of == ExampleOf::Request {
        if let Err(report) = decoded.validate() {
            panic!("{what} is a documented request but does not validate:\n{report}");
        }
    }
    format!("{decoded:#?}")
}

/// Generated types by gateway and name; an example whose type is missing
/// here fails the test, so no example is skipped silently.
macro_rules! types {
    ($($gateway:ident => [$($ty:ident),* $(,)?]),* $(,)?) => {
        fn dispatch(gateway: &str, ty: &str, what: &str, value: &Value, of: ExampleOf) -> String {
            match (gateway, ty) {
                $($((stringify!($gateway), stringify!($ty)) => {
                    decode::<paygen::$gateway::$ty>(what, value, of)
                })*)*
                _ => panic!("add {gateway}::{ty} to the table in tests/tests/spec_examples.rs"),
            }
        }
    };
}

types! {
    razorpay => [
        CreateOrderRequest, RetryOrderPaymentRequest, CreatePaymentRequest,
        Order, PaymentCreated, ErrorResponse,
    ],
    cashfree => [PayOrderRequest, PayOrderResponse, ErrorResponse],
    juspay => [EligibilityRequest, EligibilityResponse, TxnsRequest, TxnsResponse, ErrorResponse],
}

#[test]
fn every_documented_example_decodes_into_its_type() {
    let output = Generator::for_workspace()
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut seen = 0;
    for gateway in &output.gateways {
        for op in gateway.operations() {
            for example in &op.examples {
                let ty = match example.of {
                    ExampleOf::Request => op
                        .request
                        .as_deref()
                        .expect("a request example has a request"),
                    ExampleOf::Response => &op.response,
                    ExampleOf::Error => &op.error,
                };
                let what = format!(
                    "{}::{} {:?} example `{}` ({ty})",
                    gateway.name, op.method_name, example.of, example.name
                );
                let rendered = dispatch(&gateway.name, ty, &what, &example.value, example.of);
                let name = format!(
                    "{}__{}__{:?}__{}",
                    gateway.name, op.method_name, example.of, example.name
                )
                .to_lowercase();
                insta::assert_snapshot!(name, rendered, &what);
                seen += 1;
            }
        }
    }
    // The pages document 20 example bodies; fewer means examples went missing.
    assert!(seen >= 20, "only {seen} examples found in specs/");
}
