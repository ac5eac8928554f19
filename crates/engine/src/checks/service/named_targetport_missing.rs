//! SVC204 named-targetport-missing (see [`RULE`]).

use crate::checks::service::selected_containers;
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::TargetPort;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A named targetPort (`targetPort: http`): each selected pod must have a
/// container port of that name with the Service port's protocol. Kubernetes
/// resolves the name per pod.
///
/// ## Why it matters
/// A pod without a port of that name (and protocol) gets no endpoint for the
/// Service port, even when it is running and ready: the endpoints stay
/// empty or miss pods.
///
/// ## Evidence
/// The Service port and the containers' port names.
///
/// ## Fix
/// Name the container port as the Service expects, or use the port number.
pub static RULE = Rule {
    code: "SVC204",
    slug: "named-targetport-missing",
    severity: Severity::Error,
    step: StepId::B2,
    summary: crate::text!("named targetPort matches no container port name with the same protocol", "命名的 targetPort 找不到同名且协议相同的容器端口"),
    explains: &[&crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let (ports, ports_origin) = svc.ports();
        let containers = selected_containers(facts, &svc);
        if containers.is_empty() {
            continue;
        }
        for port in ports {
            let Some(TargetPort::Name(name)) = &port.target_port else {
                continue;
            };
            if name.chars().all(|c| c.is_ascii_digit()) {
                continue; // SVC206's case.
            }
            sink.checked(RULE.step);
            for (cs, origin, who) in &containers {
                let declares = |c: &&crate::model::Container| {
                    c.ports.iter().any(|p| {
                        p.name.as_deref() == Some(name.as_str())
                            && p.protocol.eq_ignore_ascii_case(&port.protocol)
                    })
                };
                if cs.iter().filter(|c| !c.sidecar).any(|c| declares(&c)) {
                    continue;
                }
                // Declared only on a native sidecar: resolved from
                // Kubernetes 1.32 on, not before (the pods then get
                // endpoints without a port).
                if let Some(sidecar) = cs.iter().find(|c| c.sidecar && declares(c)) {
                    // A cluster known to run 1.32 or later resolves it.
                    if facts.model.runs_at_least((1, 32)) {
                        continue;
                    }
                    let message = facts.fill(
                        crate::text!("targetPort '{tp}' of Service {name} is declared only on the sidecar {sidecar} of {who} (an init container with restartPolicy: Always): Kubernetes resolves it from 1.32 on; before, those pods get endpoints without a port", "Service {name} 的 targetPort '{tp}' 只在 {who} 的 sidecar {sidecar}（restartPolicy: Always 的 init 容器）上声明：Kubernetes 从 1.32 起才会解析它；更早的版本中这些 Pod 的端点没有端口"),
                        &[
                            ("tp", name),
                            ("name", &svc.label()),
                            ("sidecar", sidecar.name.as_deref().unwrap_or("-")),
                            ("who", who),
                        ],
                    );
                    let fix = facts.fill(
                        crate::text!("On a cluster older than 1.32, declare the port on an app container too, or use the number as the Service's targetPort; check the endpoints: kubectl get endpointslices -l kubernetes.io/service-name={svc} (PORTS <unset> means unresolved).", "在 1.32 之前的集群上，把端口也声明在应用容器上，或把 Service 的 targetPort 改为端口号；检查端点：kubectl get endpointslices -l kubernetes.io/service-name={svc}（PORTS 为 <unset> 表示没有解析）。"),
                        &[("svc", svc.name_or("SERVICE"))],
                    );
                    let evidence = vec![facts.evidence(*origin)];
                    sink.report_as(
                        &RULE,
                        svc.subject(),
                        Severity::Warning,
                        message,
                        evidence,
                        fix,
                    );
                    return;
                }
                let names: Vec<String> = cs
                    .iter()
                    .flat_map(|c| c.ports.iter())
                    .map(|p| {
                        format!(
                            "{}={}/{}",
                            p.name.as_deref().unwrap_or("-"),
                            p.port.unwrap_or(0),
                            p.protocol
                        )
                    })
                    .collect();
                let message = facts.fill(
                    crate::text!("targetPort '{tp}' ({proto}) of Service {name} matches no container port of {who} ({ports}): those pods get no endpoint", "Service {name} 的 targetPort '{tp}'（{proto}）在 {who} 中找不到同名容器端口（{ports}）：这些 Pod 不会成为 Endpoint"),
                    &[
                        ("tp", name),
                        ("proto", &port.protocol),
                        ("name", &svc.label()),
                        ("who", who),
                        ("ports", &if names.is_empty() { "-".to_string() } else { names.join(", ") }),
                    ],
                );
                let fix = facts.fill(
                    crate::text!("Name the container port '{tp}' (ports: - name: {tp}, containerPort: N, protocol: {proto}) in {who}, or set the Service's targetPort to the number.", "在 {who} 中把容器端口命名为 '{tp}'（ports: - name: {tp}, containerPort: N, protocol: {proto}），或把 Service 的 targetPort 改为端口号。"),
                    &[("tp", name), ("proto", &port.protocol), ("who", who)],
                );
                let mut evidence = Vec::new();
                if let Some(o) = ports_origin {
                    evidence.push(facts.evidence(o));
                }
                evidence.push(facts.evidence(*origin));
                sink.report(&RULE, svc.subject(), message, evidence, fix);
                return;
            }
        }
    }
}
