//! The case: which Service the evidence is about when no Service object was
//! pasted. People often paste `kubectl get ep web`, a curl of `http://web`
//! and `iptables-save | grep web`, and never the Service itself: the Service
//! in question is then the one those outputs name, and what they say of it
//! (its cluster IP and ports from kube-proxy's rules, its endpoints) makes a
//! partial Service for the rules to judge. Only Services that the commands,
//! the probes or the lookups point at, and that an Endpoints object or a
//! kube-proxy rule backs, are built: never one for every Service of a dump.

use serde::{Deserialize, Serialize};

use crate::context::view::is_system;
use crate::model::{Model, Origin, ProbeOutcome, Selector, Service, ServicePort};
use crate::read::artifact::{Artifact, Client};
use crate::read::command::kind_of_resource;
use crate::report::ServiceRef;

/// A Service the evidence names: (namespace if said, name).
type Pointer = (Option<String>, String);

/// The Service a label-selector term names: `kubernetes.io/service-name=web`,
/// and the labels people try instead (`k8s.io/service-name=web`), which
/// find no EndpointSlice but still say which Service is asked about.
fn service_label(term: &str) -> Option<&str> {
    let (key, name) = term.split_once('=')?;
    let key = key.trim();
    (key == "service-name" || key.ends_with("/service-name"))
        .then(|| name.trim())
        .filter(|n| !n.is_empty())
}

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
    // The pod itself, not a Service.
    if host == "localhost" || host.starts_with("localhost.") || host == "ip6-localhost" {
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
            for name in sel.split(',').filter_map(service_label) {
                out.push((k.namespace.clone(), name.to_string()));
            }
        }
    }
    let hosts = model
        .probes
        .iter()
        .filter_map(|p| p.host.as_deref())
        .chain(model.lookups.iter().filter_map(|l| l.query.as_deref()));
    out.extend(hosts.filter_map(service_of_name));
    // A probe of a cluster IP that kube-proxy's rules pasted map to a
    // Service.
    for p in &model.probes {
        let Some(host) = p.host.as_deref() else {
            continue;
        };
        if let Some(r) = model
            .proxy_rules
            .iter()
            .find(|r| r.cluster_ip.as_deref() == Some(host))
        {
            out.push((Some(r.namespace.clone()), r.name.clone()));
        }
    }
    // Nothing else names one: the endpoints of a single Service (its
    // EndpointSlices pasted without their command line).
    if out.is_empty() {
        let mut owners: Vec<Pointer> = model
            .endpoints
            .iter()
            .filter_map(|e| Some((e.namespace.clone(), e.service.clone()?)))
            .filter(|(ns, name)| !is_system(ns.as_deref(), Some(name)))
            .collect();
        owners.sort();
        owners.dedup();
        if owners.len() == 1 {
            out.extend(owners);
        }
    }
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
        .filter(|s| s.from == crate::model::EndpointSource::SliceTable)
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
        // A probe of the name that got no answer: the Service the user is
        // trying to reach, even with nothing else pasted about it.
        let failed_probe = model.probes.iter().find(|p| {
            p.outcome
                .is_some_and(|o| o.failed() && o != ProbeOutcome::Failed)
                && p.host
                    .as_deref()
                    // Only a name that can only be a Service: bare, or
                    // under `.svc` (`example.com` is not one).
                    .filter(|h| !h.contains('.') || h.contains(".svc"))
                    .and_then(service_of_name)
                    .is_some_and(|(pns, pname)| {
                        pname == name && (pns.is_none() || ns.is_none() || pns == ns)
                    })
        });
        let origin: Origin = match (endpoints, rules.first(), failed_probe) {
            (Some(e), _, _) => e.origin,
            (None, Some(r), _) => r.origin,
            (None, None, Some(p)) => p.origin,
            (None, None, None) => continue,
        };
        let namespace = ns
            .clone()
            .or_else(|| endpoints.and_then(|e| e.namespace.clone()))
            .or_else(|| rules.first().map(|r| r.namespace.clone()))
            // A bare name is looked up in the probing pod's namespace.
            .or_else(|| {
                failed_probe
                    .and_then(|p| artifacts.get(p.origin.artifact))
                    .and_then(|a| match &a.client {
                        Client::Pod { namespace, .. } => {
                            Some(namespace.clone().unwrap_or_else(|| "default".to_string()))
                        }
                        _ => None,
                    })
            });
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

