//! SVC203 targetport-not-declared (see [`RULE`]).

use crate::checks::service::selected_containers;
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::ProbeOutcome;
use crate::model::TargetPort;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A numeric targetPort (or a port without targetPort, which targets the
/// same number) against the `containerPort`s of the selected pods' containers.
///
/// ## Why it matters
/// `containerPort` is informational: traffic reaches any port the process
/// listens on. But a targetPort that no container declares is the most common
/// sign of a Service pointing at the wrong port (80 against an app on 8080).
/// This is a warning; a refused direct probe of that port (POD403) makes it
/// the cause.
///
/// ## Evidence
/// The Service's ports and the containers' ports.
///
/// ## Fix
/// Set targetPort to the port the app listens on, or declare it in the
/// container.
pub static RULE = Rule {
    code: "SVC203",
    slug: "targetport-not-declared",
    severity: Severity::Warning,
    step: StepId::B2,
    summary: crate::text!("numeric targetPort not declared by any container of the selected pods", "数字形式的 targetPort 没有被所选 Pod 的任何容器声明"),
    explains: &[&crate::checks::pods::pod_direct_probe_fails::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let (ports, ports_origin) = svc.ports();
        let containers = selected_containers(facts, &svc);
        if ports.is_empty() || containers.is_empty() {
            continue;
        }
        sink.checked(RULE.step);
        for port in ports {
            let target = match &port.target_port {
                Some(TargetPort::Number(n)) => *n,
                // A table does not show the target port.
                Some(TargetPort::Name(_)) | None => continue,
            };
            for (cs, origin, who) in &containers {
                let declared: Vec<u32> = cs
                    .iter()
                    .flat_map(|c| c.ports.iter().filter_map(|p| p.port))
                    .collect();
                if declared.is_empty() || declared.contains(&target) {
                    continue;
                }
                let list: Vec<String> = declared.iter().map(|p| p.to_string()).collect();
                let message = facts.fill(
                    crate::text!("targetPort {target} of Service {name} is not a containerPort of {who} (it declares {list})", "Service {name} 的 targetPort {target} 不是 {who} 声明的 containerPort（它声明的是 {list}）"),
                    &[("target", &target.to_string()), ("name", &svc.label()), ("who", who), ("list", &list.join(", "))],
                );
                let fix = facts.fill(
                    crate::text!("If the app listens on {first}, point the Service there: kubectl patch svc {svc}{ns} --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":{first}}]'. Check with a direct probe of a pod on {target}.", "如果应用监听的是 {first}，把 Service 指过去：kubectl patch svc {svc}{ns} --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":{first}}]'。可直接访问 Pod 的 {target} 端口确认。"),
                    &[("first", &list[0]), ("svc", svc.name_or("SERVICE")), ("ns", &svc.ns_flag()), ("target", &target.to_string())],
                );
                let mut evidence = Vec::new();
                if let Some(o) = ports_origin {
                    evidence.push(facts.evidence(o));
                }
                evidence.push(facts.evidence(*origin));
                // A pod refusing that very port confirms it: the Service
                // sends traffic where nothing listens.
                let pod_ips: Vec<&str> = facts
                    .model
                    .pods
                    .iter()
                    .filter_map(|p| p.ip.as_deref())
                    .collect();
                let refused = facts.model.probes.iter().find(|p| {
                    p.port == Some(target)
                        && p.outcome == Some(ProbeOutcome::Refused)
                        && p.host.as_deref().is_some_and(|h| pod_ips.contains(&h))
                });
                let harm = refused.map(|probe| facts.evidence(probe.origin));
                sink.report_unless_harm(&RULE, svc.subject(), harm, message, evidence, fix);
                return;
            }
        }
    }
}
