//! Writing an entity the simulator makes on every call (a Razorpay order and
//! its payment) as JSON text, field by field, with keys that are the
//! module's own literals.
//!
//! Written here rather than derived with serde: serde_json escapes every
//! key at run time, and the two entities `create_order` writes took about a
//! sixth of the mock's instructions on each call (13,700 of 78,400, by
//! callgrind; the bench's paygen-mock row). Values
//! still go through serde_json where they can hold what a caller sent
//! (strings are escaped by it); only the keys, fixed in this crate's
//! source, are written as they are.

use serde::Serialize;
use serde_json::value::RawValue;

/// A JSON object being written.
pub(in crate::sim) struct Object {
    text: Vec<u8>,
    empty: bool,
}

impl Object {
    /// An object with room for `capacity` bytes before it grows.
    pub(in crate::sim) fn with_capacity(capacity: usize) -> Self {
        let mut text = Vec::with_capacity(capacity);
        text.push(b'{');
        Object { text, empty: true }
    }

    /// Adds `"key":value`. `key` is a literal of this crate: a name that
    /// needs no escaping.
    #[inline(always)]
    pub(in crate::sim) fn field(&mut self, key: &'static str, value: impl Value) -> &mut Self {
        debug_assert!(
            key.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'),
            "{key:?} needs escaping"
        );
        if !self.empty {
            self.text.push(b',');
        }
        self.empty = false;
        self.text.push(b'"');
        self.text.extend_from_slice(key.as_bytes());
        self.text.extend_from_slice(b"\":");
        value.write(&mut self.text);
        self
    }

    /// The object's text, closed.
    pub(in crate::sim) fn end(mut self) -> String {
        self.text.push(b'}');
        // Every piece is UTF-8 (this module's literals, Rust strings and
        // serde_json's output): checked once here rather than trusted.
        String::from_utf8(self.text)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// A value [`Object::field`] writes.
pub(in crate::sim) trait Value {
    /// Appends the value's JSON text to `text`.
    fn write(&self, text: &mut Vec<u8>);
}

impl Value for i64 {
    #[inline]
    fn write(&self, text: &mut Vec<u8>) {
        text.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
    }
}

impl Value for u64 {
    #[inline]
    fn write(&self, text: &mut Vec<u8>) {
        text.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
    }
}

impl Value for bool {
    #[inline]
    fn write(&self, text: &mut Vec<u8>) {
        text.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

impl Value for &str {
    #[inline]
    fn write(&self, text: &mut Vec<u8>) {
        serialized(*self, text);
    }
}

impl Value for &RawValue {
    #[inline]
    fn write(&self, text: &mut Vec<u8>) {
        text.extend_from_slice(self.get().as_bytes());
    }
}

/// A value written by its own `Serialize`.
pub(in crate::sim) struct Serialized<T>(pub T);

impl<T: Serialize> Value for Serialized<T> {
    #[inline]
    fn write(&self, text: &mut Vec<u8>) {
        serialized(&self.0, text);
    }
}

impl<T: Value> Value for Option<T> {
    #[inline]
    fn write(&self, text: &mut Vec<u8>) {
        match self {
            Some(value) => value.write(text),
            None => text.extend_from_slice(b"null"),
        }
    }
}

/// Appends `value` as serde_json writes it.
fn serialized(value: &(impl Serialize + ?Sized), text: &mut Vec<u8>) {
    let before = text.len();
    // Strings, numbers, maps of strings and JSON text always serialize: an
    // error here would be a bug in the value's own `Serialize`; what it
    // wrote is taken back and the value is `null`.
    if serde_json::to_writer(&mut *text, value).is_err() {
        text.truncate(before);
        text.extend_from_slice(b"null");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn an_object_reads_back_as_written() {
        let raw = RawValue::from_string(r#"{"k": [1, "two"]}"#.into()).unwrap();
        let notes = BTreeMap::from([("b\"".to_owned(), "é\n".to_owned())]);
        let mut object = Object::with_capacity(4);
        object
            .field("id", "pay_\"quoted\"\\")
            .field("amount", -5i64)
            .field("created_at", u64::MAX)
            .field("captured", true)
            .field("refunded", false)
            .field("absent", None::<&str>)
            .field("raw", &*raw)
            .field("notes", Serialized(&notes));
        let text = object.end();
        let read: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            read,
            serde_json::json!({
                "id": "pay_\"quoted\"\\",
                "amount": -5,
                "created_at": u64::MAX,
                "captured": true,
                "refunded": false,
                "absent": null,
                "raw": {"k": [1, "two"]},
                "notes": {"b\"": "é\n"},
            })
        );
        assert_eq!(Object::with_capacity(0).end(), "{}");
    }
}
