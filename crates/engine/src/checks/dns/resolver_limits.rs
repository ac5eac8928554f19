//! DNS111 resolver-limits (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// resolv.conf against glibc's limits: at most 3 nameservers, 6 search
/// domains and 256 characters of search list (musl and older glibc are
/// stricter still).
///
/// ## Why it matters
/// Past the limits the resolver silently drops nameservers and search
/// domains, so some names resolve on one image and not on another. Kubelet
/// warns "Search Line limits were exceeded" and truncates.
///
/// ## Evidence
/// The nameserver or search lines past the limit.
///
/// ## Fix
/// Trim the node's resolv.conf (kubelet copies its search list into pods) or
/// the pod's `dnsConfig`.
pub static RULE = Rule {
    code: "DNS111",
    slug: "resolver-limits",
    severity: Severity::Warning,
    step: StepId::A5,
    summary: crate::text!("more than 3 nameservers, more than 6 search domains or over 256 characters", "nameserver 超过 3 个、search 域超过 6 个或超过 256 个字符"),
    explains: &[&crate::checks::dns::nameserver_not_cluster_dns::RULE, &crate::checks::dns::name_not_found::RULE, &crate::checks::dns::dns_unreachable::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    kubelet_warnings(facts, sink);
    for r in &facts.model.resolvers {
        // Not the fact that decides A5 (the nameserver is): no pass from it.
        let chars: usize = r.search.iter().map(|s| s.len() + 1).sum();
        let mut problems = Vec::new();
        if r.all_nameservers.len() > 3 {
            problems.push(facts.fill(
                crate::text!(
                    "{n} nameservers (only the first 3 are used)",
                    "{n} 个 nameserver（只使用前 3 个）"
                ),
                &[("n", &r.all_nameservers.len().to_string())],
            ));
        }
        if r.search.len() > 6 {
            problems.push(facts.fill(
                crate::text!(
                    "{n} search domains (limit 6)",
                    "{n} 个 search 域（上限 6 个）"
                ),
                &[("n", &r.search.len().to_string())],
            ));
        }
        if chars > 256 {
            problems.push(facts.fill(
                crate::text!(
                    "a {n}-character search list (limit 256)",
                    "search 列表长 {n} 个字符（上限 256）"
                ),
                &[("n", &chars.to_string())],
            ));
        }
        if problems.is_empty() {
            continue;
        }
        let message = facts.fill(
            crate::text!(
                "resolv.conf exceeds the resolver's limits: {p}",
                "resolv.conf 超出解析器的限制：{p}"
            ),
            &[("p", &problems.join("; "))],
        );
        let origin = if r.all_nameservers.len() > 3 {
            r.nameserver_origin
        } else {
            r.search_origin
        };
        let evidence = vec![facts.evidence(origin.unwrap_or(r.origin))];
        let fix = facts
            .tr(crate::text!("Trim the node's /etc/resolv.conf (kubelet copies its search list into pods), or set the pod's dnsConfig with dnsPolicy: None.", "精简节点的 /etc/resolv.conf（kubelet 会把其中的 search 复制进 Pod），或在 dnsPolicy: None 下设置 Pod 的 dnsConfig。"))
            .to_string();
        // The cluster DNS listed only past the third nameserver is never
        // asked: the limit is then why Service names do not resolve. It is
        // the kube-dns Service's IP from the paste, else an address of the
        // shape clusters give it (10.96.0.10, 10.0.0.10, 172.20.0.10).
        let is_cluster_dns = |ns: &str| is_cluster_dns(facts, ns);
        let dropped = r
            .all_nameservers
            .iter()
            .skip(3)
            .any(|ns| is_cluster_dns(ns))
            && !r.nameservers.iter().any(|ns| is_cluster_dns(ns));
        if dropped {
            sink.report_as(
                &RULE,
                facts.client_subject(),
                Severity::Error,
                message,
                evidence,
                fix,
            );
        } else {
            sink.report(&RULE, facts.client_subject(), message, evidence, fix);
        }
        return;
    }
}

/// The kube-dns Service's IP from the paste, else an address of the shape
/// clusters give it (10.96.0.10, 10.0.0.10, 172.20.0.10).
fn is_cluster_dns(facts: &Facts<'_>, ns: &str) -> bool {
    crate::checks::dns::cluster_dns_ip(facts).map_or(
        (ns.starts_with("10.") || ns.starts_with("172.")) && ns.ends_with(".0.10"),
        |ip| ns == ip,
    )
}

/// kubelet's own word that it trimmed a pod's resolv.conf: an error when
/// the nameserver line it kept has no cluster DNS in it.
fn kubelet_warnings(facts: &Facts<'_>, sink: &mut Sink) {
    let Some(w) = facts.model.kubelet_limits.first() else {
        return;
    };
    // Not the fact that decides A5 (the nameserver is): no pass from it.
    let applied = w.applied.join(" ");
    let (text, severity) = match w.what {
        crate::model::ResolverLimit::Nameservers => {
            let keeps_cluster_dns = w.applied.iter().any(|ns| is_cluster_dns(facts, ns));
            (
                crate::text!("kubelet found more nameservers than a pod can use (3) and dropped the rest; the pod's resolv.conf gets only: {applied}", "kubelet 发现 Pod 的 nameserver 超过可用上限（3 个）并丢弃了其余的；Pod 的 resolv.conf 只保留：{applied}"),
                if keeps_cluster_dns || w.applied.is_empty() {
                    Severity::Warning
                } else {
                    Severity::Error
                },
            )
        }
        crate::model::ResolverLimit::Search => (
            crate::text!("kubelet found too many search domains for a pod and dropped some; the pod's search line is: {applied}", "kubelet 发现 Pod 的 search 域过多并丢弃了一部分；Pod 的 search 行为：{applied}"),
            Severity::Warning,
        ),
    };
    let message = facts.fill(text, &[("applied", &applied)]);
    let fix = facts
        .tr(crate::text!("kubelet copies the node's resolver file (its resolvConf, usually /etc/resolv.conf or /run/systemd/resolve/resolv.conf) into pods: keep it to at most 3 nameservers and 6 search domains, or point kubelet's resolvConf at a file that does; then recreate the pods.", "kubelet 会把节点的解析文件（resolvConf，通常是 /etc/resolv.conf 或 /run/systemd/resolve/resolv.conf）复制进 Pod：让它最多包含 3 个 nameserver 和 6 个 search 域，或把 kubelet 的 resolvConf 指向这样的文件；然后重建 Pod。"))
        .to_string();
    let subject = crate::report::Subject::shared(crate::report::SubjectKind::Node, None, None);
    sink.report_as(
        &RULE,
        subject,
        severity,
        message,
        vec![facts.evidence(w.origin)],
        fix,
    );
}
