//! The public surface of the generated code, one line per item, and which
//! differences between two surfaces break consumers: the semver check of
//! docs/versions.md, for spec edits.
//!
//! A surface is kept as a text file (`generated/api.txt`): a version line,
//! then `path<TAB>JSON` per item, sorted, so that a reviewer reads an API
//! change as a line diff. cargo-semver-checks does this for any crate but
//! needs a published baseline and a long build; this reads the generator's
//! own IR and knows which of its changes the generated code absorbs (an
//! added value of a `#[non_exhaustive]` enum, a loosened limit).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::ir::{Gateway, Literal, Range, Rules, TypeKind, TypeRef};

/// Where a workspace keeps its released surface, relative to its root.
pub const BASELINE: &str = "generated/api.txt";

/// One public item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum Item {
    /// A client method: its arguments' types and its response.
    Method {
        /// `request: CreateOrderRequest`, `params: CreateOrderParams`.
        args: Vec<String>,
        /// The success type and the error type.
        answer: String,
    },
    /// A generated type: `struct`, `enum` or `union`.
    Type {
        /// Which.
        shape: String,
        /// Whether it is sent (its limits bind callers).
        sent: bool,
        /// Its rules between fields (`x-rules`), when it is sent, each as
        /// `kind(field, other, equals, minimum)`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        rules: Vec<String>,
    },
    /// A field of a struct or a parameter struct.
    Field {
        /// Its Rust type (`Option<String>` when optional).
        ty: String,
        /// Whether `new` takes it.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        constructor: bool,
        /// Its limits, when its type is sent.
        #[serde(default, skip_serializing_if = "Limits::is_empty")]
        limits: Limits,
    },
    /// A value of an enum or a variant of a union.
    Variant {
        /// The variant's type, for unions.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ty: Option<String>,
    },
}

/// A field's limits, as bounds that compare.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Length in characters, then item or key counts: `(min, max)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<(Option<u64>, Option<u64>)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<(Option<u64>, Option<u64>)>,
    /// Numeric bounds as the spec wrote them: `[min, max]`, each with
    /// whether it is exclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<(String, bool)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<(String, bool)>,
    /// `multipleOf`, as the spec wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    /// Whether an empty string is refused.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub non_empty: bool,
    /// The limits of each item or map value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub each: Option<Box<Limits>>,
}

impl Limits {
    fn is_empty(&self) -> bool {
        *self == Limits::default()
    }

    fn of(rules: &Rules) -> Limits {
        let range = rules.range.clone().unwrap_or_default();
        let bound = |inclusive: Option<String>, exclusive: Option<String>| {
            inclusive
                .map(|v| (v, false))
                .or(exclusive.map(|v| (v, true)))
        };
        let Range {
            min,
            max,
            exclusive_min,
            exclusive_max,
            multiple_of,
        } = range;
        Limits {
            length: rules.length,
            count: rules.count,
            min: bound(min, exclusive_min),
            max: bound(max, exclusive_max),
            multiple_of,
            pattern: rules.pattern.clone(),
            one_of: rules.one_of.as_ref().map(|values| {
                values
                    .iter()
                    .map(|v| match v {
                        Literal::Str(s) => s.clone(),
                        Literal::Bool(b) => b.to_string(),
                        Literal::Int(i) => i.to_string(),
                    })
                    .collect()
            }),
            non_empty: rules.required,
            each: rules.each.as_ref().map(|each| Box::new(Limits::of(each))),
        }
    }

