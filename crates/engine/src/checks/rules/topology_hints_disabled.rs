//! TP955 topology-hints-disabled (see [`RULE`]).

use crate::checks::events::{about_service, tied};
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::Event;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// `TopologyAwareHintsDisabled` events on a Service: the EndpointSlice
/// controller gave up writing zone hints for it (nodes without a zone or
/// allocatable CPU, too few endpoints for the zones, endpoints without a
/// node).
///
/// ## Why it matters
/// A note, never a cause: without hints kube-proxy sends the Service's
/// traffic to every endpoint in every zone, as it does without
/// topology-aware routing. It explains traffic that crosses zones
/// although the Service asks for `trafficDistribution: PreferClose` (or the
/// topology-mode annotation), and why one zone's clients are not kept in
/// their zone.
///
/// ## Evidence
/// The events.
///
/// ## Fix
/// Fix what the message names: label the nodes with
/// `topology.kubernetes.io/zone`, run enough endpoints in each zone, or
/// accept cluster-wide routing.
pub static RULE = Rule {
    code: "TP955",
    slug: "topology-hints-disabled",
    severity: Severity::Info,
    step: StepId::B9,
    summary: crate::text!("TopologyAwareHintsDisabled events: the Service's traffic is not kept in its zone (a note)", "TopologyAwareHintsDisabled 事件：该 Service 的流量不会保持在本可用区内（提示）"),
    explains: &[],
    check,
};
}

fn is_hints_disabled(event: &Event) -> bool {
    event.reason == "TopologyAwareHintsDisabled"
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let found = tied(facts, is_hints_disabled);
    let Some((subject, message, fix, evidence)) = about_service(facts, &found, crate::text!(
            "the EndpointSlice controller writes no zone hints for Service {svc} ({said}){times}: kube-proxy sends its traffic to every endpoint, in every zone",
            "EndpointSlice 控制器没有为 Service {svc} 写入可用区提示（{said}）{times}：kube-proxy 会把它的流量发往所有可用区的所有端点"
        ), crate::text!(
            "If traffic should stay in its zone, fix what the message names (nodes labelled topology.kubernetes.io/zone, enough endpoints in each zone), then check the hints: kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={name} -o yaml",
            "如果流量应保持在本可用区内，修正消息中指出的问题（节点打上 topology.kubernetes.io/zone 标签、每个可用区有足够的端点），再检查提示：kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={name} -o yaml"
        )) else {
        return;
    };
    sink.note(&RULE, subject, message, evidence, fix);
}
