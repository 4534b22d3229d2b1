//! Reads the specs folder: one folder per gateway, one OpenAPI 3.0 YAML file
//! per documented page, each parsed (with its map of positions) the first
//! time it is needed, on whichever thread needs it.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr};

use crate::error::{Diagnostic, Error};
use crate::keys;
use crate::locate::Locations;
use crate::openapi31;

/// One parsed spec file.
pub struct SpecFile {
    /// The path relative to the specs folder (`razorpay/orders.yaml`).
    pub path: PathBuf,
    /// The file's stem (`orders`), which names its generated module.
    pub stem: String,
    /// The document.
    pub doc: OpenAPI,
    /// The file's text, for finding positions when a diagnostic needs one.
    text: String,
    /// Where each node starts in the text, read the first time a diagnostic
    /// needs a position (most runs need none, and large specs have millions
    /// of nodes).
    locations: OnceLock<Locations>,
    /// Pointers of other tools' `x-` keys, accepted without effect.
    pub foreign_extensions: Vec<String>,
    /// Keys that only document (`tags`, `externalDocs`), as diagnostics:
    /// errors in curated specs, dropped by the lenient import mode.
    pub documentation_only: Vec<Diagnostic>,
    /// An OpenAPI 3.1 file's top-level `webhooks`: what the gateway posts to
    /// the merchant, by name (the 3.0 document has no place for them).
    pub webhooks: IndexMap<String, ReferenceOr<PathItem>>,
}

impl SpecFile {
    /// A diagnostic at `pointer` in this file.
    pub fn diagnostic(&self, pointer: &str, message: String, help: Option<String>) -> Diagnostic {
        let (line, column) = self.position(pointer);
        Diagnostic {
            file: self.path.clone(),
            line,
            column,
            pointer: pointer.to_owned(),
            message,
            help,
        }
    }
}

impl SpecFile {
    /// The 1-based `(line, column)` of `pointer` in the file.
    pub fn position(&self, pointer: &str) -> (usize, usize) {
        self.locations
            // The text parsed as YAML already, so it reads again.
            .get_or_init(|| Locations::read(&self.text).unwrap_or_default())
            .find(pointer)
    }
}

/// The spec files of one gateway, in file-name order. Each file is parsed
/// the first time it is asked for, by whichever thread asks first, so that
/// lowering can start on the first files while the rest are still parsed
/// (see [`parse_all`]).
pub struct GatewaySpecs {
    /// The folder name (`razorpay`), which names the gateway's module and feature.
    pub name: String,
    files: Vec<FileSlot>,
}

/// One spec file: where it is, and what parsing it gave.
struct FileSlot {
    /// The path relative to the specs folder.
    relative: PathBuf,
    /// The path to read.
    path: PathBuf,
    parsed: OnceLock<Parsed>,
}

/// What parsing one file gave.
enum Parsed {
    /// The file, with the problems its keys have.
    File(Box<SpecFile>, Vec<Diagnostic>),
    /// Why it cannot be used (reported; `$ref`s into it are not reported again).
    Failed(Diagnostic),
    /// It could not be read: the run stops with this, as an
    /// [`Error::Io`] (kept as its parts: an `io::Error` cannot be copied out
    /// of a slot other threads share).
    Unreadable(std::io::ErrorKind, String),
}

impl FileSlot {
    fn parsed(&self) -> &Parsed {
        self.parsed
            .get_or_init(|| match fs::read_to_string(&self.path) {
                Err(e) => Parsed::Unreadable(e.kind(), e.to_string()),
                Ok(text) => match parse(&self.relative, &text) {
                    Ok((file, problems)) => Parsed::File(Box::new(file), problems),
                    Err(d) => Parsed::Failed(d),
                },
            })
    }

    fn file_name(&self) -> &str {
        self.relative
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    }
}

impl GatewaySpecs {
    /// How many spec files the folder has, parsed or not.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the folder has no spec file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file at `index` (in file-name order), parsing it if no thread has
    /// yet; `None` when it did not parse (its error is reported apart).
    pub fn file(&self, index: usize) -> Option<&SpecFile> {
        match self.files.get(index)?.parsed() {
            Parsed::File(file, _) => Some(file),
            Parsed::Failed(_) | Parsed::Unreadable(..) => None,
        }
    }

    /// Every file that parsed, in file-name order.
    pub fn parsed(&self) -> impl Iterator<Item = &SpecFile> {
        (0..self.len()).filter_map(|index| self.file(index))
    }