    /// How `new` is stricter than `self`: each a short phrase, empty when it
    /// accepts everything `self` did.
    fn tightened(&self, new: &Limits) -> Vec<String> {
        let mut found = Vec::new();
        for (what, old, new) in [
            ("length", self.length, new.length),
            ("count", self.count, new.count),
        ] {
            let (old_min, old_max) = old.unwrap_or_default();
            let (new_min, new_max) = new.unwrap_or_default();
            if new_min.unwrap_or(0) > old_min.unwrap_or(0) {
                found.push(format!("a larger minimum {what}"));
            }
            if new_max.unwrap_or(u64::MAX) < old_max.unwrap_or(u64::MAX) {
                found.push(format!("a smaller maximum {what}"));
            }
        }
        if stricter_bound(&self.min, &new.min, true) {
            found.push("a higher minimum".into());
        }
        if stricter_bound(&self.max, &new.max, false) {
            found.push("a lower maximum".into());
        }
        if new.multiple_of.is_some() && !divides(&new.multiple_of, &self.multiple_of) {
            found.push("a new step (`multipleOf`)".into());
        }
        if new.pattern.is_some() && new.pattern != self.pattern {
            found.push("a new pattern".into());
        }
        if let Some(allowed) = &new.one_of {
            let old = self.one_of.as_deref().unwrap_or_default();
            if self.one_of.is_none() || old.iter().any(|v| !allowed.contains(v)) {
                found.push("fewer allowed values".into());
            }
        }
        if new.non_empty && !self.non_empty {
            found.push("an empty value refused".into());
        }
        if let Some(each) = &new.each {
            let old = self.each.as_deref().cloned().unwrap_or_default();
            found.extend(
                old.tightened(each)
                    .into_iter()
                    .map(|t| format!("{t} for each item")),
            );
        }
        found
    }
}

/// Whether every multiple of `old` is a multiple of `new` (so `new` refuses
/// nothing `old` accepted): the same step, or a finer one that divides it
/// (0.02 to 0.01). The steps are compared as the spec wrote them; a float
/// ratio is exact enough to tell whether one step divides another.
fn divides(new: &Option<String>, old: &Option<String>) -> bool {
    let (Some(new), Some(old)) = (new, old) else {
        return false;
    };
    match (new.parse::<f64>(), old.parse::<f64>()) {
        (Ok(new), Ok(old)) if new > 0.0 => {
            let ratio = old / new;
            ratio >= 1.0 - 1e-9 && (ratio - ratio.round()).abs() < 1e-9
        }
        _ => new == old,
    }
}

/// Whether bound `new` refuses a value `old` accepted: a minimum that rose or
/// became exclusive, or a maximum that fell. The bounds are the literals
/// lowering wrote from openapiv3's `f64` bounds, so they compare as `f64`
/// exactly as they were read (no amount is computed with them).
fn stricter_bound(
    old: &Option<(String, bool)>,
    new: &Option<(String, bool)>,
    minimum: bool,
) -> bool {
    let Some((new_value, new_exclusive)) = new else {
        return false;
    };
    let Some((old_value, old_exclusive)) = old else {
        return true;
    };
    let (old_value, new_value) = match (old_value.parse::<f64>(), new_value.parse::<f64>()) {
        (Ok(o), Ok(n)) => (o, n),
        _ => return old_value != new_value,
    };
    let moved_in = if minimum {
        new_value > old_value
    } else {
        new_value < old_value
    };
    moved_in || (new_value == old_value && *new_exclusive && !old_exclusive)
}

/// The public items of the generated gateways, by path
/// (`razorpay::CreateOrderRequest.amount`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surface {
    /// The crate version this surface was released as.
    pub version: String,
    /// Each item by its path.
    pub items: BTreeMap<String, Item>,
}

