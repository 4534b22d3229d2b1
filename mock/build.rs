//! Writes the mock's route table from `specs/`: one route per operation, with
//! the generated request type that judges its body and the spec's example
//! answer, so that a new endpoint in the specs is served with no edit here.

use std::fmt::Write as _;
use std::path::Path;

use paygen_codegen::ir::{Auth, Encoding, Gateway, TokenUrl};
use paygen_codegen::Generator;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest)
        .parent()
        .expect("the mock package is in the workspace");
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
    let mut table = String::from("// Written by mock/build.rs from specs/.\n\n");
    table.push_str("pub(crate) static GATEWAYS: &[GatewayRoutes] = &[\n");
    for gateway in &output.gateways {
        gateway_routes(&mut table, gateway);
    }
    table.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("routes.rs");
    std::fs::write(&out, table).expect("OUT_DIR is writable");
}

fn gateway_routes(out: &mut String, gateway: &Gateway) {
    let auth = match &gateway.auth {
        Auth::Basic { username, password } => format!(
            "AuthKind::Basic {{ username: {:?}, password: {:?} }}",
            arg(&username.arg),
            password.as_ref().map(|p| arg(&p.arg))
        ),
        Auth::Headers(headers) => {
            let pairs: Vec<String> = headers
                .iter()
                .map(|(header, c)| format!("({header:?}, {:?})", arg(&c.arg)))
                .collect();
            format!("AuthKind::Headers(&[{}])", pairs.join(", "))
        }
        Auth::Bearer { token, .. } => format!("AuthKind::Bearer({:?})", arg(&token.arg)),
        Auth::ClientCredentials {
            client_id,
            client_secret,
            token_url,
        } => format!(
            "AuthKind::ClientCredentials {{ client_id: {:?}, client_secret: {:?}, token_path: {:?} }}",
            arg(&client_id.arg),
            arg(&client_secret.arg),
            match token_url {
                TokenUrl::OnServer(path) => Some(path.as_str()),
                TokenUrl::Absolute(_) => None,
            }
        ),
    };
    // The spec's own answer for an unknown id, from its error examples.
    let not_found = gateway.not_found_example().map(|e| e.value.to_string());
    let _ = writeln!(
        out,
        "    GatewayRoutes {{\n        name: {:?},\n        auth: {auth},\n        secret_fields: &{:?},\n        encrypted_fields: &{:?},\n        not_found: {:?},\n        routes: &[",
        gateway.name, gateway.secret_fields, gateway.encrypted_fields, not_found
    );
    for op in gateway.operations() {
        route(out, gateway, op);
    }
    out.push_str("        ],\n    },\n");
}

/// One operation's route: how its body is checked and which answers it gives.
fn route(out: &mut String, gateway: &Gateway, op: &paygen_codegen::ir::Operation) {
    let check = match &op.request {
        Some(ty) if op.request_list => format!(
            "Some(crate::request::check::<Vec<paygen::{}::{ty}>>)",
            gateway.name
        ),
        Some(ty) => format!(
            "Some(crate::request::check::<paygen::{}::{ty}>)",
            gateway.name
        ),
        None => "None".into(),
    };
    let encoding = op.request_encoding.map_or("None", |e| match e {
        Encoding::Json => "Some(BodyEncoding::Json)",
        Encoding::Form => "Some(BodyEncoding::Form)",
        Encoding::Multipart => "Some(BodyEncoding::Multipart)",
    });
    let answers: Vec<(String, String)> = gateway
        .response_examples(op)
        .into_iter()
        .map(|e| (e.name.clone(), e.value.to_string()))
        .collect();
    let idempotency_header = op.idempotency_header();
    let _ = writeln!(
        out,
        "            Route {{ operation: {:?}, method: {:?}, path: {:?}, literal_start: {:?}, slashes: {}, body: {encoding}, check: {check}, answers: &{:?}, answer_type: {:?}, idempotency_header: {:?} }},",
        paygen_codegen::naming::unraw(&op.method_name),
        op.http_method,
        op.path,
        &op.path[..op.path.find('{').unwrap_or(op.path.len())],
        op.path.matches('/').count(),
        answers,
        op.response.spec_name(),
        idempotency_header,
    );
}

/// A credential's argument name, without a raw-identifier prefix.
fn arg(name: &str) -> String {
    paygen_codegen::naming::unraw(name).to_owned()
}
