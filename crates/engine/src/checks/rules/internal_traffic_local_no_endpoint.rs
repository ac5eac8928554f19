//! TP953 internal-traffic-local-no-endpoint (see [`RULE`]).

use crate::checks::rules::proxied;
use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::{endpoints_of, pod_facts};
use crate::model::TrafficPolicy;
use crate::read::artifact::Client;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A Service with `internalTrafficPolicy: Local` whose ready endpoints are
/// all on other nodes than the client's (the client pod's node, or the
/// node whose shell ran the probes), from the endpoints' `nodeName` or
/// their pods' rows.
///
/// ## Why it matters
/// With a Local internal policy, kube-proxy on each node sends the
/// Service's traffic only to endpoints on that same node, and drops it
/// when there is none: clients on nodes without an endpoint time out while
/// others work.
///
/// ## Evidence
/// The policy, the client's node and the endpoints' nodes.
///
/// ## Fix
/// Run an endpoint on every node that has clients (a DaemonSet), or set
/// the policy back to Cluster.
pub static RULE = Rule {
    code: "TP953",
    slug: "internal-traffic-local-no-endpoint",
    severity: Severity::Error,
    step: StepId::B9,
    summary: crate::text!("internalTrafficPolicy: Local and no ready endpoint on the client's node: its traffic is dropped", "internalTrafficPolicy: Local 且客户端所在节点没有就绪端点：它的流量被丢弃"),
    explains: &[&crate::checks::network::cross_node_traffic_fails::RULE, &crate::checks::dns::dns_unreachable::RULE],
    check,
};
}

/// The node the client runs on: its pod's node, or the host whose shell
/// ran a probe.
fn client_node(facts: &Facts<'_>) -> Option<String> {
    let client = facts.client();
    if let Some(pod) = client.pod.as_deref() {
        return pod_facts(facts.model, client.namespace.as_deref(), pod)
            .iter()
            .rev()
            .find_map(|p| p.node.clone());
    }
    facts
        .model
        .probes
        .iter()
        .find_map(|p| match &facts.artifacts.get(p.origin.artifact)?.client {
            Client::Host(h) => Some(h.clone()),
            _ => None,
        })
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in proxied(facts) {
        let local = svc.parts.iter().find_map(|s| {
            (s.internal_traffic_policy == Some(TrafficPolicy::Local)).then_some(s.origin)
        });
        let Some(policy_origin) = local else { continue };
        let Some(node) = client_node(facts) else {
            continue;
        };
        let Some(view) = endpoints_of(facts.model, svc.namespace, svc.name_or("SERVICE")) else {
            continue;
        };
        // Each ready endpoint's node: its own nodeName, else its pod's row.
        let nodes: Option<Vec<(String, crate::model::Origin)>> = view
            .sets
            .iter()
            .flat_map(|s| &s.addresses)
            .filter(|a| a.ready)
            .map(|a| {
                let node = a.node.clone().or_else(|| {
                    facts
                        .model
                        .pods_at(&a.ip)
                        .iter()
                        .find_map(|p| p.node.clone())
                })?;
                Some((node, a.origin))
            })
            .collect();
        let Some(nodes) = nodes.filter(|n| !n.is_empty()) else {
            continue;
        };
        sink.checked(RULE.step);
        if nodes.iter().any(|(n, _)| *n == node) {
            continue;
        }
        let mut others: Vec<&str> = nodes.iter().map(|(n, _)| n.as_str()).collect();
        others.sort_unstable();
        others.dedup();
        let message = facts.fill(
            crate::text!(
                "Service {svc} has internalTrafficPolicy: Local and no ready endpoint on the client's node {node} (they run on {others}): kube-proxy there drops its traffic",
                "Service {svc} 设置了 internalTrafficPolicy: Local，而客户端所在节点 {node} 上没有就绪端点（端点在 {others} 上）：那里的 kube-proxy 会丢弃它的流量"
            ),
            &[("svc", &svc.label()), ("node", &node), ("others", &others.join(", "))],
        );
        let fix = facts.fill(
            crate::text!(
                "Run an endpoint on every node with clients (a DaemonSet, or spread the pods), or let the Service use every endpoint: kubectl patch svc {name} -n {ns} -p '{\"spec\":{\"internalTrafficPolicy\":\"Cluster\"}}'",
                "在每个有客户端的节点上运行端点（DaemonSet，或让 Pod 分散），或者让 Service 使用全部端点：kubectl patch svc {name} -n {ns} -p '{\"spec\":{\"internalTrafficPolicy\":\"Cluster\"}}'"
            ),
            &[("name", svc.name_or("SERVICE")), ("ns", svc.ns())],
        );
        let line = |needle| facts.line_with(policy_origin, needle);
        let policy_line = match line("internalTrafficPolicy") {
            o if o != policy_origin => o,
            _ => line("Internal"),
        };
        let mut evidence = vec![facts.evidence(policy_line)];
        evidence.extend(nodes.iter().take(3).map(|(_, o)| facts.evidence(*o)));
        sink.report(&RULE, svc.proxy_subject(), message, evidence, fix);
        return;
    }
}
