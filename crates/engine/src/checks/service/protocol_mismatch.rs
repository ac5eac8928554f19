//! SVC205 protocol-mismatch (see [`RULE`]).

use crate::checks::service::selected_containers;
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::TargetPort;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The Service port's protocol against the container port it targets (same
/// number or name): TCP against UDP, or SCTP.
///
/// ## Why it matters
/// kube-proxy programs rules per protocol. A UDP Service port in front of a
/// TCP server (or the reverse, common with DNS on port 53) forwards nothing
/// the app can answer.
///
/// ## Evidence
/// The Service port and the container port.
///
/// ## Fix
/// Set the Service port's protocol to the app's (add a second port entry when
/// the app serves both).
pub static RULE = Rule {
    code: "SVC205",
    slug: "protocol-mismatch",
    severity: Severity::Error,
    step: StepId::B2,
    summary: crate::text!("Service port protocol differs from the container port protocol", "Service 端口协议与容器端口协议不一致"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let (ports, ports_origin) = svc.ports();
        for port in ports {
            for (cs, origin, who) in selected_containers(facts, &svc) {
                let cps: Vec<_> = cs.iter().flat_map(|c| c.ports.iter()).collect();
                let same: Vec<_> = cps
                    .iter()
                    .filter(|cp| match &port.target_port {
                        Some(TargetPort::Number(n)) => cp.port == Some(*n),
                        Some(TargetPort::Name(n)) => cp.name.as_deref() == Some(n.as_str()),
                        None => cp.port == port.port,
                    })
                    .collect();
                if same.is_empty()
                    || same
                        .iter()
                        .any(|cp| cp.protocol.eq_ignore_ascii_case(&port.protocol))
                {
                    continue;
                }
                let theirs = &same[0].protocol;
                let message = facts.fill(
                    crate::text!("Service {name} port {port} is {proto}, but {who} serves that port over {theirs}", "Service {name} 的端口 {port} 使用 {proto}，而 {who} 在该端口上使用的是 {theirs}"),
                    &[
                        ("name", &svc.label()),
                        ("port", &port.port.map(|p| p.to_string()).unwrap_or_default()),
                        ("proto", &port.protocol),
                        ("who", &who),
                        ("theirs", theirs),
                    ],
                );
                let fix = facts.fill(
                    crate::text!("Set protocol: {theirs} on that Service port (kubectl edit svc {svc}{ns}); list both protocols as two ports if the app serves both.", "把该 Service 端口的 protocol 改为 {theirs}（kubectl edit svc {svc}{ns}）；若应用同时提供两种协议，就写成两个端口。"),
                    &[("theirs", theirs), ("svc", svc.name_or("SERVICE")), ("ns", &svc.ns_flag())],
                );
                let mut evidence = Vec::new();
                if let Some(o) = ports_origin {
                    evidence.push(facts.evidence(o));
                }
                evidence.push(facts.evidence(origin));
                sink.report(&RULE, svc.subject(), message, evidence, fix);
                return;
            }
        }
    }
}
