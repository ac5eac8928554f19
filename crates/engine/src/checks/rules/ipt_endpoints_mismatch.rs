//! IPT703 iptables-endpoints-mismatch (see [`RULE`]).

use crate::checks::rules::check_mismatch;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// In the node's iptables rules, the `DNAT --to-destination` targets of the Service's `KUBE-SEP-*` chains against the Service's ready endpoints
/// (EndpointSlices preferred).
///
/// ## Why it matters
/// Rules that miss an endpoint leave it without traffic; rules that still
/// hold a gone or unready pod send some connections into the void, so the
/// Service fails now and then.
///
/// ## Evidence
/// The rules and the endpoints they differ from.
///
/// ## Fix
/// kube-proxy on this node is behind: check its log and restart it.
pub static RULE = Rule {
    code: "IPT703",
    slug: "iptables-endpoints-mismatch",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("KUBE-SEP DNAT targets differ from the ready endpoints (missing, extra, stale)", "KUBE-SEP 的 DNAT 目标与就绪 Endpoints 不一致（缺少、多余或过时）"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    check_mismatch(facts, sink, &RULE, crate::model::ProxyMode::Iptables);
}
