//! KP608 conntrack-stale-entries (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// `conntrack -L` entries of UDP (or SCTP) traffic to a Service's cluster
/// IP whose reply comes from an address that is none of the Service's
/// endpoints any more (its endpoints pasted whole).
///
/// ## Why it matters
/// The kernel keeps sending a tracked flow where it was first translated.
/// When an endpoint goes (a CoreDNS pod replaced, a rollout), kube-proxy
/// must delete its UDP entries; when it does not (an old kube-proxy
/// without the `conntrack` binary, a failed deletion), a client that keeps
/// the same source port, as DNS resolvers and UDP streams do, is sent to
/// the gone pod until it stops sending for the entry's timeout: lookups
/// time out on some clients and work on others.
///
/// ## Evidence
/// The stale entries and the Service's endpoints.
///
/// ## Fix
/// Delete them (`conntrack -D -p udp --orig-dst CLUSTER-IP --reply-src
/// GONE-IP`), then see why kube-proxy did not: its logs, and the
/// `conntrack` binary on the node for kube-proxy before 1.28.
pub static RULE = Rule {
    code: "KP608",
    slug: "conntrack-stale-entries",
    severity: Severity::Error,
    step: StepId::B7,
    summary: crate::text!("conntrack still sends UDP traffic for a cluster IP to an address that is no longer an endpoint", "conntrack 仍把发往某 cluster IP 的 UDP 流量送到已不是端点的地址"),
    explains: &[
        &crate::checks::dns::dns_unreachable::RULE,
        &crate::checks::rules::ipt_endpoints_mismatch::RULE,
        &crate::checks::rules::nft_endpoints_mismatch::RULE,
        &crate::checks::rules::ipvs_real_servers_mismatch::RULE,
    ],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let entries = &facts.model.conntrack;
    if entries.is_empty() {
        return;
    }
    // Each Service with its cluster IP; the cluster DNS address stands for
    // kube-dns when its Service was not pasted.
    let services = facts.services();
    let mut candidates: Vec<(String, &str, Option<&str>, &str)> = services
        .iter()
        .filter_map(|s| Some((s.label(), s.cluster_ip()?, s.namespace, s.name?)))
        .collect();
    let dns_ip = facts.client().dns_ip.or_else(|| {
        facts
            .model
            .lookups
            .iter()
            .find_map(|l| l.server.as_ref()?.ip.clone())
    });
    if let Some(ip) = dns_ip.as_deref() {
        if !candidates.iter().any(|(_, c, _, _)| *c == ip) {
            candidates.push((
                "kube-system/kube-dns".into(),
                ip,
                Some("kube-system"),
                "kube-dns",
            ));
        }
    }
    for (label, ip, namespace, name) in candidates {
        let Some(view) = endpoints_of(facts.model, namespace, name) else {
            continue;
        };
        if view.truncated() {
            continue;
        }
        let mut current: Vec<&str> = view
            .sets
            .iter()
            .flat_map(|s| s.addresses.iter().map(|a| a.ip.as_str()))
            .collect();
        current.sort_unstable();
        current.dedup();
        if current.is_empty() {
            continue;
        }
        let stale: Vec<_> = entries
            .iter()
            .filter(|e| e.protocol != "TCP" && e.dst == ip && e.reply_src != ip)
            .filter(|e| !current.contains(&e.reply_src.as_str()))
            .collect();
        let Some(first) = stale.first() else {
            continue;
        };
        sink.checked(RULE.step);
        let mut gone: Vec<&str> = stale.iter().map(|e| e.reply_src.as_str()).collect();
        gone.sort_unstable();
        gone.dedup();
        let port = first.dport.map(|p| format!(":{p}")).unwrap_or_default();
        let message = facts.fill(
            crate::text!("conntrack still sends {proto} traffic for {svc} ({ip}{port}) to {gone}, which is no longer an endpoint (they are {current}): kube-proxy did not delete the stale entries, so these clients are sent to a gone pod", "conntrack 仍把发往 {svc}（{ip}{port}）的 {proto} 流量送到 {gone}，而它已不是端点（当前端点是 {current}）：kube-proxy 没有删除这些过期条目，这些客户端被送往已经不存在的 Pod"),
            &[
                ("proto", &first.protocol),
                ("svc", &label),
                ("ip", ip),
                ("port", &port),
                ("gone", &gone.join(", ")),
                ("current", &current.join(", ")),
            ],
        );
        let fix = facts.fill(
            crate::text!("Delete them on the node: conntrack -D -p {proto} --orig-dst {ip} --reply-src {gone}; then see why kube-proxy did not (kubectl logs -n kube-system -l k8s-app=kube-proxy | grep -i conntrack; before 1.28 it needs the conntrack binary on the node).", "在节点上删除它们：conntrack -D -p {proto} --orig-dst {ip} --reply-src {gone}；再查看 kube-proxy 为什么没有删除（kubectl logs -n kube-system -l k8s-app=kube-proxy | grep -i conntrack；1.28 之前它需要节点上有 conntrack 程序）。"),
            &[("proto", &first.protocol.to_ascii_lowercase()), ("ip", ip), ("gone", gone[0])],
        );
        let subject = if name == "kube-dns" {
            facts.cluster_dns_subject()
        } else {
            crate::report::Subject::service(namespace, name)
        };
        let mut evidence: Vec<_> = stale
            .iter()
            .take(3)
            .map(|e| facts.evidence(e.origin))
            .collect();
        evidence.push(facts.evidence(view.origin()));
        sink.report(&RULE, subject, message, evidence, fix);
        return;
    }
}
