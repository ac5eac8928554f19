//! The normalised model: what the pasted artifacts say about the cluster.
//! Every fact remembers the artifact and lines it came from.

use std::collections::BTreeMap;

use serde::Serialize;

/// Where a fact was read: an artifact and a 1-based inclusive line range of
/// its source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub artifact: usize,
    pub source: usize,
    pub lines: [usize; 2],
}

pub type Labels = BTreeMap<String, String>;

/// A map of labels (or of any string keys and values) from its pairs. Every
/// such map is built here: collecting into a `BTreeMap` sorts the pairs, and
/// each iterator type collected from would get its own copy of that sort in
/// the page's WebAssembly (about 4 KB each).
#[inline(never)]
pub fn label_map(pairs: Vec<(String, String)>) -> Labels {
    pairs.into_iter().collect()
}

/// Renders labels the way kubectl does: `app=web,tier=front`.
/// Labels from pairs, for tests.
#[cfg(test)]
pub(crate) fn labels_of(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn labels_to_string(labels: &Labels) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// What is known of a Service's selector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "labels")]
pub enum Selector {
    /// The pasted text does not show it (a cut-off fragment).
    Unknown,
    /// The Service has no selector: its endpoints are managed by hand.
    None,
    Labels(Labels),
}

/// A Service port's target: a number, or a container port's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TargetPort {
    Number(u32),
    Name(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: Option<u32>,
    pub protocol: String,
    pub target_port: Option<TargetPort>,
    pub node_port: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Service {
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`.
    pub service_type: Option<ServiceType>,
    pub cluster_ip: Option<String>,
    pub ports: Vec<ServicePort>,
    pub selector: Selector,
    pub external_name: Option<String>,
    pub external_ips: Vec<String>,
    pub load_balancer_ips: Vec<String>,
    pub load_balancer_source_ranges: Vec<String>,
    pub external_traffic_policy: Option<TrafficPolicy>,
    pub internal_traffic_policy: Option<TrafficPolicy>,
    /// `publishNotReadyAddresses`: endpoints list pods that are not ready
    /// as ready.
    pub publish_not_ready: bool,
    pub session_affinity: Option<String>,
    pub health_check_node_port: Option<u32>,
    /// True when the object was cut: elided lines, or no `kind`.
    pub partial: bool,
    pub origin: Origin,
    pub selector_origin: Option<Origin>,
    pub ports_origin: Option<Origin>,
}

impl Service {
    /// A Service known only by where it was seen.
    pub fn default_at(origin: Origin) -> Service {
        Service {
            namespace: None,
            name: None,
            service_type: None,
            cluster_ip: None,
            ports: Vec::new(),
            selector: Selector::Unknown,
            external_name: None,
            external_ips: Vec::new(),
            load_balancer_ips: Vec::new(),
            load_balancer_source_ranges: Vec::new(),
            external_traffic_policy: None,
            internal_traffic_policy: None,
            publish_not_ready: false,
            session_affinity: None,
            health_check_node_port: None,
            partial: true,
            origin,
            selector_origin: None,
            ports_origin: None,
        }
    }

    pub fn is_external_name(&self) -> bool {
        self.service_type == Some(ServiceType::ExternalName) || self.external_name.is_some()
    }
}

/// A controller that makes pods: Deployment, StatefulSet, DaemonSet,
/// ReplicaSet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Workload {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// `spec.selector.matchLabels`.
    pub selector: Option<Labels>,
    pub selector_origin: Option<Origin>,
    /// `spec.template.metadata.labels`.
    pub template_labels: Option<Labels>,
    pub template_labels_origin: Option<Origin>,
    /// The pod template's spec.
    pub pod_spec: PodSpec,
    pub replicas: Option<u32>,
    pub origin: Origin,
}

impl Workload {
    /// Labels every pod of this workload carries, as far as the paste shows:
    /// the template's labels, or else the selector's, which the API server
    /// requires the template to carry.
    pub fn pod_labels(&self) -> Option<(&Labels, Origin)> {
        match (&self.template_labels, &self.selector) {
            (Some(l), _) => Some((l, self.template_labels_origin.unwrap_or(self.origin))),
            (None, Some(l)) => Some((l, self.selector_origin.unwrap_or(self.origin))),
            (None, None) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pod {
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub labels: Option<Labels>,
    pub labels_origin: Option<Origin>,
    /// The labels shown are only some of the pod's (those a `-l` selector
    /// asked for).
    pub labels_partial: bool,
    pub ip: Option<String>,
    pub node: Option<String>,
    /// The phase, or kubectl's STATUS column (`CrashLoopBackOff`).
    pub phase: Option<String>,
    /// All containers ready.
    pub ready: Option<bool>,
    pub restarts: Option<u32>,
    /// The AGE column of a table row, in seconds: how long the pod had
    /// existed when the listing was taken. Of two listings of one pod, the
    /// one with the larger age was taken later.
    pub age: Option<u64>,
    pub spec: PodSpec,
    /// Each container's readiness, where the paste shows it (a Pod's
    /// status, `kubectl describe pod`).
    pub containers_ready: Vec<ContainerReady>,
    pub origin: Origin,
}

/// One container's readiness.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ContainerReady {
    pub name: String,
    pub ready: bool,
    /// An init container still running beside the app: a native sidecar.
    pub init: bool,
    pub origin: Origin,
}

/// What a pod spec (a Pod's, or a workload's template) says, as far as pasted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PodSpec {
    /// `None` when the paste does not show the containers.
    pub containers: Option<Vec<Container>>,
    pub containers_origin: Option<Origin>,
    pub host_network: bool,
    pub dns_policy: Option<String>,
    pub dns_policy_origin: Option<Origin>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Container {
    pub name: Option<String>,
    pub ports: Vec<ContainerPort>,
    pub has_readiness_probe: bool,
    /// A native sidecar: an init container with `restartPolicy: Always`,
    /// which runs beside the app containers.
    pub sidecar: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub port: Option<u32>,
    pub protocol: String,
}

/// Sorted positions into the model's lists, built once after parsing so
/// that rules asking "which pods, which endpoints" per Service stay linear
/// in the paste (a scan per Service made 10,000 Services quadratic).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    /// Pods by name.
    pods_by_name: Vec<u32>,
    /// Pods by IP.
    pods_by_ip: Vec<u32>,
    /// (pod, n-th label) by the label's `key NUL value`.
    pods_by_label: Vec<(u32, u32)>,
    /// Endpoint sets by the Service they belong to.
    endpoints_by_service: Vec<u32>,
}

/// Positions `0..keys.len()` in the order of their keys, equal keys in the
/// order given. One sort of `(&str, u32)` pairs serves every index (each
/// sort closure would be another copy of the sort in the page's wasm).
pub fn sorted_positions(keys: &[&str]) -> Vec<u32> {
    let mut pairs: Vec<(&str, u32)> = keys.iter().copied().zip(0..).collect();
    pairs.sort_unstable();
    pairs.into_iter().map(|(_, i)| i).collect()
}

/// The part of `sorted` whose key is `key`.
pub fn equal_range<'s, T: Copy>(
    sorted: &'s [T],
    key_of: impl Fn(T) -> String,
    key: &str,
) -> &'s [T] {
    let start = sorted.partition_point(|&i| key_of(i).as_str() < key);
    let len = sorted[start..].partition_point(|&i| key_of(i) == key);
    &sorted[start..start + len]
}

impl Index {
    fn build(model: &Model) -> Index {
        let names: Vec<&str> = model
            .pods
            .iter()
            .map(|p| p.name.as_deref().unwrap_or(""))
            .collect();
        let ips: Vec<&str> = model
            .pods
            .iter()
            .map(|p| p.ip.as_deref().unwrap_or(""))
            .collect();
        let labels: Vec<(u32, u32)> = model
            .pods
            .iter()
            .enumerate()
            .flat_map(|(p, pod)| {
                let n = pod.labels.as_ref().map_or(0, |l| l.len());
                (0..n as u32).map(move |i| (p as u32, i))
            })
            .collect();
        let label_keys: Vec<String> = labels.iter().map(|&at| model.label_key(at)).collect();
        let label_refs: Vec<&str> = label_keys.iter().map(String::as_str).collect();
        let services: Vec<&str> = model
            .endpoints
            .iter()
            .map(|e| e.service.as_deref().unwrap_or(""))
            .collect();
        Index {
            pods_by_name: sorted_positions(&names),
            pods_by_ip: sorted_positions(&ips),
            pods_by_label: sorted_positions(&label_refs)
                .into_iter()
                .map(|i| labels[i as usize])
                .collect(),
            endpoints_by_service: sorted_positions(&services),
        }
    }
}

/// Everything the paste says, across artifacts.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Model {
    /// Built on first use (see [`Index`]); dropped when an artifact is
    /// parsed into the model.
    #[serde(skip)]
    pub index: std::cell::OnceCell<Index>,
    pub services: Vec<Service>,
    pub workloads: Vec<Workload>,
    pub pods: Vec<Pod>,
    pub endpoints: Vec<EndpointSet>,
    pub lookups: Vec<DnsLookup>,
    pub resolvers: Vec<ResolvConf>,
    pub probes: Vec<Probe>,
    pub processes: Vec<Process>,
    pub sockets: Vec<Socket>,
    pub proxy_logs: Vec<ProxyLog>,
    pub coredns_logs: Vec<CorednsLog>,
    pub proxy_rules: Vec<ProxyService>,
    pub proxy_dumps: Vec<ProxyDump>,
    pub ipvs: Vec<VirtualServer>,
    pub errors: Vec<KubectlError>,
    pub policies: Vec<NetworkPolicy>,
    pub configmaps: Vec<ConfigMap>,
    pub nodes: Vec<Node>,
    /// kubelet's `--cluster-dns` / `clusterDNS`, wherever pasted.
    pub kubelet_dns: Vec<KubeletDns>,
    /// kubelet's warnings that it trimmed a resolv.conf.
    pub kubelet_limits: Vec<KubeletLimit>,
    /// Events: `kubectl get events`, the Events of `kubectl describe`,
    /// Event objects.
    pub events: Vec<Event>,
    /// A node's kernel settings and modules.
    pub node_settings: Vec<NodeSetting>,
    /// `cilium status`: the agent's health and kube-proxy replacement.
    pub cilium_status: Vec<CiliumStatus>,
    /// Cilium's service map (`cilium-dbg service list`, `bpf lb list`).
    pub lb_frontends: Vec<LbFrontend>,
    /// Hubble's flows.
    pub flows: Vec<Flow>,
    /// The front door: Ingresses and Gateway API routes.
    pub routes: Vec<Route>,
    /// The kernel's connection tracking entries (`conntrack -L`).
    pub conntrack: Vec<ConntrackEntry>,
    /// Gateway API Gateways with their conditions and their listeners'.
    pub gateways: Vec<Gateway>,
    /// IngressClasses: (name, whether it is the default: `None` from a
    /// table, which does not show it), with where they were read.
    pub ingress_classes: Vec<(String, Option<bool>, Origin)>,
    /// Namespaces with their labels (Namespace objects, `get ns
    /// --show-labels`), for NetworkPolicy namespace selectors.
    pub namespaces: Vec<NamespaceLabels>,
    /// The least Kubernetes version the cluster runs, as far as the paste
    /// says (kubectl's warning that Endpoints are deprecated in v1.33+, the
    /// nodes' kubelet versions): (major, minor) and where it was read.
    pub min_version: Option<((u32, u32), Origin)>,
    /// AdminNetworkPolicies, BaselineAdminNetworkPolicies and
    /// ClusterNetworkPolicies: known to exist (a table) or read whole.
    pub admin_policies: Vec<AdminPolicy>,
}

/// One entry of the kernel's connection tracking table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConntrackEntry {
    /// `TCP`, `UDP`, `SCTP`.
    pub protocol: String,
    /// The original direction: the client and what it dialled.
    pub src: String,
    pub dst: String,
    pub dport: Option<u32>,
    /// The reply's source: for a cluster IP, the endpoint DNAT chose.
    pub reply_src: String,
    pub reply_sport: Option<u32>,
    /// No packet came back (`[UNREPLIED]`).
    pub unreplied: bool,
    /// TCP's state (`ESTABLISHED`, `SYN_SENT`).
    pub state: Option<String>,
    pub origin: Origin,
}

/// A Gateway API Gateway: its class, and the conditions of the Gateway
/// and of each listener, as pasted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Gateway {
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub class: Option<String>,
    /// (listener or empty for the Gateway itself, type, status, reason,
    /// message, where read).
    pub conditions: Vec<GatewayCondition>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GatewayCondition {
    /// The listener's name; `None` for the Gateway's own conditions.
    pub listener: Option<String>,
    pub kind: String,
    pub status: String,
    pub reason: String,
    pub message: String,
    pub origin: Origin,
}

/// A namespace's labels, as pasted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NamespaceLabels {
    pub name: String,
    pub labels: Labels,
    pub origin: Origin,
}

