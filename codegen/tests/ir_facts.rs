//! The facts the mock and the workspace tests read from the IR instead of
//! working them out again: an operation's response examples (its own, or
//! those of an operation answering the same type), a gateway's `not_found`
//! error example, and an operation's idempotency header.

use paygen_codegen::ir::{ExampleOf, Gateway};
use paygen_codegen::Generator;

fn gateways() -> Vec<Gateway> {
    Generator::for_workspace_at(&paygen_codegen::workspace_root())
        .render()
        .unwrap_or_else(|e| panic!("{e}"))
        .gateways
}

fn names<'e>(examples: impl Iterator<Item = &'e paygen_codegen::ir::Example>) -> Vec<String> {
    examples.map(|e| e.name.clone()).collect()
}

#[test]
fn an_operation_without_response_examples_borrows_those_of_its_response_type() {
    let gateways = gateways();
    let mut borrowed = 0;
    for gateway in &gateways {
        for op in gateway.operations() {
            let own = names(op.examples.iter().filter(|e| e.of == ExampleOf::Response));
            let given = names(gateway.response_examples(op).into_iter());
            if !own.is_empty() {
                assert_eq!(given, own, "{}", op.method_name);
                continue;
            }
            let lender = gateway.operations().find(|o| {
                o.response == op.response && o.examples.iter().any(|e| e.of == ExampleOf::Response)
            });
            match lender {
                Some(lender) => {
                    borrowed += 1;
                    let lent = names(
                        lender
                            .examples
                            .iter()
                            .filter(|e| e.of == ExampleOf::Response),
                    );
                    assert_eq!(
                        given, lent,
                        "{} from {}",
                        op.method_name, lender.method_name
                    );
                }
                None => assert!(given.is_empty(), "{}", op.method_name),
            }
        }
    }
    // The specs have such operations (a page that shows one answer for two).
    assert!(borrowed > 0);
}

#[test]
fn each_gateway_names_its_not_found_body_and_idempotency_headers() {
    let gateways = gateways();
    for gateway in &gateways {
        let not_found = gateway
            .not_found_example()
            .unwrap_or_else(|| panic!("{} shows no not_found error", gateway.name));
        assert_eq!(
            (not_found.of, not_found.name.as_str()),
            (ExampleOf::Error, "not_found")
        );
    }
    let razorpay = gateways.iter().find(|g| g.name == "razorpay").unwrap();
    let header = |name: &str| {
        razorpay
            .operations()
            .find(|o| o.method_name == name)
            .unwrap()
            .idempotency_header()
    };
    assert_eq!(
        header("create_direct_transfer"),
        Some("x-transfer-idempotency")
    );
    assert_eq!(header("fetch_order"), None);
}
