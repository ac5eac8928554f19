//! Pods (step B4): running, ready, serving on the target port.

pub mod app_listens_on_localhost;
pub mod pod_direct_probe_fails;
pub mod pod_not_ready;
pub mod pod_not_running;
pub mod pod_restarting;

use crate::checks::view::{backend_pods, PodInfo};
use crate::checks::Facts;
use crate::report::ServiceRef;

/// The pods of the Services asked about, each once, with their Service.
/// Built once per diagnosis: every pod rule asks for them.
pub fn service_pods<'m>(facts: &Facts<'m>) -> Vec<(ServiceRef, PodInfo<'m>)> {
    facts
        .service_pods
        .get_or_init(|| {
            let mut out: Vec<(ServiceRef, PodInfo<'m>)> = Vec::new();
            // Each pod once, with the first Service that has it.
            let mut seen = std::collections::BTreeSet::new();
            for svc in facts.user_services() {
                let Some(reference) = svc.reference() else {
                    continue;
                };
                for pod in backend_pods(facts.model, &svc) {
                    if seen.insert((pod.namespace, pod.name)) {
                        out.push((reference.clone(), pod));
                    }
                }
            }
            out
        })
        .clone()
}
