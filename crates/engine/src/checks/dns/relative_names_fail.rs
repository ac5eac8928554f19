//! DNS105 relative-names-fail (see [`RULE`]).

use crate::checks::dns::{base_name, form, not_found, pod_lookups, Form};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Lookups from a pod: the full name (`web.default.svc.cluster.local`)
/// resolves, but the relative names (`web`, `web.default`) do not.
///
/// ## Why it matters
/// Relative names only work through the resolver's search list and ndots.
/// When the full name works and relative ones do not, DNS itself is fine and
/// the pod's `/etc/resolv.conf` is wrong.
///
/// ## Evidence
/// The failing relative lookups and the successful full one.
///
/// ## Fix
/// Check the pod's resolv.conf (`search <ns>.svc.cluster.local
/// svc.cluster.local cluster.local`, `options ndots:5`) and its dnsPolicy.
pub static RULE = Rule {
    code: "DNS105",
    slug: "relative-names-fail",
    severity: Severity::Error,
    step: StepId::A3,
    summary: crate::text!("the full name resolves but relative names do not: resolv.conf search/ndots is wrong", "完全限定名称能解析而相对名称不能：resolv.conf 的 search/ndots 有误"),
    explains: &[&crate::checks::dns::name_not_found::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let lookups = pod_lookups(facts);
    for (full, fq) in lookups
        .iter()
        .filter(|(l, q)| form(q) == Form::Full && l.resolved)
    {
        let base = base_name(fq);
        let failing: Vec<_> = lookups
            .iter()
            .filter(|(l, q)| form(q) != Form::Full && base_name(q) == base && not_found(l))
            .collect();
        // When name.namespace works, the short name failing is DNS104's case.
        let qualified_ok = lookups
            .iter()
            .any(|(l, q)| form(q) == Form::Qualified && base_name(q) == base && l.resolved);
        if failing.is_empty() || qualified_ok {
            continue;
        }
        let names: Vec<&str> = failing.iter().map(|(_, q)| *q).collect();
        // A pasted resolv.conf whose search list and ndots would expand the
        // short name into the name that resolves is right: then the lookup
        // tool did not use it (BusyBox's nslookup since 1.28 is known to),
        // and blaming the pod's resolver would send the user the wrong way.
        let fq_bare = fq.trim_end_matches('.').to_ascii_lowercase();
        let expands = |name: &str| {
            crate::checks::dns::pod_resolvers(facts).iter().any(|r| {
                let dots = name.matches('.').count() as u32;
                dots < r.ndots.unwrap_or(1)
                    && r.search.iter().any(|s| {
                        format!("{}.{}", name, s.trim_end_matches('.')).to_ascii_lowercase()
                            == fq_bare
                    })
            })
        };
        if names.iter().all(|n| expands(n)) {
            continue;
        }
        let message = facts.fill(
            crate::text!("'{full}' resolves from the pod but {relative} does not: the pod's search list or ndots is wrong", "Pod 中 '{full}' 能解析而 {relative} 不能：Pod 的 search 列表或 ndots 有误"),
            &[("full", fq), ("relative", &names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", "))],
        );
        let client = facts.client();
        let pod = client.pod.unwrap_or_else(|| "POD".into());
        let ns = client.namespace.unwrap_or_else(|| "default".into());
        let fix = facts.fill(
            crate::text!("Check the resolver: kubectl exec -it {pod} -n {ns} -- cat /etc/resolv.conf. It needs search {ns}.svc.cluster.local svc.cluster.local cluster.local and options ndots:5; with dnsPolicy None or Default set them in the pod's dnsConfig, or use dnsPolicy ClusterFirst.", "检查解析配置：kubectl exec -it {pod} -n {ns} -- cat /etc/resolv.conf。需要 search {ns}.svc.cluster.local svc.cluster.local cluster.local 和 options ndots:5；若 dnsPolicy 为 None 或 Default，请在 Pod 的 dnsConfig 中设置，或改用 dnsPolicy ClusterFirst。"),
            &[("pod", &pod), ("ns", &ns)],
        );
        let mut evidence: Vec<_> = failing
            .iter()
            .map(|(l, _)| facts.evidence(l.origin))
            .collect();
        evidence.push(facts.evidence(full.origin));
        sink.report(&RULE, facts.client_subject(), message, evidence, fix);
        return;
    }
}
