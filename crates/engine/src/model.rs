//! The normalised model: what the pasted artifacts say about the cluster.
//! Every fact remembers the artifact and lines it came from.

use std::collections::BTreeMap;

use serde::Serialize;

/// Where a fact was read: an artifact and a 1-based inclusive line range of
/// its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub artifact: usize,
    pub source: usize,
    pub lines: [usize; 2],
}

pub type Labels = BTreeMap<String, String>;

/// Renders labels the way kubectl does: `app=web,tier=front`.
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
    pub service_type: Option<String>,
    pub cluster_ip: Option<String>,
    pub ports: Vec<ServicePort>,
    pub selector: Selector,
    pub external_name: Option<String>,
    /// True when the object was cut: elided lines, or no `kind`.
    pub partial: bool,
    pub origin: Origin,
    pub selector_origin: Option<Origin>,
}

impl Service {
    pub fn is_external_name(&self) -> bool {
        self.service_type.as_deref() == Some("ExternalName") || self.external_name.is_some()
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
    pub ip: Option<String>,
    pub node: Option<String>,
    pub phase: Option<String>,
    pub origin: Origin,
}

/// Everything the paste says, across artifacts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Model {
    pub services: Vec<Service>,
    pub workloads: Vec<Workload>,
    pub pods: Vec<Pod>,
}

/// Whether two namespaces can be the same one; an unknown namespace can be
/// any.
pub fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Whether a label set satisfies an equality selector.
pub fn selector_matches(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}
