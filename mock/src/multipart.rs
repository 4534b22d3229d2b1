//! Reads a `multipart/form-data` body into the tree a form body becomes
//! (`form::FormValue`): each text part a text under its name, each file part
//! a file, a name sent more than once a list in the order sent, so the
//! generated request type reads it as it reads a form.
//!
//! The parts are read by `multer` (RFC 7578: part headers, quoted and
//! encoded names, the closing delimiter). multer reads a stream of chunks
//! asynchronously; the mock has the whole body in memory before it routes a
//! call, so the stream is one chunk that is always ready and every poll of
//! the reader completes at once (`at_once`). The boundary is the one the
//! body's first line names: the mock reads no preamble before the first
//! part (no client sends one), and `server` refuses a body whose boundary
//! is not the one its `Content-Type` names (`boundary_of`).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;

use crate::form::{FilePart, FormValue, MAX_FIELDS};

/// The boundary a body's first line names (`--<boundary>\r\n`).
pub(crate) fn first_boundary(body: &[u8]) -> Option<&str> {
    let line_end = body.windows(2).position(|w| w == b"\r\n")?;
    let boundary = body[..line_end].strip_prefix(b"--")?;
    std::str::from_utf8(boundary).ok().filter(|b| !b.is_empty())
}

/// The boundary a `Content-Type` header names, when it is multipart's.
pub(crate) fn boundary_of(content_type: &str) -> Option<String> {
    multer::parse_boundary(content_type).ok()
}

/// The body's parts as a form tree, or why it cannot be read.
pub(crate) fn parse(body: &[u8]) -> Result<FormValue, String> {
    let boundary = first_boundary(body)
        .ok_or("a multipart body must start with `--` and its boundary")?
        .to_owned();
    let chunk = Bytes::copy_from_slice(body);
    let stream = futures_util::stream::iter(std::iter::once(Ok::<_, Infallible>(chunk)));
    let mut reader = multer::Multipart::new(stream, boundary);
    let mut fields: BTreeMap<String, Vec<FormValue>> = BTreeMap::new();
    let mut count = 0;
    while let Some(field) = at_once(reader.next_field())?.map_err(|e| e.to_string())? {
        count += 1;
        if count > MAX_FIELDS {
            return Err(format!("the body has more than {MAX_FIELDS} parts"));
        }
        let name = field
            .name()
            .ok_or("a part has no name in its Content-Disposition")?
            .to_owned();
        let file = field.file_name().map(|filename| {
            let content_type = field
                .content_type()
                .map_or("application/octet-stream".to_owned(), ToString::to_string);
            (filename.to_owned(), content_type)
        });
        let bytes = at_once(field.bytes())?.map_err(|e| e.to_string())?;
        let value = match file {
            Some((filename, content_type)) => FormValue::File(FilePart {
                filename,
                content_type,
                bytes,
            }),
            None => FormValue::Text(
                String::from_utf8(bytes.to_vec())
                    .map_err(|_| format!("part `{name}` is not UTF-8 text"))?,
            ),
        };
        fields.entry(name).or_default().push(value);
    }
    let tree = fields
        .into_iter()
        .map(|(name, mut values)| {
            let value = if values.len() == 1 {
                values.remove(0)
            } else {
                FormValue::Map(
                    values
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (i.to_string(), v))
                        .collect(),
                )
            };
            (name, value)
        })
        .collect();
    Ok(FormValue::Map(tree))
}

/// Runs a future that cannot wait (it reads a stream that is always ready)
/// to its end; one that would wait is refused, never blocked on.
fn at_once<F: Future>(future: F) -> Result<F::Output, String> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err("the multipart body could not be read at once".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDARY: &str = "b0undary";

    /// A part: its name, its file name and media type if it is a file, its content.
    type Part<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

    fn body(parts: &[Part<'_>]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, file, content) in parts {
            out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match file {
                Some((filename, media)) => out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {media}\r\n\r\n").as_bytes(),
                ),
                None => out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            out.extend_from_slice(content);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }

    #[test]
    fn texts_files_and_repeated_names_make_the_form_tree() {
        let sent = body(&[
            ("doc_type", None, b"Shipping Proof"),
            (
                "file",
                Some(("proof.pdf", "application/pdf")),
                b"%PDF-1.7\r\nbinary\x00",
            ),
            ("tag", None, b"a"),
            ("tag", None, b"b"),
        ]);
        let FormValue::Map(tree) = parse(&sent).unwrap() else {
            panic!("a map");
        };
        assert_eq!(tree["doc_type"], FormValue::Text("Shipping Proof".into()));
        assert_eq!(
            tree["file"],
            FormValue::File(FilePart {
                filename: "proof.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: Bytes::from_static(b"%PDF-1.7\r\nbinary\x00"),
            })
        );
        assert_eq!(
            FormValue::Map(tree.clone()).to_json()["tag"],
            serde_json::json!({"0": "a", "1": "b"})
        );
        assert_eq!(
            FormValue::Map(tree).to_json()["file"],
            serde_json::json!({"filename": "proof.pdf", "content_type": "application/pdf", "bytes": 17})
        );
    }

    #[test]
    fn a_body_that_is_not_multipart_is_refused() {
        assert!(parse(b"doc_type=x").is_err());
        assert!(parse(b"--b0undary\r\nno headers at all").is_err());
        let unnamed = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--{BOUNDARY}--\r\n"
        );
        assert!(parse(unnamed.as_bytes()).is_err());
    }

    #[test]
    fn a_body_of_more_than_1000_parts_is_refused() {
        let part: Part<'_> = ("tag", None, b"x");
        assert!(parse(&body(&vec![part; MAX_FIELDS])).is_ok());
        let refused = parse(&body(&vec![part; MAX_FIELDS + 1])).unwrap_err();
        assert!(refused.contains("more than 1000 parts"), "{refused}");
    }

    #[test]
    fn the_boundary_is_read_from_the_first_line_and_the_header() {
        assert_eq!(first_boundary(b"--abc\r\nrest"), Some("abc"));
        assert_eq!(first_boundary(b"preamble\r\n--abc\r\n"), None);
        assert_eq!(
            boundary_of("multipart/form-data; boundary=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(boundary_of("application/json"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PAYGEN_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
        ))]

        /// Any bytes after a boundary line: a tree or a refusal; never a panic
        /// and never a wait.
        #[test]
        fn any_body_is_read_or_refused(
            rest in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b'\r'), proptest::strategy::Just(b'\n'),
                    proptest::strategy::Just(b'-'), proptest::strategy::Just(b'"'),
                    proptest::strategy::Just(b':'), proptest::num::u8::ANY,
                ],
                0..400,
            ),
            header in proptest::bool::ANY,
        ) {
            let mut sent = b"--b0undary\r\n".to_vec();
            if header {
                sent.extend_from_slice(b"Content-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n");
            }
            sent.extend_from_slice(&rest);
            if let Ok(tree) = parse(&sent) {
                let _ = tree.to_json();
            }
        }
    }
}
