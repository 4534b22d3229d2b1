//! `multipart/form-data` bodies: `FilePart`, the file a field sends, and the
//! encoder that writes a struct's fields as parts (RFC 7578).
//!
//! Our own, not reqwest's `multipart::Form`: that one has a random boundary
//! and cannot be encoded into the same bytes every time, which retries, a
//! prepared request and a test share. A file given by path is the exception
//! that keeps memory flat: its contents are left out here and streamed into
//! place as the request goes out (`file_stream`).

use std::cell::RefCell;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::ser::{self, Impossible, Serialize, SerializeSeq, SerializeStruct, Serializer};
use serde::{Deserialize, Deserializer};

use paygen_model::MULTIPART_BOUNDARY;

/// The name a `FilePart` gives itself to serde, which the multipart encoder
/// recognises; any other serializer sees a plain struct.
const FILE_PART: &str = "$paygen::FilePart";

/// A file sent as one part of a `multipart/form-data` body (dispute evidence,
/// a KYC document): its file name, its media type, and its bytes, given
/// whole or read from a path when the call is encoded.
///
/// Its `Debug` shows the name, type and size, never the contents.
///
/// ```
/// let receipt = paygen::FilePart::from_bytes("receipt.pdf", "application/pdf", b"%PDF-1.7".to_vec());
/// assert_eq!(receipt.filename(), "receipt.pdf");
/// assert_eq!(format!("{receipt:?}"), r#"FilePart { filename: "receipt.pdf", content_type: "application/pdf", bytes: 8 }"#);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    filename: String,
    content_type: String,
    source: Source,
}

#[derive(Clone, PartialEq, Eq)]
enum Source {
    Bytes(Arc<[u8]>),
    Path(PathBuf),
}

impl FilePart {
    /// A file whose bytes are in memory.
    pub fn from_bytes(
        filename: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        FilePart {
            filename: filename.into(),
            content_type: content_type.into(),
            source: Source::Bytes(bytes.into().into()),
        }
    }

    /// A file on disk, sent under the path's file name. A call streams it
    /// from disk as the request goes out, 64 KiB at a time, so a large
    /// document is never in memory whole; each attempt of the call reads it
    /// again from the start, so keep it unchanged until the call returns (a
    /// file whose length changed, or that holds the multipart boundary,
    /// fails the call, which the gateway receives cut short). A file that
    /// is missing when the call is encoded fails it before anything is
    /// sent, with [`EncodeError::Multipart`](crate::EncodeError::Multipart).
    /// A [`PreparedRequest`](crate::PreparedRequest) holds the file's bytes,
    /// read whole when it is prepared.
    pub fn from_path(path: impl Into<PathBuf>, content_type: impl Into<String>) -> Self {
        let path = path.into();
        let filename = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        FilePart {
            filename,
            content_type: content_type.into(),
            source: Source::Path(path),
        }
    }

    /// Sends the file under `filename` instead.
    pub fn with_filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = filename.into();
        self
    }

    /// The name the file is sent under.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The file's media type (`application/pdf`).
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The file's bytes: those given, or the path's contents now.
    pub fn bytes(&self) -> Result<Arc<[u8]>, MultipartError> {
        match &self.source {
            Source::Bytes(bytes) => Ok(bytes.clone()),
            Source::Path(path) => {
                std::fs::read(path)
                    .map(Arc::from)
                    .map_err(|error| MultipartError::Read {
                        path: path.clone(),
                        error: error.to_string(),
                    })
            }
        }
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("FilePart");
        out.field("filename", &self.filename)
            .field("content_type", &self.content_type);
        match &self.source {
            Source::Bytes(bytes) => out.field("bytes", &bytes.len()),
            Source::Path(path) => out.field("path", path),
        };
        out.finish()
    }
}

