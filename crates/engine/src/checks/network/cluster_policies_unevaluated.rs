//! NET511 cluster-policies-unevaluated (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::adminpol::unevaluated;
use crate::report::{Severity, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Network policies that exist beside the NetworkPolicies and that were
/// not evaluated: AdminNetworkPolicies or the baseline listed in a table
/// without their rules, ClusterNetworkPolicies, and the network plugin's
/// own kinds (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, Calico's
/// GlobalNetworkPolicy).
///
/// ## Why it matters
/// Such a policy can deny what every NetworkPolicy allows (or allow what
/// they deny). Without its rules, "no NetworkPolicy blocks this
/// connection" is only half the answer: the step is left incomplete
/// instead of passed.
///
/// ## Evidence
/// Where the policies were seen.
///
/// ## Fix
/// Paste their rules (`kubectl get adminnetworkpolicies,
/// baselineadminnetworkpolicies -o yaml`), or ask the plugin what it
/// decided (`cilium policy trace`, `hubble observe --verdict DROPPED`,
/// `calicoctl get globalnetworkpolicy -o yaml`).
pub static RULE = Rule {
    code: "NET511",
    slug: "cluster-policies-unevaluated",
    severity: Severity::Warning,
    step: StepId::B6,
    summary: crate::text!("cluster-wide or plugin network policies exist that were not evaluated: the policy step is incomplete", "存在未评估的集群级或网络插件自己的网络策略：策略这一步的结论不完整"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    // A namespaced policy matters only in the client's or the Service's
    // namespace.
    let client_ns = facts.client().namespace;
    let services = facts.user_services();
    let found: Vec<_> = unevaluated(facts.model)
        .into_iter()
        .filter(|p| {
            p.namespace.as_deref().is_none_or(|ns| {
                client_ns.as_deref() == Some(ns)
                    || services.iter().any(|s| s.namespace.is_none_or(|n| n == ns))
            })
        })
        .collect();
    let Some(first) = found.first() else {
        return;
    };
    // `AdminNetworkPolicy a, b; CiliumNetworkPolicy c`.
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for p in &found {
        let name = p.name.as_deref().unwrap_or("?");
        match groups.iter_mut().find(|(k, _)| *k == p.kind) {
            Some((_, names)) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None => groups.push((&p.kind, vec![name])),
        }
    }
    let names: Vec<String> = groups
        .iter()
        .map(|(kind, names)| format!("{kind} {}", names.join(", ")))
        .collect();
    let plugin = found.iter().any(|p| {
        matches!(
            p.kind.as_str(),
            "CiliumNetworkPolicy" | "CiliumClusterwideNetworkPolicy" | "GlobalNetworkPolicy"
        )
    });
    let message = facts.fill(
        crate::text!("the rules of {names} were not evaluated (not pasted, or the network plugin's own): whether they let the client through is not decided", "没有评估 {names} 的规则（未粘贴，或属于网络插件自己的策略）：它们是否放行客户端尚无定论"),
        &[("names", &names.join("; "))],
    );
    let fix = if plugin {
        facts.tr(crate::text!("Ask the network plugin what it decides for this connection: cilium policy trace (or hubble observe --verdict DROPPED), calicoctl get globalnetworkpolicy -o yaml", "询问网络插件对这条连接的决定：cilium policy trace（或 hubble observe --verdict DROPPED）、calicoctl get globalnetworkpolicy -o yaml")).to_string()
    } else {
        facts.tr(crate::text!("Paste their rules: kubectl get adminnetworkpolicies,baselineadminnetworkpolicies -o yaml", "粘贴它们的规则：kubectl get adminnetworkpolicies,baselineadminnetworkpolicies -o yaml")).to_string()
    };
    sink.report(
        &RULE,
        crate::report::Subject::shared(SubjectKind::Network, None, first.name.as_deref()),
        message,
        found.iter().map(|p| facts.evidence(p.origin)).collect(),
        fix,
    );
}
