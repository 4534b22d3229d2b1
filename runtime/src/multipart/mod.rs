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

use serde::ser::{self, Serialize, SerializeStruct, Serializer};
use serde::{Deserialize, Deserializer};

use paygen_model::MULTIPART_BOUNDARY;

/// The name a `FilePart` gives itself to serde, which the multipart encoder
/// recognises; any other serializer sees a plain struct.
pub(super) const FILE_PART: &str = "$paygen::FilePart";

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
pub(super) enum Source {
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
    pub(super) static SPLICED: RefCell<Option<Vec<Spliced>>> = const { RefCell::new(None) };
    /// The `FilePart` being serialized, handed to the multipart encoder
    /// beside serde (which passes values, not types): whole, so a file is
    /// read once and its bytes are never copied into a serde value.
    pub(super) static HANDED: RefCell<Option<FilePart>> = const { RefCell::new(None) };
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
    encode: &dyn Fn() -> Result<Vec<u8>, crate::EncodeError>,
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
use fields::Body;

/// What a part holds, which its headers say.
pub(super) enum Kind<'a> {
    Text,
    Json,
    /// A file: its name and media type.
    File(&'a str, &'a str),
}

/// Writes one part: its headers, then `content`.
pub(super) fn part(
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
pub(super) fn part_head(
    out: &mut Vec<u8>,
    name: &str,
    kind: Kind<'_>,
) -> Result<(), MultipartError> {
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

mod fields;
#[cfg(test)]
mod tests;
