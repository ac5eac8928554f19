//! DNS102 coredns-forward-loop (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// CoreDNS logs for the loop plugin's fatal message (`[FATAL] plugin/loop:
/// Loop (127.0.0.1:... -> :53) detected`).
///
/// ## Why it matters
/// CoreDNS forwards names it does not own to the node's resolvers. When the
/// node's `/etc/resolv.conf` points at a local stub (systemd-resolved's
/// 127.0.0.53), CoreDNS forwards to itself; the loop plugin then stops it, and
/// the pods crash-loop.
///
/// ## Evidence
/// The loop line of the CoreDNS log.
///
/// ## Fix
/// Point the `forward` plugin at real upstream resolvers, or give kubelet a
/// resolv.conf without the stub (`resolvConf: /run/systemd/resolve/resolv.conf`).
pub static RULE = Rule {
    code: "DNS102",
    slug: "coredns-forward-loop",
    severity: Severity::Error,
    step: StepId::A1,
    summary: crate::text!("the CoreDNS log shows the loop plugin's fatal forwarding loop", "CoreDNS 日志显示 loop 插件检测到转发环路"),
    explains: &[&crate::checks::dns::coredns_not_running::RULE, &crate::checks::dns::dns_service_no_endpoints::RULE, &crate::checks::dns::dns_unreachable::RULE, &crate::checks::dns::name_not_found::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for log in &facts.model.coredns_logs {
        sink.checked(RULE.step);
        if !log.loop_detected {
            continue;
        }
        let line = log
            .errors
            .iter()
            .find(|e| e.text.contains("loop"))
            .map_or(log.origin, |e| e.origin);
        sink.report(
            &RULE, facts.cluster_dns_subject(),
            facts.tr(crate::text!("CoreDNS detected a forwarding loop and stopped: it forwards to itself through the node's resolv.conf", "CoreDNS 检测到转发环路并退出：它通过节点的 resolv.conf 把请求转发给了自己")).to_string(),
            vec![facts.evidence(line)],
            facts.tr(crate::text!("Make the forward plugin use real upstreams: kubectl edit configmap coredns -n kube-system (forward . 8.8.8.8 1.1.1.1), or set kubelet's resolvConf to /run/systemd/resolve/resolv.conf and restart CoreDNS: kubectl rollout restart deployment coredns -n kube-system", "让 forward 插件使用真正的上游 DNS：kubectl edit configmap coredns -n kube-system（forward . 8.8.8.8 1.1.1.1），或把 kubelet 的 resolvConf 设为 /run/systemd/resolve/resolv.conf，再重启 CoreDNS：kubectl rollout restart deployment coredns -n kube-system")).to_string(),
        );
        return;
    }
}
