//! DNS107 search-suffix-missing (see [`RULE`]).

use crate::checks::dns::pod_resolvers;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The pod's search list must hold `<ns>.svc.<domain>`, `svc.<domain>` and
/// `<domain>` (`default.svc.cluster.local svc.cluster.local cluster.local`).
///
/// ## Why it matters
/// The short name `web` is found as `web.<ns>.svc.<domain>`, and `web.shop` as
/// `web.shop.svc.<domain>`, only through these suffixes.
///
/// ## Evidence
/// The search line (or its absence) of the pod's resolv.conf.
///
/// ## Fix
/// Use `dnsPolicy: ClusterFirst`, or list the suffixes in the pod's
/// `dnsConfig.searches` when `dnsPolicy: None`.
pub static RULE = Rule {
    code: "DNS107",
    slug: "search-suffix-missing",
    severity: Severity::Error,
    step: StepId::A5,
    summary: crate::text!("search lacks <ns>.svc.<domain>, svc.<domain> or <domain>", "search 缺少 <ns>.svc.<domain>、svc.<domain> 或 <domain>"),
    explains: &[&crate::checks::dns::relative_names_fail::RULE, &crate::checks::dns::name_not_found::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let client = facts.client();
    for r in facts.model.resolvers.iter().filter(|r| {
        // A pod's resolv.conf: from a pod's shell, or pointing at cluster DNS.
        pod_resolvers(facts).iter().any(|p| std::ptr::eq(*p, *r))
            || matches!(
                facts.artifacts.get(r.origin.artifact).map(|a| &a.client),
                Some(crate::read::artifact::Client::Pod { .. })
            )
    }) {
        // Not the fact that decides A5 (the nameserver is): no pass from it.
        let domain = client
            .domain
            .clone()
            .unwrap_or_else(|| "cluster.local".into());
        let ns = client.namespace.clone().unwrap_or_else(|| "default".into());
        let wanted = [
            format!("{ns}.svc.{domain}"),
            format!("svc.{domain}"),
            domain.clone(),
        ];
        let missing: Vec<&String> = wanted.iter().filter(|w| !r.search.contains(w)).collect();
        if missing.is_empty() {
            continue;
        }
        let message = facts.fill(
            crate::text!(
                "the pod's search list lacks {missing}: relative Service names cannot be completed",
                "Pod 的 search 列表缺少 {missing}：相对的 Service 名称无法补全"
            ),
            &[(
                "missing",
                &missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        );
        let fix = facts.fill(
            crate::text!("Use dnsPolicy: ClusterFirst, or with dnsPolicy: None add to the pod's dnsConfig: searches: [{a}, {b}, {c}]", "使用 dnsPolicy: ClusterFirst；若 dnsPolicy 为 None，在 Pod 的 dnsConfig 中加入：searches: [{a}, {b}, {c}]"),
            &[("a", &wanted[0]), ("b", &wanted[1]), ("c", &wanted[2])],
        );
        sink.report(
            &RULE,
            facts.client_subject(),
            message,
            vec![facts.evidence(r.search_origin.unwrap_or(r.origin))],
            fix,
        );
        return;
    }
}
