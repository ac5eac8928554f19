//! The CLI's own text: the catalog and the inspection for terminals (the
//! report itself is rendered by the engine's `render::text`).

use std::fmt::Write;

use svcdoctor_engine::checks::Rule;
use svcdoctor_engine::inspect::Inspection;
use svcdoctor_engine::Input;
use svcdoctor_engine::Lang;

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

/// Colours only on a terminal, and never with NO_COLOR set
/// (<https://no-color.org>).
pub fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
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
