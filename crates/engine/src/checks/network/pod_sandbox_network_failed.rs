//! NET505 pod-sandbox-network-failed (see [`RULE`]).

use crate::checks::events::{evidence, pods, tied, times};
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::Event;
use crate::report::{Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// `FailedCreatePodSandBox` events whose message says the CNI plugin could
/// not set up the pod's network (`failed to setup network for sandbox`,
/// `networkPlugin cni failed`, `plugin type="calico" failed (add)`, no free
/// IP addresses, a missing plugin binary or config file).
///
/// ## Why it matters
/// Without its network the pod never starts (it stays `ContainerCreating`):
/// it gets no IP and no endpoint. The same failure hits every new pod on
/// that node, so it is a cluster network problem, not the app's.
///
/// ## Evidence
/// The events' lines.
///
/// ## Fix
/// Look at the CNI plugin on the pod's node (its pods in kube-system, their
/// logs, `/etc/cni/net.d` and `/opt/cni/bin` on the node) and fix what the
/// message names.
pub static RULE = Rule {
    code: "NET505",
    slug: "pod-sandbox-network-failed",
    severity: Severity::Error,
    step: StepId::B5,
    summary: crate::text!("FailedCreatePodSandBox events: the CNI plugin could not set up the pods' network", "FailedCreatePodSandBox 事件：CNI 插件无法为 Pod 配置网络"),
    explains: &[&crate::checks::pods::pod_not_running::RULE, &crate::checks::pods::pod_not_ready::RULE, &crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::endpoints::endpoints_not_ready::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE],
    check,
};
}

fn is_network_failure(event: &Event) -> bool {
    let lower = event.message.to_ascii_lowercase();
    event.reason == "FailedCreatePodSandBox"
        && ["network", "cni", "plugin type="]
            .iter()
            .any(|w| lower.contains(w))
}

/// The CNI plugin a message names: `plugin type="calico"`, else `cni`.
fn plugin(message: &str) -> Option<&str> {
    let (_, after) = message.split_once("plugin type=\"")?;
    after.split('"').next().filter(|p| !p.is_empty())
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let found = tied(facts, is_network_failure);
    let Some((service, first)) = found.first() else {
        return;
    };
    let found: Vec<_> = found.iter().filter(|(s, _)| s == service).collect();
    // What the runtime was told, without the gRPC wrapping.
    let said = first
        .message
        .rsplit_once("desc = ")
        .map_or(first.message.as_str(), |(_, d)| d);
    let message = facts.fill(
        crate::text!(
            "{pods} cannot start: the CNI plugin{plugin} fails to set up the network ({said}){times}",
            "{pods} 无法启动：CNI 插件{plugin}无法配置网络（{said}）{times}"
        ),
        &[
            ("pods", &pods(facts, &found)),
            (
                "plugin",
                &plugin(&first.message).map_or(String::new(), |p| format!(" {p}")),
            ),
            ("said", said),
            ("times", &times(facts, first)),
        ],
    );
    let fix = facts.tr(crate::text!(
        "Look at the CNI plugin on the pods' node: kubectl get pods -n kube-system -o wide (its pod on that node) and kubectl logs -n kube-system POD; on the node, /etc/cni/net.d and /opt/cni/bin. Fix what the message names: a missing config or subnet file, a missing plugin binary, no free IP addresses, the plugin's credentials.",
        "检查 Pod 所在节点上的 CNI 插件：kubectl get pods -n kube-system -o wide（该节点上的插件 Pod）以及 kubectl logs -n kube-system POD；在节点上查看 /etc/cni/net.d 和 /opt/cni/bin。按消息修正：缺少配置或子网文件、缺少插件二进制、没有可用 IP 地址、插件的凭据。"
    ));
    let subject = match service {
        Some(svc) => Subject::on(
            SubjectKind::Pod,
            first.namespace.as_deref(),
            first.name.as_deref(),
            Some(svc.clone()),
        ),
        None => Subject::on(SubjectKind::Network, None, None, None),
    };
    let evidence = evidence(facts, found.iter().map(|(_, e)| *e));
    sink.report(&RULE, subject, message, evidence, fix.to_string());
}
