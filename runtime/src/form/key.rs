//! The serializer of a map key in a form: one more bracketed name, refused
//! when a parser would read it as something else.

use serde::ser::{Impossible, Serialize, Serializer};

use super::{Form, FormError};

/// A map key: becomes one more bracketed name.
pub(super) struct Key<'f, 'o> {
    pub(super) form: &'f mut Form<'o>,
}

fn key_error<T>(what: &str) -> Result<T, FormError> {
    Err(FormError(format!(
        "a map key must be a string, number or unit variant, not {what}"
    )))
}

impl Key<'_, '_> {
    /// One more bracketed name. Bracket-aware parsers (PHP, Rails, the
    /// gateways') read `notes[a[b]]` as nesting and `notes[]` as a list, and
    /// percent-encoding does not help (they decode before parsing), so such
    /// keys are refused rather than sent as something else.
    fn name(self, name: &str) -> Result<(), FormError> {
        if name.is_empty() || name.contains(['[', ']']) {
            return Err(FormError(format!(
                "map key `{name}` in `{}` cannot be sent in a form: a key may not be empty \
                 or contain `[` or `]`, which the gateway would read as nesting",
                self.form.key
            )));
        }
        self.form.push_name(name);
        Ok(())
    }
}

impl Serializer for Key<'_, '_> {
    type Ok = ();
    type Error = FormError;
    type SerializeSeq = Impossible<(), FormError>;
    type SerializeTuple = Impossible<(), FormError>;
    type SerializeTupleStruct = Impossible<(), FormError>;
    type SerializeTupleVariant = Impossible<(), FormError>;
    type SerializeMap = Impossible<(), FormError>;
    type SerializeStruct = Impossible<(), FormError>;
    type SerializeStructVariant = Impossible<(), FormError>;

    fn serialize_bool(self, v: bool) -> Result<(), FormError> {
        self.name(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), FormError> {
        self.name(itoa::Buffer::new().format(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), FormError> {
        self.name(itoa::Buffer::new().format(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), FormError> {
        self.name(itoa::Buffer::new().format(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), FormError> {
        self.name(itoa::Buffer::new().format(v))
    }
    fn serialize_u8(self, v: u8) -> Result<(), FormError> {
        self.name(itoa::Buffer::new().format(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), FormError> {
        self.name(itoa::Buffer::new().format(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), FormError> {
        self.name(itoa::Buffer::new().format(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), FormError> {
        self.name(itoa::Buffer::new().format(v))
    }
    fn serialize_f32(self, _: f32) -> Result<(), FormError> {
        key_error("a float")
    }
    fn serialize_f64(self, _: f64) -> Result<(), FormError> {
        key_error("a float")
    }
    fn serialize_char(self, v: char) -> Result<(), FormError> {
        let mut buf = [0; 4];
        self.name(v.encode_utf8(&mut buf))
    }
    fn serialize_str(self, v: &str) -> Result<(), FormError> {
        self.name(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), FormError> {
        key_error("bytes")
    }
    fn serialize_none(self) -> Result<(), FormError> {
        key_error("None")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), FormError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), FormError> {
        key_error("()")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), FormError> {
        key_error("a unit struct")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), FormError> {
        self.name(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), FormError> {
        key_error("an enum variant with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, FormError> {
        key_error("a list")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, FormError> {
        key_error("a tuple")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, FormError> {
        key_error("a tuple")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FormError> {
        key_error("an enum variant with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, FormError> {
        key_error("a map")
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, FormError> {
        key_error("a struct")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FormError> {
        key_error("an enum variant with data")
    }
}
