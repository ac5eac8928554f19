//! NET504 hairpin-fails (see [`RULE`]).

use crate::checks::service::probes_of;
use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::pods_selected;
use crate::model::ProbeOutcome;
use crate::read::artifact::Client;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A pod of a Service probing its own Service (by name or cluster IP): when
/// kube-proxy picks the pod itself, the packet must hairpin back out of the
/// bridge it came in.
///
/// ## Why it matters
/// Without hairpin mode on the bridge (kubelet `--hairpin-mode`, the CNI's
/// setting) or the masquerade that makes it work, a pod reaching itself
/// through its Service times out, while other clients work.
///
/// ## Evidence
/// The failed probe from inside a pod the Service selects, and the bridge
/// ports whose `hairpin_mode` reads 0 when those were pasted.
///
/// ## Fix
/// Enable hairpin mode (kubelet `hairpinMode: hairpin-veth` or
/// `promiscuous-bridge`; the CNI bridge plugin's `hairpinMode: true`).
pub static RULE = Rule {
    code: "NET504",
    slug: "hairpin-fails",
    severity: Severity::Error,
    step: StepId::B5,
    summary: crate::text!("a pod cannot reach itself through its own Service", "Pod 无法通过自己所属的 Service 访问到自己"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let Some((selector, _)) = svc.selector_labels() else {
            continue;
        };
        let own: Vec<&str> = pods_selected(facts.model, svc.namespace, selector)
            .iter()
            .filter_map(|p| p.name.as_deref())
            .collect();
        for probe in probes_of(facts, &svc) {
            let Some(Client::Pod {
                name: Some(pod), ..
            }) = facts
                .artifacts
                .get(probe.origin.artifact)
                .map(|a| &a.client)
            else {
                continue;
            };
            if !own.contains(&pod.as_str()) {
                continue;
            }
            sink.checked(RULE.step);
            if !matches!(
                probe.outcome,
                Some(ProbeOutcome::Timeout | ProbeOutcome::Reset | ProbeOutcome::NoRoute)
            ) {
                continue;
            }
            let mut message = facts.fill(
                crate::text!("pod {pod} cannot reach its own Service {svc}: hairpin traffic back to the same pod is dropped", "Pod {pod} 无法访问自己所属的 Service {svc}：回到同一 Pod 的 hairpin 流量被丢弃"),
                &[("pod", pod), ("svc", &svc.label())],
            );
            let mut evidence = vec![facts.evidence(probe.origin)];
            // The bridge ports read with hairpin mode off say why.
            let off: Vec<_> = facts
                .model
                .node_settings
                .iter()
                .filter(|s| s.key.starts_with("hairpin_mode:") && s.value.as_deref() == Some("0"))
                .collect();
            if let Some(first) = off.first() {
                let ports: Vec<&str> = off
                    .iter()
                    .map(|s| s.key.trim_start_matches("hairpin_mode:"))
                    .collect();
                message += &facts.fill(
                    crate::text!(
                        " (hairpin_mode is 0 on bridge port {ports})",
                        "（网桥端口 {ports} 的 hairpin_mode 为 0）"
                    ),
                    &[("ports", &ports.join(", "))],
                );
                evidence.push(facts.evidence(first.origin));
            }
            let fix = facts.tr(crate::text!("Enable hairpin mode: kubelet --hairpin-mode=hairpin-veth (or promiscuous-bridge), or hairpinMode: true in the CNI bridge config; then restart the pods.", "开启 hairpin 模式：kubelet --hairpin-mode=hairpin-veth（或 promiscuous-bridge），或在 CNI bridge 配置中设置 hairpinMode: true；然后重建 Pod。")).to_string();
            sink.report(
                &RULE,
                svc.subject_of(crate::report::SubjectKind::Network, svc.namespace, svc.name),
                message,
                evidence,
                fix,
            );
            return;
        }
    }
}
