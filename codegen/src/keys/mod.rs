//! Every key a spec file may hold, by the OpenAPI object it sits in: a key
//! paygen acts on is honoured, a key it does not support is refused, and an
//! unknown key (a typo) is an error with a did-you-mean, so that no spec line
//! is lost in silence.
//!
//! The OpenAPI crate paygen parses with ignores keys it does not know, and
//! keeps `x-` keys without checking them; this pass walks the YAML itself.

use std::borrow::Cow;

use serde_yaml::{Mapping, Value};

mod table;

use table::*;

/// One problem with a key: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProblem {
    /// The JSON pointer of the key.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// What the walk found: problems, and the extensions of other vendors that
/// were accepted without effect (listed by `--verbose`).
#[derive(Debug, Default)]
pub struct Checked {
    /// Keys that are errors.
    pub problems: Vec<KeyProblem>,
    /// Keys that only document (tags, links): errors in curated specs,
    /// dropped and counted by the lenient import mode.
    pub documentation: Vec<KeyProblem>,
    /// Pointers of other vendors' `x-` keys, accepted without effect.
    pub foreign_extensions: Vec<String>,
}

/// Checks every key of a spec file's YAML.
pub fn check(value: &Value) -> Checked {
    let mut checked = Checked::default();
    if let Value::Mapping(map) = value {
        walk_object(map, Object::Document, &mut String::new(), &mut checked);
    }
    checked
}

/// The edit distance between `a` and `b`, compared without case, where
/// swapping two neighbouring letters (`enmu`) counts as one edit (the
/// optimal string alignment distance).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// The candidate closest to `word`, when it is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn key_text(key: &Value) -> Cow<'_, str> {
    match key {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(
            serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_owned(),
        ),
    }
}

/// Runs `walk` with `segment` (escaped) added to the JSON pointer, then
/// takes it off again: one buffer for the whole walk, not a string per key.
fn under<R>(pointer: &mut String, segment: &str, walk: impl FnOnce(&mut String) -> R) -> R {
    let len = pointer.len();
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
    let result = walk(pointer);
    pointer.truncate(len);
    result
}

/// Whether `map` has the text key `key`: a scan, which beats hashing for
/// the handful of keys an OpenAPI object holds.
fn has_key(map: &Mapping, key: &str) -> bool {
    map.keys().any(|k| k.as_str() == Some(key))
}

fn walk_object(map: &Mapping, object: Object, pointer: &mut String, out: &mut Checked) {
    if has_key(map, "$ref") {
        walk_ref(map, object, pointer, out);
        return;
    }
    if object == Object::Schema {
        combined_kinds(map, pointer, out);
    }
    if object == Object::Parameter && is_content_type_header(map) {
        // Published specs often list it; it says nothing the body's media
        // type does not. An error when curated, dropped on import.
        out.documentation.push(KeyProblem {
            pointer: pointer.clone(),
            message:
                "`Content-Type` is not a parameter: it follows from the request body's media type"
                    .into(),
            help: "remove this parameter".into(),
        });
    }
    let known = keys(object);
    for (key, value) in map {
        let key = key_text(key);
        under(pointer, &key, |at| {
            if key.starts_with("x-") {
                extension(&key, object, at, out);
                return;
            }
            match known.iter().find(|(k, _)| *k == key) {
                Some((_, Honoured(child))) => walk_child(value, *child, at, out),
                Some((_, used @ (Refused(why) | Documentation(why)))) => {
                    let problem = KeyProblem {
                        pointer: at.clone(),
                        message: format!("`{key}` is not supported here"),
                        help: (*why).to_owned(),
                    };
                    match used {
                        Documentation(_) => out.documentation.push(problem),
                        _ => out.problems.push(problem),
                    }
                }
                None => out.problems.push(unknown(&key, object, at, known)),
            }
        });
    }
}

/// `{name: Content-Type, in: header}`, in any case.
fn is_content_type_header(map: &Mapping) -> bool {
    let text = |key: &str| map.get(key).and_then(Value::as_str);
    text("in") == Some("header")
        && text("name").is_some_and(|n| n.eq_ignore_ascii_case("content-type"))
}

