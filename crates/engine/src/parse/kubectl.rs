//! kubectl's human output: `get` tables (one or several), `describe svc/pod`,
//! and errors.
//!
//! Tables are read by tokens under their header, not by column offsets: text
//! copied from web pages and chats loses its alignment (the tutorial's own
//! headers are collapsed to single spaces). Two-word headers (`NOMINATED
//! NODE`), `RESTARTS` values with `(5m ago)` and `+ 3 more...` in ENDPOINTS
//! are joined back; rows that end early leave the last columns empty.

use crate::model::{
    label_map, EndpointAddress, EndpointPort, EndpointSet, EndpointSource, Event, KubectlError,
    Labels, Model, Node, Origin, Pod, Selector, Service, ServicePort, TargetPort,
};
use crate::model::{
    AdminPolicy, ContainerReady, Gateway, GatewayCondition, NamespaceLabels, ServiceType,
    TrafficPolicy,
};
use crate::parse::Context;
use crate::read::command::{kind_of_resource, Kubectl};
use crate::read::text::is_elision;
use crate::report::Severity;

/// Header words that belong together.
const TWO_WORD_HEADERS: &[(&str, &str)] = &[
    ("NOMINATED", "NODE"),
    ("READINESS", "GATES"),
    ("CONTAINER", "RUNTIME"),
    ("LAST", "SEEN"),
    ("FIRST", "SEEN"),
    ("KERNEL-VERSION", ""),
];

fn is_header(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    // `kubectl get events` starts with `LAST SEEN`.
    (first == "NAME" || first == "NAMESPACE" || first == "LAST")
        && line.split_whitespace().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_uppercase() || "-()_/".contains(c))
        })
}

fn header_words(line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if let Some(next) = words.get(i + 1) {
            if TWO_WORD_HEADERS.iter().any(|(a, b)| *a == w && b == next) {
                out.push(format!("{w} {next}"));
                i += 2;
                continue;
            }
        }
        out.push(w.to_string());
        i += 1;
    }
    out
}

/// A row's cells by the header's column starts, for a row with an empty
/// cell; `None` unless every token starts exactly where a column does (the
/// paste kept kubectl's alignment).
fn aligned_cells(header: &str, row: &str, head: &[String]) -> Option<Vec<String>> {
    let mut starts = Vec::with_capacity(head.len());
    let mut from = 0;
    for word in head {
        let at = from + header.get(from..)?.find(word.as_str())?;
        starts.push(at);
        from = at + word.len();
    }
    let mut cells = vec![String::new(); head.len()];
    let mut pos = 0;
    for token in row.split_whitespace() {
        let at = pos + row.get(pos..)?.find(token)?;
        pos = at + token.len();
        let column = starts.iter().position(|&s| s == at)?;
        cells[column] = token.to_string();
    }
    Some(cells)
}

/// Splits a row into cells: whitespace-separated tokens, with `N (5m ago)`
/// and `a,b + 3 more...` joined into one cell.
fn row_cells(line: &str) -> Vec<String> {
    let mut cells: Vec<String> = Vec::new();
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w.starts_with('(') && !cells.is_empty() {
            // `3 (5m ago)`: up to the closing parenthesis.
            let mut joined = w.to_string();
            while !joined.ends_with(')') && i + 1 < words.len() {
                i += 1;
                joined.push(' ');
                joined.push_str(words[i]);
            }
            if let Some(last) = cells.last_mut() {
                last.push(' ');
                last.push_str(&joined);
            }
        } else if w == "+"
            && words.get(i + 2).is_some_and(|m| m.starts_with("more"))
            && !cells.is_empty()
        {
            if let Some(last) = cells.last_mut() {
                last.push_str(&format!(" + {} {}", words[i + 1], words[i + 2]));
            }
            i += 2;
        } else {
            cells.push(w.to_string());
        }
        i += 1;
    }
    cells
}

/// What a table lists, from its header and the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TableKind {
    Pods,
    Services,
    Endpoints,
    EndpointSlices,
    Nodes,
    Events,
    Ingresses,
    IngressClasses,
    Namespaces,
    Gateways,
    /// Policies svcdoctor does not evaluate from a table: the kind.
    OtherPolicies(&'static str),
    Other,
}