thread_local! {
    /// While a body is encoded to be streamed ([`encode_multipart_spliced`]):
    /// where each file given by path goes, its contents left out.
    static SPLICED: RefCell<Option<Vec<Spliced>>> = const { RefCell::new(None) };
    /// The `FilePart` being serialized, handed to the multipart encoder
    /// beside serde (which passes values, not types): whole, so a file is
    /// read once and its bytes are never copied into a serde value.
    static HANDED: RefCell<Option<FilePart>> = const { RefCell::new(None) };
}

/// Outside a multipart body (a JSON dump of a request) a `FilePart` is its
/// name, its type and its bytes as a list of numbers.
impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        HANDED.with(|handed| handed.replace(Some(self.clone())));
        let out = serializer.serialize_newtype_struct(FILE_PART, &Plain(self));
        HANDED.with(|handed| handed.take());
        out
    }
}

struct Plain<'a>(&'a FilePart);

impl Serialize for Plain<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = self.0.bytes().map_err(ser::Error::custom)?;
        let mut out = serializer.serialize_struct("FilePart", 3)?;
        out.serialize_field("filename", &self.0.filename)?;
        out.serialize_field("content_type", &self.0.content_type)?;
        out.serialize_field("bytes", &*bytes)?;
        out.end()
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Owned {
            filename: String,
            content_type: String,
            bytes: Vec<u8>,
        }
        let owned = Owned::deserialize(deserializer)?;
        Ok(FilePart::from_bytes(
            owned.filename,
            owned.content_type,
            owned.bytes,
        ))
    }
}

/// Why a multipart body could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MultipartError {
    /// A file given by path could not be read.
    #[error("cannot read `{}`: {error}", path.display())]
    Read {
        /// The file's path.
        path: PathBuf,
        /// The operating system's reason.
        error: String,
    },
    /// A part holds the boundary between parts, so it would end early.
    #[error("part `{name}` contains the multipart boundary")]
    Boundary {
        /// The part's field name.
        name: String,
    },
    /// A file's media type has a line break or a quote, which would forge
    /// headers of the part.
    #[error("part `{name}`: media type `{content_type}` is not a single header value")]
    ContentType {
        /// The part's field name.
        name: String,
        /// The media type given.
        content_type: String,
    },
    /// The body is not a struct of fields.
    #[error("a multipart body must be a struct of fields")]
    NotFields,
    /// serde refused a value (a JSON part serde_json cannot write).
    #[error("{0}")]
    Value(String),
}

impl ser::Error for MultipartError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        MultipartError::Value(msg.to_string())
    }
}

/// Appends the `multipart/form-data` body of `value` (a struct) to `out`:
/// one part per field that has a value, in field order. Text, numbers,
/// booleans and enum values are text parts; a `FilePart` is a file part; a
/// list sends one part per item under the field's name; an object (or a list
/// of them) is one `application/json` part, as OpenAPI's default for
/// multipart objects says. `None` sends nothing.
pub fn encode_multipart<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), MultipartError> {
    value.serialize(Body { out })?;
    out.extend_from_slice(b"--");
    out.extend_from_slice(MULTIPART_BOUNDARY.as_bytes());
    out.extend_from_slice(b"--\r\n");
    Ok(())
}

/// [`encode_multipart`], leaving out the contents of each file given by
/// path: the bytes, and where each file's contents go, for
/// [`FileStream`](super::file_stream::FileStream) to read them in as the
/// request is sent. A file that cannot be read still fails here.
pub(crate) fn encode_multipart_spliced(
    encode: impl FnOnce() -> Result<Vec<u8>, crate::EncodeError>,
) -> Result<(Vec<u8>, Vec<Spliced>), crate::EncodeError> {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            SPLICED.with(|spliced| spliced.borrow_mut().take());
        }
    }
    SPLICED.with(|spliced| *spliced.borrow_mut() = Some(Vec::new()));
    let _reset = Reset;
    let bytes = encode()?;
    let files = SPLICED.with(|spliced| spliced.borrow_mut().take().unwrap_or_default());
    Ok((bytes, files))
}

