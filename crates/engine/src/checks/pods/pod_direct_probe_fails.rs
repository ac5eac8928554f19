//! POD403 pod-direct-probe-fails (see [`RULE`]).

use crate::checks::pods::service_pods;
use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::model::ProbeOutcome;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Probes sent straight to a pod IP of the Service (bypassing it), on the
/// target port: they must get an answer.
///
/// ## Why it matters
/// If the pod itself does not answer on the target port, no Service can fix
/// that. `Connection refused` means nothing listens on that port (wrong
/// targetPort, app listening elsewhere or on localhost); a timeout means the
/// packets do not arrive (network, policy).
///
/// ## Evidence
/// The failed probe and the pod it targets.
///
/// ## Fix
/// For a refusal, check what the container listens on (`ss -lntp` inside it)
/// and align targetPort; for a timeout, check the CNI and NetworkPolicies.
pub static RULE = Rule {
    code: "POD403",
    slug: "pod-direct-probe-fails",
    severity: Severity::Error,
    step: StepId::B4,
    summary: crate::text!("direct probe of podIP:targetPort fails (refused: nothing listens; timeout: network)", "直接访问 PodIP:targetPort 失败（拒绝：没有进程监听；超时：网络问题）"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let pods = service_pods(facts);
    let mut pod_ips: Vec<&str> = pods.iter().filter_map(|(_, p)| p.ip).collect();
    for svc in facts.user_services() {
        if let Some(view) = endpoints_of(facts.model, svc.namespace, svc.name_or("SERVICE")) {
            pod_ips.extend(view.ready_ips());
            pod_ips.extend(view.not_ready_ips());
        }
    }
    let direct: Vec<_> = facts
        .model
        .probes
        .iter()
        .filter(|p| p.host.as_deref().is_some_and(|h| pod_ips.contains(&h)))
        .collect();
    if direct.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let Some(failed) = direct.iter().find(|p| {
        matches!(
            p.outcome,
            Some(
                ProbeOutcome::Refused
                    | ProbeOutcome::Timeout
                    | ProbeOutcome::Reset
                    | ProbeOutcome::NoRoute
            )
        )
    }) else {
        return;
    };
    let host = failed.host.as_deref().unwrap_or(facts.not_shown());
    let port = failed
        .port
        .map(|p| p.to_string())
        .unwrap_or_else(|| facts.not_shown().into());
    let pod = pods.iter().find(|(_, p)| p.ip == Some(host));
    // A backend known by its endpoint address only: any pasted pod row with
    // that IP names it.
    let listed = facts
        .model
        .pods
        .iter()
        .find(|p| p.ip.as_deref() == Some(host) && p.name.is_some());
    let pod_name = pod
        .and_then(|(_, p)| p.name)
        .or_else(|| listed.and_then(|p| p.name.as_deref()))
        .unwrap_or(host);
    let ns = pod
        .and_then(|(_, p)| p.namespace)
        .or_else(|| listed.and_then(|p| p.namespace.as_deref()))
        .unwrap_or("default");
    let (message, fix) = if failed.outcome == Some(ProbeOutcome::Refused) {
        (
            crate::text!("pod {pod} refuses connections on {host}:{port}: nothing listens on that port in the pod", "Pod {pod} 拒绝 {host}:{port} 上的连接：Pod 中没有进程监听该端口"),
            crate::text!("See what the container listens on: kubectl exec {pod} -n {ns} -- ss -lntp (or netstat -tlnp); then set the Service's targetPort to that port, or make the app listen on {port} on all addresses (0.0.0.0).", "查看容器监听的端口：kubectl exec {pod} -n {ns} -- ss -lntp（或 netstat -tlnp）；然后把 Service 的 targetPort 改成该端口，或让应用在所有地址（0.0.0.0）上监听 {port}。"),
        )
    } else {
        (
            crate::text!("the probe of pod {pod} at {host}:{port} gets no answer ({outcome}): packets do not reach the pod", "直接访问 Pod {pod}（{host}:{port}）没有响应（{outcome}）：数据包没有到达 Pod"),
            crate::text!("Check the network path: the CNI pods on both nodes (kubectl get pods -n kube-system -o wide), NetworkPolicies in {ns} (kubectl get networkpolicy -n {ns}), and whether probes to pods on the client's own node work.", "检查网络路径：两端节点上的 CNI Pod（kubectl get pods -n kube-system -o wide）、{ns} 中的 NetworkPolicy（kubectl get networkpolicy -n {ns}），以及访问客户端所在节点上的 Pod 是否正常。"),
        )
    };
    let outcome = failed.outcome.map(|o| o.as_str()).unwrap_or_default();
    let values = [
        ("pod", pod_name),
        ("host", host),
        ("port", port.as_str()),
        ("ns", ns),
        ("outcome", outcome),
    ];
    let mut evidence = vec![facts.evidence(failed.origin)];
    if let Some(o) = pod.and_then(|(_, p)| p.origins.last()) {
        evidence.push(facts.evidence(*o));
    }
    let subject = crate::report::Subject::on(
        crate::report::SubjectKind::Pod,
        Some(ns),
        Some(pod_name),
        pod.map(|(service, _)| service.clone()),
    );
    sink.report(
        &RULE,
        subject,
        facts.fill(message, &values),
        evidence,
        facts.fill(fix, &values),
    );
}
