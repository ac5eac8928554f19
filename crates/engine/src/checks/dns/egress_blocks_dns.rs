//! DNS113 egress-blocks-dns (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::netpol::{admits, restricts, selects, Direction, Peer};
use crate::model::{same_namespace, ProbeOutcome};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// NetworkPolicies in the client's namespace that select the client pod and
/// restrict egress: at least one must admit UDP 53 (and TCP 53) to the
/// kube-dns pods in `kube-system`.
///
/// ## Why it matters
/// Once any egress policy selects a pod, everything not allowed is dropped,
/// DNS included. A default-deny egress policy without a DNS rule makes every
/// lookup time out.
///
/// ## Evidence
/// The policies that select the client without a DNS rule.
///
/// ## Fix
/// Add an egress rule to `kube-system` (`namespaceSelector:
/// kubernetes.io/metadata.name: kube-system`) on UDP and TCP port 53.
pub static RULE = Rule {
    code: "DNS113",
    slug: "egress-blocks-dns",
    severity: Severity::Error,
    step: StepId::A6,
    summary: crate::text!("an egress NetworkPolicy on the client denies UDP/TCP 53 to kube-dns", "客户端上的出站 NetworkPolicy 拒绝了到 kube-dns 的 UDP/TCP 53"),
    explains: &[&crate::checks::dns::dns_unreachable::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let client = facts.client();
    // Only a client known to be a pod of a known namespace is held to that
    // namespace's policies: a paste of policies alone says nothing of who
    // connects (a NodePort client outside the cluster has no egress policy).
    let Some(client_ns) = client.namespace.as_deref() else {
        return;
    };
    // A name that resolved (a lookup's answer, a probe by name that got
    // as far as connecting) shows that DNS gets through.
    let resolved = facts.model.lookups.iter().any(|l| l.resolved)
        || facts.model.probes.iter().any(|p| {
            p.outcome.is_some_and(ProbeOutcome::past_name)
                && p.host.as_deref().is_some_and(|h| {
                    h.trim_matches(['[', ']'])
                        .parse::<std::net::IpAddr>()
                        .is_err()
                })
        });
    if resolved {
        return;
    }
    let ns = Some(client_ns);
    let client_labels = facts.client_pod(&client).and_then(|p| p.labels.as_ref());
    let policies: Vec<_> = facts
        .model
        .policies
        .iter()
        .filter(|p| same_namespace(ns, p.namespace.as_deref()))
        .collect();
    if policies.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let egress: Vec<_> = policies
        .iter()
        .filter(|p| restricts(p, Direction::Egress) && selects(p, client_labels))
        .collect();
    if egress.is_empty() {
        return;
    }
    // The CoreDNS pods as pasted: their labels and addresses (policies see
    // the pods' addresses, not the kube-dns cluster IP). Unknown labels
    // leave a podSelector undecided: charts label them differently.
    let dns_pods: Vec<&crate::model::Pod> = facts
        .model
        .pods
        .iter()
        .filter(|p| p.namespace.as_deref() == Some("kube-system"))
        .filter(|p| {
            p.labels
                .as_ref()
                .and_then(|l| l.get("k8s-app"))
                .map(String::as_str)
                == Some("kube-dns")
                || p.name.as_deref().is_some_and(|n| n.starts_with("coredns-"))
        })
        .collect();
    let dns = Peer {
        namespace: Some("kube-system"),
        ips: dns_pods.iter().filter_map(|p| p.ip.as_deref()).collect(),
        namespace_labels: crate::context::netpol::namespace_labels(
            facts.model,
            Some("kube-system"),
        ),
        labels: dns_pods.iter().find_map(|p| p.labels.as_ref()),
        labels_partial: dns_pods.iter().all(|p| p.labels_partial),
        policy_namespace: ns,
    };
    if egress
        .iter()
        .any(|p| admits(p, Direction::Egress, &dns, Some(53), "UDP", Some("dns")))
    {
        return;
    }
    let names: Vec<&str> = egress.iter().filter_map(|p| p.name.as_deref()).collect();
    let message = facts.fill(
        crate::text!("egress NetworkPolicy {names} selects the client and allows no DNS (UDP 53) to kube-system", "出站 NetworkPolicy {names} 选中了客户端，却没有放行到 kube-system 的 DNS（UDP 53）"),
        &[("names", &names.join(", "))],
    );
    let fix = facts.fill(
        crate::text!("Add to the policy's egress: - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}] ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]  (kubectl edit networkpolicy {first} -n {ns})", "在策略的 egress 中加入：- to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}] ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]（kubectl edit networkpolicy {first} -n {ns}）"),
        &[("first", names.first().copied().unwrap_or("POLICY")), ("ns", client_ns)],
    );
    sink.report(
        &RULE,
        facts.client_subject(),
        message,
        egress.iter().map(|p| facts.evidence(p.origin)).collect(),
        fix,
    );
}
