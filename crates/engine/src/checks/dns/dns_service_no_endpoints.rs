//! DNS103 dns-service-no-endpoints (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The kube-dns Service in `kube-system`: it must exist and its endpoints
/// must list ready addresses. kube-proxy's "kube-system/kube-dns:dns has no
/// endpoints" REJECT rule and `services "kube-dns" not found` count too.
///
/// ## Why it matters
/// Pods send their lookups to the kube-dns cluster IP. Without ready
/// endpoints behind it, kube-proxy rejects every query.
///
/// ## Evidence
/// The empty endpoints, the REJECT rule, or the NotFound error.
///
/// ## Fix
/// Get the CoreDNS pods ready (their readiness probe gates the endpoints), and
/// check that the kube-dns selector (`k8s-app: kube-dns`) matches them.
pub static RULE = Rule {
    code: "DNS103",
    slug: "dns-service-no-endpoints",
    severity: Severity::Error,
    step: StepId::A2,
    summary: crate::text!("the kube-dns Service is missing or has no ready endpoints", "kube-dns Service 不存在或没有就绪的 Endpoints"),
    explains: &[&crate::checks::dns::dns_unreachable::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let fix = || {
        facts.tr(crate::text!("Check the CoreDNS pods and the Service's selector: kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide; kubectl get svc kube-dns -n kube-system -o yaml", "检查 CoreDNS Pod 和 Service 的 selector：kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide；kubectl get svc kube-dns -n kube-system -o yaml")).to_string()
    };
    if let Some(err) = facts
        .model
        .errors
        .iter()
        .find(|e| e.kind == "not_found" && e.name.as_deref() == Some("kube-dns"))
    {
        sink.report(
            &RULE,
            facts.cluster_dns_subject(),
            facts
                .tr(crate::text!(
                    "the kube-dns Service does not exist",
                    "kube-dns Service 不存在"
                ))
                .to_string(),
            vec![facts.evidence(err.origin)],
            fix(),
        );
        return;
    }
    if let Some(view) = endpoints_of(facts.model, Some("kube-system"), "kube-dns") {
        sink.checked(RULE.step);
        if view.ready_ips().is_empty() && !view.truncated() {
            sink.report(
                &RULE, facts.cluster_dns_subject(),
                facts.tr(crate::text!("the kube-dns Service has no ready endpoints: no CoreDNS pod answers at the cluster DNS IP", "kube-dns Service 没有就绪的 Endpoints：集群 DNS IP 后面没有可用的 CoreDNS Pod")).to_string(),
                vec![facts.evidence(view.origin())],
                fix(),
            );
        }
        return;
    }
    let rejects: Vec<_> = facts
        .model
        .proxy_rules
        .iter()
        .filter(|r| r.namespace == "kube-system" && r.name == "kube-dns")
        .collect();
    if rejects.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let rejecting: Vec<_> = rejects.iter().filter(|r| r.rejects_no_endpoints).collect();
    if !rejecting.is_empty() {
        sink.report(
            &RULE,
            facts.cluster_dns_subject(),
            facts
                .tr(crate::text!(
                    "kube-proxy rejects DNS queries: the kube-dns Service has no endpoints",
                    "kube-proxy 拒绝 DNS 请求：kube-dns Service 没有 Endpoints"
                ))
                .to_string(),
            rejecting.iter().map(|r| facts.evidence(r.origin)).collect(),
            fix(),
        );
    }
}
