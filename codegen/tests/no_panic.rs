//! No spec makes the generator panic: specs built at random from names,
//! keys, values, nesting and sizes (valid, nearly valid and hostile) are
//! generated in the strict mode and in the import mode, and each run ends
//! in output or in diagnostics.
//!
//! `cargo test` runs 64 specs per mode; for a longer run set
//! `PAYGEN_FUZZ_CASES` (docs/security.md), as in
//! `PAYGEN_FUZZ_CASES=20000 cargo test --release -p paygen-codegen --test no_panic`.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

/// A name a spec may give a property, component, enum value or operation.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z_]{0,7}",
        1 => "[A-Za-z0-9_ .$/{}-]{0,8}",
        1 => "\\PC{0,6}",
        1 => prop::sample::select(vec![
            "type", "self", "Self", "super", "_", "r#x", "3ds", "m²", "½off", "💳", "", "-", "__",
            "fn", "Client", "Error", "String", "Option", "Vec", "paygen",
        ])
        .prop_map(str::to_owned),
    ]
}

/// Text a spec writes in a description or example.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,20}",
        "\\PC{0,20}",
        prop::sample::select(vec![
            "```\ncompile_error!(\"x\");\n```",
            "    indented()",
            "<script>x</script>",
            "a\r\n\r\n    b",
            "`",
            "[x]: y",
        ])
        .prop_map(str::to_owned),
    ]
}

/// A scalar value of any JSON kind.
fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        name().prop_map(Value::String),
    ]
}

/// A schema: scalars with their keywords, objects, arrays, unions and
/// references, nested.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = (
        prop::sample::select(vec![
            "string", "string", "string", "integer", "integer", "number", "boolean", "object",
            "array", "text",
        ]),
        prop::option::weighted(
            0.3,
            prop::sample::select(vec![
                "int32",
                "int64",
                "uint8",
                "uint64",
                "date-time",
                "uri",
                "float",
                "nonsense",
            ]),
        ),
        prop::option::weighted(0.3, prop::collection::vec(name(), 0..4)),
        prop::option::weighted(0.3, (any::<i32>(), 0u32..50)),
        prop::option::weighted(0.2, scalar()),
        prop::option::weighted(
            0.2,
            prop_oneof![Just("^[a-z]+$"), Just("(?=x)"), Just("["), Just("a{99999}")],
        ),
        prop::option::weighted(
            0.2,
            prop_oneof![
                Just(json!(true)),
                Just(json!("card-number")),
                Just(json!(3))
            ],
        ),
        prop::option::weighted(0.3, text()),
    )
        .prop_map(
            |(typ, format, enumeration, bounds, example, pattern, secret, description)| {
                let mut s = Map::new();
                s.insert("type".into(), json!(typ));
                if let Some(f) = format {
                    s.insert("format".into(), json!(f));
                }
                if let Some(e) = enumeration {
                    s.insert("enum".into(), json!(e));
                }
                if let Some((minimum, length)) = bounds {
                    if typ == "string" {
                        s.insert("maxLength".into(), json!(length));
                    } else {
                        s.insert("minimum".into(), json!(minimum));
                    }
                }
                if let Some(e) = example {
                    s.insert("example".into(), e);
                }
                if let Some(p) = pattern {
                    s.insert("pattern".into(), json!(p));
                }
                if let Some(x) = secret {
                    s.insert("x-secret".into(), x);
                }
                if let Some(d) = description {
                    s.insert("description".into(), json!(d));
                }
                Value::Object(s)
            },
        );
    let reference = prop_oneof![
        name().prop_map(|n| json!({"$ref": format!("#/components/schemas/{n}")})),
        name().prop_map(|n| json!({"$ref": n})),
    ];
    prop_oneof![3 => leaf, 1 => reference].prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            (
                prop::collection::btree_map(name(), inner.clone(), 0..5),
                prop::collection::vec(name(), 0..3),
                prop::option::of(prop::collection::vec(
                    (name(), name(), name()).prop_map(|(f, w, e)| {
                        json!({"required_if": {"field": f, "when": w, "equals": e}})
                    }),
                    0..2
                )),
            )
                .prop_map(|(properties, required, rules)| {
                    let mut s =
                        json!({"type": "object", "properties": properties, "required": required});
                    if let Some(rules) = rules {
                        s["x-rules"] = Value::Array(rules);
                    }
                    s
                }),
            inner
                .clone()
                .prop_map(|items| json!({"type": "array", "items": items})),
            inner
                .clone()
                .prop_map(|v| json!({"type": "object", "additionalProperties": v})),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({ "oneOf": v })),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({ "allOf": v })),
            prop::collection::vec(inner, 1..3).prop_map(|v| json!({ "anyOf": v })),
        ]
    })
}

