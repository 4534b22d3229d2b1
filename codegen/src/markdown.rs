//! Renders text a spec writes (descriptions, summaries) as inert rustdoc
//! Markdown: it reads as the page wrote it, and nothing in it runs.
//!
//! rustdoc compiles and runs every code block of a doc comment as a doctest
//! unless its info string says otherwise (an unlabelled fence, a `rust` one,
//! an indented block), and passes raw HTML into its pages. So every code
//! block becomes a fence labelled `text` with the same content, and raw HTML
//! is escaped to the text it shows; links, lists and emphasis stay, a bare
//! URL becomes a link (`<https://...>`), as rustdoc asks of one, and a
//! bracket is escaped, as `[b]` would be a link to an item `b`.
//! pulldown-cmark, the parser rustdoc itself uses, finds the blocks, and the
//! result is parsed again to check it: where rewriting cannot make it inert
//! (HTML hiding a fence that escaping uncovers, nested more times than the
//! rewrite is tried), the whole text is shown as one `text` block.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// How many times a text is rewritten before it is shown as one block.
const REWRITES: usize = 4;

/// `text` as doc lines that rustdoc shows and never runs.
pub fn inert(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut text = text.trim().to_owned();
    for _ in 0..REWRITES {
        if is_inert(&text) && !has_raw_text(&text) {
            return lines(&text);
        }
        text = rewrite(&text);
    }
    if is_inert(&text) {
        lines(&text)
    } else {
        one_block(&text)
    }
}

/// `text` on one line, inert, for a place inside a sentence (a title in
/// "A client for {title}."): its whitespace runs are one space, and where
/// that line would still be more than text (a fence), every ASCII
/// punctuation mark is escaped.
pub fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match inert(&flat).as_slice() {
        [one] => one.clone(),
        [] => String::new(),
        _ => {
            let mut out = String::with_capacity(flat.len() * 2);
            for c in flat.chars() {
                if c.is_ascii_punctuation() {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
    }
}

/// The doc lines of `text`. A line of prose right after a quoted one is
/// part of the quote in Markdown (a "lazy" continuation, which published
/// descriptions write and clippy's `doc_lazy_continuation` refuses): it is
/// given the quote's `>`, which changes nothing rustdoc shows.
fn lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        // Up to three spaces may come before a quote's `>`.
        let quoted = |l: &str| {
            let rest = l.trim_start_matches(' ');
            l.len() - rest.len() <= 3 && rest.starts_with('>')
        };
        let continues_quote = out
            .last()
            .is_some_and(|prev| quoted(prev) && !prev.trim_start_matches([' ', '>']).is_empty())
            && !quoted(line)
            && line
                .trim_start_matches(' ')
                .starts_with(|c: char| c.is_alphanumeric() || c == '[' || c == '(');
        if continues_quote {
            out.push(format!("> {}", line.trim_start()));
        } else {
            out.push(line.to_owned());
        }
    }
    out
}

/// The options rustdoc parses doc comments with.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Whether every code block of `text` is a `text` fence and it has no raw HTML.
fn is_inert(text: &str) -> bool {
    Parser::new_ext(text, options()).all(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.trim() == "text",
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => false,
        Event::Html(_) | Event::InlineHtml(_) => false,
        _ => true,
    })
}

/// Whether text outside links and code, as written, holds a bare URL or a
/// bracket (see [`plain`]).
fn has_raw_text(text: &str) -> bool {
    // Links and code blocks, counted alike: nothing in them is rewritten.
    let mut in_link = 0usize;
    Parser::new_ext(text, options())
        .into_offset_iter()
        .any(|(event, range)| match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                in_link += 1;
                false
            }
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                in_link = in_link.saturating_sub(1);
                false
            }
            Event::Text(t) => {
                in_link == 0
                    && *t == text[range.clone()]
                    && plain(&t, is_escaped(text, range.start)).is_some()
            }
            _ => false,
        })
}

