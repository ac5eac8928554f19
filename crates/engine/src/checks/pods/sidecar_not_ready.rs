//! POD407 sidecar-not-ready (see [`RULE`]).

use crate::checks::pods::service_pods;
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{Container, ContainerReady};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Running pods of a Service that are not Ready while their app container
/// is: the container that is not ready is a sidecar (a native sidecar, an
/// init container with `restartPolicy: Always` still running; a
/// well-known proxy or agent such as `istio-proxy`; or a container that
/// serves no port beside one that does). Read from the Pod's
/// `containerStatuses` and `initContainerStatuses`, or the `Ready:` lines
/// of `kubectl describe pod`.
///
/// ## Why it matters
/// A pod is Ready only when every container is, sidecars included: one
/// sidecar failing its readiness probe (a mesh proxy that cannot reach its
/// control plane, an agent without its secret) takes the pod out of the
/// Service's endpoints although the app answers. Looking at the app finds
/// nothing wrong.
///
/// ## Evidence
/// The readiness of each container of the pods.
///
/// ## Fix
/// Look at the sidecar: its logs and its readiness probe
/// (`kubectl logs POD -c SIDECAR`, `kubectl describe pod POD`), and what it
/// waits for (for a mesh proxy, its control plane).
pub static RULE = Rule {
    code: "POD407",
    slug: "sidecar-not-ready",
    severity: Severity::Error,
    step: StepId::B4,
    summary: crate::text!("pods not Ready because a sidecar container is not, while the app container is", "Pod 未就绪是因为 sidecar 容器未就绪，而应用容器已就绪"),
    explains: &[
        &crate::checks::pods::pod_not_ready::RULE,
        &crate::checks::pods::readiness_probe_failing::RULE,
        &crate::checks::endpoints::endpoints_not_ready::RULE,
        &crate::checks::endpoints::no_ready_endpoints::RULE,
    ],
    check,
};
}

/// Sidecars that meshes and platforms inject (kept by masking too).
pub const KNOWN_SIDECARS: &[&str] = &[
    "istio-proxy",
    "linkerd-proxy",
    "envoy",
    "envoy-sidecar",
    "consul-dataplane",
    "kuma-sidecar",
    "daprd",
    "cloud-sql-proxy",
    "vault-agent",
    "oauth2-proxy",
    "aws-appmesh-envoy",
];

/// Whether an unready container is a sidecar beside ready `app`
/// containers: `spec` says which containers serve ports.
fn is_sidecar(c: &ContainerReady, spec: Option<&[Container]>) -> bool {
    if c.init || KNOWN_SIDECARS.contains(&c.name.as_str()) {
        return true;
    }
    // A container that serves no port, beside one that does.
    spec.is_some_and(|cs| {
        let serves = |name: &str| {
            cs.iter()
                .any(|x| x.name.as_deref() == Some(name) && !x.ports.is_empty())
        };
        !serves(&c.name) && cs.iter().any(|x| !x.ports.is_empty())
    })
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let mut hits = Vec::new();
    for (svc, info) in service_pods(facts) {
        if info.ready == Some(true) || info.phase.is_some_and(|ph| ph != "Running") {
            continue;
        }
        let Some(pod) = facts
            .model
            .pods
            .iter()
            .find(|p| p.name.as_deref() == info.name && !p.containers_ready.is_empty())
        else {
            continue;
        };
        let statuses = &pod.containers_ready;
        let spec = pod.spec.containers.as_deref();
        let unready: Vec<&ContainerReady> = statuses.iter().filter(|c| !c.ready).collect();
        let app_ready: Vec<&ContainerReady> =
            statuses.iter().filter(|c| c.ready && !c.init).collect();
        if unready.is_empty()
            || app_ready.is_empty()
            || !unready.iter().all(|c| is_sidecar(c, spec))
        {
            continue;
        }
        hits.push((svc, info, unready, app_ready));
    }
    let Some((svc, first, sidecars, apps)) = hits.first() else {
        return;
    };
    let hits: Vec<_> = hits.iter().filter(|(s, ..)| s == svc).collect();
    let pods: Vec<&str> = hits
        .iter()
        .map(|(_, p, ..)| p.name.unwrap_or(facts.not_shown()))
        .collect();
    let mut sidecar_names: Vec<&str> = hits
        .iter()
        .flat_map(|(_, _, s, _)| s.iter().map(|c| c.name.as_str()))
        .collect();
    sidecar_names.sort_unstable();
    sidecar_names.dedup();
    let app_names: Vec<&str> = apps.iter().map(|c| c.name.as_str()).collect();
    let message = facts.fill(
        crate::text!("pods of Service {svc} are not ready because sidecar {sidecars} is not, while {apps} is ready: {pods}", "Service {svc} 的 Pod 未就绪，原因是 sidecar {sidecars} 未就绪，而 {apps} 已就绪：{pods}"),
        &[
            ("svc", &svc.label()),
            ("sidecars", &sidecar_names.join(", ")),
            ("apps", &app_names.join(", ")),
            ("pods", &pods.join(", ")),
        ],
    );
    let fix = facts.fill(
        crate::text!("Look at the sidecar, not the app: kubectl logs {pod} -n {ns} -c {sidecar}, and its readiness probe in kubectl describe pod {pod} -n {ns} (a mesh proxy waits for its control plane)", "查看 sidecar 而不是应用：kubectl logs {pod} -n {ns} -c {sidecar}，以及 kubectl describe pod {pod} -n {ns} 中它的就绪探针（网格代理在等待其控制平面）"),
        &[
            ("pod", first.name.unwrap_or("POD")),
            ("ns", first.namespace.unwrap_or("default")),
            ("sidecar", sidecars[0].name.as_str()),
        ],
    );
    let evidence = hits
        .iter()
        .flat_map(|(_, _, s, a)| s.iter().chain(a.iter()).map(|c| c.origin))
        .take(6)
        .map(|o| facts.evidence(o))
        .collect();
    sink.report(
        &RULE,
        crate::checks::pods::subject(svc, first),
        message,
        evidence,
        fix,
    );
}