    /// The index of the file called `file_name` (`orders.yaml`), parsed or not.
    pub fn index_of(&self, file_name: &str) -> Option<usize> {
        self.files.iter().position(|f| f.file_name() == file_name)
    }
}

/// Parses every file of `gateways` not parsed yet, on every core.
pub fn parse_all(gateways: &[GatewaySpecs]) {
    let slots: Vec<&FileSlot> = gateways.iter().flat_map(|g| &g.files).collect();
    crate::parallel::map(&slots, |slot| {
        slot.parsed();
    });
}

/// What parsing every file found: each file's problems and each failure,
/// in file order; or the first file that could not be read.
pub fn problems(gateways: &[GatewaySpecs]) -> Result<Vec<Diagnostic>, Error> {
    let mut found = Vec::new();
    for slot in gateways.iter().flat_map(|g| &g.files) {
        match slot.parsed() {
            Parsed::File(_, problems) => found.extend(problems.iter().cloned()),
            Parsed::Failed(d) => found.push(d.clone()),
            Parsed::Unreadable(kind, message) => {
                let source = std::io::Error::new(*kind, message.clone());
                return Err(Error::io(&slot.path, source));
            }
        }
    }
    Ok(found)
}

const DOCUMENT_HELP: &str =
    "a spec file is one OpenAPI 3.0 document: `openapi: 3.0.3`, then `info` and `paths`";

