//! CIL962 cilium-backends-mismatch (see [`RULE`]).

use crate::checks::rules::{differences, expected, frontends_of, mismatch_message, proxied};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The Service's frontend in Cilium's service map, compared with its ready
/// endpoints: backends that are missing, and backends that are not
/// `active` (terminating, quarantined, maintenance) or no longer ready.
///
/// ## Why it matters
/// Cilium sends new connections only to active backends: a ready endpoint
/// missing from the map gets no traffic, and a Service whose backends are
/// all terminating or quarantined answers nothing.
///
/// ## Evidence
/// The frontend's lines and the endpoints.
///
/// ## Fix
/// Check the agent on that node and that it sees the Service's
/// EndpointSlices.
pub static RULE = Rule {
    code: "CIL962",
    slug: "cilium-backends-mismatch",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("Cilium's active backends for the Service differ from its ready endpoints", "Cilium 中该 Service 的 active 后端与其就绪端点不一致"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in proxied(facts) {
        let frontends = frontends_of(facts, &svc);
        let Some(first) = frontends.first() else {
            continue;
        };
        let Some(exp) = expected(facts, &svc) else {
            continue;
        };
        sink.checked(RULE.step);
        let pair = |ip: &str, port: u32| crate::model::host_port(ip, port);
        let active: Vec<String> = frontends
            .iter()
            .flat_map(|f| &f.backends)
            .filter(|b| b.state == "active")
            .map(|b| pair(&b.ip, b.port))
            .collect();
        let (missing, mut extra) = differences(&exp, &active);
        // Backends kept but not in service: named with their state.
        extra.extend(
            frontends
                .iter()
                .flat_map(|f| &f.backends)
                .filter(|b| b.state != "active")
                .map(|b| format!("{} ({})", pair(&b.ip, b.port), b.state)),
        );
        if missing.is_empty() && extra.is_empty() {
            continue;
        }
        let message = mismatch_message(facts, &svc, "Cilium", &missing, &extra);
        let fix = facts.tr(crate::text!(
            "Cilium on this node is behind its endpoints: check the agent (kubectl -n kube-system exec ds/cilium -- cilium-dbg status --verbose; kubectl -n kube-system logs ds/cilium --tail=100) and that the Service's EndpointSlices list its ready pods; backends stay terminating until their pods are gone.",
            "这个节点上的 Cilium 落后于端点：检查 agent（kubectl -n kube-system exec ds/cilium -- cilium-dbg status --verbose；kubectl -n kube-system logs ds/cilium --tail=100），并确认 Service 的 EndpointSlice 列出了就绪的 Pod；后端在其 Pod 消失前会保持 terminating。"
        ));
        sink.report(
            &RULE,
            svc.proxy_subject(),
            message,
            vec![facts.evidence(first.origin), facts.evidence(exp.origin)],
            fix.to_string(),
        );
        return;
    }
}