/// A cluster-scoped network policy of the policy API (AdminNetworkPolicy,
/// BaselineAdminNetworkPolicy) or its successor ClusterNetworkPolicy.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AdminPolicy {
    /// `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` or
    /// `ClusterNetworkPolicy`.
    pub kind: String,
    /// For the namespaced kinds (CiliumNetworkPolicy).
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// The spec, when the object itself was pasted (not only a table row).
    #[serde(skip)]
    pub spec: Option<serde_json::Value>,
    pub origin: Origin,
}

/// An Ingress or an HTTPRoute (Gateway API): what it sends to which
/// Service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Route {
    /// `Ingress` or `HTTPRoute`.
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// `spec.ingressClassName`, or the older `kubernetes.io/ingress.class`
    /// annotation (an Ingress).
    pub class: Option<String>,
    /// The Ingress names no class at all (neither field nor annotation).
    pub classless: bool,
    pub backends: Vec<RouteBackend>,
    /// Status conditions of an HTTPRoute's parents: (type, status, reason,
    /// message).
    pub conditions: Vec<(String, String, String, String, Origin)>,
    /// Backends `kubectl describe ingress` could not find
    /// (`<error: endpoints "web" not found>`).
    pub missing: Vec<(String, Origin)>,
    /// The Gateways an HTTPRoute attaches to: (namespace, name, listener).
    pub parents: Vec<(Option<String>, String, Option<String>)>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RouteBackend {
    pub service: String,
    /// Another namespace (an HTTPRoute's `backendRefs[].namespace`).
    pub namespace: Option<String>,
    pub port: Option<TargetPort>,
    pub origin: Origin,
}

