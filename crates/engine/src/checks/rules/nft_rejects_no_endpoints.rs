//! NFT903 nft-rejects-no-endpoints (see [`RULE`]).

use crate::checks::rules::check_rejects;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The node's nftables rules for the Service's element in the `no-endpoint-services` map: kube-proxy writes it for a Service
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
    code: "NFT903",
    slug: "nft-rejects-no-endpoints",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("the Service is in the no-endpoint set/map", "该 Service 位于 no-endpoint 集合/映射中"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    check_rejects(facts, sink, &RULE, crate::model::ProxyMode::Nftables);
}