fn table_kind(header: &[String], kubectl: Option<&Kubectl>, row_prefix: Option<&str>) -> TableKind {
    if let Some(kind) = row_prefix.and_then(kind_of_resource) {
        return from_kind(kind);
    }
    let has = |h: &str| header.iter().any(|w| w == h);
    if has("REASON") && has("OBJECT") {
        TableKind::Events
    } else if has("CLASS") && has("HOSTS") {
        TableKind::Ingresses
    } else if has("CONTROLLER") && has("PARAMETERS") {
        TableKind::IngressClasses
    } else if has("ADDRESSTYPE") {
        TableKind::EndpointSlices
    } else if has("ENDPOINTS") {
        TableKind::Endpoints
    } else if has("CLUSTER-IP") {
        TableKind::Services
    } else if has("RESTARTS") || (has("READY") && has("STATUS")) {
        TableKind::Pods
    } else if has("ROLES") {
        TableKind::Nodes
    } else {
        kubectl
            .and_then(Kubectl::single_kind)
            .map_or(TableKind::Other, from_kind)
    }
}

fn from_kind(kind: &str) -> TableKind {
    match kind {
        "Pod" => TableKind::Pods,
        "Service" => TableKind::Services,
        "Endpoints" => TableKind::Endpoints,
        "EndpointSlice" => TableKind::EndpointSlices,
        "Node" => TableKind::Nodes,
        "Event" => TableKind::Events,
        "Ingress" => TableKind::Ingresses,
        "IngressClass" => TableKind::IngressClasses,
        "Namespace" => TableKind::Namespaces,
        "Gateway" => TableKind::Gateways,
        "AdminNetworkPolicy" => TableKind::OtherPolicies("AdminNetworkPolicy"),
        "BaselineAdminNetworkPolicy" => TableKind::OtherPolicies("BaselineAdminNetworkPolicy"),
        "ClusterNetworkPolicy" => TableKind::OtherPolicies("ClusterNetworkPolicy"),
        "CiliumNetworkPolicy" => TableKind::OtherPolicies("CiliumNetworkPolicy"),
        "CiliumClusterwideNetworkPolicy" => {
            TableKind::OtherPolicies("CiliumClusterwideNetworkPolicy")
        }
        "GlobalNetworkPolicy" => TableKind::OtherPolicies("GlobalNetworkPolicy"),
        _ => TableKind::Other,
    }
}

fn none_if_placeholder(value: Option<&str>) -> Option<String> {
    value
        .filter(|v| !matches!(*v, "<none>" | "<pending>" | "<unknown>" | ""))
        .map(str::to_string)
}

/// `80:32035/TCP,443/TCP` into Service ports.
pub fn service_ports(text: &str) -> Vec<ServicePort> {
    text.split(',')
        .filter(|p| !p.is_empty() && *p != "<none>")
        .map(|p| {
            let (nums, proto) = p.split_once('/').unwrap_or((p, "TCP"));
            let (port, node_port) = match nums.split_once(':') {
                Some((a, b)) => (a.parse().ok(), b.parse().ok()),
                None => (nums.parse().ok(), None),
            };
            ServicePort {
                name: None,
                port,
                protocol: proto.to_string(),
                target_port: None,
                node_port,
            }
        })
        .collect()
}

/// The equality pairs of a label selector (`app=web,tier=front`); set-based
/// terms are skipped.
pub fn selector_pairs(text: &str) -> Labels {
    label_map(
        text.split(',')
            .filter_map(|term| {
                let (k, v) = term.split_once("==").or_else(|| term.split_once('='))?;
                (!k.ends_with('!')).then(|| (k.trim().to_string(), v.trim().to_string()))
            })
            .collect(),
    )
}

/// The header kubectl prints for `get` of the command's one resource type,
/// for rows pasted without it, when the row's cell count fits it (with
/// `-A`/`--all-namespaces`, a NAMESPACE column first; kubectl before 1.8
/// printed Services without TYPE).
fn assumed_header(k: &Kubectl, cells: &[String]) -> Option<Vec<String>> {
    // With --show-labels a LABELS column follows that no shape tells.
    if k.verb != "get"
        || k.show_labels
        || k.resources.len() != 1
        || k.output.as_deref().is_some_and(|o| o != "wide")
    {
        return None;
    }
    let kind = crate::read::command::kind_of_resource(&k.resources[0])?;
    let known: &[&str] = match kind {
        "Service" => {
            // With or without TYPE: the cluster IP's column tells.
            let offset = usize::from(k.all_namespaces);
            let typed = cells.get(offset + 1).is_some_and(|c| {
                matches!(
                    c.as_str(),
                    "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName"
                )
            });
            if typed {
                &[
                    "NAME",
                    "TYPE",
                    "CLUSTER-IP",
                    "EXTERNAL-IP",
                    "PORT(S)",
                    "AGE",
                    "SELECTOR",
                ]
            } else {
                &[
                    "NAME",
                    "CLUSTER-IP",
                    "EXTERNAL-IP",
                    "PORT(S)",
                    "AGE",
                    "SELECTOR",
                ]
            }
        }
        "Pod" => &[
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES",
        ],
        "Endpoints" => &["NAME", "ENDPOINTS", "AGE"],
        "EndpointSlice" => &["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
        _ => return None,
    };
    let mut head: Vec<String> = Vec::new();
    if k.all_namespaces {
        head.push("NAMESPACE".into());
    }
    head.extend(known.iter().map(|h| h.to_string()));
    // The row may stop before the wide columns; it must not have more.
    let needed = head.len() - known.len()
        + known
            .len()
            .min(if kind == "Pod" { 5 } else { known.len() - 1 });
    (cells.len() >= needed.min(head.len()) && cells.len() <= head.len()).then_some(head)
}

/// kubectl's age (`110s`, `38m`, `5d4h`, `2y3d`) in seconds.
pub fn age_seconds(text: &str) -> Option<u64> {
    let mut total = 0u64;
    let mut number = 0u64;
    let mut any = false;
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            number = number.checked_mul(10)?.checked_add(u64::from(d))?;
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'y' => 365 * 86_400,
            _ => return None,
        };
        total = total.checked_add(number.checked_mul(unit)?)?;
        number = 0;
        any = true;
    }
    (any && number == 0).then_some(total)
}