impl Model {
    /// Whether the `cilium status` pasted says Cilium replaces kube-proxy:
    /// yes if any says so, no if one says otherwise, `None` when none says.
    pub fn kube_proxy_replaced(&self) -> Option<bool> {
        let status = &self.cilium_status;
        if status.iter().any(CiliumStatus::replaces_kube_proxy) {
            return Some(true);
        }
        status
            .iter()
            .any(|s| s.kube_proxy_replacement.is_some())
            .then_some(false)
    }

    /// Records that the cluster runs at least `version`.
    pub fn at_least(&mut self, version: (u32, u32), origin: Origin) {
        if self.min_version.is_none_or(|(v, _)| v < version) {
            self.min_version = Some((version, origin));
        }
    }

    /// Whether the cluster is known to run `version` or later.
    pub fn runs_at_least(&self, version: (u32, u32)) -> bool {
        self.min_version.is_some_and(|(v, _)| v >= version)
    }

    /// The mode kube-proxy runs in, as the paste shows it: its logs, else
    /// the rules pasted (kube-proxy's nftables table, IPVS virtual servers,
    /// KUBE- chains of iptables-save).
    pub fn proxy_mode(&self) -> Option<ProxyMode> {
        if let Some(mode) = self.proxy_logs.iter().rev().find_map(|l| l.proxy_mode) {
            return Some(mode);
        }
        if self
            .proxy_dumps
            .iter()
            .any(|d| d.mode == ProxyMode::Nftables)
        {
            return Some(ProxyMode::Nftables);
        }
        if !self.ipvs.is_empty() {
            return Some(ProxyMode::Ipvs);
        }
        self.proxy_rules
            .iter()
            .any(|r| r.mode == ProxyMode::Iptables && r.svc_chain.is_some())
            .then_some(ProxyMode::Iptables)
    }
}

