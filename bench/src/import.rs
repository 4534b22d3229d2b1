//! The import mode's rows: a published-style OpenAPI file of many operations
//! that uses every construct issue 11 lists (some generated, some skipped),
//! generated in the lenient mode, and the generated gateway type-checked.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use super::Row;

/// One gateway file of `operations` operations, cycling through twenty: an
/// `allOf` merge with per-status errors and a body-less 404; query parameters
/// with a sized integer and a list answer; a wrapped nullable reference; `4XX`
/// and `5XX` ranges with different bodies; `callbacks`; dispute evidence as
/// `multipart/form-data`; an operation only an admin key authenticates; a
/// payment method keyed by kind merged by `allOf` beside a billing address; a
/// `discriminator`; a `oneOf` of patterned texts; each of those ten again; and
/// two that the import mode skips (a raw `application/octet-stream` body, a
/// cookie parameter), as up to one in ten of a published file's operations is.
pub fn published_style(dir: &Path, operations: usize) {
    let gateway = dir.join("published");
    std::fs::create_dir_all(&gateway).unwrap();
    let mut paths = String::new();
    let mut schemas = String::new();
    for i in 0..operations {
        // Ten kinds, each twice in twenty, then the two the import mode skips.
        let kind = match i % 20 {
            again @ 10..=17 => again - 10,
            kind => kind,
        };
        let op = match kind {
            0 => format!(
                "  /orders{i}:\n    post:\n      operationId: createOrder{i}\n      tags: [Orders]\n      requestBody:\n        content:\n          application/json:\n            schema:\n              allOf:\n                - $ref: '#/components/schemas/Money'\n                - type: object\n                  properties:\n                    receipt: {{type: string, maxLength: 40}}\n                    notes: {{type: object, maxProperties: 15, additionalProperties: {{type: string}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}\n        '400': {{$ref: '#/components/responses/Bad'}}\n        '404': {{description: none}}\n"
            ),
            1 => format!(
                "  /orders{i}:\n    get:\n      operationId: listOrders{i}\n      tags: [Orders]\n      parameters:\n        - {{name: count, in: query, schema: {{type: integer, format: uint16, maximum: 100}}}}\n        - {{name: status, in: query, schema: {{type: string, enum: [created, paid]}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{type: array, items: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
            2 => format!(
                "  /orders{i}/{{id}}:\n    patch:\n      operationId: updateOrder{i}\n      externalDocs: {{url: 'https://docs.example/orders'}}\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string, maxLength: 40}}}}\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                shipping:\n                  nullable: true\n                  description: Wrapped to add a description.\n                  allOf: [{{$ref: '#/components/schemas/Address'}}]\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
            3 => format!(
                "  /refunds{i}:\n    post:\n      operationId: refund{i}\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: object, required: [amount], properties: {{amount: {{type: integer, format: uint32, minimum: 1}}}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}\n        4XX: {{$ref: '#/components/responses/Bad'}}\n        5XX: {{description: down, content: {{application/json: {{schema: {{type: object, properties: {{retry_after: {{type: integer}}}}}}}}}}}}\n"
            ),
            4 => format!(
                "  /hooks{i}:\n    post:\n      operationId: register{i}\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: object, properties: {{url: {{type: string}}}}}}\n      callbacks:\n        event:\n          $ref: '#/components/callbacks/Event'\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
            5 => format!(
                "  /disputes{i}/{{id}}/evidence:\n    post:\n      operationId: provideEvidence{i}\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      requestBody:\n        content:\n          multipart/form-data:\n            schema:\n              type: object\n              required: [evidence-file]\n              properties:\n                evidence-file: {{type: string, format: binary}}\n                more-files: {{type: array, maxItems: 9, items: {{type: string, format: binary}}}}\n                note: {{type: string, maxLength: 2000}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
            6 => format!(
                "  /merchants{i}:\n    get:\n      operationId: listMerchants{i}\n      security: [{{Admin: []}}]\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{type: array, items: {{type: string}}}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
            7 => format!(
                "  /payments{i}:\n    post:\n      operationId: createPayment{i}\n      requestBody:\n        content:\n          application/json:\n            schema:\n              allOf:\n                - allOf: [{{$ref: '#/components/schemas/Method'}}]\n                  nullable: true\n                - type: object\n                  properties:\n                    billing: {{$ref: '#/components/schemas/Address'}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
            8 => format!(
                "  /sources{i}/{{id}}:\n    get:\n      operationId: getSource{i}\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Source'}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
            9 => format!(
                "  /routes{i}:\n    post:\n      operationId: createRoute{i}\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [destination]\n              properties:\n                destination: {{$ref: '#/components/schemas/IpNet'}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
            18 => format!(
                "  /documents{i}:\n    post:\n      operationId: upload{i}\n      requestBody:\n        content:\n          application/octet-stream:\n            schema: {{type: string, format: binary}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
            _ => format!(
                "  /session{i}:\n    get:\n      operationId: session{i}\n      parameters:\n        - {{name: sid, in: cookie, schema: {{type: string}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Order{i}'}}}}}}}}\n        default: {{$ref: '#/components/responses/Bad'}}\n"
            ),
        };
        paths.push_str(&op);
        let _ = write!(
            schemas,
            "    Order{i}:\n      allOf:\n        - $ref: '#/components/schemas/Money'\n        - type: object\n          required: [id, status]\n          properties:\n            id: {{type: string}}\n            status: {{type: string, enum: [created, attempted, paid]}}\n            address: {{nullable: true, allOf: [{{$ref: '#/components/schemas/Address'}}]}}\n"
        );
    }
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: Published, version: '1', contact: {{name: support}}}}\ntags: [{{name: Orders}}]\nservers:\n  - {{url: 'https://s.test', x-environment: sandbox}}\n  - {{url: 'https://p.test', x-environment: production}}\nsecurity: [{{K: []}}]\npaths:\n{paths}components:\n  securitySchemes:\n    K: {{type: apiKey, in: header, name: x-api-key, x-credential: api_key}}\n    Admin: {{type: apiKey, in: header, name: x-admin-key, x-credential: admin_key}}\n  callbacks:\n    Event:\n      '{{$request.body#/url}}':\n        post:\n          responses: {{'200': {{description: ok}}}}\n  responses:\n    Bad:\n      description: refused\n      content: {{application/json: {{schema: {{$ref: '#/components/schemas/Error'}}}}}}\n  schemas:\n    Error: {{type: object, required: [code], properties: {{code: {{type: string}}, message: {{type: string}}}}}}\n    Money:\n      type: object\n      required: [amount, currency]\n      properties:\n        amount: {{type: integer, format: int64, minimum: 100}}\n        currency: {{type: string, enum: [INR]}}\n    Address:\n      type: object\n      required: [line1]\n      properties:\n        line1: {{type: string}}\n        pincode: {{type: string, pattern: '^[0-9]{{6}}$'}}\n    Method:\n      oneOf:\n        - {{type: object, required: [card], properties: {{card: {{type: object, properties: {{last4: {{type: string, pattern: '^[0-9]{{4}}$'}}}}}}}}}}\n        - {{type: object, required: [upi], properties: {{upi: {{type: object, properties: {{vpa: {{type: string, maxLength: 50}}}}}}}}}}\n    Source:\n      oneOf: [{{$ref: '#/components/schemas/CardSource'}}, {{$ref: '#/components/schemas/BankSource'}}]\n      discriminator:\n        propertyName: kind\n        mapping: {{card: '#/components/schemas/CardSource', bank: '#/components/schemas/BankSource'}}\n    CardSource: {{type: object, required: [kind], properties: {{kind: {{type: string}}, last4: {{type: string}}}}}}\n    BankSource: {{type: object, required: [kind], properties: {{kind: {{type: string}}, ifsc: {{type: string, maxLength: 11}}}}}}\n    IpNet:\n      oneOf:\n        - {{title: v4, type: string, pattern: '^[0-9.]+/[0-9]+$'}}\n        - {{title: v6, type: string, pattern: '^[0-9a-f:]+/[0-9]+$'}}\n{schemas}"
    );
    std::fs::write(gateway.join("gateway.yaml"), text).unwrap();
}

/// Generates a published-style file in the lenient mode; with `check`,
/// type-checks the generated gateway in a crate of its own on the
/// workspace's target directory.
pub fn rows(rows: &mut Vec<Row>, check: bool) {
    let n = 500;
    let dir = std::env::temp_dir().join(format!("paygen-bench-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let specs = dir.join("specs");
    published_style(&specs, n);
    let generator = paygen_codegen::Generator::new(&specs, dir.join("crate/src/gen"))
        .cargo_features(false)
        .skip_unsupported(true);
    let mut output = None;
    let best = (0..3)
        .map(|_| {
            let started = Instant::now();
            output = Some(generator.render().unwrap());
            started.elapsed()
        })
        .min()
        .unwrap();
    let output = output.unwrap();
    let generated: usize = output.gateways.iter().map(|g| g.operations().count()).sum();
    rows.push(Row {
        metric: format!("import {n} published-style operations (lenient, in memory)"),
        ours: format!(
            "{:.1} ms; {generated} generated ({:.0}%), {} skipped",
            best.as_secs_f64() * 1000.0,
            generated as f64 * 100.0 / n as f64,
            output.skipped.len()
        ),
        base: String::new(),
        ratio: None,
        target: ">= 90% generated (as published files); the rest skipped",
    });
    if check {
        rows.push(check_row(&dir, &generator, generated));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `cargo check` of the imported gateway: its dependencies first (not
/// timed), then the crate with the generated code in it.
fn check_row(dir: &Path, generator: &paygen_codegen::Generator, generated: usize) -> Row {
    let root = paygen_codegen::workspace_root();
    let krate = dir.join("crate");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"imported\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\npaygen = {{ path = {:?}, default-features = false, features = [\"rustls-tls\"] }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
            root.join("generated").display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let cargo_check = || {
        let started = Instant::now();
        let status = std::process::Command::new(env!("CARGO"))
            .args(["check", "-q", "--offline"])
            .env("CARGO_TARGET_DIR", root.join("target/bench-import"))
            .current_dir(&krate)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the imported gateway does not type-check");
        started.elapsed()
    };
    std::fs::write(krate.join("src/lib.rs"), "//! Dependencies only.\n").unwrap();
    cargo_check();
    generator.write().unwrap();
    std::fs::write(
        krate.join("src/lib.rs"),
        "//! An imported gateway.\n#![deny(missing_docs)]\n#[path = \"gen/mod.rs\"]\npub mod gen;\n",
    )
    .unwrap();
    let took = cargo_check();
    Row {
        metric: format!("cargo check of the imported gateway ({generated} operations)"),
        ours: format!(
            "{:.1} s ({:.0} ms/op)",
            took.as_secs_f64(),
            took.as_secs_f64() * 1000.0 / generated.max(1) as f64
        ),
        base: String::new(),
        ratio: None,
        target: "",
    }
}
