//! Text a spec gives, placed inside the Markdown of generated docs as inline
//! code, so that it reads as written and cannot start a block of its own.

/// `text` as a Markdown code span: fenced with one backtick more than the
/// longest run of backticks it holds, padded where it starts or ends with
/// one, and on one line (a line break in a span could start a code block
/// that rustdoc would run).
pub fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The longest run of backticks in `text`: a code span or fence around it
/// takes one more.
pub fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn spans_hold_any_text_on_one_line() {
        assert_eq!(code("INR"), "`INR`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("line\n\n    fn main() {}"), "`line      fn main() {}`");
        assert_eq!(code(""), "``");
    }
}
