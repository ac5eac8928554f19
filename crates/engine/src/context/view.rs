//! Views across artifacts: one Service seen in a table, a YAML fragment and
//! iptables rules is one Service; its endpoints come from EndpointSlices when
//! pasted (Endpoints are deprecated since Kubernetes 1.33), else Endpoints,
//! else tables or describe output.

use crate::model::{
    same_namespace, selector_matches, EndpointSet, EndpointSource, Labels, Model, Origin, Pod,
    Selector, Service, ServicePort, Workload,
};
use crate::read::artifact::{Artifact, Client};
use crate::report::{ServiceRef, Subject, SubjectKind};

/// Namespaces and names of the cluster's own Services, which are not what a
/// user is asking about unless nothing else was pasted.
pub fn is_system(namespace: Option<&str>, name: Option<&str>) -> bool {
    matches!(namespace, Some("kube-system"))
        || (name == Some("kubernetes") && namespace.is_none_or(|n| n == "default"))
}

/// One Service, as all the pasted artifacts describe it.
#[derive(Clone, Debug)]
pub struct ServiceView<'m> {
    pub namespace: Option<&'m str>,
    pub name: Option<&'m str>,
    pub parts: Vec<&'m Service>,
}

impl<'m> ServiceView<'m> {
    pub fn key(&self) -> (Option<&'m str>, Option<&'m str>) {
        (self.namespace, self.name)
    }

    /// `name` or `name -n namespace` style label for messages: `default/web`.
    pub fn label(&self) -> String {
        match (self.namespace, self.name) {
            (Some(ns), Some(n)) => format!("{ns}/{n}"),
            (None, Some(n)) => n.to_string(),
            _ => "<unnamed>".to_string(),
        }
    }

    /// The Service as a reference, when its name is known.
    pub fn reference(&self) -> Option<ServiceRef> {
        self.name.map(|name| ServiceRef {
            namespace: self.namespace.map(str::to_string),
            name: name.to_string(),
        })
    }

    /// The Service as the subject of a finding.
    pub fn subject(&self) -> Subject {
        self.subject_of(SubjectKind::Service, self.namespace, self.name)
    }

    /// Something on this Service's path (a pod it selects, a rule that
    /// forwards it) as the subject of a finding.
    pub fn subject_of(&self, kind: SubjectKind, ns: Option<&str>, name: Option<&str>) -> Subject {
        Subject::on(kind, ns, name, self.reference())
    }

    /// kube-proxy's rules for this Service as the subject of a finding.
    pub fn proxy_subject(&self) -> Subject {
        self.subject_of(SubjectKind::KubeProxy, self.namespace, self.name)
    }

    pub fn name_or(&self, fallback: &'m str) -> &'m str {
        self.name.unwrap_or(fallback)
    }

    /// `-n NS` for commands, or nothing.
    pub fn ns_flag(&self) -> String {
        self.namespace
            .map(|ns| format!(" -n {ns}"))
            .unwrap_or_default()
    }

    pub fn ns(&self) -> &'m str {
        self.namespace.unwrap_or("default")
    }

    /// The first origin, for evidence.
    pub fn origin(&self) -> Origin {
        self.parts.first().map(|s| s.origin).unwrap_or_default()
    }

    /// The selector, from the first part that shows it.
    pub fn selector(&self) -> (&'m Selector, Option<Origin>) {
        for part in &self.parts {
            if !matches!(part.selector, Selector::Unknown) {
                return (&part.selector, part.selector_origin.or(Some(part.origin)));
            }
        }
        static UNKNOWN: Selector = Selector::Unknown;
        (&UNKNOWN, None)
    }

    pub fn selector_labels(&self) -> Option<(&'m Labels, Origin)> {
        match self.selector() {
            (Selector::Labels(l), origin) if !l.is_empty() => Some((l, origin.unwrap_or_default())),
            _ => None,
        }
    }

    /// `-l app=web` for kubectl commands about the Service's pods, or
    /// nothing while its selector is not known.
    pub fn selector_flag(&self) -> String {
        self.selector_labels()
            .map(|(l, _)| format!("-l {}", crate::model::labels_to_string(l)))
            .unwrap_or_default()
    }

    fn first<T>(&self, f: impl Fn(&'m Service) -> Option<T>) -> Option<T> {
        self.parts.iter().find_map(|s| f(s))
    }

    pub fn service_type(&self) -> Option<crate::model::ServiceType> {
        self.first(|s| s.service_type)
    }

    pub fn cluster_ip(&self) -> Option<&'m str> {
        self.first(|s| s.cluster_ip.as_deref())
    }

