//! DNS108 ndots-too-low (see [`RULE`]).

use crate::checks::dns::{form, pod_resolvers, Form};
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::DnsError;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The pod's `options ndots`: a relative name with at least ndots dots is
/// first tried as an absolute name, before the search list. Kubernetes sets
/// `ndots:5` so that `web.shop` and `web.shop.svc` go through the search list
/// first.
///
/// ## Why it matters
/// With a low ndots, `web.shop` is first sent upstream as a top-level name;
/// that is slow, leaks the name outside the cluster, and fails outright where
/// the resolver gives up after the first answer.
///
/// ## Evidence
/// The options line, and a queried name with as many dots.
///
/// ## Fix
/// Remove the ndots override from the pod's `dnsConfig.options`, or set it to
/// 5 (or at least one more than the dots in the names the app uses).
pub static RULE = Rule {
    code: "DNS108",
    slug: "ndots-too-low",
    severity: Severity::Warning,
    step: StepId::A5,
    summary: crate::text!("ndots below what the queried names need (Kubernetes sets 5)", "ndots 低于所查询名称的需要（Kubernetes 默认为 5）"),
    explains: &[&crate::checks::dns::relative_names_fail::RULE, &crate::checks::dns::name_not_found::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for r in pod_resolvers(facts) {
        // Not the fact that decides A5 (the nameserver is): no pass from it.
        let ndots = r.ndots.unwrap_or(1);
        if ndots >= 5 {
            continue;
        }
        // A relative name the client asked for, with at least ndots dots.
        let name = facts
            .model
            .lookups
            .iter()
            .filter_map(|l| l.query.as_deref())
            .find(|q| {
                form(q) != Form::Full
                    && q.trim_end_matches('.').matches('.').count() as u32 >= ndots
            });
        let Some(name) = name else { continue };
        let message = facts.fill(
            crate::text!("ndots is {ndots}: '{name}' is tried as an absolute name before the search list (Kubernetes sets ndots:5)", "ndots 为 {ndots}：'{name}' 会先被当作绝对名称查询，再使用 search 列表（Kubernetes 默认 ndots:5）"),
            &[("ndots", &ndots.to_string()), ("name", name)],
        );
        let fix = facts.tr(crate::text!("Drop the ndots override from the pod's dnsConfig.options (or set value: \"5\"), or have the app use the full name ending in a dot.", "去掉 Pod dnsConfig.options 中的 ndots 设置（或设为 value: \"5\"），或让应用使用以点结尾的完全限定名称。")).to_string();
        let evidence = vec![facts.evidence(r.options_origin.unwrap_or(r.origin))];
        // nslookup (BIND's and BusyBox's) and musl's resolver try a name
        // with at least ndots dots as it is and stop at its NXDOMAIN: such a
        // lookup of the name, pasted failing, makes the low ndots the cause.
        // ...and only when the name exists: its full form resolved.
        let base = name.split('.').next().unwrap_or(name);
        let exists = facts.model.lookups.iter().any(|l| {
            l.resolved
                && l.query
                    .as_deref()
                    .is_some_and(|q| form(q) == Form::Full && q.split('.').next() == Some(base))
        });
        let failed = facts.model.lookups.iter().find(|l| {
            exists
                && l.query.as_deref() == Some(name)
                && !l.resolved
                && matches!(
                    l.error_kind,
                    Some(DnsError::Nxdomain | DnsError::NotFound | DnsError::CantResolve)
                )
        });
        let harm = failed.map(|lookup| facts.evidence(lookup.origin));
        sink.report_unless_harm(&RULE, facts.client_subject(), harm, message, evidence, fix);
        return;
    }
}
