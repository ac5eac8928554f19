//! TP954 nodeport-localhost (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{ProbeOutcome, ProxyMode};
use crate::report::{Severity, Subject};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A probe of a node port on the loopback address (`127.0.0.1`,
/// `localhost`, `::1`) that failed, where kube-proxy runs in nftables or
/// IPVS mode, or in iptables mode with `route_localnet` off.
///
/// ## Why it matters
/// nftables mode accepts node ports only on the node's own addresses (its
/// `nodeport-ips`), never on loopback; IPVS mode does not serve them there
/// either; iptables mode does only with `net.ipv4.conf.all.route_localnet
/// = 1`, which kube-proxy sets unless told not to. The Service may be
/// fine: the test is what fails.
///
/// ## Evidence
/// The probe, and what says the mode (or the sysctl).
///
/// ## Fix
/// Probe the node's address (`curl http://NODE-IP:NODEPORT`), not
/// loopback.
pub static RULE = Rule {
    code: "TP954",
    slug: "nodeport-localhost",
    severity: Severity::Error,
    step: StepId::B9,
    summary: crate::text!("a node port probed on 127.0.0.1, where this proxy mode does not serve node ports", "在 127.0.0.1 上访问了 NodePort，而这种代理模式不在回环地址上提供 NodePort"),
    explains: &[],
    check,
};
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_matches(['[', ']']);
    host == "localhost" || host == "::1" || host.starts_with("127.")
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let model = facts.model;
    let mode = model.proxy_mode();
    let localnet_off = model
        .node_settings
        .iter()
        .find(|s| s.key.ends_with(".route_localnet") && s.key.contains(".all."))
        .filter(|s| s.value.as_deref() == Some("0"));
    // The mode that does not serve loopback: iptables mode only with
    // route_localnet off.
    let reason = match mode {
        Some(m @ (ProxyMode::Nftables | ProxyMode::Ipvs)) => m,
        Some(ProxyMode::Iptables) | None if localnet_off.is_some() => ProxyMode::Iptables,
        _ => return,
    };
    let services = facts.services();
    for probe in &model.probes {
        let (Some(host), Some(port)) = (probe.host.as_deref(), probe.port) else {
            continue;
        };
        if !is_loopback(host) || !probe.outcome.is_some_and(ProbeOutcome::failed) {
            continue;
        }
        // A node port: of a pasted Service, of the rules, or in the default
        // range.
        let owner = services.iter().find(|s| {
            let (ports, _) = s.ports();
            ports.iter().any(|p| p.node_port == Some(port))
        });
        let in_rules = model.proxy_rules.iter().find(|r| r.node_port == Some(port));
        if owner.is_none() && in_rules.is_none() && !(30000..=32767).contains(&port) {
            continue;
        }
        let nodeport_ips: Vec<&str> = model
            .proxy_dumps
            .iter()
            .filter_map(|d| d.nodeport_ips.as_deref())
            .flatten()
            .map(String::as_str)
            .collect();
        let node_ip = nodeport_ips
            .first()
            .copied()
            .or_else(|| model.nodes.iter().find_map(|n| n.internal_ip.as_deref()))
            .unwrap_or("NODE-IP");
        let text = match reason {
            ProxyMode::Nftables => crate::text!("node port {port}{of} was probed on {host}: in nftables mode kube-proxy accepts node ports only on the node's own addresses{ips}, never on loopback", "在 {host} 上访问了{of} NodePort {port}：nftables 模式下 kube-proxy 只在节点自己的地址上{ips}接受 NodePort，从不在回环地址上"),
            ProxyMode::Ipvs => crate::text!("node port {port}{of} was probed on {host}: in IPVS mode kube-proxy does not serve node ports on loopback", "在 {host} 上访问了{of} NodePort {port}：IPVS 模式下 kube-proxy 不在回环地址上提供 NodePort"),
            _ => crate::text!("node port {port}{of} was probed on {host}: with net.ipv4.conf.all.route_localnet = 0, iptables mode cannot send loopback traffic to a node port", "在 {host} 上访问了{of} NodePort {port}：net.ipv4.conf.all.route_localnet = 0 时，iptables 模式无法把回环流量转发到 NodePort"),
        };
        let ips = if nodeport_ips.is_empty() {
            String::new()
        } else {
            format!(" ({})", nodeport_ips.join(", "))
        };
        let of = match (owner, in_rules) {
            (Some(s), _) => facts.fill(
                crate::text!(" of Service {svc}", " Service {svc} 的"),
                &[("svc", &s.label())],
            ),
            (None, Some(r)) => facts.fill(
                crate::text!(" of Service {svc}", " Service {svc} 的"),
                &[("svc", &format!("{}/{}", r.namespace, r.name))],
            ),
            (None, None) => String::new(),
        };
        let message = facts.fill(
            text,
            &[
                ("port", &port.to_string()),
                ("host", host),
                ("ips", &ips),
                ("of", &of),
            ],
        );
        let fix = facts.fill(
            crate::text!(
                "Probe the node's address instead: curl http://{ip}:{port}",
                "改为访问节点的地址：curl http://{ip}:{port}"
            ),
            &[("ip", node_ip), ("port", &port.to_string())],
        );
        let mut evidence = vec![facts.evidence(probe.origin)];
        if let Some(s) = localnet_off.filter(|_| reason == ProxyMode::Iptables) {
            evidence.push(facts.evidence(s.origin));
        } else if let Some(d) = model.proxy_dumps.iter().find(|d| d.nodeport_ips.is_some()) {
            evidence.push(facts.evidence(facts.line_with(d.origin, "nodeport-ips")));
        } else if let Some(log) = model.proxy_logs.iter().find(|l| l.proxy_mode.is_some()) {
            evidence.push(facts.evidence(log.origin));
        }
        let subject = match (owner, in_rules) {
            (Some(s), _) => s.subject(),
            (None, Some(r)) => Subject::service(Some(&r.namespace), &r.name),
            (None, None) => facts.kube_proxy_subject(None),
        };
        sink.report(&RULE, subject, message, evidence, fix);
        return;
    }
}