    pub fn is_headless(&self) -> bool {
        self.cluster_ip() == Some("None")
    }

    pub fn is_external_name(&self) -> bool {
        self.parts.iter().any(|s| s.is_external_name())
    }

    pub fn external_traffic_policy(&self) -> Option<crate::model::TrafficPolicy> {
        self.first(|s| s.external_traffic_policy)
    }

    /// The ports from the most complete part: one with targetPorts if any.
    pub fn ports(&self) -> (&'m [ServicePort], Option<Origin>) {
        let best = self
            .parts
            .iter()
            .filter(|s| !s.ports.is_empty())
            .max_by_key(|s| (s.ports.iter().any(|p| p.target_port.is_some()), !s.partial));
        match best {
            Some(s) => (&s.ports, s.ports_origin.or(Some(s.origin))),
            None => (&[], None),
        }
    }

    pub fn part_with_ports(&self) -> Option<&'m Service> {
        let (ports, _) = self.ports();
        self.parts
            .iter()
            .copied()
            .find(|s| std::ptr::eq(s.ports.as_ptr(), ports.as_ptr()))
    }
}

/// Every Service the paste mentions, merged by namespace and name. A part
/// without a namespace joins the one Service of that name.
pub fn services(model: &Model) -> Vec<ServiceView<'_>> {
    // Parts grouped by name (in pasted order within a name), so that
    // merging stays linear; each view remembers its first part.
    let names: Vec<&str> = model
        .services
        .iter()
        .map(|s| s.name.as_deref().unwrap_or(""))
        .collect();
    let order = crate::model::sorted_positions(&names);
    let mut placed: Vec<(u32, ServiceView<'_>)> = Vec::new();
    let mut group_start = 0;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && names[order[k - 1] as usize] != names[i as usize] {
            group_start = placed.len();
        }
        let s = &model.services[i as usize];
        let name = s.name.as_deref();
        let ns = s.namespace.as_deref();
        let found = placed[group_start..].iter_mut().find(|(_, v)| {
            v.name == name && (v.namespace == ns || v.namespace.is_none() || ns.is_none())
        });
        match found {
            Some((_, v)) => {
                if v.namespace.is_none() {
                    v.namespace = ns;
                }
                v.parts.push(s);
            }
            None => placed.push((
                i,
                ServiceView {
                    namespace: ns,
                    name,
                    parts: vec![s],
                },
            )),
        }
    }
    placed.sort_unstable_by_key(|(first, _)| *first);
    let mut views: Vec<ServiceView<'_>> = placed.into_iter().map(|(_, v)| v).collect();
    // A fragment without its metadata (`spec:` alone) is the Service whose
    // cluster IP it shows.
    let mut i = 0;
    while i < views.len() {
        let ip = views[i].cluster_ip().filter(|ip| *ip != "None");
        // Only nameless views look for an owner: few, in real pastes.
        let owner = match (views[i].name, ip) {
            (None, Some(ip)) => views
                .iter()
                .position(|v| v.name.is_some() && v.cluster_ip() == Some(ip)),
            _ => None,
        };
        match owner {
            Some(j) => {
                let parts = views.remove(i).parts;
                let j = if j > i { j - 1 } else { j };
                views[j].parts.extend(parts);
            }
            None => i += 1,
        }
    }
    views
}

/// The endpoints of one Service, from the best source pasted.
#[derive(Clone, Debug)]
pub struct EndpointsView<'m> {
    /// `EndpointSlice`, `Endpoints`, `table`, `describe`.
    pub from: &'static str,
    pub sets: Vec<&'m EndpointSet>,
}

