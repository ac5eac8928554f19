//! EP306 selector-too-broad (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::workloads_selected;
use crate::model::labels_to_string;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A Service selector that matches the pods of more than one workload.
///
/// ## Why it matters
/// Traffic is spread over every matching pod: requests land on pods of
/// another app (or another version), which answer wrongly or refuse the port.
/// The symptom is intermittent failures.
///
/// ## Evidence
/// The selector and the workloads it matches.
///
/// ## Fix
/// Add a label that only the intended pods carry to both the pod template
/// and the selector (a deliberate canary is the exception).
pub static RULE = Rule {
    code: "EP306",
    slug: "selector-too-broad",
    severity: Severity::Warning,
    step: StepId::B3,
    summary: crate::text!("the selector also matches pods of another workload", "selector 还匹配到了其他工作负载的 Pod"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let Some((selector, origin)) = svc.selector_labels() else {
            continue;
        };
        let matched = workloads_selected(facts.model, svc.namespace, selector);
        let mut names: Vec<String> = matched
            .iter()
            .map(|w| {
                format!(
                    "{} {}",
                    w.kind.to_ascii_lowercase(),
                    w.name.as_deref().unwrap_or(facts.not_shown())
                )
            })
            .collect();
        names.dedup();
        if names.len() < 2 {
            continue;
        }
        let message = facts.fill(
            crate::text!(
                "selector {sel} of Service {svc} matches the pods of {n} workloads: {names}",
                "Service {svc} 的 selector {sel} 匹配了 {n} 个工作负载的 Pod：{names}"
            ),
            &[
                ("sel", &labels_to_string(selector)),
                ("svc", &svc.label()),
                ("n", &names.len().to_string()),
                ("names", &names.join(", ")),
            ],
        );
        let fix = facts.tr(crate::text!("Give the intended pods a label of their own (for example app.kubernetes.io/name) in their template, and add it to the Service's selector.", "在目标 Pod 的模板中加一个它们独有的标签（例如 app.kubernetes.io/name），并把它加入 Service 的 selector。")).to_string();
        let mut evidence = vec![facts.evidence(origin)];
        evidence.extend(
            matched
                .iter()
                .map(|w| facts.evidence(w.pod_labels().map_or(w.origin, |(_, o)| o))),
        );
        // Requests to the Service that sometimes fail: some of them land on
        // the other workload's pods. Then the broad selector is the cause.
        let flapping = crate::checks::service::probes_of(facts, &svc)
            .into_iter()
            .find(|p| p.intermittent);
        let harm = flapping.map(|probe| facts.evidence(probe.origin));
        sink.report_unless_harm(&RULE, svc.subject(), harm, message, evidence, fix);
    }
}
