//! KP605 iptables-backend-mismatch (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Signs that both iptables backends hold rules: iptables-nft's `# Warning:
/// iptables-legacy tables present` in `iptables-save` output, or kube-proxy
/// logging both backends.
///
/// ## Why it matters
/// The kernel evaluates both the legacy and the nf_tables rule sets. When
/// kube-proxy writes one and another program (an old Docker, a CNI) writes
/// the other, packets meet rules nobody looks at: Services drop or misroute.
///
/// ## Evidence
/// The warning line.
///
/// ## Fix
/// Make every component use one backend (`update-alternatives --set iptables
/// /usr/sbin/iptables-nft` or `-legacy`), flush the other's rules, reboot.
pub static RULE = Rule {
    code: "KP605",
    slug: "iptables-backend-mismatch",
    severity: Severity::Error,
    step: StepId::B7,
    summary: crate::text!("legacy and nft iptables backends both in use", "同时使用了 legacy 和 nft 两种 iptables 后端"),
    explains: &[&crate::checks::rules::ipt_service_rule_missing::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let from_dump = facts
        .model
        .proxy_dumps
        .iter()
        .find_map(|d| d.legacy_warning);
    let from_log = facts.model.proxy_logs.iter().find_map(|l| {
        l.warnings
            .iter()
            .chain(&l.errors)
            .find(|w| {
                w.text.to_ascii_lowercase().contains("legacy")
                    && w.text.to_ascii_lowercase().contains("nft")
            })
            .map(|w| w.origin)
    });
    let Some(origin) = from_dump.or(from_log) else {
        return;
    };
    sink.report(
        &RULE, facts.kube_proxy_subject(None),
        facts.tr(crate::text!("both iptables backends hold rules on this node (legacy tables are present next to nf_tables)", "该节点上两种 iptables 后端都有规则（nf_tables 之外还存在 legacy 表）")).to_string(),
        vec![facts.evidence(origin)],
        facts.tr(crate::text!("Compare iptables-legacy-save and iptables-nft-save; pick the backend kube-proxy uses, switch everything to it (update-alternatives --set iptables /usr/sbin/iptables-nft), flush the other backend's tables, and reboot the node.", "对比 iptables-legacy-save 和 iptables-nft-save；选定 kube-proxy 使用的后端并让所有组件都用它（update-alternatives --set iptables /usr/sbin/iptables-nft），清空另一种后端的表，然后重启节点。")).to_string(),
    );
}
