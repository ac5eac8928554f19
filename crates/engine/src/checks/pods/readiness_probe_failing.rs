//! POD406 readiness-probe-failing (see [`RULE`]).

use crate::checks::events::{evidence, pods, tied, times};
use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::pod_facts;
use crate::model::Event;
use crate::report::{Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Events that a pod of the Service fails its readiness (or startup) probe:
/// `Unhealthy` with `Readiness probe failed: ...`, from `kubectl get events`,
/// the Events of `kubectl describe pod`, or Event objects. A pod that is
/// Ready now (its probe failed only while it started) is left alone.
///
/// ## Why it matters
/// A pod that fails its readiness probe is taken out of the Service's
/// endpoints: with every pod failing, the Service has no endpoint and
/// kube-proxy rejects or drops its connections. The probe's message says
/// why: refused (nothing listens on the probe's port), an HTTP status (the
/// app answers, but not healthy, or the path is wrong), or a timeout.
///
/// ## Evidence
/// The events' lines.
///
/// ## Fix
/// Compare the probe (port, path, timeout) with what the app serves, from
/// inside the pod, and fix the probe or the app.
pub static RULE = Rule {
    code: "POD406",
    slug: "readiness-probe-failing",
    severity: Severity::Error,
    step: StepId::B4,
    summary: crate::text!("events show the pods failing their readiness probe (refused, an HTTP status, a timeout)", "事件显示 Pod 的就绪探针失败（被拒绝、HTTP 状态码、超时）"),
    explains: &[&crate::checks::pods::pod_not_ready::RULE, &crate::checks::endpoints::endpoints_not_ready::RULE, &crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
    check,
};
}

/// What a failed probe got.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Failure {
    Refused,
    Status(u16),
    Timeout,
    Other,
}

fn failure(message: &str) -> Failure {
    let lower = message.to_ascii_lowercase();
    if lower.contains("connection refused") {
        Failure::Refused
    } else if let Some((_, code)) = lower.split_once("statuscode:") {
        code.trim()
            .get(..3)
            .and_then(|c| c.parse().ok())
            .map_or(Failure::Other, Failure::Status)
    } else if lower.contains("timeout") || lower.contains("deadline exceeded") {
        Failure::Timeout
    } else {
        Failure::Other
    }
}

fn is_probe_failure(event: &Event) -> bool {
    event.kind.as_deref() == Some("Pod")
        && (event.message.starts_with("Readiness probe failed")
            || event.message.starts_with("Startup probe failed"))
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    // A pod shown Ready (in its latest row) passed its probe since.
    let ready_now = |event: &Event| {
        event.name.as_deref().is_some_and(|name| {
            pod_facts(facts.model, event.namespace.as_deref(), name)
                .iter()
                .rev()
                .find_map(|p| p.ready)
                == Some(true)
        })
    };
    let found = tied(facts, |e| is_probe_failure(e) && !ready_now(e));
    let Some((service, first)) = found.first() else {
        return;
    };
    // One Service's pods per finding: the first one's.
    let found: Vec<_> = found.iter().filter(|(s, _)| s == service).collect();
    let pod = first.name.as_deref().unwrap_or(facts.not_shown());
    let ns = first.namespace.as_deref().unwrap_or("default");
    let said = first.message.clone() + &times(facts, first);
    let why = match failure(&first.message) {
        Failure::Refused => facts.tr(crate::text!(
            "the probe's connection is refused: nothing listens on the probe's port (a wrong port in the probe, or an app that is not listening yet)",
            "探针的连接被拒绝：探针端口上没有进程监听（探针端口写错，或应用尚未开始监听）"
        )),
        Failure::Status(_) => facts.tr(crate::text!(
            "the app answers the probe with an error status: it reports itself not ready at that path, or the path is wrong",
            "应用以错误状态码回应探针：它在该路径上报告自己未就绪，或探针路径写错"
        )),
        Failure::Timeout => facts.tr(crate::text!(
            "the probe times out: the app does not answer within the probe's timeoutSeconds (slow, overloaded or blocked)",
            "探针超时：应用没有在探针的 timeoutSeconds 内回应（过慢、过载或被阻塞）"
        )),
        Failure::Other => facts.tr(crate::text!(
            "the probe fails with the message shown",
            "探针失败，消息如上"
        )),
    };
    let message = facts.fill(
        crate::text!(
            "the readiness probe of {pods} fails ({said}): {why}",
            "{pods} 的就绪探针失败（{said}）：{why}"
        ),
        &[
            ("pods", &pods(facts, &found)),
            ("said", &said),
            ("why", why),
        ],
    );
    let fix = match failure(&first.message) {
        Failure::Refused => facts.fill(
            crate::text!(
                "Compare the probe's port with the port the app listens on: kubectl get pod {pod} -n {ns} -o yaml (readinessProbe, ports) and kubectl logs {pod} -n {ns}; fix the probe's port, or make the app listen on it.",
                "比较探针端口与应用监听的端口：kubectl get pod {pod} -n {ns} -o yaml（readinessProbe、ports）以及 kubectl logs {pod} -n {ns}；修正探针端口，或让应用监听该端口。"
            ),
            &[("pod", pod), ("ns", ns)],
        ),
        Failure::Status(_) => facts.fill(
            crate::text!(
                "Check the probe's path and what the app answers there: kubectl get pod {pod} -n {ns} -o yaml (readinessProbe.httpGet) and kubectl logs {pod} -n {ns}; fix the path, or what keeps the app from being ready (a dependency it waits for).",
                "检查探针路径以及应用在该路径上的回应：kubectl get pod {pod} -n {ns} -o yaml（readinessProbe.httpGet）以及 kubectl logs {pod} -n {ns}；修正路径，或解决让应用无法就绪的问题（例如它在等待的依赖）。"
            ),
            &[("pod", pod), ("ns", ns)],
        ),
        Failure::Timeout | Failure::Other => facts.fill(
            crate::text!(
                "Read the probe and the app's logs: kubectl get pod {pod} -n {ns} -o yaml (readinessProbe) and kubectl logs {pod} -n {ns}; fix the app, or give the probe a longer timeoutSeconds or initialDelaySeconds if the app is only slow.",
                "查看探针设置和应用日志：kubectl get pod {pod} -n {ns} -o yaml（readinessProbe）以及 kubectl logs {pod} -n {ns}；修复应用，如果只是启动慢，就调大探针的 timeoutSeconds 或 initialDelaySeconds。"
            ),
            &[("pod", pod), ("ns", ns)],
        ),
    };
    let evidence = evidence(facts, found.iter().map(|(_, e)| *e));
    sink.report(
        &RULE,
        Subject::on(
            SubjectKind::Pod,
            first.namespace.as_deref(),
            first.name.as_deref(),
            service.clone(),
        ),
        message,
        evidence,
        fix,
    );
}
