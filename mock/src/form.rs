//! Reads an `application/x-www-form-urlencoded` body into a generated request
//! type: bracketed keys (`a[b][0]=v`) become nested values, each text is read
//! as the type asks for it (a number, a boolean, a string), and a field that
//! holds JSON text (a JSON object sent as one form field) is read as JSON.
//! A multipart body (`multipart`) is read through the same tree, its files
//! as [`FormValue::File`]s; a text or a file where the type asks for a list
//! is a list of one (a multipart list sends one part per item).
//!
//! paygen writes its own form encoder for the same reason this exists:
//! serde_urlencoded cannot nest and serde_qs cannot read one field as JSON.

use std::collections::BTreeMap;

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

/// A form body as a tree: a text, or named children.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FormValue {
    Text(String),
    Map(BTreeMap<String, FormValue>),
    /// A file part of a multipart body.
    File(FilePart),
}

/// A file a multipart body sent: read as a `paygen::FilePart` reads itself
/// (`filename`, `content_type`, `bytes`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FilePart {
    pub(crate) filename: String,
    pub(crate) content_type: String,
    pub(crate) bytes: bytes::Bytes,
}

/// The deepest nesting a form key may have (`a[b][c]` is 3): paygen's
/// deepest request type needs 5; past this a body is refused, not parsed
/// (a key 200,000 levels deep would overflow the stack).
pub(crate) const MAX_DEPTH: usize = 32;

/// The most fields a form body may have.
pub(crate) const MAX_FIELDS: usize = 1_000;

/// Why a form body was refused before it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormLimit {
    /// A key nested deeper than [`MAX_DEPTH`].
    TooDeep { key: String },
    /// More than [`MAX_FIELDS`] fields.
    TooMany,
}

impl std::fmt::Display for FormLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormLimit::TooDeep { key } => write!(
                f,
                "the form key `{key}...` is nested more than {MAX_DEPTH} levels deep"
            ),
            FormLimit::TooMany => write!(f, "the form has more than {MAX_FIELDS} fields"),
        }
    }
}

/// Parses a form body into a tree. A key repeated, or a key that is both a
/// text and a parent, keeps the last value.
pub(crate) fn parse(body: &[u8]) -> Result<FormValue, FormLimit> {
    let mut root = BTreeMap::new();
    for (n, (key, value)) in form_urlencoded::parse(body).enumerate() {
        if n >= MAX_FIELDS {
            return Err(FormLimit::TooMany);
        }
        // Counted before the key is split, so that a hostile key costs no more than its length.
        if key.matches('[').count() >= MAX_DEPTH {
            return Err(FormLimit::TooDeep {
                key: key.chars().take(40).collect(),
            });
        }
        let segments = segments(&key);
        insert(&mut root, &segments, value.into_owned());
    }
    Ok(FormValue::Map(root))
}

/// `a[b][0]` as `["a", "b", "0"]`; a key without brackets is one segment
/// (dots included: `options.get_client_auth_token` is one name).
fn segments(key: &str) -> Vec<String> {
    match key.find('[') {
        Some(open) if key.ends_with(']') => {
            let mut out = vec![key[..open].to_owned()];
            out.extend(key[open + 1..key.len() - 1].split("][").map(str::to_owned));
            out
        }
        _ => vec![key.to_owned()],
    }
}

fn insert(map: &mut BTreeMap<String, FormValue>, segments: &[String], value: String) {
    let Some((first, rest)) = segments.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.insert(first.clone(), FormValue::Text(value));
        return;
    }
    let child = map
        .entry(first.clone())
        .or_insert_with(|| FormValue::Map(BTreeMap::new()));
    if let FormValue::Text(_) = child {
        *child = FormValue::Map(BTreeMap::new());
    }
    if let FormValue::Map(inner) = child {
        insert(inner, rest, value);
    }
}

