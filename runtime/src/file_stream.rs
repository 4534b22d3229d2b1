//! Sending a multipart body whose files are given by path: the encoded body
//! without the files' contents, and each file streamed into its place from
//! disk as the request goes out, a chunk at a time, so a large document
//! never sits in memory whole.
//!
//! Our own `http_body::Body`: reqwest's `multipart::Form` streams too, but
//! with a random boundary and encoded its own way (see `multipart`), and its
//! `wrap_stream` would need a feature for what fifty lines do here.

use std::fs;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};

use paygen_model::MULTIPART_BOUNDARY;

/// How much of a file is read and sent at a time.
const CHUNK: usize = 64 * 1024;

/// A file whose contents go at byte `at` of an encoded body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spliced {
    /// Where in the encoded body the contents go.
    pub(crate) at: usize,
    /// The file.
    pub(crate) path: PathBuf,
    /// Its length when the body was encoded: exactly this much is sent.
    pub(crate) len: u64,
    /// The part's field name, for errors.
    pub(crate) name: String,
}

/// A body to send: `head` (the encoded body without the files' contents)
/// with each of `files` read into its place. Made again for each attempt
/// of a call, so every attempt reads the files from the start.
pub(crate) struct FileStream {
    head: Bytes,
    files: Arc<[Spliced]>,
    /// How much of `head` was sent.
    sent: usize,
    /// The next file of `files` to open.
    next: usize,
    reading: Option<Reading>,
    left_total: u64,
}

struct Reading {
    file: tokio::fs::File,
    left: u64,
    /// The end of the previous chunk, where a boundary may start.
    tail: Vec<u8>,
    buffer: Box<[u8]>,
    spliced: usize,
}

impl FileStream {
    pub(crate) fn new(head: Bytes, files: Arc<[Spliced]>) -> Self {
        let left_total = head.len() as u64 + files.iter().map(|f| f.len).sum::<u64>();
        FileStream {
            head,
            files,
            sent: 0,
            next: 0,
            reading: None,
            left_total,
        }
    }

    /// The next piece of the body, `None` at its end.
    fn poll_piece(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        loop {
            if let Some(reading) = &mut self.reading {
                let spliced = reading.spliced;
                if reading.left == 0 {
                    // The file must end where it ended when the body was
                    // encoded: a longer one would be cut short in silence.
                    let mut probe = [0u8; 1];
                    let mut buf = ReadBuf::new(&mut probe);
                    ready!(Pin::new(&mut reading.file).poll_read(cx, &mut buf))?;
                    if !buf.filled().is_empty() {
                        return Poll::Ready(Some(Err(fail(
                            &self.files,
                            spliced,
                            "grew while it was sent",
                        ))));
                    }
                    self.reading = None;
                    continue;
                }
                let want = CHUNK.min(usize::try_from(reading.left).unwrap_or(CHUNK));
                let mut buf = ReadBuf::new(&mut reading.buffer[..want]);
                ready!(Pin::new(&mut reading.file).poll_read(cx, &mut buf))?;
                let chunk = buf.filled();
                if chunk.is_empty() {
                    return Poll::Ready(Some(Err(fail(
                        &self.files,
                        spliced,
                        "shrank while it was sent",
                    ))));
                }
                // A boundary inside the file, or across two chunks, would end
                // the part early: the body fails instead (the gateway sees it
                // cut short, as its length says more is coming).
                let boundary = MULTIPART_BOUNDARY.as_bytes();
                let mut seam = std::mem::take(&mut reading.tail);
                seam.extend_from_slice(&chunk[..chunk.len().min(boundary.len())]);
                if contains(&seam, boundary) || contains(chunk, boundary) {
                    return Poll::Ready(Some(Err(fail(
                        &self.files,
                        spliced,
                        "contains the multipart boundary",
                    ))));
                }
                let keep = chunk.len().min(boundary.len() - 1);
                reading.tail = chunk[chunk.len() - keep..].to_vec();
                reading.left -= chunk.len() as u64;
                let piece = Bytes::copy_from_slice(chunk);
                self.left_total -= piece.len() as u64;
                return Poll::Ready(Some(Ok(piece)));
            }
            let until = self.files.get(self.next).map_or(self.head.len(), |f| f.at);
            if self.sent < until {
                let piece = self.head.slice(self.sent..until);
                self.sent = until;
                self.left_total -= piece.len() as u64;
                return Poll::Ready(Some(Ok(piece)));
            }
            let Some(spliced) = self.files.get(self.next) else {
                return Poll::Ready(None);
            };
            let index = self.next;
            self.next += 1;
            // Opening a local file does not wait on the network; its reads
            // go through tokio's blocking pool.
            let file = fs::File::open(&spliced.path)
                .map_err(|e| fail(&self.files, index, &format!("cannot be opened: {e}")))?;
            self.reading = Some(Reading {
                file: tokio::fs::File::from_std(file),
                left: spliced.len,
                tail: Vec::new(),
                buffer: vec![0; CHUNK].into_boxed_slice(),
                spliced: index,
            });
        }
    }
}

