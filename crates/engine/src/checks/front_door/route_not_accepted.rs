//! ING005 route-not-accepted (see [`RULE`]).

use crate::checks::front_door::route_condition;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// An HTTPRoute whose status says `Accepted: False` for its Gateway
/// (`NotAllowedByListeners`, `NoMatchingParent`,
/// `NoMatchingListenerHostname`).
///
/// ## Why it matters
/// A Gateway that does not accept the route serves none of its rules:
/// requests from outside never reach the Service.
///
/// ## Evidence
/// The route's condition.
///
/// ## Fix
/// Attach the route to a listener that allows it (its parentRefs, the
/// listener's `allowedRoutes` and hostnames).
pub static RULE = Rule {
    code: "ING005",
    slug: "route-not-accepted",
    severity: Severity::Error,
    step: StepId::B0,
    summary: crate::text!("an HTTPRoute's status says Accepted False: its Gateway serves none of it", "HTTPRoute 的状态为 Accepted False：它的 Gateway 不提供其中任何规则"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    route_condition(
        facts,
        sink,
        &RULE,
        "Accepted",
        crate::text!(
            "the Gateway does not accept the {kind} {route} ({reason}: {said}): none of its rules is served",
            "Gateway 没有接受 {kind} {route}（{reason}：{said}）：它的规则都不会生效"
        ),
        crate::text!(
            "Compare the route's parentRefs with the Gateway's listeners: kubectl get {lower} {route} -n {ns} -o yaml and kubectl get gateway -A -o yaml (listeners' allowedRoutes, hostnames, sectionName).",
            "比较路由的 parentRefs 与 Gateway 的 listener：kubectl get {lower} {route} -n {ns} -o yaml 以及 kubectl get gateway -A -o yaml（listener 的 allowedRoutes、hostnames、sectionName）。"
        ),
    );
}
