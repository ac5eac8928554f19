//! SVC207 headless-service (see [`RULE`]).

use crate::checks::service::probes_of;
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::ProbeOutcome;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Services with `clusterIP: None` (headless). A headless Service port that
/// its endpoints do not serve (port 4001, endpoints on 2379) is an error,
/// unless a probe of that port got an answer; otherwise it is a note.
///
/// ## Why it matters
/// A headless Service has no virtual IP and kube-proxy writes no rules for
/// it: its DNS name returns the pod IPs, and clients connect to the pods
/// directly, on the targetPort (the Service port is not remapped). Curling a
/// cluster IP or expecting port mapping does not work.
///
/// ## Evidence
/// The Service's clusterIP.
///
/// ## Fix
/// Connect to the pods on their own port, or give the Service a cluster IP
/// (remove `clusterIP: None` and recreate it) if you need load balancing and
/// port mapping.
pub static RULE = Rule {
    code: "SVC207",
    slug: "headless-service",
    severity: Severity::Info,
    step: StepId::B1,
    summary: crate::text!("clusterIP None: no virtual IP, port not remapped, DNS returns pod IPs", "clusterIP 为 None：没有虚拟 IP，端口不做映射，DNS 返回 Pod IP"),
    explains: &[&crate::checks::rules::ipt_service_rule_missing::RULE, &crate::checks::rules::ipvs_virtual_server_missing::RULE, &crate::checks::rules::nft_service_element_missing::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services().iter().filter(|s| s.is_headless()) {
        let refused_on = |port: u32| {
            probes_of(facts, svc).iter().any(|p| {
                p.port == Some(port)
                    && matches!(
                        p.outcome,
                        Some(
                            ProbeOutcome::Refused
                                | ProbeOutcome::Timeout
                                | ProbeOutcome::Reset
                                | ProbeOutcome::Failed
                        )
                    )
            })
        };
        let answered_on = |port: u32| {
            probes_of(facts, svc)
                .iter()
                .any(|p| p.port == Some(port) && p.outcome == Some(ProbeOutcome::Ok))
        };
        // A port its endpoints do not serve is an error unless a probe of
        // that port got an answer (the pods may listen on both).
        if let Some((port, listening, mut evidence)) =
            unmapped_port(facts, svc).filter(|(port, _, _)| !answered_on(*port))
        {
            if let Some(probe) = probes_of(facts, svc)
                .into_iter()
                .find(|p| p.port == Some(port) && refused_on(port))
            {
                evidence.push(facts.evidence(probe.origin));
            }
            // Nothing remaps a headless Service's port: a port that is not
            // where the endpoints are reaches the pods on a port they do
            // not serve.
            let message = facts.fill(
                crate::text!("Service {name} is headless (clusterIP: None), so its port {port} is not remapped: its endpoints are on port {listening}, and connections to {short}:{port} reach the pods on {port}", "Service {name} 是 headless（clusterIP: None），其端口 {port} 不会被转换：Endpoints 在端口 {listening} 上，连接 {short}:{port} 会直接到达 Pod 的 {port} 端口"),
                &[
                    ("name", &svc.label()),
                    ("short", svc.name_or("SERVICE")),
                    ("port", &port.to_string()),
                    ("listening", &listening.to_string()),
                ],
            );
            let fix = facts.fill(
                crate::text!("Connect to port {listening}, or make the Service's port equal its targetPort ({listening}); for remapping, give the Service a cluster IP (recreate it without clusterIP: None).", "连接 {listening} 端口，或把 Service 的 port 设为与 targetPort（{listening}）相同；如需端口转换，请给 Service 分配 cluster IP（去掉 clusterIP: None 重新创建）。"),
                &[("listening", &listening.to_string())],
            );
            sink.report_as(
                &RULE,
                svc.subject(),
                Severity::Error,
                message,
                evidence,
                fix,
            );
            continue;
        }
        let probed: Vec<String> = probes_of(facts, svc)
            .iter()
            .filter_map(|p| p.port.map(|port| port.to_string()))
            .collect();
        let message = facts.fill(
            crate::text!("Service {name} is headless (clusterIP: None): its name resolves to the pod IPs and connections go straight to the pods{probed}", "Service {name} 是 headless（clusterIP: None）：其名称解析为 Pod IP，连接直接到达 Pod{probed}"),
            &[
                ("name", &svc.label()),
                (
                    "probed",
                    &if probed.is_empty() {
                        String::new()
                    } else {
                        facts.fill(
                            crate::text!("; port {p} must be the pods' own port", "；端口 {p} 必须是 Pod 自己的端口"),
                            &[("p", &probed.join(", "))],
                        )
                    },
                ),
            ],
        );
        sink.report(
            &RULE, svc.subject(),
            message,
            vec![facts.evidence(svc.origin())],
            facts.tr(crate::text!("Connect to the pods' targetPort, not the Service port; for a virtual IP with load balancing, recreate the Service without clusterIP: None.", "连接 Pod 的 targetPort 而不是 Service 端口；如需带负载均衡的虚拟 IP，请去掉 clusterIP: None 重新创建 Service。")).to_string(),
        );
    }
}

/// The first Service port whose endpoints all listen on another port:
/// (the port, the endpoints' port, the evidence of both).
fn unmapped_port(
    facts: &Facts<'_>,
    svc: &crate::context::view::ServiceView<'_>,
) -> Option<(u32, u32, Vec<crate::report::Evidence>)> {
    let view = crate::context::view::endpoints_of(facts.model, svc.namespace, svc.name_or(""))?;
    let (ports, ports_origin) = svc.ports();
    for p in ports {
        let Some(port) = p.port else { continue };
        // A set that names its port (`Endpoints:  client  ...` in describe)
        // holds that port's endpoints only.
        let of_port = |s: &&&crate::model::EndpointSet| {
            s.ports.is_empty()
                || s.ports.iter().all(|ep| ep.port.is_none())
                    && s.ports
                        .iter()
                        .any(|ep| ep.name.is_some() && ep.name == p.name)
        };
        let named = view.sets.iter().any(|s| {
            s.ports
                .iter()
                .any(|ep| ep.name.is_some() && ep.port.is_none())
        });
        let listening: Vec<(u32, crate::model::Origin)> = view
            .sets
            .iter()
            .filter(of_port)
            .flat_map(|s| s.addresses.iter())
            .filter(|a| a.ready)
            .filter_map(|a| Some((a.port?, a.origin)))
            .collect();
        let Some(&(first, origin)) = listening.first() else {
            continue;
        };
        // Only when every endpoint agrees, and the Service lists just this
        // port or the endpoints are known to be this port's.
        if (ports.len() == 1 || named)
            && first != port
            && listening.iter().all(|(l, _)| *l == first)
        {
            let mut evidence = vec![facts.evidence(ports_origin.unwrap_or(svc.origin()))];
            evidence.push(facts.evidence(origin));
            return Some((port, first, evidence));
        }
    }
    None
}
