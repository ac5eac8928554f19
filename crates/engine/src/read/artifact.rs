//! Artifacts: the separate outputs found in the pasted text.

use serde::{Deserialize, Serialize};

use crate::read::command::Command;

/// What produced an artifact (spec section 5). The serialized names are part
/// of the public contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactKind {
    K8sObjects,
    KubectlTable,
    KubectlDescribe,
    KubectlError,
    Resolv,
    Nslookup,
    Dig,
    HttpProbe,
    ProcessList,
    Sockets,
    KubeProxyLogs,
    CorednsLogs,
    Iptables,
    Ipvs,
    Nftables,
    /// kubelet's flags, configuration and DNS warnings.
    Kubelet,
    /// A node's kernel settings: `sysctl`, `/proc/sys` files, `lsmod`, a
    /// bridge port's `hairpin_mode`.
    NodeSettings,
    /// Cilium and Hubble: `cilium status`, `cilium-dbg service list`,
    /// `cilium-dbg bpf lb list`, `hubble observe`.
    Cilium,
    /// The kernel's connection tracking table: `conntrack -L`.
    Conntrack,
    Unknown,
}

impl ArtifactKind {
    pub const ALL: [ArtifactKind; 20] = [
        ArtifactKind::K8sObjects,
        ArtifactKind::KubectlTable,
        ArtifactKind::KubectlDescribe,
        ArtifactKind::KubectlError,
        ArtifactKind::Resolv,
        ArtifactKind::Nslookup,
        ArtifactKind::Dig,
        ArtifactKind::HttpProbe,
        ArtifactKind::ProcessList,
        ArtifactKind::Sockets,
        ArtifactKind::KubeProxyLogs,
        ArtifactKind::CorednsLogs,
        ArtifactKind::Iptables,
        ArtifactKind::Ipvs,
        ArtifactKind::Nftables,
        ArtifactKind::Kubelet,
        ArtifactKind::NodeSettings,
        ArtifactKind::Cilium,
        ArtifactKind::Conntrack,
        ArtifactKind::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactKind::K8sObjects => "k8s-objects",
            ArtifactKind::KubectlTable => "kubectl-table",
            ArtifactKind::KubectlDescribe => "kubectl-describe",
            ArtifactKind::KubectlError => "kubectl-error",
            ArtifactKind::Resolv => "resolv",
            ArtifactKind::Nslookup => "nslookup",
            ArtifactKind::Dig => "dig",
            ArtifactKind::HttpProbe => "http-probe",
            ArtifactKind::ProcessList => "process-list",
            ArtifactKind::Sockets => "sockets",
            ArtifactKind::KubeProxyLogs => "kube-proxy-logs",
            ArtifactKind::CorednsLogs => "coredns-logs",
            ArtifactKind::Iptables => "iptables",
            ArtifactKind::Ipvs => "ipvs",
            ArtifactKind::Nftables => "nftables",
            ArtifactKind::Kubelet => "kubelet",
            ArtifactKind::NodeSettings => "node-settings",
            ArtifactKind::Cilium => "cilium",
            ArtifactKind::Conntrack => "conntrack",
            ArtifactKind::Unknown => "unknown",
        }
    }

    pub fn parse(name: &str) -> Option<ArtifactKind> {
        ArtifactKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for ArtifactKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the command ran, as far as the prompt and earlier commands tell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Client {
    #[default]
    Unknown,
    /// A machine shell (`[root@k8s-node1 ~]#`): usually a node.
    Host(String),
    /// A shell inside a pod, opened by `kubectl run -it` or `kubectl exec -it`.
    Pod {
        name: Option<String>,
        namespace: Option<String>,
    },
}

/// One output found in a source, with the command that produced it.
#[derive(Clone, Debug)]
pub struct Artifact {
    pub index: usize,
    pub source: usize,
    pub kind: ArtifactKind,
    /// True when the caller set the kind.
    pub relabelled: bool,
    pub command: Option<Command>,
    pub client: Client,
    /// First line of the artifact (its command line when there is one),
    /// 1-based, in its source.
    pub first_line: usize,
    /// First line of the output.
    pub body_start: usize,
    /// Last line, inclusive.
    pub last_line: usize,
    /// The file it came from, when a `==> NAME <==` header named one.
    pub file: Option<String>,
}
