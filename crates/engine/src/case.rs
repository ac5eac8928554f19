//! The case: which Service the evidence is about when no Service object was
//! pasted. People often paste `kubectl get ep web`, a curl of `http://web`
//! and `iptables-save | grep web`, and never the Service itself: the Service
//! in question is then the one those outputs name, and what they say of it
//! (its cluster IP and ports from kube-proxy's rules, its endpoints) makes a
//! partial Service for the rules to judge. Only Services that the commands,
//! the probes or the lookups point at, and that an Endpoints object or a
//! kube-proxy rule backs, are built: never one for every Service of a dump.

use crate::artifact::Artifact;
use crate::checks::view::is_system;
use crate::command::kind_of_resource;
use crate::model::{Model, Origin, Selector, Service, ServicePort};

/// A Service the evidence names: (namespace if said, name).
type Pointer = (Option<String>, String);

/// The Service a host or query names: `web`, `web.shop`,
/// `web.shop.svc.cluster.local` (not an IP, not an outside name).
pub fn service_of_name(host: &str) -> Option<Pointer> {
    let host = host.trim_end_matches('.');
    if host.is_empty()
        || host
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b':')
    {
        return None;
    }
    let parts: Vec<&str> = host.split('.').collect();
    let label = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    match parts.as_slice() {
        [name] if label(name) => Some((None, name.to_string())),
        [name, ns] if label(name) && label(ns) && *ns != "svc" => {
            Some((Some(ns.to_string()), name.to_string()))
        }
        [name, ns, "svc", ..] if label(name) && label(ns) => {
            Some((Some(ns.to_string()), name.to_string()))
        }
        _ => None,
    }
}

/// Services the pasted commands, probes and lookups point at.
fn pointers(model: &Model, artifacts: &[Artifact]) -> Vec<Pointer> {
    let mut out: Vec<Pointer> = Vec::new();
    for a in artifacts {
        let Some(k) = a.command.as_ref().and_then(|c| c.kubectl()) else {
            continue;
        };
        if !matches!(k.verb.as_str(), "get" | "describe") {
            continue;
        }
        let about_services = k.resources.iter().any(|r| {
            matches!(
                kind_of_resource(r),
                Some("Service" | "Endpoints" | "EndpointSlice")
            )
        });
        if about_services {
            for name in &k.names {
                out.push((k.namespace.clone(), name.clone()));
            }
        }
        if let Some(sel) = &k.selector {
            for term in sel.split(',') {
                if let Some(("kubernetes.io/service-name", name)) = term.split_once('=') {
                    out.push((k.namespace.clone(), name.trim().to_string()));
                }
            }
        }
    }
    let hosts = model
        .probes
        .iter()
        .filter_map(|p| p.host.as_deref())
        .chain(model.lookups.iter().filter_map(|l| l.query.as_deref()));
    out.extend(hosts.filter_map(service_of_name));
    out
}

/// `kubectl get endpointslices` lists every address whatever its
/// conditions: its addresses are ready only as far as nothing says
/// otherwise. A pasted pod row with the same IP that is not ready makes the
/// address not ready (YAML and JSON slices carry their conditions and are
/// left as they say).
pub fn join_slice_tables(model: &mut Model) {
    let not_ready: Vec<String> = model
        .pods
        .iter()
        .filter(|p| p.ready == Some(false))
        .filter_map(|p| p.ip.clone())
        .collect();
    if not_ready.is_empty() {
        return;
    }
    for set in model
        .endpoints
        .iter_mut()
        .filter(|s| s.from == "table" && s.address_type.is_some())
    {
        for address in &mut set.addresses {
            if not_ready.contains(&address.ip) {
                address.ready = false;
            }
        }
    }
}

/// Builds the partial Services (see the module's doc) into `model`.
pub fn infer_services(model: &mut Model, artifacts: &[Artifact]) {
    let pasted = model
        .services
        .iter()
        .any(|s| s.name.is_some() && !is_system(s.namespace.as_deref(), s.name.as_deref()));
    if pasted {
        return;
    }
    let mut built: Vec<Service> = Vec::new();
    for (ns, name) in pointers(model, artifacts) {
        if is_system(ns.as_deref(), Some(&name))
            || built
                .iter()
                .any(|s| s.name.as_deref() == Some(name.as_str()))
        {
            continue;
        }
        let same_ns =
            |other: Option<&str>| ns.is_none() || other.is_none() || ns.as_deref() == other;
        let endpoints = model.endpoints.iter().find(|e| {
            e.service.as_deref() == Some(name.as_str()) && same_ns(e.namespace.as_deref())
        });
        let rules: Vec<_> = model
            .proxy_rules
            .iter()
            .filter(|r| r.name == name && same_ns(Some(r.namespace.as_str())))
            .collect();
        let origin: Origin = match (endpoints, rules.first()) {
            (Some(e), _) => e.origin,
            (None, Some(r)) => r.origin,
            (None, None) => continue,
        };
        let namespace = ns
            .clone()
            .or_else(|| endpoints.and_then(|e| e.namespace.clone()))
            .or_else(|| rules.first().map(|r| r.namespace.clone()));
        let ports = rules
            .iter()
            .filter(|r| r.port.is_some())
            .map(|r| ServicePort {
                name: (!r.port_name.is_empty()).then(|| r.port_name.clone()),
                port: r.port,
                protocol: r.protocol.clone(),
                target_port: None,
                node_port: r.node_port,
            })
            .collect::<Vec<_>>();
        let mut service = Service::default_at(origin);
        service.namespace = namespace;
        service.name = Some(name.clone());
        service.cluster_ip = rules.iter().find_map(|r| r.cluster_ip.clone());
        service.ports_origin = (!ports.is_empty()).then(|| rules[0].origin);
        service.ports = ports;
        service.selector = Selector::Unknown;
        service.partial = true;
        built.push(service);
    }
    model.services.extend(built);
}
