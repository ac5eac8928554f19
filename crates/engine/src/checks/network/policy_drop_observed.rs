//! NET508 policy-drop-observed (see [`RULE`]).

use crate::checks::pods::service_pods;
use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::model::Flow;
use crate::report::{Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// `hubble observe` flows that Cilium dropped or denied by network policy
/// (`Policy denied DROPPED`, `policy-verdict:none INGRESS DENIED`) on their
/// way to a pod of the Service (by its name or its endpoint address), and
/// `cilium policy trace` results of `Final verdict: DENIED` towards pods
/// whose labels the Service selects; or to any pod while no Service is
/// known.
///
/// ## Why it matters
/// Hubble saw the packet dropped: no guess is left about what blocks the
/// connection. A policy that selects the pods (a NetworkPolicy, a
/// CiliumNetworkPolicy or a cluster-wide one) does not allow this client
/// or port, and the client times out.
///
/// ## Evidence
/// The flows' lines, or the trace from its `Tracing From:` line to its
/// verdict.
///
/// ## Fix
/// Find the policies that select the destination pods, and allow the
/// client and port, or trace the decision with `cilium policy trace`.
pub static RULE = Rule {
    code: "NET508",
    slug: "policy-drop-observed",
    severity: Severity::Error,
    step: StepId::B6,
    summary: crate::text!("hubble observe shows the Service's traffic dropped by network policy (Policy denied, policy-verdict DENIED)", "hubble observe 显示 Service 的流量被网络策略丢弃（Policy denied、policy-verdict DENIED）"),
    explains: &[&crate::checks::pods::pod_direct_probe_fails::RULE, &crate::checks::network::cross_node_traffic_fails::RULE, &crate::checks::dns::dns_unreachable::RULE],
    check,
};
}

