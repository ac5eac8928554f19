//! SVC210 externalname-service (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Services of type ExternalName.
///
/// ## Why it matters
/// An ExternalName Service is only a DNS CNAME to `spec.externalName`: no
/// cluster IP, no endpoints, no kube-proxy rules, no port mapping. Whether it
/// answers depends on the external name resolving and that host listening.
///
/// ## Evidence
/// The Service's type and externalName.
///
/// ## Fix
/// Check that the external name resolves from a pod and that the client uses
/// the external host's port; selectors and endpoints do not apply.
pub static RULE = Rule {
    code: "SVC210",
    slug: "externalname-service",
    severity: Severity::Info,
    step: StepId::B1,
    summary: crate::text!("ExternalName Service: no proxying, only a DNS CNAME", "ExternalName 类型的 Service：不做代理，只有一条 DNS CNAME"),
    explains: &[&crate::checks::endpoints::selectorless_without_endpoints::RULE, &crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::rules::ipt_service_rule_missing::RULE, &crate::checks::rules::ipvs_virtual_server_missing::RULE, &crate::checks::rules::nft_service_element_missing::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts
        .user_services()
        .iter()
        .filter(|s| s.is_external_name())
    {
        let target = svc
            .parts
            .iter()
            .find_map(|s| s.external_name.as_deref())
            .unwrap_or(facts.not_shown());
        let message = facts.fill(
            crate::text!("Service {name} is an ExternalName alias of {target}: DNS answers with a CNAME and nothing is proxied", "Service {name} 是 {target} 的 ExternalName 别名：DNS 返回 CNAME，不做任何代理"),
            &[("name", &svc.label()), ("target", target)],
        );
        let fix = facts.fill(
            crate::text!("Check the target from a pod: nslookup {target}; then connect on the port {target} listens on.", "在 Pod 中检查目标：nslookup {target}；然后连接 {target} 实际监听的端口。"),
            &[("target", target)],
        );
        sink.report(
            &RULE,
            svc.subject(),
            message,
            vec![facts.evidence(svc.origin())],
            fix,
        );
    }
}
