//! SVC201 service-not-found (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Whether the Service exists: kubectl's `Error from server (NotFound):
/// services "web" not found` says it does not; any pasted Service object,
/// table row or describe output says it does.
///
/// ## Why it matters
/// Without the Service there is no name to resolve and no cluster IP:
/// lookups get NXDOMAIN and nothing else matters until it exists.
///
/// ## Evidence
/// The NotFound error.
///
/// ## Fix
/// Create the Service (`kubectl expose`), or look for it under another name
/// or namespace (`kubectl get svc -A`).
pub static RULE = Rule {
    code: "SVC201",
    slug: "service-not-found",
    severity: Severity::Error,
    step: StepId::B1,
    summary: crate::text!("the Service the client names is not among the pasted objects / NotFound", "客户端访问的 Service 不在粘贴的对象中，或返回 NotFound"),
    explains: &[&crate::checks::dns::name_not_found::RULE, &crate::checks::rules::ipt_service_rule_missing::RULE, &crate::checks::rules::ipvs_virtual_server_missing::RULE, &crate::checks::rules::nft_service_element_missing::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let missing = facts.model.errors.iter().find(|e| {
        e.kind == "not_found"
            && e.resource
                .as_deref()
                .and_then(crate::read::command::kind_of_resource)
                == Some("Service")
            && e.name.as_deref() != Some("kube-dns")
    });
    let Some(err) = missing else {
        if !facts.user_services().is_empty() {
            sink.checked(RULE.step);
        }
        return;
    };
    let name = err.name.as_deref().unwrap_or(facts.not_shown());
    let ns = err.namespace.as_deref().unwrap_or("default");
    let message = facts.fill(
        crate::text!(
            "Service {name} does not exist in namespace {ns}",
            "命名空间 {ns} 中不存在 Service {name}"
        ),
        &[("name", name), ("ns", ns)],
    );
    let fix = facts.fill(
        crate::text!("Look for it elsewhere: kubectl get svc -A | grep {name}. If it is missing, create it, for example: kubectl expose deployment {name} -n {ns} --port=80 --target-port=8080", "先在其他命名空间查找：kubectl get svc -A | grep {name}。若确实不存在就创建，例如：kubectl expose deployment {name} -n {ns} --port=80 --target-port=8080"),
        &[("name", name), ("ns", ns)],
    );
    sink.report(
        &RULE,
        facts.service_subject(Some(ns), name),
        message,
        vec![facts.evidence(err.origin)],
        fix,
    );
}
