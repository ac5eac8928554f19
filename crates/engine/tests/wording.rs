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

/// Every step without evidence says how to check it, and every command cut
/// out of a fix for its own copy button is whole: it starts with a program,
/// and its quotes and brackets are closed.
#[test]
fn checks_and_fix_commands_are_runnable() {
    use svcdoctor_engine::report::StepStatus;
    let mut problems = Vec::new();
    let mut cut = 0;
    for (name, text) in expectations::pasted_cases() {
        for lang in [Lang::En, Lang::Zh] {
            let report = diagnose(&Input {
                lang,
                ..Input::from_text(&text)
            });
            for step in &report.steps {
                let unknown = step.status == StepStatus::Unknown;
                match &step.check {
                    Some(c) if unknown && !c.command.trim().is_empty() && c.step == step.id => {}
                    None if !unknown => {}
                    other => problems.push(format!(
                        "{name} {lang:?}: {} {:?}: {other:?}",
                        step.id, step.status
                    )),
                }
            }
            for f in &report.findings {
                for command in svcdoctor_engine::render::commands(&f.fix) {
                    cut += 1;
                    let even = |q: char| command.matches(q).count() % 2 == 0;
                    let balanced =
                        |o: char, c: char| command.matches(o).count() == command.matches(c).count();
                    if !even('\'')
                        || !even('"')
                        || !balanced('(', ')')
                        || !balanced('{', '}')
                        || command.ends_with(['.', ',', ';'])
                    {
                        problems.push(format!("{name} {}: {command:?} from {:?}", f.code, f.fix));
                    }
                }
            }
        }
    }
    assert!(cut > 100, "only {cut} commands cut out of the fixes");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The lines of real iptables, IPVS and resolv.conf outputs are explained:
/// every output of those kinds in the pasted cases has explained lines, in
/// both languages, and no explanation keeps a `{placeholder}`.
#[test]
fn real_rule_and_resolver_lines_are_explained() {
    use svcdoctor_engine::ArtifactKind as K;
    let mut outputs = 0;
    let mut problems = Vec::new();
    for (name, text) in expectations::pasted_cases() {
        let report = diagnose(&Input::from_text(&text));
        let lines: Vec<&str> = text.lines().collect();
        for a in &report.artifacts {
            // (A grep that matched nothing is its command line alone.)
            if !matches!(a.kind, K::Iptables | K::Ipvs | K::Resolv) || a.lines[0] == a.lines[1] {
                continue;
            }
            outputs += 1;
            let mut explained = 0;
            for line in lines
                .get(a.lines[0] - 1..a.lines[1].min(lines.len()))
                .unwrap_or_default()
            {
                for lang in [Lang::En, Lang::Zh] {
                    if let Some(said) = svcdoctor_engine::render::explain(lang, a.kind, line) {
                        explained += 1;
                        if said.contains('{') {
                            problems.push(format!("{name}: {line:?} -> {said}"));
                        }
                    }
                }
            }
            if explained == 0 {
                problems.push(format!(
                    "{name}: no line of the {} output at lines {:?} explained",
                    a.kind.as_str(),
                    a.lines
                ));
            }
        }
    }
    assert!(outputs > 20, "only {outputs} outputs of those kinds");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
