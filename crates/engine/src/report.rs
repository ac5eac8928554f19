//! The report: the public JSON contract of `docs/spec.md`
//! section 4. Field names are a contract: add fields freely, never rename or
//! remove one.

use serde::{Deserialize, Serialize};

use crate::artifact::ArtifactKind;
use crate::steps::StepId;

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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub slug: String,
    pub severity: Severity,
    pub step: StepId,
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
    pub diagnostics: Vec<Diagnostic>,
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
        }
    }

    /// The findings other than the root cause.
    pub fn other_findings(&self) -> impl Iterator<Item = &Finding> {
        let root = self.root_cause.as_ref().map(|r| &r.finding);
        self.findings.iter().filter(move |f| Some(*f) != root)
    }
}
