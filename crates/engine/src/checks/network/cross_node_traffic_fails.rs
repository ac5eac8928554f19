//! NET501 cross-node-traffic-fails (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::ProbeOutcome;
use crate::read::artifact::Client;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Direct probes of pod IPs, against the nodes the pods run on (from
/// `kubectl get pods -o wide`): do they succeed only for pods on one node
/// (the client's own), and fail for pods on the others?
///
/// ## Why it matters
/// That pattern is the CNI failing between nodes: traffic that stays on a
/// node works, traffic that crosses nodes is lost. Through a Service it shows
/// as "works two or three times out of ten".
///
/// ## Evidence
/// The successful and failed probes, and the pods' nodes.
///
/// ## Fix
/// Check the network plugin on the failing nodes, and what lies between the
/// nodes (firewalls and security groups must pass the overlay: VXLAN UDP
/// 4789/8472, IP-in-IP protocol 4, BGP TCP 179).
pub static RULE = Rule {
    code: "NET501",
    slug: "cross-node-traffic-fails",
    severity: Severity::Error,
    step: StepId::B5,
    summary: crate::text!("direct probes succeed only for pods on the client's own node", "只有访问与客户端同节点的 Pod 才成功"),
    explains: &[&crate::checks::pods::pod_direct_probe_fails::RULE, &crate::checks::dns::dns_unreachable::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let model = facts.model;
    let node_of = |ip: &str| {
        model
            .pods
            .iter()
            .find(|p| p.ip.as_deref() == Some(ip))
            .and_then(|p| p.node.as_deref())
    };
    let mut ok: Vec<(&str, &crate::model::Probe)> = Vec::new();
    let mut failed: Vec<(&str, &crate::model::Probe)> = Vec::new();
    for p in &model.probes {
        let Some(node) = p.host.as_deref().and_then(node_of) else {
            continue;
        };
        match p.outcome {
            Some(ProbeOutcome::Ok) => ok.push((node, p)),
            Some(ProbeOutcome::Timeout | ProbeOutcome::NoRoute) => failed.push((node, p)),
            _ => {}
        }
    }
    if ok.is_empty() && failed.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let mut ok_nodes: Vec<&str> = ok.iter().map(|(n, _)| *n).collect();
    ok_nodes.sort_unstable();
    ok_nodes.dedup();
    let bad_nodes: Vec<&str> = failed
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !ok_nodes.contains(n))
        .collect();
    if ok_nodes.len() != 1
        || bad_nodes.is_empty()
        || failed.iter().any(|(n, _)| ok_nodes.contains(n))
    {
        return;
    }
    let client = failed.first().and_then(|(_, p)| {
        match facts.artifacts.get(p.origin.artifact).map(|a| &a.client) {
            Some(Client::Host(h)) => Some(h.as_str()),
            _ => None,
        }
    });
    let mut bad = bad_nodes.clone();
    bad.sort_unstable();
    bad.dedup();
    let message = facts.fill(
        crate::text!("pods answer only on node {good}{client}; probes of pods on {bad} time out: traffic between nodes is lost", "只有节点 {good} 上的 Pod 能访问{client}；访问 {bad} 上的 Pod 超时：跨节点流量丢失"),
        &[
            ("good", ok_nodes[0]),
            (
                "client",
                &match client {
                    Some(c) if c == ok_nodes[0] => facts.tr(crate::text!(", the client's own node", "（即客户端所在节点）")).to_string(),
                    Some(c) => facts.fill(crate::text!(" (client: {c})", "（客户端：{c}）"), &[("c", c)]),
                    None => String::new(),
                },
            ),
            ("bad", &bad.join(", ")),
        ],
    );
    let fix = facts.fill(
        crate::text!("Check the network plugin pods on {bad} (kubectl get pods -n kube-system -o wide | grep -e calico -e flannel -e cilium) and that the nodes pass overlay traffic to each other (VXLAN UDP 8472/4789, IP-in-IP, BGP TCP 179).", "检查 {bad} 上的网络插件 Pod（kubectl get pods -n kube-system -o wide | grep -e calico -e flannel -e cilium），并确认节点之间放行了 overlay 流量（VXLAN UDP 8472/4789、IP-in-IP、BGP TCP 179）。"),
        &[("bad", &bad.join(", "))],
    );
    let mut evidence: Vec<_> = failed
        .iter()
        .take(3)
        .map(|(_, p)| facts.evidence(p.origin))
        .collect();
    evidence.extend(ok.iter().take(2).map(|(_, p)| facts.evidence(p.origin)));
    sink.report(
        &RULE,
        crate::report::Subject::shared(crate::report::SubjectKind::Network, None, None),
        message,
        evidence,
        fix,
    );
}