impl<'m> EndpointsView<'m> {
    /// Ready addresses (IPs).
    pub fn ready_ips(&self) -> Vec<&'m str> {
        self.ips(true)
    }

    pub fn not_ready_ips(&self) -> Vec<&'m str> {
        self.ips(false)
    }

    /// The addresses whose readiness is `ready`, each once, sorted.
    fn ips(&self, ready: bool) -> Vec<&'m str> {
        let mut ips: Vec<&'m str> = self
            .sets
            .iter()
            .flat_map(|s| {
                s.addresses
                    .iter()
                    .filter(|a| a.ready == ready)
                    .map(|a| a.ip.as_str())
            })
            .collect();
        ips.sort_unstable();
        ips.dedup();
        ips
    }

    /// Ready `ip:port` pairs, where the source pairs them, written as
    /// kube-proxy's rules write them (`[fd00::5]:8080` for IPv6).
    pub fn ready_pairs(&self) -> Vec<String> {
        let pair = |ip: &str, port: u32| crate::model::host_port(ip, port);
        let mut out = Vec::new();
        for set in &self.sets {
            for a in set.addresses.iter().filter(|a| a.ready) {
                match a.port {
                    Some(p) => out.push(pair(&a.ip, p)),
                    None => out.extend(
                        set.ports
                            .iter()
                            .filter_map(|p| p.port)
                            .map(|p| pair(&a.ip, p)),
                    ),
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn truncated(&self) -> bool {
        self.sets.iter().any(|s| s.truncated)
    }

    pub fn origin(&self) -> Origin {
        self.sets.first().map(|s| s.origin).unwrap_or_default()
    }
}

/// The endpoints of Service `name` in `ns`, preferring EndpointSlices.
pub fn endpoints_of<'m>(
    model: &'m Model,
    ns: Option<&str>,
    name: &str,
) -> Option<EndpointsView<'m>> {
    let of_service: Vec<&EndpointSet> = model
        .endpoints_named(name)
        .into_iter()
        .filter(|e| same_namespace(ns, e.namespace.as_deref()))
        .collect();
    // Slices first (Endpoints are deprecated since Kubernetes 1.33), then
    // Endpoints objects, describe output, Endpoints tables.
    let preference: [(&'static str, &dyn Fn(EndpointSource) -> bool); 4] = [
        ("EndpointSlice", &EndpointSource::is_slice),
        ("Endpoints", &|f| f == EndpointSource::Endpoints),
        ("describe", &|f| f == EndpointSource::Describe),
        ("table", &|f| f == EndpointSource::EndpointsTable),
    ];
    for (from, takes) in preference {
        let sets: Vec<&EndpointSet> = of_service
            .iter()
            .copied()
            .filter(|e| takes(e.from))
            .collect();
        if !sets.is_empty() {
            return Some(EndpointsView { from, sets });
        }
    }
    None
}

/// Pods in `ns` whose labels satisfy `selector` (pods with unknown labels are
/// not counted).
pub fn pods_selected<'m>(model: &'m Model, ns: Option<&str>, selector: &Labels) -> Vec<&'m Pod> {
    // The pods that carry the selector's first label, not every pod.
    let candidates: Vec<&'m Pod> = match selector.iter().next() {
        Some((key, value)) => model.pods_labelled(key, value),
        None => model.pods.iter().collect(),
    };
    let mut pods: Vec<&Pod> = candidates
        .into_iter()
        .filter(|p| same_namespace(ns, p.namespace.as_deref()))
        .filter(|p| {
            p.labels
                .as_ref()
                .is_some_and(|l| selector_matches(selector, l))
        })
        .collect();
    // The same pod may be listed by several tables: keep the most informed.
    pods.sort_by_key(|p| (p.name.clone(), p.ip.is_none()));
    pods.dedup_by(|a, b| a.name.is_some() && a.name == b.name);
    pods
}

/// Everything known of the pods with these names: merged across tables
/// (`get pods -l`, `get pods -o wide`).
/// They come in the order they were observed: by the age the listings show
/// when every row has one (outputs may be pasted in any order), else in the
/// order pasted.
pub fn pod_facts<'m>(model: &'m Model, ns: Option<&str>, name: &str) -> Vec<&'m Pod> {
    in_observed_order(
        model
            .pods_named(name)
            .into_iter()
            .filter(|p| same_namespace(ns, p.namespace.as_deref()))
            .collect(),
    )
}

/// Rows about one pod in the order they were observed (see [`pod_facts`]).
fn in_observed_order(mut rows: Vec<&Pod>) -> Vec<&Pod> {
    // Only rows of the same pod instance: one that was deleted and created
    // again under its name (a StatefulSet's) is young again, with a new IP.
    let mut ips = rows.iter().filter_map(|r| r.ip.as_deref());
    let first_ip = ips.next();
    let same_instance = ips.all(|ip| Some(ip) == first_ip);
    if rows.len() > 1 && same_instance && rows.iter().all(|r| r.age.is_some()) {
        rows.sort_by_key(|r| r.age);
    }
    rows
}

