//! Published-style OpenAPI files for the import and compile rows: many
//! operations cycling through the kinds of what published specs write.

use std::fmt::Write as _;
use std::path::Path;

/// The kinds of operation progenitor generates too (it refuses the rest: a
/// `callbacks` reference, `multipart/form-data`, a cookie parameter, two error
/// body types on one operation, a `default` answer beside a `200`).
const SHARED_KINDS: [usize; 6] = [1, 2, 6, 7, 8, 9];

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
    write_spec(dir, "published", operations, |i| match i % 20 {
        // Ten kinds, each twice in twenty, then the two the import mode skips.
        again @ 10..=17 => again - 10,
        kind => kind,
    });
}

/// The same file with only the kinds progenitor generates too (a list with a
/// query enum and a sized integer, an update with a wrapped nullable
/// reference, an admin-only list, a keyed `oneOf` merged by `allOf`, a
/// `discriminator`, a `oneOf` of patterned texts), each error answer written
/// as `4XX` rather than `default`, which progenitor takes for a success.
pub fn shared_style(dir: &Path, operations: usize) {
    write_spec(dir, "shared", operations, |i| {
        SHARED_KINDS[i % SHARED_KINDS.len()]
    });
    let file = dir.join("shared/gateway.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("        default: ", "        '4XX': ")).unwrap();
}

/// A gateway folder `name` of one file, its `i`th operation of `kind_of(i)`.
fn write_spec(dir: &Path, name: &str, operations: usize, kind_of: impl Fn(usize) -> usize) {
    let gateway = dir.join(name);
    std::fs::create_dir_all(&gateway).unwrap();
    let mut paths = String::new();
    let mut schemas = String::new();
    for i in 0..operations {
        paths.push_str(&operation(kind_of(i), i));
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

/// The text of operation `i` of `kind` (see [`published_style`]).
fn operation(kind: usize, i: usize) -> String {
    match kind {
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
    }
}
