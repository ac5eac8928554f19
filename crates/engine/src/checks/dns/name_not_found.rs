//! DNS109 name-not-found (see [`RULE`]).

use crate::checks::dns::{base_name, form, lookup_from, not_found, Form, From};
use crate::checks::{declare_rule, Facts, Sink};
use crate::i18n::Text;
use crate::report::Severity;
use crate::steps::StepId;

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
    summary: Text {
        en: "every form of the name gets NXDOMAIN: no such Service in that namespace",
        zh: "该名称的所有形式都返回 NXDOMAIN：该命名空间中没有这个 Service",
    },
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
        let failed_as = |f: Form| of.iter().any(|l| l.query.as_deref().map(form) == Some(f));
        if !(failed_as(Form::Full) || (failed_as(Form::Short) && failed_as(Form::Qualified))) {
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
            Text {
                en: "no form of '{name}' resolves ({asked}){node}: the cluster DNS knows no such Service",
                zh: "'{name}' 的所有形式都无法解析（{asked}）{node}：集群 DNS 中没有这个 Service",
            },
            &[
                ("name", base),
                ("asked", &asked.join(", ")),
                ("node", if from_node { facts.tr(Text { en: ", not even from a node", zh: "，在节点上也不行" }) } else { "" }),
            ],
        );
        let fix = facts.fill(
            Text {
                en: "Find the Service's real name and namespace: kubectl get svc -A | grep {name}. Create it if it is missing, or fix the name the client uses.",
                zh: "查找 Service 的真实名称和命名空间：kubectl get svc -A | grep {name}。如不存在请创建，或修正客户端使用的名称。",
            },
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
    if !lookups.is_empty() {
        sink.checked(RULE.step);
    }
}
