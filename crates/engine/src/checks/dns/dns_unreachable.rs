//! DNS110 dns-unreachable (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Lookups that time out (`connection timed out; no servers could be
/// reached`) instead of getting an answer.
///
/// ## Why it matters
/// A timeout means the query never got an answer at all: the DNS pods are
/// down, the kube-dns Service has no endpoints, a NetworkPolicy drops port
/// 53, or pod-to-pod networking is broken. Names are not the problem.
///
/// ## Evidence
/// The lookups that timed out.
///
/// ## Fix
/// Check CoreDNS (A1), the kube-dns endpoints (A2), egress policies (A6) and
/// the pod network (B5), in that order.
pub static RULE = Rule {
    code: "DNS110",
    slug: "dns-unreachable",
    severity: Severity::Error,
    step: StepId::A3,
    summary: crate::text!("lookups time out: the pod cannot reach the DNS service at all", "DNS 查询超时：Pod 根本无法访问 DNS 服务"),
    explains: &[&crate::checks::dns::name_not_found::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let timeouts: Vec<_> = facts
        .model
        .lookups
        .iter()
        .filter(|l| l.error_kind == Some(crate::model::DnsError::Timeout))
        .collect();
    if facts.model.lookups.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let Some(first) = timeouts.first() else {
        return;
    };
    let server = first
        .server
        .as_ref()
        .and_then(|s| s.ip.clone())
        .or_else(|| facts.client().dns_ip);
    let message = match &server {
        Some(server) => facts.fill(
            crate::text!("DNS queries to {server} time out: no DNS server answers the client", "发往 {server} 的 DNS 查询超时：没有 DNS 服务器响应客户端"),
            &[("server", server)],
        ),
        None => facts.tr(crate::text!("DNS queries time out: no DNS server answers the client (which server it asks is not in the paste: cat /etc/resolv.conf in the client shows it)", "DNS 查询超时：没有 DNS 服务器响应客户端（粘贴内容中没有它询问的服务器：在客户端中执行 cat /etc/resolv.conf 可以看到）")).to_string(),
    };
    let fix = facts.tr(crate::text!("Check, in order: kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide; kubectl get endpointslices -n kube-system -l kubernetes.io/service-name=kube-dns; kubectl get networkpolicy -A; then the CNI pods on the client's node.", "依次检查：kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide；kubectl get endpointslices -n kube-system -l kubernetes.io/service-name=kube-dns；kubectl get networkpolicy -A；再检查客户端节点上的 CNI Pod。")).to_string();
    sink.report(
        &RULE,
        facts.cluster_dns_subject(),
        message,
        timeouts.iter().map(|l| facts.evidence(l.origin)).collect(),
        fix,
    );
}