fn file_diagnostic(path: &Path, line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic {
        file: path.to_owned(),
        line,
        column,
        pointer: String::new(),
        message,
        help: Some(DOCUMENT_HELP.to_owned()),
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut paths = Vec::new();
    for entry in entries {
        paths.push(entry.map_err(|e| Error::io(dir, e))?.path());
    }
    paths.sort();
    Ok(paths)
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Removes `callbacks` from every operation and from `components`.
fn strip_callbacks(value: &mut serde_yaml::Value) {
    if let Some(components) = value.get_mut("components").and_then(|c| c.as_mapping_mut()) {
        components.remove("callbacks");
    }
    let Some(paths) = value.get_mut("paths").and_then(|p| p.as_mapping_mut()) else {
        return;
    };
    for (_, item) in paths.iter_mut() {
        if let Some(item) = item.as_mapping_mut() {
            for (_, operation) in item.iter_mut() {
                if let Some(operation) = operation.as_mapping_mut() {
                    operation.remove("callbacks");
                }
            }
        }
    }
}

/// What may stand beside a schema's `$ref` and mean something: OpenAPI 3.0
/// ignores it there (3.1 does not), and published files put it there.
const REF_SIBLINGS: &[&str] = &[
    "description",
    "summary",
    "title",
    "nullable",
    "default",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Rewrites, in one walk, what published files write that OpenAPI 3.0
/// (and openapiv3) reads otherwise than they mean; examples, defaults and
/// enum values are data and stay as written:
/// - a schema `$ref` with siblings from [`REF_SIBLINGS`] (`{$ref: X,
///   description: D}`) becomes the form OpenAPI 3.0 keeps them in
///   (`{allOf: [{$ref: X}], description: D}`), which means `X` with those
///   applied where it is used; a `summary` is the description where there
///   is none. Any other sibling stays beside the `$ref`, for the key check
///   to report.
/// - an `enum` of texts without a `type` is a string enum.
/// - `type: object` beside `allOf` (whose merge is an object, with the
///   schema's own `properties` after the merged ones), or beside
///   `oneOf`/`anyOf` without `properties` (a union of objects), is taken
///   off: it says again what the combinator says, and openapiv3 would keep
///   it and drop the combinator.
fn normalise(value: &mut serde_yaml::Value) {
    match value {
        serde_yaml::Value::Sequence(items) => items.iter_mut().for_each(normalise),
        serde_yaml::Value::Mapping(map) => {
            if lift_ref_siblings(map) {
                return;
            }
            drop_object_type_beside_combinators(map);
            type_text_enums(map);
            for (key, child) in map.iter_mut() {
                if !is_data(key) {
                    normalise(child);
                }
            }
        }
        _ => {}
    }
}

/// The `$ref` rewrite of [`normalise`] on one mapping; whether it applied.
fn lift_ref_siblings(map: &mut serde_yaml::Mapping) -> bool {
    let schema_ref = map
        .get("$ref")
        .and_then(serde_yaml::Value::as_str)
        .is_some_and(|r| r.contains("#/components/schemas/"));
    let liftable = |k: &serde_yaml::Value| k.as_str().is_some_and(|k| REF_SIBLINGS.contains(&k));
    if !(schema_ref && map.keys().any(liftable)) {
        return false;
    }
    let reference = map.remove("$ref").unwrap_or_default();
    if let Some(summary) = map.remove("summary") {
        if !map.contains_key("description") {
            map.insert("description".into(), summary);
        }
    }
    // Any other sibling (`type`, `format`, limits restated) stays beside
    // the `$ref`, where the key check reports it.
    let mut only = serde_yaml::Mapping::new();
    only.insert("$ref".into(), reference);
    let others: Vec<serde_yaml::Value> = map.keys().filter(|k| !liftable(k)).cloned().collect();
    for key in others {
        if let Some(value) = map.remove(&key) {
            only.insert(key, value);
        }
    }
    map.insert(
        "allOf".into(),
        serde_yaml::Value::Sequence(vec![serde_yaml::Value::Mapping(only)]),
    );
    true
}

/// The `enum` rewrite of [`normalise`]: an `enum` of texts without a
/// `type` (`{enum: [VENDOR_AGREEMENT]}`, as published files write an item)
/// is a string enum; openapiv3 would read it as a schema of any type.
fn type_text_enums(map: &mut serde_yaml::Mapping) {
    let texts = match map.get("enum") {
        Some(serde_yaml::Value::Sequence(values)) => {
            !values.is_empty() && values.iter().all(serde_yaml::Value::is_string)
        }
        _ => false,
    };
    let typed = ["type", "$ref", "allOf", "oneOf", "anyOf", "not"]
        .iter()
        .any(|k| map.contains_key(*k));
    if texts && !typed {
        map.insert("type".into(), "string".into());
    }
}

/// The `type: object` rewrite of [`normalise`] on one mapping.
fn drop_object_type_beside_combinators(map: &mut serde_yaml::Mapping) {
    let object = map.get("type").and_then(serde_yaml::Value::as_str) == Some("object");
    let merge = map.contains_key("allOf");
    let union =
        (map.contains_key("oneOf") || map.contains_key("anyOf")) && !map.contains_key("properties");
    if object && (merge || union) {
        map.remove("type");
    }
}

/// Whether a key holds data (an example, a default, enum values), which is
/// never rewritten, whatever it looks like.
fn is_data(key: &serde_yaml::Value) -> bool {
    matches!(
        key.as_str(),
        Some("example" | "examples" | "default" | "enum" | "x-enum-descriptions")
    )
}

/// The file as YAML, or where its syntax breaks, in yaml-rust2's words, and
/// whether it declares OpenAPI 3.0.
fn read_yaml(relative: &Path, text: &str) -> Result<serde_yaml::Value, Diagnostic> {
    crate::budget::check(text).map_err(|refused| {
        let mut d = file_diagnostic(relative, refused.line, refused.column, refused.message);
        d.help = Some("write the repeated parts out, or reference a component with `$ref` instead of a YAML alias".into());
        d
    })?;
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        // yaml-rust2 words syntax errors for people; serde_yaml's are terse.
        let (message, line, column) = match Locations::read(text) {
            Err(syntax) => syntax,
            Ok(_) => {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                (e.to_string(), line, column)
            }
        };
        if message.contains("recursion limit exceeded") {
            let mut d = file_diagnostic(
                relative,
                line,
                column,
                "the YAML nests more than 128 levels deep here".into(),
            );
            d.help = Some("declare deep schemas as components and `$ref` them".into());
            return d;
        }
        let mut d = file_diagnostic(relative, line, column, format!("YAML syntax: {message}"));
        d.help = Some("fix the YAML syntax at this position".into());
        d
    })?;
    let version = value.get("openapi").and_then(serde_yaml::Value::as_str);
    match version {
        // 3.1 is read as 3.0 (`openapi31`), by the import mode only.
        Some(v) if v.starts_with("3.0") || v.starts_with("3.1") => {}
        Some(v) => {
            let (line, column) = Locations::read(text).unwrap_or_default().find("/openapi");
            return Err(file_diagnostic(
                relative,
                line,
                column,
                format!("OpenAPI `{v}` is not supported; paygen reads OpenAPI 3.0.x (and 3.1.x in the import mode)"),
            ));
        }
        None => {
            return Err(file_diagnostic(
                relative,
                1,
                1,
                "not an OpenAPI document: there is no `openapi: 3.0.x` at the top".into(),
            ))
        }
    }
    Ok(value)
}

/// Takes a document's top-level `webhooks` out, each read as a path item;
/// one that does not read is a problem at its own name, and `webhooks` in an
/// OpenAPI 3.0 file (which has no such key) is one at `/webhooks`.
fn take_webhooks(
    value: &mut serde_yaml::Value,
    from_3_1: bool,
) -> (
    IndexMap<String, ReferenceOr<PathItem>>,
    Vec<keys::KeyProblem>,
) {
    let mut webhooks = IndexMap::new();
    let mut problems = Vec::new();
    let Some(taken) = value
        .as_mapping_mut()
        .and_then(|map| map.remove("webhooks"))
    else {
        return (webhooks, problems);
    };
    if !from_3_1 {
        problems.push(keys::KeyProblem {
            pointer: "/webhooks".to_owned(),
            message: "`webhooks` is OpenAPI 3.1, and this file says OpenAPI 3.0".to_owned(),
            help: "document each webhook's payload as a component schema (see `specs/razorpay/webhooks.yaml`)".to_owned(),
        });
        return (webhooks, problems);
    }
    let serde_yaml::Value::Mapping(entries) = taken else {
        problems.push(keys::KeyProblem {
            pointer: "/webhooks".to_owned(),
            message: "`webhooks` must map each webhook's name to a path item".to_owned(),
            help: "write `webhooks: {<name>: {post: {requestBody: ...}}}`".to_owned(),
        });
        return (webhooks, problems);
    };
    for (name, item) in entries {
        let name = match name {
            serde_yaml::Value::String(name) => name,
            other => serde_yaml::to_string(&other)
                .unwrap_or_default()
                .trim()
                .to_owned(),
        };
        match serde_yaml::from_value::<ReferenceOr<PathItem>>(item) {
            Ok(item) => {
                webhooks.insert(name, item);
            }
            Err(e) => problems.push(keys::KeyProblem {
                pointer: format!("/webhooks/{}", crate::locate::escape(&name)),
                message: format!("the webhook does not read as a path item: {e}"),
                help: "give it an operation (`post`) with a `requestBody`, as a path's".to_owned(),
            }),
        }
    }
    (webhooks, problems)
}

/// Parses one file, with the problems its keys have (a typo, a keyword paygen
/// does not support), or says why it cannot be used at all.
fn parse(relative: &Path, text: &str) -> Result<(SpecFile, Vec<Diagnostic>), Diagnostic> {
    // Editors on Windows may start a file with a byte-order mark, which is not
    // part of the YAML.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(file_diagnostic(relative, 1, 1, "the file is empty".into()));
    }
    let mut value = read_yaml(relative, text)?;
    let version = value
        .get("openapi")
        .and_then(serde_yaml::Value::as_str)
        .map(str::to_owned);
    let converted = openapi31::is_3_1(&value).then(|| openapi31::to_3_0(&mut value));
    let converted_from_3_1 = converted.is_some();
    normalise(&mut value);
    let mut checked = keys::check(&value);
    if let Some(converted) = converted {
        // The import mode counts these as dropped; curated specs are 3.0.
        let version = version.unwrap_or_default();
        checked.documentation.push(keys::KeyProblem {
            pointer: "/openapi".to_owned(),
            message: format!("`openapi: {version}` is read as OpenAPI 3.0 by the import mode only"),
            help: "curated specs are OpenAPI 3.0.x: write `openapi: 3.0.3` and the 3.0 forms"
                .to_owned(),
        });
        for pointer in converted.dropped {
            let key = pointer.rsplit('/').next().unwrap_or_default().to_owned();
            checked.documentation.push(keys::KeyProblem {
                pointer,
                message: format!("`{key}` (OpenAPI 3.1) is not generated"),
                help: "document what it describes as schemas and operations of OpenAPI 3.0"
                    .to_owned(),
            });
        }
    }
    let mut value = value;
    let (webhooks, mut webhook_problems) = take_webhooks(&mut value, converted_from_3_1);
    // Refused (or, on import, dropped) by the key check, with their position;
    // the OpenAPI crate cannot parse a `$ref` inside one, which would fail
    // the whole file at the wrong line.
    strip_callbacks(&mut value);
    // From the parsed value, not the text again; a document that does not fit
    // is parsed from the text once more, for the error's position.
    let doc: OpenAPI = serde_yaml::from_value(value)
        .or_else(|_| serde_yaml::from_str(text))
        .map_err(|e: serde_yaml::Error| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let mut d = file_diagnostic(
                relative,
                line,
                column,
                format!("not a valid OpenAPI 3.0 document: {e}"),
            );
            d.help = Some(
            "check the spelling and nesting of the keys around this position against OpenAPI 3.0"
                .into(),
        );
            d
        })?;
    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    let mut file = SpecFile {
        path: relative.to_owned(),
        stem,
        doc,
        text: text.to_owned(),
        locations: OnceLock::new(),
        foreign_extensions: Vec::new(),
        documentation_only: Vec::new(),
        webhooks,
    };
    let problems = checked
        .problems
        .into_iter()
        .chain(webhook_problems.drain(..))
        .map(|p| file.diagnostic(&p.pointer, p.message, Some(p.help)))
        .collect();
    file.foreign_extensions = checked.foreign_extensions;
    file.documentation_only = checked
        .documentation
        .into_iter()
        .map(|p| file.diagnostic(&p.pointer, p.message, Some(p.help)))
        .collect();
    Ok((file, problems))
}

