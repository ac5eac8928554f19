//! DNS114 coredns-api-unreachable (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// CoreDNS logs for its kubernetes plugin failing to reach the API server
/// (`Failed to list *v1.Namespace: ... dial tcp 10.96.0.1:443: i/o
/// timeout`) or waiting for it (`plugin/ready: Still waiting on:
/// "kubernetes"`).
///
/// ## Why it matters
/// CoreDNS reaches the API server through the `kubernetes` Service's
/// cluster IP, like any pod reaches any Service. When that fails, CoreDNS
/// may still be Running but never learns the cluster's Services: lookups
/// time out or fail although CoreDNS "runs". The broken part is the Service
/// path from CoreDNS's node (kube-proxy's rules or the CNI), and it shows
/// up as DNS.
///
/// ## Evidence
/// The log lines with the failed dial or the wait.
///
/// ## Fix
/// Look at the Service path on the node CoreDNS runs on: kube-proxy there
/// and its log, the `kubernetes` Service's endpoints, the CNI pod on that
/// node; from the node, `curl -k https://10.96.0.1/version`.
pub static RULE = Rule {
    code: "DNS114",
    slug: "coredns-api-unreachable",
    severity: Severity::Error,
    step: StepId::A1,
    summary: crate::text!("CoreDNS cannot reach the API server through the kubernetes Service: the Service path (kube-proxy or CNI) fails and shows up as DNS", "CoreDNS 无法通过 kubernetes Service 访问 API Server：Service 转发路径（kube-proxy 或 CNI）故障，表现为 DNS 问题"),
    explains: &[&crate::checks::dns::coredns_not_running::RULE, &crate::checks::dns::dns_unreachable::RULE, &crate::checks::dns::name_not_found::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let Some(log) = facts
        .model
        .coredns_logs
        .iter()
        .find(|l| !l.api_unreachable.is_empty())
    else {
        return;
    };
    // The address CoreDNS dialled: `dial tcp 10.96.0.1:443: i/o timeout`.
    let dialled = log.api_unreachable.iter().find_map(|l| {
        let after = l.text.split("dial tcp ").nth(1)?;
        let addr = after
            .split(|c: char| c == ':' || c.is_whitespace())
            .next()?;
        (!addr.is_empty()).then(|| addr.to_string())
    });
    let message = match &dialled {
        Some(addr) => facts.fill(
            crate::text!("CoreDNS cannot reach the API server through the kubernetes Service at {addr}: it runs but cannot learn the cluster's Services. The Service path from its node (kube-proxy's rules or the CNI) is broken, and shows up as DNS failing", "CoreDNS 无法通过 {addr} 上的 kubernetes Service 访问 API Server：它在运行，却无法获知集群中的 Service。其所在节点的 Service 转发路径（kube-proxy 规则或 CNI）已损坏，表现为 DNS 故障"),
            &[("addr", addr)],
        ),
        None => facts.tr(crate::text!("CoreDNS is still waiting for its kubernetes plugin to reach the API server: it runs but cannot answer for the cluster's Services. The Service path from its node (kube-proxy's rules or the CNI) is the usual cause", "CoreDNS 仍在等待其 kubernetes 插件连上 API Server：它在运行，却无法解析集群中的 Service。通常原因是其所在节点的 Service 转发路径（kube-proxy 规则或 CNI）故障")).to_string(),
    };
    let fix = facts.fill(
        crate::text!("Check the Service path on CoreDNS's node: kubectl get pods -n kube-system -o wide (the node of the CoreDNS pod, and the kube-proxy and CNI pods on it); kubectl logs -n kube-system -l k8s-app=kube-proxy --tail=50; kubectl get endpointslices -l kubernetes.io/service-name=kubernetes; on that node: curl -k https://{addr}/version", "检查 CoreDNS 所在节点的 Service 路径：kubectl get pods -n kube-system -o wide（CoreDNS Pod 所在节点，以及该节点上的 kube-proxy 和 CNI Pod）；kubectl logs -n kube-system -l k8s-app=kube-proxy --tail=50；kubectl get endpointslices -l kubernetes.io/service-name=kubernetes；在该节点上执行：curl -k https://{addr}/version"),
        &[("addr", dialled.as_deref().unwrap_or("10.96.0.1"))],
    );
    sink.report(
        &RULE,
        facts.cluster_dns_subject(),
        message,
        log.api_unreachable
            .iter()
            .take(3)
            .map(|l| facts.evidence(l.origin))
            .collect(),
        fix,
    );
}
