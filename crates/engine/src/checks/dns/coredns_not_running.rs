//! DNS101 coredns-not-running (see [`RULE`]).

use crate::checks::dns::coredns_pods;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The CoreDNS (kube-dns) pods in `kube-system`: each must be Running and
/// Ready. A `kubectl get pods -n kube-system` listing without any CoreDNS pod
/// counts as none deployed.
///
/// ## Why it matters
/// Every Service name a pod looks up is answered by these pods. With none
/// ready, every lookup fails; with some not ready, lookups fail now and then.
///
/// ## Evidence
/// The rows of the CoreDNS pods that are not Running or not Ready, or the
/// kube-system listing that has none.
///
/// ## Fix
/// Look at the failing pods' events and logs (`kubectl describe pod`,
/// `kubectl logs`), fix what they report, or deploy CoreDNS.
pub static RULE = Rule {
    code: "DNS101",
    slug: "coredns-not-running",
    severity: Severity::Error,
    step: StepId::A1,
    summary: crate::text!("no CoreDNS/kube-dns pods, or not Running/Ready, or crash-looping", "没有 CoreDNS/kube-dns Pod，或其未处于 Running/Ready，或在反复重启"),
    explains: &[&crate::checks::dns::dns_service_no_endpoints::RULE, &crate::checks::dns::dns_unreachable::RULE, &crate::checks::dns::name_not_found::RULE, &crate::checks::dns::relative_names_fail::RULE, &crate::checks::dns::client_in_other_namespace::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let pods = coredns_pods(facts);
    if pods.is_empty() {
        // A full listing of kube-system without CoreDNS.
        if let Some(a) = crate::context::view::system_pod_listing(facts.model, facts.artifacts) {
            let origin = crate::model::Origin {
                artifact: a.index,
                source: a.source,
                lines: [a.first_line, a.last_line],
            };
            sink.report(
                &RULE, facts.cluster_dns_subject(),
                facts.tr(crate::text!("no CoreDNS (kube-dns) pod runs in kube-system", "kube-system 中没有运行任何 CoreDNS（kube-dns）Pod")).to_string(),
                vec![facts.evidence(origin)],
                facts.tr(crate::text!("Deploy CoreDNS (kubeadm: kubeadm init phase addon coredns) and check: kubectl get deploy coredns -n kube-system", "部署 CoreDNS（kubeadm：kubeadm init phase addon coredns），并检查：kubectl get deploy coredns -n kube-system")).to_string(),
            );
        }
        return;
    }
    sink.checked(RULE.step);
    let bad: Vec<_> = pods.iter().filter(|p| p.unhealthy()).collect();
    if bad.is_empty() {
        return;
    }
    let names: Vec<String> = bad.iter().map(|p| p.label()).collect();
    let message = facts.fill(
        crate::text!(
            "{bad} of {all} CoreDNS pods are not running and ready: {names}",
            "{all} 个 CoreDNS Pod 中有 {bad} 个未运行或未就绪：{names}"
        ),
        &[
            ("bad", &bad.len().to_string()),
            ("all", &pods.len().to_string()),
            ("names", &names.join(", ")),
        ],
    );
    let first = bad[0].name.as_deref().unwrap_or("coredns");
    let fix = facts.fill(
        crate::text!("Find out why from the pod's events and logs: kubectl describe pod {pod} -n kube-system; kubectl logs {pod} -n kube-system --previous", "从 Pod 的事件和日志查找原因：kubectl describe pod {pod} -n kube-system；kubectl logs {pod} -n kube-system --previous"),
        &[("pod", first)],
    );
    let evidence = bad.iter().map(|p| facts.evidence(p.origin)).collect();
    sink.report(&RULE, facts.cluster_dns_subject(), message, evidence, fix);
}
