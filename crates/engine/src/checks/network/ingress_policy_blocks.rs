//! NET503 ingress-policy-blocks (see [`RULE`]).

use crate::checks::network::connection;
use crate::checks::{declare_rule, Facts, Sink};
use crate::context::adminpol::Verdict;
use crate::context::netpol::{admits, namespace_labels, restricts, selects, Direction, Peer};
use crate::context::view::ServiceView;
use crate::model::ProbeOutcome;
use crate::model::{same_namespace, ServicePort};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// NetworkPolicies in the Service's namespace that select its pods and
/// restrict ingress: one of them must admit the client (its namespace and
/// labels, as far as pasted) on the target port.
///
/// ## Why it matters
/// Once an ingress policy selects a pod, only what some policy allows gets
/// in. A missing `from` for the client's namespace or a wrong port silently
/// drops the connection: the client times out.
///
/// ## Evidence
/// The policies that select the pods and do not admit the client.
///
/// ## Fix
/// Add an ingress rule for the client (namespaceSelector / podSelector) on the
/// target port.
pub static RULE = Rule {
    code: "NET503",
    slug: "ingress-policy-blocks",
    severity: Severity::Error,
    step: StepId::B6,
    summary: crate::text!("a NetworkPolicy selecting the target pods does not admit the client or port", "选中目标 Pod 的 NetworkPolicy 没有放行该客户端或端口"),
    explains: &[&crate::checks::network::policy_drop_observed::RULE, &crate::checks::pods::pod_direct_probe_fails::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let client = facts.client();
    let client_pod = facts.client_pod(&client);
    let client_labels = client_pod.and_then(|p| p.labels.as_ref());
    let no_labels = crate::model::Labels::new();
    for svc in facts.user_services() {
        let presumed;
        let (selector, presumed_from) = match svc.selector_labels() {
            Some((selector, _)) => (selector, None),
            None => match presumed_selector(facts, &svc) {
                Some((labels, probe)) => {
                    presumed = labels;
                    (&presumed, Some(probe))
                }
                None => continue,
            },
        };
        let policies: Vec<_> = facts
            .model
            .policies
            .iter()
            .filter(|p| same_namespace(svc.namespace, p.namespace.as_deref()))
            .collect();
        if policies.is_empty() {
            continue;
        }
        sink.checked(RULE.step);
        let selecting: Vec<_> = policies
            .iter()
            .filter(|p| restricts(p, Direction::Ingress) && selects(p, Some(selector)))
            .collect();
        if selecting.is_empty() {
            continue;
        }
        // An AdminNetworkPolicy that allows the connection overrides them.
        if let (Some(c), Some(to)) = (connection::client(facts), connection::backends(facts, &svc))
        {
            if matches!(
                connection::admin_verdicts(facts, &c, &to)[0],
                Verdict::Allowed(..) | Verdict::Unknown
            ) {
                continue;
            }
        }
        let (ports, _) = svc.ports();
        // A Service known only from the probe: the port the probe used.
        let probed = presumed_from.map(|probe| ServicePort {
            name: None,
            port: probe.port,
            protocol: "TCP".to_string(),
            target_port: None,
            node_port: None,
        });
        let Some(sp) = ports.first().or(probed.as_ref()) else {
            continue;
        };
        let (port, name) = connection::target_of(facts, &svc, sp);
        let shown = connection::shown_port(port, sp);
        let peer = Peer {
            namespace: client.namespace.as_deref(),
            namespace_labels: namespace_labels(facts.model, client.namespace.as_deref()),
            // A client whose labels were not pasted is held to have none
            // a policy asks for: the usual debugging pod.
            labels: Some(client_labels.unwrap_or(&no_labels)),
            labels_partial: false,
            ips: client_pod
                .and_then(|p| p.ip.as_deref())
                .into_iter()
                .collect(),
            policy_namespace: svc.namespace,
        };
        if selecting.iter().any(|p| {
            admits(
                p,
                Direction::Ingress,
                &peer,
                port,
                &sp.protocol,
                name.as_deref(),
            )
        }) {
            continue;
        }
        let names: Vec<&str> = selecting.iter().filter_map(|p| p.name.as_deref()).collect();
        let from = client
            .namespace
            .clone()
            .unwrap_or_else(|| "the client's namespace".into());
        let message = match presumed_from {
            None => facts.fill(
                crate::text!("NetworkPolicy {names} selects the pods of Service {svc} and admits no traffic from {from} on port {port}", "NetworkPolicy {names} 选中了 Service {svc} 的 Pod，却没有放行来自 {from} 的 {port} 端口流量"),
                &[("names", &names.join(", ")), ("svc", &svc.label()), ("from", &from), ("port", &shown)],
            ),
            Some(_) => facts.fill(
                crate::text!("NetworkPolicy {names} selects pods labelled {sel}, the label the pods of Service {svc} carry by convention (its selector was not pasted), admits no traffic from {from} on port {port}, and the probe of {svc} timed out", "NetworkPolicy {names} 选中带有 {sel} 标签的 Pod（按惯例即 Service {svc} 的 Pod；未粘贴其 selector），却没有放行来自 {from} 的 {port} 端口流量，而对 {svc} 的访问超时"),
                &[("names", &names.join(", ")), ("sel", &crate::model::labels_to_string(selector)), ("svc", &svc.label()), ("from", &from), ("port", &shown)],
            ),
        };
        let fix = facts.fill(
            crate::text!("Add an ingress rule to {first}: - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: {from}}}}] ports: [{protocol: {proto}, port: {port}}]  (kubectl edit networkpolicy {first} -n {ns})", "在 {first} 中加入入站规则：- from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: {from}}}}] ports: [{protocol: {proto}, port: {port}}]（kubectl edit networkpolicy {first} -n {ns}）"),
            &[("first", names.first().copied().unwrap_or("POLICY")), ("from", &from), ("proto", &sp.protocol), ("port", &shown), ("ns", svc.ns())],
        );
        sink.report(
            &RULE,
            svc.subject_of(
                crate::report::SubjectKind::Network,
                svc.namespace,
                names.first().copied(),
            ),
            message,
            selecting
                .iter()
                .map(|p| p.origin)
                .chain(presumed_from.map(|probe| probe.origin))
                .map(|o| facts.evidence(o))
                .collect(),
            fix,
        );
        return;
    }
}

/// Labels whose value is, by convention, the name of the app and of its
/// Service (`kubectl create deployment web` labels its pods `app=web`).
const NAME_LABELS: &[&str] = &["app", "app.kubernetes.io/name", "k8s-app", "name"];

/// For a Service whose selector was not pasted and whose probe timed out:
/// the convention label a NetworkPolicy in its namespace selects with the
/// Service's name (`app: web` for Service `web`), and that probe.
fn presumed_selector<'m>(
    facts: &Facts<'m>,
    svc: &ServiceView<'m>,
) -> Option<(crate::model::Labels, &'m crate::model::Probe)> {
    let name = svc.name?;
    let probe = crate::checks::service::probes_of(facts, svc)
        .into_iter()
        .find(|p| p.outcome == Some(ProbeOutcome::Timeout))?;
    facts
        .model
        .policies
        .iter()
        .filter(|p| same_namespace(svc.namespace, p.namespace.as_deref()))
        .find_map(|p| {
            p.pod_selector
                .iter()
                .find(|(k, v)| NAME_LABELS.contains(&k.as_str()) && v.as_str() == name)
        })
        .map(|(k, v)| {
            let mut labels = crate::model::Labels::new();
            labels.insert(k.clone(), v.clone());
            (labels, probe)
        })
}
