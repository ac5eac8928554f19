//! ING004 route-refs-unresolved (see [`RULE`]).

use crate::checks::front_door::route_condition;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// An HTTPRoute whose status says `ResolvedRefs: False`: a backend the
/// Gateway could not resolve (`BackendNotFound`, `RefNotPermitted` for a
/// Service in another namespace without a ReferenceGrant, `InvalidKind`).
///
/// ## Why it matters
/// The Gateway drops the rules whose backends it cannot resolve: requests
/// that match them get 500 or 404 from outside.
///
/// ## Evidence
/// The route's condition.
///
/// ## Fix
/// Fix the backend reference the reason names, or add the ReferenceGrant
/// in the Service's namespace.
pub static RULE = Rule {
    code: "ING004",
    slug: "route-refs-unresolved",
    severity: Severity::Error,
    step: StepId::B0,
    summary: crate::text!("an HTTPRoute's status says ResolvedRefs False (BackendNotFound, RefNotPermitted)", "HTTPRoute 的状态为 ResolvedRefs False（BackendNotFound、RefNotPermitted）"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    route_condition(
        facts,
        sink,
        &RULE,
        "ResolvedRefs",
        crate::text!(
            "the {kind} {route} cannot resolve its backends ({reason}: {said}): the Gateway drops those rules",
            "{kind} {route} 无法解析它的后端（{reason}：{said}）：Gateway 会丢弃这些规则"
        ),
        crate::text!(
            "Check the backendRefs: kubectl get {lower} {route} -n {ns} -o yaml. For RefNotPermitted, add a ReferenceGrant in the Service's namespace that allows {kind} from {ns}; for BackendNotFound, fix the Service's name, namespace or port.",
            "检查 backendRefs：kubectl get {lower} {route} -n {ns} -o yaml。RefNotPermitted 时，在 Service 所在命名空间中添加允许来自 {ns} 的 {kind} 的 ReferenceGrant；BackendNotFound 时，修正 Service 的名称、命名空间或端口。"
        ),
    );
}
