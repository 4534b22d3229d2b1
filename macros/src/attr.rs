//! Parses `#[paygen(...)]` and the serde naming attributes into a raw model,
//! recording every syntax problem and carrying on past it.

mod serde_attrs;
use serde_attrs::serde_name;
pub use serde_attrs::{serde_flag, serde_rename};

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, ExprUnary, Lit, LitInt, LitStr, Token, UnOp};

use crate::errors::Errors;

/// The container keys, for "expected one of" messages.
pub const CONTAINER_KEYS: &str =
    "`body`, `required_if`, `only_if`, `not_less_than`, `minimum_when`, `any_of`";
/// The field keys, for "expected one of" messages.
pub const FIELD_KEYS: &str = "`required`, `length`, `range`, `one_of`, `pattern`, `count`, \
                              `each`, `nested`, `json_in_form`, `idempotency_key`, `path_segment`, `rename`";
/// The keys allowed inside `each(...)`.
pub const EACH_KEYS: &str = "`length`, `range`, `one_of`, `pattern`, `count`, `nested`";

/// A value with the span it was written at.
#[derive(Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// `#[paygen(...)]` on the struct, plus serde's `rename_all`.
#[derive(Default)]
pub struct RawContainer {
    pub body: Option<Spanned<String>>,
    pub rules: Vec<RawCrossRule>,
    /// `any_of("a", "b")`: at least one of these fields is present.
    pub any_of: Vec<Vec<LitStr>>,
    pub rename_all: Option<Spanned<String>>,
}

/// Which rule between fields.
pub use paygen_model::CrossKind;

/// A rule between fields, with dotted paths of Rust field names.
pub struct RawCrossRule {
    pub kind: CrossKind,
    pub span: Span,
    pub field: Option<LitStr>,
    /// `when` for `required_if`/`only_if`/`minimum_when`, `other` for `not_less_than`.
    pub other: Option<LitStr>,
    pub equals: Option<Spanned<String>>,
    /// `minimum` for `minimum_when`, as written (`"100"`, `"1.00"`).
    pub minimum: Option<LitStr>,
}

/// One numeric bound as written, with its value for comparisons.
#[derive(Clone)]
pub struct Bound {
    pub expr: Expr,
    pub value: f64,
}

#[derive(Default, Clone)]
pub struct RawLength {
    pub span: Option<Span>,
    /// Whether any setting was written, known or not.
    pub any_setting: bool,
    pub min: Option<Spanned<usize>>,
    pub max: Option<Spanned<usize>>,
    pub equal: Option<Spanned<usize>>,
}

#[derive(Default, Clone)]
pub struct RawRange {
    pub span: Option<Span>,
    /// Whether any setting was written, known or not.
    pub any_setting: bool,
    pub min: Option<Bound>,
    pub max: Option<Bound>,
    pub exclusive_min: Option<Bound>,
    pub exclusive_max: Option<Bound>,
    pub multiple_of: Option<Bound>,
}

#[derive(Default, Clone)]
pub struct RawCount {
    pub span: Option<Span>,
    /// Whether any setting was written, known or not.
    pub any_setting: bool,
    pub min: Option<Spanned<usize>>,
    pub max: Option<Spanned<usize>>,
}

/// The rules on one field (or, for `each`, on each item).
#[derive(Default, Clone)]
pub struct RawRules {
    pub required: Option<Span>,
    pub length: Option<RawLength>,
    pub range: Option<RawRange>,
    pub one_of: Option<Spanned<Vec<String>>>,
    pub pattern: Option<LitStr>,
    pub count: Option<RawCount>,
    pub nested: Option<Span>,
    pub json_in_form: Option<Span>,
    /// The gateway's idempotency key, carried in the body.
    pub idempotency_key: Option<Span>,
    pub path_segment: Option<Span>,
    /// `rename = "..."`: the wire name, for types without serde attributes.
    pub rename: Option<LitStr>,
    pub each: Option<Box<RawRules>>,
    pub each_span: Option<Span>,
}

/// Everything said about one field.
pub struct RawField {
    pub rules: RawRules,
    /// `#[paygen(rename)]`, or serde's `rename` (or `rename(serialize = ...)`).
    pub rename: Option<String>,
    /// serde's `flatten`: the field's members sit beside the struct's own,
    /// and so do their violations' paths.
    pub flatten: bool,
}

