//! Where the world keeps its entities' text (ids and JSON): appended to a
//! few large buffers and found again by place, rather than in a heap block
//! of its own each.
//!
//! Written here, not taken from a crate: what it must do is small (append
//! text, read it back by place, never move it) and the arena crates hand out
//! references tied to the arena, which the world cannot hold beside it. The
//! reason is the mock's request rate (the bench's paygen-mock row): a
//! `create_order` keeps an order and a payment, and with each kept in a
//! block of its own, the world's blocks and each call's short-lived ones
//! interleaved in the allocator, so that every call worked in memory the
//! cache had not seen. On rounds of 30,000 calls at concurrency 50, the
//! mock's serving thread took 20-22 µs of CPU a call so, 15.6-16 µs with the
//! world here (and the log's buffers reused), and 13 µs keeping nothing
//! (docs/performance.md, the paygen-mock row).
//!
//! Text is never freed one piece at a time: a changed entity's new text is
//! appended and its old text stays, unread, until the world is dropped.

/// The size of the first slab; each next one is twice the last, up to
/// [`LARGEST`]. A longer text gets a slab of its own length.
const SLAB: usize = 64 << 10;

/// The largest slab: a world that grows past a few slabs asks the allocator
/// for memory a mebibyte at a time, not 64 KiB at a time (each a call into
/// the kernel to grow the heap).
const LARGEST: usize = 1 << 20;

/// Where one text is: its slab, its start in it, its length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    slab: u32,
    start: u32,
    len: u32,
}

/// Text appended to slabs.
#[derive(Debug, Default)]
pub(crate) struct Slabs {
    slabs: Vec<String>,
}

impl Slabs {
    /// Keeps `text`; its place.
    pub(crate) fn push(&mut self, text: &str) -> Span {
        let fits = self
            .slabs
            .last()
            .is_some_and(|slab| slab.capacity() - slab.len() >= text.len());
        if !fits {
            let size = self.slabs.last().map_or(SLAB, |last| {
                (last.capacity().saturating_mul(2)).clamp(SLAB, LARGEST)
            });
            self.slabs.push(String::with_capacity(size.max(text.len())));
        }
        let slab = self.slabs.len() - 1;
        let buffer = &mut self.slabs[slab];
        let start = buffer.len();
        // Within capacity: the buffer does not move, and no text is copied again.
        buffer.push_str(text);
        Span {
            slab: u32::try_from(slab).unwrap_or(u32::MAX),
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        }
    }

    /// The text kept at `span`.
    pub(crate) fn get(&self, span: Span) -> &str {
        let (start, len) = (span.start as usize, span.len as usize);
        self.slabs
            .get(span.slab as usize)
            .and_then(|slab| slab.get(start..start + len))
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_reads_back_as_kept_across_slabs() {
        let mut slabs = Slabs::default();
        let long = "é".repeat(SLAB);
        let texts: Vec<String> = (0..2_000)
            .map(|i| match i % 500 {
                0 => long.clone(),
                7 => String::new(),
                _ => format!(
                    "{{\"id\":\"pay_{i}\",\"notes\":\"{}\"}}",
                    "x".repeat(i % 97)
                ),
            })
            .collect();
        let spans: Vec<Span> = texts.iter().map(|t| slabs.push(t)).collect();
        assert!(slabs.slabs.len() > 2, "{} slabs", slabs.slabs.len());
        let sizes: Vec<usize> = slabs.slabs.iter().map(String::capacity).collect();
        assert!(sizes[1] > sizes[0], "{sizes:?}: they grow");
        assert!(
            sizes.iter().all(|s| *s <= LARGEST.max(long.len())),
            "{sizes:?}"
        );
        for (text, span) in texts.iter().zip(&spans) {
            assert_eq!(slabs.get(*span), text);
        }
    }
}
