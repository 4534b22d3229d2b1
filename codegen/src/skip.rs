//! The lenient import mode: which operations and components a run leaves
//! out because something in them is unsupported, each with the diagnostic
//! that says why.
//!
//! A published OpenAPI file is imported by generating every operation that
//! can be generated. A diagnostic inside an operation skips that operation;
//! one inside a component skips the component, and then every operation that
//! refers to it (which the next lowering reports at the reference). What is
//! left over (a gateway's servers, its security, a file that does not parse)
//! still fails the run: those belong to every operation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::locate::unescape;

/// What a run skipped: each operation (`/paths/<path>/<method>`), path item
/// (`/paths/<path>`, for a problem in its shared parameters), webhook
/// (`/webhooks/<name>`) or component (`/components/<kind>/<name>`), by file,
/// with every problem found in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skips(BTreeMap<(PathBuf, String), Vec<Diagnostic>>);

/// One skipped operation or component, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// What was left out (`operation POST /orders`, `schema Order`).
    pub what: String,
    /// The first problem found in it, located.
    pub reason: Diagnostic,
    /// How many more problems it has.
    pub more: usize,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut reason = self.reason.clone();
        reason.message = format!("skipped {}: {}", self.what, reason.message);
        write!(f, "{reason}")?;
        if self.more > 0 {
            write!(
                f,
                "\n  and {} more problem{} in it",
                self.more,
                if self.more == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}

impl Skips {
    /// Whether the item at `pointer` (an operation, path item or component)
    /// of `file` is skipped; an operation also is when its path item is.
    pub fn contains(&self, file: &Path, pointer: &str) -> bool {
        let key = |p: &str| (file.to_owned(), p.to_owned());
        self.0.contains_key(&key(pointer))
            || unit(pointer)
                .and_then(|u| u.path_item)
                .is_some_and(|item| self.0.contains_key(&key(item)))
    }

    /// Why the item at `pointer` of `file` was skipped.
    pub fn reason(&self, file: &Path, pointer: &str) -> Option<&Diagnostic> {
        self.0
            .get(&(file.to_owned(), pointer.to_owned()))
            .and_then(|d| d.first())
    }

    /// Takes in a run's diagnostics: each one inside an operation or a
    /// component skips it. Gives the diagnostics that belong to no such
    /// item (these fail the run), and whether anything new was skipped.
    pub fn absorb(&mut self, diagnostics: Vec<Diagnostic>) -> (Vec<Diagnostic>, bool) {
        let mut left = Vec::new();
        let mut grew = false;
        for d in diagnostics {
            let Some(unit) = unit(&d.pointer) else {
                left.push(d);
                continue;
            };
            // Inside a skipped path item, a problem belongs to the path item.
            let pointer = match unit.path_item {
                Some(item) if self.0.contains_key(&(d.file.clone(), item.to_owned())) => item,
                _ => unit.pointer,
            };
            let key = (d.file.clone(), pointer.to_owned());
            if self.0.contains_key(&key) {
                // Found again in a later run: keep each problem once.
                let found = self.0.entry(key).or_default();
                if !found.contains(&d) {
                    found.push(d);
                }
                continue;
            }
            grew = true;
            self.0.insert(key, vec![d]);
        }
        (left, grew)
    }

    /// Every skipped item, in file and position order.
    pub fn report(&self) -> Vec<Skipped> {
        let mut out: Vec<Skipped> = self
            .0
            .iter()
            .map(|((_, pointer), found)| {
                let mut found = found.clone();
                found.sort();
                Skipped {
                    what: describe(pointer),
                    reason: found[0].clone(),
                    more: found.len() - 1,
                }
            })
            .collect();
        out.sort_by(|a, b| a.reason.cmp(&b.reason));
        out
    }

    /// True when nothing was skipped.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The operation, path item or component a pointer is inside.
struct Unit<'p> {
    pointer: &'p str,
    /// For an operation, its path item.
    path_item: Option<&'p str>,
}

/// The limits a schema states that a published file can get wrong on its
/// own (`minLength` above `maxLength`, a pattern no engine reads): a problem
/// in one skips that limit alone, and the value is still sent and read.
pub const LIMITS: [&str; 9] = [
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn unit(pointer: &str) -> Option<Unit<'_>> {
    // The end of the first `n` segments after the leading `/`.
    let prefix = |n: usize| -> &str {
        let mut end = 0;
        for _ in 0..n {
            match pointer[end + 1..].find('/') {
                Some(i) => end += 1 + i,
                None => return pointer,
            }
        }
        &pointer[..end]
    };
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    // A limit inside an operation or a component is the smallest thing that
    // holds a problem in it.
    if let (Some(last), ["paths" | "components" | "webhooks", _, _, ..]) =
        (segments.last(), segments.as_slice())
    {
        if segments.len() > 3 && LIMITS.contains(last) {
            return Some(Unit {
                pointer,
                path_item: None,
            });
        }
    }
    match segments.as_slice() {
        ["paths", _, method, ..] if METHODS.contains(method) => Some(Unit {
            pointer: prefix(3),
            path_item: Some(prefix(2)),
        }),
        ["paths", _, "parameters", ..] => Some(Unit {
            pointer: prefix(2),
            path_item: None,
        }),
        // A webhook (OpenAPI 3.1) is one unit, whatever its method.
        ["webhooks", _, ..] => Some(Unit {
            pointer: prefix(2),
            path_item: None,
        }),
        // A security scheme too: one that every call sends is named where
        // the gateway's requirement is read, which fails the run.
        ["components", _, _, ..] => Some(Unit {
            pointer: prefix(3),
            path_item: None,
        }),
        _ => None,
    }
}

/// `operation POST /orders`, `schema Order`, `parameters of /orders/{id}`,
/// ``limit `pattern` at #/components/schemas/Order/properties/id``.
fn describe(pointer: &str) -> String {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    if let Some(limit) = segments
        .last()
        .filter(|l| segments.len() > 3 && LIMITS.contains(l))
    {
        let at = &pointer[..pointer.len() - limit.len() - 1];
        return format!("limit `{limit}` at #{at}");
    }
    match segments.as_slice() {
        ["paths", path, method] => {
            format!("operation {} {}", method.to_uppercase(), unescape(path))
        }
        ["paths", path] => format!("every operation of {}", unescape(path)),
        ["webhooks", name] => format!("webhook {}", unescape(name)),
        ["components", kind, name] => {
            let kind = match *kind {
                "schemas" => "schema",
                "parameters" => "parameter",
                "requestBodies" => "request body",
                "responses" => "response",
                "securitySchemes" => "security scheme",
                other => other,
            };
            format!("{kind} {}", unescape(name))
        }
        _ => pointer.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: &str, pointer: &str) -> Diagnostic {
        Diagnostic {
            file: file.into(),
            line: 1,
            column: 1,
            pointer: pointer.into(),
            message: "unsupported".into(),
            help: None,
        }
    }

    #[test]
    fn a_problem_in_a_limit_skips_the_limit_alone() {
        let mut skips = Skips::default();
        let limit = "/components/schemas/Payee/properties/id/minLength";
        let (left, grew) = skips.absorb(vec![at("g/a.yaml", limit)]);
        assert!(left.is_empty() && grew);
        assert!(skips.contains(Path::new("g/a.yaml"), limit));
        assert!(!skips.contains(Path::new("g/a.yaml"), "/components/schemas/Payee"));
        assert_eq!(
            skips.report()[0].what,
            "limit `minLength` at #/components/schemas/Payee/properties/id"
        );
        // A component named like a limit is still the component.
        let (_, _) = skips.absorb(vec![at("g/a.yaml", "/components/schemas/pattern")]);
        assert!(skips.contains(Path::new("g/a.yaml"), "/components/schemas/pattern"));
    }

    #[test]
    fn problems_skip_the_operation_or_component_they_are_in() {
        let mut skips = Skips::default();
        let (left, grew) = skips.absorb(vec![
            at("g/a.yaml", "/paths/~1orders/post/requestBody/content"),
            at("g/a.yaml", "/paths/~1orders/post/responses/400"),
            at("g/a.yaml", "/paths/~1orders~1{id}/parameters/0"),
            at("g/a.yaml", "/components/schemas/Order/properties/x"),
            at("g/a.yaml", "/servers/0"),
            // Skipped; the gateway's requirement reports it if every call sends it.
            at(
                "g/a.yaml",
                "/components/securitySchemes/Bearer/bearerFormat",
            ),
        ]);
        assert!(grew);
        assert_eq!(
            left.iter().map(|d| d.pointer.as_str()).collect::<Vec<_>>(),
            ["/servers/0"]
        );
        assert!(skips.contains(Path::new("g/a.yaml"), "/components/securitySchemes/Bearer"));
        let a = Path::new("g/a.yaml");
        assert!(skips.contains(a, "/paths/~1orders/post"));
        assert!(!skips.contains(a, "/paths/~1orders/get"));
        assert!(!skips.contains(Path::new("g/b.yaml"), "/paths/~1orders/post"));
        // The path item's parameters skip each of its operations.
        assert!(skips.contains(a, "/paths/~1orders~1{id}/get"));
        assert!(skips.contains(a, "/components/schemas/Order"));
        let report: Vec<String> = skips
            .report()
            .iter()
            .map(|s| format!("{} +{}", s.what, s.more))
            .collect();
        assert_eq!(
            report,
            [
                "schema Order +0",
                "security scheme Bearer +0",
                "operation POST /orders +1",
                "every operation of /orders/{id} +0",
            ]
        );
        // A problem in an operation of a skipped path item belongs to the path item.
        let (_, grew) = skips.absorb(vec![at("g/a.yaml", "/paths/~1orders~1{id}/get/responses")]);
        assert!(!grew);
        assert_eq!(skips.report()[3].more, 1);
        // The same problems again skip nothing new.
        let (left, grew) = skips.absorb(vec![at(
            "g/a.yaml",
            "/components/schemas/Order/properties/x",
        )]);
        assert!(left.is_empty() && !grew);
    }

    #[test]
    fn a_problem_in_a_webhook_skips_that_webhook() {
        let mut skips = Skips::default();
        let (left, _) = skips.absorb(vec![at(
            "g/a.yaml",
            "/webhooks/dispute.created/post/requestBody/content",
        )]);
        assert!(left.is_empty());
        let a = Path::new("g/a.yaml");
        assert!(skips.contains(a, "/webhooks/dispute.created"));
        assert!(!skips.contains(a, "/webhooks/dispute.updated"));
        assert_eq!(skips.report()[0].what, "webhook dispute.created");
    }
}
