//! SVC206 targetport-quoted-number (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::TargetPort;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// targetPort written as a quoted number (`targetPort: "8080"`).
///
/// ## Why it matters
/// A string targetPort is a port *name*; `"8080"` is looked up among the
/// container port names, finds none, and the pods get no endpoint (newer API
/// servers reject it outright).
///
/// ## Evidence
/// The Service's ports.
///
/// ## Fix
/// Write the number without quotes: `targetPort: 8080`.
pub static RULE = Rule {
    code: "SVC206",
    slug: "targetport-quoted-number",
    severity: Severity::Error,
    step: StepId::B2,
    summary: crate::text!("targetPort written as the string \"8080\", so it is treated as a port name", "targetPort 写成了字符串 \"8080\"，会被当作端口名"),
    explains: &[&crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::service::named_targetport_missing::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let (ports, ports_origin) = svc.ports();
        for port in ports {
            let Some(TargetPort::Name(name)) = &port.target_port else {
                continue;
            };
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let message = facts.fill(
                crate::text!("targetPort of Service {svc} is the string \"{n}\": Kubernetes reads it as a port name, not port {n}", "Service {svc} 的 targetPort 是字符串 \"{n}\"：Kubernetes 会把它当作端口名，而不是端口 {n}"),
                &[("svc", &svc.label()), ("n", name)],
            );
            let fix = facts.fill(
                crate::text!(
                    "Write it as a number: targetPort: {n} (kubectl edit svc {name}{ns}).",
                    "改写为数字：targetPort: {n}（kubectl edit svc {name}{ns}）。"
                ),
                &[
                    ("n", name),
                    ("name", svc.name_or("SERVICE")),
                    ("ns", &svc.ns_flag()),
                ],
            );
            sink.report(
                &RULE,
                svc.subject(),
                message,
                vec![facts.evidence(ports_origin.unwrap_or(svc.origin()))],
                fix,
            );
            return;
        }
    }
}
