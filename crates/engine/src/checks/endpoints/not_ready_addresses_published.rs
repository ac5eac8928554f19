//! EP313 not-ready-addresses-published (see [`RULE`]).

use crate::checks::pods::service_pods;
use crate::checks::service::probes_of;
use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::model::{Probe, ProbeOutcome};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A Service with `publishNotReadyAddresses: true`, or EndpointSlices whose
/// endpoints are `ready: true` but `serving: false` (what that setting
/// makes), while some of its pods are not ready.
///
/// ## Why it matters
/// The setting is meant for peers that must find each other before they
/// are ready (a StatefulSet's headless Service). On a Service that clients
/// use, it sends them to pods that are not ready: a pod still starting
/// refuses, so the Service answers only now and then, and readiness probes
/// no longer protect anyone. An error when a probe of the Service was
/// refused or answered only some of the time.
///
/// ## Evidence
/// The setting (or the slices' conditions) and the pods that are not ready.
///
/// ## Fix
/// Unless the Service is for peer discovery, remove the setting
/// (`publishNotReadyAddresses: false`), and find out why the pods are not
/// ready.
pub static RULE = Rule {
    code: "EP313",
    slug: "not-ready-addresses-published",
    severity: Severity::Warning,
    step: StepId::B3,
    summary: crate::text!("the Service publishes not-ready addresses (publishNotReadyAddresses): clients are sent to pods that are not ready", "Service 发布了未就绪的地址（publishNotReadyAddresses）：客户端被发往未就绪的 Pod"),
    explains: &[&crate::checks::pods::pod_direct_probe_fails::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let services = facts.user_services();
    for svc in &services {
        // A headless Service publishes them for peers that find each other
        // before they are ready: what the setting is for.
        if svc.is_headless() {
            continue;
        }
        let setting = svc.parts.iter().find(|s| s.publish_not_ready);
        let view = svc
            .name
            .and_then(|n| endpoints_of(facts.model, svc.namespace, n));
        let published: Vec<_> = view
            .iter()
            .flat_map(|v| v.sets.iter().flat_map(|s| &s.addresses))
            .filter(|a| a.not_serving)
            .collect();
        if setting.is_none() && published.is_empty() {
            continue;
        }
        // The pods that are not ready: from the slices' conditions, else
        // from the pods' own readiness.
        let reference = svc.reference();
        let mut unready: Vec<(String, crate::model::Origin)> = published
            .iter()
            .map(|a| (a.pod.clone().unwrap_or_else(|| a.ip.clone()), a.origin))
            .collect();
        if unready.is_empty() {
            unready = service_pods(facts)
                .into_iter()
                .filter(|(s, _)| Some(s) == reference.as_ref())
                .filter(|(_, p)| p.ready == Some(false))
                .filter_map(|(_, p)| Some((p.name?.to_string(), *p.origins.first()?)))
                .collect();
        }
        if unready.is_empty() {
            continue;
        }
        let names: Vec<&str> = unready.iter().map(|(n, _)| n.as_str()).collect();
        let message = facts.fill(
            crate::text!("Service {svc} publishes addresses that are not ready: its endpoints send clients to {pods}, which are not ready", "Service {svc} 发布了未就绪的地址：它的端点把客户端发往未就绪的 {pods}"),
            &[("svc", &svc.label()), ("pods", &names.join(", "))],
        );
        let fix = facts.fill(
            crate::text!("Unless the Service is for peers that must find each other before they are ready (a StatefulSet's headless Service), stop publishing them: kubectl patch svc {name} -n {ns} -p '{\"spec\":{\"publishNotReadyAddresses\":false}}'; then see why the pods are not ready (kubectl describe pod {pod} -n {ns}).", "除非该 Service 用于在就绪之前就必须互相发现的对等 Pod（StatefulSet 的 headless Service），否则不要发布它们：kubectl patch svc {name} -n {ns} -p '{\"spec\":{\"publishNotReadyAddresses\":false}}'；再查看这些 Pod 为什么未就绪（kubectl describe pod {pod} -n {ns}）。"),
            &[("name", svc.name_or("SERVICE")), ("ns", svc.ns()), ("pod", names[0])],
        );
        let mut evidence = Vec::new();
        if let Some(s) = setting {
            evidence.push(facts.evidence(facts.line_with(s.origin, "publishNotReadyAddresses")));
        }
        evidence.extend(unready.iter().take(4).map(|(_, o)| facts.evidence(*o)));
        let mut probes = probes_of(facts, svc);
        if probes.is_empty() && services.len() == 1 {
            probes = facts.model.probes.iter().collect();
        }
        let harm = probes
            .into_iter()
            .find(|p: &&Probe| {
                p.intermittent
                    || matches!(p.outcome, Some(ProbeOutcome::Refused | ProbeOutcome::Reset))
            })
            .map(|p| facts.evidence(p.origin));
        sink.report_unless_harm(&RULE, svc.subject(), harm, message, evidence, fix);
        return;
    }
}