/// Reads every gateway folder under `root`, parsing every file on every
/// core: the gateways, and the problems of files that cannot be used (so
/// that the rest can still be checked).
pub fn load(root: &Path) -> Result<(Vec<GatewaySpecs>, Vec<Diagnostic>), Error> {
    let (gateways, mut diagnostics) = discover(root)?;
    parse_all(&gateways);
    diagnostics.extend(problems(&gateways)?);
    Ok((gateways, diagnostics))
}

/// Finds every gateway folder under `root` and its spec files, parsing
/// none: the gateways, and a diagnostic for each spec outside a folder and
/// each entry that cannot be read safely (a name with a control character,
/// a link out of `root`).
pub fn discover(root: &Path) -> Result<(Vec<GatewaySpecs>, Vec<Diagnostic>), Error> {
    let mut gateways = Vec::new();
    let mut diagnostics = Vec::new();
    let inside = root.canonicalize().map_err(|e| Error::io(root, e))?;
    for path in sorted_entries(root)? {
        let name = match admit(&inside, Path::new(""), &path) {
            Ok(name) => name,
            Err(d) => {
                diagnostics.push(*d);
                continue;
            }
        };
        if !path.is_dir() {
            if is_yaml(&path) {
                let mut d = file_diagnostic(
                    Path::new(&name),
                    1,
                    1,
                    "a spec must be in a gateway's folder".into(),
                );
                d.help = Some(format!("move it to `<gateway>/{name}`"));
                diagnostics.push(d);
            }
            continue;
        }
        let mut files = Vec::new();
        for file in sorted_entries(&path)? {
            if !is_yaml(&file) && !file.is_symlink() {
                continue;
            }
            match admit(&inside, Path::new(&name), &file) {
                Ok(file_name) if is_yaml(&file) => files.push(FileSlot {
                    relative: Path::new(&name).join(file_name),
                    path: file,
                    parsed: OnceLock::new(),
                }),
                Ok(_) => {}
                Err(d) => diagnostics.push(*d),
            }
        }
        gateways.push(GatewaySpecs { name, files });
    }
    Ok((gateways, diagnostics))
}

