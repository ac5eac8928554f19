//! EP308 workload-selector-mismatch (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{labels_to_string, selector_matches};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A workload's `spec.selector.matchLabels` against its own pod template's
/// labels.
///
/// ## Why it matters
/// A Deployment whose selector does not match its template is rejected by the
/// API server (apps/v1), or, for older objects, never finds its own pods: no
/// pods run for the Service to select.
///
/// ## Evidence
/// The selector and the template labels.
///
/// ## Fix
/// Make the template's labels include every pair of the selector.
pub static RULE = Rule {
    code: "EP308",
    slug: "workload-selector-mismatch",
    severity: Severity::Error,
    step: StepId::B3,
    summary: crate::text!("a Deployment's selector does not match its own template labels", "Deployment 的 selector 与它自己的 Pod 模板标签不匹配"),
    explains: &[&crate::checks::endpoints::selector_matches_no_pods::RULE, &crate::checks::endpoints::no_ready_endpoints::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for w in &facts.model.workloads {
        let (Some(selector), Some(labels)) = (&w.selector, &w.template_labels) else {
            continue;
        };
        // A workload agreeing with itself says nothing of the Service's
        // selector: not the fact that decides B3, so no pass from it.
        if selector_matches(selector, labels) {
            continue;
        }
        let who = format!(
            "{} {}",
            w.kind.to_ascii_lowercase(),
            w.name.as_deref().unwrap_or(facts.not_shown())
        );
        let message = facts.fill(
            crate::text!(
                "{who} selects {sel} but its pod template is labelled {labels}",
                "{who} 的 selector 是 {sel}，而它的 Pod 模板标签是 {labels}"
            ),
            &[
                ("who", &who),
                ("sel", &labels_to_string(selector)),
                ("labels", &labels_to_string(labels)),
            ],
        );
        let fix = facts.fill(
            crate::text!("Make spec.template.metadata.labels of {who} include {sel} (kubectl edit {who}{ns}); the selector of a Deployment cannot change, so fix the template.", "让 {who} 的 spec.template.metadata.labels 包含 {sel}（kubectl edit {who}{ns}）；Deployment 的 selector 不可修改，请修改模板。"),
            &[("who", &who), ("sel", &labels_to_string(selector)), ("ns", &w.namespace.as_deref().map(|n| format!(" -n {n}")).unwrap_or_default())],
        );
        let mut evidence = Vec::new();
        if let Some(o) = w.selector_origin {
            evidence.push(facts.evidence(o));
        }
        if let Some(o) = w.template_labels_origin {
            evidence.push(facts.evidence(o));
        }
        sink.report(
            &RULE,
            crate::report::Subject::shared(
                crate::report::SubjectKind::Workload,
                w.namespace.as_deref(),
                w.name.as_deref(),
            ),
            message,
            evidence,
            fix,
        );
    }
}