impl http_body::Body for FileStream {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        self.get_mut()
            .poll_piece(cx)
            .map(|piece| piece.map(|piece| piece.map(Frame::data)))
    }

    /// Exact, so the request says its `Content-Length`.
    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.left_total)
    }
}

/// Why sending the file `files[spliced]` failed.
fn fail(files: &[Spliced], spliced: usize, what: &str) -> io::Error {
    let file = &files[spliced];
    io::Error::other(format!(
        "part `{}`: `{}` {what}",
        file.name,
        file.path.display()
    ))
}

/// Whether `needle` occurs in `haystack`.
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body as _;

    /// Every piece of `stream`, or the error it ends with.
    async fn pieces(mut stream: FileStream) -> Result<Vec<Bytes>, io::Error> {
        let mut out = Vec::new();
        while let Some(frame) =
            std::future::poll_fn(|cx| Pin::new(&mut stream).poll_frame(cx)).await
        {
            out.push(frame?.into_data().expect("data frames only"));
        }
        Ok(out)
    }

    /// A file in the tests' scratch folder: one folder for every run, its few
    /// files written again each time, so that runs do not pile up on disk.
    fn file_with(name: &str, contents: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join("paygen-file-stream");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    fn stream(head: &[u8], at: usize, path: PathBuf, len: u64) -> FileStream {
        let files = vec![Spliced {
            at,
            path,
            len,
            name: "evidence".into(),
        }];
        FileStream::new(Bytes::copy_from_slice(head), files.into())
    }

    #[tokio::test]
    async fn a_file_goes_into_its_place_a_chunk_at_a_time() {
        let contents: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let path = file_with("large.bin", &contents);
        let body = stream(b"head|tail", 5, path, contents.len() as u64);
        assert_eq!(body.size_hint().exact(), Some(9 + 200_000));
        let pieces = pieces(body).await.unwrap();
        assert!(
            pieces.iter().all(|p| p.len() <= CHUNK),
            "never the whole file at once"
        );
        assert!(pieces.len() >= 4, "{} pieces", pieces.len());
        let sent: Vec<u8> = pieces.concat();
        assert_eq!(&sent[..5], b"head|");
        assert_eq!(&sent[5..5 + contents.len()], &contents[..]);
        assert_eq!(&sent[5 + contents.len()..], b"tail");
    }

    #[tokio::test]
    async fn a_file_that_changed_length_since_encoding_fails_the_body() {
        let path = file_with("changed.txt", b"twelve bytes");
        let grew = pieces(stream(b"", 0, path.clone(), 6)).await.unwrap_err();
        assert!(
            grew.to_string().ends_with("grew while it was sent"),
            "{grew}"
        );
        let shrank = pieces(stream(b"", 0, path.clone(), 20)).await.unwrap_err();
        assert!(
            shrank.to_string().ends_with("shrank while it was sent"),
            "{shrank}"
        );
        let exact = pieces(stream(b"", 0, path, 12)).await.unwrap();
        assert_eq!(exact.concat(), b"twelve bytes");
    }

    #[tokio::test]
    async fn a_boundary_in_a_file_fails_the_body_even_across_two_chunks() {
        let boundary = MULTIPART_BOUNDARY.as_bytes();
        for start in [10, CHUNK - 5, CHUNK - boundary.len(), CHUNK - 1] {
            let mut contents = vec![b'x'; CHUNK * 2];
            contents[start..start + boundary.len()].copy_from_slice(boundary);
            let path = file_with(&format!("forged-{start}.bin"), &contents);
            let error = pieces(stream(b"", 0, path, contents.len() as u64))
                .await
                .unwrap_err();
            assert!(
                error
                    .to_string()
                    .ends_with("contains the multipart boundary"),
                "at {start}: {error}"
            );
        }
        // The boundary's first bytes at a seam, and no boundary: sent whole.
        let mut contents = vec![b'x'; CHUNK * 2];
        contents[CHUNK - 4..CHUNK].copy_from_slice(&boundary[..4]);
        let path = file_with("innocent.bin", &contents);
        let sent = pieces(stream(b"", 0, path, contents.len() as u64))
            .await
            .unwrap();
        assert_eq!(sent.concat(), contents);
    }

    #[tokio::test]
    async fn a_file_removed_since_encoding_fails_the_body_naming_it() {
        let path = file_with("gone.txt", b"x");
        std::fs::remove_file(&path).unwrap();
        let error = pieces(stream(b"h", 1, path, 1)).await.unwrap_err();
        assert!(
            error.to_string().contains("gone.txt` cannot be opened"),
            "{error}"
        );
    }
}
