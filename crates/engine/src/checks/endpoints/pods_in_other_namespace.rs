//! EP302 pods-in-other-namespace (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{labels_to_string, selector_matches};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A Service whose selector matches pods or pod templates only in other
/// namespaces than its own.
///
/// ## Why it matters
/// A selector only ever picks pods in the Service's own namespace. Pods with
/// the right labels elsewhere never become its endpoints.
///
/// ## Evidence
/// The Service's selector and the matching pods or workload in the other
/// namespace.
///
/// ## Fix
/// Create the Service in the pods' namespace (clients then use
/// `name.<that namespace>`), or run the pods in the Service's namespace.
pub static RULE = Rule {
    code: "EP302",
    slug: "pods-in-other-namespace",
    severity: Severity::Error,
    step: StepId::B3,
    summary: crate::text!("the selector matches pods only in another namespace", "selector 只匹配到了其他命名空间中的 Pod"),
    explains: &[&crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let (Some(ns), Some((selector, sel_origin))) = (svc.namespace, svc.selector_labels())
        else {
            continue;
        };
        let model = facts.model;
        // The pods it picks anywhere, through the pods' label index.
        let picked = crate::context::view::pods_selected(model, None, selector);
        let here = picked.iter().any(|p| p.namespace.as_deref() == Some(ns))
            || model.workloads.iter().any(|w| {
                w.namespace.as_deref().is_none_or(|n| n == ns)
                    && w.pod_labels()
                        .is_some_and(|(l, _)| selector_matches(selector, l))
            });
        if here {
            continue;
        }
        let elsewhere = model
            .workloads
            .iter()
            .filter(|w| w.namespace.as_deref().is_some_and(|n| n != ns))
            .find_map(|w| {
                let (l, o) = w.pod_labels()?;
                selector_matches(selector, l).then(|| {
                    (
                        format!(
                            "{} {}",
                            w.kind.to_ascii_lowercase(),
                            w.name.as_deref().unwrap_or(facts.not_shown())
                        ),
                        w.namespace.as_deref().unwrap_or(""),
                        o,
                    )
                })
            })
            .or_else(|| {
                picked
                    .iter()
                    .find(|p| p.namespace.as_deref().is_some_and(|n| n != ns))
                    .map(|p| {
                        (
                            format!("pod {}", p.name.as_deref().unwrap_or(facts.not_shown())),
                            p.namespace.as_deref().unwrap_or(""),
                            p.labels_origin.unwrap_or(p.origin),
                        )
                    })
            });
        let Some((who, other_ns, origin)) = elsewhere else {
            continue;
        };
        let message = facts.fill(
            crate::text!("selector {sel} of Service {name} matches {who} in namespace {other}, but a Service only selects pods in its own namespace {ns}", "Service {name} 的 selector {sel} 匹配的是命名空间 {other} 中的 {who}，而 Service 只会选择自己命名空间 {ns} 中的 Pod"),
            &[("sel", &labels_to_string(selector)), ("name", &svc.label()), ("who", &who), ("other", other_ns), ("ns", ns)],
        );
        let fix = facts.fill(
            crate::text!("Create the Service in {other} (kubectl get svc {svc} -n {ns} -o yaml, change metadata.namespace, apply) and have clients use {svc}.{other}, or deploy the pods in {ns}.", "在 {other} 中创建该 Service（kubectl get svc {svc} -n {ns} -o yaml，修改 metadata.namespace 后 apply），客户端改用 {svc}.{other}；或把 Pod 部署到 {ns}。"),
            &[("other", other_ns), ("svc", svc.name_or("SERVICE")), ("ns", ns)],
        );
        sink.report(
            &RULE,
            svc.subject(),
            message,
            vec![facts.evidence(sel_origin), facts.evidence(origin)],
            fix,
        );
    }
}