/// What `cilium status` / `cilium-dbg status` says of the agent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CiliumStatus {
    /// `True`, `False`, `Strict`, `Partial`, `Disabled`.
    pub kube_proxy_replacement: Option<String>,
    pub kube_proxy_replacement_origin: Option<Origin>,
    /// The `Cilium:` line's state: `Ok`, `Warning`, `Failure` (`OK` from
    /// the cilium CLI).
    pub agent: Option<String>,
    pub agent_origin: Option<Origin>,
    pub origin: Origin,
}

impl CiliumStatus {
    /// Whether Cilium says it replaces kube-proxy.
    pub fn replaces_kube_proxy(&self) -> bool {
        matches!(
            self.kube_proxy_replacement.as_deref(),
            Some("True" | "Strict" | "true")
        )
    }
}

/// One frontend of Cilium's service map, with its backends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LbFrontend {
    pub ip: String,
    pub port: u32,
    /// `TCP`, `UDP` when the listing says.
    pub protocol: Option<String>,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalIPs`, ...
    pub service_type: Option<String>,
    pub backends: Vec<LbBackend>,
    /// The listing was grepped: what it lacks is not missing.
    pub filtered: bool,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LbBackend {
    pub ip: String,
    pub port: u32,
    /// `active`, `terminating`, `quarantined`, `maintenance`.
    pub state: String,
    pub origin: Origin,
}

/// One flow Hubble observed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Flow {
    /// `default/client:43210`, `10.0.0.5:43006`.
    pub source: String,
    pub destination: String,
    /// `FORWARDED`, `DROPPED`, `DENIED`, `AUDIT`, `TRANSLATED`, ...
    pub verdict: String,
    /// What precedes the verdict: `Policy denied`, `policy-verdict:none
    /// INGRESS`, `to-endpoint`.
    pub reason: String,
    pub origin: Origin,
}

impl Flow {
    /// A packet dropped or denied by network policy.
    pub fn policy_denied(&self) -> bool {
        (self.verdict == "DROPPED" && self.reason.to_ascii_lowercase().contains("policy"))
            || (self.verdict == "DENIED"
                && (self.reason.starts_with("policy-verdict")
                    || self.reason == crate::parse::cilium::TRACE))
    }

    /// The labels of a `cilium policy trace` endpoint: `[k8s:app=web,
    /// any:io.kubernetes.pod.namespace=shop] Ports: [80/TCP]` as
    /// (`app`, `web`), ...
    pub fn trace_labels(side: &str) -> Vec<(&str, &str)> {
        let inside = side
            .split_once('[')
            .and_then(|(_, r)| r.split_once(']'))
            .map_or("", |(l, _)| l);
        inside
            .split([',', ' '])
            .filter_map(|l| {
                let l = l.trim();
                let l = l.split_once(':').map_or(l, |(_, rest)| rest);
                l.split_once('=')
            })
            .collect()
    }
}

/// One kernel setting of a node (`net.ipv4.ip_forward = 0`), or a kernel
/// module asked about (`module:br_netfilter`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NodeSetting {
    /// The sysctl key (`net.bridge.bridge-nf-call-iptables`), or
    /// `module:NAME`.
    pub key: String,
    /// Its value; `None` when the kernel has no such key (`sysctl: cannot
    /// stat ...`) or the module is not loaded.
    pub value: Option<String>,
    pub origin: Origin,
}

