//! Cleaning pasted text without moving its lines.
//!
//! Terminals, chats and web pages add noise to what a tool printed: ANSI colour
//! codes, Windows line endings, non-breaking spaces. [`clean`] removes that noise
//! and keeps every line where it was, so that line numbers found later point at
//! the same lines the user sees in the paste box (a browser textarea turns CRLF
//! and lone CR into LF too).

use std::borrow::Cow;

/// Returns the text with ANSI escape sequences removed, CRLF and lone CR turned
/// into LF, and non-breaking or zero-width spaces turned into plain spaces or
/// dropped. Runs in linear time and never fails; a paste with nothing to
/// clean (the common case) is borrowed, not copied.
pub fn clean(raw: &str) -> Cow<'_, str> {
    // Most pastes have nothing to clean: copy them whole.
    // `[u8]::contains` runs memchr: a byte-by-byte `any` was 8% of the
    // diagnosis of a 27 MB dump.
    let bytes = raw.as_bytes();
    let bold = raw.contains("**");
    let noisy = bold
        || bytes.contains(&b'\r')
        || bytes.contains(&0x1b)
        || (!raw.is_ascii()
            && raw.contains([
                '\u{a0}', '\u{2007}', '\u{202f}', '\u{3000}', '\u{200b}', '\u{feff}',
            ]));
    if !noisy {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{1b}' => skip_escape(&mut chars),
            '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{3000}' => out.push(' '),
            '\u{200b}' | '\u{feff}' => {}
            _ => out.push(c),
        }
    }
    if bold {
        out = out.split('\n').map(unbold).collect::<Vec<_>>().join("\n");
    }
    Cow::Owned(out)
}

/// Drops Markdown bold markers around a word or phrase on one line, as
/// issue threads and chats add them to pasted output (`**10.0.0.10**`).
/// A `**` that opens before a space or closes after one is left alone.
fn unbold(line: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find("**") {
        let inner = &rest[open + 2..];
        let starts_word = inner
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '*');
        let close = inner.find("**").filter(|&at| {
            at > 0
                && inner[..at]
                    .chars()
                    .last()
                    .is_some_and(|c| !c.is_whitespace())
        });
        match (starts_word, close) {
            (true, Some(at)) => {
                out.push_str(&rest[..open]);
                out.push_str(&inner[..at]);
                rest = &inner[at + 2..];
            }
            _ => {
                out.push_str(&rest[..open + 2]);
                rest = inner;
            }
        }
    }
    if out.is_empty() {
        return Cow::Borrowed(line);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Skips the rest of an escape sequence whose ESC was just read: CSI
/// (`ESC [ ... final`), OSC (`ESC ] ... BEL` or `ESC ] ... ESC \`) and
/// two-character escapes. A newline always ends the sequence, so a broken
/// escape never swallows a line.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            while let Some(&c) = chars.peek() {
                if c == '\n' {
                    return;
                }
                chars.next();
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    return;
                }
            }
        }
        Some(']') => {
            chars.next();
            while let Some(&c) = chars.peek() {
                if c == '\n' {
                    return;
                }
                chars.next();
                if c == '\u{7}' {
                    return;
                }
                if c == '\u{1b}' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    return;
                }
            }
        }
        Some('\n') | None => {}
        Some(_) => {
            chars.next();
        }
    }
}

/// Width of a line's leading white space, a tab counting as one column past
/// the next multiple of eight, as terminals show it.
pub fn indent_of(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width = (width / 8 + 1) * 8,
            _ => break,
        }
    }
    width
}

/// True for a line that stands for left-out output: `...`, `…`, `[...]`.
pub fn is_elision(line: &str) -> bool {
    matches!(line.trim(), "..." | "…" | "[...]" | "(...)" | "...." | "……")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_and_keeps_lines() {
        let raw = "\u{1b}[1;32mNAME\u{1b}[0m  READY\r\nweb\t1/1\r\rnext";
        assert_eq!(clean(raw), "NAME  READY\nweb\t1/1\n\nnext");
    }

    #[test]
    fn broken_escape_does_not_swallow_the_next_line() {
        assert_eq!(clean("a\u{1b}[12\nb"), "a\nb");
        assert_eq!(clean("a\u{1b}]0;title\nb"), "a\nb");
        assert_eq!(clean("end\u{1b}"), "end");
    }

    #[test]
    fn markdown_bold_around_words_is_dropped() {
        assert_eq!(
            clean("kube-dns   **10.0.0.10**   <none>\nA **--cluster-dns=10.12.0.10** B"),
            "kube-dns   10.0.0.10   <none>\nA --cluster-dns=10.12.0.10 B"
        );
        // Not bold: a glob, a lone marker, markers around spaces.
        assert_eq!(clean("ls **/x.yaml"), "ls **/x.yaml");
        assert_eq!(clean("a ** b ** c"), "a ** b ** c");
        assert_eq!(clean("**open\nclose**"), "**open\nclose**");
    }

    #[test]
    fn odd_spaces_become_plain() {
        assert_eq!(clean("a\u{a0}b\u{200b}c\u{feff}"), "a bc");
    }

    #[test]
    fn indent_counts_tabs_as_terminals_do() {
        assert_eq!(indent_of("    x"), 4);
        assert_eq!(indent_of("\tx"), 8);
        assert_eq!(indent_of("  \tx"), 8);
        assert_eq!(indent_of("x"), 0);
    }

    #[test]
    fn elisions() {
        assert!(is_elision("  ...  "));
        assert!(!is_elision("a..."));
    }
}
