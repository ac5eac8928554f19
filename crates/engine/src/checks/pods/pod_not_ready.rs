//! POD402 pod-not-ready (see [`RULE`]).

use crate::checks::pods::service_pods;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Running pods of a Service that are not Ready (`0/1` in READY, condition
/// Ready False).
///
/// ## Why it matters
/// A pod that fails its readiness probe is removed from the endpoints: the
/// Service sends it no traffic, and with every pod unready it has none.
///
/// ## Evidence
/// The rows of the unready pods.
///
/// ## Fix
/// Find out why the readiness probe fails (events), and fix the probe's
/// path or port, or the app.
pub static RULE = Rule {
    code: "POD402",
    slug: "pod-not-ready",
    severity: Severity::Error,
    step: StepId::B4,
    summary: crate::text!("Running but not Ready", "Pod 在运行但未就绪"),
    explains: &[&crate::checks::endpoints::endpoints_not_ready::RULE, &crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let pods = service_pods(facts);
    let known: Vec<_> = pods.iter().filter(|(_, p)| p.ready.is_some()).collect();
    if known.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let unready: Vec<_> = known
        .iter()
        .copied()
        .filter(|(_, p)| p.ready == Some(false) && p.phase.is_none_or(|ph| ph == "Running"))
        .collect();
    // One Service's pods (see `of_first_service`).
    let unready = crate::checks::pods::of_first_service(&unready);
    if unready.is_empty() {
        return;
    }
    let known: Vec<_> = known
        .into_iter()
        .filter(|(s, _)| *s == unready[0].0)
        .collect();
    let names: Vec<&str> = unready
        .iter()
        .map(|(_, p)| p.name.unwrap_or(facts.not_shown()))
        .collect();
    let message = facts.fill(
        crate::text!(
            "{n} of {all} pods of Service {svc} run but are not ready: {names}",
            "Service {svc} 的 {all} 个 Pod 中有 {n} 个在运行但未就绪：{names}"
        ),
        &[
            ("n", &unready.len().to_string()),
            ("all", &known.len().to_string()),
            ("svc", &unready[0].0.label()),
            ("names", &names.join(", ")),
        ],
    );
    let message = message + crate::checks::pods::tie_note(facts, &unready);
    let ns = unready[0].1.namespace.unwrap_or("default");
    let fix = facts.fill(
        crate::text!("See why readiness fails: kubectl describe pod {pod} -n {ns} (look for \"Readiness probe failed\"); fix the probe's path/port or the app.", "查看就绪失败原因：kubectl describe pod {pod} -n {ns}（查找 \"Readiness probe failed\"）；修正探针路径/端口或应用。"),
        &[("pod", names[0]), ("ns", ns)],
    );
    let evidence = unready
        .iter()
        .filter_map(|(_, p)| p.origins.first())
        .map(|o| facts.evidence(*o))
        .collect();
    sink.report(
        &RULE,
        crate::checks::pods::subject(&unready[0].0, &unready[0].1),
        message,
        evidence,
        fix,
    );
}
