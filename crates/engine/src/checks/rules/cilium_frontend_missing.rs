//! CIL961 cilium-frontend-missing (see [`RULE`]).

use crate::checks::rules::{cilium_listings, frontends_of, proxied};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A whole `cilium-dbg service list` (or `cilium service list`, `cilium-dbg
/// bpf lb list`) without a frontend for the Service's cluster IP and port.
///
/// ## Why it matters
/// Where Cilium replaces kube-proxy, its service map is the proxy rules: a
/// cluster IP that is not in it is not load-balanced on this node, and
/// connections to it go nowhere.
///
/// ## Evidence
/// The listing, and the Service's cluster IP.
///
/// ## Fix
/// Check the agent on that node (status, logs) and that it watches
/// Services; restarting the agent rebuilds its map.
pub static RULE = Rule {
    code: "CIL961",
    slug: "cilium-frontend-missing",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("cilium-dbg service list has no frontend for the Service's cluster IP and port", "cilium-dbg service list 中没有该 Service 集群 IP 和端口的 frontend"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let listings = cilium_listings(facts);
    let Some(listing) = listings.first() else {
        return;
    };
    for svc in proxied(facts) {
        let Some(ip) = svc.cluster_ip() else { continue };
        sink.checked(RULE.step);
        if !frontends_of(facts, &svc).is_empty() {
            continue;
        }
        let (ports, _) = svc.ports();
        let port = ports
            .first()
            .and_then(|p| p.port)
            .map_or_else(|| facts.not_shown().to_string(), |p| p.to_string());
        let message = facts.fill(
            crate::text!(
                "Cilium's service map has no frontend for Service {svc} ({ip}:{port}): Cilium, which replaces kube-proxy here, does not load-balance it on this node",
                "Cilium 的服务表中没有 Service {svc}（{ip}:{port}）的 frontend：在这里替代 kube-proxy 的 Cilium 没有在这个节点上为它做负载均衡"
            ),
            &[("svc", &svc.label()), ("ip", ip), ("port", &port)],
        );
        let fix = facts.tr(crate::text!(
            "Check the agent on that node: kubectl -n kube-system exec ds/cilium -- cilium-dbg status --verbose and its logs (kubectl -n kube-system logs ds/cilium | grep -i service); restarting the agent (kubectl -n kube-system delete pod POD) rebuilds its map.",
            "检查该节点上的 agent：kubectl -n kube-system exec ds/cilium -- cilium-dbg status --verbose 以及它的日志（kubectl -n kube-system logs ds/cilium | grep -i service）；重启 agent（kubectl -n kube-system delete pod POD）会重建服务表。"
        ));
        sink.report(
            &RULE,
            svc.proxy_subject(),
            message,
            vec![facts.evidence(*listing), facts.evidence(svc.origin())],
            fix.to_string(),
        );
        return;
    }
}
