//! The report as Markdown, for pasting into a ticket or a chat (the web
//! app's export and `--format markdown`).

use std::fmt::Write;

use super::{case_lines, lines_word, severity, status, subject};
use crate::i18n::Lang;
use crate::report::{Finding, Report, Verdict};

fn finding(out: &mut String, lang: Lang, f: &Finding, heading: &str) {
    let _ = writeln!(
        out,
        "{heading} {} {} ({}, {} {})\n",
        f.code,
        f.slug,
        severity(lang, f.severity),
        crate::text!("step", "步骤").get(lang),
        f.step
    );
    let _ = writeln!(out, "{}\n", f.message);
    let _ = writeln!(
        out,
        "{}{}\n",
        crate::text!("About: ", "对象：").get(lang),
        subject(lang, &f.subject)
    );
    for e in &f.evidence {
        let _ = writeln!(out, "{}:\n", lines_word(lang, e.lines));
        let _ = writeln!(out, "```text\n{}\n```\n", e.excerpt);
    }
    let _ = writeln!(
        out,
        "**{}**\n\n```text\n{}\n```\n",
        crate::text!("Fix", "修复").get(lang),
        f.fix
    );
}

/// The whole report in Markdown.
pub fn report(report: &Report, lang: Lang) -> String {
    let mut out =
        String::from(crate::text!("# svcdoctor report\n\n", "# svcdoctor 诊断报告\n\n").get(lang));
    let verdict = match report.verdict {
        Verdict::RootCause => crate::text!("**Root cause found.**", "**已找到根因。**").get(lang),
        Verdict::Healthy => crate::text!(
            "**Healthy**: every step with evidence passes.",
            "**正常**：所有有证据的步骤都通过。"
        )
        .get(lang),
        Verdict::NeedEvidence => crate::text!(
            "**Evidence needed**: nothing fails, but a deciding step has no evidence.",
            "**需要更多证据**：没有发现问题，但有关键步骤缺少证据。"
        )
        .get(lang),
    };
    let _ = writeln!(out, "{verdict}\n");
    for line in case_lines(lang, &report.case) {
        let _ = writeln!(out, "- {line}");
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}: `{}`{}\n",
        crate::text!("Access path", "访问方式").get(lang),
        report.via.value.as_str(),
        if report.via.inferred {
            crate::text!(" (inferred)", "（推断）").get(lang)
        } else {
            ""
        }
    );
    if let Some(root) = &report.root_cause {
        finding(
            &mut out,
            lang,
            &root.finding,
            &format!("## {}:", crate::text!("Root cause", "根因").get(lang)),
        );
        if !root.explains.is_empty() {
            let _ = writeln!(
                out,
                "{}: {}\n",
                crate::text!("Explains", "同时解释了").get(lang),
                root.explains.join(", ")
            );
        }
    }
    for n in &report.next {
        let _ = writeln!(
            out,
            "## {} ({})\n\n{}\n\n```sh\n{}\n```\n",
            crate::text!("Next step", "下一步").get(lang),
            n.step,
            n.why,
            n.command
        );
    }
    let _ = writeln!(out, "## {}\n", crate::text!("Steps", "步骤").get(lang));
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
    if let Some(stated) = super::stated_line(lang, report) {
        let _ = writeln!(out, "*{stated}*\n");
    }
    let others: Vec<&Finding> = report.other_findings().collect();
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "## {}\n",
            crate::text!("Other findings", "其他发现").get(lang)
        );
        for f in others {
            finding(&mut out, lang, f, "###");
        }
    }
    let _ = writeln!(
        out,
        "## {}\n",
        crate::text!("Outputs read", "已识别的输出").get(lang)
    );
    for a in &report.artifacts {
        let cmd = a
            .command
            .as_deref()
            .map(|c| format!(" `{c}`"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {} {}-{}: {}{cmd}",
            crate::text!("lines", "行").get(lang),
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
