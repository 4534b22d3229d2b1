//! The serializer of the value under the current key: a scalar as text,
//! an exact decimal by its digits, a struct, map or list as more keys.

use serde::ser::{Serialize, Serializer};

use super::{Compound, Form, FormError, Items};
use crate::decimal::RAW_VALUE_TOKEN;

/// The value under the current key.
pub(super) struct Value<'f, 'o> {
    pub(super) form: &'f mut Form<'o>,
}

impl<'f, 'o> Value<'f, 'o> {
    fn int(self, v: impl itoa::Integer) -> Result<(), FormError> {
        self.form.pair(itoa::Buffer::new().format(v).as_bytes())
    }

    fn float(self, v: impl ryu::Float + Into<f64> + Copy) -> Result<(), FormError> {
        if !v.into().is_finite() {
            return Err(FormError("a number must be finite".into()));
        }
        self.form
            .pair(ryu::Buffer::new().format_finite(v).as_bytes())
    }
}

impl<'f, 'o> Serializer for Value<'f, 'o> {
    type Ok = ();
    type Error = FormError;
    type SerializeSeq = Items<'f, 'o>;
    type SerializeTuple = Items<'f, 'o>;
    type SerializeTupleStruct = Items<'f, 'o>;
    type SerializeTupleVariant = Items<'f, 'o>;
    type SerializeMap = Compound<'f, 'o>;
    type SerializeStruct = Compound<'f, 'o>;
    type SerializeStructVariant = Compound<'f, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), FormError> {
        self.form.pair(if v { b"true" } else { b"false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), FormError> {
        self.int(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), FormError> {
        self.float(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), FormError> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), FormError> {
        let mut buf = [0; 4];
        self.form.pair(v.encode_utf8(&mut buf).as_bytes())
    }
    fn serialize_str(self, v: &str) -> Result<(), FormError> {
        self.form.pair(v.as_bytes())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), FormError> {
        Err(FormError(
            "raw bytes have no form encoding; send them as a string".into(),
        ))
    }
    fn serialize_none(self) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), FormError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), FormError> {
        self.form.pair(variant.as_bytes())
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
        variant: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        let restore = self.form.push_name(variant);
        let result = value.serialize(Value { form: self.form });
        self.form.key.truncate(restore);
        result
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, FormError> {
        let restore = self.form.key.len();
        Ok(Items {
            form: self.form,
            next: 0,
            restore,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, FormError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, FormError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FormError> {
        let restore = self.form.push_name(variant);
        Ok(Items {
            form: self.form,
            next: 0,
            restore,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, FormError> {
        Ok(Compound::new(self.form, false))
    }
    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, FormError> {
        let mut compound = Compound::new(self.form, false);
        compound.raw_value = name == RAW_VALUE_TOKEN;
        Ok(compound)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FormError> {
        let restore = self.form.push_name(variant);
        let mut compound = Compound::new(self.form, false);
        compound.restore = restore;
        Ok(compound)
    }
}
