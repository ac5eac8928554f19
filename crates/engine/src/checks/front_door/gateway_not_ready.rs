//! ING006 gateway-not-ready (see [`RULE`]).

use crate::checks::front_door::subject;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::{Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The Gateway API Gateways the pasted routes attach to (or the one
/// Gateway pasted, when no route is), whose status says they are not
/// ready: the
/// Gateway's `Accepted` or `Programmed` condition `False` (also the
/// PROGRAMMED column of `kubectl get gateway`), or a listener's
/// `Accepted`, `Programmed` or `ResolvedRefs` `False` (a missing TLS
/// secret, a protocol the controller does not support, a conflict).
///
/// ## Why it matters
/// A route attaches to a Gateway's listeners: when the Gateway has no
/// address, its class is not accepted, or the listener cannot serve (its
/// certificate not found), requests from outside never reach a route, let
/// alone the Service behind it.
///
/// ## Evidence
/// The condition, with its reason and message.
///
/// ## Fix
/// Fix what the reason names: the GatewayClass and its controller, the
/// address the controller could not get, the listener's certificate Secret
/// (or a ReferenceGrant for one in another namespace).
pub static RULE = Rule {
    code: "ING006",
    slug: "gateway-not-ready",
    severity: Severity::Error,
    step: StepId::B0,
    summary: crate::text!("a Gateway (or one of its listeners) is not Accepted or Programmed, or cannot resolve its references", "Gateway（或其某个监听器）未被接受或未编程完成，或无法解析其引用"),
    explains: &[&crate::checks::front_door::route_not_accepted::RULE],
    check,
};
}

const KINDS: &[&str] = &["Accepted", "Programmed", "ResolvedRefs"];

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    // The Gateways (and listeners) the pasted routes attach to; with none
    // pasted, the one Gateway pasted, if only one was.
    let parents: Vec<(Option<&str>, &str, Option<&str>)> = facts
        .model
        .routes
        .iter()
        .flat_map(|r| {
            r.parents.iter().map(move |(ns, name, section)| {
                (
                    ns.as_deref().or(r.namespace.as_deref()),
                    name.as_str(),
                    section.as_deref(),
                )
            })
        })
        .collect();
    let gateways = &facts.model.gateways;
    for gw in gateways {
        sink.checked(RULE.step);
        let attached: Vec<_> = parents
            .iter()
            .filter(|(ns, name, _)| {
                gw.name.as_deref() == Some(*name)
                    && crate::model::same_namespace(*ns, gw.namespace.as_deref())
            })
            .collect();
        let in_question = if parents.is_empty() {
            gateways.len() == 1
        } else {
            !attached.is_empty()
        };
        if !in_question {
            continue;
        }
        // A listener matters when a route attaches to it, or to the whole
        // Gateway (no sectionName).
        let listener_used = |l: &str| {
            attached.is_empty() || attached.iter().any(|(_, _, s)| s.is_none_or(|s| s == l))
        };
        // The most telling condition: a reference that does not resolve
        // says why a listener is not programmed.
        let Some(c) = KINDS.iter().rev().find_map(|kind| {
            gw.conditions.iter().find(|c| {
                c.status == "False"
                    && c.kind == *kind
                    && c.listener.as_deref().is_none_or(listener_used)
            })
        }) else {
            continue;
        };
        let name = gw.name.as_deref().unwrap_or(facts.not_shown());
        let ns = gw.namespace.as_deref().unwrap_or("default");
        let why = match (c.reason.is_empty(), c.message.is_empty()) {
            (true, _) => String::new(),
            (false, true) => format!(" ({})", c.reason),
            (false, false) => format!(" ({}: {})", c.reason, c.message),
        };
        let mut message = match &c.listener {
            None => facts.fill(
                crate::text!(
                    "Gateway {ns}/{name} is not ready: {kind} is False{why}",
                    "Gateway {ns}/{name} 未就绪：{kind} 为 False{why}"
                ),
                &[("ns", ns), ("name", name), ("kind", &c.kind), ("why", &why)],
            ),
            Some(l) => facts.fill(
                crate::text!(
                    "listener {listener} of Gateway {ns}/{name} is not ready: {kind} is False{why}",
                    "Gateway {ns}/{name} 的监听器 {listener} 未就绪：{kind} 为 False{why}"
                ),
                &[
                    ("ns", ns),
                    ("name", name),
                    ("kind", &c.kind),
                    ("why", &why),
                    ("listener", l),
                ],
            ),
        };
        let fix = match c.reason.as_str() {
            "InvalidCertificateRef" | "RefNotPermitted" => facts.fill(
                crate::text!("Create the listener's certificate Secret (kubernetes.io/tls) where it points, or a ReferenceGrant for a Secret in another namespace; then: kubectl describe gateway {name} -n {ns}", "在监听器指向的位置创建证书 Secret（kubernetes.io/tls），或为其他命名空间中的 Secret 创建 ReferenceGrant；然后运行：kubectl describe gateway {name} -n {ns}"),
                &[("name", name), ("ns", ns)],
            ),
            "AddressNotAssigned" | "AddressNotUsable" => facts.fill(
                crate::text!("The controller could not give the Gateway an address (a LoadBalancer Service still pending, an address it may not use): see kubectl get svc -A | grep -i {name} and the controller's logs", "控制器无法为 Gateway 分配地址（LoadBalancer Service 仍处于 pending，或地址不可用）：查看 kubectl get svc -A | grep -i {name} 以及控制器的日志"),
                &[("name", name)],
            ),
            _ => facts.fill(
                crate::text!("See what the controller says: kubectl describe gateway {name} -n {ns}; check its class: kubectl get gatewayclass {class} (ACCEPTED must be True)", "查看控制器的说明：kubectl describe gateway {name} -n {ns}；检查它的类：kubectl get gatewayclass {class}（ACCEPTED 必须为 True）"),
                &[("name", name), ("ns", ns), ("class", gw.class.as_deref().unwrap_or("CLASS"))],
            ),
        };
        // About the Service the routes send to, when one does.
        let routed = facts
            .model
            .routes
            .iter()
            .filter(|r| r.kind != "Ingress")
            .flat_map(|r| r.backends.iter().map(move |b| (r, b)))
            .next();
        if let Some((r, b)) = routed {
            message += &facts.fill(
                crate::text!(
                    "; {kind} {route} sends to Service {svc} through it",
                    "；{kind} {route} 经由它转发到 Service {svc}"
                ),
                &[
                    ("kind", &r.kind),
                    ("route", r.name.as_deref().unwrap_or("?")),
                    ("svc", &b.service),
                ],
            );
        }
        let about = routed
            .map(|(r, b)| {
                let ns = b
                    .namespace
                    .as_deref()
                    .or(r.namespace.as_deref())
                    .unwrap_or("default");
                subject(&b.service, ns)
            })
            .or_else(|| {
                let q = &facts.case.service.as_ref()?.service;
                Some(Subject::service(q.namespace.as_deref(), &q.name))
            })
            .unwrap_or_else(|| Subject::on(SubjectKind::Network, Some(ns), Some(name), None));
        let at = if c.reason.is_empty() {
            c.origin
        } else {
            facts.line_with(c.origin, &c.reason)
        };
        sink.report(&RULE, about, message, vec![facts.evidence(at)], fix);
        return;
    }
}
