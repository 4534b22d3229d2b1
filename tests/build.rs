//! Writes the registry the workspace tests reach the generated clients
//! through: every type and every operation of `specs/`, read from the
//! generator's IR, so that a new endpoint needs no edit to any test file;
//! and generates `fixtures/untrusted/` as a consumer's build script would.

use std::fmt::Write as _;
use std::path::Path;

use paygen_codegen::ir::{Gateway, Operation, TypeRef};
use paygen_codegen::Generator;

fn main() {
    // A spec that tries every way to run code through the docs, generated
    // as a consumer's build script does; `src/lib.rs` includes it, so that
    // `cargo test --doc` runs whatever doctest it managed to make.
    paygen_codegen::build::generate("fixtures/untrusted");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest)
        .parent()
        .expect("the tests package is in the workspace");
    println!("cargo:rerun-if-changed={}", root.join("specs").display());
    let output = match Generator::for_workspace_at(root).render() {
        Ok(output) => output,
        Err(error) => {
            for line in error.to_string().lines() {
                println!("cargo:warning={line}");
            }
            panic!("the specs do not generate; run `cargo run -p paygen-codegen -- generate`");
        }
    };
    let mut registry =
        String::from("// Written by tests/build.rs from specs/: every type and operation.\n\n");
    types(&mut registry, &output.gateways);
    calls(&mut registry, &output.gateways);
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("registry.rs");
    std::fs::write(&out, registry).expect("OUT_DIR is writable");
}

/// `with_type`: runs a visitor on the generated type named by a gateway and a
/// type name.
fn types(out: &mut String, gateways: &[Gateway]) {
    out.push_str(
        "/// Runs `visitor` on `paygen::<gateway>::<ty>`; `None` for a name the specs do not declare.\n\
         pub fn with_type<V: TypeVisitor>(gateway: &str, ty: &str, visitor: V) -> Option<V::Output> {\n\
         \x20   match (gateway, ty) {\n",
    );
    for gateway in gateways {
        for module in &gateway.modules {
            for ty in &module.types {
                let _ = writeln!(
                    out,
                    "        ({:?}, {:?}) => Some(visitor.visit::<paygen::{}::{}>()),",
                    gateway.name, ty.name, gateway.name, ty.name
                );
            }
        }
        // Answers that are not a generated type of their own (`Vec<Payment>`,
        // `Vec<Json>`, `String`): every shape an answer may have.
        let answers: std::collections::BTreeMap<String, String> = gateway
            .operations()
            .filter(|op| !matches!(op.response, TypeRef::Named(_) | TypeRef::NoContent))
            .map(|op| {
                (
                    op.response.spec_name(),
                    op.response.qualified(&gateway.name),
                )
            })
            .collect();
        for (name, rust) in answers {
            let _ = writeln!(
                out,
                "        ({:?}, {name:?}) => Some(visitor.visit::<{rust}>()),",
                gateway.name
            );
        }
    }
    out.push_str("        _ => None,\n    }\n}\n\n");
}

/// The test credentials of a gateway's client: `test_<argument>`.
fn credentials(gateway: &Gateway) -> Vec<String> {
    gateway
        .auth
        .credentials()
        .into_iter()
        .map(|c| format!("\"test_{}\"", paygen_codegen::naming::unraw(&c.arg)))
        .collect()
}

/// A parameter's example (or `example`) as a Rust expression of its type;
/// `None` for a type no literal spells.
fn example_value(param: &paygen_codegen::ir::Param) -> Option<String> {
    param
        .ty
        .example_expr(param.example.as_deref().unwrap_or("example"))
}

/// The parameters struct of `op`, filled from the spec's parameter examples:
/// required ones from their example (or `example`), optional ones when the
/// spec gives an example.
fn params(gateway: &Gateway, op: &Operation) -> String {
    let Some(params_type) = &op.params_type else {
        return String::new();
    };
    let required: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let value = example_value(p).unwrap_or_else(|| {
                panic!(
                    "{}.{}: required parameter `{}` has no example a test can write",
                    gateway.name, op.method_name, p.wire
                )
            });
            format!(".{}({value})", p.rust)
        })
        .collect();
    let optional: String = op
        .params
        .iter()
        .filter(|p| !p.required && p.example.is_some())
        .filter_map(|p| {
            let value = example_value(p)?;
            Some(format!(
                ".{}({value})",
                paygen_codegen::naming::setter(&p.rust)
            ))
        })
        .collect();
    let start = if required.is_empty() {
        "default()".to_owned()
    } else {
        format!(
            "builder(){}.build().expect(\"every required parameter is set\")",
            required.concat()
        )
    };
    format!(
        "let params = paygen::{}::{params_type}::{start}{optional};\n",
        gateway.name
    )
}

/// `call`: sends a request (decoded from JSON) through the generated client
/// method of an operation, against a base URL.
fn calls(out: &mut String, gateways: &[Gateway]) {
    out.push_str(
        "/// Calls `gateway`'s `operation` at `base` with `request` decoded into its\n\
         /// type and the parameters the spec's examples give, and renders the outcome\n\
         /// with `{:#?}`: `Ok` for the success body, `Err` for any error. `None` for an\n\
         /// operation the specs do not declare.\n\
         pub async fn call(\n\
         \x20   gateway: &str,\n\
         \x20   operation: &str,\n\
         \x20   base: &str,\n\
         \x20   request: Option<serde_json::Value>,\n\
         ) -> Option<Result<String, String>> {\n\
         \x20   let environment = paygen::Environment::Custom(base.to_owned());\n\
         \x20   match (gateway, operation) {\n",
    );
    for gateway in gateways {
        for op in gateway.operations() {
            let (decode, request_arg) = match &op.request {
                Some(ty) if op.request_list => (
                    format!(
                        "let request: Vec<paygen::{}::{ty}> = decode(request);\n",
                        gateway.name
                    ),
                    "&request, ",
                ),
                Some(ty) => (
                    format!(
                        "let request: paygen::{}::{ty} = decode(request);\n",
                        gateway.name
                    ),
                    "&request, ",
                ),
                None => (String::new(), ""),
            };
            let params_arg = if op.params_type.is_some() {
                "&params"
            } else {
                ""
            };
            let _ = write!(
                out,
                "        ({gw:?}, {op_name:?}) => {{\n\
                 \x20           let client = paygen::{gw}::Client::new(environment, {creds});\n\
                 \x20           {decode}\
                 \x20           {params}\
                 \x20           Some(outcome(client.{method}({request_arg}{params_arg}).await))\n\
                 \x20       }}\n",
                gw = gateway.name,
                op_name = paygen_codegen::naming::unraw(&op.method_name),
                creds = credentials(gateway).join(", "),
                decode = decode,
                params = params(gateway, op),
                method = op.method_name,
            );
        }
    }
    out.push_str("        _ => None,\n    }\n}\n");
}
