//! The serializer that writes a struct's fields as parts: each field's
//! value as text, a file, one JSON part, or one part per item of a list.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeSeq, SerializeStruct, Serializer};

use super::{part, part_head, Kind, MultipartError, Source, Spliced, FILE_PART, HANDED, SPLICED};

/// The top level: a struct, each field a part (or none, or several).
pub(super) struct Body<'o> {
    pub(super) out: &'o mut Vec<u8>,
}

impl<'o> SerializeStruct for Body<'o> {
    type Ok = ();
    type Error = MultipartError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), MultipartError> {
        // A field is written whole or, when it is not made of text and
        // files, as one JSON part.
        let mut parts = Vec::new();
        match value.serialize(Field {
            name: key,
            out: &mut parts,
            in_list: false,
        }) {
            Ok(()) => self.out.extend_from_slice(&parts),
            Err(Unsent::Object) => {
                let json = serde_json::to_vec(value).map_err(ser::Error::custom)?;
                part(self.out, key, Kind::Json, &json)?;
            }
            Err(Unsent::Failed(error)) => return Err(error),
        }
        Ok(())
    }

    fn end(self) -> Result<(), MultipartError> {
        Ok(())
    }
}

/// Why a field was not written as text and file parts.
#[derive(Debug)]
enum Unsent {
    /// It holds an object: sent as one JSON part instead.
    Object,
    Failed(MultipartError),
}

impl fmt::Display for Unsent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsent::Object => f.write_str("an object"),
            Unsent::Failed(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for Unsent {}

impl ser::Error for Unsent {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unsent::Failed(MultipartError::Value(msg.to_string()))
    }
}

impl From<MultipartError> for Unsent {
    fn from(error: MultipartError) -> Self {
        Unsent::Failed(error)
    }
}

/// One field's value.
struct Field<'o> {
    name: &'static str,
    out: &'o mut Vec<u8>,
    in_list: bool,
}

impl Field<'_> {
    fn text(self, text: &str) -> Result<(), Unsent> {
        part(self.out, self.name, Kind::Text, text.as_bytes()).map_err(Unsent::Failed)
    }
}

macro_rules! text_parts {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Unsent> {
            self.text(&v.to_string())
        })*
    };
}

impl<'o> Serializer for Field<'o> {
    type Ok = ();
    type Error = Unsent;
    type SerializeSeq = List<'o>;
    type SerializeTuple = Impossible<(), Unsent>;
    type SerializeTupleStruct = Impossible<(), Unsent>;
    type SerializeTupleVariant = Impossible<(), Unsent>;
    type SerializeMap = Impossible<(), Unsent>;
    type SerializeStruct = Impossible<(), Unsent>;
    type SerializeStructVariant = Impossible<(), Unsent>;

    text_parts!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char
    );

    fn serialize_f32(self, v: f32) -> Result<(), Unsent> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Unsent> {
        if !v.is_finite() {
            return Err(ser::Error::custom("a number that is not finite"));
        }
        self.text(&v.to_string())
    }

    fn serialize_str(self, v: &str) -> Result<(), Unsent> {
        self.text(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unsent> {
        part(self.out, self.name, Kind::Text, v).map_err(Unsent::Failed)
    }

    fn serialize_none(self) -> Result<(), Unsent> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsent> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unsent> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsent> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsent> {
        self.text(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Unsent> {
        if name != FILE_PART {
            return value.serialize(self);
        }
        let Some(file) = HANDED.with(|handed| handed.take()) else {
            return Err(ser::Error::custom("a file part without its file"));
        };
        if let Source::Path(path) = &file.source {
            if SPLICED.with(|spliced| spliced.borrow().is_some()) {
                // Sent from disk as the request goes out: only its length now.
                let len = std::fs::metadata(path)
                    .and_then(|m| {
                        if m.is_file() {
                            Ok(m.len())
                        } else {
                            Err(std::io::Error::other("not a file"))
                        }
                    })
                    .map_err(|error| MultipartError::Read {
                        path: path.clone(),
                        error: error.to_string(),
                    })?;
                let kind = Kind::File(&file.filename, &file.content_type);
                part_head(self.out, self.name, kind).map_err(Unsent::Failed)?;
                let at = self.out.len();
                SPLICED.with(|spliced| {
                    spliced
                        .borrow_mut()
                        .get_or_insert_with(Vec::new)
                        .push(Spliced {
                            at,
                            path: path.clone(),
                            len,
                            name: self.name.to_owned(),
                        })
                });
                self.out.extend_from_slice(b"\r\n");
                return Ok(());
            }
        }
        let bytes = file.bytes()?;
        part(
            self.out,
            self.name,
            Kind::File(&file.filename, &file.content_type),
            &bytes,
        )
        .map_err(Unsent::Failed)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsent> {
        Err(Unsent::Object)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<List<'o>, Unsent> {
        if self.in_list {
            // A list of lists has no multipart form but JSON.
            return Err(Unsent::Object);
        }
        Ok(List {
            name: self.name,
            out: self.out,
        })
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsent> {
        Err(Unsent::Object)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsent> {
        Err(Unsent::Object)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsent> {
        Err(Unsent::Object)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsent> {
        Err(Unsent::Object)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unsent> {
        Err(Unsent::Object)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsent> {
        Err(Unsent::Object)
    }
}

/// A list field: one part per item, each under the field's name.
struct List<'o> {
    name: &'static str,
    out: &'o mut Vec<u8>,
}

impl SerializeSeq for List<'_> {
    type Ok = ();
    type Error = Unsent;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsent> {
        value.serialize(Field {
            name: self.name,
            out: self.out,
            in_list: true,
        })
    }

    fn end(self) -> Result<(), Unsent> {
        Ok(())
    }
}

macro_rules! not_fields {
    ($($method:ident($($arg:ty),*)),*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<(), MultipartError> {
            Err(MultipartError::NotFields)
        })*
    };
}

impl<'o> Serializer for Body<'o> {
    type Ok = ();
    type Error = MultipartError;
    type SerializeSeq = Impossible<(), MultipartError>;
    type SerializeTuple = Impossible<(), MultipartError>;
    type SerializeTupleStruct = Impossible<(), MultipartError>;
    type SerializeTupleVariant = Impossible<(), MultipartError>;
    type SerializeMap = Impossible<(), MultipartError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), MultipartError>;

    not_fields!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str)
    );

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), MultipartError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), MultipartError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), MultipartError> {
        Err(MultipartError::NotFields)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, MultipartError> {
        Err(MultipartError::NotFields)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, MultipartError> {
        Err(MultipartError::NotFields)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, MultipartError> {
        Err(MultipartError::NotFields)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, MultipartError> {
        Err(MultipartError::NotFields)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, MultipartError> {
        Err(MultipartError::NotFields)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, MultipartError> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, MultipartError> {
        Err(MultipartError::NotFields)
    }
}
