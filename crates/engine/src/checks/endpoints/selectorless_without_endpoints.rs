//! EP303 selectorless-without-endpoints (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::model::Selector;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Services without a selector (not ExternalName): their endpoints must be
/// created by hand, as an Endpoints object or an EndpointSlice labelled
/// `kubernetes.io/service-name`.
///
/// ## Why it matters
/// Without a selector no controller fills the endpoints. If nobody created
/// them, the Service has nowhere to send traffic.
///
/// ## Evidence
/// The Service without selector and its empty (or missing) endpoints.
///
/// ## Fix
/// Create the EndpointSlice (or Endpoints object, same name as the Service),
/// or add a selector if the backends are pods.
pub static RULE = Rule {
    code: "EP303",
    slug: "selectorless-without-endpoints",
    severity: Severity::Error,
    step: StepId::B3,
    summary: crate::text!("Service without selector and no manual Endpoints/EndpointSlice", "Service 没有 selector，也没有手工创建的 Endpoints/EndpointSlice"),
    explains: &[&crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        if !matches!(svc.selector().0, Selector::None) || svc.is_external_name() {
            continue;
        }
        let name = svc.name_or("SERVICE");
        let endpoints = endpoints_of(facts.model, svc.namespace, name);
        let not_found = facts.model.errors.iter().find(|e| {
            e.kind == "not_found"
                && e.name.as_deref() == Some(name)
                && e.resource
                    .as_deref()
                    .is_some_and(|r| r.starts_with("endpoint"))
        });
        let rejected = facts
            .model
            .proxy_rules
            .iter()
            .find(|r| Some(r.name.as_str()) == svc.name && r.rejects_no_endpoints);
        let empty = match &endpoints {
            Some(view) => {
                sink.checked(RULE.step);
                view.ready_ips().is_empty() && view.not_ready_ips().is_empty()
            }
            None => not_found.is_some() || rejected.is_some(),
        };
        if !empty {
            continue;
        }
        let message = facts.fill(
            crate::text!(
                "Service {svc} has no selector and no endpoints: nobody created its EndpointSlice",
                "Service {svc} 没有 selector，也没有 Endpoints：没有人为它创建 EndpointSlice"
            ),
            &[("svc", &svc.label())],
        );
        let fix = facts.fill(
            crate::text!("Create an EndpointSlice with label kubernetes.io/service-name: {name} in namespace {ns} listing the backend addresses and ports, or add a selector if the backends are pods.", "在命名空间 {ns} 中创建带标签 kubernetes.io/service-name: {name} 的 EndpointSlice，列出后端地址和端口；如果后端是 Pod，就给 Service 加上 selector。"),
            &[("name", name), ("ns", svc.ns())],
        );
        let mut evidence = vec![facts.evidence(svc.origin())];
        if let Some(v) = &endpoints {
            evidence.push(facts.evidence(v.origin()));
        } else if let Some(e) = not_found {
            evidence.push(facts.evidence(e.origin));
        } else if let Some(r) = rejected {
            evidence.push(facts.evidence(r.origin));
        }
        sink.report(&RULE, svc.subject(), message, evidence, fix);
    }
}
