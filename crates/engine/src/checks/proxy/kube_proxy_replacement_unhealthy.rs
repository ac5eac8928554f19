//! KP606 kube-proxy-replacement-unhealthy (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::{Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// `cilium status` (or `cilium-dbg status`) of an agent that replaces
/// kube-proxy (`KubeProxyReplacement: True`, `Strict` before Cilium 1.14)
/// and whose `Cilium:` line is not `Ok`. A healthy status with the
/// replacement on counts as step B7 passing.
///
/// ## Why it matters
/// Where Cilium replaces kube-proxy, its agent programs every Service into
/// the eBPF datapath: an agent that fails stops updating them, and the
/// node's Services go stale or stop answering.
///
/// ## Evidence
/// The `Cilium:` and `KubeProxyReplacement:` lines.
///
/// ## Fix
/// Read the agent's full status and logs and fix what they name.
pub static RULE = Rule {
    code: "KP606",
    slug: "kube-proxy-replacement-unhealthy",
    severity: Severity::Error,
    step: StepId::B7,
    summary: crate::text!("cilium status: the agent that replaces kube-proxy is not Ok", "cilium status：替代 kube-proxy 的 agent 状态不是 Ok"),
    explains: &[&crate::checks::rules::cilium_frontend_missing::RULE, &crate::checks::rules::cilium_backends_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for status in facts
        .model
        .cilium_status
        .iter()
        .filter(|s| s.replaces_kube_proxy())
    {
        sink.checked(RULE.step);
        let Some(agent) = status.agent.as_deref() else {
            continue;
        };
        if agent.eq_ignore_ascii_case("ok") {
            continue;
        }
        let message = facts.fill(
            crate::text!(
                "Cilium replaces kube-proxy on this node, and its agent is not healthy (Cilium: {state}): the Services it programs may be stale or missing",
                "Cilium 在这个节点上替代了 kube-proxy，但它的 agent 不健康（Cilium: {state}）：它写入的 Service 可能过时或缺失"
            ),
            &[("state", agent)],
        );
        let fix = facts.tr(crate::text!(
            "Read the agent's full status and its logs: kubectl -n kube-system exec ds/cilium -- cilium-dbg status --verbose; kubectl -n kube-system logs ds/cilium --tail=100; fix what they name, then check the Services: cilium-dbg service list.",
            "查看 agent 的完整状态和日志：kubectl -n kube-system exec ds/cilium -- cilium-dbg status --verbose；kubectl -n kube-system logs ds/cilium --tail=100；修正其中指出的问题，再检查 Service：cilium-dbg service list。"
        ));
        let evidence = [status.agent_origin, status.kube_proxy_replacement_origin]
            .into_iter()
            .flatten()
            .map(|o| facts.evidence(o))
            .collect();
        let severity = if agent.eq_ignore_ascii_case("warning") {
            Severity::Warning
        } else {
            Severity::Error
        };
        sink.report_as(
            &RULE,
            Subject::on(SubjectKind::KubeProxy, None, None, None),
            severity,
            message,
            evidence,
            fix.to_string(),
        );
        return;
    }
}