/// Endpoint cells (`10.0.0.1:80,10.0.0.2:80 + 1 more...`) into addresses.
fn endpoint_cell(cell: &str, origin: Origin) -> (Vec<EndpointAddress>, bool) {
    let truncated = cell.contains("more...");
    let list = cell.split(" + ").next().unwrap_or("");
    let addresses = list
        .split(',')
        .filter(|a| !a.is_empty() && *a != "<none>" && *a != "<unset>")
        .map(|a| {
            let (ip, port) = crate::parse::ipvs::split_host_port(a);
            EndpointAddress {
                ip,
                port,
                ready: true,
                terminating: false,
                not_serving: false,
                node: None,
                pod: None,
                origin,
            }
        })
        .collect();
    (addresses, truncated)
}

pub fn parse_table(cx: &mut Context<'_>, model: &mut Model) {
    let kubectl = cx.kubectl.clone();
    let default_ns = kubectl.as_ref().and_then(|k| {
        if k.all_namespaces {
            None
        } else {
            Some(k.namespace.clone().unwrap_or_else(|| "default".to_string()))
        }
    });
    let label_hint = kubectl
        .as_ref()
        .and_then(|k| k.selector.as_deref())
        .map(selector_pairs);
    let mut header: Option<Vec<String>> = None;
    let mut header_raw: &str = "";
    for (no, raw) in cx.body() {
        let line = raw.trim();
        if line.is_empty() || is_elision(line) {
            continue;
        }
        if is_header(line) {
            header = Some(header_words(line));
            header_raw = raw;
            continue;
        }
        // kubectl's warnings on stderr, shown among the rows: `Warning: v1
        // Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1
        // EndpointSlice`.
        if line.starts_with("No resources found") || line.starts_with("Warning: ") {
            // `Warning: v1 Endpoints is deprecated in v1.33+; ...`: the
            // server is 1.33 or later.
            if let Some(v) = line
                .split(" is deprecated in ")
                .nth(1)
                .and_then(|rest| crate::model::parse_version(rest.split(';').next()?))
            {
                model.at_least(v, cx.origin([no, no]));
            }
            continue;
        }
        if header.is_none() {
            // Rows pasted without their header: the command says what was
            // listed; the header is the one kubectl prints for it, fitted
            // to the row's cells.
            header = kubectl
                .as_ref()
                .and_then(|k| assumed_header(k, &row_cells(line)));
        }
        let Some(head) = header.as_ref() else {
            cx.say(
                no,
                Severity::Warning,
                crate::text!(
                    "table row before any header line; skipped",
                    "表头之前出现了表格行；已跳过"
                ),
                &[],
            );
            continue;
        };
        let mut cells = row_cells(line);
        // A cell kubectl left empty (a Gateway without an address): in an
        // aligned paste, the columns say which one.
        if cells.len() < head.len() {
            if let Some(aligned) = aligned_cells(header_raw, raw, head) {
                cells = aligned;
            }
        }
        let get = |name: &str| -> Option<&str> {
            let i = head.iter().position(|h| h == name)?;
            cells.get(i).map(String::as_str)
        };
        let raw_name = get("NAME").unwrap_or("");
        let (prefix, name) = match raw_name.split_once('/') {
            Some((p, n)) => (Some(p.split('.').next().unwrap_or(p)), n),
            None => (None, raw_name),
        };
        let namespace = get("NAMESPACE")
            .map(str::to_string)
            .or_else(|| default_ns.clone());
        let origin = cx.origin([no, no]);
        if cells.len() < 2 {
            cx.say(
                no,
                Severity::Info,
                crate::text!("row with too few cells; skipped", "这一行的列太少；已跳过"),
                &[],
            );
            continue;
        }
        match table_kind(head, kubectl.as_ref(), prefix) {
            TableKind::Pods => {
                let ready = get("READY").and_then(|r| {
                    let (a, b) = r.split_once('/')?;
                    Some(a == b && a != "0")
                });
                let status = get("STATUS").map(str::to_string);
                let mut labels =
                    get("LABELS").map(|l| selector_pairs(if l == "<none>" { "" } else { l }));
                let mut labels_partial = false;
                if labels.is_none() {
                    if let Some(hint) = &label_hint {
                        labels = Some(hint.clone());
                        labels_partial = true;
                    }
                }
                model.pods.push(Pod {
                    namespace,
                    name: Some(name.to_string()),
                    labels_origin: labels.as_ref().map(|_| origin),
                    labels,
                    labels_partial,
                    ip: none_if_placeholder(get("IP")),
                    node: none_if_placeholder(get("NODE")),
                    phase: status.clone(),
                    ready,
                    spec: Default::default(),
                    restarts: get("RESTARTS")
                        .and_then(|r| r.split_whitespace().next()?.parse().ok()),
                    age: get("AGE").and_then(age_seconds),
                    containers_ready: Vec::new(),
                    origin,
                });
            }
            TableKind::Services => {
                let ports = get("PORT(S)").map(service_ports).unwrap_or_default();
                model.services.push(Service {
                    namespace,
                    name: Some(name.to_string()),
                    service_type: get("TYPE").and_then(ServiceType::parse),
                    cluster_ip: get("CLUSTER-IP").map(str::to_string),
                    external_ips: none_if_placeholder(get("EXTERNAL-IP"))
                        .map(|e| e.split(',').map(str::to_string).collect())
                        .unwrap_or_default(),
                    ports,
                    selector: get("SELECTOR")
                        .map(|s| {
                            if s == "<none>" {
                                Selector::None
                            } else {
                                Selector::Labels(selector_pairs(s))
                            }
                        })
                        .unwrap_or(Selector::Unknown),
                    external_name: None,
                    partial: true,
                    origin,
                    selector_origin: None,
                    ..Service::default_at(origin)
                });
            }
            TableKind::Endpoints => {
                let (addresses, truncated) = endpoint_cell(get("ENDPOINTS").unwrap_or(""), origin);
                model.endpoints.push(EndpointSet {
                    from: EndpointSource::EndpointsTable,
                    namespace,
                    name: Some(name.to_string()),
                    service: Some(name.to_string()),
                    address_type: None,
                    ports: Vec::new(),
                    addresses,
                    truncated,
                    origin,
                });
            }
            TableKind::EndpointSlices => {
                let (addresses, truncated) = endpoint_cell(get("ENDPOINTS").unwrap_or(""), origin);
                let service = label_hint
                    .as_ref()
                    .and_then(|l| l.get("kubernetes.io/service-name").cloned())
                    .or_else(|| slice_service(name));
                let ports = get("PORTS")
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|p| p.parse().ok())
                    .map(|port| EndpointPort {
                        name: None,
                        port: Some(port),
                        protocol: "TCP".into(),
                    })
                    .collect();
                model.endpoints.push(EndpointSet {
                    from: EndpointSource::SliceTable,
                    namespace,
                    name: Some(name.to_string()),
                    service,
                    address_type: get("ADDRESSTYPE").map(str::to_string),
                    ports,
                    addresses,
                    truncated,
                    origin,
                });
            }
            // `NAME CLASS ADDRESS PROGRAMMED AGE`.
            TableKind::Gateways => {
                let programmed = get("PROGRAMMED").filter(|p| *p != "Unknown");
                model.gateways.push(Gateway {
                    namespace,
                    name: Some(name.to_string()),
                    class: none_if_placeholder(get("CLASS")),
                    conditions: programmed
                        .map(|p| GatewayCondition {
                            listener: None,
                            kind: "Programmed".into(),
                            status: p.to_string(),
                            reason: String::new(),
                            message: String::new(),
                            origin,
                        })
                        .into_iter()
                        .collect(),
                    origin,
                });
            }
            // Only `--show-labels` says what a namespace's labels are.
            TableKind::Namespaces => {
                if let Some(l) = get("LABELS") {
                    model.namespaces.push(NamespaceLabels {
                        name: name.to_string(),
                        labels: selector_pairs(if l == "<none>" { "" } else { l }),
                        origin,
                    });
                }
            }
            TableKind::OtherPolicies(kind) => model.admin_policies.push(AdminPolicy {
                kind: kind.to_string(),
                namespace: (kind == "CiliumNetworkPolicy")
                    .then_some(namespace)
                    .flatten(),
                name: Some(name.to_string()),
                spec: None,
                origin,
            }),
            TableKind::Nodes => {
                if let Some(v) = get("VERSION").and_then(crate::model::parse_version) {
                    model.at_least(v, origin);
                }
                model.nodes.push(Node {
                    name: Some(name.to_string()),
                    internal_ip: none_if_placeholder(get("INTERNAL-IP")),
                    ready: get("STATUS").map(|s| s.split(',').next() == Some("Ready")),
                    pod_cidr: None,
                    origin,
                })
            }
            TableKind::Ingresses => {
                let class = get("CLASS").unwrap_or("<none>");
                model.routes.push(crate::model::Route {
                    kind: "Ingress".into(),
                    namespace,
                    name: Some(name.to_string()),
                    classless: class == "<none>",
                    class: (class != "<none>").then(|| class.to_string()),
                    origin,
                    ..Default::default()
                });
            }
            TableKind::IngressClasses => {
                model.ingress_classes.push((name.to_string(), None, origin));
            }
            TableKind::Events => {
                if let Some(event) = table_event(head, &cells, namespace, origin) {
                    model.events.push(event);
                }
            }
            TableKind::Other => {}
        }
    }
}

