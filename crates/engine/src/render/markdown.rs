//! The report as Markdown, for pasting into a ticket or a chat (the web
//! app's export and `--format markdown`).

use std::fmt::Write;

use super::{case_lines, lines_word, severity, status, subject, t};
use crate::i18n::Lang;
use crate::report::{Finding, Report, Verdict};

fn finding(out: &mut String, lang: Lang, f: &Finding, heading: &str) {
    let _ = writeln!(
        out,
        "{heading} {} {} ({}, {} {})\n",
        f.code,
        f.slug,
        severity(lang, f.severity),
        t(lang, "step", "步骤"),
        f.step
    );
    let _ = writeln!(out, "{}\n", f.message);
    let _ = writeln!(
        out,
        "{}{}\n",
        t(lang, "About: ", "对象："),
        subject(lang, &f.subject)
    );
    for e in &f.evidence {
        let _ = writeln!(out, "{}:\n", lines_word(lang, e.lines));
        let _ = writeln!(out, "```text\n{}\n```\n", e.excerpt);
    }
    let _ = writeln!(
        out,
        "**{}**\n\n```text\n{}\n```\n",
        t(lang, "Fix", "修复"),
        f.fix
    );
}

/// The whole report in Markdown.
pub fn report(report: &Report, lang: Lang) -> String {
    let mut out = String::from(t(
        lang,
        "# svcdoctor report\n\n",
        "# svcdoctor 诊断报告\n\n",
    ));
    let verdict = match report.verdict {
        Verdict::RootCause => t(lang, "**Root cause found.**", "**已找到根因。**"),
        Verdict::Healthy => t(
            lang,
            "**Healthy**: every step with evidence passes.",
            "**正常**：所有有证据的步骤都通过。",
        ),
        Verdict::NeedEvidence => t(
            lang,
            "**Evidence needed**: nothing fails, but a deciding step has no evidence.",
            "**需要更多证据**：没有发现问题，但有关键步骤缺少证据。",
        ),
    };
    let _ = writeln!(out, "{verdict}\n");
    for line in case_lines(lang, &report.case) {
        let _ = writeln!(out, "- {line}");
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}: `{}`{}\n",
        t(lang, "Access path", "访问方式"),
        report.via.value.as_str(),
        if report.via.inferred {
            t(lang, " (inferred)", "（推断）")
        } else {
            ""
        }
    );
    if let Some(root) = &report.root_cause {
        finding(
            &mut out,
            lang,
            &root.finding,
            &format!("## {}:", t(lang, "Root cause", "根因")),
        );
        if !root.explains.is_empty() {
            let _ = writeln!(
                out,
                "{}: {}\n",
                t(lang, "Explains", "同时解释了"),
                root.explains.join(", ")
            );
        }
    }
    for n in &report.next {
        let _ = writeln!(
            out,
            "## {} ({})\n\n{}\n\n```sh\n{}\n```\n",
            t(lang, "Next step", "下一步"),
            n.step,
            n.why,
            n.command
        );
    }
    let _ = writeln!(out, "## {}\n", t(lang, "Steps", "步骤"));
    let _ = writeln!(out, "| | | |\n|---|---|---|");
    for s in &report.steps {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            s.id,
            status(lang, s.status),
            s.title.replace('|', "\\|")
        );
    }
    out.push('\n');
    let others: Vec<&Finding> = report.other_findings().collect();
    if !others.is_empty() {
        let _ = writeln!(out, "## {}\n", t(lang, "Other findings", "其他发现"));
        for f in others {
            finding(&mut out, lang, f, "###");
        }
    }
    let _ = writeln!(out, "## {}\n", t(lang, "Outputs read", "已识别的输出"));
    for a in &report.artifacts {
        let cmd = a
            .command
            .as_deref()
            .map(|c| format!(" `{c}`"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {} {}-{}: {}{cmd}",
            t(lang, "lines", "行"),
            a.lines[0],
            a.lines[1],
            a.kind
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Input, Lang};

    #[test]
    fn markdown_has_the_root_cause_and_steps() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  selector:\n    app: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  template:\n    metadata:\n      labels:\n        app: Web\n";
        let report = diagnose(&Input::from_text(text));
        let md = super::report(&report, Lang::En);
        assert!(
            md.contains("## Root cause: EP301 selector-matches-no-pods"),
            "{md}"
        );
        assert!(md.contains("| B3 | fail |"), "{md}");
        let zh = super::report(&report, Lang::Zh);
        assert!(zh.contains("## 根因: EP301"), "{zh}");
        assert!(zh.contains("| B3 | 失败 |"), "{zh}");
    }
}