/// Where a Service's endpoints were read, which says what they prove.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndpointSource {
    /// An EndpointSlice object (YAML or JSON): each address with its
    /// conditions.
    Slice,
    /// An Endpoints object: `addresses` ready, `notReadyAddresses` not.
    Endpoints,
    /// `kubectl describe svc`: the ready addresses.
    Describe,
    /// `kubectl get endpoints`: the ready addresses.
    EndpointsTable,
    /// `kubectl get endpointslices`: every address whatever its
    /// conditions, so its readiness is unknown until a pod row says.
    SliceTable,
}

impl EndpointSource {
    /// Whether it lists slices (objects or a table).
    pub fn is_slice(self) -> bool {
        matches!(self, EndpointSource::Slice | EndpointSource::SliceTable)
    }
}

/// The endpoints of a Service, from an Endpoints or EndpointSlice object, a
/// `kubectl get ep/endpointslices` row or `kubectl describe svc`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EndpointSet {
    pub from: EndpointSource,
    pub namespace: Option<String>,
    /// The object's name (the slice's own name for EndpointSlices).
    pub name: Option<String>,
    /// The Service it belongs to.
    pub service: Option<String>,
    pub address_type: Option<String>,
    pub ports: Vec<EndpointPort>,
    pub addresses: Vec<EndpointAddress>,
    /// True when the source shows only part of the list (`+ 3 more...`).
    pub truncated: bool,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EndpointPort {
    pub name: Option<String>,
    pub port: Option<u32>,
    pub protocol: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EndpointAddress {
    pub ip: String,
    /// The port when the source pairs it with the address (`10.0.0.1:80`).
    pub port: Option<u32>,
    pub ready: bool,
    /// An EndpointSlice's `conditions.terminating`: its pod is being
    /// deleted.
    pub terminating: bool,
    /// Ready for the proxies but not serving (an EndpointSlice's
    /// `ready: true` with `serving: false`): a Service that publishes
    /// addresses that are not ready.
    pub not_serving: bool,
    pub node: Option<String>,
    pub pod: Option<String>,
    pub origin: Origin,
}

/// One DNS lookup: an nslookup run, or one query of a dig run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DnsLookup {
    /// `nslookup`, `dig`, `host`.
    pub tool: String,
    /// `busybox-1.28`, `busybox`, `bind`.
    pub flavor: String,
    /// The name asked for, as typed.
    pub query: Option<String>,
    pub query_type: Option<String>,
    pub server: Option<DnsServer>,
    pub resolved: bool,
    pub answers: Vec<DnsAnswer>,
    pub canonical_name: Option<String>,
    /// dig's status (`NOERROR`, `NXDOMAIN`, `SERVFAIL`).
    pub status: Option<String>,
    /// `nxdomain`, `servfail`, `timeout`, `refused`, `cant_resolve`.
    pub error_kind: Option<DnsError>,
    pub error_text: Vec<String>,
    pub query_time_ms: Option<u32>,
    pub flags: Vec<String>,
    pub version: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DnsServer {
    pub ip: Option<String>,
    pub port: Option<u32>,
    pub name: Option<String>,
    /// As printed (dig's `10.96.0.10#53(10.96.0.10)`).
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DnsAnswer {
    pub name: String,
    pub address: Option<String>,
    pub ptr: Option<String>,
    pub ttl: Option<u32>,
    pub class: Option<String>,
    pub rtype: Option<String>,
    pub data: Option<String>,
}

/// `/etc/resolv.conf`, read the way glibc reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ResolvConf {
    /// The nameservers glibc uses (the first three).
    pub nameservers: Vec<String>,
    /// Every nameserver line, also past the third.
    pub all_nameservers: Vec<String>,
    pub search: Vec<String>,
    pub ndots: Option<u32>,
    pub options: Vec<String>,
    pub sortlist: Vec<String>,
    pub nameserver_origin: Option<Origin>,
    pub search_origin: Option<Origin>,
    pub options_origin: Option<Origin>,
    pub origin: Origin,
}

/// How kube-proxy (or what replaces it) forwards Services.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProxyMode {
    /// kube-proxy's default on Linux.
    #[default]
    Iptables,
    Ipvs,
    Nftables,
    Userspace,
    /// Windows' kernelspace (winkernel) proxier.
    Kernelspace,
}

impl ProxyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyMode::Iptables => "iptables",
            ProxyMode::Ipvs => "ipvs",
            ProxyMode::Nftables => "nftables",
            ProxyMode::Userspace => "userspace",
            ProxyMode::Kernelspace => "kernelspace",
        }
    }
}

/// A Service's `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

