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

fn check(facts: &Facts<'_>, sink: &mut Sink) {
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
