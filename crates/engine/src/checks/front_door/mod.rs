//! The front door (step B0): an Ingress or a Gateway API route in front of
//! the Service, when one is pasted.

pub mod gateway_not_ready;
pub mod ingress_class_missing;
pub mod route_backend_missing;
pub mod route_backend_port_missing;
pub mod route_not_accepted;
pub mod route_refs_unresolved;

use crate::checks::{Facts, Rule, Sink};
use crate::i18n::Text;
use crate::model::{Route, RouteBackend};
use crate::report::{Subject, SubjectKind};

/// Each route's backends with the namespace of the Service they name.
pub fn backends<'m>(facts: &Facts<'m>) -> Vec<(&'m Route, &'m RouteBackend, &'m str)> {
    facts
        .model
        .routes
        .iter()
        .flat_map(|r| {
            r.backends.iter().map(move |b| {
                let ns = b
                    .namespace
                    .as_deref()
                    .or(r.namespace.as_deref())
                    .unwrap_or("default");
                (r, b, ns)
            })
        })
        .collect()
}

/// What a front-door finding is about: the Service the route names, on
/// that Service's path.
pub fn subject(service: &str, ns: &str) -> Subject {
    Subject::service(Some(ns), service)
}

/// Shared check of ING004 / ING005: a route condition of `kind` that is
/// `False`.
pub fn route_condition(
    facts: &Facts<'_>,
    sink: &mut Sink,
    rule: &Rule,
    kind: &str,
    message: Text,
    fix: Text,
) {
    for route in facts
        .model
        .routes
        .iter()
        .filter(|r| !r.conditions.is_empty())
    {
        sink.checked(rule.step);
        let Some((_, _, reason, said, origin)) = route
            .conditions
            .iter()
            .find(|(t, s, ..)| t == kind && s == "False")
        else {
            continue;
        };
        let name = route.name.as_deref().unwrap_or(facts.not_shown());
        let ns = route.namespace.as_deref().unwrap_or("default");
        let values = [
            ("kind", route.kind.as_str()),
            ("lower", &route.kind.to_ascii_lowercase()),
            ("route", name),
            ("ns", ns),
            ("reason", reason.as_str()),
            ("said", said.as_str()),
        ];
        let message = facts.fill(message, &values);
        let fix = facts.fill(fix, &values);
        let subject = match route.backends.first() {
            Some(b) => subject(&b.service, b.namespace.as_deref().unwrap_or(ns)),
            None => Subject::on(SubjectKind::Network, Some(ns), Some(name), None),
        };
        let at = facts.line_with(*origin, reason);
        sink.report(rule, subject, message, vec![facts.evidence(at)], fix);
        return;
    }
}