impl Surface {
    /// The surface the gateways generate, labelled `version`.
    pub fn of(gateways: &[Gateway], version: &str) -> Surface {
        let mut items = BTreeMap::new();
        for gateway in gateways {
            let at = |name: &str| format!("{}::{name}", gateway.name);
            items.insert(
                at("Client::new"),
                Item::Method {
                    args: credentials(&gateway.auth),
                    answer: "Client".into(),
                },
            );
            for setting in &gateway.settings {
                items.insert(
                    at(&format!("Client::with_{}", setting.name)),
                    Item::Method {
                        args: vec![format!("{}: String", setting.name)],
                        answer: "Client".into(),
                    },
                );
            }
            for module in &gateway.modules {
                for def in &module.types {
                    add_type(&mut items, &at(&def.name), def);
                }
                for op in &module.operations {
                    let mut args = Vec::new();
                    if let Some(request) = &op.request {
                        if op.request_list {
                            args.push(format!("request: Vec<{request}>"));
                        } else {
                            args.push(format!("request: {request}"));
                        }
                    }
                    if let Some(params) = &op.params_type {
                        args.push(format!("params: {params}"));
                        for p in &op.params {
                            let ty = p.ty.spec_name();
                            let required =
                                p.required && p.default.is_none() && p.from_setting.is_none();
                            items.insert(
                                format!("{}.{}", at(params), p.rust),
                                Item::Field {
                                    ty: if required {
                                        ty
                                    } else {
                                        format!("Option<{ty}>")
                                    },
                                    constructor: required,
                                    limits: Limits::of(&p.rules),
                                },
                            );
                        }
                    }
                    if let Some(answers) = &op.error_answers {
                        add_error_answers(&mut items, &at(&answers.name), answers);
                    }
                    if let Some(pages) = &op.pages {
                        items.insert(
                            at(&format!(
                                "Client::{}_pages",
                                crate::naming::unraw(&op.method_name)
                            )),
                            Item::Method {
                                args: op
                                    .params_type
                                    .iter()
                                    .map(|p| format!("params: {p}"))
                                    .collect(),
                                answer: format!("Pages<{}>", pages.item.spec_name()),
                            },
                        );
                    }
                    let error = op.error_answers.as_ref().map_or(&op.error, |e| &e.name);
                    items.insert(
                        at(&format!("Client::{}", op.method_name)),
                        Item::Method {
                            args,
                            answer: format!("{}, {error}", op.response.spec_name()),
                        },
                    );
                }
            }
        }
        Surface {
            version: version.to_owned(),
            items,
        }
    }

    /// The file form: the version line, then one sorted line per item.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "# The public surface of paygen's generated gateways as released in {}: the\n\
             # baseline of tests/tests/versions.rs. Rewritten only with a version bump.\n\
             version\t{}\n",
            self.version, self.version
        );
        for (path, item) in &self.items {
            let json = serde_json::to_string(item).expect("items serialize");
            let _ = writeln!(text, "{path}\t{json}");
        }
        text
    }

    /// Reads the file form back; `Err` names the line that does not read.
    pub fn from_text(text: &str) -> Result<Surface, String> {
        let mut surface = Surface::default();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (path, rest) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: no tab after the path", n + 1))?;
            if path == "version" {
                surface.version = rest.to_owned();
                continue;
            }
            let item = serde_json::from_str(rest).map_err(|e| format!("line {}: {e}", n + 1))?;
            surface.items.insert(path.to_owned(), item);
        }
        Ok(surface)
    }

    /// What in `new` breaks a consumer of `self`, one sentence each, in path
    /// order: removed or changed items, a constructor that takes more, limits
    /// that refuse what was accepted. Added items, added enum values and
    /// loosened limits are not breaking.
    pub fn breaking_changes(&self, new: &Surface) -> Vec<String> {
        let mut found = Vec::new();
        for (path, old) in &self.items {
            let Some(now) = new.items.get(path) else {
                found.push(format!("{path}: removed"));
                continue;
            };
            found.extend(
                changed(old, now)
                    .into_iter()
                    .map(|why| format!("{path}: {why}")),
            );
        }
        for (path, now) in &new.items {
            let owner = path.rsplit_once('.').map(|(owner, _)| owner);
            let owner_existed = owner.is_some_and(|o| self.items.contains_key(o));
            if let Item::Field {
                constructor: true, ..
            } = now
            {
                if owner_existed && !self.items.contains_key(path) {
                    found.push(format!("{path}: a new argument of `new`"));
                }
            }
        }
        found
    }
}

/// The credentials `Client::new` takes, after the environment.
fn credentials(auth: &crate::ir::Auth) -> Vec<String> {
    let mut args = vec!["environment: Environment".to_owned()];
    args.extend(auth.credentials().into_iter().map(|c| c.arg.clone()));
    args
}

