//! KP603 kube-proxy-sync-failing (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// kube-proxy's log for errors writing rules: `Failed to execute
/// iptables-restore`, IPVS, nft or conntrack failures.
///
/// ## Why it matters
/// kube-proxy rewrites the rules on every change; when a write fails, the
/// kernel keeps the old rules, so new Services and endpoints never appear.
///
/// ## Evidence
/// The failing log lines.
///
/// ## Fix
/// Fix what the error names (missing kernel modules for IPVS, an iptables
/// lock held by another program, mixed iptables backends, too old nft).
pub static RULE = Rule {
    code: "KP603",
    slug: "kube-proxy-sync-failing",
    severity: Severity::Error,
    step: StepId::B7,
    summary: crate::text!("logs show iptables-restore / IPVS / nft / conntrack errors", "日志显示 iptables-restore / IPVS / nft / conntrack 错误"),
    explains: &[&crate::checks::rules::ipt_service_rule_missing::RULE, &crate::checks::rules::ipvs_virtual_server_missing::RULE, &crate::checks::rules::nft_service_element_missing::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for log in &facts.model.proxy_logs {
        sink.checked(RULE.step);
        let Some(first) = log.sync_failures.first() else {
            continue;
        };
        let message = facts.fill(
            crate::text!(
                "kube-proxy fails to write the proxy rules: {line}",
                "kube-proxy 写入代理规则失败：{line}"
            ),
            &[("line", &first.text)],
        );
        sink.report(
            &RULE, facts.kube_proxy_subject(None),
            message,
            log.sync_failures.iter().take(3).map(|e| facts.evidence(e.origin)).collect(),
            facts.tr(crate::text!("Fix what the error names: for IPVS load the modules (modprobe ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh nf_conntrack); for iptables check that no other program holds the xtables lock and that one backend is used (iptables --version shows legacy or nf_tables); then restart kube-proxy.", "按错误提示修复：IPVS 模式加载内核模块（modprobe ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh nf_conntrack）；iptables 模式确认没有其他程序占用 xtables 锁且只使用一种后端（iptables --version 显示 legacy 或 nf_tables）；然后重启 kube-proxy。")).to_string(),
        );
        return;
    }
}
