//! Loading specs: parsing, positions, versions, aliases, folders and links.

use super::*;

#[test]
fn a_file_parses_when_first_asked_for_if_no_thread_parsed_it() {
    let root = crate::workspace_root().join("tests/fixtures/broken");
    let (loaded, loaded_problems) = load(&root).unwrap();
    let (found, mut found_problems) = discover(&root).unwrap();
    // Nothing is parsed yet: each file parses on first use, in any order.
    for gateway in &found {
        for index in (0..gateway.len()).rev() {
            let _ = gateway.file(index);
        }
    }
    found_problems.extend(problems(&found).unwrap());
    assert_eq!(found_problems, loaded_problems);
    assert!(found.iter().all(|g| !g.is_empty()));
    let paths = |gateways: &[GatewaySpecs]| -> Vec<PathBuf> {
        gateways
            .iter()
            .flat_map(|g| g.parsed().map(|f| f.path.clone()))
            .collect()
    };
    assert_eq!(paths(&found), paths(&loaded));
    assert!(!paths(&found).is_empty());
}

#[test]
fn parse_all_parses_every_file_of_every_gateway() {
    let root = crate::workspace_root().join("tests/fixtures/broken");
    let (found, _) = discover(&root).unwrap();
    let parsed = |gateways: &[GatewaySpecs]| {
        gateways
            .iter()
            .flat_map(|g| &g.files)
            .filter(|slot| slot.parsed.get().is_some())
            .count()
    };
    assert_eq!(parsed(&found), 0);
    parse_all(&found);
    let files: usize = found.iter().map(GatewaySpecs::len).sum();
    assert!(files > 1);
    assert_eq!(parsed(&found), files);
}

#[test]
fn openapi_3_1_is_read_as_3_0_and_named_as_such_and_others_are_refused() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\njsonSchemaDialect: x\nwebhooks: {paid: {post: {responses: {}}}, bad: {post: 1}}\n";
    let (file, problems) = parse(Path::new("gw/page.yaml"), text).unwrap();
    // The webhooks are kept for the lowering; one that does not read is
    // a problem at its own name.
    assert_eq!(file.webhooks.keys().collect::<Vec<_>>(), ["paid"]);
    let problems: Vec<&str> = problems.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(problems, ["/webhooks/bad"]);
    let noted: Vec<(&str, usize)> = (file.documentation_only.iter())
        .map(|d| (d.message.as_str(), d.line))
        .collect();
    assert_eq!(
        noted,
        [
            (
                "`openapi: 3.1.0` is read as OpenAPI 3.0 by the import mode only",
                1
            ),
            ("`jsonSchemaDialect` (OpenAPI 3.1) is not generated", 3),
        ]
    );
    // OpenAPI 3.0 has no `webhooks`.
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nwebhooks: {}\n";
    let (_, problems) = parse(Path::new("gw/page.yaml"), text).unwrap();
    assert_eq!(
        problems
            .iter()
            .map(|d| (d.message.as_str(), d.line))
            .collect::<Vec<_>>(),
        [(
            "`webhooks` is OpenAPI 3.1, and this file says OpenAPI 3.0",
            4
        )]
    );
    let text = "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths: {}\n";
    let d = parse(Path::new("gw/page.yaml"), text).err().unwrap();
    assert_eq!(
            d.message,
            "OpenAPI `3.2.0` is not supported; paygen reads OpenAPI 3.0.x (and 3.1.x in the import mode)"
        );
    assert_eq!(d.line, 1);
}

#[test]
fn an_alias_bomb_is_refused_before_it_expands() {
    let list = |item: &str| vec![item; 1000].join(", ");
    let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\nx-a: &a [{}]\nx-b: &b [{}]\nx-c: [{}]\n",
            list("x"),
            list("*a"),
            list("*b")
        );
    let d = parse(Path::new("gw/page.yaml"), &text).err().unwrap();
    assert!(
        d.message.starts_with("YAML aliases expand this file"),
        "{}",
        d.message
    );
    assert_eq!((d.file.as_path(), d.line), (Path::new("gw/page.yaml"), 5));
}

#[test]
fn what_stands_beside_a_schema_ref_is_kept_as_openapi_3_0_keeps_it() {
    let mut value: serde_yaml::Value = serde_yaml::from_str(
        "a: {$ref: '#/components/schemas/X', description: D, nullable: true}
b: {$ref: 'gateway.yaml#/components/schemas/X', summary: S}
c: {$ref: '#/components/schemas/X', type: string}
d: {$ref: '#/components/parameters/P', description: D}
e: {$ref: '#/components/schemas/X'}
example: {$ref: '#/components/schemas/X', description: data}
",
    )
    .unwrap();
    normalise(&mut value);
    let expected: serde_yaml::Value = serde_yaml::from_str(
        "a: {description: D, nullable: true, allOf: [{$ref: '#/components/schemas/X'}]}
b: {description: S, allOf: [{$ref: 'gateway.yaml#/components/schemas/X'}]}
c: {$ref: '#/components/schemas/X', type: string}
d: {$ref: '#/components/parameters/P', description: D}
e: {$ref: '#/components/schemas/X'}
example: {$ref: '#/components/schemas/X', description: data}
",
    )
    .unwrap();
    assert_eq!(value, expected);
}

