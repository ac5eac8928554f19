//! The walk (spec section 2): step statuses from the rules' findings, the root
//! cause with the findings it explains, the verdict, and the next command.

pub mod next;
pub mod reached;
pub mod steps;

use crate::checks::{rule, Facts, Sink};
use crate::model::ProbeOutcome;
use crate::report::{Finding, NextStep, RootCause, Severity, StepReport, StepStatus, Verdict, Via};
use crate::walk::next::next_command;
use crate::walk::steps::StepId;

/// The outcome of the walk.
pub struct Walk {
    pub verdict: Verdict,
    pub root_cause: Option<RootCause>,
    pub findings: Vec<Finding>,
    pub steps: Vec<StepReport>,
    pub next: Vec<NextStep>,
    pub not_checked: Vec<StepId>,
}

/// Whether a step is on the path the client takes: the DNS steps only matter
/// when it uses the Service's name, and traffic policy only from outside or
/// for a pod reaching itself.
pub fn applies(step: StepId, via: Via) -> bool {
    use StepId::*;
    match step {
        A1 | A2 | A3 | A4 | A5 | A6 => via == Via::Name,
        B9 => matches!(via, Via::NodePort | Via::Hairpin),
        // The front door: decided only where an Ingress or route was
        // pasted (its rules mark it checked), not applicable otherwise.
        B0 => false,
        _ => true,
    }
}

/// The steps whose evidence decides whether the path works.
pub fn deciding(via: Via) -> &'static [StepId] {
    use StepId::*;
    match via {
        Via::Name => &[A1, A3, A5, B1, B3, B4, B7, B8],
        Via::ClusterIp => &[B1, B3, B4, B7, B8],
        Via::NodePort => &[B1, B2, B3, B4, B7, B8, B9],
        Via::Hairpin => &[B1, B3, B4, B7, B8],
    }
}

/// A probe through the Service's own path succeeded: the client reached it.
fn reached_end_to_end(facts: &Facts<'_>, via: Via) -> bool {
    let services = facts.user_services();
    facts.model.probes.iter().any(|p| {
        p.outcome == Some(ProbeOutcome::Ok)
            && p.host.as_deref().is_some_and(|host| {
                services.iter().any(|s| match via {
                    Via::Name | Via::Hairpin => s
                        .name
                        .is_some_and(|n| host == n || host.starts_with(&format!("{n}."))),
                    Via::ClusterIp => s.cluster_ip() == Some(host),
                    Via::NodePort => {
                        let (ports, _) = s.ports();
                        ports
                            .iter()
                            .any(|sp| sp.node_port.is_some() && sp.node_port == p.port)
                    }
                })
            })
    })
}

