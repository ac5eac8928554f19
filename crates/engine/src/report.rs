//! The report: the public JSON contract of `docs/spec.md`
//! section 4. Field names are a contract: add fields freely, never rename or
//! remove one.

use serde::{Deserialize, Serialize};

use crate::read::artifact::ArtifactKind;
use crate::walk::steps::StepId;

/// The overall answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// A failing check explains why the Service does not answer.
    RootCause,
    /// Every step with evidence passes.
    Healthy,
    /// Nothing fails, but the evidence is not enough to decide.
    NeedEvidence,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// How a step of the walk ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepStatus {
    #[serde(rename = "pass")]
    Pass,
    #[serde(rename = "fail")]
    Fail,
    #[serde(rename = "warn")]
    Warn,
    #[serde(rename = "unknown")]
    Unknown,
    #[serde(rename = "n/a")]
    NotApplicable,
}

/// Pasted lines that prove a finding. `lines` are 1-based and inclusive, counted
/// in the pasted text (the source) the artifact came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub artifact: usize,
    pub source: usize,
    pub lines: [usize; 2],
    pub excerpt: String,
}

/// What kind of thing a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectKind {
    Service,
    Pod,
    Workload,
    Node,
    /// The pod or machine the lookups and probes ran from.
    Client,
    /// CoreDNS and the kube-dns Service: shared by every Service's name.
    ClusterDns,
    /// kube-proxy (or what replaces it) and its rules on a node.
    KubeProxy,
    /// The pod network: the CNI, NetworkPolicies.
    Network,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Service => "service",
            SubjectKind::Pod => "pod",
            SubjectKind::Workload => "workload",
            SubjectKind::Node => "node",
            SubjectKind::Client => "client",
            SubjectKind::ClusterDns => "cluster-dns",
            SubjectKind::KubeProxy => "kube-proxy",
            SubjectKind::Network => "network",
        }
    }
}

/// A Service named by namespace and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRef {
    /// `None` when no pasted output said it.
    pub namespace: Option<String>,
    pub name: String,
}

impl ServiceRef {
    /// Whether two references can be the same Service: same name, and the
    /// same namespace where both say one.
    pub fn same(&self, other: &ServiceRef) -> bool {
        self.name == other.name
            && match (&self.namespace, &other.namespace) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }

    /// `shop/web`, or `web` when the namespace is unknown.
    pub fn label(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}/{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// What a finding is about, and which Service's path it lies on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// The Service whose path this is part of: the Service itself, the
    /// Service a pod backs or a rule forwards. `None` for what every
    /// Service goes through (cluster DNS, kube-proxy, the network, the
    /// client's resolver).
    pub service: Option<ServiceRef>,
}

impl Subject {
    /// A Service, on its own path.
    pub fn service(namespace: Option<&str>, name: &str) -> Subject {
        Subject::on(
            SubjectKind::Service,
            namespace,
            Some(name),
            Some(ServiceRef {
                namespace: namespace.map(str::to_string),
                name: name.to_string(),
            }),
        )
    }

    /// A subject shared by every Service's path.
    pub fn shared(kind: SubjectKind, namespace: Option<&str>, name: Option<&str>) -> Subject {
        Subject {
            kind,
            namespace: namespace.map(str::to_string),
            name: name.map(str::to_string),
            service: None,
        }
    }

    /// A subject on the path of `service`.
    pub fn on(
        kind: SubjectKind,
        namespace: Option<&str>,
        name: Option<&str>,
        service: Option<ServiceRef>,
    ) -> Subject {
        Subject {
            kind,
            namespace: namespace.map(str::to_string),
            name: name.map(str::to_string),
            service,
        }
    }

    /// Whether a finding about `self` can explain one about `other`: the
    /// same Service's path, or a part every path goes through.
    pub fn reaches(&self, other: &Subject) -> bool {
        match (&self.service, &other.service) {
            (Some(a), Some(b)) => a.same(b),
            _ => true,
        }
    }

