//! EP312 endpoints-terminating (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A Service whose EndpointSlices list no ready endpoint, and endpoints
/// that are `terminating` (their pods are being deleted).
///
/// ## Why it matters
/// Terminating endpoints take no new connections (kube-proxy falls back to
/// them only for a Local traffic policy): when every endpoint is
/// terminating and no replacement pod is ready, a rollout, a scale-down or
/// a drain has left the Service without anything to answer. Their
/// readiness is not the cause: their deletion is.
///
/// ## Evidence
/// The terminating endpoints.
///
/// ## Fix
/// Find out why no new pod is ready (the rollout, the replicas, the new
/// pods' state), or why the pods are being deleted.
pub static RULE = Rule {
    code: "EP312",
    slug: "endpoints-terminating",
    severity: Severity::Error,
    step: StepId::B3,
    summary: crate::text!("every endpoint is terminating (conditions.terminating) and none is ready: the pods are being deleted with no ready replacement", "所有端点都处于 terminating（conditions.terminating）且没有就绪的端点：Pod 正在被删除，且没有就绪的替代 Pod"),
    explains: &[&crate::checks::endpoints::endpoints_not_ready::RULE, &crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::pods::pod_not_ready::RULE, &crate::checks::pods::pod_not_running::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let Some(view) = endpoints_of(facts.model, svc.namespace, svc.name_or("SERVICE")) else {
            continue;
        };
        let addresses: Vec<_> = view.sets.iter().flat_map(|s| &s.addresses).collect();
        let terminating: Vec<_> = addresses.iter().filter(|a| a.terminating).collect();
        if terminating.is_empty() || addresses.iter().any(|a| a.ready) {
            continue;
        }
        let ips: Vec<&str> = terminating.iter().map(|a| a.ip.as_str()).collect();
        let message = facts.fill(
            crate::text!(
                "every endpoint of Service {svc} is terminating ({ips}) and none is ready: its pods are being deleted and no replacement is ready to take the traffic",
                "Service {svc} 的所有端点都在 terminating（{ips}）且没有就绪的端点：它的 Pod 正在被删除，也没有就绪的替代 Pod 接收流量"
            ),
            &[("svc", &svc.label()), ("ips", &ips.join(", "))],
        );
        let sel = svc.selector_flag();
        let fix = facts.fill(
            crate::text!(
                "See why no new pod is ready and why these are going: kubectl get pods -n {ns} {sel} -o wide; kubectl get deploy,rs -n {ns}; kubectl rollout status deploy/DEPLOYMENT -n {ns} (a rollout stuck on pods that never become ready, replicas scaled to 0, a node being drained).",
                "查看为什么没有新的 Pod 就绪、这些 Pod 为什么被删除：kubectl get pods -n {ns} {sel} -o wide；kubectl get deploy,rs -n {ns}；kubectl rollout status deploy/DEPLOYMENT -n {ns}（发布卡在始终无法就绪的 Pod 上、副本数被缩到 0、节点正在被排空）。"
            ),
            &[("ns", svc.ns()), ("sel", &sel)],
        );
        let evidence = terminating
            .iter()
            .take(5)
            .map(|a| facts.evidence(a.origin))
            .collect();
        sink.report(&RULE, svc.subject(), message, evidence, fix);
        return;
    }
}
