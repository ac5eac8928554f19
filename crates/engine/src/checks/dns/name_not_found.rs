//! DNS109 name-not-found (see [`RULE`]).

use crate::checks::dns::{base_name, form, lookup_from, not_found, Form, From};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Lookups of a Service name: every form asked (short, `name.namespace`,
/// full) fails with NXDOMAIN or "can't resolve", and none resolves.
///
/// ## Why it matters
/// When the cluster DNS answers but knows no such name, there is no Service
/// of that name in that namespace: a typo, the wrong namespace, or a Service
/// that was never created.
///
/// ## Evidence
/// The failed lookups.
///
/// ## Fix
/// Compare the name with `kubectl get svc -A`, create the Service, or fix
/// the name the client uses.
pub static RULE = Rule {
    code: "DNS109",
    slug: "name-not-found",
    severity: Severity::Error,
    step: StepId::A3,
    summary: crate::text!("every form of the name gets NXDOMAIN: no such Service in that namespace", "该名称的所有形式都返回 NXDOMAIN：该命名空间中没有这个 Service"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    // A lookup from a node is A4's evidence.
    if facts
        .model
        .lookups
        .iter()
        .any(|l| lookup_from(facts, l) == From::Node)
    {
        sink.checked(StepId::A4);
    }
    let lookups: Vec<_> = facts
        .model
        .lookups
        .iter()
        .filter(|l| l.query.is_some())
        .collect();
    // A name whose failed lookups do not decide DNS109, with them.
    let mut undecided = None;
    let mut bases: Vec<&str> = lookups
        .iter()
        .filter_map(|l| l.query.as_deref())
        .map(base_name)
        .collect();
    bases.sort_unstable();
    bases.dedup();
    for base in bases {
        let of: Vec<_> = lookups
            .iter()
            .filter(|l| l.query.as_deref().map(base_name) == Some(base))
            .collect();
        if of.iter().any(|l| l.resolved) || !of.iter().all(|l| not_found(l)) {
            continue;
        }
        // `kubernetes` always exists: its lookups failing say DNS is broken,
        // not that the Service is missing.
        if base == "kubernetes" {
            continue;
        }
        // One short name failing may be the search list or the client's
        // namespace: only the full name, or the short and the namespaced
        // forms together, failing says the cluster DNS has no such name.
        // Only lookups that asked the cluster DNS, with the search list
        // applied where the form needs it, say anything about the Service.
        let deciding: Vec<_> = of.iter().filter(|l| decides(facts, l)).collect();
        let failed_as = |f: Form| {
            deciding
                .iter()
                .any(|l| l.query.as_deref().map(form) == Some(f))
        };
        // All three forms failing says it; so does the full name failing
        // next to a whole listing of the Services that lacks it.
        let all_forms =
            failed_as(Form::Short) && failed_as(Form::Qualified) && failed_as(Form::Full);
        // The namespace the full name asks about.
        let full_ns = deciding.iter().find_map(|l| {
            let q = l.query.as_deref()?.trim_end_matches('.');
            let (_, rest) = q.split_once('.')?;
            let (ns, _) = rest.split_once(".svc.")?;
            (!ns.is_empty() && !ns.contains('.')).then_some(ns)
        });
        if !(all_forms || (failed_as(Form::Full) && listing_lacks(facts, base, full_ns))) {
            undecided = undecided.or(Some((base, of.clone())));
            continue;
        }
        // A pasted listing that shows the Service in the namespace asked
        // for contradicts it (the name in another namespace does not).
        let client_ns = facts.client().namespace;
        let asked_ns = |q: &str| {
            q.split('.')
                .nth(1)
                .map(str::to_string)
                .or_else(|| client_ns.clone())
        };
        let listed = of.iter().any(|l| {
            let ns = l.query.as_deref().and_then(asked_ns);
            facts.model.services.iter().any(|s| {
                s.name.as_deref() == Some(base)
                    && !s.partial
                    && crate::model::same_namespace(ns.as_deref(), s.namespace.as_deref())
            })
        });
        if listed {
            continue;
        }
        let from_node = of.iter().any(|l| lookup_from(facts, l) == From::Node);
        let asked: Vec<String> = of.iter().filter_map(|l| l.query.clone()).collect();
        let message = facts.fill(
            crate::text!("no form of '{name}' resolves ({asked}){node}: the cluster DNS knows no such Service", "'{name}' 的所有形式都无法解析（{asked}）{node}：集群 DNS 中没有这个 Service"),
            &[
                ("name", base),
                ("asked", &asked.join(", ")),
                ("node", if from_node { facts.tr(crate::text!(", not even from a node", "，在节点上也不行")) } else { "" }),
            ],
        );
        let fix = facts.fill(
            crate::text!("Find the Service's real name and namespace: kubectl get svc -A | grep {name}. Create it if it is missing, or fix the name the client uses.", "查找 Service 的真实名称和命名空间：kubectl get svc -A | grep {name}。如不存在请创建，或修正客户端使用的名称。"),
            &[("name", base)],
        );
        sink.report(
            &RULE,
            facts.service_subject(None, base),
            message,
            of.iter().map(|l| facts.evidence(l.origin)).collect(),
            fix,
        );
        return;
    }
    match undecided {
        // Say why those lookups decide nothing, and leave the step open:
        // the next command asks for the lookups that would.
        Some((base, of)) => note_undecided(facts, sink, base, &of),
        None if !lookups.is_empty() => sink.checked(RULE.step),
        None => {}
    }
}

/// A pasted `kubectl get svc` of the whole `namespace` (or of all of
/// them), without names or selector, that does not list `name`.
fn listing_lacks(facts: &Facts<'_>, name: &str, namespace: Option<&str>) -> bool {
    facts.artifacts.iter().any(|a| {
        let whole = a
            .command
            .as_ref()
            .and_then(|c| c.kubectl())
            .is_some_and(|k| {
                // A listing of the namespace asked about (without `-n`, of
                // the context's, taken to be `default`).
                let covers = k.all_namespaces
                    || namespace.is_none_or(|ns| k.namespace.as_deref().unwrap_or("default") == ns);
                k.verb == "get"
                    && covers
                    && k.names.is_empty()
                    && k.selector.is_none()
                    && k.resources
                        .iter()
                        .any(|r| crate::read::command::kind_of_resource(r) == Some("Service"))
            });
        whole
            && !facts
                .model
                .services
                .iter()
                .any(|s| s.origin.artifact == a.index && s.name.as_deref() == Some(name))
    })
}

/// Whether a failed lookup says the cluster DNS has no such name: it went
/// to the cluster DNS (when its address is known), and the tool applied the
/// search list to a name that needs it (`dig` does only with `+search`;
/// BusyBox's newer nslookup not for names with a dot).
fn decides(facts: &Facts<'_>, l: &crate::model::DnsLookup) -> bool {
    let cluster_dns = crate::checks::dns::cluster_dns_ip(facts)
        .map(str::to_string)
        .or_else(|| facts.client().dns_ip);
    let server = l.server.as_ref().and_then(|s| s.ip.as_deref());
    let to_cluster_dns = match (server, cluster_dns.as_deref()) {
        (Some(server), Some(dns)) => server == dns || server.starts_with("169.254."),
        _ => true,
    };
    let query = l.query.as_deref().unwrap_or("");
    let dig_searches = l.tool != "dig" || l.flags.iter().any(|f| f == "+search");
    let searched = match form(query) {
        Form::Full => true,
        Form::Short => dig_searches,
        Form::Qualified => dig_searches && !(l.tool == "nslookup" && l.flavor == "busybox"),
    };
    to_cluster_dns && searched
}

/// A note that the failed lookups of `base` do not show the Service
/// missing, and why.
fn note_undecided(
    facts: &Facts<'_>,
    sink: &mut Sink,
    base: &str,
    of: &[&&crate::model::DnsLookup],
) {
    let why: Vec<String> = of
        .iter()
        .map(|l| {
            let q = l.query.as_deref().unwrap_or(base);
            if decides(facts, l) {
                facts.fill(crate::text!("{q} failed", "{q} 失败"), &[("q", q)])
            } else if l.server.as_ref().and_then(|s| s.ip.as_deref()).is_some_and(|ip| {
                crate::checks::dns::cluster_dns_ip(facts).is_some_and(|dns| dns != ip)
            }) {
                facts.fill(
                    crate::text!("{q} went to {server}, not the cluster DNS", "{q} 发往 {server}，不是集群 DNS"),
                    &[("q", q), ("server", l.server.as_ref().and_then(|s| s.ip.as_deref()).unwrap_or_default())],
                )
            } else {
                facts.fill(
                    crate::text!("{q} was asked without the search list ({tool} does not apply it to this name)", "{q} 的查询没有使用 search 列表（{tool} 不会对这个名称使用它）"),
                    &[("q", q), ("tool", &l.tool)],
                )
            }
        })
        .collect();
    let message = facts.fill(
        crate::text!("the lookups of '{name}' do not show whether the Service exists: {why}; the short name, name.namespace and the full name must all fail against the cluster DNS", "对 '{name}' 的查询不能说明该 Service 是否存在：{why}；需要短名称、名称.命名空间和完全限定名称都在集群 DNS 上解析失败"),
        &[("name", base), ("why", &why.join("; "))],
    );
    let fix = facts.fill(
        crate::text!("From a pod, resolve all three forms through the cluster DNS: nslookup {name}; nslookup {name}.NAMESPACE; nslookup {name}.NAMESPACE.svc.cluster.local", "在 Pod 中通过集群 DNS 解析三种形式：nslookup {name}；nslookup {name}.NAMESPACE；nslookup {name}.NAMESPACE.svc.cluster.local"),
        &[("name", base)],
    );
    sink.note(
        &RULE,
        facts.service_subject(None, base),
        message,
        of.iter().map(|l| facts.evidence(l.origin)).collect(),
        fix,
    );
}
