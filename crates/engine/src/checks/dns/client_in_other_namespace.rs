//! DNS104 client-in-other-namespace (see [`RULE`]).

use crate::checks::dns::{base_name, form, not_found, pod_lookups, Form};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Lookups from a pod: the short name (`web`) fails while the
/// namespace-qualified name (`web.default`) resolves.
///
/// ## Why it matters
/// A short name is searched only in the client pod's own namespace
/// (`<ns>.svc.cluster.local` comes first in its search list). When it fails
/// but `name.namespace` works, the client runs in another namespace than the
/// Service: the application must use the qualified name.
///
/// ## Evidence
/// The failing short lookup and the successful qualified one.
///
/// ## Fix
/// Use `name.namespace` (or the full name) in the client's configuration, or
/// run the client in the Service's namespace.
pub static RULE = Rule {
    code: "DNS104",
    slug: "client-in-other-namespace",
    severity: Severity::Error,
    step: StepId::A3,
    summary: crate::text!("the short name fails, name.namespace resolves: the client runs in another namespace", "短名称解析失败而 name.namespace 成功：客户端运行在另一个命名空间"),
    explains: &[&crate::checks::dns::relative_names_fail::RULE, &crate::checks::dns::name_not_found::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let from_pod = pod_lookups(facts);
    for (short, q) in from_pod
        .iter()
        .filter(|(l, q)| form(q) == Form::Short && not_found(l))
    {
        let qualified = from_pod.iter().find(|(l, other)| {
            form(other) == Form::Qualified && base_name(other) == *q && l.resolved
        });
        let Some((ok, qualified)) = qualified else {
            continue;
        };
        let ns = qualified.split('.').nth(1).unwrap_or("");
        let client_ns = facts.client().namespace;
        // A client in the Service's own namespace that cannot resolve the
        // short name has a resolver problem (its search list), not this.
        if client_ns.as_deref() == Some(ns) {
            continue;
        }
        let message = match &client_ns {
            Some(client_ns) => facts.fill(
                crate::text!("'{short}' does not resolve from the client pod but '{qualified}' does: the client runs in namespace {client}, the Service in {ns}", "客户端 Pod 中 '{short}' 无法解析而 '{qualified}' 可以：客户端在命名空间 {client}，Service 在 {ns}"),
                &[("short", q), ("qualified", qualified), ("client", client_ns), ("ns", ns)],
            ),
            None => facts.fill(
                crate::text!("'{short}' does not resolve from the client pod but '{qualified}' does: the Service is in namespace {ns}, and the client runs in another one (its namespace was not pasted)", "客户端 Pod 中 '{short}' 无法解析而 '{qualified}' 可以：Service 在命名空间 {ns}，客户端在另一个命名空间（未粘贴其命名空间）"),
                &[("short", q), ("qualified", qualified), ("ns", ns)],
            ),
        };
        let fix = facts.fill(
            crate::text!("Have the client use '{qualified}' (or {name}.{ns}.svc.cluster.local) instead of '{short}', or run it in namespace {ns}.", "让客户端使用 '{qualified}'（或 {name}.{ns}.svc.cluster.local）代替 '{short}'，或把客户端部署到命名空间 {ns}。"),
            &[("qualified", qualified), ("short", q), ("name", q), ("ns", ns)],
        );
        sink.report(
            &RULE,
            facts.service_subject(Some(ns), q),
            message,
            vec![facts.evidence(short.origin), facts.evidence(ok.origin)],
            fix,
        );
        return;
    }
    if !from_pod.is_empty() {
        sink.checked(RULE.step);
    }
}
