//! ING001 route-backend-missing (see [`RULE`]).

use crate::checks::front_door::{backends, subject};
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::same_namespace;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// An Ingress or HTTPRoute whose backend names a Service that does not
/// exist: `kubectl describe ingress` says so (`<error: endpoints "web" not
/// found>`), kubectl answered `services "web" not found`, or a whole
/// listing of the namespace's Services lacks it.
///
/// ## Why it matters
/// The controller has nowhere to send the requests: from outside the
/// cluster they get 503 or 404 from the controller, while the Service
/// itself may work from inside.
///
/// ## Evidence
/// The backend's line, and what shows the Service is missing.
///
/// ## Fix
/// Point the backend at the Service's real name (and namespace), or create
/// the Service.
pub static RULE = Rule {
    code: "ING001",
    slug: "route-backend-missing",
    severity: Severity::Error,
    step: StepId::B0,
    summary: crate::text!("an Ingress or HTTPRoute backend names a Service that does not exist", "Ingress 或 HTTPRoute 的后端指向一个不存在的 Service"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for (route, backend, ns) in backends(facts) {
        sink.checked(RULE.step);
        let name = backend.service.as_str();
        let pasted = facts.model.services.iter().any(|s| {
            s.name.as_deref() == Some(name) && same_namespace(Some(ns), s.namespace.as_deref())
        });
        if pasted {
            continue;
        }
        // What shows it missing: describe's error, kubectl's NotFound, or
        // a whole listing of the namespace's Services.
        let described = route
            .missing
            .iter()
            .find(|(s, _)| s == name)
            .map(|(_, o)| *o);
        let not_found = || {
            facts
                .model
                .errors
                .iter()
                .find(|e| {
                    e.kind == "not_found"
                        && e.name.as_deref() == Some(name)
                        && e.resource
                            .as_deref()
                            .is_some_and(|r| r.starts_with("service"))
                })
                .map(|e| e.origin)
        };
        let listing = || {
            facts
                .artifacts
                .iter()
                .find(|a| {
                    a.command
                        .as_ref()
                        .and_then(|c| c.kubectl())
                        .is_some_and(|k| {
                            k.verb == "get"
                                && k.names.is_empty()
                                && k.selector.is_none()
                                && k.resources.iter().any(|r| {
                                    crate::read::command::kind_of_resource(r) == Some("Service")
                                })
                                && (k.all_namespaces
                                    || k.namespace.as_deref().unwrap_or("default") == ns)
                        })
                })
                .map(|a| crate::model::Origin {
                    artifact: a.index,
                    source: a.source,
                    lines: [a.first_line, a.last_line],
                })
        };
        let Some(shown) = described.or_else(not_found).or_else(listing) else {
            continue;
        };
        let message = facts.fill(
            crate::text!(
                "{kind} {route} sends to Service {ns}/{svc}, which does not exist: the controller has nowhere to send the requests (503 or 404 from outside)",
                "{kind} {route} 转发到 Service {ns}/{svc}，但它不存在：控制器无处转发请求（从集群外会得到 503 或 404）"
            ),
            &[
                ("kind", &route.kind),
                ("route", route.name.as_deref().unwrap_or(facts.not_shown())),
                ("ns", ns),
                ("svc", name),
            ],
        );
        let fix = facts.fill(
            crate::text!(
                "List the Services of the namespace (kubectl get svc -n {ns}) and put the right name in the {kind}'s backend (kubectl edit {lower} {route} -n {ns}), or create the Service.",
                "列出该命名空间的 Service（kubectl get svc -n {ns}），把正确的名称写进 {kind} 的后端（kubectl edit {lower} {route} -n {ns}），或者创建该 Service。"
            ),
            &[
                ("ns", ns),
                ("kind", &route.kind),
                ("lower", &route.kind.to_ascii_lowercase()),
                ("route", route.name.as_deref().unwrap_or("NAME")),
            ],
        );
        let evidence = vec![
            facts.evidence(facts.line_with(backend.origin, name)),
            facts.evidence(shown),
        ];
        sink.report(&RULE, subject(name, ns), message, evidence, fix);
        return;
    }
}
