//! The catalog as documents: the Markdown page `docs/rules.md` and the JSON
//! list of `svcdoctor rules --format json`, generated from [`RULES`].

use serde::Serialize;

use crate::checks::{Rule, RULES};
use crate::i18n::Lang;
use crate::report::Severity;
use crate::walk::steps::StepId;

/// One rule as `svcdoctor rules --format json` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct RuleEntry {
    pub code: &'static str,
    pub slug: &'static str,
    pub severity: Severity,
    pub step: StepId,
    pub summary_en: &'static str,
    pub summary_zh: &'static str,
    pub explains: Vec<&'static str>,
    pub docs: &'static str,
}

impl From<&Rule> for RuleEntry {
    fn from(r: &Rule) -> RuleEntry {
        RuleEntry {
            code: r.code,
            slug: r.slug,
            severity: r.severity,
            step: r.step,
            summary_en: r.summary.en,
            summary_zh: r.summary.zh,
            explains: r.explains.iter().map(|e| e.code).collect(),
            docs: r.docs,
        }
    }
}

pub fn entries() -> Vec<RuleEntry> {
    RULES.iter().map(|r| RuleEntry::from(*r)).collect()
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// One rule's section: heading, metadata line and its docs, with the docs'
/// `##` headings turned into `####` under the rule's `###`.
pub fn rule_markdown(r: &Rule) -> String {
    let mut out = format!(
        "### {} {}\n\n**{}** · step {} ({}) · {}\n",
        r.code,
        r.slug,
        severity(r.severity),
        r.step,
        r.step.title(Lang::En),
        r.summary.en
    );
    if !r.explains.is_empty() {
        out.push_str(&format!(
            "\nExplains, when both fire: {}.\n",
            r.explains
                .iter()
                .map(|e| e.code)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push('\n');
    for line in r.docs.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        match line.strip_prefix("## ") {
            Some(heading) => out.push_str(&format!("#### {heading}\n")),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The whole catalog as Markdown, grouped by step.
pub fn markdown() -> String {
    let mut out = String::from(
        "# svcdoctor rules\n\n\
         Generated from the rule registry by `svcdoctor rules --format markdown`; \
         do not edit by hand (a test fails when this file is stale).\n\n\
         Codes are permanent: never reused, renamed or renumbered.\n\n\
         | code | slug | severity | step | detects |\n|---|---|---|---|---|\n",
    );
    let mut sorted: Vec<&Rule> = RULES.to_vec();
    sorted.sort_by_key(|r| (r.step, r.code));
    for r in &sorted {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} |\n",
            r.code,
            format!("{}-{}", r.code, r.slug).to_ascii_lowercase(),
            r.slug,
            severity(r.severity),
            r.step,
            r.summary.en.replace('|', "\\|")
        ));
    }
    let mut step = None;
    for r in &sorted {
        if step != Some(r.step) {
            step = Some(r.step);
            out.push_str(&format!("\n## {} {}\n", r.step, r.step.title(Lang::En)));
        }
        out.push('\n');
        out.push_str(&rule_markdown(r));
    }
    out
}
