//! DNS (steps A1-A6): CoreDNS, the kube-dns Service, lookups from pods and
//! nodes, the pod's resolver configuration, and egress policy to DNS.

pub mod client_in_other_namespace;
pub mod coredns_api_unreachable;
pub mod coredns_forward_loop;
pub mod coredns_not_running;
pub mod dns_service_no_endpoints;
pub mod dns_unreachable;
pub mod egress_blocks_dns;
pub mod hostnetwork_dns_policy;
pub mod name_not_found;
pub mod nameserver_not_cluster_dns;
pub mod ndots_too_low;
pub mod relative_names_fail;
pub mod resolver_limits;
pub mod search_suffix_missing;

use crate::checks::Facts;
use crate::model::{DnsLookup, Pod, ResolvConf};
use crate::read::artifact::Client;

/// Where a lookup ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum From {
    Pod,
    Node,
}

/// A lookup's client: the prompt says, else BIND's nslookup with an explicit
/// server is taken as run on a node and busybox's as run in a pod.
pub fn lookup_from(facts: &Facts<'_>, l: &DnsLookup) -> From {
    match facts.artifacts.get(l.origin.artifact).map(|a| &a.client) {
        Some(Client::Pod { .. }) => From::Pod,
        Some(Client::Host(_)) => From::Node,
        _ if l.flavor == "bind" && l.tool == "nslookup" => From::Node,
        _ => From::Pod,
    }
}

/// Lookups run in a pod, with their queried names.
pub fn pod_lookups<'m>(facts: &Facts<'m>) -> Vec<(&'m DnsLookup, &'m str)> {
    facts
        .model
        .lookups
        .iter()
        .filter(|l| lookup_from(facts, l) == From::Pod)
        .filter_map(|l| Some((l, l.query.as_deref()?)))
        .collect()
}

/// How a queried name is written: `web`, `web.default`, or the full name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Short,
    Qualified,
    Full,
}

pub fn form(query: &str) -> Form {
    let q = query.trim_end_matches('.');
    if q.contains(".svc.") || query.ends_with('.') {
        Form::Full
    } else if q.contains('.') {
        Form::Qualified
    } else {
        Form::Short
    }
}

/// The Service name a query asks for (`web` of `web.default.svc.cluster.local`).
pub fn base_name(query: &str) -> &str {
    query.split('.').next().unwrap_or(query)
}

/// A lookup that failed for lack of the name (not a timeout).
pub fn not_found(l: &DnsLookup) -> bool {
    !l.resolved && l.error_kind.is_some_and(crate::model::DnsError::not_found)
}

/// CoreDNS / kube-dns pods.
pub fn coredns_pods<'m>(facts: &Facts<'m>) -> Vec<&'m Pod> {
    facts
        .model
        .pods
        .iter()
        .filter(|p| {
            let name = p.name.as_deref().unwrap_or("");
            let labelled = p
                .labels
                .as_ref()
                .is_some_and(|l| l.get("k8s-app").is_some_and(|v| v == "kube-dns"));
            p.namespace.as_deref().is_none_or(|ns| ns == "kube-system")
                && (name.starts_with("coredns-") || name.starts_with("kube-dns-") || labelled)
        })
        .collect()
}

/// The cluster DNS IP: the kube-dns Service's cluster IP, as pasted.
pub fn cluster_dns_ip<'m>(facts: &Facts<'m>) -> Option<&'m str> {
    facts
        .model
        .services
        .iter()
        .filter(|s| {
            s.name.as_deref() == Some("kube-dns")
                && s.namespace.as_deref().is_none_or(|n| n == "kube-system")
        })
        .find_map(|s| s.cluster_ip.as_deref())
        .or_else(|| {
            facts
                .model
                .proxy_rules
                .iter()
                .find(|r| r.namespace == "kube-system" && r.name == "kube-dns")
                .and_then(|r| r.cluster_ip.as_deref())
        })
        .or_else(|| {
            // BusyBox 1.28 names the server it asked:
            // `Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local`.
            facts.model.lookups.iter().find_map(|l| {
                let server = l.server.as_ref()?;
                server
                    .name
                    .as_deref()
                    .is_some_and(|n| n.starts_with("kube-dns.kube-system.svc."))
                    .then_some(server.ip.as_deref())
                    .flatten()
            })
        })
}

/// A pod's resolv.conf: from a pod's shell, or with the cluster search list.
pub fn pod_resolvers<'m>(facts: &Facts<'m>) -> Vec<&'m ResolvConf> {
    facts
        .model
        .resolvers
        .iter()
        .filter(|r| {
            let client = facts.artifacts.get(r.origin.artifact).map(|a| &a.client);
            matches!(client, Some(Client::Pod { .. }))
                || r.search.iter().any(|s| s.contains(".svc."))
        })
        .collect()
}