impl ServiceType {
    /// The type as pasted (`NodePort`, `nodeport`); `None` for anything
    /// else.
    pub fn parse(text: &str) -> Option<ServiceType> {
        [
            ServiceType::ClusterIP,
            ServiceType::NodePort,
            ServiceType::LoadBalancer,
            ServiceType::ExternalName,
        ]
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(text.trim()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
            ServiceType::ExternalName => "ExternalName",
        }
    }
}

/// `externalTrafficPolicy` / `internalTrafficPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TrafficPolicy {
    Cluster,
    Local,
}

impl TrafficPolicy {
    /// The policy as pasted (`Local`, `local`); `None` for anything else.
    pub fn parse(text: &str) -> Option<TrafficPolicy> {
        match text.trim().to_ascii_lowercase().as_str() {
            "cluster" => Some(TrafficPolicy::Cluster),
            "local" => Some(TrafficPolicy::Local),
            _ => None,
        }
    }
}

/// Why a lookup got no address: one meaning for every rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DnsError {
    /// The server says the name does not exist.
    Nxdomain,
    /// The server failed to answer for the name.
    Servfail,
    /// The server refused the query, or the connection to it was refused.
    Refused,
    /// The name exists, with no record of the type asked.
    NoAnswer,
    /// `** server can't find NAME` without a reason.
    NotFound,
    /// BusyBox's `nslookup: can't resolve 'NAME'`.
    CantResolve,
    /// No server answered.
    Timeout,
}

impl DnsError {
    /// The name is not there, as far as the server asked knows.
    pub fn not_found(self) -> bool {
        matches!(
            self,
            DnsError::Nxdomain | DnsError::CantResolve | DnsError::NotFound | DnsError::NoAnswer
        )
    }
}

/// What a probe got back: one meaning for every rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeOutcome {
    /// An answer came (any HTTP status, a banner, a body).
    Ok,
    /// The connection was refused: the address answered, nothing listens.
    Refused,
    /// The connection timed out: packets are dropped on the way.
    Timeout,
    /// No route to the host, or the network is unreachable.
    NoRoute,
    /// The name did not resolve: the probe never connected.
    Dns,
    /// The connection was reset.
    Reset,
    /// No answer, cause not shown (curl's `-w '%{http_code}'` printing `000`).
    Failed,
}

impl ProbeOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeOutcome::Ok => "ok",
            ProbeOutcome::Refused => "refused",
            ProbeOutcome::Timeout => "timeout",
            ProbeOutcome::NoRoute => "no-route",
            ProbeOutcome::Dns => "dns",
            ProbeOutcome::Reset => "reset",
            ProbeOutcome::Failed => "failed",
        }
    }

    /// The probe got no answer through the path (the name resolved).
    pub fn failed(self) -> bool {
        matches!(
            self,
            ProbeOutcome::Refused
                | ProbeOutcome::Timeout
                | ProbeOutcome::Reset
                | ProbeOutcome::NoRoute
                | ProbeOutcome::Failed
        )
    }

    /// The probe got past resolving its name: an answer, or a connection
    /// that was refused, timed out, reset or unroutable.
    pub fn past_name(self) -> bool {
        matches!(
            self,
            ProbeOutcome::Ok
                | ProbeOutcome::Refused
                | ProbeOutcome::Timeout
                | ProbeOutcome::Reset
                | ProbeOutcome::NoRoute
        )
    }
}

/// A curl, wget, nc or telnet attempt.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Probe {
    pub tool: String,
    /// What was asked for: a URL or `host:port`.
    pub target: Option<String>,
    pub host: Option<String>,
    pub port: Option<u32>,
    pub outcome: Option<ProbeOutcome>,
    pub status: Option<u32>,
    pub detail: Option<String>,
    /// A repeated probe (a loop, `watch`) that got answers and failures
    /// (refusals, timeouts, 5xx) in turn: its own fact, intermittence.
    pub intermittent: bool,
    /// kube-proxy's health check answered (`/healthz` on a Service's
    /// health-check node port): the Service it named, and its
    /// `localEndpoints`.
    pub health_check: Option<HealthCheck>,
    pub origin: Origin,
}