    /// `Service shop/web`, `pod shop/web-1`, for messages.
    pub fn label(&self) -> String {
        let name = match (&self.namespace, &self.name) {
            (Some(ns), Some(n)) => format!("{ns}/{n}"),
            (None, Some(n)) => n.clone(),
            (Some(ns), None) => ns.clone(),
            (None, None) => String::new(),
        };
        format!("{} {name}", self.kind.as_str()).trim().to_string()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub slug: String,
    pub severity: Severity,
    pub step: StepId,
    /// What the finding is about.
    pub subject: Subject,
    pub message: String,
    pub evidence: Vec<Evidence>,
    pub fix: String,
}

/// The finding named as the root cause, with the codes of the findings it
/// explains (its consequences, not rival causes). In JSON, the finding's
/// fields and `explains` side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RootCauseFields", into = "RootCauseFields")]
pub struct RootCause {
    pub finding: Finding,
    pub explains: Vec<String>,
}

/// [`RootCause`] as it is written: a plain struct instead of
/// `#[serde(flatten)]`, which formats without field names (bincode, which
/// the page's Web Worker messages use) cannot encode, and which costs the
/// page's wasm a buffered deserializer.
#[derive(Serialize, Deserialize)]
struct RootCauseFields {
    code: String,
    slug: String,
    severity: Severity,
    step: StepId,
    subject: Subject,
    message: String,
    evidence: Vec<Evidence>,
    fix: String,
    explains: Vec<String>,
}

impl From<RootCauseFields> for RootCause {
    fn from(f: RootCauseFields) -> RootCause {
        RootCause {
            finding: Finding {
                code: f.code,
                slug: f.slug,
                severity: f.severity,
                step: f.step,
                subject: f.subject,
                message: f.message,
                evidence: f.evidence,
                fix: f.fix,
            },
            explains: f.explains,
        }
    }
}

impl From<RootCause> for RootCauseFields {
    fn from(r: RootCause) -> RootCauseFields {
        let f = r.finding;
        RootCauseFields {
            code: f.code,
            slug: f.slug,
            severity: f.severity,
            step: f.step,
            subject: f.subject,
            message: f.message,
            evidence: f.evidence,
            fix: f.fix,
            explains: r.explains,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepReport {
    pub id: StepId,
    pub status: StepStatus,
    /// The step's question, in the report's language.
    pub title: String,
    /// For a step without evidence (`unknown`): how to check it, the
    /// command filled in with the paste's names. (Always written, `null`
    /// when there is none: the page's Web Worker sends reports in bincode,
    /// which cannot skip fields.)
    #[serde(default)]
    pub check: Option<NextStep>,
    /// The user's own answer for a step without evidence (`true`: it
    /// holds), which set its status; `null` when the status comes from
    /// evidence or there is none.
    #[serde(default)]
    pub stated: Option<bool>,
}

/// The next command to run, filled in with the names from the evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    pub step: StepId,
    pub why: String,
    pub command: String,
}

/// A line-numbered remark about a pasted artifact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactReport {
    pub index: usize,
    pub kind: ArtifactKind,
    pub source: usize,
    /// First and last line of the artifact in its source, 1-based, inclusive.
    pub lines: [usize; 2],
    /// The command line that produced it, when one was pasted.
    pub command: Option<String>,
    /// The file it came from (a dropped file, or `==> NAME <==` between
    /// files). Always written (`null`): bincode cannot skip fields.
    #[serde(default)]
    pub file: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// What was read from it, counted (only what it holds): a summary for
    /// a dump pasted alone.
    #[serde(default)]
    pub read: Vec<Count>,
}

/// How many facts of one kind an artifact was read into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub what: Counted,
    pub n: usize,
}

/// The kinds of facts counted in [`ArtifactReport::read`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Counted {
    Services,
    Workloads,
    Pods,
    /// Endpoint addresses (of Endpoints, EndpointSlices, proxy rules, IPVS
    /// real servers).
    Endpoints,
    /// Services as kube-proxy's iptables or nftables rules show them.
    ProxyServices,
    /// IPVS virtual servers.
    VirtualServers,
    Lookups,
    Probes,
    Events,
}

impl Counted {
    /// In the order a summary says them (what serves before what is served).
    pub const ALL: [Counted; 9] = [
        Counted::Services,
        Counted::ProxyServices,
        Counted::VirtualServers,
        Counted::Workloads,
        Counted::Pods,
        Counted::Endpoints,
        Counted::Lookups,
        Counted::Probes,
        Counted::Events,
    ];
}

/// How the client reaches the Service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    Name,
    ClusterIp,
    NodePort,
    Hairpin,
}