/// How the Service in question was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceFrom {
    /// The caller named it (`--service`, the page's choice).
    Caller,
    /// A probe went to its name, cluster IP or node port.
    Probe,
    /// A lookup asked for its name.
    Lookup,
    /// A `kubectl get/describe` of it, its Endpoints or EndpointSlices.
    Command,
    /// It is the only Service pasted.
    OnlyOne,
    /// An Ingress or a Gateway API route sends to it.
    Route,
}

/// Where the lookups and probes ran.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientKind {
    /// A shell in a pod (`kubectl exec`, `kubectl run -it`).
    Pod,
    /// A machine's shell: a node, or a machine outside the cluster.
    Host,
    #[default]
    Unknown,
}

/// The Service the evidence is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InQuestion {
    pub service: ServiceRef,
    pub from: ServiceFrom,
    /// The line that names it (none for the caller's choice).
    pub origin: Option<Origin>,
}

/// The client: where the probes and lookups of the Service ran.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientCase {
    pub kind: ClientKind,
    /// The pod's or the machine's name.
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The pod's IP, from a pasted pod row of that name.
    pub ip: Option<String>,
    /// The command that ran there.
    pub origin: Option<Origin>,
}

/// Who and what the evidence is about, decided once for every rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Case {
    pub service: Option<InQuestion>,
    pub client: ClientCase,
    /// The Services a user may mean (see [`crate::report::CaseReport`]).
    pub services: Vec<ServiceRef>,
}

/// The command line of an artifact, as an origin.
fn command_origin(a: &Artifact) -> Origin {
    Origin {
        artifact: a.index,
        source: a.source,
        lines: [a.first_line, a.first_line],
    }
}