/// The part's header line for `name`: quotes, CR and LF percent-encoded, as
/// browsers do (RFC 7578 section 2 leaves it to them), so a name cannot end
/// the header.
fn quoted(name: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for byte in name.bytes() {
        match byte {
            b'"' => out.extend_from_slice(b"%22"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            other => out.push(other),
        }
    }
    out.push(b'"');
}

use super::file_stream::{contains, Spliced};

/// What a part holds, which its headers say.
enum Kind<'a> {
    Text,
    Json,
    /// A file: its name and media type.
    File(&'a str, &'a str),
}

/// Writes one part: its headers, then `content`.
fn part(
    out: &mut Vec<u8>,
    name: &str,
    kind: Kind<'_>,
    content: &[u8],
) -> Result<(), MultipartError> {
    if contains(content, MULTIPART_BOUNDARY.as_bytes()) {
        return Err(MultipartError::Boundary { name: name.into() });
    }
    part_head(out, name, kind)?;
    out.extend_from_slice(content);
    out.extend_from_slice(b"\r\n");
    Ok(())
}

/// Writes a part's headers and the blank line that ends them.
fn part_head(out: &mut Vec<u8>, name: &str, kind: Kind<'_>) -> Result<(), MultipartError> {
    out.extend_from_slice(b"--");
    out.extend_from_slice(MULTIPART_BOUNDARY.as_bytes());
    out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=");
    quoted(name, out);
    match kind {
        Kind::Text => {}
        Kind::Json => out.extend_from_slice(b"\r\nContent-Type: application/json"),
        Kind::File(filename, content_type) => {
            if content_type
                .bytes()
                .any(|b| matches!(b, b'\r' | b'\n' | b'"'))
            {
                return Err(MultipartError::ContentType {
                    name: name.into(),
                    content_type: content_type.into(),
                });
            }
            out.extend_from_slice(b"; filename=");
            quoted(filename, out);
            out.extend_from_slice(b"\r\nContent-Type: ");
            let content_type = if content_type.is_empty() {
                "application/octet-stream"
            } else {
                content_type
            };
            out.extend_from_slice(content_type.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n\r\n");
    Ok(())
}

/// The top level: a struct, each field a part (or none, or several).
struct Body<'o> {
    out: &'o mut Vec<u8>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Evidence {
        dispute_id: String,
        amount: Option<i64>,
        note: Option<String>,
        kind: Kind2,
        document: FilePart,
        extra: Vec<FilePart>,
        details: Option<Details>,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    enum Kind2 {
        ProofOfDelivery,
    }

    #[derive(serde::Serialize)]
    struct Details {
        carrier: String,
    }

    fn encoded<T: Serialize>(value: &T) -> Result<String, MultipartError> {
        let mut out = Vec::new();
        encode_multipart(value, &mut out)?;
        Ok(String::from_utf8(out)
            .unwrap()
            .replace(MULTIPART_BOUNDARY, "B"))
    }

    fn evidence() -> Evidence {
        Evidence {
            dispute_id: "PP-D-1".into(),
            amount: Some(500),
            note: None,
            kind: Kind2::ProofOfDelivery,
            document: FilePart::from_bytes("pod.pdf", "application/pdf", b"%PDF".to_vec()),
            extra: vec![
                FilePart::from_bytes("a.png", "image/png", b"A".to_vec()),
                FilePart::from_bytes("b.png", "", b"B".to_vec()),
            ],
            details: Some(Details {
                carrier: "DHL".into(),
            }),
        }
    }

    #[test]
    fn each_field_is_a_part_in_order_files_as_files_objects_as_json() {
        assert_eq!(
            encoded(&evidence()).unwrap(),
            "--B\r\nContent-Disposition: form-data; name=\"dispute_id\"\r\n\r\nPP-D-1\r\n\
             --B\r\nContent-Disposition: form-data; name=\"amount\"\r\n\r\n500\r\n\
             --B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nPROOF_OF_DELIVERY\r\n\
             --B\r\nContent-Disposition: form-data; name=\"document\"; filename=\"pod.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n\
             --B\r\nContent-Disposition: form-data; name=\"extra\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nA\r\n\
             --B\r\nContent-Disposition: form-data; name=\"extra\"; filename=\"b.png\"\r\nContent-Type: application/octet-stream\r\n\r\nB\r\n\
             --B\r\nContent-Disposition: form-data; name=\"details\"\r\nContent-Type: application/json\r\n\r\n{\"carrier\":\"DHL\"}\r\n\
             --B--\r\n"
        );
    }

    #[test]
    fn a_file_name_cannot_end_its_header_and_a_media_type_cannot_add_one() {
        let mut e = evidence();
        e.document = FilePart::from_bytes("a\".pdf\r\nX-Evil: 1", "application/pdf", b"x".to_vec());
        let body = encoded(&e).unwrap();
        assert!(
            body.contains("filename=\"a%22.pdf%0D%0AX-Evil: 1\"\r\n"),
            "{body}"
        );
        e.document = FilePart::from_bytes("a.pdf", "text/plain\r\nX-Evil: 1", b"x".to_vec());
        assert!(matches!(
            encoded(&e),
            Err(MultipartError::ContentType { name, .. }) if name == "document"
        ));
    }

    #[test]
    fn a_part_holding_the_boundary_is_refused_not_cut_short() {
        let mut e = evidence();
        let forged = format!("x\r\n--{MULTIPART_BOUNDARY}--\r\n");
        e.document = FilePart::from_bytes("a.pdf", "application/pdf", forged.clone().into_bytes());
        assert_eq!(
            encoded(&e),
            Err(MultipartError::Boundary {
                name: "document".into()
            })
        );
        e = evidence();
        e.details = Some(Details { carrier: forged });
        assert!(matches!(encoded(&e), Err(MultipartError::Boundary { .. })));
    }

    #[test]
    fn a_file_is_read_from_its_path_when_encoded_and_a_missing_one_is_an_error() {
        let dir = std::env::temp_dir().join(format!("paygen-multipart-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("label.txt");
        std::fs::write(&path, "shipped").unwrap();
        let mut e = evidence();
        e.document = FilePart::from_path(&path, "text/plain");
        assert_eq!(e.document.filename(), "label.txt");
        let body = encoded(&e).unwrap();
        assert!(
            body.contains("filename=\"label.txt\"\r\nContent-Type: text/plain\r\n\r\nshipped\r\n"),
            "{body}"
        );
        std::fs::remove_file(&path).unwrap();
        match encoded(&e) {
            Err(MultipartError::Read { path: p, .. }) => assert_eq!(p, path),
            other => panic!("{other:?}"),
        }
        let _ = std::fs::remove_dir(&dir);
    }

    #[test]
    fn debug_shows_the_size_never_the_contents() {
        let file = FilePart::from_bytes("kyc.pdf", "application/pdf", b"PAN ABCDE1234F".to_vec());
        let shown = format!("{file:?}");
        assert!(!shown.contains("ABCDE"), "{shown}");
        assert!(shown.contains("bytes: 14"), "{shown}");
    }

    #[test]
    fn outside_multipart_a_file_is_plain_data_and_decodes_back() {
        let file = FilePart::from_bytes("a.txt", "text/plain", b"hi".to_vec());
        let json = serde_json::to_string(&file).unwrap();
        assert_eq!(
            json,
            r#"{"filename":"a.txt","content_type":"text/plain","bytes":[104,105]}"#
        );
        assert_eq!(serde_json::from_str::<FilePart>(&json).unwrap(), file);
    }

    #[test]
    fn only_a_struct_is_a_body() {
        assert_eq!(encoded(&"text"), Err(MultipartError::NotFields));
        assert_eq!(encoded(&vec![1]), Err(MultipartError::NotFields));
    }
}
