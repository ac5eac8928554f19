//! KP601 kube-proxy-not-running (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::Origin;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// That kube-proxy runs: a `kube-proxy` process in `ps` output, or
/// kube-proxy pods in `kube-system`, Running. A kube-proxy replacement
/// (Cilium's agent, kube-router) counts as running.
///
/// ## Why it matters
/// kube-proxy writes the rules that turn a cluster IP into pod IPs. Without
/// it (or a replacement) nothing answers on any cluster IP.
///
/// ## Evidence
/// The `ps | grep kube-proxy` output that shows only the grep, the
/// kube-system listing without kube-proxy pods, or the kube-proxy pods that
/// are not running.
///
/// ## Fix
/// Start kube-proxy (`systemctl start kube-proxy`, or fix its DaemonSet), or
/// install the replacement the cluster is meant to use.
pub static RULE = Rule {
    code: "KP601",
    slug: "kube-proxy-not-running",
    severity: Severity::Error,
    step: StepId::B7,
    summary: crate::text!("no kube-proxy process / pods (unless a replacement such as Cilium's is detected)", "没有 kube-proxy 进程或 Pod（检测到 Cilium 等替代组件时除外）"),
    explains: &[&crate::checks::rules::ipt_service_rule_missing::RULE, &crate::checks::rules::ipvs_virtual_server_missing::RULE, &crate::checks::rules::nft_service_element_missing::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
    check,
};
}

/// A kube-proxy replacement runs: Cilium's agent or kube-router. A
/// `cilium status` that says the replacement is off outweighs Cilium's
/// pods (Cilium then leaves Services to kube-proxy).
fn replacement(facts: &Facts<'_>) -> bool {
    if let Some(said) = facts.model.kube_proxy_replaced() {
        return said;
    }
    facts
        .model
        .processes
        .iter()
        .any(|p| matches!(p.program.as_deref(), Some("cilium-agent" | "kube-router")) && !p.is_grep)
        || facts.model.pods.iter().any(|p| {
            let n = p.name.as_deref().unwrap_or("");
            (n.starts_with("cilium-") && !n.starts_with("cilium-operator"))
                || n.starts_with("kube-router-")
        })
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let model = facts.model;
    let procs: Vec<_> = model
        .processes
        .iter()
        .filter(|p| p.command.contains("kube-proxy"))
        .collect();
    let running_proc = procs
        .iter()
        .any(|p| p.program.as_deref() == Some("kube-proxy") && !p.is_grep);
    let pods: Vec<_> = model
        .pods
        .iter()
        .filter(|p| {
            p.name
                .as_deref()
                .is_some_and(|n| n.starts_with("kube-proxy-"))
        })
        .collect();
    let running_pod = pods
        .iter()
        .any(|p| p.phase.as_deref().is_none_or(|s| s == "Running") && p.ready != Some(false));
    if running_proc || running_pod || !model.proxy_logs.is_empty() {
        sink.checked(RULE.step);
        if running_proc || running_pod || pods.is_empty() {
            return;
        }
    }
    if replacement(facts) {
        sink.checked(RULE.step);
        return;
    }
    // Evidence of absence: a grep that found only itself, a kube-system pod
    // listing without kube-proxy, or kube-proxy pods that are down.
    let mut evidence: Vec<Origin> = Vec::new();
    let mut why = "";
    if !pods.is_empty() {
        evidence.extend(pods.iter().map(|p| p.origin));
        why = "pods";
    } else if let Some(grep) = facts.artifacts.iter().find(|a| {
        a.kind == crate::ArtifactKind::ProcessList
            && a.command
                .as_ref()
                .is_some_and(|c| c.text.contains("kube-proxy"))
    }) {
        evidence.push(Origin {
            artifact: grep.index,
            source: grep.source,
            lines: [grep.first_line, grep.last_line],
        });
        why = "process";
    } else if let Some(listing) = crate::context::view::system_pod_listing(model, facts.artifacts) {
        // Only a full listing says kube-proxy is absent; kubeadm clusters
        // run it there.
        let lists_system = model.pods.iter().any(|p| {
            p.origin.artifact == listing.index
                && p.name.as_deref().is_some_and(|n| {
                    n.starts_with("kube-apiserver")
                        || n.starts_with("etcd-")
                        || n.starts_with("kube-scheduler")
                })
        });
        if lists_system {
            evidence.push(Origin {
                artifact: listing.index,
                source: listing.source,
                lines: [listing.first_line, listing.last_line],
            });
            why = "listing";
        }
    }
    if evidence.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let message = match why {
        "pods" => facts.tr(crate::text!(
            "the kube-proxy pods are not running",
            "kube-proxy Pod 没有在运行"
        )),
        "process" => facts.tr(crate::text!(
            "no kube-proxy process runs on the node (ps shows only the grep)",
            "节点上没有运行 kube-proxy 进程（ps 只显示了 grep 本身）"
        )),
        _ => facts.tr(crate::text!(
            "no kube-proxy pod runs in kube-system",
            "kube-system 中没有运行 kube-proxy Pod"
        )),
    }
    .to_string();
    let fix = facts.tr(crate::text!("Start kube-proxy: on a binary install systemctl enable --now kube-proxy (then journalctl -u kube-proxy); on kubeadm check the DaemonSet: kubectl -n kube-system get ds kube-proxy; kubectl -n kube-system describe ds kube-proxy.", "启动 kube-proxy：二进制部署用 systemctl enable --now kube-proxy（再看 journalctl -u kube-proxy）；kubeadm 部署检查 DaemonSet：kubectl -n kube-system get ds kube-proxy；kubectl -n kube-system describe ds kube-proxy。")).to_string();
    sink.report(
        &RULE,
        facts.kube_proxy_subject(None),
        message,
        evidence.into_iter().map(|o| facts.evidence(o)).collect(),
        fix,
    );
}
