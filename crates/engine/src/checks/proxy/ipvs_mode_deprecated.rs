//! KP607 ipvs-mode-deprecated (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::ProxyMode;
use crate::report::{Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// kube-proxy in IPVS mode: its log says so (`Using ipvs Proxier`), or an
/// `ipvsadm -ln` with virtual servers was pasted. A note, never a cause.
///
/// ## Why it matters
/// IPVS mode is deprecated upstream: nftables mode, generally available
/// since Kubernetes 1.33, is its successor, and new kube-proxy features
/// land there first. A cluster that stays on IPVS should plan the move.
///
/// ## Evidence
/// The log line or the IPVS table.
///
/// ## Fix
/// Plan the move to nftables mode (`mode: nftables` in kube-proxy's
/// configuration), after checking the kernel and the network plugin
/// support it.
pub static RULE = Rule {
    code: "KP607",
    slug: "ipvs-mode-deprecated",
    severity: Severity::Info,
    step: StepId::B7,
    summary: crate::text!("kube-proxy runs in IPVS mode, which is deprecated: nftables mode is its successor (a note)", "kube-proxy 以已弃用的 IPVS 模式运行：nftables 模式是它的替代（提示）"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let from_log = facts
        .model
        .proxy_logs
        .iter()
        .find(|l| l.proxy_mode == Some(ProxyMode::Ipvs))
        .map(|l| l.origin);
    let from_table = facts
        .model
        .proxy_dumps
        .iter()
        .find(|d| d.mode == ProxyMode::Ipvs && !facts.model.ipvs.is_empty())
        .map(|d| d.origin);
    let Some(origin) = from_log.or(from_table) else {
        return;
    };
    let message = facts
        .tr(crate::text!(
            "kube-proxy runs in IPVS mode, which is deprecated upstream and breaks nothing today: nftables mode (generally available since Kubernetes 1.33) is its successor",
            "kube-proxy 以 IPVS 模式运行，该模式已在上游弃用，目前不会造成故障：nftables 模式（自 Kubernetes 1.33 起正式可用）是它的替代"
        ))
        .to_string();
    let fix = facts
        .tr(crate::text!(
            "Plan the move to nftables mode: kubectl -n kube-system edit configmap kube-proxy (mode: nftables), then restart kube-proxy; check first that the nodes' kernel (5.13 or later) and the network plugin support it.",
            "计划迁移到 nftables 模式：kubectl -n kube-system edit configmap kube-proxy（mode: nftables），然后重启 kube-proxy；先确认节点内核（5.13 或更新）和网络插件支持它。"
        ))
        .to_string();
    sink.note(
        &RULE,
        Subject::on(SubjectKind::KubeProxy, None, None, None),
        message,
        vec![facts.evidence(origin)],
        fix,
    );
}