/// What kube-proxy's health-check server said for a Service with
/// `externalTrafficPolicy: Local`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HealthCheck {
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub local_endpoints: u32,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Process {
    pub user: Option<String>,
    pub pid: Option<u32>,
    pub command: String,
    /// `kube-proxy`, `coredns`, `cilium-agent`, ... for programs svcdoctor knows.
    pub program: Option<String>,
    /// The `grep` of the `ps | grep` pipeline itself.
    pub is_grep: bool,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Socket {
    pub protocol: String,
    pub state: Option<String>,
    pub local_address: String,
    pub local_port: Option<u32>,
    pub process: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LogLine {
    pub text: String,
    pub origin: Origin,
}

/// What kube-proxy's log says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProxyLog {
    /// `iptables`, `ipvs`, `nftables`, `userspace`, `kernelspace`.
    pub proxy_mode: Option<ProxyMode>,
    pub requested_mode: Option<String>,
    pub fallback: bool,
    pub version: Option<String>,
    pub node_ips: Vec<String>,
    /// `klog text`, `klog structured`, `json`, `message text only`.
    pub log_format: String,
    pub errors: Vec<LogLine>,
    pub warnings: Vec<LogLine>,
    pub apiserver_unreachable: bool,
    pub sync_failures: Vec<LogLine>,
    pub services_added: Vec<(String, String)>,
    pub endpoints_set: Vec<(String, Vec<String>)>,
    pub graceful_termination_removed: Vec<(String, String)>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CorednsLog {
    pub version: Option<String>,
    pub loop_detected: bool,
    pub errors: Vec<LogLine>,
    /// Its kubernetes plugin failing to reach the API server (`dial tcp
    /// 10.96.0.1:443: i/o timeout`), or waiting for it (`Still waiting
    /// on: "kubernetes"`).
    pub api_unreachable: Vec<LogLine>,
    pub origin: Origin,
}

/// A pasted dump of proxy rules, whatever Services it shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProxyDump {
    pub mode: ProxyMode,
    /// iptables tables (`*nat`, `*filter`) in the order shown.
    pub tables: Vec<String>,
    /// Only some lines were pasted (`iptables-save | grep`).
    pub filtered: bool,
    /// iptables-nft's `# Warning: iptables-legacy tables present` line.
    pub legacy_warning: Option<Origin>,
    /// nftables mode: the `cluster-ips` set (every cluster IP kube-proxy
    /// serves), the `nodeport-ips` set (the addresses node ports answer
    /// on), and the service ranges whose other addresses are dropped
    /// (`cluster-ips-check`); `None` when the dump does not show them.
    pub cluster_ips: Option<Vec<String>>,
    pub nodeport_ips: Option<Vec<String>>,
    pub service_cidrs: Vec<String>,
    pub origin: Origin,
}

/// One Service port as the node's proxy rules (iptables or nftables) program it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProxyService {
    pub mode: ProxyMode,
    pub namespace: String,
    pub name: String,
    pub port_name: String,
    pub protocol: String,
    pub service_type: Option<ServiceType>,
    pub cluster_ip: Option<String>,
    pub port: Option<u32>,
    pub node_port: Option<u32>,
    /// `ip:port` of every endpoint the rules send to; `None` when the rules
    /// shown do not say (userspace mode, grep cut).
    pub endpoints: Option<Vec<String>>,
    pub local_endpoints: Option<Vec<String>>,
    pub external_ips: Vec<String>,
    pub load_balancer_ips: Vec<String>,
    pub load_balancer_source_ranges: Vec<String>,
    pub external_traffic_policy: Option<TrafficPolicy>,
    pub session_affinity_timeout: Option<u32>,
    pub rejects_no_endpoints: bool,
    pub drops_no_local_endpoints: bool,
    pub health_check_node_port: Option<u32>,
    pub svc_chain: Option<String>,
    /// Probabilities of the random-choice rules, in rule order, with the
    /// endpoint each jumps to.
    /// The `--probability` of each endpoint's jump, as written: kept as
    /// text (and read in parts per million where needed), so that no float
    /// parsing or printing weighs on the page's bundle.
    pub probabilities: Vec<(String, Option<String>)>,
    pub origin: Origin,
}

/// An IPVS virtual server from `ipvsadm -ln`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VirtualServer {
    pub protocol: String,
    pub address: String,
    pub port: Option<u32>,
    pub scheduler: Option<String>,
    pub persistent_timeout: Option<u32>,
    pub real_servers: Vec<RealServer>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RealServer {
    pub ip: String,
    pub port: Option<u32>,
    pub forward: Option<String>,
    pub weight: Option<i64>,
    pub active_conn: Option<u64>,
    pub inactive_conn: Option<u64>,
    pub origin: Origin,
}

/// One event (or one row of a series of the same event), about one object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Event {
    pub namespace: Option<String>,
    /// The kind of the object it is about (`Pod`, `Service`, `EndpointSlice`),
    /// as the API spells it.
    pub kind: Option<String>,
    pub name: Option<String>,
    /// `Warning` rather than `Normal`.
    pub warning: bool,
    pub reason: String,
    pub message: String,
    /// How many times it was seen (`x40`), when said.
    pub count: Option<u32>,
    /// Who reported it (`kubelet`, `endpointslice-controller`), when said.
    pub source: Option<String>,
    pub origin: Origin,
}

