//! What the probes of the Service in question showed, in words: "your
//! Service answers on its cluster IP". A learner following the tutorial
//! reads where they stand before the flowchart's next step.

use crate::checks::Facts;
use crate::context::view::ServiceView;
use crate::model::ProbeOutcome;
use crate::report::{Reached, Via};

/// The Service in question among the pasted ones (else the first).
pub fn target<'s, 'm>(
    facts: &Facts<'_>,
    services: &'s [ServiceView<'m>],
) -> Option<&'s ServiceView<'m>> {
    let in_question = facts.case.service.as_ref().map(|q| &q.service);
    in_question
        .and_then(|q| {
            services
                .iter()
                .find(|s| s.reference().is_some_and(|r| r.same(q)))
        })
        .or_else(|| services.first())
}

/// Each probe of the Service in question (by name, cluster IP or node
/// port), what it got, in the report's language.
pub fn reached(facts: &Facts<'_>) -> Vec<Reached> {
    let services = facts.user_services();
    let Some(service) = target(facts, &services) else {
        return Vec::new();
    };
    let cluster_ip = service.cluster_ip();
    let (ports, _) = service.ports();
    let mut out = Vec::new();
    for probe in &facts.model.probes {
        let (Some(host), Some(outcome)) = (probe.host.as_deref(), probe.outcome) else {
            continue;
        };
        let by_name = service
            .name
            .is_some_and(|n| host == n || host.starts_with(&format!("{n}.")));
        let via = if by_name {
            Via::Name
        } else if Some(host) == cluster_ip {
            Via::ClusterIp
        } else if probe.port.is_some()
            && ports
                .iter()
                .any(|p| p.node_port.is_some() && p.node_port == probe.port)
        {
            Via::NodePort
        } else {
            continue;
        };
        let target = match probe.port {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        let answered = outcome == ProbeOutcome::Ok && !probe.intermittent;
        let text = match (answered, via) {
            (true, Via::ClusterIp) => crate::text!(
                "Your Service answers on its cluster IP ({target}): the Service, its endpoints and kube-proxy work for this client. If the name fails, the DNS steps (A) are next.",
                "你的 Service 在其 cluster IP（{target}）上有响应：对这个客户端来说，Service、Endpoints 和 kube-proxy 都正常。如果用名称访问失败，接下来看 DNS 步骤（A）。"
            ),
            (true, Via::NodePort) => crate::text!(
                "Your Service answers on its node port ({target}).",
                "你的 Service 在其 NodePort（{target}）上有响应。"
            ),
            (true, _) => crate::text!(
                "Your Service answers by its name ({target}): DNS and the Service work for this client.",
                "你的 Service 通过名称（{target}）有响应：对这个客户端来说，DNS 和 Service 都正常。"
            ),
            (false, Via::ClusterIp) => crate::text!(
                "A probe of your Service's cluster IP ({target}) got no answer: {outcome}.",
                "访问 Service 的 cluster IP（{target}）没有得到响应：{outcome}。"
            ),
            (false, Via::NodePort) => crate::text!(
                "A probe of your Service's node port ({target}) got no answer: {outcome}.",
                "访问 Service 的 NodePort（{target}）没有得到响应：{outcome}。"
            ),
            (false, _) => crate::text!(
                "A probe of your Service by its name ({target}) got no answer: {outcome}.",
                "通过名称访问 Service（{target}）没有得到响应：{outcome}。"
            ),
        };
        let outcome_words = match (outcome, probe.intermittent) {
            (_, true) => crate::text!("it answers only now and then", "只是时有时无地响应"),
            (ProbeOutcome::Refused, _) => crate::text!("connection refused", "连接被拒绝"),
            (ProbeOutcome::Timeout, _) => crate::text!("the connection timed out", "连接超时"),
            (ProbeOutcome::NoRoute, _) => crate::text!("no route to the host", "没有到主机的路由"),
            (ProbeOutcome::Dns, _) => crate::text!("the name did not resolve", "名称无法解析"),
            (ProbeOutcome::Reset, _) => crate::text!("the connection was reset", "连接被重置"),
            _ => crate::text!("it failed", "访问失败"),
        };
        out.push(Reached {
            via,
            target: target.clone(),
            answered,
            said: facts
                .tr(text)
                .replace("{target}", &target)
                .replace("{outcome}", facts.tr(outcome_words)),
            evidence: facts.evidence(probe.origin),
        });
    }
    out
}