/// A parameter: any place, any name, any schema.
fn parameter() -> impl Strategy<Value = Value> {
    (
        name(),
        prop::sample::select(vec!["path", "query", "query", "header", "header", "cookie"]),
        any::<bool>(),
        schema(),
        prop::option::of(scalar()),
    )
        .prop_map(|(name, place, required, schema, example)| {
            let mut p = json!({"name": name, "in": place, "required": required, "schema": schema});
            if let Some(e) = example {
                p["example"] = e;
            }
            p
        })
}

/// A page: operations on paths, with parameters, bodies and answers, and
/// the components they refer to.
fn page() -> impl Strategy<Value = Value> {
    let operation = (
        name(),
        prop::collection::vec(parameter(), 0..3),
        prop::option::of((
            prop::sample::select(vec![
                "application/json",
                "application/x-www-form-urlencoded",
                "text/xml",
            ]),
            schema(),
        )),
        prop::collection::btree_map(
            prop::sample::select(vec!["200", "201", "204", "400", "4XX", "default", "abc"]),
            prop::option::of(schema()),
            1..3,
        ),
        prop::option::of(text()),
    )
        .prop_map(|(id, parameters, body, answers, description)| {
            let mut op = json!({"operationId": id, "parameters": parameters});
            if let Some((media, schema)) = body {
                op["requestBody"] = json!({"content": {media: {"schema": schema}}});
            }
            let mut responses = Map::new();
            for (status, schema) in answers {
                let mut r = json!({"description": "An answer."});
                if let Some(schema) = schema {
                    r["content"] = json!({"application/json": {"schema": schema}});
                }
                responses.insert(status.to_owned(), r);
            }
            op["responses"] = Value::Object(responses);
            if let Some(d) = description {
                op["description"] = json!(d);
            }
            op
        });
    (
        prop::collection::btree_map(
            (
                "/[a-z{}_²]{0,10}",
                prop::sample::select(vec!["get", "post", "delete", "trace"]),
            ),
            operation,
            0..3,
        ),
        prop::collection::btree_map(name(), schema(), 0..4),
    )
        .prop_map(|(operations, schemas)| {
            let mut paths = Map::new();
            for ((path, method), op) in operations {
                let item = paths.entry(path).or_insert_with(|| json!({}));
                item[method] = op;
            }
            json!({
                "openapi": "3.0.3",
                "info": {"title": "Fuzzed", "version": "1"},
                "paths": paths,
                "components": {"schemas": schemas},
            })
        })
}

const GATEWAY: &str = "openapi: 3.0.3
info: {title: Fuzzed gateway, version: '1'}
servers:
  - {url: 'https://sandbox.fuzz.test', x-environment: sandbox}
  - {url: 'https://api.fuzz.test', x-environment: production}
security: [{Basic: []}]
paths: {}
components:
  securitySchemes:
    Basic: {type: http, scheme: basic, x-username: api_key}
  schemas:
    Error: {type: object, properties: {message: {type: string}}}
";

/// A page as YAML, sometimes broken by a character put in at random.
fn page_text() -> impl Strategy<Value = String> {
    (
        page(),
        prop::option::weighted(0.1, (any::<prop::sample::Index>(), any::<char>())),
    )
        .prop_map(|(page, damage)| {
            let mut text = serde_yaml::to_string(&page).expect("a JSON value is YAML");
            if let Some((at, c)) = damage {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert(at, c);
            }
            text
        })
}

fn folder(case: usize) -> PathBuf {
    let thread =
        format!("{:?}", std::thread::current().id()).replace(|c: char| !c.is_ascii_digit(), "");
    std::env::temp_dir().join(format!(
        "paygen-fuzz-{}-{thread}-{case}",
        std::process::id()
    ))
}

/// Writes the gateway `fuzz` below `root`: the fixed gateway file and
/// `page`; gives the specs folder.
fn write_specs(root: &Path, page: &str) -> PathBuf {
    let specs = root.join("specs");
    std::fs::create_dir_all(specs.join("fuzz")).unwrap();
    std::fs::write(specs.join("fuzz/gateway.yaml"), GATEWAY).unwrap();
    std::fs::write(specs.join("fuzz/page.yaml"), page).unwrap();
    specs
}

