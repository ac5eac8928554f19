//! NFT905 nft-unallocated-cluster-ip (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::netpol::cidr_contains;
use crate::model::{ProbeOutcome, ProxyMode};
use crate::report::{Severity, Subject};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// In nftables mode, a probe of an address in the service range that timed
/// out, where kube-proxy's table (whole, not a grep) has that address in
/// none of its Services (`cluster-ips`).
///
/// ## Why it matters
/// No Service owns that cluster IP, and nftables mode drops traffic to
/// unallocated cluster IPs (`cluster-ips-check`): the client waits for
/// nothing. A Service deleted and created again gets a new cluster IP; an
/// address copied into a configuration or an environment variable goes
/// stale.
///
/// ## Evidence
/// The probe and the service range the rules drop.
///
/// ## Fix
/// Find the Service's current cluster IP (`kubectl get svc -A -o wide`),
/// or better, connect by its DNS name.
pub static RULE = Rule {
    code: "NFT905",
    slug: "nft-unallocated-cluster-ip",
    severity: Severity::Error,
    step: StepId::B1,
    summary: crate::text!("a probe timed out on an address of the service range that no Service owns (nftables mode drops it)", "对服务网段中无 Service 拥有的地址的访问超时（nftables 模式会丢弃它）"),
    explains: &[&crate::checks::service::nodeport_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let model = facts.model;
    let Some(dump) = model.proxy_dumps.iter().find(|d| {
        d.mode == ProxyMode::Nftables
            && !d.filtered
            && d.cluster_ips.is_some()
            && !d.service_cidrs.is_empty()
    }) else {
        return;
    };
    let live = dump.cluster_ips.as_deref().unwrap_or_default();
    for probe in &model.probes {
        if probe.outcome != Some(ProbeOutcome::Timeout) {
            continue;
        }
        let Some(host) = probe.host.as_deref() else {
            continue;
        };
        let Some(range) = dump
            .service_cidrs
            .iter()
            .find(|c| cidr_contains(c, host) == Some(true))
        else {
            continue;
        };
        // A pasted Service that has it (the rules may be a node's stale
        // view): not unallocated.
        if live.iter().any(|ip| ip == host)
            || facts
                .services()
                .iter()
                .any(|s| s.cluster_ip() == Some(host))
        {
            continue;
        }
        let mut message = facts.fill(
            crate::text!("no Service has the cluster IP {host}: it is in the service range {range}, but not among the cluster IPs kube-proxy serves, and nftables mode drops traffic to unallocated cluster IPs", "没有任何 Service 拥有 cluster IP {host}：它在服务网段 {range} 内，但不在 kube-proxy 提供服务的 cluster IP 之中，而 nftables 模式会丢弃发往未分配 cluster IP 的流量"),
            &[("host", host), ("range", range)],
        );
        // The Service in question, with the address it has now.
        let current = facts.case.service.as_ref().and_then(|q| {
            facts
                .services()
                .into_iter()
                .find(|s| s.name == Some(q.service.name.as_str()))
                .and_then(|s| Some((s.label(), s.cluster_ip()?)))
        });
        if let Some((svc, ip)) = current {
            message += &facts.fill(
                crate::text!(
                    " (Service {svc} has {ip})",
                    "（Service {svc} 的地址是 {ip}）"
                ),
                &[("svc", &svc), ("ip", ip)],
            );
        }
        let fix = facts.fill(
            crate::text!("Find the Service's current address (kubectl get svc -A -o wide | grep -w NAME; a re-created Service gets a new cluster IP), or connect by its DNS name instead of {host}.", "查找该 Service 当前的地址（kubectl get svc -A -o wide | grep -w 名称；重新创建的 Service 会得到新的 cluster IP），或者用它的 DNS 名称代替 {host} 访问。"),
            &[("host", host)],
        );
        let subject = match facts.case.service.as_ref() {
            Some(q) => Subject::service(q.service.namespace.as_deref(), &q.service.name),
            None => facts.client_subject(),
        };
        sink.report(
            &RULE,
            subject,
            message,
            vec![
                facts.evidence(probe.origin),
                facts.evidence(facts.line_with(dump.origin, "unallocated")),
            ],
            fix,
        );
        return;
    }
}
