//! EP311 endpointslice-wrong-label (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::{Severity, Subject};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// `kubectl get endpointslices -l <label>=NAME` that found nothing, where
/// the label is not `kubernetes.io/service-name` (some docs and posts say
/// `k8s.io/service-name`, or `service-name`).
///
/// ## Why it matters
/// EndpointSlices carry the label `kubernetes.io/service-name`: any other
/// label finds nothing, and "No resources found" then says nothing about
/// the Service's endpoints. Read as "no EndpointSlices", it sends the
/// search the wrong way.
///
/// ## Evidence
/// The command and its empty answer.
///
/// ## Fix
/// Ask again with the label the control plane sets.
pub static RULE = Rule {
    code: "EP311",
    slug: "endpointslice-wrong-label",
    severity: Severity::Info,
    step: StepId::B3,
    summary: crate::text!("an empty `kubectl get endpointslices -l` with a label other than kubernetes.io/service-name: the wrong label, not \"no slices\"", "`kubectl get endpointslices -l` 使用了 kubernetes.io/service-name 以外的标签而没有结果：是标签错了，而不是“没有 EndpointSlice”"),
    explains: &[],
    check,
};
}

const LABEL: &str = "kubernetes.io/service-name";

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for error in facts
        .model
        .errors
        .iter()
        .filter(|e| e.kind == "no_resources")
    {
        let Some(artifact) = facts.artifacts.get(error.origin.artifact) else {
            continue;
        };
        let Some(k) = artifact.command.as_ref().and_then(|c| c.kubectl()) else {
            continue;
        };
        let slices = k
            .resources
            .iter()
            .any(|r| crate::read::command::kind_of_resource(r) == Some("EndpointSlice"));
        let Some((label, service)) = k.selector.as_deref().and_then(|s| {
            s.split(',')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| key.trim_end_matches('!').ends_with("service-name"))
        }) else {
            continue;
        };
        if !slices || label == LABEL {
            continue;
        }
        let ns = k.namespace.as_deref().unwrap_or("default");
        let message = facts.fill(
            crate::text!(
                "kubectl found no EndpointSlice with the label {label}={service}: EndpointSlices are labelled {right}, so this says nothing about the Service's endpoints",
                "kubectl 没有找到带标签 {label}={service} 的 EndpointSlice：EndpointSlice 的标签是 {right}，所以这并不说明 Service 没有端点"
            ),
            &[("label", label), ("service", service), ("right", LABEL)],
        );
        let fix = facts.fill(
            crate::text!(
                "Ask with the label the control plane sets: kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={service} -o wide",
                "使用控制平面设置的标签重新查询：kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={service} -o wide"
            ),
            &[("ns", ns), ("service", service)],
        );
        let subject = Subject::service(Some(ns), service);
        // The command and its answer.
        let shown = crate::model::Origin {
            lines: [artifact.first_line, error.origin.lines[1]],
            ..error.origin
        };
        sink.note(&RULE, subject, message, vec![facts.evidence(shown)], fix);
    }
}
