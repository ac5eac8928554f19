//! KP602 kube-proxy-api-unreachable (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// kube-proxy's log for failures to reach or authenticate to the API server
/// (`dial tcp ...: connection refused`, `i/o timeout`, `Unauthorized`,
/// `x509:`, `Failed to list *v1.Service`).
///
/// ## Why it matters
/// kube-proxy learns Services and endpoints from the API server. Cut off, it
/// keeps stale rules and never adds the new Service or its new pods.
///
/// ## Evidence
/// The failing log lines.
///
/// ## Fix
/// Check kube-proxy's kubeconfig (server address, certificate, token) and
/// that the node reaches the API server.
pub static RULE = Rule {
    code: "KP602",
    slug: "kube-proxy-api-unreachable",
    severity: Severity::Error,
    step: StepId::B7,
    summary: crate::text!("logs show failures to reach or authenticate to the API server", "日志显示无法连接 API Server 或认证失败"),
    explains: &[&crate::checks::rules::ipt_service_rule_missing::RULE, &crate::checks::rules::ipvs_virtual_server_missing::RULE, &crate::checks::rules::nft_service_element_missing::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for log in &facts.model.proxy_logs {
        sink.checked(RULE.step);
        if !log.apiserver_unreachable {
            continue;
        }
        let lines: Vec<_> = log
            .errors
            .iter()
            .take(3)
            .map(|e| facts.evidence(e.origin))
            .collect();
        let evidence = if lines.is_empty() {
            vec![facts.evidence(log.origin)]
        } else {
            lines
        };
        sink.report(
            &RULE, facts.kube_proxy_subject(None),
            facts.tr(crate::text!("kube-proxy cannot reach or authenticate to the API server: it does not learn Services and endpoints", "kube-proxy 无法连接 API Server 或认证失败：它拿不到 Service 和 Endpoints")).to_string(),
            evidence,
            facts.tr(crate::text!("Check kube-proxy's kubeconfig: kubectl -n kube-system get cm kube-proxy -o yaml (server: must be reachable from the node), test it with curl -k https://SERVER/healthz from the node, and renew the certificate or token if Unauthorized/x509.", "检查 kube-proxy 的 kubeconfig：kubectl -n kube-system get cm kube-proxy -o yaml（server 地址必须能从节点访问），在节点上用 curl -k https://SERVER/healthz 测试；若报 Unauthorized/x509，更新证书或 token。")).to_string(),
        );
        return;
    }
}