impl Via {
    pub const ALL: [Via; 4] = [Via::Name, Via::ClusterIp, Via::NodePort, Via::Hairpin];

    pub fn as_str(self) -> &'static str {
        match self {
            Via::Name => "name",
            Via::ClusterIp => "cluster-ip",
            Via::NodePort => "node-port",
            Via::Hairpin => "hairpin",
        }
    }

    pub fn parse(text: &str) -> Option<Via> {
        Via::ALL.into_iter().find(|via| via.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViaReport {
    pub value: Via,
    /// True when the engine chose the path from the evidence, false when the
    /// caller set it.
    pub inferred: bool,
}

/// The Service the report is about, and why that one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInQuestion {
    pub namespace: Option<String>,
    pub name: String,
    pub from: crate::context::case::ServiceFrom,
    /// Where it was decided, in words: "from the probe on line 12".
    pub said: String,
    /// The line that names it.
    pub evidence: Option<Evidence>,
}

/// Where the probes and lookups ran.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientReport {
    pub kind: crate::context::case::ClientKind,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub ip: Option<String>,
    /// The command that ran there.
    pub evidence: Option<Evidence>,
}

/// What the engine decided the case is about, with where it read it, so a
/// user can correct it (`--service`, or the page's choice).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReport {
    pub service: Option<ServiceInQuestion>,
    pub client: ClientReport,
    /// The Services the paste shows (the cluster's own left out unless
    /// they are all there is), to choose from when the one in question is
    /// not the right one.
    pub services: Vec<ServiceRef>,
    /// What each probe of the Service in question got, in words.
    #[serde(default)]
    pub reached: Vec<Reached>,
}

/// A probe of the Service in question: how it was reached and what came
/// back, said in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reached {
    pub via: Via,
    /// `host:port` as probed.
    pub target: String,
    pub answered: bool,
    pub said: String,
    pub evidence: Evidence,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub verdict: Verdict,
    pub root_cause: Option<RootCause>,
    pub findings: Vec<Finding>,
    pub steps: Vec<StepReport>,
    pub next: Vec<NextStep>,
    pub artifacts: Vec<ArtifactReport>,
    pub via: ViaReport,
    /// Steps that had no evidence, when the verdict is `healthy`.
    pub not_checked: Vec<StepId>,
    /// The Service in question and the client, as resolved.
    pub case: CaseReport,
}

impl Report {
    /// The report of nothing: no artifact, no finding.
    pub fn empty() -> Report {
        Report {
            verdict: Verdict::NeedEvidence,
            root_cause: None,
            findings: Vec::new(),
            steps: Vec::new(),
            next: Vec::new(),
            artifacts: Vec::new(),
            via: ViaReport {
                value: Via::Name,
                inferred: true,
            },
            not_checked: Vec::new(),
            case: CaseReport::default(),
        }
    }

    /// The findings other than the root cause.
    pub fn other_findings(&self) -> impl Iterator<Item = &Finding> {
        let root = self.root_cause.as_ref().map(|r| &r.finding);
        self.findings.iter().filter(move |f| Some(*f) != root)
    }
}