/// `Error from server (NotFound): services "web" not found` and the like.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KubectlError {
    /// `not_found`, `forbidden`, `no_resources`, `connection_refused`, `other`.
    pub kind: String,
    pub resource: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub text: String,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkPolicy {
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub pod_selector: Labels,
    pub policy_types: Vec<String>,
    /// The raw spec, for the rules that evaluate it.
    #[serde(skip)]
    pub spec: serde_json::Value,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfigMap {
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub data: BTreeMap<String, String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Node {
    pub name: Option<String>,
    pub internal_ip: Option<String>,
    pub ready: Option<bool>,
    pub pod_cidr: Option<String>,
    pub origin: Origin,
}

impl Pod {
    /// Known to be down: not Running, or not ready.
    pub fn unhealthy(&self) -> bool {
        self.ready == Some(false) || self.phase.as_deref().is_some_and(|s| s != "Running")
    }

    /// `name (phase)`, for messages.
    pub fn label(&self) -> String {
        format!(
            "{} ({})",
            self.name.as_deref().unwrap_or("?"),
            self.phase.as_deref().unwrap_or("not ready")
        )
    }
}

/// `v1.33.1` (or `1.33`, `v1.33+`) as (major, minor).
pub fn parse_version(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().trim_start_matches('v');
    let mut parts = text.split(['.', '+', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Whether two namespaces can be the same one; an unknown namespace can be
/// any.
pub fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// `ip:port` as kube-proxy's rules write it: `10.244.1.5:80`,
/// `[fd00::5]:80` for IPv6.
pub fn host_port(ip: &str, port: impl std::fmt::Display) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// Whether a label set satisfies an equality selector.
pub fn selector_matches(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// The cluster DNS addresses kubelet gives pods (`--cluster-dns`,
/// `clusterDNS`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KubeletDns {
    pub servers: Vec<String>,
    pub origin: Origin,
}

/// Which of the resolver's limits a resolv.conf passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResolverLimit {
    Nameservers,
    Search,
}

/// kubelet's warning that it trimmed a resolv.conf to the resolver's
/// limits, with the line it applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KubeletLimit {
    pub what: ResolverLimit,
    pub applied: Vec<String>,
    pub origin: Origin,
}

impl Model {
    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::build(self))
    }

    /// The n-th label of pod p as `key NUL value`: ordered as (key, value).
    fn label_key(&self, (p, n): (u32, u32)) -> String {
        self.pods[p as usize]
            .labels
            .as_ref()
            .and_then(|l| l.iter().nth(n as usize))
            .map(|(k, v)| format!("{k}\0{v}"))
            .unwrap_or_default()
    }

    /// The positions of `sorted` whose key is `key`, in the order pasted.
    fn picked(sorted: &[u32], key_of: impl Fn(u32) -> String, key: &str) -> Vec<usize> {
        let mut found: Vec<usize> = equal_range(sorted, key_of, key)
            .iter()
            .map(|&i| i as usize)
            .collect();
        found.sort_unstable();
        found
    }

    /// The pods named `name`, in the order pasted.
    pub fn pods_named(&self, name: &str) -> Vec<&Pod> {
        let key = |i: u32| self.pods[i as usize].name.clone().unwrap_or_default();
        Model::picked(&self.index().pods_by_name, key, name)
            .into_iter()
            .map(|i| &self.pods[i])
            .collect()
    }

    /// The nodes' InternalIPs.
    pub fn node_ips(&self) -> Vec<&str> {
        self.nodes
            .iter()
            .filter_map(|n| n.internal_ip.as_deref())
            .collect()
    }

    /// The pods whose names start with `prefix`, in the order pasted.
    pub fn pods_named_from(&self, prefix: &str) -> Vec<&Pod> {
        let name = |i: u32| self.pods[i as usize].name.as_deref().unwrap_or("");
        let sorted = &self.index().pods_by_name;
        let start = sorted.partition_point(|&i| name(i) < prefix);
        let mut found: Vec<usize> = sorted[start..]
            .iter()
            .take_while(|&&i| name(i).starts_with(prefix))
            .map(|&i| i as usize)
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| &self.pods[i]).collect()
    }

    /// The pods with IP `ip`, in the order pasted.
    pub fn pods_at(&self, ip: &str) -> Vec<&Pod> {
        let key = |i: u32| self.pods[i as usize].ip.clone().unwrap_or_default();
        Model::picked(&self.index().pods_by_ip, key, ip)
            .into_iter()
            .map(|i| &self.pods[i])
            .collect()
    }

    /// The pods that carry label `key=value`, in the order pasted.
    pub fn pods_labelled(&self, key: &str, value: &str) -> Vec<&Pod> {
        let mut found: Vec<usize> = equal_range(
            &self.index().pods_by_label,
            |at| self.label_key(at),
            &format!("{key}\0{value}"),
        )
        .iter()
        .map(|&(p, _)| p as usize)
        .collect();
        found.sort_unstable();
        found.into_iter().map(|i| &self.pods[i]).collect()
    }

    /// The endpoint sets of Service `name` (any namespace), in the order
    /// pasted.
    pub fn endpoints_named(&self, name: &str) -> Vec<&EndpointSet> {
        let key = |i: u32| {
            self.endpoints[i as usize]
                .service
                .clone()
                .unwrap_or_default()
        };
        Model::picked(&self.index().endpoints_by_service, key, name)
            .into_iter()
            .map(|i| &self.endpoints[i])
            .collect()
    }
}
