//! POD404 app-listens-on-localhost (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::TargetPort;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Listening sockets shown by `ss -lntp` or `netstat -tlnp` inside a pod: the
/// Service's target port must be bound on all addresses (`0.0.0.0`, `::`,
/// `*`) or the pod IP, not only on `127.0.0.1` or `::1`.
///
/// ## Why it matters
/// An app bound to localhost answers `curl localhost` inside its container
/// and refuses every connection from outside it, Service traffic included.
///
/// ## Evidence
/// The loopback-only listening socket.
///
/// ## Fix
/// Configure the app to listen on 0.0.0.0 (for example `--host 0.0.0.0`,
/// `server.address`, `bind`).
pub static RULE = Rule {
    code: "POD404",
    slug: "app-listens-on-localhost",
    severity: Severity::Error,
    step: StepId::B4,
    summary: crate::text!("the app listens on 127.0.0.1/::1 only", "应用只监听在 127.0.0.1/::1 上"),
    explains: &[&crate::checks::pods::pod_direct_probe_fails::RULE, &crate::checks::service::targetport_not_declared::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let sockets = &facts.model.sockets;
    if sockets.is_empty() {
        return;
    }
    sink.checked(RULE.step);
    let mut targets: Vec<u32> = Vec::new();
    for svc in facts.user_services() {
        for p in svc.ports().0 {
            match &p.target_port {
                Some(TargetPort::Number(n)) => targets.push(*n),
                None => targets.extend(p.port),
                Some(TargetPort::Name(_)) => {}
            }
        }
    }
    let loopback =
        |a: &str| a == "127.0.0.1" || a == "::1" || a == "localhost" || a.starts_with("127.");
    for s in sockets
        .iter()
        .filter(|s| loopback(&s.local_address) && !on_node(facts, s))
    {
        let Some(port) = s.local_port else { continue };
        if !targets.is_empty() && !targets.contains(&port) {
            continue;
        }
        let open_elsewhere = sockets.iter().any(|o| {
            o.local_port == Some(port) && !loopback(&o.local_address) && o.protocol == s.protocol
        });
        if open_elsewhere {
            continue;
        }
        let process = s.process.clone().unwrap_or_else(|| "the app".into());
        let pod = listing_pod(facts, s);
        let message = match pod {
            Some(pod) => facts.fill(
                crate::text!("{process} in pod {pod} listens on {addr}:{port} only: connections from outside the pod are refused", "Pod {pod} 中的 {process} 只监听在 {addr}:{port}：来自 Pod 外部的连接都会被拒绝"),
                &[("process", &process), ("pod", pod), ("addr", &s.local_address), ("port", &port.to_string())],
            ),
            None => facts.fill(
                crate::text!("{process} listens on {addr}:{port} only: connections from outside the pod are refused", "{process} 只监听在 {addr}:{port}：来自 Pod 外部的连接都会被拒绝"),
                &[("process", &process), ("addr", &s.local_address), ("port", &port.to_string())],
            ),
        };
        let fix = facts.fill(
            crate::text!("Make {process} listen on 0.0.0.0:{port} (all addresses): set its bind/host option (for example --host 0.0.0.0) in the container's command or config.", "让 {process} 监听 0.0.0.0:{port}（所有地址）：在容器命令或配置中设置 bind/host 选项（例如 --host 0.0.0.0）。"),
            &[("process", &process), ("port", &port.to_string())],
        );
        let subject = crate::report::Subject::on(
            crate::report::SubjectKind::Pod,
            None,
            pod,
            // The Service in question's, else the first pasted.
            facts
                .case
                .service
                .as_ref()
                .map(|q| q.service.clone())
                .or_else(|| facts.user_services().first().and_then(|v| v.reference())),
        );
        sink.report(&RULE, subject, message, vec![facts.evidence(s.origin)], fix);
        return;
    }
}

/// The pod a socket listing came from (`kubectl exec POD -- ss -lntp`).
pub(crate) fn listing_pod<'a>(facts: &Facts<'a>, s: &crate::model::Socket) -> Option<&'a str> {
    facts
        .artifacts
        .get(s.origin.artifact)
        .and_then(|a| match &a.client {
            crate::read::artifact::Client::Pod {
                name: Some(name), ..
            } => Some(name.as_str()),
            _ => None,
        })
}

/// Daemons of a node (and of its control plane) that listen on loopback by
/// design: kubelet's healthz on 127.0.0.1:10248, kube-proxy's metrics.
const NODE_DAEMONS: &[&str] = &[
    "kubelet",
    "kube-proxy",
    "containerd",
    "dockerd",
    "crio",
    "etcd",
    "kube-apiserver",
    "kube-controller",
    "kube-scheduler",
    "systemd-resolve",
    "sshd",
    "chronyd",
];

/// A socket of a node, not of a pod: `ss` run in a node's shell (its
/// prompt names a pasted Node), or a node daemon's listener.
pub(crate) fn on_node(facts: &Facts<'_>, s: &crate::model::Socket) -> bool {
    // `users:(("kubelet",pid=812,fd=20))` from ss, `812/kubelet` from netstat.
    let daemon = s.process.as_deref().is_some_and(|p| {
        p.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .any(|word| NODE_DAEMONS.iter().any(|d| word.starts_with(d)))
    });
    let node_shell = facts
        .artifacts
        .get(s.origin.artifact)
        .is_some_and(|a| match &a.client {
            crate::read::artifact::Client::Host(host) => facts
                .model
                .nodes
                .iter()
                .any(|n| n.name.as_deref() == Some(host.as_str())),
            _ => false,
        });
    daemon || node_shell
}
