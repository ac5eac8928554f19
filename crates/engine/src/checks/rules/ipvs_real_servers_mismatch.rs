//! IPVS802 ipvs-real-servers-mismatch (see [`RULE`]).

use crate::checks::rules::{differences, expected, ipvs_of, proxied, report_mismatch};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The real servers of the Service's IPVS virtual server against its ready
/// endpoints.
///
/// ## Why it matters
/// Missing real servers get no traffic; extra ones (gone or unready pods)
/// swallow connections, so the Service fails now and then. An empty list
/// refuses everything.
///
/// ## Evidence
/// The virtual server and the endpoints.
///
/// ## Fix
/// kube-proxy is behind: check its log and restart it on the node.
pub static RULE = Rule {
    code: "IPVS802",
    slug: "ipvs-real-servers-mismatch",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("real servers differ from the ready endpoints", "IPVS 真实服务器与就绪 Endpoints 不一致"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in proxied(facts) {
        let (_, vs) = ipvs_of(facts, &svc);
        let Some(exp) = expected(facts, &svc) else {
            continue;
        };
        for v in vs {
            sink.checked(RULE.step);
            let targets: Vec<String> = v
                .real_servers
                .iter()
                .map(|r| match r.port {
                    Some(p) => format!("{}:{p}", r.ip),
                    None => r.ip.clone(),
                })
                .collect();
            let (missing, extra) = differences(&exp, &targets);
            if missing.is_empty() && extra.is_empty() {
                continue;
            }
            report_mismatch(
                facts,
                sink,
                &RULE,
                &svc,
                "IPVS",
                &missing,
                &extra,
                vec![v.origin, exp.origin],
            );
            return;
        }
    }
}
