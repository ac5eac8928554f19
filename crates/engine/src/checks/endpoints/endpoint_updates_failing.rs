//! EP309 endpoint-updates-failing (see [`RULE`]).

use crate::checks::events::{about_service, tied};
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::Event;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// `FailedToUpdateEndpointSlices` or `FailedToUpdateEndpoint` warnings on
/// the Service: the control plane could not write its endpoints. Write
/// conflicts (`the object has been modified`, `Operation cannot be
/// fulfilled`) are left alone: the controller retries them and they are
/// common on healthy clusters.
///
/// ## Why it matters
/// kube-proxy forwards to the endpoints the API holds. When the controller
/// cannot write them (a quota, an admission webhook, an API server that
/// refuses or times out), they stop following the pods: new pods get no
/// traffic, and deleted ones still do.
///
/// ## Evidence
/// The events' lines.
///
/// ## Fix
/// Fix what the message names (the quota, the webhook, the API server), then
/// check that the Service's EndpointSlices list its ready pods.
pub static RULE = Rule {
    code: "EP309",
    slug: "endpoint-updates-failing",
    severity: Severity::Error,
    step: StepId::B3,
    summary: crate::text!("FailedToUpdateEndpointSlices / FailedToUpdateEndpoint warnings on the Service (not the retried write conflicts)", "Service 上有 FailedToUpdateEndpointSlices / FailedToUpdateEndpoint 警告（不含会重试的写冲突）"),
    explains: &[&crate::checks::endpoints::endpoints_stale::RULE, &crate::checks::endpoints::no_ready_endpoints::RULE],
    check,
};
}

fn is_failed_update(event: &Event) -> bool {
    let conflict = event.message.contains("the object has been modified")
        || event.message.contains("Operation cannot be fulfilled");
    event.warning
        && event.kind.as_deref() == Some("Service")
        && matches!(
            event.reason.as_str(),
            "FailedToUpdateEndpointSlices" | "FailedToUpdateEndpoint" | "FailedToCreateEndpoint"
        )
        && !conflict
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let found = tied(facts, is_failed_update);
    let Some((subject, message, fix, evidence)) = about_service(facts, &found, crate::text!(
            "the control plane cannot update the endpoints of Service {svc} ({said}){times}: they no longer follow its pods",
            "控制平面无法更新 Service {svc} 的端点（{said}）{times}：端点不再跟随它的 Pod"
        ), crate::text!(
            "Fix what the message names (a ResourceQuota, an admission webhook, the API server), then check that the endpoints list the ready pods: kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={name} -o wide",
            "修正消息中指出的问题（ResourceQuota、准入 Webhook、API Server），再确认端点列出了就绪的 Pod：kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={name} -o wide"
        )) else {
        return;
    };
    sink.report(&RULE, subject, message, evidence, fix);
}
