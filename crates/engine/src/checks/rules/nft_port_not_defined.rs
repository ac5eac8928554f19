//! NFT904 nft-port-not-defined (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{ProbeOutcome, ProxyMode};
use crate::report::{Severity, Subject};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// In nftables mode, a probe of a cluster IP that was refused, where
/// kube-proxy's table (whole, not a grep) lists that address in its
/// `cluster-ips` set but has no `service-ips` or `no-endpoint-services`
/// element for the port probed.
///
/// ## Why it matters
/// nftables mode rejects any port of a live cluster IP that its Service
/// does not define (the `cluster-ips-check` chain): the refusal says "wrong
/// port", not "no endpoints" and not "the app is down". iptables mode
/// drops such packets instead, so the same mistake times out there.
///
/// ## Evidence
/// The probe and the ports the rules have for that cluster IP.
///
/// ## Fix
/// Use a port the Service defines (its `port`, not the `targetPort` or the
/// container's), or add the port to the Service.
pub static RULE = Rule {
    code: "NFT904",
    slug: "nft-port-not-defined",
    severity: Severity::Error,
    step: StepId::B2,
    summary: crate::text!("nftables mode rejected a cluster IP's port that its Service does not define (cluster-ips-check)", "nftables 模式拒绝了 Service 未定义的 cluster IP 端口（cluster-ips-check）"),
    explains: &[&crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::service::port_not_exposed::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let model = facts.model;
    let Some(dump) = model
        .proxy_dumps
        .iter()
        .find(|d| d.mode == ProxyMode::Nftables && !d.filtered && d.cluster_ips.is_some())
    else {
        return;
    };
    let live = dump.cluster_ips.as_deref().unwrap_or_default();
    for probe in &model.probes {
        if probe.outcome != Some(ProbeOutcome::Refused) {
            continue;
        }
        let (Some(host), Some(port)) = (probe.host.as_deref(), probe.port) else {
            continue;
        };
        if !live.iter().any(|ip| ip == host) {
            continue;
        }
        let rules: Vec<_> = model
            .proxy_rules
            .iter()
            .filter(|r| r.mode == ProxyMode::Nftables && r.cluster_ip.as_deref() == Some(host))
            .collect();
        if rules.is_empty() || rules.iter().any(|r| r.port == Some(port)) {
            continue;
        }
        let mut ports: Vec<String> = rules
            .iter()
            .filter_map(|r| Some(format!("{}/{}", r.port?, r.protocol)))
            .collect();
        ports.sort();
        ports.dedup();
        let svc = format!("{}/{}", rules[0].namespace, rules[0].name);
        let message = facts.fill(
            crate::text!("{host} is the cluster IP of Service {svc}, which has no port {port} (its ports: {ports}); kube-proxy's nftables rules reject undefined ports of a cluster IP, hence the refusal", "{host} 是 Service {svc} 的 cluster IP，而它没有 {port} 端口（它的端口：{ports}）；kube-proxy 的 nftables 规则会拒绝 cluster IP 上未定义的端口，因此连接被拒绝"),
            &[("host", host), ("svc", &svc), ("port", &port.to_string()), ("ports", &ports.join(", "))],
        );
        let fix = facts.fill(
            crate::text!("Connect to a port the Service defines ({ports}: the Service's port, not its targetPort), or add port {port} to Service {svc}.", "连接 Service 定义的端口（{ports}：即 Service 的 port，而不是 targetPort），或者给 Service {svc} 加上 {port} 端口。"),
            &[("ports", &ports.join(", ")), ("port", &port.to_string()), ("svc", &svc)],
        );
        sink.report(
            &RULE,
            Subject::service(Some(&rules[0].namespace), &rules[0].name),
            message,
            vec![
                facts.evidence(probe.origin),
                facts.evidence(rules[0].origin),
            ],
            fix,
        );
        return;
    }
}
