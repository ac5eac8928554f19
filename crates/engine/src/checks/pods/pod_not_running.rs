//! POD401 pod-not-running (see [`RULE`]).

use crate::checks::pods::service_pods;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The phase or STATUS of the pods a Service selects: Pending,
/// CrashLoopBackOff, ImagePullBackOff, Error, Completed, ContainerCreating ...
///
/// ## Why it matters
/// Only running, ready pods become endpoints. A pod that is not running
/// serves nothing, and the Service loses it.
///
/// ## Evidence
/// The rows of the pods that are not running.
///
/// ## Fix
/// Read the pod's events and its previous logs, and fix the cause (image
/// name, crashing app, unschedulable resources).
pub static RULE = Rule {
    code: "POD401",
    slug: "pod-not-running",
    severity: Severity::Error,
    step: StepId::B4,
    summary: crate::text!("Pending, CrashLoopBackOff, ImagePullBackOff, Error, Completed ...", "Pod 处于 Pending、CrashLoopBackOff、ImagePullBackOff、Error、Completed 等状态"),
    explains: &[&crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::endpoints::endpoints_not_ready::RULE, &crate::checks::pods::pod_not_ready::RULE, &crate::checks::pods::pod_direct_probe_fails::RULE, &crate::checks::pods::pod_restarting::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let pods = service_pods(facts);
    let with_phase: Vec<_> = pods.iter().filter(|(_, p)| p.phase.is_some()).collect();
    if with_phase.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let down: Vec<_> = with_phase
        .iter()
        .copied()
        .filter(|(_, p)| p.phase != Some("Running"))
        .collect();
    // One Service's pods: the first with a pod down (the Service in
    // question's, when it has one).
    let down = crate::checks::pods::of_first_service(&down);
    if down.is_empty() {
        return;
    }
    let with_phase: Vec<_> = with_phase
        .into_iter()
        .filter(|(s, _)| *s == down[0].0)
        .collect();
    let list: Vec<String> = down
        .iter()
        .map(|(_, p)| {
            format!(
                "{} ({})",
                p.name.unwrap_or(facts.not_shown()),
                p.phase.unwrap_or(facts.not_shown())
            )
        })
        .collect();
    let message = facts.fill(
        crate::text!(
            "{n} of {all} pods of Service {svc} are not running: {list}",
            "Service {svc} 的 {all} 个 Pod 中有 {n} 个未运行：{list}"
        ),
        &[
            ("n", &down.len().to_string()),
            ("all", &with_phase.len().to_string()),
            ("svc", &down[0].0.label()),
            ("list", &list.join(", ")),
        ],
    );
    let message = message + crate::checks::pods::tie_note(facts, &down);
    let (_, first) = down[0];
    let ns = first.namespace.unwrap_or("default");
    let name = first.name.unwrap_or("POD");
    let fix = facts.fill(
        crate::text!("Read why: kubectl describe pod {pod} -n {ns} (Events) and kubectl logs {pod} -n {ns} --previous; fix the image, command, config or resources it reports.", "查看原因：kubectl describe pod {pod} -n {ns}（Events）和 kubectl logs {pod} -n {ns} --previous；按提示修正镜像、命令、配置或资源。"),
        &[("pod", name), ("ns", ns)],
    );
    let evidence = down
        .iter()
        .filter_map(|(_, p)| p.origins.first())
        .map(|o| facts.evidence(*o))
        .collect();
    sink.report(
        &RULE,
        crate::checks::pods::subject(&down[0].0, first),
        message,
        evidence,
        fix,
    );
}