/// Workloads in `ns` whose pods the selector picks.
pub fn workloads_selected<'m>(
    model: &'m Model,
    ns: Option<&str>,
    selector: &Labels,
) -> Vec<&'m Workload> {
    model
        .workloads
        .iter()
        .filter(|w| same_namespace(ns, w.namespace.as_deref()))
        .filter(|w| {
            w.pod_labels()
                .is_some_and(|(l, _)| selector_matches(selector, l))
        })
        .collect()
}

/// A full listing of the kube-system pods (`kubectl get pods -n kube-system`
/// or `-A`, without `-l`) that shows some of them: evidence of what does
/// not run there.
pub fn system_pod_listing<'m>(model: &'m Model, artifacts: &'m [Artifact]) -> Option<&'m Artifact> {
    artifacts.iter().find(|a| {
        let full = a
            .command
            .as_ref()
            .and_then(|c| c.kubectl())
            .is_some_and(|k| {
                k.verb == "get"
                    && k.resources.iter().any(|r| r.starts_with("po"))
                    && k.selector.is_none()
                    && (k.namespace.as_deref() == Some("kube-system") || k.all_namespaces)
            });
        full && model
            .pods
            .iter()
            .any(|p| p.origin.artifact == a.index && p.namespace.as_deref() == Some("kube-system"))
    })
}

/// Where lookups and probes ran from.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    /// The client pod's namespace: from `kubectl exec -n`, or from the first
    /// search domain of its resolv.conf (`<ns>.svc.<domain>`).
    pub namespace: Option<String>,
    pub pod: Option<String>,
    /// The cluster domain, from resolv.conf's search list (`cluster.local`).
    pub domain: Option<String>,
    /// The cluster DNS IP the pods use.
    pub dns_ip: Option<String>,
}

pub fn client_info(model: &Model, artifacts: &[Artifact]) -> ClientInfo {
    let mut info = ClientInfo::default();
    for a in artifacts {
        if let Client::Pod { name, namespace } = &a.client {
            info.pod = info.pod.clone().or_else(|| name.clone());
            info.namespace = info.namespace.clone().or_else(|| namespace.clone());
        }
    }
    for r in &model.resolvers {
        if let Some(first) = r.search.first() {
            if let Some((ns, domain)) = first.split_once(".svc.") {
                info.namespace = info.namespace.clone().or_else(|| Some(ns.to_string()));
                info.domain = info.domain.clone().or_else(|| Some(domain.to_string()));
            }
        }
        if info.domain.is_none() {
            info.domain = r
                .search
                .iter()
                .find_map(|s| s.strip_prefix("svc.").map(str::to_string));
        }
        info.dns_ip = info
            .dns_ip
            .clone()
            .or_else(|| r.nameservers.first().cloned());
    }
    // `kubectl exec POD` without `-n` runs in the context's namespace,
    // which svcdoctor takes to be `default`, as for tables.
    if info.namespace.is_none() && info.pod.is_some() {
        info.namespace = Some("default".to_string());
    }
    if info.dns_ip.is_none() {
        info.dns_ip = model
            .services
            .iter()
            .find(|s| s.name.as_deref() == Some("kube-dns"))
            .and_then(|s| s.cluster_ip.clone());
    }
    info
}

/// A pod of a Service with what every pasted row says of it (`get pods -l`
/// gives labels, `get pods -o wide` IPs and nodes).
#[derive(Clone, Debug)]
pub struct PodInfo<'m> {
    pub name: Option<&'m str>,
    pub namespace: Option<&'m str>,
    pub ip: Option<&'m str>,
    pub node: Option<&'m str>,
    pub phase: Option<&'m str>,
    pub ready: Option<bool>,
    pub restarts: Option<u32>,
    /// Every row or object that shows the pod.
    pub origins: Vec<Origin>,
    /// Tied to the Service only by its name (`web-7d4b9c8f5-x2x9z` for
    /// `web`), the selector and the endpoints not saying: findings say so.
    pub by_name_only: bool,
}

/// The pods a selector picks, merged by name with every other row about them.
pub fn selected_pods<'m>(
    model: &'m Model,
    ns: Option<&str>,
    selector: &Labels,
) -> Vec<PodInfo<'m>> {
    merged_pods(model, ns, pods_selected(model, ns, selector))
}