/// Decides the case: the Service in question and the client.
pub fn resolve(
    model: &Model,
    artifacts: &[Artifact],
    caller: Option<(Option<&str>, &str)>,
) -> Case {
    let services = crate::context::view::services(model);
    let user: Vec<_> = services
        .iter()
        .filter(|s| s.name.is_some() && !is_system(s.namespace, s.name))
        .collect();
    // A pasted Service this name or address points at.
    let pasted = |ns: Option<&str>, name: &str| {
        services
            .iter()
            .find(|s| s.name == Some(name) && crate::model::same_namespace(ns, s.namespace))
    };
    let mut found: Vec<(Pointer, ServiceFrom, Origin)> = Vec::new();
    for probe in &model.probes {
        let Some(host) = probe.host.as_deref() else {
            continue;
        };
        let by_address = services.iter().find(|s| {
            s.cluster_ip() == Some(host)
                || s.ports()
                    .0
                    .iter()
                    .any(|p| p.node_port.is_some() && p.node_port == probe.port)
        });
        let pointer = match by_address {
            Some(s) => s
                .name
                .map(|n| (s.namespace.map(str::to_string), n.to_string())),
            None => service_of_name(host),
        };
        if let Some(p) = pointer {
            found.push((p, ServiceFrom::Probe, probe.origin));
        }
    }
    for lookup in &model.lookups {
        if let Some(p) = lookup.query.as_deref().and_then(service_of_name) {
            found.push((p, ServiceFrom::Lookup, lookup.origin));
        }
    }
    for a in artifacts {
        let Some(k) = a.command.as_ref().and_then(|c| c.kubectl()) else {
            continue;
        };
        let about_services = matches!(k.verb.as_str(), "get" | "describe")
            && k.resources.iter().any(|r| {
                matches!(
                    kind_of_resource(r),
                    Some("Service" | "Endpoints" | "EndpointSlice")
                )
            });
        if about_services {
            for name in &k.names {
                found.push((
                    (k.namespace.clone(), name.clone()),
                    ServiceFrom::Command,
                    command_origin(a),
                ));
            }
        }
        if let Some(sel) = &k.selector {
            for name in sel.split(',').filter_map(service_label) {
                found.push((
                    (k.namespace.clone(), name.to_string()),
                    ServiceFrom::Command,
                    command_origin(a),
                ));
            }
        }
    }
    // The Services an Ingress or a route in front sends to.
    for route in &model.routes {
        for b in &route.backends {
            let ns = b.namespace.clone().or_else(|| route.namespace.clone());
            found.push(((ns, b.service.clone()), ServiceFrom::Route, b.origin));
        }
    }
    // A name that is no pasted Service counts when it can only be one: a
    // bare name, or one under `.svc` (`example.com` is not `example` in
    // namespace `com`).
    let plausible = |(ns, name): &Pointer, origin: &Origin| {
        pasted(ns.as_deref(), name).is_some()
            || ns.is_none()
            || model.lookups.iter().any(|l| {
                l.origin == *origin && l.query.as_deref().is_some_and(|q| q.contains(".svc"))
            })
            || model.probes.iter().any(|p| {
                p.origin == *origin && p.host.as_deref().is_some_and(|h| h.contains(".svc"))
            })
    };
    let rank = |from: ServiceFrom| match from {
        ServiceFrom::Probe => 0,
        ServiceFrom::Lookup => 1,
        ServiceFrom::Route => 3,
        _ => 2,
    };
    let mut candidates: Vec<&(Pointer, ServiceFrom, Origin)> = found
        .iter()
        // A route's backend when no Service was pasted, or when it is a
        // pasted one: never over the only Service pasted.
        .filter(|(p, from, o)| match from {
            ServiceFrom::Route => user.is_empty() || pasted(p.0.as_deref(), &p.1).is_some(),
            _ => plausible(p, o),
        })
        .collect();
    candidates.sort_by_key(|(_, from, o)| (rank(*from), o.source, o.lines[0]));
    // A user Service the evidence names; else, when the only pasted user
    // Service exists, that one (below) rather than a system Service the
    // evidence names (`nslookup kubernetes.default` is a DNS check).
    let chosen = candidates
        .iter()
        .find(|((ns, name), _, _)| !is_system(ns.as_deref(), Some(name)))
        .or_else(|| (user.len() != 1).then(|| candidates.first()).flatten());
    let client = client_of(model, artifacts, chosen.map(|(_, _, o)| *o));
    let service = match caller {
        Some((ns, name)) => Some(InQuestion {
            service: ServiceRef {
                namespace: ns.map(str::to_string),
                name: name.to_string(),
            },
            from: ServiceFrom::Caller,
            origin: None,
        }),
        None => match chosen {
            Some(((ns, name), from, origin)) => {
                // A bare name is the Service of that name that other
                // evidence places in a namespace (`web.default` resolving
                // while `web` fails), else the client's.
                let namespace = ns
                    .as_deref()
                    .or(client.namespace.as_deref())
                    .and_then(|ns| pasted(Some(ns), name))
                    .or_else(|| pasted(ns.as_deref(), name))
                    .and_then(|s| s.namespace.map(str::to_string))
                    .or_else(|| ns.clone())
                    .or_else(|| {
                        found
                            .iter()
                            .find(|((other_ns, other), _, _)| other == name && other_ns.is_some())
                            .and_then(|((other_ns, _), _, _)| other_ns.clone())
                    })
                    .or_else(|| client.namespace.clone());
                Some(InQuestion {
                    service: ServiceRef {
                        namespace,
                        name: name.clone(),
                    },
                    from: *from,
                    origin: Some(*origin),
                })
            }
            None if user.len() == 1 => user[0].reference().map(|service| InQuestion {
                service,
                from: ServiceFrom::OnlyOne,
                origin: Some(user[0].origin()),
            }),
            None => None,
        },
    };
    let candidates = if user.is_empty() {
        services.iter().collect()
    } else {
        user
    };
    Case {
        service,
        client,
        services: candidates.iter().filter_map(|s| s.reference()).collect(),
    }
}

