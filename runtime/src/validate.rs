//! Validation results: the `Validate` trait, field paths, and the report of every violation.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

/// A type whose values can be checked against the rules its spec (or its
/// `#[paygen(...)]` attributes) states, before anything is sent.
///
/// `#[derive(paygen::Wire)]` implements it; containers (`Option`, `Vec`, `Box`,
/// `BTreeMap`) forward to their items, extending the path.
pub trait Validate {
    /// Checks every rule and returns every violation, in declaration order.
    fn validate(&self) -> Result<(), ValidationReport> {
        let mut report = ValidationReport::default();
        self.validate_into(&Path::ROOT, &mut report);
        report.into_result()
    }

    /// Checks every rule, recording violations under `path`.
    fn validate_into(&self, path: &Path<'_>, report: &mut ValidationReport);

    /// The wire name of the Rust field `field`, used to name paths in rules that
    /// reach into a nested struct. The derive overrides it where serde renames.
    #[doc(hidden)]
    fn wire_field_name(field: &'static str) -> &'static str
    where
        Self: Sized,
    {
        field
    }
}

/// Nothing to check: the parameters of an operation that has none.
impl Validate for () {
    fn validate_into(&self, _: &Path<'_>, _: &mut ValidationReport) {}
}

/// Values with nothing to check of their own: the rules on a field of one of
/// these types are the field's (`length`, `range`, ...), checked where it is
/// declared. A variant of an untagged union holds one bare.
macro_rules! nothing_to_check {
    ($($t:ty),*) => {
        $(impl Validate for $t {
            fn validate_into(&self, _: &Path<'_>, _: &mut ValidationReport) {}
        })*
    };
}

nothing_to_check!(
    String,
    str,
    bool,
    i32,
    i64,
    u64,
    rust_decimal::Decimal,
    serde_json::Value
);

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_into(&self, path: &Path<'_>, report: &mut ValidationReport) {
        (**self).validate_into(path, report);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, path: &Path<'_>, report: &mut ValidationReport) {
        (**self).validate_into(path, report);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, path: &Path<'_>, report: &mut ValidationReport) {
        if let Some(value) = self {
            value.validate_into(path, report);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_into(&self, path: &Path<'_>, report: &mut ValidationReport) {
        for (index, item) in self.iter().enumerate() {
            item.validate_into(&path.index(index), report);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, path: &Path<'_>, report: &mut ValidationReport) {
        self.as_slice().validate_into(path, report);
    }
}

impl<K: fmt::Display, V: Validate> Validate for BTreeMap<K, V> {
    fn validate_into(&self, path: &Path<'_>, report: &mut ValidationReport) {
        for (key, value) in self {
            value.validate_into(&path.key(key), report);
        }
    }
}

/// Where a value sits in a request: `payment.card.expiry_month`, `notes[key1]`,
/// `items[3]`.
///
/// A path is a chain of borrowed segments on the stack, so checking a valid
/// request allocates nothing; it is rendered to a string only for a violation.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    /// The request itself.
    Root,
    /// A named field of the value at `parent`.
    Field {
        /// The value holding the field.
        parent: &'a Path<'a>,
        /// The field's wire name.
        name: &'a str,
    },
    /// An item of the list at `parent`.
    Index {
        /// The list.
        parent: &'a Path<'a>,
        /// The item's position, from 0.
        index: usize,
    },
    /// A value of the map at `parent`.
    Key {
        /// The map.
        parent: &'a Path<'a>,
        /// The entry's key.
        key: &'a dyn fmt::Display,
    },
}

impl<'a> Path<'a> {
    /// The path of the request itself.
    pub const ROOT: Path<'static> = Path::Root;

    /// The path of the field `name` below this one.
    pub fn field(&'a self, name: &'a str) -> Path<'a> {
        Path::Field { parent: self, name }
    }

    /// The path of list item `index` below this one.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index {
            parent: self,
            index,
        }
    }

    /// The path of map entry `key` below this one.
    pub fn key(&'a self, key: &'a dyn fmt::Display) -> Path<'a> {
        Path::Key { parent: self, key }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field { parent, name } => {
                parent.fmt(f)?;
                if !matches!(parent, Path::Root) {
                    f.write_str(".")?;
                }
                f.write_str(name)
            }
            Path::Index { parent, index } => write!(f, "{parent}[{index}]"),
            Path::Key { parent, key } => write!(f, "{parent}[{key}]"),
        }
    }
}

