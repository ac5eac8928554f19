//! SVC202 port-not-exposed (see [`RULE`]).

use crate::checks::service::probes_of;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Probes of the Service by name or cluster IP: their port must be one of
/// the Service's `ports[].port`.
///
/// ## Why it matters
/// kube-proxy only forwards the ports the Service lists; a connection to any
/// other port of the cluster IP is refused or times out. A common slip is
/// using the container's port (targetPort) instead of the Service port.
///
/// ## Evidence
/// The probe and the Service's ports.
///
/// ## Fix
/// Use a port the Service lists, or add the port to the Service.
pub static RULE = Rule {
    code: "SVC202",
    slug: "port-not-exposed",
    severity: Severity::Error,
    step: StepId::B2,
    summary: crate::text!("the client uses a port the Service does not list", "客户端使用了 Service 未声明的端口"),
    explains: &[&crate::checks::rules::ipt_service_rule_missing::RULE, &crate::checks::rules::ipvs_virtual_server_missing::RULE, &crate::checks::rules::nft_service_element_missing::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let (ports, ports_origin) = svc.ports();
        if ports.is_empty() || svc.is_headless() || svc.is_external_name() {
            continue;
        }
        sink.checked(RULE.step);
        for probe in probes_of(facts, &svc) {
            let Some(port) = probe.port else { continue };
            if ports.iter().any(|p| p.port == Some(port)) {
                continue;
            }
            let listed: Vec<String> = ports
                .iter()
                .filter_map(|p| p.port)
                .map(|p| p.to_string())
                .collect();
            let target = ports.iter().find(|p| {
                p.target_port
                    .as_ref()
                    .is_some_and(|t| matches!(t, crate::model::TargetPort::Number(n) if *n == port))
            });
            let hint = match target {
                Some(p) => facts.fill(
                    crate::text!(
                        " ({port} is the targetPort; the Service port is {sp})",
                        "（{port} 是 targetPort，Service 端口是 {sp}）"
                    ),
                    &[
                        ("port", &port.to_string()),
                        ("sp", &p.port.map(|x| x.to_string()).unwrap_or_default()),
                    ],
                ),
                None => String::new(),
            };
            let message = facts.fill(
                crate::text!("the client connects to port {port}, which Service {name} does not expose (it lists {listed}){hint}", "客户端连接的端口 {port} 不是 Service {name} 暴露的端口（它只有 {listed}）{hint}"),
                &[("port", &port.to_string()), ("name", &svc.label()), ("listed", &listed.join(", ")), ("hint", &hint)],
            );
            let fix = facts.fill(
                crate::text!("Connect to {host}:{first} instead, or add port {port} to the Service: kubectl edit svc {svc}{ns}", "改为连接 {host}:{first}，或在 Service 中加入端口 {port}：kubectl edit svc {svc}{ns}"),
                &[
                    ("host", probe.host.as_deref().unwrap_or("")),
                    ("first", listed.first().map(String::as_str).unwrap_or("")),
                    ("port", &port.to_string()),
                    ("svc", svc.name_or("SERVICE")),
                    ("ns", &svc.ns_flag()),
                ],
            );
            let mut evidence = vec![facts.evidence(probe.origin)];
            if let Some(o) = ports_origin {
                evidence.push(facts.evidence(o));
            }
            sink.report(&RULE, svc.subject(), message, evidence, fix);
            return;
        }
    }
}
