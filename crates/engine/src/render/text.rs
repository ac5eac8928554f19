//! The report for terminals (`svcdoctor diagnose`), in the report's
//! language, with ANSI colours when the caller asks for them.

use std::fmt::Write;

use super::{case_lines, lines_word, severity, status, subject};
use crate::i18n::Lang;
use crate::report::{Evidence, Finding, Report, StepStatus, Verdict};

/// How to name the pasted texts and whether to colour.
pub struct Style<'a> {
    /// The name of each source (a file), in input order; `None` for a
    /// paste without one.
    pub names: &'a [Option<&'a str>],
    pub colour: bool,
    pub lang: Lang,
}

impl Style<'_> {
    /// `file:12-14`, or `line 12-14` for a paste without a name.
    fn place(&self, source: usize, lines: [usize; 2]) -> String {
        match self.names.get(source).copied().flatten() {
            Some(name) if lines[0] == lines[1] => format!("{name}:{}", lines[0]),
            Some(name) => format!("{name}:{}-{}", lines[0], lines[1]),
            None => lines_word(self.lang, lines),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }
}

fn evidence(out: &mut String, style: &Style<'_>, e: &Evidence) {
    let _ = writeln!(out, "    {}", style.place(e.source, e.lines));
    for line in e.excerpt.lines() {
        let _ = writeln!(out, "      | {line}");
    }
}

fn finding(out: &mut String, style: &Style<'_>, f: &Finding) {
    let lang = style.lang;
    let _ = writeln!(
        out,
        "  {} {} ({} {}, {})",
        f.code,
        f.slug,
        crate::text!("step", "步骤").get(lang),
        f.step,
        severity(lang, f.severity)
    );
    let _ = writeln!(out, "  {}", f.message);
    let _ = writeln!(
        out,
        "  {}{}",
        crate::text!("About: ", "对象：").get(lang),
        subject(lang, &f.subject)
    );
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "\n  {}", crate::text!("Evidence:", "证据：").get(lang));
        for e in &f.evidence {
            evidence(out, style, e);
        }
    }
    let _ = writeln!(out, "\n  {}", crate::text!("Fix:", "修复：").get(lang));
    for line in f.fix.lines() {
        let _ = writeln!(out, "    {line}");
    }
}

/// The whole report.
pub fn report(report: &Report, style: &Style<'_>) -> String {
    let lang = style.lang;
    let mut out = String::new();
    let (code, verdict) = match report.verdict {
        Verdict::RootCause => (
            "1;31",
            crate::text!("Root cause found", "已找到根因").get(lang),
        ),
        Verdict::Healthy => (
            "1;32",
            crate::text!(
                "Healthy: every step with evidence passes",
                "正常：所有有证据的步骤都通过"
            )
            .get(lang),
        ),
        Verdict::NeedEvidence => (
            "1;33",
            crate::text!(
                "Nothing wrong found, but the evidence is not enough to decide",
                "暂未发现问题，但证据不足以下结论"
            )
            .get(lang),
        ),
    };
    let _ = writeln!(out, "{}", style.paint(code, verdict));
    for line in case_lines(lang, &report.case) {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    if let Some(root) = &report.root_cause {
        finding(&mut out, style, &root.finding);
        if !root.explains.is_empty() {
            let _ = writeln!(
                out,
                "\n  {}{}",
                crate::text!("Explains: ", "同时解释了：").get(lang),
                root.explains.join(", ")
            );
        }
    }
    let others: Vec<&Finding> = report.other_findings().collect();
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            crate::text!("Other findings", "其他发现").get(lang)
        );
        for f in others {
            out.push('\n');
            finding(&mut out, style, f);
        }
    }
    let steps: Vec<String> = report
        .steps
        .iter()
        .map(|s| {
            let mark = match s.status {
                StepStatus::Fail => style.paint("31", &status(lang, s.status).to_uppercase()),
                StepStatus::Unknown => "?".to_string(),
                other => status(lang, other).to_string(),
            };
            format!("{} {mark}", s.id)
        })
        .collect();
    let _ = writeln!(
        out,
        "\n{}{}",
        crate::text!("Steps: ", "步骤：").get(lang),
        steps.join(", ")
    );
    if let Some(stated) = super::stated_line(lang, report) {
        let _ = writeln!(out, "{stated}");
    }
    if !report.not_checked.is_empty() {
        let ids: Vec<&str> = report.not_checked.iter().map(|s| s.as_str()).collect();
        let _ = writeln!(
            out,
            "{}{}",
            crate::text!("Not checked (no evidence): ", "未检查（缺少证据）：").get(lang),
            ids.join(", ")
        );
    }
    for n in &report.next {
        let _ = writeln!(
            out,
            "\n{} ({}): {}\n  $ {}",
            crate::text!("Next", "下一步").get(lang),
            n.step,
            n.why,
            n.command
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        crate::text!("Read {n} outputs:", "识别出 {n} 段输出：")
            .get(lang)
            .replace("{n}", &report.artifacts.len().to_string())
    );
    for a in &report.artifacts {
        let cmd = a
            .command
            .as_deref()
            .map(|c| format!("  $ {c}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {} {}{cmd}", style.place(a.source, a.lines), a.kind);
        for d in &a.diagnostics {
            let _ = writeln!(out, "    {}: {}", super::line_word(lang, d.line), d.message);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{report, Style};
    use crate::{diagnose, Input, Lang};

    #[test]
    fn speaks_the_report_language_and_names_the_case() {
        let text = "$ kubectl get svc web -o yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  selector:\n    app: web\n$ kubectl get pods --show-labels\nNAME READY STATUS RESTARTS AGE LABELS\nweb-7d4b9c8f5-x2x9z 1/1 Running 0 5d app=Web\n";
        for (lang, verdict, about, case) in [
            (
                Lang::En,
                "Root cause found",
                "About: Service default/web",
                "Service in question: default/web",
            ),
            (
                Lang::Zh,
                "已找到根因",
                "对象：Service default/web",
                "所排查的 Service：default/web",
            ),
        ] {
            let r = diagnose(&Input {
                lang,
                ..Input::from_text(text)
            });
            let out = report(
                &r,
                &Style {
                    names: &[None],
                    colour: false,
                    lang,
                },
            );
            assert!(out.starts_with(verdict), "{out}");
            assert!(out.contains(about), "{out}");
            assert!(out.contains(case), "{out}");
            if lang == Lang::Zh {
                assert!(
                    !out.contains("Evidence:") && !out.contains("Steps:"),
                    "{out}"
                );
            }
        }
    }
}
