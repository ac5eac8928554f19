//! IPVS803 ipvs-real-servers-weight-zero (see [`RULE`]).

use crate::checks::rules::{ipvs_of, proxied};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The weights of a virtual server's real servers: at least one must be
/// above 0.
///
/// ## Why it matters
/// IPVS sends no new connection to a real server of weight 0. kube-proxy sets
/// weight 0 on endpoints that are terminating (graceful termination); when
/// all are 0, the Service accepts nothing new.
///
/// ## Evidence
/// The virtual server with its real servers.
///
/// ## Fix
/// Find out why every endpoint is terminating (a rollout stuck, pods stuck in
/// Terminating) and let new pods become ready.
pub static RULE = Rule {
    code: "IPVS803",
    slug: "ipvs-real-servers-weight-zero",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("every real server has weight 0", "所有真实服务器的权重都为 0"),
    explains: &[&crate::checks::rules::ipvs_real_servers_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let services = proxied(facts);
    let vs_all: Vec<_> = if services.is_empty() {
        facts.model.ipvs.iter().collect()
    } else {
        services.iter().flat_map(|s| ipvs_of(facts, s).1).collect()
    };
    for v in vs_all {
        sink.checked(RULE.step);
        if v.real_servers.is_empty()
            || v.real_servers
                .iter()
                .any(|r| r.weight.is_none_or(|w| w > 0))
        {
            continue;
        }
        let message = facts.fill(
            crate::text!(
                "every real server of {addr}:{port} has weight 0: IPVS sends it no new connection",
                "{addr}:{port} 的所有真实服务器权重都为 0：IPVS 不会再向它们发送新连接"
            ),
            &[
                ("addr", &v.address),
                ("port", &v.port.map(|p| p.to_string()).unwrap_or_default()),
            ],
        );
        sink.report(
            &RULE, facts.kube_proxy_subject(None),
            message,
            vec![facts.evidence(v.origin)],
            facts.tr(crate::text!("Weight 0 marks terminating endpoints: look for pods stuck in Terminating or a stuck rollout (kubectl get pods -o wide; kubectl rollout status deploy/NAME) and let new pods become ready.", "权重 0 表示 Endpoint 正在终止：检查是否有卡在 Terminating 的 Pod 或卡住的发布（kubectl get pods -o wide；kubectl rollout status deploy/NAME），让新 Pod 就绪。")).to_string(),
        );
        return;
    }
}
