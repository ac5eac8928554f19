//! Service definition (steps B1-B2): existence, kind, ports.

pub mod external_traffic_local_no_endpoint;
pub mod externalname_service;
pub mod headless_service;
pub mod load_balancer_not_provisioned;
pub mod named_targetport_missing;
pub mod nodeport_mismatch;
pub mod port_not_exposed;
pub mod protocol_mismatch;
pub mod service_not_found;
pub mod targetport_not_declared;
pub mod targetport_quoted_number;

use crate::checks::Facts;
use crate::context::view::{pods_selected, workloads_selected, ServiceView};
use crate::model::{Container, Origin, Probe};

/// The containers of the pods a Service selects, with where they were read
/// and who they belong to (`deployment web`, `pod web-1`).
pub fn selected_containers<'m>(
    facts: &Facts<'m>,
    svc: &ServiceView<'m>,
) -> Vec<(&'m [Container], Origin, String)> {
    let Some((selector, _)) = svc.selector_labels() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for w in workloads_selected(facts.model, svc.namespace, selector) {
        if let Some(cs) = &w.pod_spec.containers {
            let who = format!(
                "{} {}",
                w.kind.to_ascii_lowercase(),
                w.name.as_deref().unwrap_or(facts.not_shown())
            );
            out.push((
                cs.as_slice(),
                w.pod_spec.containers_origin.unwrap_or(w.origin),
                who,
            ));
        }
    }
    for p in pods_selected(facts.model, svc.namespace, selector) {
        if let Some(cs) = &p.spec.containers {
            let who = format!("pod {}", p.name.as_deref().unwrap_or(facts.not_shown()));
            out.push((
                cs.as_slice(),
                p.spec.containers_origin.unwrap_or(p.origin),
                who,
            ));
        }
    }
    out
}

/// Probes aimed at this Service: by name or by cluster IP.
pub fn probes_of<'m>(facts: &Facts<'m>, svc: &ServiceView<'m>) -> Vec<&'m Probe> {
    facts
        .model
        .probes
        .iter()
        .filter(|p| {
            p.host.as_deref().is_some_and(|h| {
                svc.cluster_ip() == Some(h)
                    || svc
                        .name
                        .is_some_and(|n| h == n || h.starts_with(&format!("{n}.")))
            })
        })
        .collect()
}