impl fmt::Debug for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Path({self})")
    }
}

/// What a violation broke. The string forms (`Code::as_str`) are stable: a
/// service may match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A required value is missing, or a required string is empty.
    Required,
    /// A string is shorter or longer than allowed (counted in characters).
    Length,
    /// A number is outside its allowed range.
    Range,
    /// A value is not one of the allowed values.
    Enum,
    /// A string does not match its pattern.
    Pattern,
    /// A list or map has too few or too many entries.
    Count,
    /// A value is missing that another field's value makes required.
    RequiredIf,
    /// A value is present that is allowed only when another field has a value.
    OnlyIf,
    /// A number is less than another field's number.
    NotLessThan,
    /// None of a group of fields is present, and one must be.
    AnyOf,
    /// A value is not in its required format (a card number that fails the
    /// Luhn check, say); the `rule` parameter says which check.
    Format,
}

impl Code {
    /// The stable name of this code, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Required => "required",
            Code::Length => "length",
            Code::Range => "range",
            Code::Enum => "enum",
            Code::Pattern => "pattern",
            Code::Count => "count",
            Code::RequiredIf => "required_if",
            Code::OnlyIf => "only_if",
            Code::NotLessThan => "not_less_than",
            Code::AnyOf => "any_of",
            Code::Format => "format",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One named parameter of a violation (`max: 40`, `actual: 41`).
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The parameter's name.
    pub name: &'static str,
    /// Its value, as it would appear in JSON.
    pub value: serde_json::Value,
}

/// One broken rule: where, which rule, a sentence for people, and the rule's
/// parameters for programs.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The value's path, in wire names (`payment.card.number`); empty for the request itself.
    pub path: String,
    /// The rule that was broken.
    pub code: Code,
    /// What is wrong, as a sentence fragment that follows the path.
    pub message: String,
    /// The rule's parameters, in a fixed order.
    pub params: Vec<Param>,
}

impl Violation {
    /// The value of parameter `name`, if the rule has one.
    pub fn param(&self, name: &str) -> Option<&serde_json::Value> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.value)
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(request)"
        } else {
            &self.path
        };
        write!(f, "{path}: {} [{}]", self.message, self.code)
    }
}

struct ParamsAsMap<'a>(&'a [Param]);

impl Serialize for ParamsAsMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for param in self.0 {
            map.serialize_entry(param.name, &param.value)?;
        }
        map.end()
    }
}

impl Serialize for Violation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Violation", 4)?;
        s.serialize_field("path", &self.path)?;
        s.serialize_field("code", &self.code)?;
        s.serialize_field("message", &self.message)?;
        s.serialize_field("params", &ParamsAsMap(&self.params))?;
        s.end()
    }
}

/// Every violation found in one request, in the order the fields are declared.
///
/// `Display` prints one line per violation; `Serialize` gives a list a service
/// can return to its own callers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ValidationReport {
    violations: Vec<Violation>,
}

impl ValidationReport {
    /// True when nothing was violated.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// How many violations were found.
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// The violations, in order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The violations, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.violations.iter()
    }

    /// Records a violation at `path`.
    pub fn push(
        &mut self,
        path: &Path<'_>,
        code: Code,
        message: impl Into<String>,
        params: Vec<Param>,
    ) {
        self.violations.push(Violation {
            path: path.to_string(),
            code,
            message: message.into(),
            params,
        });
    }

    /// `Ok(())` when empty, else the report itself as the error.
    pub fn into_result(self) -> Result<(), ValidationReport> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl<'a> IntoIterator for &'a ValidationReport {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.iter()
    }
}

impl IntoIterator for ValidationReport {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.into_iter()
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            violation.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationReport {}
