//! The walk (spec section 2): step statuses from the rules' findings, the
//! root cause, and the verdict.

use crate::checks::Sink;
use crate::i18n::Lang;
use crate::report::{Finding, RootCause, Severity, StepReport, StepStatus, Verdict, Via};
use crate::steps::StepId;

/// The outcome of the walk.
pub struct Walk {
    pub verdict: Verdict,
    pub root_cause: Option<RootCause>,
    pub findings: Vec<Finding>,
    pub steps: Vec<StepReport>,
    pub not_checked: Vec<StepId>,
}

/// Whether a step matters for the way the client reaches the Service: the DNS
/// steps only matter when it uses the Service's name.
fn applies(step: StepId, via: Via) -> bool {
    let dns = matches!(
        step,
        StepId::A1 | StepId::A2 | StepId::A3 | StepId::A4 | StepId::A5 | StepId::A6
    );
    !dns || via == Via::Name
}

pub fn walk(sink: Sink, via: Via, lang: Lang) -> Walk {
    let mut findings = sink.findings;
    // Walk order: by step, errors before warnings before info, then as found.
    findings.sort_by_key(|f| (f.step, std::cmp::Reverse(f.severity)));
    let steps: Vec<StepReport> = StepId::ALL
        .iter()
        .map(|&id| {
            let worst = findings
                .iter()
                .filter(|f| f.step == id)
                .map(|f| f.severity)
                .max();
            let status = if !applies(id, via) && worst.is_none() {
                StepStatus::NotApplicable
            } else {
                match worst {
                    Some(Severity::Error) => StepStatus::Fail,
                    Some(Severity::Warning) => StepStatus::Warn,
                    _ if sink.checked.contains(&id) => StepStatus::Pass,
                    _ => StepStatus::Unknown,
                }
            };
            StepReport {
                id,
                status,
                title: id.title(lang).to_string(),
            }
        })
        .collect();
    let root_cause = findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .map(|f| RootCause {
            finding: f.clone(),
            explains: Vec::new(),
        });
    let any_evidence = steps.iter().any(|s| s.status == StepStatus::Pass);
    let verdict = if root_cause.is_some() {
        Verdict::RootCause
    } else if any_evidence {
        Verdict::Healthy
    } else {
        Verdict::NeedEvidence
    };
    let not_checked = if verdict == Verdict::Healthy {
        steps
            .iter()
            .filter(|s| s.status == StepStatus::Unknown)
            .map(|s| s.id)
            .collect()
    } else {
        Vec::new()
    };
    Walk {
        verdict,
        root_cause,
        findings,
        steps,
        not_checked,
    }
}
