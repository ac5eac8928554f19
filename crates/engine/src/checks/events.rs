//! Events tied to the Services asked about: what the event rules share.

use crate::checks::pods::service_pods;
use crate::checks::Facts;
use crate::context::view::{named_after, workloads_selected};
use crate::i18n::Text;
use crate::model::{same_namespace, Event, Selector};
use crate::report::{Evidence, ServiceRef, Subject};

/// The events `wanted` picks, each with the Service whose path its object
/// is on:
///
/// - a pod's event goes to the Service whose backend the pod is (by the
///   pods pasted, by its name after a workload the Service selects, or,
///   while the Service's selector is unknown, after the Service's name);
/// - a Service's event goes to that Service.
///
/// An event tied to no Service is kept (with `None`) only while no Service
/// is known: with Services pasted, it is about something else.
pub fn tied<'m>(
    facts: &Facts<'m>,
    wanted: impl Fn(&Event) -> bool,
) -> Vec<(Option<ServiceRef>, &'m Event)> {
    let services = facts.user_services();
    let pods = service_pods(facts);
    let mut out = Vec::new();
    for event in facts.model.events.iter().filter(|e| wanted(e)) {
        let ns = event.namespace.as_deref();
        let Some(name) = event.name.as_deref() else {
            continue;
        };
        let owner = match event.kind.as_deref() {
            Some("Pod") => pods
                .iter()
                .find(|(_, p)| p.name == Some(name) && same_namespace(ns, p.namespace))
                .map(|(s, _)| s.clone())
                .or_else(|| {
                    services.iter().find_map(|svc| {
                        if !same_namespace(ns, svc.namespace) {
                            return None;
                        }
                        let named = match svc.selector().0 {
                            Selector::Labels(sel) if !sel.is_empty() => {
                                workloads_selected(facts.model, svc.namespace, sel)
                                    .iter()
                                    .filter_map(|w| w.name.as_deref())
                                    .any(|w| named_after(w, name))
                            }
                            Selector::Unknown => svc.name.is_some_and(|s| named_after(s, name)),
                            _ => false,
                        };
                        named.then(|| svc.reference()).flatten()
                    })
                }),
            Some("Service") => services
                .iter()
                .find(|svc| svc.name == Some(name) && same_namespace(ns, svc.namespace))
                .and_then(|svc| svc.reference()),
            _ => None,
        };
        if owner.is_some() || services.is_empty() {
            out.push((owner, event));
        }
    }
    out
}

/// "pod web-abc12", "pods web-abc12, web-def34": the pods the events are
/// about, each once, as the message names them.
pub fn pods(facts: &Facts<'_>, found: &[&(Option<ServiceRef>, &Event)]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for (_, e) in found {
        if let Some(name) = e.name.as_deref().filter(|n| !names.contains(n)) {
            names.push(name);
        }
    }
    let text = if names.len() == 1 {
        crate::text!("pod {names}", "Pod {names}")
    } else {
        crate::text!("pods {names}", "Pod {names}")
    };
    facts.fill(text, &[("names", &names.join(", "))])
}

/// `40 times` for an event seen 40 times, else nothing.
pub fn times(facts: &Facts<'_>, event: &Event) -> String {
    match event.count {
        Some(n) if n > 1 => facts.fill(
            crate::text!(" ({n} times)", "（{n} 次）"),
            &[("n", &n.to_string())],
        ),
        _ => String::new(),
    }
}

/// The lines of the first events found (at most five), as evidence.
pub fn evidence<'e>(
    facts: &Facts<'_>,
    events: impl IntoIterator<Item = &'e Event>,
) -> Vec<Evidence> {
    events
        .into_iter()
        .take(5)
        .map(|e| facts.evidence(e.origin))
        .collect()
}

/// A finding of the first event found about a Service: `message` and
/// `fix` filled with `svc` (`ns/name`), `ns`, `name`, the event's words
/// (`said`) and how often it was seen (`times`). The Service, the message,
/// the fix and the events' lines.
pub fn about_service(
    facts: &Facts<'_>,
    found: &[(Option<ServiceRef>, &Event)],
    message: Text,
    fix: Text,
) -> Option<(Subject, String, String, Vec<Evidence>)> {
    let (_, first) = found.first()?;
    let name = first.name.as_deref().unwrap_or(facts.not_shown());
    let ns = first.namespace.as_deref().unwrap_or("default");
    let values = [
        ("svc", format!("{ns}/{name}")),
        ("ns", ns.to_string()),
        ("name", name.to_string()),
        ("said", first.message.clone()),
        ("times", times(facts, first)),
    ];
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Some((
        Subject::service(first.namespace.as_deref(), name),
        facts.fill(message, &values),
        facts.fill(fix, &values),
        evidence(facts, found.iter().map(|(_, e)| *e)),
    ))
}
