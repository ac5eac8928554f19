//! What the report says is words a person can act on: no bare `?` where a
//! name, address or port was not pasted, in either language, for every
//! pasted case the tests hold.

mod expectations;

use svcdoctor_engine::{diagnose, Input, Lang};

/// A `?` standing alone: `pod ? (Running)`, `port ?`, `(?)`.
fn bare_question_mark(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let alone =
            |o: Option<&char>| o.is_none_or(|c| c.is_whitespace() || "(),:;/'\"".contains(*c));
        c == '?' && alone(i.checked_sub(1).and_then(|j| chars.get(j))) && alone(chars.get(i + 1))
    })
}

#[test]
fn messages_never_show_a_bare_question_mark() {
    assert!(bare_question_mark("pod ? (Running)"));
    assert!(bare_question_mark("port ?"));
    assert!(!bare_question_mark("why does it fail? Read the log"));
    let mut problems = Vec::new();
    for (name, text) in expectations::pasted_cases() {
        for lang in [Lang::En, Lang::Zh] {
            let report = diagnose(&Input {
                lang,
                ..Input::from_text(&text)
            });
            let said = report
                .findings
                .iter()
                .flat_map(|f| [f.message.as_str(), f.fix.as_str()])
                .chain(
                    report
                        .next
                        .iter()
                        .flat_map(|n| [n.why.as_str(), n.command.as_str()]),
                );
            for line in said {
                if bare_question_mark(line) {
                    problems.push(format!("{name} ({lang:?}): {line}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
