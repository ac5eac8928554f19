//! NFT902 nft-endpoints-mismatch (see [`RULE`]).

use crate::checks::rules::check_mismatch;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// In the node's nftables rules, the Service's `endpoint-*` chains against the Service's ready endpoints
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
    code: "NFT902",
    slug: "nft-endpoints-mismatch",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("endpoint chains differ from the ready endpoints", "endpoint 链与就绪 Endpoints 不一致"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    check_mismatch(facts, sink, &RULE, crate::model::ProxyMode::Nftables);
}