fn expected_one_of(meta: &ParseNestedMeta, keys: &str) -> String {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| {
            let path = &meta.path;
            quote::quote!(#path).to_string()
        });
    format!("unknown paygen attribute `{key}`, expected one of {keys}")
}

/// Consumes whatever follows a key we reject (`= value` or `(...)`), so
/// parsing can go on to the next key.
pub(crate) fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// `rule()` with nothing inside: consumes it, so `check` can say what the
/// rule needs instead of syn's generic "unexpected end of input".
fn empty_parens(meta: &ParseNestedMeta) -> syn::Result<bool> {
    let fork = meta.input.fork();
    match fork.parse::<proc_macro2::Group>() {
        Ok(group) if group.stream().is_empty() => {
            meta.input.parse::<proc_macro2::Group>()?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

fn duplicate(errors: &mut Errors, meta: &ParseNestedMeta, what: &str) {
    errors.at(
        &meta.path,
        format!("duplicate `{what}`; give it once, with all its settings"),
    );
}

fn parse_usize(meta: &ParseNestedMeta) -> syn::Result<Spanned<usize>> {
    let lit: LitInt = meta.value()?.parse()?;
    Ok(Spanned {
        value: lit.base10_parse()?,
        span: lit.span(),
    })
}

fn set_once<T>(slot: &mut Option<T>, value: T, errors: &mut Errors, meta: &ParseNestedMeta) {
    if slot.is_some() {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        duplicate(errors, meta, &key);
    } else {
        *slot = Some(value);
    }
}

/// A numeric literal, possibly negative.
fn parse_bound(meta: &ParseNestedMeta) -> syn::Result<Bound> {
    let expr: Expr = meta.value()?.parse()?;
    let value = literal_number(&expr).ok_or_else(|| {
        syn::Error::new_spanned(&expr, "expected a number literal, such as `12` or `-1.5`")
    })?;
    Ok(Bound { expr, value })
}

/// The digits of a number literal, with its sign (`-1.5`).
pub fn literal_digits(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => Some(i.base10_digits().to_owned()),
        Expr::Lit(ExprLit {
            lit: Lit::Float(f), ..
        }) => Some(f.base10_digits().to_owned()),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => literal_digits(expr).map(|d| format!("-{d}")),
        _ => None,
    }
}

fn literal_number(expr: &Expr) -> Option<f64> {
    literal_digits(expr)?.parse().ok()
}

/// The wire text of a literal in `one_of(...)` or `equals = ...`.
fn literal_text(lit: &Lit) -> syn::Result<String> {
    match lit {
        Lit::Str(s) => Ok(s.value()),
        Lit::Int(i) => Ok(i.base10_digits().to_owned()),
        Lit::Bool(b) => Ok(b.value.to_string()),
        other => Err(syn::Error::new_spanned(
            other,
            "expected a string, integer or boolean literal",
        )),
    }
}

fn parse_length(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<RawLength> {
    let mut length = RawLength {
        span: Some(
            meta.path
                .get_ident()
                .map_or_else(Span::call_site, |i| i.span()),
        ),
        ..RawLength::default()
    };
    if empty_parens(meta)? {
        return Ok(length);
    }
    meta.parse_nested_meta(|inner| {
        length.any_setting = true;
        let key = inner.path.get_ident().map(ToString::to_string);
        match key.as_deref() {
            Some("min") => set_once(&mut length.min, parse_usize(&inner)?, errors, &inner),
            Some("max") => set_once(&mut length.max, parse_usize(&inner)?, errors, &inner),
            Some("equal") => set_once(&mut length.equal, parse_usize(&inner)?, errors, &inner),
            _ => {
                errors.at(
                    &inner.path,
                    "unknown `length` setting, expected one of `min`, `max`, `equal`",
                );
                skip_value(&inner)?;
            }
        }
        Ok(())
    })?;
    Ok(length)
}

fn parse_range(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<RawRange> {
    let mut range = RawRange {
        span: meta.path.get_ident().map(|i| i.span()),
        ..RawRange::default()
    };
    if empty_parens(meta)? {
        return Ok(range);
    }
    meta.parse_nested_meta(|inner| {
        range.any_setting = true;
        let key = inner.path.get_ident().map(ToString::to_string);
        match key.as_deref() {
            Some("min") => set_once(&mut range.min, parse_bound(&inner)?, errors, &inner),
            Some("max") => set_once(&mut range.max, parse_bound(&inner)?, errors, &inner),
            Some("exclusive_min") => set_once(
                &mut range.exclusive_min,
                parse_bound(&inner)?,
                errors,
                &inner,
            ),
            Some("exclusive_max") => set_once(
                &mut range.exclusive_max,
                parse_bound(&inner)?,
                errors,
                &inner,
            ),
            Some("multiple_of") => {
                set_once(&mut range.multiple_of, parse_bound(&inner)?, errors, &inner)
            }
            _ => {
                errors.at(
                    &inner.path,
                    "unknown `range` setting, expected one of `min`, `max`, `exclusive_min`, \
                     `exclusive_max`, `multiple_of`",
                );
                skip_value(&inner)?;
            }
        }
        Ok(())
    })?;
    Ok(range)
}

fn parse_count(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<RawCount> {
    let mut count = RawCount {
        span: meta.path.get_ident().map(|i| i.span()),
        ..RawCount::default()
    };
    if empty_parens(meta)? {
        return Ok(count);
    }
    meta.parse_nested_meta(|inner| {
        count.any_setting = true;
        let key = inner.path.get_ident().map(ToString::to_string);
        match key.as_deref() {
            Some("min") => set_once(&mut count.min, parse_usize(&inner)?, errors, &inner),
            Some("max") => set_once(&mut count.max, parse_usize(&inner)?, errors, &inner),
            _ => {
                errors.at(
                    &inner.path,
                    "unknown `count` setting, expected one of `min`, `max`",
                );
                skip_value(&inner)?;
            }
        }
        Ok(())
    })?;
    Ok(count)
}

fn parse_one_of(meta: &ParseNestedMeta) -> syn::Result<Spanned<Vec<String>>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let lits = Punctuated::<Lit, Token![,]>::parse_terminated(&content)?;
    let values = lits.iter().map(literal_text).collect::<syn::Result<_>>()?;
    Ok(Spanned {
        value: values,
        span: meta
            .path
            .get_ident()
            .map_or_else(Span::call_site, |i| i.span()),
    })
}

/// Parses one field rule key into `rules`; `in_each` limits the keys to those
/// that make sense per item.
fn parse_rule(
    meta: &ParseNestedMeta,
    rules: &mut RawRules,
    in_each: bool,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key = meta.path.get_ident().map(ToString::to_string);
    let span = meta
        .path
        .get_ident()
        .map_or_else(Span::call_site, |i| i.span());
    match key.as_deref() {
        Some("required") if !in_each => set_once(&mut rules.required, span, errors, meta),
        Some("nested") => set_once(&mut rules.nested, span, errors, meta),
        Some("json_in_form") if !in_each => set_once(&mut rules.json_in_form, span, errors, meta),
        Some("idempotency_key") if !in_each => {
            set_once(&mut rules.idempotency_key, span, errors, meta)
        }
        Some("path_segment") if !in_each => set_once(&mut rules.path_segment, span, errors, meta),
        Some("rename") if !in_each => {
            let lit: LitStr = meta.value()?.parse()?;
            set_once(&mut rules.rename, lit, errors, meta);
        }
        Some("length") => {
            let length = parse_length(meta, errors)?;
            set_once(&mut rules.length, length, errors, meta);
        }
        Some("range") => {
            let range = parse_range(meta, errors)?;
            set_once(&mut rules.range, range, errors, meta);
        }
        Some("count") => {
            let count = parse_count(meta, errors)?;
            set_once(&mut rules.count, count, errors, meta);
        }
        Some("one_of") => {
            let one_of = parse_one_of(meta)?;
            set_once(&mut rules.one_of, one_of, errors, meta);
        }
        Some("pattern") => {
            let lit: LitStr = meta.value()?.parse()?;
            set_once(&mut rules.pattern, lit, errors, meta);
        }
        Some("each") if !in_each => {
            let mut each = RawRules::default();
            meta.parse_nested_meta(|inner| parse_rule(&inner, &mut each, true, errors))?;
            if rules.each.is_some() {
                duplicate(errors, meta, "each");
            } else {
                rules.each = Some(Box::new(each));
                rules.each_span = Some(span);
            }
        }
        _ => {
            let keys = if in_each { EACH_KEYS } else { FIELD_KEYS };
            errors.at(&meta.path, expected_one_of(meta, keys));
            skip_value(meta)?;
        }
    }
    Ok(())
}

/// Reads the field's `#[paygen(...)]` rules and serde `rename`.
pub fn parse_field(attrs: &[Attribute], errors: &mut Errors) -> RawField {
    let mut rules = RawRules::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("paygen")) {
        if let Err(e) = attr.parse_nested_meta(|meta| parse_rule(&meta, &mut rules, false, errors))
        {
            errors.push(e);
        }
    }
    let serde_rename = serde_name(attrs, "rename");
    let rename = match rules.rename.take() {
        Some(lit) if serde_rename.is_some() => {
            errors.at(
                &lit,
                "the field is renamed twice: give the wire name in `#[serde(rename)]` or in `#[paygen(rename)]`, not both",
            );
            serde_rename
        }
        Some(lit) => Some(lit.value()),
        None => serde_rename,
    };
    RawField {
        rules,
        rename,
        flatten: serde_flag(attrs, "flatten"),
    }
}

fn parse_cross(
    meta: &ParseNestedMeta,
    kind: CrossKind,
    errors: &mut Errors,
) -> syn::Result<RawCrossRule> {
    let mut rule = RawCrossRule {
        kind,
        span: meta
            .path
            .get_ident()
            .map_or_else(Span::call_site, |i| i.span()),
        field: None,
        other: None,
        equals: None,
        minimum: None,
    };
    let other_key = if kind == CrossKind::NotLessThan {
        "other"
    } else {
        "when"
    };
    meta.parse_nested_meta(|inner| {
        let key = inner.path.get_ident().map(ToString::to_string);
        match key.as_deref() {
            Some("field") => {
                let lit: LitStr = inner.value()?.parse()?;
                set_once(&mut rule.field, lit, errors, &inner);
            }
            Some(k) if k == other_key => {
                let lit: LitStr = inner.value()?.parse()?;
                set_once(&mut rule.other, lit, errors, &inner);
            }
            Some("minimum") if kind == CrossKind::MinimumWhen => {
                let lit: LitStr = inner.value()?.parse()?;
                set_once(&mut rule.minimum, lit, errors, &inner);
            }
            Some("equals") if kind != CrossKind::NotLessThan => {
                let lit: Lit = inner.value()?.parse()?;
                let value = Spanned {
                    value: literal_text(&lit)?,
                    span: lit.span(),
                };
                set_once(&mut rule.equals, value, errors, &inner);
            }
            _ => {
                let expected = match kind {
                    CrossKind::NotLessThan => "`field`, `other`",
                    CrossKind::MinimumWhen => "`field`, `when`, `equals`, `minimum`",
                    _ => "`field`, `when`, `equals`",
                };
                errors.at(
                    &inner.path,
                    format!(
                        "unknown `{}` setting, expected one of {expected}",
                        kind.as_str()
                    ),
                );
                skip_value(&inner)?;
            }
        }
        Ok(())
    })?;
    Ok(rule)
}

/// Reads the struct's `#[paygen(...)]` and serde `rename_all`.
pub fn parse_container(attrs: &[Attribute], errors: &mut Errors) -> RawContainer {
    let mut container = RawContainer {
        rename_all: serde_name(attrs, "rename_all").map(|value| Spanned {
            value,
            span: Span::call_site(),
        }),
        ..RawContainer::default()
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident("paygen")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string);
            match key.as_deref() {
                Some("body") => {
                    let lit: LitStr = meta.value()?.parse()?;
                    let body = Spanned {
                        value: lit.value(),
                        span: lit.span(),
                    };
                    set_once(&mut container.body, body, errors, &meta);
                }
                Some("required_if") => {
                    container
                        .rules
                        .push(parse_cross(&meta, CrossKind::RequiredIf, errors)?)
                }
                Some("only_if") => {
                    container
                        .rules
                        .push(parse_cross(&meta, CrossKind::OnlyIf, errors)?)
                }
                Some("not_less_than") => {
                    container
                        .rules
                        .push(parse_cross(&meta, CrossKind::NotLessThan, errors)?)
                }
                Some("minimum_when") => {
                    container
                        .rules
                        .push(parse_cross(&meta, CrossKind::MinimumWhen, errors)?)
                }
                Some("any_of") => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let names = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                    if names.len() < 2 {
                        errors.at(&meta.path, "`any_of` names two fields or more");
                    }
                    container.any_of.push(names.into_iter().collect());
                }
                _ => {
                    errors.at(&meta.path, expected_one_of(&meta, CONTAINER_KEYS));
                    skip_value(&meta)?;
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    container
}