/// `default/web-7d4b9c8f5-x2x9z:80` as (namespace, pod), or `10.244.1.5:80`
/// as its address.
fn destination(flow: &Flow) -> (Option<(&str, &str)>, &str) {
    let without_port = flow
        .destination
        .rsplit_once(':')
        .map_or(flow.destination.as_str(), |(d, _)| d);
    (without_port.split_once('/'), without_port)
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let denied: Vec<&Flow> = facts
        .model
        .flows
        .iter()
        .filter(|f| f.policy_denied())
        .collect();
    if facts.model.flows.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let pods = service_pods(facts);
    let services = facts.user_services();
    // Each denied flow with the Service whose pod it was going to.
    let tied: Vec<(Option<crate::report::ServiceRef>, &Flow)> = denied
        .iter()
        .filter_map(|f| {
            // A policy trace names label sets: the Service whose selector
            // (and namespace) the destination's labels hold.
            if f.reason == crate::parse::cilium::TRACE {
                let labels = Flow::trace_labels(&f.destination);
                let ns = labels
                    .iter()
                    .find(|(k, _)| *k == "io.kubernetes.pod.namespace")
                    .map(|(_, v)| *v);
                let svc = services.iter().find(|svc| {
                    svc.selector_labels().is_some_and(|(sel, _)| {
                        sel.iter()
                            .all(|(k, v)| labels.contains(&(k.as_str(), v.as_str())))
                    }) && ns.is_none_or(|ns| svc.namespace.is_none_or(|n| n == ns))
                });
                return match svc {
                    Some(svc) => Some((svc.reference(), *f)),
                    None if services.is_empty() => Some((None, *f)),
                    None => None,
                };
            }
            let (pod, address) = destination(f);
            let by_pod = pod.and_then(|(ns, name)| {
                pods.iter()
                    .find(|(_, p)| p.name == Some(name) && p.namespace.is_none_or(|n| n == ns))
                    .map(|(s, _)| s.clone())
            });
            let by_address = || {
                services.iter().find_map(|svc| {
                    let view = endpoints_of(facts.model, svc.namespace, svc.name?)?;
                    let known = view
                        .sets
                        .iter()
                        .flat_map(|s| &s.addresses)
                        .any(|a| a.ip == address);
                    known.then(|| svc.reference()).flatten()
                })
            };
            match by_pod.or_else(by_address) {
                Some(svc) => Some((Some(svc), *f)),
                None if services.is_empty() => Some((None, *f)),
                None => None,
            }
        })
        .collect();
    let Some((service, first)) = tied.first() else {
        return;
    };
    // A trace's sides are label sets: the app's labels and namespace.
    let shown = |side: &str| -> String {
        if first.reason != crate::parse::cilium::TRACE {
            return side.to_string();
        }
        let labels = Flow::trace_labels(side);
        let ns = labels
            .iter()
            .find(|(k, _)| *k == "io.kubernetes.pod.namespace")
            .map(|(_, v)| *v);
        let own: Vec<String> = labels
            .iter()
            .filter(|(k, _)| !k.starts_with("io.cilium.") && !k.starts_with("io.kubernetes."))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        match ns {
            Some(ns) => format!("{} ({ns})", own.join(",")),
            None => own.join(","),
        }
    };
    let to = match service {
        Some(svc) => facts.fill(
            crate::text!(
                "{to} (a pod of Service {svc})",
                "{to}（Service {svc} 的 Pod）"
            ),
            &[("to", &shown(&first.destination)), ("svc", &svc.label())],
        ),
        None => shown(&first.destination),
    };
    let text = if first.reason == crate::parse::cilium::TRACE {
        crate::text!(
            "cilium policy trace says DENIED for {from} → {to}: a policy that selects the destination pods does not allow this client or port",
            "cilium policy trace 对 {from} → {to} 的结论是 DENIED：选中目标 Pod 的策略不允许这个客户端或端口"
        )
    } else {
        crate::text!(
            "Hubble saw Cilium drop {from} → {to} by network policy ({reason} {verdict}): a policy that selects the destination pods does not allow this client or port",
            "Hubble 观察到 Cilium 按网络策略丢弃了 {from} → {to}（{reason} {verdict}）：选中目标 Pod 的策略不允许这个客户端或端口"
        )
    };
    let message = facts.fill(
        text,
        &[
            ("from", &shown(&first.source)),
            ("to", &to),
            ("reason", &first.reason),
            ("verdict", &first.verdict),
        ],
    );
    let ns = if first.reason == crate::parse::cilium::TRACE {
        Flow::trace_labels(&first.destination)
            .iter()
            .find(|(k, _)| *k == "io.kubernetes.pod.namespace")
            .map_or("default", |(_, v)| v)
            .to_string()
    } else {
        destination(first)
            .0
            .map_or("default", |(ns, _)| ns)
            .to_string()
    };
    let fix = facts.fill(
        crate::text!(
            "List the policies of the destination's namespace: kubectl get networkpolicies,ciliumnetworkpolicies -n {ns} -o yaml and kubectl get ciliumclusterwidenetworkpolicies -o yaml; allow the client and port in the one that selects the pods, then watch: hubble observe --verdict DROPPED -n {ns}",
            "列出目标命名空间的策略：kubectl get networkpolicies,ciliumnetworkpolicies -n {ns} -o yaml 以及 kubectl get ciliumclusterwidenetworkpolicies -o yaml；在选中这些 Pod 的策略中允许该客户端和端口，然后观察：hubble observe --verdict DROPPED -n {ns}"
        ),
        &[("ns", &ns)],
    );
    let subject = match service {
        Some(svc) => Subject::on(SubjectKind::Network, None, None, Some(svc.clone())),
        None => Subject::on(SubjectKind::Network, None, None, None),
    };
    let evidence = tied
        .iter()
        .take(3)
        .map(|(_, f)| facts.evidence(f.origin))
        .collect();
    sink.report(&RULE, subject, message, evidence, fix);
}
