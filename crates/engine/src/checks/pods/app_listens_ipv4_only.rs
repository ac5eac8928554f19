//! POD408 app-listens-ipv4-only (see [`RULE`]).

use crate::checks::pods::app_listens_on_localhost::{listing_pod, on_node};
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{ProbeOutcome, TargetPort};
use crate::report::{Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// A Service whose cluster IP is IPv6 (single-stack IPv6, or IPv6 first)
/// and a listing of the pod's sockets (`ss -lntp`, `netstat -tlnp`) where
/// the target port is bound on IPv4 addresses only (`0.0.0.0`, the pod's
/// IPv4 address), with no IPv6 or dual-stack listener (`[::]`, `::`, `*`).
///
/// ## Why it matters
/// kube-proxy sends an IPv6 Service's traffic to the pods' IPv6
/// addresses: an app bound to `0.0.0.0` refuses every one of those
/// connections, while `curl` to its IPv4 address works, so the pod looks
/// healthy.
///
/// ## Evidence
/// The IPv4-only listener and the Service's IPv6 cluster IP.
///
/// ## Fix
/// Make the app listen on `[::]` (on Linux that accepts both families),
/// or give the Service the pods' family (`ipFamilies: [IPv4]`, or
/// `ipFamilyPolicy: PreferDualStack`).
pub static RULE = Rule {
    code: "POD408",
    slug: "app-listens-ipv4-only",
    severity: Severity::Error,
    step: StepId::B4,
    summary: crate::text!("the app listens on IPv4 only behind an IPv6 Service", "应用只监听 IPv4，而它前面的 Service 是 IPv6"),
    explains: &[&crate::checks::pods::pod_direct_probe_fails::RULE],
    check,
};
}

fn is_v4(address: &str) -> bool {
    address.parse::<std::net::Ipv4Addr>().is_ok()
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let sockets = &facts.model.sockets;
    if sockets.is_empty() {
        return;
    }
    for svc in facts.user_services() {
        // The Service's family: its cluster IP, else a failed probe of an
        // IPv6 address on its port.
        let v6_ip = svc.cluster_ip().filter(|ip| ip.contains(':'));
        let (ports, _) = svc.ports();
        let targets: Vec<u32> = ports
            .iter()
            .filter_map(|p| match &p.target_port {
                Some(TargetPort::Number(n)) => Some(*n),
                _ => None,
            })
            .collect();
        let v6_probe = facts.model.probes.iter().find(|p| {
            p.host.as_deref().is_some_and(|h| h.contains(':'))
                && p.outcome == Some(ProbeOutcome::Refused)
                && p.port.is_some_and(|port| targets.contains(&port))
        });
        if v6_ip.is_none() && v6_probe.is_none() {
            continue;
        }
        for &port in &targets {
            let listening: Vec<_> = sockets
                .iter()
                .filter(|s| s.local_port == Some(port) && s.protocol == "TCP" && !on_node(facts, s))
                .collect();
            let Some(first) = listening.first() else {
                continue;
            };
            // IPv4 only, and not loopback only (POD404's case).
            if !listening.iter().all(|s| is_v4(&s.local_address))
                || listening
                    .iter()
                    .all(|s| s.local_address.starts_with("127."))
            {
                continue;
            }
            let process = first
                .process
                .clone()
                .unwrap_or_else(|| facts.tr(crate::text!("the app", "应用")).to_string());
            let pod = listing_pod(facts, first);
            let family = v6_ip
                .map(|ip| {
                    facts.fill(
                        crate::text!(
                            "Service {svc} is IPv6 ({ip})",
                            "Service {svc} 是 IPv6（{ip}）"
                        ),
                        &[("svc", &svc.label()), ("ip", ip)],
                    )
                })
                .unwrap_or_else(|| {
                    facts.fill(
                        crate::text!(
                            "the probe of an IPv6 address was refused",
                            "对 IPv6 地址的访问被拒绝"
                        ),
                        &[],
                    )
                });
            let message = facts.fill(
                crate::text!("{process}{in_pod} listens on {addr}:{port}, IPv4 only, and {family}: the Service's connections go to the pods' IPv6 addresses, where nothing listens", "{in_pod}{process} 监听在 {addr}:{port}，只有 IPv4，而{family}：Service 的连接发往 Pod 的 IPv6 地址，那里没有程序在监听"),
                &[
                    ("process", &process),
                    (
                        "in_pod",
                        &pod.map(|p| {
                            facts.fill(crate::text!(" in pod {pod}", "Pod {pod} 中的"), &[("pod", p)])
                        })
                        .unwrap_or_default(),
                    ),
                    ("addr", &first.local_address),
                    ("port", &port.to_string()),
                    ("family", &family),
                ],
            );
            let fix = facts.fill(
                crate::text!("Make {process} listen on [::]:{port} (on Linux that accepts IPv4 too), for example --host ::; or give Service {svc} the pods' family: ipFamilies: [IPv4], or ipFamilyPolicy: PreferDualStack.", "让 {process} 监听 [::]:{port}（在 Linux 上也会接受 IPv4），例如 --host ::；或者让 Service {svc} 使用 Pod 的地址族：ipFamilies: [IPv4]，或 ipFamilyPolicy: PreferDualStack。"),
                &[("process", &process), ("port", &port.to_string()), ("svc", &svc.label())],
            );
            let mut evidence = vec![facts.evidence(first.origin)];
            if let Some(p) = v6_probe {
                evidence.push(facts.evidence(p.origin));
            } else if let Some(o) = svc
                .parts
                .iter()
                .find(|s| s.cluster_ip.is_some())
                .map(|s| s.origin)
            {
                evidence.push(facts.evidence(facts.line_with(o, v6_ip.unwrap_or_default())));
            }
            sink.report(
                &RULE,
                Subject::on(SubjectKind::Pod, svc.namespace, pod, svc.reference()),
                message,
                evidence,
                fix,
            );
            return;
        }
    }
}