/// `kubectl describe ingress`: its class and the backends of its rules,
/// `web:80 (10.244.1.5:80,10.244.2.5:80)`, or `web:80 (<error: endpoints
/// "web" not found>)` when the Service (or its endpoints) does not exist.
fn describe_ingress(
    cx: &Context<'_>,
    body: &[(usize, &str)],
    namespace: Option<String>,
    name: Option<String>,
    origin: Origin,
) -> crate::model::Route {
    use crate::model::{Route, RouteBackend};
    let mut route = Route {
        kind: "Ingress".into(),
        namespace,
        name,
        origin,
        ..Route::default()
    };
    for (no, raw) in body {
        let line = raw.trim();
        if let Some(class) = line.strip_prefix("Ingress Class:") {
            let class = class.trim();
            route.classless = class == "<none>";
            route.class = (!class.is_empty() && class != "<none>").then(|| class.to_string());
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            // `NAME:PORT` followed by `(`: a backend.
            let Some((service, port)) = w.rsplit_once(':') else {
                continue;
            };
            let followed = words.get(i + 1).is_some_and(|n| n.starts_with('('));
            let is_name = !service.is_empty()
                && service.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'
                });
            if !followed || !is_name || service.contains("//") {
                continue;
            }
            let at = cx.origin([*no, *no]);
            route.backends.push(RouteBackend {
                service: service.to_string(),
                namespace: None,
                port: Some(match port.parse() {
                    Ok(n) => TargetPort::Number(n),
                    Err(_) => TargetPort::Name(port.to_string()),
                }),
                origin: at,
            });
            if line.contains("<error:") && line.contains("not found") {
                route.missing.push((service.to_string(), at));
            }
        }
    }
    route
}