/// Generates `page` beside the fixed gateway file, in memory; a panic fails
/// the property.
fn generate(root: &Path, page: &str, import: bool) {
    let specs = write_specs(root, page);
    let generator =
        paygen_codegen::Generator::new(&specs, root.join("out")).skip_unsupported(import);
    // Output or diagnostics; either is an answer.
    let result = generator.render();
    if std::env::var_os("PAYGEN_FUZZ_SHOW").is_some() {
        match result {
            Ok(output) => eprintln!("ok: {} files", output.files.len()),
            Err(error) => eprintln!("{}", error.to_string().lines().next().unwrap_or_default()),
        }
    }
}

fn cases() -> u32 {
    std::env::var("PAYGEN_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

fn run(import: bool) {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let case = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&page_text(), |page| {
        let root = folder(case.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let outcome = std::panic::catch_unwind(|| generate(&root, &page, import));
        let _ = std::fs::remove_dir_all(&root);
        prop_assert!(outcome.is_ok(), "the generator panicked on:\n{page}");
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

#[test]
fn no_spec_makes_the_generator_panic() {
    run(false);
}

#[test]
fn no_spec_makes_the_import_mode_panic() {
    run(true);
}

/// A request body of objects nested `depth` levels, as one flow mapping.
fn nested_page(depth: usize) -> String {
    let mut schema = String::from("{type: string}");
    for level in 0..depth {
        schema = format!("{{type: object, properties: {{a{level}: {schema}}}}}");
    }
    format!(
        "openapi: 3.0.3
info: {{title: Deep, version: '1'}}
paths:
  /a:
    post:
      operationId: deep
      requestBody:
        content:
          application/json:
            schema: {schema}
      responses:
        '200': {{description: Done.}}
        default:
          description: An error.
          content:
            application/json:
              schema: {{$ref: 'gateway.yaml#/components/schemas/Error'}}
"
    )
}

#[test]
fn the_deepest_spec_yaml_allows_generates_and_a_deeper_one_is_a_diagnostic() {
    // 60 objects are 120 levels of YAML, under serde_yaml's 128: parsed and
    // lowered by recursion, which overflowed the 2 MiB stack of a spawned
    // thread before spec work had stacks of its own.
    let root = folder(1_000_000);
    let specs = write_specs(&root, &nested_page(60));
    let generator = paygen_codegen::Generator::new(&specs, root.join("out"));
    let deep = generator.render().map(|output| output.files.len());
    std::fs::write(specs.join("fuzz/page.yaml"), nested_page(64)).unwrap();
    let deeper = generator.render().map(|output| output.files.len());
    let _ = std::fs::remove_dir_all(&root);
    assert!(deep.is_ok(), "{}", deep.unwrap_err());
    let error = deeper.unwrap_err().to_string();
    assert!(
        error.starts_with("error: fuzz/page.yaml:10:")
            && error.contains("the YAML nests more than 128 levels deep here"),
        "{error}"
    );
}

/// Components `L0` to `L<links>`, each with a property of the next.
fn chained_page(links: usize) -> String {
    let mut page = String::from(
        "openapi: 3.0.3
info: {title: Chained, version: '1'}
paths:
  /things:
    get:
      operationId: list_things
      responses:
        '200':
          description: Things.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/L0'}
        default:
          description: An error.
          content:
            application/json:
              schema: {$ref: 'gateway.yaml#/components/schemas/Error'}
components:
  schemas:
",
    );
    for link in 0..links {
        page.push_str(&format!(
            "    L{link}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/L{}'}}}}}}\n",
            link + 1
        ));
    }
    page.push_str(&format!(
        "    L{links}: {{type: object, properties: {{id: {{type: string}}}}}}\n"
    ));
    page
}

#[test]
fn a_chain_of_types_past_the_limit_is_a_diagnostic_not_a_stack_overflow() {
    // Each type is defined inside the one that uses it first: 6,000 of
    // them overflowed even the 64 MiB stack.
    let root = folder(2_000_000);
    let specs = write_specs(&root, &chained_page(999));
    let generator = paygen_codegen::Generator::new(&specs, root.join("out"));
    let within = generator.render().map(|output| output.files.len());
    std::fs::write(specs.join("fuzz/page.yaml"), chained_page(6000)).unwrap();
    let past = generator.render().map(|output| output.files.len());
    let _ = std::fs::remove_dir_all(&root);
    assert!(within.is_ok(), "{}", within.unwrap_err());
    let error = past.unwrap_err().to_string();
    assert!(
        error.contains("`L1000` is the type 1001 deep in a chain of types each defined inside the one before, from `L0`"),
        "{error}"
    );
}