impl FormValue {
    /// The tree as JSON: texts stay strings, and a text that holds a JSON
    /// object or array is that JSON; a file is its name, media type and
    /// size (`{"filename", "content_type", "bytes": 1234}`), never its
    /// contents. For carrying values into answers, and the request log.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            FormValue::File(file) => serde_json::json!({
                "filename": file.filename,
                "content_type": file.content_type,
                "bytes": file.bytes.len(),
            }),
            FormValue::Text(text) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(json @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => json,
                _ => serde_json::Value::String(text.clone()),
            },
            FormValue::Map(map) => map
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

/// Reads `T` from a form tree.
pub(crate) fn from_form<T: de::DeserializeOwned>(value: FormValue) -> Result<T, Error> {
    T::deserialize(FormDeserializer(value))
}

struct FormDeserializer(FormValue);

impl<'de> IntoDeserializer<'de, Error> for FormDeserializer {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl FormDeserializer {
    fn text(self) -> Result<String, Error> {
        match self.0 {
            FormValue::Text(text) => Ok(text),
            FormValue::Map(_) => Err(de::Error::invalid_type(de::Unexpected::Map, &"a value")),
            FormValue::File(_) => Err(de::Error::invalid_type(
                de::Unexpected::Other("a file"),
                &"a value",
            )),
        }
    }

    /// A file as the map `paygen::FilePart` reads.
    fn file<'de, V: Visitor<'de>>(file: FilePart, visitor: V) -> Result<V::Value, Error> {
        enum Entry {
            Text(String),
            Bytes(bytes::Bytes),
        }
        impl<'de> IntoDeserializer<'de, Error> for Entry {
            type Deserializer = EntryDeserializer;
            fn into_deserializer(self) -> EntryDeserializer {
                EntryDeserializer(self)
            }
        }
        struct EntryDeserializer(Entry);
        impl<'de> de::Deserializer<'de> for EntryDeserializer {
            type Error = Error;
            fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.0 {
                    Entry::Text(text) => visitor.visit_string(text),
                    Entry::Bytes(bytes) => {
                        visitor.visit_seq(SeqDeserializer::new(bytes.iter().copied()))
                    }
                }
            }
            forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
                struct enum identifier ignored_any
            }
        }
        visitor.visit_map(MapDeserializer::new(
            [
                ("filename", Entry::Text(file.filename)),
                ("content_type", Entry::Text(file.content_type)),
                ("bytes", Entry::Bytes(file.bytes)),
            ]
            .into_iter(),
        ))
    }

    fn parsed<N: std::str::FromStr>(self, what: &'static str) -> Result<N, Error> {
        let text = self.text()?;
        text.parse()
            .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(&text), &what))
    }

    /// A text that holds JSON, read as JSON (a JSON object sent as one field).
    fn json(text: &str) -> Result<serde_json::Value, Error> {
        serde_json::from_str(text).map_err(de::Error::custom)
    }
}