fn unknown(key: &str, object: Object, at: &str, known: &[(&str, Use)]) -> KeyProblem {
    let names = known.iter().map(|(k, _)| *k);
    let help = match did_you_mean(key, names) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "a {} may hold: {}",
            describe(object),
            known
                .iter()
                .map(|(k, _)| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    KeyProblem {
        pointer: at.to_owned(),
        message: format!("unknown key `{key}` in {}", describe(object)),
        help,
    }
}

fn extension(key: &str, object: Object, at: &str, out: &mut Checked) {
    if let Some((_, places)) = EXTENSIONS.iter().find(|(k, _)| *k == key) {
        if !places.contains(&object) {
            out.problems.push(KeyProblem {
                pointer: at.to_owned(),
                message: format!("`{key}` has no meaning on {}", describe(object)),
                help: format!(
                    "`{key}` belongs on {} (see specs/README.md)",
                    places
                        .iter()
                        .map(|o| describe(*o))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            });
        }
        return;
    }
    match did_you_mean(key, EXTENSIONS.iter().map(|(k, _)| *k)) {
        Some(close) => out.problems.push(KeyProblem {
            pointer: at.to_owned(),
            message: format!("unknown extension `{key}`"),
            help: format!(
                "did you mean `{close}`? (paygen's extensions are listed in specs/README.md)"
            ),
        }),
        None => out.foreign_extensions.push(at.to_owned()),
    }
}

/// The keys that each make a schema a different kind; the OpenAPI parser
/// reads a schema as one kind and drops the keys of the others.
const SCHEMA_KINDS: [&str; 5] = ["type", "oneOf", "allOf", "anyOf", "not"];

fn combined_kinds(map: &Mapping, pointer: &str, out: &mut Checked) {
    let present: Vec<&str> = SCHEMA_KINDS
        .iter()
        .copied()
        .filter(|k| has_key(map, k))
        .collect();
    let [kept, dropped @ ..] = present.as_slice() else {
        return;
    };
    for key in dropped {
        out.problems.push(KeyProblem {
            pointer: format!("{pointer}/{key}"),
            message: format!(
                "`{key}` next to `{kept}` in one schema: the parser keeps `{kept}` and drops `{key}`"
            ),
            help: if *kept == "type" {
                format!("give the schema either `type` (with its properties) or `{key}`, not both")
            } else {
                format!("give the schema one of `{kept}` and `{key}`")
            },
        });
    }
}

/// A `$ref` object: the reference and nothing else, which OpenAPI 3.0 would
/// ignore (a `description` next to a `$ref` is lost).
fn walk_ref(map: &Mapping, object: Object, pointer: &str, out: &mut Checked) {
    if !may_be_ref(object) {
        out.problems.push(KeyProblem {
            pointer: format!("{pointer}/$ref"),
            message: format!("{} cannot be a `$ref`", describe(object)),
            help: "write it out in place".to_owned(),
        });
        return;
    }
    if !matches!(map.get("$ref"), Some(Value::String(_))) {
        out.problems.push(KeyProblem {
            pointer: format!("{pointer}/$ref"),
            message: "`$ref` must be a string".to_owned(),
            help: "write `$ref: '#/components/schemas/Name'` or `$ref: '<file>#/components/...'`"
                .to_owned(),
        });
    }
    for (key, _) in map {
        let key = key_text(key);
        if key == "$ref" || key == "x-inferred" {
            continue;
        }
        let problem = KeyProblem {
            pointer: under(&mut pointer.to_owned(), &key, |at| at.clone()),
            message: format!("`{key}` next to a `$ref` is ignored by OpenAPI 3.0"),
            help: if object == Object::Schema {
                "move it into the referenced schema, or say it in the description of the object that holds this property".to_owned()
            } else {
                "move it into the referenced component".to_owned()
            },
        };
        // Beside a schema's `$ref`, published files restate what the
        // referenced schema says (`type`, `format`, its limits): the import
        // mode reads the reference, as OpenAPI 3.0 does, and counts what it
        // drops; a curated spec may not write it.
        // Counted on import by what the message opens with: this key beside a `$ref`.
        if object == Object::Schema {
            out.documentation.push(KeyProblem {
                message: format!("`{key} next to $ref` is ignored by OpenAPI 3.0"),
                ..problem
            });
        } else {
            out.problems.push(problem);
        }
    }
}

fn walk_child(value: &Value, child: Child, at: &mut String, out: &mut Checked) {
    match (child, value) {
        (One(object) | OneOrRef(object), Value::Mapping(map)) => walk_object(map, object, at, out),
        (List(object), Value::Sequence(items)) => {
            for (i, item) in items.iter().enumerate() {
                if let Value::Mapping(map) = item {
                    under(at, &i.to_string(), |at| walk_object(map, object, at, out));
                }
            }
        }
        (Map(object), Value::Mapping(map)) => {
            for (name, item) in map {
                if let Value::Mapping(item) = item {
                    under(at, &key_text(name), |at| walk_object(item, object, at, out));
                }
            }
        }
        (Child::Paths, Value::Mapping(map)) => {
            for (path, item) in map {
                let path = key_text(path);
                under(at, &path, |item_at| {
                    if path.starts_with("x-") {
                        extension(&path, Object::PathItem, item_at, out);
                    } else if let Value::Mapping(item) = item {
                        walk_object(item, Object::PathItem, item_at, out);
                    }
                });
            }
        }
        (Child::Responses, Value::Mapping(map)) => {
            for (status, item) in map {
                if let Value::Mapping(item) = item {
                    under(at, &key_text(status), |item_at| {
                        walk_object(item, Object::Response, item_at, out)
                    });
                }
            }
        }
        // Data (examples, enum values) holds no keys of OpenAPI's; a value
        // of the wrong shape is the OpenAPI parser's to report.
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_swaps_without_case() {
        for (a, b, edits) in [
            ("", "abc", 3),
            ("abc", "", 3),
            ("kitten", "sitting", 3),
            ("enmu", "enum", 1),
            ("ba", "ab", 1),
            ("abcdefhg", "abcdefgh", 1),
            ("abcdef", "badcfe", 3),
            // Optimal string alignment: a swapped pair is not edited again.
            ("ca", "abc", 3),
            ("MaxLength", "maxlength", 0),
        ] {
            assert_eq!(distance(a, b), edits, "{a} -> {b}");
        }
    }

    #[test]
    fn a_typo_is_at_most_a_third_of_the_word_away() {
        // One edit for words under six letters, two under nine, three after.
        assert_eq!(did_you_mean("ab", ["ac"]), Some("ac"));
        assert_eq!(did_you_mean("abcdef", ["abcdxy"]), Some("abcdxy"));
        assert_eq!(did_you_mean("abcdef", ["abcxyz"]), None);
        assert_eq!(did_you_mean("abcdefghi", ["abcdefxyz"]), Some("abcdefxyz"));
        assert_eq!(did_you_mean("abcdefghi", ["abcdewxyz"]), None);
        assert_eq!(
            did_you_mean("abcdefghijklmnop", ["abcdefghijklmxyz"]),
            Some("abcdefghijklmxyz")
        );
        assert_eq!(did_you_mean("abcdefghijklmnop", ["abcdefghijklwxyz"]), None);
    }

    #[test]
    fn lists_maps_and_responses_are_walked() {
        let yaml = "paths:
  /a:
    post:
      parameters:
        - {name: q, in: query, schema: {type: string}, requird: true}
      responses:
        '200': {descripton: ok}
components:
  schemas:
    A: {type: object, properties: {b: {type: string, maxLenght: 4}}}
";
        let checked = check(&serde_yaml::from_str(yaml).unwrap());
        let found: Vec<(&str, &str)> = (checked.problems.iter())
            .map(|p| (p.pointer.as_str(), p.help.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/paths/~1a/post/parameters/0/requird",
                    "did you mean `required`?"
                ),
                (
                    "/paths/~1a/post/responses/200/descripton",
                    "did you mean `description`?"
                ),
                (
                    "/components/schemas/A/properties/b/maxLenght",
                    "did you mean `maxLength`?"
                ),
            ]
        );
    }

    #[test]
    fn typos_find_the_key_meant() {
        let schema = keys(Object::Schema).iter().map(|(k, _)| *k);
        assert_eq!(did_you_mean("maxLenght", schema.clone()), Some("maxLength"));
        assert_eq!(did_you_mean("minimun", schema.clone()), Some("minimum"));
        assert_eq!(did_you_mean("requried", schema.clone()), Some("required"));
        assert_eq!(did_you_mean("enmu", schema.clone()), Some("enum"));
        assert_eq!(did_you_mean("colour", schema), None);
        let extensions = EXTENSIONS.iter().map(|(k, _)| *k);
        assert_eq!(
            did_you_mean("x-secert", extensions.clone()),
            Some("x-secret")
        );
        assert_eq!(did_you_mean("x-amazon-apigateway", extensions), None);
    }
}
