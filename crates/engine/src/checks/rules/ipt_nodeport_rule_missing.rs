//! IPT704 iptables-nodeport-rule-missing (see [`RULE`]).

use crate::checks::rules::{dumps_covering, proxied, rules_of};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A Service with a nodePort: the node's iptables rules must have its
/// `KUBE-NODEPORTS` rule (`--dport <nodePort>`), next to its cluster IP rule.
///
/// ## Why it matters
/// Without it, `NodeIP:nodePort` reaches nothing even though the cluster IP
/// works: kube-proxy was started with `--nodeport-addresses` that exclude the
/// address used, or it has not synced the Service.
///
/// ## Evidence
/// The Service's ports and its rules without a nodePort rule.
///
/// ## Fix
/// Check kube-proxy's `nodePortAddresses` and its log; restart it.
pub static RULE = Rule {
    code: "IPT704",
    slug: "iptables-nodeport-rule-missing",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("no KUBE-NODEPORTS rule for the nodePort", "KUBE-NODEPORTS 中没有该 nodePort 的规则"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in proxied(facts) {
        let (ports, ports_origin) = svc.ports();
        let Some(node_port) = ports.iter().find_map(|p| p.node_port) else {
            continue;
        };
        if dumps_covering(facts, &svc, crate::model::ProxyMode::Iptables).is_empty() {
            continue;
        }
        let rules = rules_of(facts, &svc, crate::model::ProxyMode::Iptables);
        let Some(rule) = rules
            .iter()
            .find(|r| r.cluster_ip.is_some() && !r.rejects_no_endpoints)
        else {
            continue;
        };
        sink.checked(RULE.step);
        if rules.iter().any(|r| r.node_port == Some(node_port)) {
            continue;
        }
        let message = facts.fill(
            crate::text!("Service {svc} has nodePort {np}, but the node's iptables rules have no KUBE-NODEPORTS rule for it: NodeIP:{np} reaches nothing", "Service {svc} 的 nodePort 是 {np}，但节点的 iptables 规则中没有对应的 KUBE-NODEPORTS 规则：NodeIP:{np} 无法访问"),
            &[("svc", &svc.label()), ("np", &node_port.to_string())],
        );
        let fix = facts.tr(crate::text!("Check kube-proxy's nodePortAddresses (kubectl -n kube-system get cm kube-proxy -o yaml): it must include the address clients use; then look for sync errors in its log and restart it.", "检查 kube-proxy 的 nodePortAddresses（kubectl -n kube-system get cm kube-proxy -o yaml）：必须包含客户端使用的地址；再检查日志中的同步错误并重启它。")).to_string();
        let mut evidence = vec![facts.evidence(rule.origin)];
        if let Some(o) = ports_origin {
            evidence.push(facts.evidence(o));
        }
        sink.report(&RULE, svc.proxy_subject(), message, evidence, fix);
        return;
    }
}
