//! NET502 cni-pods-unhealthy (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::Pod;
use crate::report::Severity;
use crate::walk::steps::StepId;

/// Name prefixes of network plugin pods.
const CNI: &[&str] = &[
    "calico-node",
    "calico-kube-controllers",
    "calico-typha",
    "kube-flannel",
    "flannel",
    "cilium",
    "weave-net",
    "kube-router",
    "canal",
    "antrea",
    "kube-ovn",
    "aws-node",
    "azure-cni",
    "cni-",
];

/// Pods of the network plugin.
pub fn cni_pods<'m>(facts: &Facts<'m>) -> Vec<&'m Pod> {
    facts
        .model
        .pods
        .iter()
        .filter(|p| {
            let name = p.name.as_deref().unwrap_or("");
            CNI.iter().any(|c| name.starts_with(c))
                && p.namespace.as_deref().is_none_or(|n| {
                    n.contains("system")
                        || n.contains("flannel")
                        || n.contains("calico")
                        || n == "cilium"
                })
        })
        .collect()
}

declare_rule! {
/// ## What it checks
/// The network plugin's pods (calico, flannel, cilium, weave, kube-router,
/// canal, antrea ...): each must be Running and Ready.
///
/// ## Why it matters
/// The CNI carries pod traffic between nodes. When its pod on a node is down,
/// pods on that node cannot reach or be reached from other nodes: a Service
/// then answers only when it happens to pick a pod on the client's node.
///
/// ## Evidence
/// The rows of the failing CNI pods.
///
/// ## Fix
/// Read the failing pod's logs and events; fix the plugin's configuration
/// (pod CIDR, interfaces, BGP) and let it restart.
pub static RULE = Rule {
    code: "NET502",
    slug: "cni-pods-unhealthy",
    severity: Severity::Error,
    step: StepId::B5,
    summary: crate::text!("CNI pods (calico, flannel, cilium, weave, ...) not Running/Ready", "CNI Pod（calico、flannel、cilium、weave 等）未处于 Running/Ready"),
    explains: &[&crate::checks::network::pod_sandbox_network_failed::RULE, &crate::checks::network::cross_node_traffic_fails::RULE, &crate::checks::pods::pod_direct_probe_fails::RULE, &crate::checks::dns::dns_unreachable::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let pods = cni_pods(facts);
    if pods.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let bad: Vec<_> = pods.iter().filter(|p| p.unhealthy()).collect();
    let Some(first) = bad.first() else { return };
    let list: Vec<String> = bad.iter().map(|p| p.label()).collect();
    let message = facts.fill(
        crate::text!(
            "network plugin pods are not healthy: {list}: pod traffic through their nodes fails",
            "网络插件 Pod 不健康：{list}：经过这些节点的 Pod 流量会失败"
        ),
        &[("list", &list.join(", "))],
    );
    let pod = first.name.as_deref().unwrap_or("POD");
    let ns = first.namespace.as_deref().unwrap_or("kube-system");
    let fix = facts.fill(
        crate::text!("Read why: kubectl logs {pod} -n {ns} --all-containers; kubectl describe pod {pod} -n {ns}. Check the plugin's pod CIDR against the cluster's and the node's interfaces.", "查看原因：kubectl logs {pod} -n {ns} --all-containers；kubectl describe pod {pod} -n {ns}。核对插件的 Pod CIDR 与集群配置及节点网卡。"),
        &[("pod", pod), ("ns", ns)],
    );
    sink.report(
        &RULE,
        crate::report::Subject::shared(crate::report::SubjectKind::Network, Some(ns), Some(pod)),
        message,
        bad.iter().map(|p| facts.evidence(p.origin)).collect(),
        fix,
    );
}