pub fn walk(sink: Sink, facts: &Facts<'_>, via: Via, stated: &[(StepId, bool)]) -> Walk {
    let mut findings = sink.findings;
    // Walk order: by step, errors before warnings before info, then by the
    // rule's place in the catalog (more specific rules come first).
    let position = |code: &str| {
        crate::checks::RULES
            .iter()
            .position(|r| r.code == code)
            .unwrap_or(usize::MAX)
    };
    findings.sort_by_key(|f| (f.step, std::cmp::Reverse(f.severity), position(&f.code)));
    let steps: Vec<StepReport> = StepId::ALL
        .iter()
        .map(|&id| {
            let worst = findings
                .iter()
                .filter(|f| f.step == id)
                .map(|f| f.severity)
                .max();
            let status = match worst {
                Some(Severity::Error) => StepStatus::Fail,
                Some(Severity::Warning) => StepStatus::Warn,
                _ if sink.checked.contains(&id) => StepStatus::Pass,
                _ if !applies(id, via) => StepStatus::NotApplicable,
                _ => StepStatus::Unknown,
            };
            // The user's word fills a step without evidence, never one with.
            let said = stated
                .iter()
                .rev()
                .find(|(step, _)| *step == id)
                .map(|&(_, holds)| holds)
                .filter(|_| status == StepStatus::Unknown);
            let status = match said {
                Some(true) => StepStatus::Pass,
                Some(false) => StepStatus::Fail,
                None => status,
            };
            StepReport {
                id,
                status,
                title: id.title(facts.lang).to_string(),
                // How to check it: for a step without evidence, and for
                // one that rests on the user's word.
                check: (status == StepStatus::Unknown || said.is_some())
                    .then(|| next_command(facts, id, via)),
                stated: said,
            }
        })
        .collect();
    // A finding explained by another one present is a consequence, not a
    // cause: when the other's rule explains it and both lie on the same
    // Service's path (or the other is something every path goes through).
    let explained_by = |f: &Finding| {
        findings.iter().find(|other| {
            !std::ptr::eq(*other, f)
                && other.severity == Severity::Error
                && other.subject.reaches(&f.subject)
                && rule(&other.code).is_some_and(|r| r.explains_code(&f.code))
        })
    };
    // While the evidence names the Service in question, a finding about
    // another Service's path is not its cause.
    // (A name no pasted Service has, like a typo the client looked up, is
    // not another Service: it may be the cause.)
    let in_question = facts.case.service.as_ref().map(|q| &q.service);
    let pasted: Vec<_> = facts
        .services()
        .iter()
        .filter_map(|s| s.reference())
        .collect();
    let about_it = |f: &&Finding| match (&f.subject.service, in_question) {
        (Some(of), Some(q)) => of.same(q) || !pasted.iter().any(|p| p.same(of)),
        _ => true,
    };
    // The earliest unexplained error on the client's path; failing that,
    // one off the path (the path may have been inferred wrongly).
    let unexplained = |f: &&Finding| f.severity == Severity::Error && explained_by(f).is_none();
    let root = findings
        .iter()
        .filter(about_it)
        .filter(|f| applies(f.step, via))
        .find(unexplained)
        .or_else(|| findings.iter().filter(about_it).find(unexplained))
        .cloned();
    let root_cause = root.map(|finding| {
        let explains = rule(&finding.code)
            .map(|r| {
                let mut codes: Vec<String> = findings
                    .iter()
                    .filter(|f| {
                        f.code != finding.code
                            && r.explains_code(&f.code)
                            && finding.subject.reaches(&f.subject)
                    })
                    .map(|f| f.code.clone())
                    .collect();
                codes.dedup();
                codes
            })
            .unwrap_or_default();
        RootCause { finding, explains }
    });
    let status_of = |id: StepId| steps.iter().find(|s| s.id == id).map(|s| s.status);
    // An ExternalName Service is only a DNS alias: nothing to proxy.
    let services = facts.user_services();
    let alias_only = !services.is_empty() && services.iter().all(|s| s.is_external_name());
    // `web`, `web.shop`, `web.shop.svc.cluster.local`; not `web.example.com`.
    let names_service = |q: &str| {
        crate::context::case::service_of_name(q).is_some_and(|(ns, name)| {
            services.iter().any(|s| {
                s.name == Some(name.as_str())
                    && crate::model::same_namespace(ns.as_deref(), s.namespace)
            })
        })
    };
    // A name resolved by a lookup, or by a probe that got past resolving it
    // (an answer, a refusal or a timeout of the connection itself).
    let dns_works = facts
        .model
        .lookups
        .iter()
        .any(|l| l.resolved && l.query.as_deref().is_some_and(names_service))
        || facts.model.probes.iter().any(|p| {
            p.outcome.is_some_and(ProbeOutcome::past_name)
                && p.host.as_deref().is_some_and(names_service)
        });
    let unknown: Vec<StepId> = deciding(via)
        .iter()
        .copied()
        .filter(|&id| !(alias_only && id > StepId::B1))
        // A name that resolves from a pod shows the DNS steps working.
        // The client's DNS path works when its name resolved: CoreDNS, the
        // kube-dns Service, the lookup itself, resolv.conf and any policy
        // on port 53 all let it through.
        .filter(|&id| {
            !(dns_works
                && matches!(
                    id,
                    StepId::A1 | StepId::A2 | StepId::A3 | StepId::A5 | StepId::A6
                ))
        })
        .filter(|&id| status_of(id) == Some(StepStatus::Unknown))
        .collect();
    // A probe of the Service that failed: whatever else answered (another
    // client, another try), the case is not healthy.
    let failed_probe = facts.model.probes.iter().any(|p| {
        p.outcome.is_some_and(ProbeOutcome::failed)
            && p.host.as_deref().is_some_and(|h| {
                names_service(h) || services.iter().any(|s| s.cluster_ip() == Some(h))
            })
    });
    // A step the user said fails: never healthy; its check comes next, to
    // find out why from evidence.
    let stated_failing = steps.iter().find(|s| s.stated == Some(false)).map(|s| s.id);
    let verdict = if root_cause.is_some() {
        Verdict::RootCause
    } else if !failed_probe
        && stated_failing.is_none()
        && (unknown.is_empty() || reached_end_to_end(facts, via))
    {
        Verdict::Healthy
    } else {
        Verdict::NeedEvidence
    };
    let next = match verdict {
        Verdict::NeedEvidence => stated_failing
            .iter()
            .chain(&unknown)
            .copied()
            // Every step had evidence and still a probe failed: look at the
            // pods themselves next.
            .chain(unknown.is_empty().then_some(StepId::B4))
            .take(1)
            .map(|step| next_command(facts, step, via))
            .collect(),
        _ => Vec::new(),
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
        next,
        not_checked,
    }
}