/// Why `now` breaks what `old` promised, if it does.
fn changed(old: &Item, now: &Item) -> Vec<String> {
    match (old, now) {
        (
            Item::Field {
                ty,
                constructor,
                limits,
            },
            Item::Field {
                ty: new_ty,
                constructor: new_constructor,
                limits: new_limits,
            },
        ) => {
            let mut why = Vec::new();
            if ty != new_ty {
                why.push(format!("type {ty} became {new_ty}"));
            } else if constructor != new_constructor {
                why.push("`new` takes it differently".into());
            }
            why.extend(
                limits
                    .tightened(new_limits)
                    .into_iter()
                    .map(|t| format!("limit: {t}")),
            );
            why
        }
        _ if old == now => Vec::new(),
        (
            Item::Type { shape, rules, .. },
            Item::Type {
                shape: new_shape,
                rules: new_rules,
                ..
            },
        ) if shape == new_shape => {
            // Which side sends it changed (no Rust code changes), or its
            // rules: each new one refuses what the type accepted.
            new_rules
                .iter()
                .filter(|r| !rules.contains(r))
                .map(|r| format!("a new rule between fields: {r}"))
                .collect()
        }
        _ => vec![format!(
            "{} became {}",
            serde_json::to_string(old).unwrap_or_default(),
            serde_json::to_string(now).unwrap_or_default()
        )],
    }
}

/// An operation's error enum (one variant per documented status) and its variants.
fn add_error_answers(
    items: &mut BTreeMap<String, Item>,
    path: &str,
    answers: &crate::ir::StatusAnswers,
) {
    for variant in &answers.variants {
        items.insert(
            format!("{path}::{}", variant.rust),
            Item::Variant {
                ty: variant.body.clone(),
            },
        );
    }
    items.insert(
        path.to_owned(),
        Item::Type {
            shape: "enum".into(),
            sent: false,
            rules: Vec::new(),
        },
    );
}

fn add_type(items: &mut BTreeMap<String, Item>, path: &str, def: &crate::ir::TypeDef) {
    let sent = def.body.is_some() || !def.received;
    let shape = match &def.kind {
        TypeKind::Struct { fields, .. } => {
            for f in fields {
                let ty = f.ty.spec_name();
                let plain_bool = f.ty == TypeRef::Bool;
                items.insert(
                    format!("{path}.{}", f.rust),
                    Item::Field {
                        ty: if f.required {
                            ty
                        } else {
                            format!("Option<{ty}>")
                        },
                        constructor: f.required && !f.fixed && !plain_bool,
                        limits: if sent {
                            Limits::of(&f.rules)
                        } else {
                            Limits::default()
                        },
                    },
                );
            }
            "struct"
        }
        TypeKind::Enum { values, .. } => {
            for v in values {
                items.insert(format!("{path}::{}", v.rust), Item::Variant { ty: None });
            }
            "enum"
        }
        TypeKind::OneOf { variants, .. } => {
            for v in variants {
                items.insert(
                    format!("{path}::{}", v.rust),
                    Item::Variant {
                        ty: Some(v.ty.spec_name()),
                    },
                );
            }
            "union"
        }
    };
    let rules = match &def.kind {
        TypeKind::Struct { rules, any_of, .. } if sent => rules
            .iter()
            .map(|r| {
                let mut text = format!("{}({}, {}", r.kind.as_str(), r.field, r.other);
                if let Some(equals) = &r.equals {
                    let equals = match equals {
                        Literal::Str(s) => format!("{s:?}"),
                        Literal::Bool(b) => b.to_string(),
                        Literal::Int(i) => i.to_string(),
                    };
                    text.push_str(&format!(", {equals}"));
                }
                if let Some(minimum) = &r.minimum {
                    text.push_str(&format!(", {minimum}"));
                }
                text.push(')');
                text
            })
            .chain(
                any_of
                    .iter()
                    .map(|group| format!("any_of({})", group.join(", "))),
            )
            .collect(),
        _ => Vec::new(),
    };
    items.insert(
        path.to_owned(),
        Item::Type {
            shape: shape.to_owned(),
            sent,
            rules,
        },
    );
}

#[cfg(test)]
#[path = "surface_tests.rs"]
mod tests;