/// The name of the folder entry `path` (in `folder`, relative to the specs
/// folder), when paygen reads it: a name of printable UTF-8 (a control
/// character in a name would reach terminals and `cargo:` lines), and, for a
/// link, one that stays inside the specs folder (`inside`, canonical).
fn admit(inside: &Path, folder: &Path, path: &Path) -> Result<String, Box<Diagnostic>> {
    let raw = path.file_name().unwrap_or_default();
    let refuse = |message: String, help: &str| {
        let shown = format!("{:?}", raw.to_string_lossy());
        let mut d = file_diagnostic(&folder.join(shown), 1, 1, message);
        d.help = Some(help.to_owned());
        Box::new(d)
    };
    let Some(name) = raw.to_str() else {
        return Err(refuse(
            "the name is not UTF-8".into(),
            "rename it: paygen reads names of printable UTF-8 only",
        ));
    };
    if name.chars().any(char::is_control) {
        return Err(refuse(
            "the name holds a control character".into(),
            "rename it: paygen reads names of printable UTF-8 only",
        ));
    }
    if path.is_symlink() {
        let target = path.canonicalize();
        if !target.as_deref().is_ok_and(|t| t.starts_with(inside)) {
            return Err(refuse(
                "a link that leads out of the specs folder".into(),
                "copy the spec into the specs folder: paygen follows no link out of it",
            ));
        }
    }
    Ok(name.to_owned())
}

/// Every spec file `discover` reads below `root`, by its path to open: the
/// files a build script names to cargo as its inputs.
pub fn spec_paths(root: &Path) -> Vec<PathBuf> {
    let Ok((gateways, _)) = discover(root) else {
        return Vec::new();
    };
    gateways
        .iter()
        .flat_map(|g| g.files.iter().map(|f| f.path.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
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
}
