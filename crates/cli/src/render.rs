//! The readable report for terminals.

use std::fmt::Write;

use svcdoctor_engine::checks::Rule;
use svcdoctor_engine::inspect::Inspection;
use svcdoctor_engine::report::{Evidence, Finding, StepStatus};
use svcdoctor_engine::Lang;
use svcdoctor_engine::{Input, Report, Verdict};

/// `file:12-14`, or `line 12-14` for a single unnamed paste.
fn place(input: &Input, source: usize, lines: [usize; 2]) -> String {
    let range = if lines[0] == lines[1] {
        lines[0].to_string()
    } else {
        format!("{}-{}", lines[0], lines[1])
    };
    match input.sources.get(source).and_then(|s| s.name.as_deref()) {
        Some(name) => format!("{name}:{range}"),
        None => format!("line {range}"),
    }
}

fn evidence(out: &mut String, input: &Input, e: &Evidence) {
    let _ = writeln!(out, "    {}", place(input, e.source, e.lines));
    for line in e.excerpt.lines() {
        let _ = writeln!(out, "      | {line}");
    }
}

fn finding(out: &mut String, input: &Input, f: &Finding) {
    let _ = writeln!(
        out,
        "  {} {} (step {}, {})",
        f.code,
        f.slug,
        f.step,
        serde_json::to_value(f.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "  {}", f.message);
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "\n  Evidence:");
        for e in &f.evidence {
            evidence(out, input, e);
        }
    }
    let _ = writeln!(out, "\n  Fix:");
    for line in f.fix.lines() {
        let _ = writeln!(out, "    {line}");
    }
}

/// Colours only on a terminal, and never with NO_COLOR set
/// (<https://no-color.org>).
pub fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Wraps text in an ANSI colour when `on`.
fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

pub fn text(report: &Report, input: &Input, colour: bool) -> String {
    let mut out = String::new();
    match report.verdict {
        Verdict::RootCause => out.push_str(&paint(colour, "1;31", "Root cause found\n\n")),
        Verdict::Healthy => out.push_str(&paint(
            colour,
            "1;32",
            "Healthy: every step with evidence passes\n",
        )),
        Verdict::NeedEvidence => out.push_str(&paint(
            colour,
            "1;33",
            "Nothing wrong found, but the evidence is not enough to decide\n",
        )),
    }
    if let Some(root) = &report.root_cause {
        finding(&mut out, input, &root.finding);
        if !root.explains.is_empty() {
            let _ = writeln!(out, "\n  Explains: {}", root.explains.join(", "));
        }
    }
    let others: Vec<&Finding> = report.other_findings().collect();
    if !others.is_empty() {
        out.push_str("\nOther findings\n");
        for f in others {
            out.push('\n');
            finding(&mut out, input, f);
        }
    }
    out.push_str("\nSteps: ");
    let steps: Vec<String> = report
        .steps
        .iter()
        .map(|s| {
            let mark = match s.status {
                StepStatus::Pass => "pass",
                StepStatus::Fail => "FAIL",
                StepStatus::Warn => "warn",
                StepStatus::Unknown => "?",
                StepStatus::NotApplicable => "n/a",
            };
            format!("{} {mark}", s.id)
        })
        .collect();
    out.push_str(&steps.join(", "));
    out.push('\n');
    if !report.not_checked.is_empty() {
        let ids: Vec<&str> = report.not_checked.iter().map(|s| s.as_str()).collect();
        let _ = writeln!(out, "Not checked (no evidence): {}", ids.join(", "));
    }
    for n in &report.next {
        let _ = writeln!(out, "\nNext ({}): {}\n  $ {}", n.step, n.why, n.command);
    }
    let _ = writeln!(out, "\nRead {} outputs:", report.artifacts.len());
    for a in &report.artifacts {
        let cmd = a
            .command
            .as_deref()
            .map(|c| format!("  $ {c}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {} {}{cmd}", place(input, a.source, a.lines), a.kind);
        for d in &a.diagnostics {
            let _ = writeln!(out, "    line {}: {}", d.line, d.message);
        }
    }
    out
}

/// What was understood, for people: one block per artifact with its facts
/// as indented JSON.
pub fn inspection_text(inspection: &Inspection, input: &Input) -> String {
    let mut out = String::new();
    for a in &inspection.artifacts {
        let r = &a.artifact;
        let cmd = r
            .command
            .as_deref()
            .map(|c| format!("  $ {c}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "#{} {} {}{cmd}",
            r.index,
            place(input, r.source, r.lines),
            r.kind
        );
        for d in &r.diagnostics {
            let _ = writeln!(out, "  line {}: {}", d.line, d.message);
        }
        let facts = serde_json::to_string_pretty(&a.model).unwrap_or_default();
        for line in facts.lines() {
            let _ = writeln!(out, "  {line}");
        }
        out.push('\n');
    }
    if inspection.artifacts.is_empty() {
        out.push_str("Nothing to read: the input is empty.\n");
    }
    out
}

fn severity(s: svcdoctor_engine::Severity) -> &'static str {
    match s {
        svcdoctor_engine::Severity::Error => "error",
        svcdoctor_engine::Severity::Warning => "warning",
        svcdoctor_engine::Severity::Info => "info",
    }
}

/// One line per rule.
pub fn rules_text(rules: &[&Rule], lang: Lang) -> String {
    let mut out = String::new();
    for r in rules {
        let _ = writeln!(
            out,
            "{:<8} {:<36} {:<8} {}  {}",
            r.code,
            r.slug,
            severity(r.severity),
            r.step,
            r.summary.get(lang)
        );
    }
    out
}

/// One rule in full.
pub fn rule_text(r: &Rule, lang: Lang) -> String {
    let mut out = format!(
        "{} {} ({}, step {}: {})\n{}\n\n",
        r.code,
        r.slug,
        severity(r.severity),
        r.step,
        r.step.title(lang),
        r.summary.get(lang)
    );
    for line in r.docs.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        out.push_str(line.strip_prefix("## ").unwrap_or(line));
        out.push('\n');
    }
    if !r.explains.is_empty() {
        let _ = writeln!(
            out,
            "\nExplains, when both fire: {}",
            r.explains
                .iter()
                .map(|e| e.code)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

/// What was understood, as Markdown: one section per artifact.
pub fn inspection_markdown(inspection: &Inspection) -> String {
    let mut out = String::from("# svcdoctor inspect\n");
    for a in &inspection.artifacts {
        let r = &a.artifact;
        let _ = writeln!(
            out,
            "\n## {} {} (lines {}-{})\n",
            r.index, r.kind, r.lines[0], r.lines[1]
        );
        if let Some(cmd) = &r.command {
            let _ = writeln!(out, "`$ {cmd}`\n");
        }
        for d in &r.diagnostics {
            let _ = writeln!(out, "- line {}: {}", d.line, d.message);
        }
        let facts = serde_json::to_string_pretty(&a.model).unwrap_or_default();
        let _ = writeln!(out, "\n```json\n{facts}\n```");
    }
    out
}