/// The `(x40 over 10m)` of an event seen 40 times.
fn repeat_count(text: &str) -> Option<u32> {
    let (_, after) = text.split_once("(x")?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The kind and name of `pod/web-abc12` (an event's OBJECT column).
fn event_object(object: &str) -> (Option<String>, Option<String>) {
    match object.split_once('/') {
        Some((kind, name)) => (
            Some(
                crate::read::command::kind_of_resource(kind)
                    .map_or_else(|| kind.to_string(), str::to_string),
            ),
            Some(name.to_string()),
        ),
        None => (None, (!object.is_empty()).then(|| object.to_string())),
    }
}

/// A row of `kubectl get events` (or `kubectl events`), `-o wide` too:
/// LAST SEEN, TYPE, REASON, OBJECT, then the message, which has spaces
/// (with `-o wide`: SUBOBJECT and SOURCE before it, FIRST SEEN, COUNT and
/// NAME after it).
fn table_event(
    head: &[String],
    cells: &[String],
    namespace: Option<String>,
    origin: Origin,
) -> Option<Event> {
    let at = |h: &str| head.iter().position(|x| x == h);
    let (kind_at, reason_at, object_at) = (at("TYPE")?, at("REASON")?, at("OBJECT")?);
    let mut rest: Vec<&str> = cells
        .iter()
        .skip(object_at + 1)
        .map(String::as_str)
        .collect();
    let mut count = at("LAST SEEN")
        .and_then(|i| cells.get(i))
        .and_then(|c| repeat_count(c));
    let mut source = None;
    if at("SOURCE").is_some() {
        if rest.len() >= 3 && at("COUNT").is_some() {
            count = rest[rest.len() - 2].parse().ok().or(count);
            rest.truncate(rest.len() - 3);
        }
        if rest
            .first()
            .is_some_and(|w| w.starts_with("spec.") || w.contains('{'))
        {
            rest.remove(0);
        }
        if !rest.is_empty() {
            let first = rest.remove(0);
            // `kubelet, k8s-node1`: the component, then the host.
            if first.ends_with(',') && !rest.is_empty() {
                rest.remove(0);
            }
            source = Some(first.trim_end_matches(',').to_string());
        }
    }
    let (kind, name) = event_object(cells.get(object_at)?);
    Some(Event {
        namespace,
        kind,
        name,
        warning: cells.get(kind_at)? == "Warning",
        reason: cells.get(reason_at)?.clone(),
        message: rest.join(" "),
        count,
        source,
        origin,
    })
}

/// The events of a `kubectl describe` (its `Events:` section, always last),
/// about the object described (`kind`, `name`). Rows are read by tokens:
/// `Warning  Unhealthy  2m (x40 over 10m)  kubelet  Readiness probe failed: ...`
/// (older kubectl names the host after the component: `kubelet, node1`); a
/// line that starts no row continues the message above.
fn describe_events(
    cx: &Context<'_>,
    body: &[(usize, &str)],
    about: (Option<&str>, Option<&str>, Option<&str>),
) -> Vec<Event> {
    let (namespace, kind, name) = about;
    let mut events: Vec<Event> = Vec::new();
    let mut inside = false;
    for (no, raw) in body {
        let line = raw.trim();
        if !inside {
            inside = line == "Events:" || line.starts_with("Events:") && !line.contains("<none>");
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            ["Type", "Reason", ..] => {}
            [dashes, ..] if dashes.starts_with("----") => {}
            [kind_word @ ("Normal" | "Warning"), reason, rest @ ..] => {
                let mut rest = rest.iter().copied().peekable();
                // The age, and `(x40 over 10m)` after it.
                rest.next();
                let mut count = None;
                if rest.peek().is_some_and(|w| w.starts_with("(x")) {
                    let mut repeat = String::new();
                    for w in rest.by_ref() {
                        repeat.push_str(w);
                        repeat.push(' ');
                        if w.ends_with(')') {
                            break;
                        }
                    }
                    count = repeat_count(&repeat);
                }
                let source = rest.next().map(|w| {
                    if w.ends_with(',') {
                        rest.next();
                    }
                    w.trim_end_matches(',').to_string()
                });
                events.push(Event {
                    namespace: namespace.map(str::to_string),
                    kind: kind.map(str::to_string),
                    name: name.map(str::to_string),
                    warning: *kind_word == "Warning",
                    reason: reason.to_string(),
                    message: rest.collect::<Vec<_>>().join(" "),
                    count,
                    source,
                    origin: cx.origin([*no, *no]),
                });
            }
            _ => {
                if let Some(last) = events.last_mut() {
                    last.message.push(' ');
                    last.message.push_str(line);
                    last.origin = cx.origin([last.origin.lines[0], *no]);
                }
            }
        }
    }
    events
}

/// The Service of an EndpointSlice named `web-abc12`: the name without its
/// generated suffix.
fn slice_service(name: &str) -> Option<String> {
    let (base, suffix) = name.rsplit_once('-')?;
    (suffix.len() == 5 && suffix.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| base.to_string())
}

/// `Error from server (NotFound): services "web" not found`, `No resources
/// found in default namespace.`, connection errors.
pub fn parse_error(cx: &mut Context<'_>, model: &mut Model) {
    let namespace = cx.kubectl.as_ref().and_then(|k| k.namespace.clone());
    for (no, raw) in cx.body() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let origin = cx.origin([no, no]);
        let mut error = KubectlError {
            kind: "other".into(),
            namespace: namespace.clone(),
            text: line.to_string(),
            origin,
            ..KubectlError::default()
        };
        if line.starts_with("Error from server (NotFound)") {
            error.kind = "not_found".into();
            // `...: services "web" not found`
            if let Some((_, rest)) = line.split_once("): ") {
                let mut words = rest.split_whitespace();
                error.resource = words.next().map(str::to_string);
                error.name = words.next().map(|n| n.trim_matches('"').to_string());
            }
        } else if line.starts_with("Error from server (Forbidden)") {
            error.kind = "forbidden".into();
        } else if line.starts_with("No resources found") {
            error.kind = "no_resources".into();
            if let Some(ns) = line
                .strip_prefix("No resources found in ")
                .and_then(|r| r.split_whitespace().next())
            {
                error.namespace = Some(ns.to_string());
            }
        } else if line.contains("connection refused")
            || line.contains("Unable to connect to the server")
        {
            error.kind = "connection_refused".into();
        } else if !(line.starts_with("Error") || line.starts_with("error:")) {
            cx.say(
                no,
                Severity::Info,
                crate::text!(
                    "line not understood as a kubectl error: {line}",
                    "无法理解为 kubectl 错误的行：{line}"
                ),
                &[("line", line)],
            );
            continue;
        }
        model.errors.push(error);
    }
}

/// `kubectl describe svc` and `kubectl describe pod`.
pub fn parse_describe(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let Some(&(first, _)) = body.first() else {
        return;
    };
    let last = body.last().map_or(first, |(n, _)| *n);
    let origin = cx.origin([first, last]);
    let mut fields: Vec<(usize, String, String)> = Vec::new();
    for (no, raw) in &body {
        if raw.trim().is_empty() {
            continue;
        }
        let top_level = !raw.starts_with([' ', '\t']);
        match raw.split_once(':') {
            Some((key, value)) if top_level && !key.contains("  ") => {
                fields.push((*no, key.trim().to_string(), value.trim().to_string()))
            }
            _ => {
                // A continuation line (`Labels:` with several labels, or
                // nested container details).
                fields.push((*no, String::new(), raw.trim().to_string()));
            }
        }
    }
    let value = |key: &str| {
        fields
            .iter()
            .find(|(_, k, _)| k == key)
            .map(|(_, _, v)| v.clone())
    };
    let is_pod =
        value("Containers").is_some() || value("Node").is_some() || value("Status").is_some();
    let kind_hint = cx.kubectl.as_ref().and_then(Kubectl::single_kind);
    let name = value("Name");
    let namespace = value("Namespace");
    let is_service = kind_hint == Some("Service")
        || value("Type").is_some() && value("TargetPort").is_some()
        || value("Endpoints").is_some();
    let described = if is_service {
        Some("Service")
    } else if kind_hint == Some("Ingress") || value("Ingress Class").is_some() {
        Some("Ingress")
    } else if kind_hint == Some("Pod") || is_pod {
        Some("Pod")
    } else {
        kind_hint
    };
    model.events.extend(describe_events(
        cx,
        &body,
        (
            namespace.as_deref().or(Some("default")),
            described,
            name.as_deref(),
        ),
    ));
    if is_service {
        let mut ports: Vec<ServicePort> = Vec::new();
        let mut endpoints = Vec::new();
        for (no, key, v) in &fields {
            match key.as_str() {
                "Port" => {
                    let mut words = v.split_whitespace();
                    let port_name = words.next().filter(|n| *n != "<unset>").map(str::to_string);
                    let mut p = service_ports(words.next().unwrap_or(""));
                    if let Some(mut p) = p.pop() {
                        p.name = port_name;
                        ports.push(p);
                    }
                }
                "TargetPort" => {
                    if let Some(p) = ports.last_mut() {
                        let num = v.split('/').next().unwrap_or("");
                        p.target_port = Some(match num.parse() {
                            Ok(n) => TargetPort::Number(n),
                            Err(_) => TargetPort::Name(num.to_string()),
                        });
                    }
                }
                "NodePort" => {
                    if let Some(p) = ports.last_mut() {
                        p.node_port = service_ports(v.split_whitespace().nth(1).unwrap_or(""))
                            .first()
                            .and_then(|x| x.port);
                    }
                }
                "Endpoints" => {
                    // Old kubectl and OpenShift name the port first:
                    // `Endpoints:  client  172.17.0.19:2379,172.17.0.21:2379`.
                    let (named, v) = match v.split_once(char::is_whitespace) {
                        Some((port, rest))
                            if !port.contains([':', '.', ',']) && port != "<none>" =>
                        {
                            (Some(port.to_string()), rest.trim())
                        }
                        _ => (None, v.as_str()),
                    };
                    // The Endpoints line follows its Port line: it lists
                    // that port's endpoints.
                    let port = ports.last().map(|p| EndpointPort {
                        name: named.or_else(|| p.name.clone()),
                        port: None,
                        protocol: p.protocol.clone(),
                    });
                    let (addrs, truncated) = endpoint_cell(v, cx.origin([*no, *no]));
                    endpoints.push((addrs, truncated, *no, port));
                }
                _ => {}
            }
        }
        let selector_line = fields
            .iter()
            .find(|(_, k, _)| k == "Selector")
            .map(|(n, _, _)| *n);
        model.services.push(Service {
            namespace: namespace.clone(),
            name: name.clone(),
            service_type: value("Type").and_then(|t| ServiceType::parse(&t)),
            cluster_ip: value("IP"),
            ports,
            selector: match value("Selector").as_deref() {
                Some("<none>") | Some("") => Selector::None,
                Some(s) => Selector::Labels(selector_pairs(s)),
                None => Selector::Unknown,
            },
            selector_origin: selector_line.map(|n| cx.origin([n, n])),
            session_affinity: value("Session Affinity"),
            external_traffic_policy: value("External Traffic Policy")
                .and_then(|p| TrafficPolicy::parse(&p)),
            internal_traffic_policy: value("Internal Traffic Policy")
                .and_then(|p| TrafficPolicy::parse(&p)),
            partial: false,
            ..Service::default_at(origin)
        });
        for (addresses, truncated, no, port) in endpoints {
            model.endpoints.push(EndpointSet {
                from: EndpointSource::Describe,
                namespace: namespace.clone(),
                name: name.clone(),
                service: name.clone(),
                address_type: None,
                ports: port.into_iter().collect(),
                addresses,
                truncated,
                origin: cx.origin([no, no]),
            });
        }
    } else if described == Some("Ingress") {
        model
            .routes
            .push(describe_ingress(cx, &body, namespace, name, origin));
    } else if kind_hint == Some("Pod") || is_pod {
        let mut labels = Labels::new();
        let mut labels_lines: Option<[usize; 2]> = None;
        let mut in_labels = false;
        let mut ready = None;
        let mut in_conditions = false;
        for (no, key, v) in &fields {
            if !key.is_empty() {
                in_labels = key == "Labels";
                in_conditions = key == "Conditions";
            }
            if in_labels && v != "<none>" {
                if let Some((k, val)) = v.split_once('=') {
                    labels.insert(k.to_string(), val.to_string());
                    labels_lines = Some([labels_lines.map_or(*no, |l| l[0]), *no]);
                }
            }
            if in_conditions && key.is_empty() {
                let words: Vec<&str> = v.split_whitespace().collect();
                if words.first() == Some(&"Ready") {
                    ready = words.get(1).map(|s| *s == "True");
                }
            }
        }
        model.pods.push(Pod {
            namespace,
            name,
            labels: Some(labels),
            labels_origin: labels_lines.map(|l| cx.origin(l)),
            labels_partial: false,
            ip: value("IP"),
            node: value("Node").map(|n| n.split('/').next().unwrap_or("").to_string()),
            phase: value("Status"),
            ready,
            restarts: None,
            age: None,
            spec: Default::default(),
            containers_ready: describe_containers(cx, &body),
            origin,
        });
    } else {
        cx.say(
            first,
            Severity::Info,
            crate::text!(
                "describe output of a kind svcdoctor does not read",
                "svcdoctor 不读取这种资源的 describe 输出"
            ),
            &[],
        );
    }
}

/// The `Containers:` and `Init Containers:` of `kubectl describe pod`: each
/// container's `Ready:` line.
fn describe_containers(cx: &Context<'_>, body: &[(usize, &str)]) -> Vec<ContainerReady> {
    let mut out = Vec::new();
    let mut section: Option<bool> = None; // Some(init)
    let mut container: Option<String> = None;
    for (no, raw) in body {
        let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if indent == 0 {
            section = match line {
                "Containers:" => Some(false),
                "Init Containers:" => Some(true),
                _ => None,
            };
            container = None;
            continue;
        }
        let Some(init) = section else {
            continue;
        };
        match line.split_once(':') {
            Some((name, "")) if indent <= 2 => container = Some(name.trim().to_string()),
            Some(("Ready", value)) => {
                if let (Some(name), Some(ready)) = (
                    &container,
                    match value.trim() {
                        "True" => Some(true),
                        "False" => Some(false),
                        _ => None,
                    },
                ) {
                    out.push(ContainerReady {
                        name: name.clone(),
                        ready,
                        init,
                        origin: cx.origin([*no, *no]),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_cells() {
        assert_eq!(
            header_words("NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES"),
            [
                "NAME",
                "READY",
                "STATUS",
                "RESTARTS",
                "AGE",
                "IP",
                "NODE",
                "NOMINATED NODE",
                "READINESS GATES"
            ]
        );
        assert_eq!(
            row_cells("web-1 1/1 Running 3 (5m ago) 1h"),
            ["web-1", "1/1", "Running", "3 (5m ago)", "1h"]
        );
        assert_eq!(
            row_cells("web 10.0.0.1:80,10.0.0.2:80 + 1 more... 3m"),
            ["web", "10.0.0.1:80,10.0.0.2:80 + 1 more...", "3m"]
        );
    }

    #[test]
    fn ports_and_selectors() {
        let p = service_ports("80:32035/TCP,53/UDP");
        assert_eq!(
            (p[0].port, p[0].node_port, p[1].protocol.as_str()),
            (Some(80), Some(32035), "UDP")
        );
        assert_eq!(selector_pairs("app=web,tier!=x,env==prod").len(), 2);
        assert_eq!(slice_service("my-nginx-7vzhx").as_deref(), Some("my-nginx"));
    }
}
