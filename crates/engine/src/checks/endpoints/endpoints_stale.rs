//! EP307 endpoints-stale (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::{endpoints_of, selected_pods};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The Service's ready endpoint IPs against the IPs of the pods its selector
/// picks (when those IPs were pasted, for example by `kubectl get pods -o
/// wide`).
///
/// ## Why it matters
/// Endpoints pointing at IPs that no current pod has send traffic nowhere:
/// the endpoints controller is behind, or the endpoints were written by hand.
///
/// ## Evidence
/// The endpoints and the pods with their IPs.
///
/// ## Fix
/// Check the controller manager (it runs the endpoint controllers) and
/// remove hand-written Endpoints of a Service that has a selector.
pub static RULE = Rule {
    code: "EP307",
    slug: "endpoints-stale",
    severity: Severity::Error,
    step: StepId::B3,
    summary: crate::text!("endpoint IPs differ from the current pod IPs", "Endpoint 的 IP 与当前 Pod 的 IP 不一致"),
    explains: &[&crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let Some((selector, _)) = svc.selector_labels() else {
            continue;
        };
        let Some(view) = endpoints_of(facts.model, svc.namespace, svc.name_or("SERVICE")) else {
            continue;
        };
        let pods = selected_pods(facts.model, svc.namespace, selector);
        if pods.is_empty() || pods.iter().any(|p| p.ip.is_none()) || view.truncated() {
            continue;
        }
        let pod_ips: Vec<&str> = pods.iter().filter_map(|p| p.ip).collect();
        let stale: Vec<&str> = view
            .ready_ips()
            .into_iter()
            .filter(|ip| !pod_ips.contains(ip))
            .collect();
        if stale.is_empty() {
            continue;
        }
        let message = facts.fill(
            crate::text!("endpoints of Service {svc} list {stale}, which no current pod has (pods: {pods})", "Service {svc} 的 Endpoints 列出了 {stale}，但当前没有 Pod 使用这些 IP（Pod：{pods}）"),
            &[("svc", &svc.label()), ("stale", &stale.join(", ")), ("pods", &pod_ips.join(", "))],
        );
        let fix = facts.fill(
            crate::text!("Check kube-controller-manager's logs (it maintains endpoints); if the Endpoints were written by hand for a Service with a selector, delete them: kubectl delete endpoints {svc} -n {ns}", "检查 kube-controller-manager 的日志（它维护 Endpoints）；如果这是为有 selector 的 Service 手工写的 Endpoints，删除它：kubectl delete endpoints {svc} -n {ns}"),
            &[("svc", svc.name_or("SERVICE")), ("ns", svc.ns())],
        );
        let mut evidence = vec![facts.evidence(view.origin())];
        evidence.extend(
            pods.iter()
                .filter_map(|p| p.origins.last())
                .map(|o| facts.evidence(*o)),
        );
        sink.report(&RULE, svc.subject(), message, evidence, fix);
    }
}