/// `text` with each code block fenced as `text` and each piece of raw HTML
/// escaped, everything else as written.
fn rewrite(text: &str) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut block: Option<(Range<usize>, bool, String)> = None;
    let mut in_link = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
            // Text as written (no escapes in it), outside links and code:
            // its bare URLs become links and its brackets text.
            Event::Text(t) if block.is_none() && in_link == 0 && *t == text[range.clone()] => {
                if let Some(plain) = plain(&t, is_escaped(text, range.start)) {
                    edits.push((range, plain));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let indented = matches!(kind, CodeBlockKind::Indented);
                block = Some((range, indented, String::new()));
            }
            Event::Text(t) if block.is_some() => {
                if let Some((_, _, content)) = block.as_mut() {
                    content.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((range, indented, content)) = block.take() {
                    edits.push(fenced(text, range, indented, &content));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) if block.is_none() => {
                edits.push((range.clone(), escape_html(&text[range])));
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Plain `text` as rustdoc should read it, or `None` when it already does:
/// each bare `http(s)://` URL in angle brackets (rustdoc asks for a link),
/// each other `[` and `]` escaped (rustdoc would read `[b]` as a link to an
/// item `b`). Punctuation that ends a sentence is not part of a URL.
///
/// pulldown-cmark starts a text after the backslash that escapes its first
/// character: `escaped_first` says so, and that bracket is left as it is.
fn plain(text: &str, escaped_first: bool) -> Option<String> {
    static URL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let url = URL.get_or_init(|| {
        regex::Regex::new(r#"https?://[^\s<>\[\]]*[^\s<>.,;:!?'")\[\]]"#).expect("the URL pattern")
    });
    let (kept, text) = match text.chars().next() {
        Some(first @ ('[' | ']')) if escaped_first => (Some(first), &text[1..]),
        _ => (None, text),
    };
    if !url.is_match(text) && !text.contains(['[', ']']) {
        return None;
    }
    let escaped = |part: &str| part.replace('[', "\\[").replace(']', "\\]");
    let mut out = String::with_capacity(text.len() + 8);
    out.extend(kept);
    let mut at = 0;
    for found in url.find_iter(text) {
        out.push_str(&escaped(&text[at..found.start()]));
        out.push('<');
        out.push_str(found.as_str());
        out.push('>');
        at = found.end();
    }
    out.push_str(&escaped(&text[at..]));
    Some(out)
}

/// Whether the character at `at` follows a backslash that escapes it.
fn is_escaped(text: &str, at: usize) -> bool {
    let backslashes = text[..at].chars().rev().take_while(|&c| c == '\\').count();
    backslashes % 2 == 1
}

/// The edit that shows the code block at `range` as a `text` fence holding
/// `content`, inside the same containers (list items, quotes) it was in.
/// An indented block's range starts after its indent, which goes with it.
fn fenced(
    text: &str,
    mut range: Range<usize>,
    indented: bool,
    content: &str,
) -> (Range<usize>, String) {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    if indented {
        let prefix = &text[line_start..range.start];
        let kept = if prefix.ends_with('\t') {
            prefix.len() - 1
        } else {
            prefix
                .trim_end_matches(' ')
                .len()
                .max(prefix.len().saturating_sub(4))
        };
        range.start = line_start + kept;
    }
    // The first line's containers stay in the text; the next lines repeat
    // them, with list markers as the spaces that continue an item.
    let continuation: String = text[line_start..range.start]
        .chars()
        .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
        .collect();
    let mut end = range.end;
    if text[..end].ends_with('\n') {
        end -= 1;
    }
    let fence = fence_around(content);
    let mut out = format!("{fence}text");
    for line in content.strip_suffix('\n').unwrap_or(content).split('\n') {
        out.push('\n');
        out.push_str(&continuation);
        out.push_str(line);
    }
    out.push('\n');
    out.push_str(&continuation);
    out.push_str(&fence);
    (range.start..end, out)
}

/// The whole text as one `text` fence: nothing inside a fence is Markdown.
fn one_block(text: &str) -> Vec<String> {
    let fence = fence_around(text);
    let mut out = vec![format!("{fence}text")];
    out.extend(lines(text));
    out.push(fence);
    out
}

/// A code fence that `text` cannot close: three backticks, or one more
/// than its longest run.
fn fence_around(text: &str) -> String {
    "`".repeat(3.max(paygen_model::doc::longest_backtick_run(text) + 1))
}

/// Raw HTML as the text it was written as: `<`, `>` and `&` escaped.
fn escape_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    for c in html.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> String {
        inert(text).join("\n")
    }

    #[test]
    fn fences_become_text_fences_with_their_content() {
        assert_eq!(
            doc("Run this:\n```\nstd::fs::write(\"x\", \"\").unwrap();\n```\nthen go."),
            "Run this:\n```text\nstd::fs::write(\"x\", \"\").unwrap();\n```\nthen go."
        );
        assert_eq!(
            doc("~~~rust,no_run\nfn main() {}\n~~~"),
            "```text\nfn main() {}\n```"
        );
        // Backticks inside are kept by a longer fence.
        assert_eq!(doc("````\n```\n````"), "````text\n```\n````");
        // A fence never closed ends with the text, closed.
        assert_eq!(doc("```\nloop {}"), "```text\nloop {}\n```");
        // A fence already labelled as text is left as it is.
        assert_eq!(doc("```text\nx\n```"), "```text\nx\n```");
    }

    #[test]
    fn indented_blocks_become_fences_and_keep_their_layout() {
        assert_eq!(
            doc("Body:\n\n    {\n      \"amount\": 100\n    }\n\nDone."),
            "Body:\n\n```text\n{\n  \"amount\": 100\n}\n```\n\nDone."
        );
        assert_eq!(
            doc("- a list item:\n\n  ```\n  panic!()\n  ```\n- next"),
            "- a list item:\n\n  ```text\n  panic!()\n  ```\n- next"
        );
        assert_eq!(
            doc("> quoted:\n> ```\n> x()\n> ```"),
            "> quoted:\n> ```text\n> x()\n> ```"
        );
    }

    #[test]
    fn html_is_escaped_and_links_kept() {
        assert_eq!(
            doc("<script>alert(1)</script>\n\nSee <https://razorpay.com/docs> and [the page](https://x.test)."),
            "&lt;script&gt;alert(1)&lt;/script&gt;\n\nSee <https://razorpay.com/docs> and [the page](https://x.test)."
        );
        assert_eq!(doc("a <b>bold</b> word"), "a &lt;b&gt;bold&lt;/b&gt; word");
        // Code spans are code already: their `<` is shown as written.
        assert_eq!(doc("use `Vec<u8>`"), "use `Vec<u8>`");
    }

    #[test]
    fn a_fence_hidden_in_html_is_fenced_once_escaping_uncovers_it() {
        let text = doc("<div>\n```\nstd::process::exit(1)\n```\n</div>");
        assert!(is_inert(&text), "{text}");
        assert!(
            text.contains("```text\nstd::process::exit(1)\n```"),
            "{text}"
        );
    }

    #[test]
    fn bare_urls_become_links_and_links_stay() {
        assert_eq!(
            doc("See https://razorpay.com/docs/api/orders/create/. Or [this](https://x.test)."),
            "See <https://razorpay.com/docs/api/orders/create/>. Or [this](https://x.test)."
        );
        assert_eq!(doc("<https://a.test/b>"), "<https://a.test/b>");
        assert_eq!(doc("(https://a.test/b)"), "(<https://a.test/b>)");
        assert_eq!(doc("`https://a.test`"), "`https://a.test`");
        assert_eq!(
            doc("```\nhttps://a.test\n```"),
            "```text\nhttps://a.test\n```"
        );
        assert_eq!(
            doc("[DEPRECATED: see https://a.test/x.] and [b]"),
            "\\[DEPRECATED: see <https://a.test/x>.\\] and \\[b\\]"
        );
    }

    #[test]
    fn a_line_that_continues_a_quote_is_quoted() {
        assert_eq!(
            doc("> Deprecated. Use\n[the new API](https://a.b/c) instead.\n\nAfter."),
            "> Deprecated. Use\n> [the new API](https://a.b/c) instead.\n\nAfter."
        );
        // A line after an empty quote line starts a paragraph of its own.
        assert_eq!(doc("> a\n>\nb"), "> a\n>\nb");
        // A list item is not a continuation.
        assert_eq!(doc("> a\n- b"), "> a\n- b");
    }

    #[test]
    fn a_title_is_one_inert_line() {
        assert_eq!(
            one_line("Cashfree  Payments\n API"),
            "Cashfree Payments API"
        );
        assert_eq!(
            one_line("A <b>bold</b> [x] API"),
            "A &lt;b&gt;bold&lt;/b&gt; \\[x\\] API"
        );
        assert_eq!(one_line("```"), "\\`\\`\\`");
        assert_eq!(one_line("    indented"), "indented");
    }

    #[test]
    fn line_breaks_of_every_kind_are_lines() {
        assert_eq!(
            inert("a\r\n\r\n    b\rc"),
            ["a", "", "```text", "b", "```", "c"]
        );
    }

    proptest::proptest! {
        /// Whatever a spec writes, the doc lines have no code block but
        /// `text` fences and no raw HTML, as rustdoc parses them.
        #[test]
        fn every_text_is_inert(text in "([ `~<>/\\n\\r\\t>*#-]|[a-z]{1,3}|\\d\\.|    |```|~~~|<div>|<!--|\\[x\\]\\(y\\)|https://a\\.b/c|\\[|\\]|\\\\){0,40}") {
            let lines = inert(&text);
            let joined = lines.join("\n");
            proptest::prop_assert!(is_inert(&joined), "{:?} -> {:?}", text, joined);
            proptest::prop_assert!(!has_raw_text(&joined), "{:?} -> {:?}", text, joined);
            proptest::prop_assert!(lines.iter().all(|l| !l.contains('\n') && !l.contains('\r')));
        }
    }
}
