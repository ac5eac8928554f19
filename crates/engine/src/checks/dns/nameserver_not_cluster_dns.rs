//! DNS106 nameserver-not-cluster-dns (see [`RULE`]).

use crate::checks::dns::{cluster_dns_ip, pod_resolvers};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The pod's `/etc/resolv.conf`: its first nameserver must be the kube-dns
/// Service's cluster IP (or a NodeLocal DNSCache address, 169.254.x.x).
///
/// ## Why it matters
/// kubelet writes the cluster DNS IP (`--cluster-dns`) into pods with
/// `dnsPolicy: ClusterFirst`. Another nameserver (the node's, with
/// `dnsPolicy: Default`, or a wrong kubelet flag) knows no Service names.
///
/// ## Evidence
/// The nameserver line, and where the kube-dns cluster IP was seen.
///
/// ## Fix
/// Use `dnsPolicy: ClusterFirst` (the default), or fix kubelet's
/// `clusterDNS` to the kube-dns Service IP.
pub static RULE = Rule {
    code: "DNS106",
    slug: "nameserver-not-cluster-dns",
    severity: Severity::Error,
    step: StepId::A5,
    summary: crate::text!("the resolv.conf nameserver is not the kube-dns cluster IP", "resolv.conf 的 nameserver 不是 kube-dns 的集群 IP"),
    explains: &[&crate::checks::dns::name_not_found::RULE, &crate::checks::dns::relative_names_fail::RULE, &crate::checks::dns::client_in_other_namespace::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    if kubelet_differs(facts, sink) {
        return;
    }
    let resolvers = pod_resolvers(facts);
    if resolvers.is_empty() {
        return;
    }
    // The nameserver decides A5 only against a known cluster DNS address.
    let Some(dns_ip) = cluster_dns_ip(facts) else {
        return;
    };
    sink.checked(RULE.step);
    for r in resolvers {
        let Some(first) = r.nameservers.first() else {
            continue;
        };
        if first == dns_ip || first.starts_with("169.254.") {
            continue;
        }
        let message = facts.fill(
            crate::text!("the pod's nameserver is {ns}, not the cluster DNS {dns}: Service names cannot resolve", "Pod 的 nameserver 是 {ns}，而不是集群 DNS {dns}：Service 名称无法解析"),
            &[("ns", first), ("dns", dns_ip)],
        );
        let fix = facts.fill(
            crate::text!("Give the pod dnsPolicy: ClusterFirst (ClusterFirstWithHostNet with hostNetwork), or set kubelet's clusterDNS to {dns} and recreate the pod.", "把 Pod 的 dnsPolicy 设为 ClusterFirst（hostNetwork 时用 ClusterFirstWithHostNet），或把 kubelet 的 clusterDNS 设为 {dns} 后重建 Pod。"),
            &[("dns", dns_ip)],
        );
        sink.report(
            &RULE,
            facts.client_subject(),
            message,
            vec![facts.evidence(r.nameserver_origin.unwrap_or(r.origin))],
            fix,
        );
        return;
    }
}

/// kubelet's `--cluster-dns` (or `clusterDNS`) against the kube-dns
/// Service's IP: pods get what kubelet says, so a difference sends every
/// pod's lookups to an address nothing answers.
fn kubelet_differs(facts: &Facts<'_>, sink: &mut Sink) -> bool {
    let Some(kubelet) = facts.model.kubelet_dns.first() else {
        return false;
    };
    let Some(dns_ip) = cluster_dns_ip(facts) else {
        return false;
    };
    sink.checked(RULE.step);
    if kubelet.servers.iter().any(|s| s == dns_ip) {
        return false;
    }
    let servers = kubelet.servers.join(", ");
    let message = facts.fill(
        crate::text!("kubelet gives pods the nameserver {servers}, but the cluster DNS (the kube-dns Service) is {dns}: Service names cannot resolve", "kubelet 给 Pod 配置的 nameserver 是 {servers}，而集群 DNS（kube-dns Service）是 {dns}：Service 名称无法解析"),
        &[("servers", &servers), ("dns", dns_ip)],
    );
    let fix = facts.fill(
        crate::text!("Make them agree: set kubelet's --cluster-dns (or clusterDNS in its config file) to {dns} on every node and restart kubelet (systemctl daemon-reload && systemctl restart kubelet), then recreate the pods; or give the kube-dns Service the address kubelet uses.", "让两者一致：在每个节点上把 kubelet 的 --cluster-dns（或配置文件中的 clusterDNS）设为 {dns} 并重启 kubelet（systemctl daemon-reload && systemctl restart kubelet），再重建 Pod；或让 kube-dns Service 使用 kubelet 配置的地址。"),
        &[("dns", dns_ip)],
    );
    let mut evidence = vec![facts.evidence(kubelet.origin)];
    if let Some(svc) =
        facts.model.services.iter().find(|s| {
            s.name.as_deref() == Some("kube-dns") && s.cluster_ip.as_deref() == Some(dns_ip)
        })
    {
        evidence.push(facts.evidence(svc.origin));
    }
    sink.report(
        &RULE,
        crate::report::Subject::shared(crate::report::SubjectKind::Node, None, None),
        message,
        evidence,
        fix,
    );
    true
}
