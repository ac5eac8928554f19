//! POD405 pod-restarting (see [`RULE`]).

use crate::checks::pods::service_pods;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

/// Restarts from which a pod counts as restarting often.
const MANY: u32 = 5;

declare_rule! {
/// ## What it checks
/// The restart count of a Service's pods: 5 or more.
///
/// ## Why it matters
/// A pod that keeps restarting is out of the endpoints while it starts, so
/// the Service fails now and then, and connections in flight break.
///
/// ## Evidence
/// The rows of the restarting pods.
///
/// ## Fix
/// Read the previous container's logs and the last state's reason (OOMKilled,
/// liveness probe failures).
pub static RULE = Rule {
    code: "POD405",
    slug: "pod-restarting",
    severity: Severity::Warning,
    step: StepId::B4,
    summary: crate::text!("restart count high: intermittent failures", "重启次数过多：间歇性故障"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let pods = service_pods(facts);
    let restarting: Vec<_> = pods
        .iter()
        .filter(|(_, p)| p.restarts.is_some_and(|r| r >= MANY))
        .collect();
    // One Service's pods (see `of_first_service`).
    let restarting = crate::checks::pods::of_first_service(&restarting);
    if pods.iter().any(|(_, p)| p.restarts.is_some()) {
        sink.checked(RULE.step);
    }
    let Some((svc, first)) = restarting.first() else {
        return;
    };
    let list: Vec<String> = restarting
        .iter()
        .map(|(_, p)| {
            format!(
                "{} ({})",
                p.name.unwrap_or(facts.not_shown()),
                p.restarts.unwrap_or(0)
            )
        })
        .collect();
    let message = facts.fill(
        crate::text!(
            "pods of Service {svc} restart often: {list}",
            "Service {svc} 的 Pod 频繁重启：{list}"
        ),
        &[("svc", &svc.label()), ("list", &list.join(", "))],
    );
    let fix = facts.fill(
        crate::text!("Read the last crash: kubectl logs {pod} -n {ns} --previous; kubectl describe pod {pod} -n {ns} (Last State: reason, exit code; OOMKilled means raise the memory limit).", "查看上次崩溃：kubectl logs {pod} -n {ns} --previous；kubectl describe pod {pod} -n {ns}（Last State 的原因和退出码；OOMKilled 表示需要提高内存限制）。"),
        &[("pod", first.name.unwrap_or("POD")), ("ns", first.namespace.unwrap_or("default"))],
    );
    let evidence: Vec<_> = restarting
        .iter()
        .filter_map(|(_, p)| p.origins.first())
        .map(|o| facts.evidence(*o))
        .collect();
    // Requests to the Service that fail now and then while its pods keep
    // restarting: the restarts are the cause.
    let flapping = facts.user_services().into_iter().find_map(|s| {
        crate::checks::service::probes_of(facts, &s)
            .into_iter()
            .find(|p| p.intermittent)
    });
    let harm = flapping.map(|probe| facts.evidence(probe.origin));
    sink.report_unless_harm(
        &RULE,
        crate::checks::pods::subject(svc, first),
        harm,
        message,
        evidence,
        fix,
    );
}
