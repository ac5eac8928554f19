//! NET509 egress-policy-blocks (see [`RULE`]).

use crate::checks::network::connection;
use crate::checks::{declare_rule, Facts, Sink};
use crate::context::adminpol::Verdict;
use crate::context::netpol::{
    admits_peer, cidr_contains, ip_blocks, namespace_labels, restricts, selects, Direction, Peer,
};
use crate::model::same_namespace;
use crate::report::{Severity, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// NetworkPolicies in the client pod's namespace that select the client and
/// restrict egress: one of them must let it reach the Service's pods (their
/// namespace, labels and addresses) on the target port. The policies are
/// evaluated whole: match expressions, named ports, port ranges, empty
/// selectors, and ipBlocks against the pods' own addresses.
///
/// ## Why it matters
/// Once an egress policy selects a pod, only what some policy allows goes
/// out. Policies act after kube-proxy has translated the cluster IP to a
/// pod's address, so an egress rule that allows the Service's cluster IP
/// (an ipBlock of the service range) lets nothing through to its pods. The
/// client's connections time out while the Service, its endpoints and its
/// pods are all healthy.
///
/// ## Evidence
/// The policies that select the client and admit none of the Service's pods.
///
/// ## Fix
/// Add an egress rule to the pods: a `namespaceSelector` for their namespace
/// and a `podSelector` with the Service's selector, on the target port (not
/// the Service's port, and not an ipBlock of the cluster IP).
pub static RULE = Rule {
    code: "NET509",
    slug: "egress-policy-blocks",
    severity: Severity::Error,
    step: StepId::B6,
    summary: crate::text!("an egress NetworkPolicy on the client does not let it reach the Service's pods on the target port", "客户端上的出站 NetworkPolicy 没有放行到 Service 的 Pod 目标端口的流量"),
    explains: &[&crate::checks::network::policy_drop_observed::RULE, &crate::checks::pods::pod_direct_probe_fails::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    // Only a client known to be a pod is held to egress policies.
    let Some(client) = connection::client(facts) else {
        return;
    };
    let (client_ns, Some(client_name)) = (client.namespace.as_str(), client.name.as_deref()) else {
        return;
    };
    let egress: Vec<_> = facts
        .model
        .policies
        .iter()
        .filter(|p| same_namespace(Some(client_ns), p.namespace.as_deref()))
        .filter(|p| restricts(p, Direction::Egress) && selects(p, client.labels))
        .collect();
    if egress.is_empty() {
        return;
    }
    for svc in facts.user_services() {
        let Some(to) = connection::backends(facts, &svc) else {
            continue;
        };
        // An AdminNetworkPolicy that allows the connection overrides them;
        // one that may is no ground to blame them.
        if matches!(
            connection::admin_verdicts(facts, &client, &to)[1],
            Verdict::Allowed(..) | Verdict::Unknown
        ) {
            continue;
        }
        let selector = svc.selector_labels().map(|(s, _)| s);
        let (port, name) = (to.port, to.port_name.clone());
        let to_port = to.shown_port.clone();
        let sp_protocol = to.protocol;
        let peer = Peer {
            namespace: Some(to.namespace),
            namespace_labels: namespace_labels(facts.model, Some(to.namespace)),
            labels: to.labels,
            labels_partial: to.labels_partial,
            ips: to.ips,
            policy_namespace: Some(client_ns),
        };
        let verdicts: Vec<Option<bool>> = egress
            .iter()
            .map(|p| {
                admits_peer(
                    p,
                    Direction::Egress,
                    &peer,
                    port,
                    sp_protocol,
                    name.as_deref(),
                )
            })
            .collect();
        // Admitted by one, or undecidable: nothing to blame.
        if verdicts.iter().any(|v| *v != Some(false)) {
            continue;
        }
        let names: Vec<&str> = egress.iter().filter_map(|p| p.name.as_deref()).collect();
        // The policy to edit: one that already has egress rules.
        let first = egress
            .iter()
            .find(|p| {
                p.spec
                    .get("egress")
                    .and_then(|e| e.as_array())
                    .is_some_and(|e| !e.is_empty())
            })
            .or(egress.first())
            .and_then(|p| p.name.as_deref());
        let cluster_block = svc.cluster_ip().and_then(|ip| {
            egress
                .iter()
                .flat_map(|p| ip_blocks(p, Direction::Egress))
                .find(|cidr| cidr_contains(cidr, ip) == Some(true))
        });
        let values = [
            ("names", names.join(", ")),
            ("client", client_name.to_string()),
            ("svc", svc.label()),
            ("port", to_port.clone()),
            ("cidr", cluster_block.unwrap_or_default().to_string()),
            ("ip", svc.cluster_ip().unwrap_or_default().to_string()),
        ];
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let message = match cluster_block {
            None => facts.fill(
                crate::text!("egress NetworkPolicy {names} selects the client pod {client} and lets it reach none of the pods of Service {svc} on port {port}", "出站 NetworkPolicy {names} 选中了客户端 Pod {client}，却没有放行它到 Service {svc} 的任何 Pod 的 {port} 端口"),
                &values,
            ),
            Some(_) => facts.fill(
                crate::text!("egress NetworkPolicy {names} selects the client pod {client} and allows {cidr}, which holds the cluster IP {ip} of Service {svc}; policies see the pods' own addresses after the cluster IP is translated, and none of them is allowed on port {port}", "出站 NetworkPolicy {names} 选中了客户端 Pod {client}，放行的是包含 Service {svc} 集群 IP {ip} 的 {cidr}；而策略看到的是集群 IP 转换之后 Pod 自己的地址，其中没有一个在 {port} 端口被放行"),
                &values,
            ),
        };
        let selector_text = selector
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let fix = facts.fill(
            crate::text!("Add an egress rule to {first}: - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: {ns}}}, podSelector: {matchLabels: {{sel}}}}] ports: [{protocol: {proto}, port: {port}}]  (kubectl edit networkpolicy {first} -n {client_ns})", "在 {first} 中加入出站规则：- to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: {ns}}}, podSelector: {matchLabels: {{sel}}}}] ports: [{protocol: {proto}, port: {port}}]（kubectl edit networkpolicy {first} -n {client_ns}）"),
            &[
                ("first", first.unwrap_or("POLICY")),
                ("ns", svc.ns()),
                ("sel", &selector_text),
                ("proto", sp_protocol),
                ("port", &to_port),
                ("client_ns", client_ns),
            ],
        );
        sink.report(
            &RULE,
            svc.subject_of(SubjectKind::Network, Some(client_ns), first),
            message,
            egress.iter().map(|p| facts.evidence(p.origin)).collect(),
            fix,
        );
        return;
    }
}
