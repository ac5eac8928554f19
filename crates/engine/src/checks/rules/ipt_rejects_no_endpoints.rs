//! IPT702 iptables-rejects-no-endpoints (see [`RULE`]).

use crate::checks::rules::check_rejects;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The node's iptables rules for the `KUBE-SERVICES` REJECT rule commented "has no endpoints": kube-proxy writes it for a Service
/// port without endpoints.
///
/// ## Why it matters
/// Clients get `Connection refused` (ICMP port unreachable) at once. The
/// rule is a consequence: the cause is whatever left the Service without
/// endpoints.
///
/// ## Evidence
/// The reject rule or element.
///
/// ## Fix
/// Give the Service endpoints: fix its selector, its pods or their readiness.
pub static RULE = Rule {
    code: "IPT702",
    slug: "iptables-rejects-no-endpoints",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("a \"has no endpoints\" REJECT/DROP rule for the Service", "该 Service 有一条 \"has no endpoints\" 的 REJECT/DROP 规则"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    check_rejects(facts, sink, &RULE, crate::model::ProxyMode::Iptables);
}
