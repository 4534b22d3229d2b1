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
use crate::normalise::{normalise, strip_callbacks, take_webhooks};
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
#[path = "load_tests.rs"]
mod tests;