/// The client: the pod or machine where the command at `at` ran (the one
/// that names the Service), else where the first probe or lookup ran.
fn client_of(model: &Model, artifacts: &[Artifact], at: Option<Origin>) -> ClientCase {
    let ran_probe = |a: &&Artifact| {
        model.probes.iter().any(|p| p.origin.artifact == a.index)
            || model.lookups.iter().any(|l| l.origin.artifact == a.index)
            || model.resolvers.iter().any(|r| r.origin.artifact == a.index)
    };
    let artifact = at
        .and_then(|o| artifacts.get(o.artifact))
        .filter(|a| a.client != Client::Unknown)
        .or_else(|| {
            artifacts
                .iter()
                .filter(ran_probe)
                .find(|a| a.client != Client::Unknown)
        });
    let Some(a) = artifact else {
        return ClientCase::default();
    };
    let mut client = ClientCase {
        origin: Some(command_origin(a)),
        ..ClientCase::default()
    };
    match &a.client {
        Client::Pod { name, namespace } => {
            client.kind = ClientKind::Pod;
            client.name = name.clone();
            // `kubectl exec POD` without `-n` runs in the context's
            // namespace, taken to be `default` as for tables.
            client.namespace = namespace.clone().or_else(|| {
                model
                    .resolvers
                    .iter()
                    .filter(|r| r.origin.artifact == a.index || name.is_some())
                    .find_map(|r| {
                        r.search
                            .first()
                            .and_then(|s| s.split_once(".svc."))
                            .map(|(ns, _)| ns.to_string())
                    })
                    .or_else(|| Some("default".to_string()))
            });
            client.ip = name.as_deref().and_then(|n| {
                model
                    .pods
                    .iter()
                    .filter(|p| p.name.as_deref() == Some(n))
                    .filter(|p| {
                        crate::model::same_namespace(
                            client.namespace.as_deref(),
                            p.namespace.as_deref(),
                        )
                    })
                    .find_map(|p| p.ip.clone())
            });
        }
        Client::Host(host) => {
            client.kind = ClientKind::Host;
            client.name = Some(host.clone());
            client.ip = model
                .nodes
                .iter()
                .find(|n| n.name.as_deref() == Some(host.as_str()))
                .and_then(|n| n.internal_ip.clone());
        }
        Client::Unknown => {}
    }
    client
}

impl Case {
    /// The case as the report shows it, with its lines and in words.
    pub fn report(
        &self,
        evidence: impl Fn(Origin) -> crate::report::Evidence,
        lang: crate::i18n::Lang,
    ) -> crate::report::CaseReport {
        let service = self.service.as_ref().map(|q| {
            let text = match q.from {
                ServiceFrom::Caller => crate::text!("named by you", "由你指定"),
                ServiceFrom::Probe => crate::text!(
                    "from the probe on line {line}",
                    "来自第 {line} 行的访问测试"
                ),
                ServiceFrom::Lookup => crate::text!(
                    "from the lookup on line {line}",
                    "来自第 {line} 行的 DNS 查询"
                ),
                ServiceFrom::Command => {
                    crate::text!("from the command on line {line}", "来自第 {line} 行的命令")
                }
                ServiceFrom::OnlyOne => crate::text!(
                    "the only Service pasted (line {line})",
                    "粘贴内容中唯一的 Service（第 {line} 行）"
                ),
                ServiceFrom::Route => crate::text!(
                    "the backend of the Ingress or route on line {line}",
                    "第 {line} 行的 Ingress 或路由的后端"
                ),
            };
            let line = q.origin.map(|o| o.lines[0].to_string()).unwrap_or_default();
            crate::report::ServiceInQuestion {
                namespace: q.service.namespace.clone(),
                name: q.service.name.clone(),
                from: q.from,
                said: text.get(lang).replace("{line}", &line),
                evidence: q.origin.map(&evidence),
            }
        });
        crate::report::CaseReport {
            service,
            client: crate::report::ClientReport {
                kind: self.client.kind,
                name: self.client.name.clone(),
                namespace: self.client.namespace.clone(),
                ip: self.client.ip.clone(),
                evidence: self.client.origin.map(&evidence),
            },
            services: self.services.clone(),
            reached: Vec::new(),
        }
    }
}
