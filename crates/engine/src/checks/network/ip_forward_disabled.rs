//! NET506 ip-forward-disabled (see [`RULE`]).

use crate::checks::network::node_settings::{node_subject, settings};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A node whose kernel does not forward IP packets: `net.ipv4.ip_forward =
/// 0` (or `net.ipv4.conf.all.forwarding`, `net.ipv6.conf.all.forwarding`),
/// from `sysctl`, `cat /proc/sys/...` or `grep . /proc/sys/...`.
///
/// ## Why it matters
/// A node routes every packet between its pods, other nodes and the
/// Services' endpoints. With forwarding off it drops them: connections to
/// Services and to pods on other nodes time out, DNS lookups too. Docker,
/// a firewall or a reboot without a persistent setting often turns it
/// off.
///
/// ## Evidence
/// The setting's line.
///
/// ## Fix
/// Turn forwarding on, and keep it on across reboots.
pub static RULE = Rule {
    code: "NET506",
    slug: "ip-forward-disabled",
    severity: Severity::Error,
    step: StepId::B5,
    summary: crate::text!("net.ipv4.ip_forward = 0 on a node: it does not route pod and Service traffic", "节点上 net.ipv4.ip_forward = 0：它不转发 Pod 和 Service 的流量"),
    explains: &[&crate::checks::network::cross_node_traffic_fails::RULE, &crate::checks::pods::pod_direct_probe_fails::RULE, &crate::checks::dns::dns_unreachable::RULE, &crate::checks::network::hairpin_fails::RULE],
    check,
};
}

const KEYS: &[&str] = &[
    "net.ipv4.ip_forward",
    "net.ipv4.conf.all.forwarding",
    "net.ipv6.conf.all.forwarding",
];

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let found = settings(facts, KEYS);
    if found.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let Some(off) = found.iter().find(|s| s.value.as_deref() == Some("0")) else {
        return;
    };
    let message = facts.fill(
        crate::text!(
            "IP forwarding is off on this node ({key} = 0): it drops the packets it should route between pods, Services and other nodes, so connections through it time out",
            "这个节点关闭了 IP 转发（{key} = 0）：它丢弃本应在 Pod、Service 和其他节点之间转发的数据包，经过它的连接都会超时"
        ),
        &[("key", &off.key)],
    );
    let fix = facts.fill(
        crate::text!(
            "On the node: sysctl -w {key}=1; keep it across reboots: echo '{key} = 1' > /etc/sysctl.d/99-kubernetes.conf && sysctl --system",
            "在节点上执行：sysctl -w {key}=1；并让它在重启后保持：echo '{key} = 1' > /etc/sysctl.d/99-kubernetes.conf && sysctl --system"
        ),
        &[("key", &off.key)],
    );
    sink.report(
        &RULE,
        node_subject(facts, off),
        message,
        vec![facts.evidence(off.origin)],
        fix,
    );
}
