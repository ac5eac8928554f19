//! TP952 source-range-excludes-client (see [`RULE`]).

use crate::checks::rules::proxied;
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::ProbeOutcome;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A LoadBalancer Service with `loadBalancerSourceRanges` (in its spec, or in
/// the firewall rules kube-proxy wrote for it) whose load-balancer or
/// external address a client probed without an answer.
///
/// ## Why it matters
/// Traffic from an address outside the ranges is dropped by kube-proxy's
/// firewall chain (and by the cloud's), silently: the client times out.
///
/// ## Evidence
/// The ranges and the failed probe.
///
/// ## Fix
/// Add the client's address (as seen by the node: often the NAT gateway's)
/// to `loadBalancerSourceRanges`.
pub static RULE = Rule {
    code: "TP952",
    slug: "source-range-excludes-client",
    severity: Severity::Error,
    step: StepId::B9,
    summary: crate::text!("loadBalancerSourceRanges excludes the client address", "loadBalancerSourceRanges 不包含客户端地址"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in proxied(facts) {
        let rules: Vec<_> = facts
            .model
            .proxy_rules
            .iter()
            .filter(|r| Some(r.name.as_str()) == svc.name)
            .collect();
        let mut ranges: Vec<String> = svc
            .parts
            .iter()
            .flat_map(|s| s.load_balancer_source_ranges.clone())
            .collect();
        ranges.extend(
            rules
                .iter()
                .flat_map(|r| r.load_balancer_source_ranges.clone()),
        );
        ranges.sort_unstable();
        ranges.dedup();
        if ranges.is_empty() {
            continue;
        }
        sink.checked(RULE.step);
        let mut addresses: Vec<String> = svc
            .parts
            .iter()
            .flat_map(|s| s.load_balancer_ips.iter().chain(&s.external_ips).cloned())
            .collect();
        addresses.extend(
            rules
                .iter()
                .flat_map(|r| r.load_balancer_ips.iter().chain(&r.external_ips).cloned()),
        );
        let failed = facts.model.probes.iter().find(|p| {
            p.host
                .as_deref()
                .is_some_and(|h| addresses.iter().any(|a| a == h))
                && matches!(
                    p.outcome,
                    Some(ProbeOutcome::Timeout | ProbeOutcome::Reset | ProbeOutcome::NoRoute)
                )
        });
        let Some(probe) = failed else { continue };
        let message = facts.fill(
            crate::text!("Service {svc} admits only {ranges} at its load balancer, and the client's connection to {host} gets no answer: its address is most likely outside those ranges", "Service {svc} 的负载均衡只放行 {ranges}，而客户端到 {host} 的连接没有响应：它的地址很可能不在这些范围内"),
            &[("svc", &svc.label()), ("ranges", &ranges.join(", ")), ("host", probe.host.as_deref().unwrap_or(""))],
        );
        let fix = facts.fill(
            crate::text!("Add the client's source address (as the node sees it, often a NAT gateway) to spec.loadBalancerSourceRanges: kubectl edit svc {name}{ns}", "把客户端的源地址（节点看到的地址，通常是 NAT 网关）加入 spec.loadBalancerSourceRanges：kubectl edit svc {name}{ns}"),
            &[("name", svc.name_or("SERVICE")), ("ns", &svc.ns_flag())],
        );
        let mut evidence = vec![facts.evidence(probe.origin)];
        evidence.extend(rules.first().map(|r| facts.evidence(r.origin)));
        sink.report(&RULE, svc.proxy_subject(), message, evidence, fix);
        return;
    }
}
