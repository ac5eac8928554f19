//! DNS112 hostnetwork-dns-policy (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{Origin, PodSpec};
use crate::report::{Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Pods and pod templates with `hostNetwork: true`: their `dnsPolicy` must
/// be `ClusterFirstWithHostNet` to resolve Service names.
///
/// ## Why it matters
/// A hostNetwork pod with the default `ClusterFirst` policy silently gets the
/// node's resolv.conf, which knows no Service names.
///
/// ## Evidence
/// The pod spec's hostNetwork and dnsPolicy lines.
///
/// ## Fix
/// Set `dnsPolicy: ClusterFirstWithHostNet` in the pod template.
pub static RULE = Rule {
    code: "DNS112",
    slug: "hostnetwork-dns-policy",
    severity: Severity::Error,
    step: StepId::A5,
    summary: crate::text!("hostNetwork pod without dnsPolicy: ClusterFirstWithHostNet", "hostNetwork Pod 未设置 dnsPolicy: ClusterFirstWithHostNet"),
    explains: &[&crate::checks::dns::name_not_found::RULE, &crate::checks::dns::nameserver_not_cluster_dns::RULE, &crate::checks::dns::search_suffix_missing::RULE, &crate::checks::dns::ndots_too_low::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let client = facts.client();
    // (pod spec, origin, words for the message, subject)
    let specs: Vec<(&PodSpec, Origin, String, Subject)> = facts
        .model
        .pods
        .iter()
        .map(|p| {
            let name = p.name.as_deref();
            (
                &p.spec,
                p.origin,
                format!("pod {}", name.unwrap_or(facts.not_shown())),
                Subject::shared(SubjectKind::Pod, p.namespace.as_deref(), name),
            )
        })
        .chain(facts.model.workloads.iter().map(|w| {
            let name = w.name.as_deref();
            (
                &w.pod_spec,
                w.origin,
                format!(
                    "{} {}",
                    w.kind.to_ascii_lowercase(),
                    name.unwrap_or(facts.not_shown())
                ),
                Subject::shared(SubjectKind::Workload, w.namespace.as_deref(), name),
            )
        }))
        // The cluster's own hostNetwork pods (kube-proxy, the CNI) never
        // resolve Service names: they are the subject only when the
        // lookups ran in them.
        .filter(|(_, _, _, subject)| {
            subject.namespace.as_deref() != Some("kube-system")
                || (client.pod.is_some()
                    && subject.kind == SubjectKind::Pod
                    && subject.name == client.pod)
        })
        .collect();
    for (spec, origin, who, subject) in specs {
        if spec.containers.is_none() && !spec.host_network {
            continue;
        }
        // Not the fact that decides A5 (the nameserver is): no pass from it.
        if !spec.host_network || spec.dns_policy.as_deref() == Some("ClusterFirstWithHostNet") {
            continue;
        }
        let policy = spec
            .dns_policy
            .clone()
            .unwrap_or_else(|| "ClusterFirst".into());
        let message = facts.fill(
            crate::text!("{who} uses hostNetwork with dnsPolicy {policy}: it gets the node's resolver and cannot resolve Service names", "{who} 使用 hostNetwork 且 dnsPolicy 为 {policy}：它使用节点的解析配置，无法解析 Service 名称"),
            &[("who", &who), ("policy", &policy)],
        );
        sink.report(
            &RULE,
            subject,
            message,
            vec![facts.evidence(spec.dns_policy_origin.unwrap_or(origin))],
            facts.tr(crate::text!("Set dnsPolicy: ClusterFirstWithHostNet next to hostNetwork: true in the pod template.", "在 Pod 模板中 hostNetwork: true 旁设置 dnsPolicy: ClusterFirstWithHostNet。")).to_string(),
        );
        return;
    }
}
