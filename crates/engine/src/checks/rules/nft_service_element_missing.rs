//! NFT901 nft-service-element-missing (see [`RULE`]).

use crate::checks::rules::check_missing;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The node's nftables rules, as pasted: a Service with a cluster IP must have
/// its rule (a whole dump, or one grepped for the Service's name or IP).
///
/// ## Why it matters
/// Without the rule the kernel does not translate the cluster IP: connections
/// to it go nowhere. kube-proxy is not running, not syncing, or has not heard
/// of the Service.
///
/// ## Evidence
/// The dump without the Service, and the Service.
///
/// ## Fix
/// Check kube-proxy on this node (B7): is it running, in this mode, and are
/// its logs free of API and sync errors?
pub static RULE = Rule {
    code: "NFT901",
    slug: "nft-service-element-missing",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("the kube-proxy table has no service-ips element for clusterIP . protocol . port", "kube-proxy 表的 service-ips 中没有 clusterIP . 协议 . 端口 的元素"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    check_missing(
        facts,
        sink,
        &RULE,
        crate::model::ProxyMode::Nftables,
        crate::text!("Check kube-proxy on this node: kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide; kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=100 | grep -i -e error -e {name}", "检查这个节点上的 kube-proxy：kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide；kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=100 | grep -i -e error -e {name}"),
    );
}
