//! Pods (step B4): running, ready, serving on the target port.

pub mod app_listens_ipv4_only;
pub mod app_listens_on_localhost;
pub mod pod_direct_probe_fails;
pub mod pod_not_ready;
pub mod pod_not_running;
pub mod pod_restarting;
pub mod readiness_probe_failing;
pub mod sidecar_not_ready;

use crate::checks::Facts;
use crate::context::view::{backend_pods, PodInfo};
use crate::report::ServiceRef;

/// The pods of the Services asked about, each once, with their Service.
/// Built once per diagnosis: every pod rule asks for them.
pub fn service_pods<'m>(facts: &Facts<'m>) -> Vec<(ServiceRef, PodInfo<'m>)> {
    facts
        .service_pods
        .get_or_init(|| {
            let mut out: Vec<(ServiceRef, PodInfo<'m>)> = Vec::new();
            // The Service in question first: a pod it shares with another
            // Service is its, and its pods come first in every finding.
            let mut services = facts.user_services();
            if let Some(q) = facts.case.service.as_ref().map(|q| &q.service) {
                services.sort_by_key(|s| !s.reference().is_some_and(|r| r.same(q)));
            }
            for svc in services {
                let Some(reference) = svc.reference() else {
                    continue;
                };
                for pod in backend_pods(facts.model, &svc) {
                    out.push((reference.clone(), pod));
                }
            }
            first_of_each(out)
        })
        .clone()
}

/// Each pod once (by namespace and name), with the first Service that has
/// it, in the order found.
fn first_of_each<'m>(found: Vec<(ServiceRef, PodInfo<'m>)>) -> Vec<(ServiceRef, PodInfo<'m>)> {
    let names: Vec<&str> = found.iter().map(|(_, p)| p.name.unwrap_or("")).collect();
    let order = crate::model::sorted_positions(&names);
    let mut keep = vec![true; found.len()];
    // Equal names are adjacent in `order`, each run in the order found.
    for (k, &i) in order.iter().enumerate() {
        let pod = &found[i as usize].1;
        let earlier = order[..k]
            .iter()
            .rev()
            .take_while(|&&j| names[j as usize] == names[i as usize])
            .any(|&j| found[j as usize].1.namespace == pod.namespace);
        if earlier {
            keep[i as usize] = false;
        }
    }
    found
        .into_iter()
        .zip(keep)
        .filter_map(|(item, keep)| keep.then_some(item))
        .collect()
}

/// The rows of `pods` that belong to the Service of the first of `picked`:
/// a finding speaks of one Service's pods.
pub fn of_first_service<'a, 'm>(
    picked: &[&'a (ServiceRef, PodInfo<'m>)],
) -> Vec<&'a (ServiceRef, PodInfo<'m>)> {
    let Some((first, _)) = picked.first() else {
        return Vec::new();
    };
    picked.iter().copied().filter(|(s, _)| s == first).collect()
}

/// What a finding about a pod of a Service is about: the pod, on that
/// Service's path.
pub fn subject(svc: &ServiceRef, pod: &PodInfo<'_>) -> crate::report::Subject {
    crate::report::Subject::on(
        crate::report::SubjectKind::Pod,
        pod.namespace,
        pod.name,
        Some(svc.clone()),
    )
}

/// Said after a finding about pods tied to their Service by name alone.
pub fn tie_note(facts: &Facts<'_>, pods: &[&(ServiceRef, PodInfo<'_>)]) -> &'static str {
    if !pods.is_empty() && pods.iter().all(|(_, p)| p.by_name_only) {
        facts.tr(crate::text!(
            " (taken to be its pods by their names: its selector was not pasted)",
            "（按名称判断为它的 Pod：未粘贴其 selector）"
        ))
    } else {
        ""
    }
}
