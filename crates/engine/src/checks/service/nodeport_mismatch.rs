//! SVC208 nodeport-mismatch (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::Probe;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Probes from outside to a node (a node's IP, or an address that is no
/// cluster IP, pod IP or name): the port must be one of the Service's
/// nodePorts, and the Service must be of type NodePort or LoadBalancer.
///
/// ## Why it matters
/// From outside the cluster only `NodeIP:nodePort` reaches a Service. The
/// Service port (80) or the targetPort on a node IP reaches nothing, and a
/// ClusterIP Service has no nodePort at all.
///
/// ## Evidence
/// The probe, and the Service's type and ports.
///
/// ## Fix
/// Use the nodePort (`kubectl get svc` shows `80:32035/TCP`), or change the
/// Service's type to NodePort.
pub static RULE = Rule {
    code: "SVC208",
    slug: "nodeport-mismatch",
    severity: Severity::Error,
    step: StepId::B2,
    summary: crate::text!("client hits NodeIP on a port that is not the nodePort, or the Service is not NodePort/LoadBalancer", "客户端访问 NodeIP 的端口不是 nodePort，或 Service 不是 NodePort/LoadBalancer 类型"),
    explains: &[&crate::checks::rules::ipt_nodeport_rule_missing::RULE, &crate::checks::rules::ipvs_virtual_server_missing::RULE],
    check,
};
}

/// Probes that go to a node from outside, for this paste.
fn node_probes<'m>(facts: &Facts<'m>, node_ips: &[&str]) -> Vec<&'m Probe> {
    let model = facts.model;
    let known = |h: &str| {
        model.services.iter().any(|s| {
            s.cluster_ip.as_deref() == Some(h)
                || s.load_balancer_ips
                    .iter()
                    .chain(&s.external_ips)
                    .any(|ip| ip == h)
                || s.name
                    .as_deref()
                    .is_some_and(|n| h == n || h.starts_with(&format!("{n}.")))
        }) || model.pods.iter().any(|p| p.ip.as_deref() == Some(h))
            // The service range (nftables mode's cluster-ips-check): a
            // cluster IP, never a node.
            || model.proxy_dumps.iter().any(|d| {
                d.service_cidrs
                    .iter()
                    .any(|c| crate::context::netpol::cidr_contains(c, h) == Some(true))
            })
            || model
                .endpoints
                .iter()
                .any(|e| e.addresses.iter().any(|a| a.ip == h))
    };
    model
        .probes
        .iter()
        // kube-proxy's health checks answer on their own node port.
        .filter(|p| p.health_check.is_none())
        .filter(|p| {
            p.host.as_deref().is_some_and(|h| {
                node_ips.contains(&h)
                    || (h.parse::<std::net::IpAddr>().is_ok()
                        && !known(h)
                        && !h.starts_with("127."))
            })
        })
        .collect()
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let node_ips = facts.model.node_ips();
    let probes = node_probes(facts, &node_ips);
    if probes.is_empty() {
        return;
    }
    for svc in facts.user_services() {
        let (ports, ports_origin) = svc.ports();
        if ports.is_empty() {
            continue;
        }
        sink.checked(RULE.step);
        let node_ports: Vec<u32> = ports.iter().filter_map(|p| p.node_port).collect();
        let targets: Vec<u32> = ports
            .iter()
            .filter_map(|p| match &p.target_port {
                Some(crate::model::TargetPort::Number(n)) => Some(*n),
                _ => None,
            })
            .collect();
        for probe in &probes {
            let Some(port) = probe.port else { continue };
            if node_ports.contains(&port) {
                continue;
            }
            // From inside a pod, an address no node has on the target
            // port: a pod probed directly, not a node.
            let in_pod = matches!(
                facts
                    .artifacts
                    .get(probe.origin.artifact)
                    .map(|a| &a.client),
                Some(crate::read::artifact::Client::Pod { .. })
            );
            let host = probe.host.as_deref().unwrap_or("");
            if in_pod && targets.contains(&port) && !node_ips.contains(&host) {
                continue;
            }
            let kind = svc
                .service_type()
                .unwrap_or(crate::model::ServiceType::ClusterIP)
                .as_str();
            let message = if node_ports.is_empty() {
                facts.fill(
                    crate::text!("the client connects to node {host}:{port}, but Service {name} is {kind} and has no nodePort", "客户端连接节点 {host}:{port}，但 Service {name} 是 {kind} 类型，没有 nodePort"),
                    &[("host", host), ("port", &port.to_string()), ("name", &svc.label()), ("kind", kind)],
                )
            } else {
                facts.fill(
                    crate::text!("the client connects to node {host}:{port}, but the nodePort of Service {name} is {np}", "客户端连接节点 {host}:{port}，但 Service {name} 的 nodePort 是 {np}"),
                    &[
                        ("host", host),
                        ("port", &port.to_string()),
                        ("name", &svc.label()),
                        ("np", &node_ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ")),
                    ],
                )
            };
            let fix = if node_ports.is_empty() {
                facts.fill(
                    crate::text!("Expose it on the nodes: kubectl patch svc {svc}{ns} -p '{\"spec\":{\"type\":\"NodePort\"}}', then use the nodePort that kubectl get svc {svc}{ns} shows.", "在节点上暴露它：kubectl patch svc {svc}{ns} -p '{\"spec\":{\"type\":\"NodePort\"}}'，然后使用 kubectl get svc {svc}{ns} 显示的 nodePort。"),
                    &[("svc", svc.name_or("SERVICE")), ("ns", &svc.ns_flag())],
                )
            } else {
                facts.fill(
                    crate::text!("Connect to {host}:{np} instead.", "改为连接 {host}:{np}。"),
                    &[("host", host), ("np", &node_ports[0].to_string())],
                )
            };
            let mut evidence = vec![facts.evidence(probe.origin)];
            if let Some(o) = ports_origin {
                evidence.push(facts.evidence(o));
            }
            sink.report(&RULE, svc.subject(), message, evidence, fix);
            return;
        }
    }
}
