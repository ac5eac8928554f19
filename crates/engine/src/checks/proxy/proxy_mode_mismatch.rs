//! KP604 proxy-mode-mismatch (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::ProxyMode;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The proxy mode kube-proxy logs (`Using ipvs Proxier`) against the rules
/// pasted (iptables, IPVS or nftables), and a requested mode it fell back
/// from (`Can't use ipvs proxier, trying iptables proxier`).
///
/// ## Why it matters
/// Looking at the wrong rules misleads: in IPVS mode the iptables dump holds
/// no per-Service chains, and a silent fallback means the configured mode is
/// not the one in use (usually missing kernel modules).
///
/// ## Evidence
/// The log line naming the mode and the pasted rules.
///
/// ## Fix
/// Inspect the rules of the mode in use, or load what the requested mode
/// needs and restart kube-proxy.
pub static RULE = Rule {
    code: "KP604",
    slug: "proxy-mode-mismatch",
    severity: Severity::Warning,
    step: StepId::B7,
    summary: crate::text!("the mode in the logs differs from the rules pasted (or kube-proxy fell back from the requested mode)", "日志中的代理模式与粘贴的规则不一致（或 kube-proxy 从配置的模式回退了）"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let model = facts.model;
    for log in &model.proxy_logs {
        let Some(mode) = log.proxy_mode else {
            continue;
        };
        if log.fallback {
            let requested = log
                .requested_mode
                .clone()
                .unwrap_or_else(|| facts.not_shown().into());
            let message = facts.fill(
                crate::text!(
                    "kube-proxy was asked for {req} mode but fell back to {mode}",
                    "kube-proxy 配置为 {req} 模式，但回退到了 {mode}"
                ),
                &[("req", &requested), ("mode", mode.as_str())],
            );
            sink.report(
                &RULE, facts.kube_proxy_subject(None),
                message,
                log.errors.iter().take(1).map(|e| facts.evidence(e.origin)).chain(std::iter::once(facts.evidence(log.origin))).take(2).collect(),
                facts.tr(crate::text!("Load the IPVS kernel modules on the node (modprobe -- ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh nf_conntrack; install ipset) and restart kube-proxy, or set mode to the one you use.", "在节点上加载 IPVS 内核模块（modprobe -- ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh nf_conntrack；安装 ipset）并重启 kube-proxy，或把 mode 改为实际使用的模式。")).to_string(),
            );
            return;
        }
        let pasted_ipvs = !model.ipvs.is_empty();
        let pasted_ipt = model
            .proxy_rules
            .iter()
            .any(|r| r.mode == ProxyMode::Iptables && r.svc_chain.is_some());
        let pasted_nft = model
            .proxy_dumps
            .iter()
            .any(|d| d.mode == ProxyMode::Nftables);
        let (rules, mismatch) = match mode {
            ProxyMode::Ipvs if pasted_ipt && !pasted_ipvs => ("iptables", true),
            ProxyMode::Iptables if pasted_ipvs && !pasted_ipt => ("IPVS", true),
            ProxyMode::Nftables if (pasted_ipt || pasted_ipvs) && !pasted_nft => {
                ("iptables/IPVS", true)
            }
            ProxyMode::Iptables | ProxyMode::Ipvs if pasted_nft && !pasted_ipt && !pasted_ipvs => {
                ("nftables", true)
            }
            _ => ("", false),
        };
        if !mismatch {
            continue;
        }
        let message = facts.fill(
            crate::text!("kube-proxy runs in {mode} mode, but the rules pasted are {rules} rules: they are not what forwards this traffic", "kube-proxy 运行在 {mode} 模式，而粘贴的是 {rules} 规则：转发这些流量的不是这些规则"),
            &[("mode", mode.as_str()), ("rules", rules)],
        );
        let fix = match mode {
            ProxyMode::Ipvs => "ipvsadm -ln",
            ProxyMode::Nftables => "nft list table ip kube-proxy",
            _ => "iptables-save -t nat",
        };
        sink.report(
            &RULE,
            facts.kube_proxy_subject(None),
            message,
            vec![facts.evidence(log.origin)],
            facts.fill(
                crate::text!(
                    "Look at the rules of the mode in use: {cmd}",
                    "查看实际使用模式的规则：{cmd}"
                ),
                &[("cmd", fix)],
            ),
        );
        return;
    }
}
