//! Compares a value, as serde puts it on the wire, with a literal from a rule
//! (`equals = "automatic"`, `one_of("web", "android")`), without allocating.
//!
//! Going through `Serialize` means one mechanism serves strings, numbers,
//! booleans and enums alike, and it honours `#[serde(rename)]` on variants.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, Serializer};

/// True when `value` serializes to a scalar equal to `expected`: a string or
/// unit variant with that text, a number with that value, or `true`/`false`.
/// Compound values never match.
pub fn scalar_matches<T: Serialize + ?Sized>(value: &T, expected: &str) -> bool {
    value.serialize(Matcher { expected }).unwrap_or(false)
}

#[derive(Debug)]
struct NotScalar;

impl fmt::Display for NotScalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a scalar")
    }
}

impl std::error::Error for NotScalar {}

impl ser::Error for NotScalar {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotScalar
    }
}

struct Matcher<'e> {
    expected: &'e str,
}

impl Matcher<'_> {
    fn int(self, v: i128) -> Result<bool, NotScalar> {
        Ok(self.expected.parse::<i128>() == Ok(v))
    }
}

impl Serializer for Matcher<'_> {
    type Ok = bool;
    type Error = NotScalar;
    type SerializeSeq = Impossible<bool, NotScalar>;
    type SerializeTuple = Impossible<bool, NotScalar>;
    type SerializeTupleStruct = Impossible<bool, NotScalar>;
    type SerializeTupleVariant = Impossible<bool, NotScalar>;
    type SerializeMap = Impossible<bool, NotScalar>;
    type SerializeStruct = Impossible<bool, NotScalar>;
    type SerializeStructVariant = Impossible<bool, NotScalar>;

    fn serialize_bool(self, v: bool) -> Result<bool, NotScalar> {
        Ok(self.expected == if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<bool, NotScalar> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<bool, NotScalar> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<bool, NotScalar> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<bool, NotScalar> {
        self.int(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<bool, NotScalar> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<bool, NotScalar> {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<bool, NotScalar> {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<bool, NotScalar> {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<bool, NotScalar> {
        self.int(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<bool, NotScalar> {
        Ok(self.expected.parse::<u128>() == Ok(v))
    }
    fn serialize_f32(self, v: f32) -> Result<bool, NotScalar> {
        Ok(self.expected.parse::<f32>() == Ok(v))
    }
    fn serialize_f64(self, v: f64) -> Result<bool, NotScalar> {
        Ok(self.expected.parse::<f64>() == Ok(v))
    }
    fn serialize_char(self, v: char) -> Result<bool, NotScalar> {
        let mut buf = [0; 4];
        Ok(self.expected == v.encode_utf8(&mut buf))
    }
    fn serialize_str(self, v: &str) -> Result<bool, NotScalar> {
        Ok(self.expected == v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<bool, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_none(self) -> Result<bool, NotScalar> {
        Ok(false)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, NotScalar> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<bool, NotScalar> {
        Ok(false)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, NotScalar> {
        Ok(false)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<bool, NotScalar> {
        Ok(self.expected == variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, NotScalar> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotScalar> {
        Err(NotScalar)
    }
}