/// Each of `pods` once, with what every pasted row says of it.
fn merged_pods<'m>(model: &'m Model, ns: Option<&str>, pods: Vec<&'m Pod>) -> Vec<PodInfo<'m>> {
    let mut out: Vec<PodInfo<'m>> = Vec::new();
    for p in pods {
        let Some(name) = p.name.as_deref() else {
            continue;
        };
        if out.iter().any(|i| i.name == Some(name)) {
            continue;
        }
        let rows = pod_facts(model, p.namespace.as_deref().or(ns), name);
        out.push(PodInfo {
            name: Some(name),
            namespace: p.namespace.as_deref(),
            // The latest output wins where rows disagree.
            ip: rows.iter().rev().find_map(|r| r.ip.as_deref()),
            node: rows.iter().rev().find_map(|r| r.node.as_deref()),
            phase: rows.iter().rev().find_map(|r| r.phase.as_deref()),
            ready: rows.iter().rev().find_map(|r| r.ready),
            restarts: rows.iter().rev().find_map(|r| r.restarts),
            origins: rows.iter().map(|r| r.origin).collect(),
            by_name_only: false,
        });
    }
    out
}

/// Whether `pod` is named the way a workload named `workload` names its
/// pods: `web-7d4b9c8f5-x2x9z` (a Deployment's ReplicaSet),
/// `web-x2x9z` (a DaemonSet, a ReplicationController), `web-0` (a
/// StatefulSet).
pub fn named_after(workload: &str, pod: &str) -> bool {
    let Some(rest) = pod.strip_prefix(workload).and_then(|r| r.strip_prefix('-')) else {
        return false;
    };
    // The generated parts use Kubernetes' "safe" alphabet: no vowels, no
    // 0, 1 or 3 (so `web-worker-x2x9z` is not a pod of `web`).
    let token = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len())
            && s.bytes()
                .all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b))
    };
    match rest.split('-').collect::<Vec<_>>().as_slice() {
        [hash, id] => token(hash, 5..=10) && token(id, 5..=5),
        [id] => {
            token(id, 5..=5)
                || (!id.is_empty() && id.len() <= 5 && id.bytes().all(|b| b.is_ascii_digit()))
        }
        _ => false,
    }
}

/// The pods behind a Service: those its selector picks, those whose IP is
/// one of its endpoint addresses, those an endpoint's `targetRef` names,
/// and, while its selector is unknown (a Service known only from its
/// Endpoints, its rules or a probe), those named after it as its workload
/// names them.
pub fn backend_pods<'m>(model: &'m Model, svc: &ServiceView<'m>) -> Vec<PodInfo<'m>> {
    let ns = svc.namespace;
    let mut pods: Vec<&'m Pod> = match svc.selector() {
        (Selector::Labels(selector), _) if !selector.is_empty() => {
            pods_selected(model, ns, selector)
        }
        (Selector::Unknown, _) => svc
            .name
            .map(|name| {
                model
                    .pods_named_from(&format!("{name}-"))
                    .into_iter()
                    .filter(|p| same_namespace(ns, p.namespace.as_deref()))
                    .filter(|p| p.name.as_deref().is_some_and(|n| named_after(name, n)))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let named_only = matches!(svc.selector().0, Selector::Unknown);
    let by_name = pods.len();
    if let Some(view) = svc.name.and_then(|name| endpoints_of(model, ns, name)) {
        for address in view.sets.iter().flat_map(|s| &s.addresses) {
            let named = address.pod.as_deref().map(|n| model.pods_named(n));
            pods.extend(
                model
                    .pods_at(&address.ip)
                    .into_iter()
                    .chain(named.into_iter().flatten())
                    .filter(|p| same_namespace(ns, p.namespace.as_deref())),
            );
        }
    }
    // The pods found by name alone, not by an endpoint as well.
    let by_endpoint: Vec<Option<&str>> =
        pods[by_name..].iter().map(|p| p.name.as_deref()).collect();
    let mut merged = merged_pods(model, ns, pods);
    if named_only {
        for info in &mut merged {
            info.by_name_only = !by_endpoint.contains(&info.name);
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::named_after;

    #[test]
    fn pods_named_after_their_workload() {
        assert!(named_after("web", "web-f9h25wqknb-n8tqc"));
        assert!(named_after("web", "web-96d5df5c8-6rtxj"));
        assert!(named_after("web", "web-x2x9z"));
        assert!(named_after("db", "db-0"));
        // Another workload whose name starts with the Service's.
        assert!(!named_after("web", "web-api-7d4b9c8f5-x2x9z"));
        assert!(!named_after("web", "webapp-7d4b9c8f5-x2x9z"));
        assert!(!named_after("web", "web"));
        assert!(!named_after("web", "web-Abc12"));
        assert!(!named_after("web", "web-worker-x2x9z"));
    }
}
