//! The inspect view (spec section 5): what the engine understood of each
//! artifact, before any rule runs, with the field names of the ground-truth
//! files in `crates/engine/tests/corpus/`.

use crate::model::ProxyMode;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::model::{
    labels_to_string, EndpointSet, Model, ProxyService, Selector, Service, TargetPort,
};
use crate::read::artifact::ArtifactKind;
use crate::report::ArtifactReport;
use crate::{understand, Input};

#[derive(Clone, Debug, Serialize)]
pub struct InspectedArtifact {
    #[serde(flatten)]
    pub artifact: ArtifactReport,
    pub model: Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct Inspection {
    pub artifacts: Vec<InspectedArtifact>,
}

/// Splits, detects and parses the input, and shows each artifact's facts.
pub fn inspect(input: &Input) -> Inspection {
    let u = understand(input);
    let artifacts = u
        .artifact_reports()
        .into_iter()
        .map(|a| {
            let model = view(a.kind, a.index, &u.model);
            InspectedArtifact { artifact: a, model }
        })
        .collect();
    Inspection { artifacts }
}

/// The facts of artifact `index`, shaped for its kind.
pub fn view(kind: ArtifactKind, index: usize, model: &Model) -> Value {
    let mine = |origin: &crate::model::Origin| origin.artifact == index;
    match kind {
        ArtifactKind::K8sObjects
        | ArtifactKind::KubectlTable
        | ArtifactKind::KubectlDescribe
        | ArtifactKind::KubectlError => objects_view(index, model),
        ArtifactKind::Resolv => match model.resolvers.iter().find(|r| mine(&r.origin)) {
            Some(r) => json!({
                "nameservers": r.nameservers,
                "all_nameservers": r.all_nameservers,
                "search": r.search,
                "ndots": r.ndots,
                "options": r.options,
                "sortlist": r.sortlist,
            }),
            None => json!({}),
        },
        ArtifactKind::Nslookup => match model.lookups.iter().find(|l| mine(&l.origin)) {
            Some(l) => json!({
                "tool": l.tool,
                "flavor": l.flavor,
                "query": l.query,
                "server": l.server.as_ref().map(|s| json!({"ip": s.ip, "port": s.port, "name": s.name})),
                "resolved": l.resolved,
                "answers": l.answers.iter().map(|a| json!({"name": a.name, "address": a.address, "ptr": a.ptr})).collect::<Vec<_>>(),
                "canonical_name": l.canonical_name,
                "error_kind": l.error_kind,
                "error_text": l.error_text,
            }),
            None => json!({}),
        },
        ArtifactKind::Dig => {
            let queries: Vec<_> = model.lookups.iter().filter(|l| mine(&l.origin)).collect();
            json!({
                "tool": "dig",
                "dig_version": queries.first().and_then(|q| q.version.clone()),
                "queries": queries.iter().map(|q| json!({
                    "query": {"name": q.query, "type": q.query_type},
                    "status": q.status,
                    "resolved": q.resolved,
                    "server": q.server.as_ref().map(|s| s.text.clone()),
                    "query_time_ms": q.query_time_ms,
                    "flags": q.flags,
                    "addresses": q.answers.iter().filter_map(|a| a.address.clone()).collect::<Vec<_>>(),
                    "answers": q.answers.iter().map(|a| json!({
                        "name": a.name, "ttl": a.ttl, "class": a.class, "type": a.rtype, "data": a.data,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "error_kind": queries.iter().find_map(|q| q.error_kind),
                "error_text": queries.iter().flat_map(|q| q.error_text.clone()).collect::<Vec<_>>(),
            })
        }
        ArtifactKind::HttpProbe => match model
            .probes
            .iter()
            .find(|p| mine(&p.origin) || p.origin.artifact == index)
        {
            Some(p) => serde_json::to_value(p).unwrap_or(Value::Null),
            None => json!({}),
        },
        ArtifactKind::ProcessList => json!({
            "processes": model.processes.iter().filter(|p| mine(&p.origin)).collect::<Vec<_>>(),
        }),
        ArtifactKind::Sockets => json!({
            "sockets": model.sockets.iter().filter(|s| mine(&s.origin)).collect::<Vec<_>>(),
        }),
        ArtifactKind::KubeProxyLogs => match model.proxy_logs.iter().find(|l| mine(&l.origin)) {
            Some(l) => json!({
                "proxy_mode": l.proxy_mode,
                "requested_mode": l.requested_mode,
                "fallback": l.fallback,
                "kube_proxy_version": l.version,
                "node_ips": l.node_ips,
                "node_ip": l.node_ips.first(),
                "log_format": l.log_format,
                "errors": l.errors.iter().map(|e| e.text.clone()).collect::<Vec<_>>(),
                "warnings": l.warnings.iter().map(|e| e.text.clone()).collect::<Vec<_>>(),
                "sync_failures": l.sync_failures.iter().map(|e| e.text.clone()).collect::<Vec<_>>(),
                "apiserver_unreachable": l.apiserver_unreachable,
                "services_added": l.services_added.iter().map(|(s, a)| json!({"service": s, "address": a})).collect::<Vec<_>>(),
                "endpoints_set": l.endpoints_set.iter().map(|(s, e)| (s.clone(), json!(e))).collect::<Map<_, _>>(),
                "graceful_termination_removed": l.graceful_termination_removed.iter()
                    .map(|(v, r)| json!({"virtual_server": v, "real_server": r})).collect::<Vec<_>>(),
            }),
            None => json!({}),
        },
        ArtifactKind::CorednsLogs => match model.coredns_logs.iter().find(|l| mine(&l.origin)) {
            Some(l) => json!({
                "version": l.version,
                "loop_detected": l.loop_detected,
                "errors": l.errors.iter().map(|e| e.text.clone()).collect::<Vec<_>>(),
                "api_unreachable": l.api_unreachable.iter().map(|e| e.text.clone()).collect::<Vec<_>>(),
                "api_unreachable": l.api_unreachable.iter().map(|e| e.text.clone()).collect::<Vec<_>>(),
            }),
            None => json!({}),
        },
        ArtifactKind::Cilium => json!({
            "status": model.cilium_status.iter().filter(|s| mine(&s.origin))
                .map(|s| json!({"kube_proxy_replacement": s.kube_proxy_replacement, "agent": s.agent}))
                .collect::<Vec<_>>(),
            "services": model.lb_frontends.iter().filter(|f| mine(&f.origin)).map(|f| json!({
                "frontend": format!("{}:{}", f.ip, f.port), "protocol": f.protocol, "type": f.service_type,
                "backends": f.backends.iter().map(|b| json!({"address": format!("{}:{}", b.ip, b.port), "state": b.state})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "flows": model.flows.iter().filter(|f| mine(&f.origin))
                .map(|f| json!({"source": f.source, "destination": f.destination, "verdict": f.verdict, "reason": f.reason}))
                .collect::<Vec<_>>(),
        }),
        ArtifactKind::Conntrack => json!({
            "entries": model.conntrack.iter().filter(|e| mine(&e.origin)).map(|e| json!({
                "protocol": e.protocol, "src": e.src, "dst": e.dst, "dport": e.dport,
                "reply_src": e.reply_src, "reply_sport": e.reply_sport,
                "unreplied": e.unreplied, "state": e.state,
            })).collect::<Vec<_>>(),
        }),
        ArtifactKind::NodeSettings => json!({
            "settings": model.node_settings.iter().filter(|s| mine(&s.origin))
                .map(|s| json!({"key": s.key, "value": s.value})).collect::<Vec<_>>(),
        }),
        ArtifactKind::Kubelet => json!({
            "cluster_dns": model.kubelet_dns.iter().filter(|k| mine(&k.origin))
                .flat_map(|k| k.servers.clone()).collect::<Vec<_>>(),
            "limits_exceeded": model.kubelet_limits.iter().filter(|k| mine(&k.origin))
                .map(|k| json!({"what": k.what, "applied": k.applied})).collect::<Vec<_>>(),
        }),
        ArtifactKind::Iptables | ArtifactKind::Nftables => {
            let services: Vec<&ProxyService> = model
                .proxy_rules
                .iter()
                .filter(|s| mine(&s.origin))
                .collect();
            let dump = model.proxy_dumps.iter().find(|d| mine(&d.origin));
            json!({
                "proxy_mode": dump.map(|d| d.mode),
                "tables": dump.filter(|d| !d.tables.is_empty()).map(|d| d.tables.clone()),
                "filtered": dump.is_some_and(|d| d.filtered),
                "cluster_ips": dump.and_then(|d| d.cluster_ips.clone()),
                "nodeport_ips": dump.and_then(|d| d.nodeport_ips.clone()),
                "service_cidrs": dump.filter(|d| !d.service_cidrs.is_empty()).map(|d| d.service_cidrs.clone()),
                "services": services.iter().map(|s| proxy_service_view(s)).collect::<Vec<_>>(),
            })
        }
        ArtifactKind::Ipvs => json!({
            "virtual_servers": model.ipvs.iter().filter(|v| mine(&v.origin)).map(|v| json!({
                "protocol": v.protocol,
                "address": v.address,
                "port": v.port,
                "scheduler": v.scheduler,
                "persistent_timeout": v.persistent_timeout,
                "real_servers": v.real_servers.iter().map(|r| json!({
                    "ip": r.ip, "port": r.port, "forward": r.forward, "weight": r.weight,
                    "active_conn": r.active_conn, "inactive_conn": r.inactive_conn,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
        ArtifactKind::Unknown => json!({}),
    }
}

fn proxy_service_view(s: &ProxyService) -> Value {
    json!({
        "namespace": s.namespace,
        "name": s.name,
        "port_name": s.port_name,
        "protocol": s.protocol,
        "type": s.service_type,
        "cluster_ip": s.cluster_ip,
        "port": s.port,
        "node_port": s.node_port,
        "endpoints": s.endpoints,
        "local_endpoints": s.local_endpoints,
        "external_ips": s.external_ips,
        "load_balancer_ips": s.load_balancer_ips,
        "load_balancer_source_ranges": s.load_balancer_source_ranges,
        "external_traffic_policy": s.external_traffic_policy.or(Some(crate::model::TrafficPolicy::Cluster)),
        "session_affinity": s.session_affinity_timeout.map(|t| json!({"type": "ClientIP", "timeout_seconds": t})),
        "rejects_no_endpoints": s.rejects_no_endpoints,
        "drops_external_no_local_endpoints": s.drops_no_local_endpoints,
        "health_check_node_port": s.health_check_node_port,
        "svc_chain": if s.mode == ProxyMode::Iptables { s.svc_chain.clone() } else { None },
        "service_chain": if s.mode == ProxyMode::Nftables { s.svc_chain.clone() } else { None },
        "probabilities": s.probabilities.iter().map(|(e, p)| json!({"endpoint": e, "probability": p})).collect::<Vec<_>>(),
    })
}

fn endpoint_strings(set: &EndpointSet) -> Vec<String> {
    let mut out = Vec::new();
    for a in set.addresses.iter().filter(|a| a.ready) {
        match (a.port, set.ports.is_empty()) {
            (Some(p), _) => out.push(format!("{}:{p}", a.ip)),
            (None, true) => out.push(a.ip.clone()),
            (None, false) => out.extend(
                set.ports
                    .iter()
                    .filter_map(|p| p.port)
                    .map(|p| format!("{}:{p}", a.ip)),
            ),
        }
    }
    out
}

fn service_view(s: &Service, model: &Model, index: usize) -> Value {
    let endpoints: Option<Vec<String>> = model
        .endpoints
        .iter()
        .find(|e| {
            e.origin.artifact == index
                && e.from == crate::model::EndpointSource::Describe
                && e.name == s.name
        })
        .map(endpoint_strings);
    let mut v = json!({
        "kind": "Service",
        "namespace": s.namespace,
        "name": s.name,
        "type": s.service_type,
        "cluster_ip": s.cluster_ip,
        "external_ip": s.external_ips.first(),
        "ports": s.ports.iter().map(|p| json!({
            "name": p.name,
            "port": p.port,
            "protocol": p.protocol,
            "target_port": p.target_port.as_ref().map(|t| match t {
                TargetPort::Number(n) => json!(n),
                TargetPort::Name(n) => json!(n),
            }),
            "node_port": p.node_port,
        })).collect::<Vec<_>>(),
        "selector": match &s.selector {
            Selector::Labels(l) => json!(l),
            Selector::None => json!({}),
            Selector::Unknown => Value::Null,
        },
        "selector_text": match &s.selector { Selector::Labels(l) => Some(labels_to_string(l)), _ => None },
        "session_affinity": s.session_affinity,
        "partial": s.partial,
    });
    if let (Some(eps), Some(obj)) = (endpoints, v.as_object_mut()) {
        obj.insert("endpoints".into(), json!(eps));
    }
    v
}

fn objects_view(index: usize, model: &Model) -> Value {
    let mut objects: Vec<Value> = Vec::new();
    for s in model.services.iter().filter(|s| s.origin.artifact == index) {
        objects.push(service_view(s, model, index));
    }
    for w in model
        .workloads
        .iter()
        .filter(|w| w.origin.artifact == index)
    {
        objects.push(json!({
            "kind": w.kind, "namespace": w.namespace, "name": w.name,
            "selector": w.selector, "template_labels": w.template_labels,
        }));
    }
    for p in model.pods.iter().filter(|p| p.origin.artifact == index) {
        objects.push(json!({
            "kind": "Pod", "namespace": p.namespace, "name": p.name, "labels": p.labels,
            "ip": p.ip, "node": p.node, "status": p.phase, "ready": p.ready, "restarts": p.restarts,
        }));
    }
    for e in model
        .endpoints
        .iter()
        .filter(|e| e.origin.artifact == index && e.from != crate::model::EndpointSource::Describe)
    {
        let slice = e.from.is_slice();
        let mut v = json!({
            "kind": if slice { "EndpointSlice" } else { "Endpoints" },
            "namespace": e.namespace,
            "name": e.name,
            "service": e.service,
            "endpoints": endpoint_strings(e),
            "not_ready": e.addresses.iter().filter(|a| !a.ready).map(|a| a.ip.clone()).collect::<Vec<_>>(),
            "truncated": e.truncated,
        });
        if slice {
            if let Some(obj) = v.as_object_mut() {
                obj.insert("address_type".into(), json!(e.address_type));
                obj.insert(
                    "ports".into(),
                    json!(e.ports.iter().filter_map(|p| p.port).collect::<Vec<_>>()),
                );
                obj.insert(
                    "addresses".into(),
                    json!(e
                        .addresses
                        .iter()
                        .filter(|a| a.ready)
                        .map(|a| a.ip.clone())
                        .collect::<Vec<_>>()),
                );
            }
        }
        objects.push(v);
    }
    for p in model.policies.iter().filter(|p| p.origin.artifact == index) {
        objects.push(
            json!({"kind": "NetworkPolicy", "namespace": p.namespace, "name": p.name,
            "pod_selector": p.pod_selector, "policy_types": p.policy_types}),
        );
    }
    for c in model
        .configmaps
        .iter()
        .filter(|c| c.origin.artifact == index)
    {
        objects.push(
            json!({"kind": "ConfigMap", "namespace": c.namespace, "name": c.name,
            "keys": c.data.keys().collect::<Vec<_>>()}),
        );
    }
    for n in model.nodes.iter().filter(|n| n.origin.artifact == index) {
        objects.push(
            json!({"kind": "Node", "name": n.name, "internal_ip": n.internal_ip, "ready": n.ready}),
        );
    }
    for e in model.events.iter().filter(|e| e.origin.artifact == index) {
        objects.push(json!({
            "kind": "Event", "namespace": e.namespace,
            "object": {"kind": e.kind, "name": e.name},
            "type": if e.warning { "Warning" } else { "Normal" },
            "reason": e.reason, "message": e.message, "count": e.count, "source": e.source,
        }));
    }
    let mut out = json!({ "objects": objects });
    if let Some(err) = model
        .errors
        .iter()
        .find(|e| e.origin.artifact == index && e.kind != "no_resources")
        .or_else(|| model.errors.iter().find(|e| e.origin.artifact == index))
    {
        let singular = err
            .resource
            .as_deref()
            .and_then(crate::read::command::kind_of_resource)
            .map(|k| k.to_ascii_lowercase());
        let kind = match (err.kind.as_str(), singular) {
            ("not_found", Some(k)) => format!("{k}_not_found"),
            (k, _) => k.to_string(),
        };
        if let Some(obj) = out.as_object_mut() {
            obj.insert("error_kind".into(), json!(kind));
            if let Some(name) = &err.name {
                obj.insert(
                    err.resource
                        .as_deref()
                        .and_then(crate::read::command::kind_of_resource)
                        .map_or("name".to_string(), |k| k.to_ascii_lowercase()),
                    json!(name),
                );
            }
            obj.insert("error_text".into(), json!(err.text));
        }
    }
    out
}
