//! Every example body in `specs/` against its generated type: request examples
//! decode and validate cleanly; success and error examples decode, and the
//! decoded value is snapshotted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use paygen::Validate;
use paygen_codegen::ir::ExampleOf;
use paygen_codegen::Generator;
use paygen_tests::registry::{with_type, TypeVisitor};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes an example into the type visited, validates it when it is a
/// request, and renders it with `{:#?}`.
struct Decode<'a> {
    what: &'a str,
    value: &'a Value,
    of: ExampleOf,
}

impl TypeVisitor for Decode<'_> {
    type Output = String;

    fn visit<T>(self) -> String
    where
        T: serde::Serialize + DeserializeOwned + Debug + Validate + 'static,
    {
        let (what, value) = (self.what, self.value);
        let decoded: T = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{what} does not decode: {e}\n{value:#}"));
        if self.of == ExampleOf::Request {
            if let Err(report) = decoded.validate() {
                panic!("{what} is a documented request but does not validate:\n{report}");
            }
        }
        format!("{decoded:#?}")
    }
}

#[test]
fn every_documented_example_decodes_into_its_type() {
    let output = Generator::for_workspace()
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut taken = BTreeSet::new();
    // An error body many operations share (a gateway's `not_found`) is one
    // snapshot, of its type: the same example under each operation would
    // say the same thing again.
    let mut errors: BTreeMap<String, &Value> = BTreeMap::new();
    for gateway in &output.gateways {
        for op in gateway.operations() {
            for example in &op.examples {
                let ty = match example.of {
                    ExampleOf::Request => {
                        op.request.clone().expect("a request example has a request")
                    }
                    ExampleOf::Response => op.response.spec_name(),
                    ExampleOf::Error => op.error.clone(),
                };
                let what = format!(
                    "{}::{} {:?} example `{}` ({ty})",
                    gateway.name, op.method_name, example.of, example.name
                );
                let decode = Decode {
                    what: &what,
                    value: &example.value,
                    of: example.of,
                };
                let rendered = with_type(&gateway.name, &ty, decode)
                    .unwrap_or_else(|| panic!("{what}: no such type in the registry"));
                let shared = format!("{}__{ty}__error__{}", gateway.name, example.name);
                let name = match errors.get(&shared) {
                    Some(first) if example.of == ExampleOf::Error && **first == example.value => {
                        continue
                    }
                    None if example.of == ExampleOf::Error => {
                        errors.insert(shared.clone(), &example.value);
                        shared
                    }
                    // The same name, another body: its operation's own.
                    _ => format!(
                        "{}__{}__{:?}__{}",
                        gateway.name, op.method_name, example.of, example.name
                    ),
                }
                .to_lowercase();
                insta::assert_snapshot!(name.clone(), rendered, &what);
                taken.insert(name);
            }
        }
    }
    paygen_tests::assert_snapshots_are_exactly("spec_examples", "", &taken);
}
