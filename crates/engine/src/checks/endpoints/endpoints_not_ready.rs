//! EP305 endpoints-not-ready (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Endpoints whose addresses are all not ready (`notReadyAddresses`, or
/// `conditions.ready: false` in EndpointSlices).
///
/// ## Why it matters
/// The selector works, but the pods fail their readiness probe; kube-proxy
/// sends no traffic to not-ready endpoints.
///
/// ## Evidence
/// The not-ready addresses.
///
/// ## Fix
/// Look at why the readiness probe fails (`kubectl describe pod`): wrong
/// path or port in the probe, or an app that is not up.
pub static RULE = Rule {
    code: "EP305",
    slug: "endpoints-not-ready",
    severity: Severity::Error,
    step: StepId::B3,
    summary: crate::text!("addresses only under notReadyAddresses / ready: false: readiness failing", "地址都在 notReadyAddresses 中或 ready: false：就绪探针失败"),
    explains: &[&crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let Some(view) = endpoints_of(facts.model, svc.namespace, svc.name_or("SERVICE")) else {
            continue;
        };
        let not_ready = view.not_ready_ips();
        if !view.ready_ips().is_empty() || not_ready.is_empty() {
            continue;
        }
        let message = facts.fill(
            crate::text!("every endpoint of Service {svc} is not ready ({ips}): the pods fail their readiness probe", "Service {svc} 的所有 Endpoint 都未就绪（{ips}）：Pod 的就绪探针失败"),
            &[("svc", &svc.label()), ("ips", &not_ready.join(", "))],
        );
        let fix = facts.fill(
            crate::text!("See why readiness fails: kubectl describe pods -n {ns} {sel} (Events: Readiness probe failed); fix the probe's path/port or the app.", "查看就绪失败的原因：kubectl describe pods -n {ns} {sel}（Events 中的 Readiness probe failed）；修正探针的路径/端口或应用本身。"),
            &[
                ("ns", svc.ns()),
                ("sel", &svc.selector_flag()),
            ],
        );
        sink.report(
            &RULE,
            svc.subject(),
            message,
            vec![facts.evidence(view.origin())],
            fix,
        );
    }
}
