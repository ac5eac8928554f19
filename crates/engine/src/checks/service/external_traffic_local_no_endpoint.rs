//! SVC209 external-traffic-local-no-endpoint (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::pods_selected;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Services with `externalTrafficPolicy: Local` hit from outside on a node
/// (by its InternalIP and the nodePort): that node must run a ready pod of
/// the Service.
///
/// ## Why it matters
/// With the Local policy a node only forwards external traffic to its own
/// pods, to keep the client's source IP. A node without one drops the
/// connection, so the Service works on some nodes and not on others.
///
/// ## Evidence
/// The Service's policy, the probe, and the pods with their nodes.
///
/// ## Fix
/// Send traffic only to nodes with pods (a load balancer does this through
/// the health check node port), run pods on every node, or use
/// `externalTrafficPolicy: Cluster`.
pub static RULE = Rule {
    code: "SVC209",
    slug: "external-traffic-local-no-endpoint",
    severity: Severity::Error,
    step: StepId::B2,
    summary: crate::text!("externalTrafficPolicy Local and the node hit has no ready local endpoint", "externalTrafficPolicy 为 Local，而被访问的节点上没有就绪的本地 Endpoint"),
    explains: &[&crate::checks::rules::local_endpoints_drop::RULE],
    check,
};
}

/// kube-proxy's own health check, where pasted: `localEndpoints: 0`
/// (with a 503) says the node has no ready endpoint of the Service.
fn from_health_check(facts: &Facts<'_>, sink: &mut Sink) -> bool {
    for probe in &facts.model.probes {
        let Some(hc) = &probe.health_check else {
            continue;
        };
        sink.checked(RULE.step);
        if hc.local_endpoints > 0 {
            continue;
        }
        let name = hc
            .name
            .clone()
            .unwrap_or_else(|| facts.not_shown().to_string());
        let ns = hc.namespace.as_deref().unwrap_or("default");
        let message = facts.fill(
            crate::text!("kube-proxy's health check for Service {ns}/{name} on {host} answers {status} with localEndpoints 0: that node runs none of its ready pods, so with externalTrafficPolicy Local the load balancer sends it nothing and its node port drops connections", "kube-proxy 对 Service {ns}/{name} 的健康检查在 {host} 上返回 {status}，localEndpoints 为 0：该节点上没有它的就绪 Pod，因此在 externalTrafficPolicy 为 Local 时，负载均衡器不会把流量发给它，它的节点端口也会丢弃连接"),
            &[
                ("ns", ns),
                ("name", &name),
                ("host", probe.host.as_deref().unwrap_or(facts.not_shown())),
                ("status", &probe.status.map_or_else(|| "503".to_string(), |s| s.to_string())),
            ],
        );
        let fix = facts.fill(
            crate::text!("This is how Local works: only nodes with a ready pod take traffic. If clients reach this node directly, run a pod on it (more replicas, a DaemonSet, topology spread) or switch to the Cluster policy: kubectl patch svc {name} -n {ns} -p '{\"spec\":{\"externalTrafficPolicy\":\"Cluster\"}}'", "Local 策略就是这样工作的：只有运行着就绪 Pod 的节点会接收流量。如果客户端直接访问这个节点，请在其上运行 Pod（增加副本、DaemonSet、拓扑分布），或改用 Cluster 策略：kubectl patch svc {name} -n {ns} -p '{\"spec\":{\"externalTrafficPolicy\":\"Cluster\"}}'"),
            &[("name", &name), ("ns", ns)],
        );
        let mut evidence = vec![facts.evidence(hc.origin)];
        if probe.origin != hc.origin {
            evidence.push(facts.evidence(probe.origin));
        }
        sink.report(
            &RULE,
            facts.service_subject(Some(ns), &name),
            message,
            evidence,
            fix,
        );
        return true;
    }
    false
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    if from_health_check(facts, sink) {
        return;
    }
    let model = facts.model;
    for svc in facts.user_services() {
        if svc.external_traffic_policy() != Some(crate::model::TrafficPolicy::Local) {
            continue;
        }
        let Some((selector, _)) = svc.selector_labels() else {
            continue;
        };
        let (ports, _) = svc.ports();
        let node_ports: Vec<u32> = ports.iter().filter_map(|p| p.node_port).collect();
        let pods = pods_selected(model, svc.namespace, selector);
        for probe in &model.probes {
            let (Some(host), Some(port)) = (probe.host.as_deref(), probe.port) else {
                continue;
            };
            let Some(node) = model
                .nodes
                .iter()
                .find(|n| n.internal_ip.as_deref() == Some(host))
            else {
                continue;
            };
            if !node_ports.contains(&port) {
                continue;
            }
            sink.checked(RULE.step);
            let node_name = node.name.as_deref().unwrap_or(facts.not_shown());
            let local = pods
                .iter()
                .any(|p| p.node.as_deref() == Some(node_name) && p.ready != Some(false));
            if local {
                continue;
            }
            let with_pods: Vec<&str> = pods.iter().filter_map(|p| p.node.as_deref()).collect();
            let message = facts.fill(
                crate::text!("Service {name} has externalTrafficPolicy Local, and node {node} ({host}) runs none of its ready pods: the node drops the connection", "Service {name} 的 externalTrafficPolicy 为 Local，而节点 {node}（{host}）上没有它的就绪 Pod：该节点会丢弃连接"),
                &[("name", &svc.label()), ("node", node_name), ("host", host)],
            );
            let fix = facts.fill(
                crate::text!("Use a node that runs a pod ({nodes}), spread pods to every node, or switch to the Cluster policy: kubectl patch svc {svc}{ns} -p '{\"spec\":{\"externalTrafficPolicy\":\"Cluster\"}}'", "访问运行着 Pod 的节点（{nodes}），让 Pod 分布到每个节点，或改用 Cluster 策略：kubectl patch svc {svc}{ns} -p '{\"spec\":{\"externalTrafficPolicy\":\"Cluster\"}}'"),
                &[("nodes", &if with_pods.is_empty() { "-".into() } else { with_pods.join(", ") }), ("svc", svc.name_or("SERVICE")), ("ns", &svc.ns_flag())],
            );
            let mut evidence = vec![facts.evidence(probe.origin), facts.evidence(node.origin)];
            evidence.extend(pods.iter().take(3).map(|p| facts.evidence(p.origin)));
            sink.report(&RULE, svc.subject(), message, evidence, fix);
            return;
        }
    }
}
