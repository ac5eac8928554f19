//! Pods (step B4): running, ready, serving on the target port.

pub mod app_listens_on_localhost;
pub mod pod_direct_probe_fails;
pub mod pod_not_ready;
pub mod pod_not_running;
pub mod pod_restarting;

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
            for svc in facts.user_services() {
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
