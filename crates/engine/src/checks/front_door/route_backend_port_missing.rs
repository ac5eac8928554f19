//! ING002 route-backend-port-missing (see [`RULE`]).

use crate::checks::front_door::{backends, subject};
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{same_namespace, TargetPort};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// An Ingress or HTTPRoute backend whose port (a number, or an Ingress's
/// port name) is not a port of the Service it names, where that Service
/// was pasted with its ports.
///
/// ## Why it matters
/// The backend's port is the Service's `port`, not the pods' `targetPort`:
/// a port the Service does not have gives the controller no endpoints,
/// and requests from outside get 503.
///
/// ## Evidence
/// The backend's line and the Service's ports.
///
/// ## Fix
/// Use one of the Service's ports in the backend.
pub static RULE = Rule {
    code: "ING002",
    slug: "route-backend-port-missing",
    severity: Severity::Error,
    step: StepId::B0,
    summary: crate::text!("an Ingress or HTTPRoute backend port is not a port of the Service", "Ingress 或 HTTPRoute 的后端端口不是该 Service 的端口"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let services = facts.services();
    for (route, backend, ns) in backends(facts) {
        sink.checked(RULE.step);
        let Some(port) = &backend.port else { continue };
        let Some(svc) = services.iter().find(|s| {
            s.name == Some(backend.service.as_str()) && same_namespace(Some(ns), s.namespace)
        }) else {
            continue;
        };
        let (ports, ports_origin) = svc.ports();
        if ports.is_empty() {
            continue;
        }
        let known = ports.iter().any(|p| match port {
            TargetPort::Number(n) => p.port == Some(*n),
            TargetPort::Name(name) => p.name.as_deref() == Some(name.as_str()),
        });
        if known {
            continue;
        }
        let said = match port {
            TargetPort::Number(n) => n.to_string(),
            TargetPort::Name(name) => name.clone(),
        };
        let has: Vec<String> = ports
            .iter()
            .map(|p| match (&p.name, p.port) {
                (Some(name), Some(n)) => format!("{n} ({name})"),
                (None, Some(n)) => n.to_string(),
                (Some(name), None) => name.clone(),
                (None, None) => "?".into(),
            })
            .collect();
        let message = facts.fill(
            crate::text!(
                "{kind} {route} sends to port {port} of Service {svc}, which has no such port (it has {has}): the controller finds no endpoints for it",
                "{kind} {route} 转发到 Service {svc} 的端口 {port}，但该 Service 没有这个端口（它有 {has}）：控制器找不到对应的端点"
            ),
            &[
                ("kind", &route.kind),
                ("route", route.name.as_deref().unwrap_or(facts.not_shown())),
                ("port", &said),
                ("svc", &svc.label()),
                ("has", &has.join(", ")),
            ],
        );
        let fix = facts.fill(
            crate::text!(
                "Use the Service's port (not the pods' targetPort) in the backend: kubectl edit {lower} {route} -n {ns} (port {first}).",
                "在后端中使用 Service 的端口（而不是 Pod 的 targetPort）：kubectl edit {lower} {route} -n {ns}（端口 {first}）。"
            ),
            &[
                ("lower", &route.kind.to_ascii_lowercase()),
                ("route", route.name.as_deref().unwrap_or("NAME")),
                ("ns", ns),
                ("first", has.first().map_or("?", String::as_str)),
            ],
        );
        let mut evidence = vec![facts.evidence(facts.line_with(backend.origin, &said))];
        evidence.push(facts.evidence(ports_origin.unwrap_or_else(|| svc.origin())));
        sink.report(&RULE, subject(&backend.service, ns), message, evidence, fix);
        return;
    }
}
