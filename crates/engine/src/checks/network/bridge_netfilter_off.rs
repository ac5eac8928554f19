//! NET507 bridge-netfilter-off (see [`RULE`]).

use crate::checks::network::node_settings::{node_subject, settings};
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{DnsError, ProbeOutcome};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A node where bridged traffic skips iptables: `net.bridge.bridge-nf-call-iptables
/// = 0`, the key missing (`sysctl: cannot stat ...`: the `br_netfilter`
/// module is not loaded), or `lsmod | grep br_netfilter` printing nothing.
/// A warning, and an error when a probe or lookup pasted timed out.
///
/// ## Why it matters
/// With a bridge CNI (bridge, flannel, and others), packets between pods on
/// the same node cross the bridge without passing iptables, so kube-proxy's
/// DNAT of a Service is not undone on the reply: connections to a Service
/// whose pod runs on the client's node (CoreDNS most often) time out.
/// kubeadm requires the module and the setting.
///
/// ## Evidence
/// The setting's line, or the empty `lsmod | grep`.
///
/// ## Fix
/// Load `br_netfilter`, turn the setting on, and keep both across reboots.
pub static RULE = Rule {
    code: "NET507",
    slug: "bridge-netfilter-off",
    severity: Severity::Warning,
    step: StepId::B5,
    summary: crate::text!("bridge-nf-call-iptables off, or br_netfilter not loaded: Service traffic within a node skips kube-proxy's rules", "bridge-nf-call-iptables 关闭或未加载 br_netfilter：节点内的 Service 流量绕过 kube-proxy 规则"),
    explains: &[&crate::checks::dns::dns_unreachable::RULE, &crate::checks::network::hairpin_fails::RULE],
    check,
};
}

const KEYS: &[&str] = &["net.bridge.bridge-nf-call-iptables", "module:br_netfilter"];

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let found = settings(facts, KEYS);
    if found.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let Some(off) = found
        .iter()
        .find(|s| s.value.is_none() || s.value.as_deref() == Some("0"))
    else {
        return;
    };
    let what = match (off.key.as_str(), off.value.as_deref()) {
        (_, Some(_)) => facts.tr(crate::text!(
            "net.bridge.bridge-nf-call-iptables = 0",
            "net.bridge.bridge-nf-call-iptables = 0"
        )),
        ("module:br_netfilter", None) => facts.tr(crate::text!(
            "the br_netfilter module is not loaded",
            "没有加载 br_netfilter 模块"
        )),
        _ => facts.tr(crate::text!(
            "net.bridge.bridge-nf-call-iptables does not exist: the br_netfilter module is not loaded",
            "不存在 net.bridge.bridge-nf-call-iptables：没有加载 br_netfilter 模块"
        )),
    };
    let message = facts.fill(
        crate::text!(
            "bridged traffic skips iptables on this node ({what}): with a bridge CNI, replies from a Service's pod on the client's own node miss kube-proxy's rules and the connection times out",
            "这个节点上桥接流量绕过 iptables（{what}）：使用网桥类 CNI 时，与客户端同节点的 Service Pod 的回包绕过 kube-proxy 规则，连接会超时"
        ),
        &[("what", what)],
    );
    let fix = facts.tr(crate::text!(
        "On the node: modprobe br_netfilter && sysctl -w net.bridge.bridge-nf-call-iptables=1; keep both: echo br_netfilter > /etc/modules-load.d/k8s.conf && echo 'net.bridge.bridge-nf-call-iptables = 1' > /etc/sysctl.d/k8s.conf && sysctl --system",
        "在节点上执行：modprobe br_netfilter && sysctl -w net.bridge.bridge-nf-call-iptables=1；并持久化：echo br_netfilter > /etc/modules-load.d/k8s.conf && echo 'net.bridge.bridge-nf-call-iptables = 1' > /etc/sysctl.d/k8s.conf && sysctl --system"
    ));
    // A timed-out probe or lookup: the symptom it causes.
    let harm = facts
        .model
        .probes
        .iter()
        .filter(|p| p.outcome == Some(ProbeOutcome::Timeout))
        .map(|p| p.origin)
        .chain(
            facts
                .model
                .lookups
                .iter()
                .filter(|l| l.error_kind == Some(DnsError::Timeout))
                .map(|l| l.origin),
        )
        .next()
        .map(|o| facts.evidence(o));
    sink.report_unless_harm(
        &RULE,
        node_subject(facts, off),
        harm,
        message,
        vec![facts.evidence(off.origin)],
        fix.to_string(),
    );
}