#[test]
fn type_object_beside_a_merge_or_a_union_of_objects_is_what_they_say() {
    let mut value: serde_yaml::Value = serde_yaml::from_str(
            "a: {type: object, allOf: [{$ref: '#/components/schemas/X'}], properties: {n: {type: string}}}
b: {type: object, oneOf: [{$ref: '#/components/schemas/X'}]}
c: {type: object, oneOf: [{$ref: '#/components/schemas/X'}], properties: {n: {type: string}}}
d: {type: string, allOf: [{$ref: '#/components/schemas/X'}]}
",
        )
        .unwrap();
    normalise(&mut value);
    let expected: serde_yaml::Value = serde_yaml::from_str(
        "a: {allOf: [{$ref: '#/components/schemas/X'}], properties: {n: {type: string}}}
b: {oneOf: [{$ref: '#/components/schemas/X'}]}
c: {type: object, oneOf: [{$ref: '#/components/schemas/X'}], properties: {n: {type: string}}}
d: {type: string, allOf: [{$ref: '#/components/schemas/X'}]}
",
    )
    .unwrap();
    assert_eq!(value, expected);
}

#[test]
fn callbacks_are_reported_by_the_key_check_not_the_parser() {
    // A callback that is a `$ref`, which the OpenAPI crate cannot parse:
    // the file still parses, and the key check names `callbacks`.
    let text = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    post:
      responses: {'200': {description: ok}}
      callbacks:
        done: {$ref: '#/components/callbacks/Done'}
";
    let (file, problems) = parse(Path::new("gw/page.yaml"), text).unwrap();
    let pointers: Vec<&str> = (problems.iter())
        .chain(&file.documentation_only)
        .map(|p| p.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/paths/~1a/post/callbacks"]);
}

#[cfg(unix)]
#[test]
fn names_with_control_characters_and_links_out_are_refused() {
    let base = std::env::temp_dir().join(format!("paygen-links-{}", std::process::id()));
    let root = base.join("specs");
    std::fs::create_dir_all(root.join("gw")).unwrap();
    let page = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";
    std::fs::write(root.join("gw/page.yaml"), page).unwrap();
    std::fs::write(root.join("gw/evil\ncargo:rustc-link-arg=-x.yaml"), page).unwrap();
    std::fs::write(base.join("secret.yaml"), page).unwrap();
    std::os::unix::fs::symlink(base.join("secret.yaml"), root.join("gw/out.yaml")).unwrap();
    std::os::unix::fs::symlink(root.join("gw/page.yaml"), root.join("gw/same.yaml")).unwrap();
    std::os::unix::fs::symlink(&base, root.join("up")).unwrap();
    let (gateways, problems) = discover(&root).unwrap();
    let paths = spec_paths(&root);
    std::fs::remove_dir_all(&base).unwrap();
    let refused: Vec<(String, &str)> = problems
        .iter()
        .map(|d| (d.file.display().to_string(), d.message.as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            (
                "gw/\"evil\\ncargo:rustc-link-arg=-x.yaml\"".to_owned(),
                "the name holds a control character"
            ),
            (
                "gw/\"out.yaml\"".to_owned(),
                "a link that leads out of the specs folder"
            ),
            (
                "\"up\"".to_owned(),
                "a link that leads out of the specs folder"
            ),
        ]
    );
    let names: Vec<&str> = gateways[0].files.iter().map(FileSlot::file_name).collect();
    assert_eq!(names, ["page.yaml", "same.yaml"]);
    assert_eq!(paths.len(), 2);
    assert!(paths
        .iter()
        .all(|p| !p.display().to_string().contains('\n')));
}

#[test]
fn a_file_that_cannot_be_read_stops_the_run_with_its_path() {
    let root = std::env::temp_dir().join(format!("paygen-unreadable-{}", std::process::id()));
    // A folder named like a spec file: listed, and unreadable as text.
    std::fs::create_dir_all(root.join("gw/page.yaml")).unwrap();
    std::fs::create_dir_all(root.join("empty")).unwrap();
    let (found, _) = discover(&root).unwrap();
    assert_eq!(
        found
            .iter()
            .map(|g| (g.name.as_str(), g.is_empty()))
            .collect::<Vec<_>>(),
        [("empty", true), ("gw", false)]
    );
    let result = load(&root);
    std::fs::remove_dir_all(&root).unwrap();
    match result {
        Err(Error::Io { path, .. }) => assert!(path.ends_with("gw/page.yaml"), "{path:?}"),
        Err(other) => panic!("expected an I/O error, got {other}"),
        Ok(_) => panic!("expected an I/O error"),
    }
}
