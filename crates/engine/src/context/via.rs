//! How the client reaches the Service, inferred from the evidence when the
//! caller does not say: a probe to a node port means from outside, a probe to
//! the cluster IP means by IP, a lookup or a probe by name means by name.

use crate::checks::Facts;
use crate::context::view::pods_selected;
use crate::read::artifact::Client;
use crate::report::Via;

pub fn infer(facts: &Facts<'_>) -> Option<Via> {
    let services = facts.user_services();
    let model = facts.model;
    let node_ips = model.node_ips();
    let mut by_ip = false;
    let mut by_name = false;
    for probe in &model.probes {
        let Some(host) = probe.host.as_deref() else {
            continue;
        };
        if node_ips.contains(&host) {
            // A node's own address: the client comes from outside.
            return Some(Via::NodePort);
        }
        for s in &services {
            let (ports, _) = s.ports();
            let to_node_port = ports
                .iter()
                .any(|p| p.node_port.is_some() && p.node_port == probe.port);
            if to_node_port && (node_ips.contains(&host) || s.cluster_ip() != Some(host)) {
                return Some(Via::NodePort);
            }
            let outside = s.parts.iter().any(|part| {
                part.load_balancer_ips
                    .iter()
                    .chain(&part.external_ips)
                    .any(|ip| ip == host)
            });
            if outside {
                return Some(Via::NodePort);
            }
            let named = s
                .name
                .is_some_and(|n| host == n || host.starts_with(&format!("{n}.")));
            let to_ip = s.cluster_ip() == Some(host);
            if named || to_ip {
                // A client whose IP is one of the Service's endpoints is
                // reaching itself through its Service.
                let client_ip = facts.case.client.ip.as_deref().filter(|_| {
                    // Only the probes the case's client ran.
                    let ran_in = facts
                        .artifacts
                        .get(probe.origin.artifact)
                        .map(|a| &a.client);
                    matches!(ran_in, Some(Client::Pod { name: Some(pod), .. })
                        if facts.case.client.name.as_deref() == Some(pod.as_str()))
                });
                let own_endpoint = client_ip.is_some_and(|ip| {
                    s.name
                        .and_then(|n| crate::context::view::endpoints_of(model, s.namespace, n))
                        .is_some_and(|v| {
                            v.ready_ips().contains(&ip) || v.not_ready_ips().contains(&ip)
                        })
                });
                if own_endpoint {
                    return Some(Via::Hairpin);
                }
                // A pod of the Service reaching its own Service.
                let client = facts
                    .artifacts
                    .get(probe.origin.artifact)
                    .map(|a| &a.client);
                if let (
                    Some(Client::Pod {
                        name: Some(pod), ..
                    }),
                    Some((sel, _)),
                ) = (client, s.selector_labels())
                {
                    if pods_selected(model, s.namespace, sel)
                        .iter()
                        .any(|p| p.name.as_deref() == Some(pod))
                    {
                        return Some(Via::Hairpin);
                    }
                }
            }
            by_ip |= to_ip;
            by_name |= named;
        }
    }
    let looked_up = model.lookups.iter().any(|l| {
        l.query.as_deref().is_some_and(|q| {
            services.iter().any(|s| {
                s.name
                    .is_some_and(|n| q == n || q.starts_with(&format!("{n}.")))
            })
        })
    });
    // A failed lookup means names are in question, whatever the name.
    let lookup_failed = model.lookups.iter().any(|l| !l.resolved);
    if by_name || looked_up || lookup_failed {
        Some(Via::Name)
    } else if by_ip {
        Some(Via::ClusterIp)
    } else {
        None
    }
}
