//! Reads the specs folder: one folder per gateway, one OpenAPI 3.0 YAML file
//! per documented page, each parsed with its map of positions.

use std::fs;
use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;

use crate::error::{Diagnostic, Error};
use crate::keys;
use crate::locate::Locations;

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
    locations: std::sync::OnceLock<Locations>,
    /// Pointers of other tools' `x-` keys, accepted without effect.
    pub foreign_extensions: Vec<String>,
    /// Keys that only document (`tags`, `externalDocs`), as diagnostics:
    /// errors in curated specs, dropped by the lenient import mode.
    pub documentation_only: Vec<Diagnostic>,
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

/// The spec files of one gateway, in file-name order.
pub struct GatewaySpecs {
    /// The folder name (`razorpay`), which names the gateway's module and feature.
    pub name: String,
    /// The parsed files; files that failed to parse are reported, not listed.
    pub files: Vec<SpecFile>,
    /// Names of files that failed to parse, so `$ref`s into them are not
    /// reported a second time.
    pub failed: Vec<String>,
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

/// The file as YAML, or where its syntax breaks, in yaml-rust2's words, and
/// whether it declares OpenAPI 3.0.
fn read_yaml(relative: &Path, text: &str) -> Result<serde_yaml::Value, Diagnostic> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        // yaml-rust2 words syntax errors for people; serde_yaml's are terse.
        let (message, line, column) = match Locations::read(text) {
            Err(syntax) => syntax,
            Ok(_) => {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                (e.to_string(), line, column)
            }
        };
        let mut d = file_diagnostic(relative, line, column, format!("YAML syntax: {message}"));
        d.help = Some("fix the YAML syntax at this position".into());
        d
    })?;
    let version = value.get("openapi").and_then(serde_yaml::Value::as_str);
    match version {
        Some(v) if v.starts_with("3.0") => {}
        Some(v) => {
            let (line, column) = Locations::read(text).unwrap_or_default().find("/openapi");
            return Err(file_diagnostic(
                relative,
                line,
                column,
                format!("OpenAPI `{v}` is not supported; paygen reads OpenAPI 3.0.x"),
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
    let value = read_yaml(relative, text)?;
    let checked = keys::check(&value);
    let mut value = value;
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
        locations: std::sync::OnceLock::new(),
        foreign_extensions: Vec::new(),
        documentation_only: Vec::new(),
    };
    let problems = checked
        .problems
        .into_iter()
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

/// Reads every gateway folder under `root`. Files that cannot be parsed are
/// returned as diagnostics so that the rest can still be checked. Files are
/// parsed in parallel, and kept in file-name order.
pub fn load(root: &Path) -> Result<(Vec<GatewaySpecs>, Vec<Diagnostic>), Error> {
    let mut gateways = Vec::new();
    let mut diagnostics = Vec::new();
    // Every spec file, as (its gateway's index, its path relative to `root`, its path).
    let mut found: Vec<(usize, PathBuf, PathBuf)> = Vec::new();
    for path in sorted_entries(root)? {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
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
        for file in sorted_entries(&path)?.into_iter().filter(|f| is_yaml(f)) {
            let relative = Path::new(&name).join(file.file_name().unwrap_or_default());
            found.push((gateways.len(), relative, file));
        }
        gateways.push(GatewaySpecs {
            name,
            files: Vec::new(),
            failed: Vec::new(),
        });
    }
    let parsed = crate::parallel::map(&found, |(_, relative, file)| {
        let text = fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
        Ok(parse(relative, &text))
    });
    for ((gateway, relative, _), parsed) in found.iter().zip(parsed) {
        let gateway = &mut gateways[*gateway];
        match parsed? {
            Ok((spec, problems)) => {
                diagnostics.extend(problems);
                gateway.files.push(spec);
            }
            Err(d) => {
                diagnostics.push(d);
                gateway.failed.push(
                    relative
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    Ok((gateways, diagnostics))
}