macro_rules! parse_number {
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.$visit(self.parsed::<$ty>(stringify!($ty))?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for FormDeserializer {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            FormValue::Text(text) => visitor.visit_string(text),
            FormValue::File(file) => Self::file(file, visitor),
            FormValue::Map(map) => visitor.visit_map(MapDeserializer::new(
                map.into_iter().map(|(k, v)| (k, FormDeserializer(v))),
            )),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(self.parsed::<bool>("true or false")?)
    }

    parse_number! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            // `a[0]=x&a[1]=y`, in index order.
            FormValue::Map(map) => {
                let mut items: Vec<(usize, FormValue)> = map
                    .into_iter()
                    .map(|(k, v)| k.parse().map(|i| (i, v)))
                    .collect::<Result<_, _>>()
                    .map_err(|_| de::Error::custom("a list's keys must be indices"))?;
                items.sort_by_key(|(i, _)| *i);
                visitor.visit_seq(SeqDeserializer::new(
                    items.into_iter().map(|(_, v)| FormDeserializer(v)),
                ))
            }
            // A JSON list sent as one field; else one multipart part, a list of one.
            FormValue::Text(text) => match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(list @ serde_json::Value::Array(_)) => {
                    de::Deserializer::deserialize_seq(list, visitor).map_err(de::Error::custom)
                }
                _ => visitor.visit_seq(SeqDeserializer::new(std::iter::once(FormDeserializer(
                    FormValue::Text(text),
                )))),
            },
            file @ FormValue::File(_) => visitor.visit_seq(SeqDeserializer::new(std::iter::once(
                FormDeserializer(file),
            ))),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            FormValue::Text(text) => de::Deserializer::deserialize_map(Self::json(&text)?, visitor)
                .map_err(de::Error::custom),
            other => FormDeserializer(other).deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            FormValue::Text(text) => visitor.visit_enum(text.into_deserializer()),
            FormValue::Map(map) => {
                let json = FormValue::Map(map).to_json();
                de::Deserializer::deserialize_enum(json, name, variants, visitor)
                    .map_err(de::Error::custom)
            }
            FormValue::File(_) => Err(de::Error::invalid_type(
                de::Unexpected::Other("a file"),
                &"one of the enum's values",
            )),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit_struct tuple tuple_struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_keys_nest_and_dotted_keys_do_not() {
        let tree = parse(b"a[b][0]=x&a[b][1]=y&options.get_client_auth_token=true").unwrap();
        assert_eq!(
            tree.to_json(),
            serde_json::json!({"a": {"b": {"0": "x", "1": "y"}}, "options.get_client_auth_token": "true"})
        );
    }

    #[test]
    fn texts_are_read_as_the_type_asks() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Body {
            amount: i64,
            flag: bool,
            name: String,
            items: Vec<String>,
            nested: BTreeMap<String, i32>,
            missing: Option<String>,
        }
        let body: Body = from_form(
            parse(b"amount=100&flag=true&name=007&items[1]=b&items[0]=a&nested=%7B%22n%22%3A1%7D")
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            body,
            Body {
                amount: 100,
                flag: true,
                name: "007".into(),
                items: vec!["a".into(), "b".into()],
                nested: BTreeMap::from([("n".into(), 1)]),
                missing: None,
            }
        );
        assert!(from_form::<Body>(
            parse(b"amount=ten&flag=true&name=x&items[0]=a&nested={}").unwrap()
        )
        .is_err());
    }

    #[test]
    fn hostile_bodies_are_refused_before_they_are_built() {
        // 200,000 levels deep: refused from the key's length, not by recursing.
        let deep = format!("a{}=1", "[b]".repeat(200_000));
        assert!(matches!(
            parse(deep.as_bytes()),
            Err(FormLimit::TooDeep { .. })
        ));
        let ok = format!("a{}=1", "[b]".repeat(MAX_DEPTH - 1));
        assert!(parse(ok.as_bytes()).is_ok());
        let many: Vec<String> = (0..=MAX_FIELDS).map(|i| format!("k{i}=v")).collect();
        assert_eq!(parse(many.join("&").as_bytes()), Err(FormLimit::TooMany));
        assert!(parse(many[..MAX_FIELDS].join("&").as_bytes()).is_ok());
    }

    fn depth(value: &FormValue) -> usize {
        match value {
            FormValue::Text(_) | FormValue::File(_) => 0,
            FormValue::Map(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PAYGEN_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
        ))]

        /// Any bytes: a tree no deeper than the limit, or a refusal; never a panic.
        #[test]
        fn any_body_parses_within_the_limits_or_is_refused(
            body in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b'['), proptest::strategy::Just(b']'),
                    proptest::strategy::Just(b'='), proptest::strategy::Just(b'&'),
                    proptest::strategy::Just(b'%'), proptest::num::u8::ANY,
                ],
                0..400,
            )
        ) {
            if let Ok(tree) = parse(&body) {
                proptest::prop_assert!(depth(&tree) <= MAX_DEPTH + 1);
                let _ = tree.to_json();
            }
        }
    }
}
