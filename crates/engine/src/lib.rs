//! svcdoctor's engine: pasted cluster output in, a walked troubleshooting
//! flowchart and its root cause out.
//!
//! The engine is pure: it does no I/O and never panics on input. Its one entry
//! point is [`diagnose`]:
//!
//! ```
//! use svcdoctor_engine::{diagnose, Input, Verdict};
//!
//! let report = diagnose(&Input::from_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n"));
//! assert_ne!(report.verdict, Verdict::RootCause);
//! ```
//!
//! Pipeline: clean the text, split it at prompts and command lines, detect
//! each artifact's kind, parse artifacts into one model, run the rules, walk
//! the flowchart, build the report. See ARCHITECTURE.md.

// The stages, in the order a paste goes through them (ARCHITECTURE.md).
pub mod checks;
pub mod context;
pub mod model;
pub mod parse;
pub mod read;
pub mod render;
pub mod report;
pub mod walk;

pub mod i18n;
#[doc(hidden)]
pub mod invariants;
pub mod redact;

// The paths the adapters and tests have always used.
pub use context::{case, via};
pub use parse::outline;
pub use read::{artifact, command, detect, split, text};
pub use render::inspect;
pub use walk::{next, steps};

pub use artifact::ArtifactKind;
pub use i18n::Lang;
pub use report::{Report, Severity, StepStatus, Verdict, Via};
pub use steps::StepId;

use std::borrow::Cow;

use artifact::Artifact;
use model::Model;
use report::{ArtifactReport, Diagnostic, ViaReport};

/// One pasted text: a paste box, a file, or standard input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    /// A file name or label, for messages.
    pub name: Option<String>,
    pub text: String,
    /// The kind the caller says the whole text is, overriding detection.
    pub kind: Option<ArtifactKind>,
}

/// Everything the engine needs: the pasted texts and the caller's choices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input {
    pub sources: Vec<Source>,
    /// How the client reaches the Service; inferred from the evidence when
    /// not set.
    pub via: Option<Via>,
    /// The language of messages, fixes and step titles.
    pub lang: Lang,
    /// Kinds the caller sets for single artifacts, overriding detection.
    pub relabel: Vec<Relabel>,
    /// The Service the client is after (`namespace`, `name`); when not set,
    /// every Service pasted but the cluster's own.
    pub service: Option<(Option<String>, String)>,
    /// Rule codes (or slugs) whose findings the caller does not want.
    pub ignore: Vec<String>,
    /// Answers the user stated for steps the paste has no evidence of
    /// (`true`: the step holds). They fill only steps without evidence,
    /// and the report marks every conclusion that rests on them.
    pub stated: Vec<(StepId, bool)>,
}

/// The caller's word that the artifact starting at `line` of `source` is of
/// `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relabel {
    pub source: usize,
    /// The artifact's first line (`lines[0]` in the report).
    pub line: usize,
    pub kind: ArtifactKind,
}

impl Input {
    /// An input of one pasted text.
    pub fn from_text(text: &str) -> Input {
        Input {
            sources: vec![Source {
                name: None,
                text: text.to_string(),
                kind: None,
            }],
            ..Input::default()
        }
    }
}

/// What the engine read from the input, before any rule ran.
pub struct Understanding<'a> {
    /// The cleaned text of each source, borrowed from the input when nothing needed cleaning.
    pub texts: Vec<Cow<'a, str>>,
    pub artifacts: Vec<Artifact>,
    pub diagnostics: Vec<Vec<Diagnostic>>,
    pub model: Model,
}

impl Understanding<'_> {
    /// What each artifact was read into, counted: one pass over the facts.
    fn read_counts(&self) -> Vec<Vec<report::Count>> {
        use report::Counted as C;
        let m = &self.model;
        let mut counts = vec![[0usize; C::ALL.len()]; self.artifacts.len()];
        let mut add = |origin: &model::Origin, what: C, n: usize| {
            if let Some(c) = counts.get_mut(origin.artifact) {
                c[what as usize] += n;
            }
        };
        m.services
            .iter()
            .for_each(|s| add(&s.origin, C::Services, 1));
        m.workloads
            .iter()
            .for_each(|w| add(&w.origin, C::Workloads, 1));
        m.pods.iter().for_each(|p| add(&p.origin, C::Pods, 1));
        for e in &m.endpoints {
            add(&e.origin, C::Endpoints, e.addresses.len());
        }
        for r in &m.proxy_rules {
            add(&r.origin, C::ProxyServices, 1);
            add(
                &r.origin,
                C::Endpoints,
                r.endpoints.as_ref().map_or(0, Vec::len),
            );
        }
        for v in &m.ipvs {
            add(&v.origin, C::VirtualServers, 1);
            add(&v.origin, C::Endpoints, v.real_servers.len());
        }
        m.lookups.iter().for_each(|l| add(&l.origin, C::Lookups, 1));
        m.probes.iter().for_each(|p| add(&p.origin, C::Probes, 1));
        m.events.iter().for_each(|e| add(&e.origin, C::Events, 1));
        counts
            .into_iter()
            .map(|c| {
                C::ALL
                    .iter()
                    .filter(|&&what| c[what as usize] > 0)
                    .map(|&what| report::Count {
                        what,
                        n: c[what as usize],
                    })
                    .collect()
            })
            .collect()
    }

    /// The artifacts as the report lists them.
    pub fn artifact_reports(&self) -> Vec<ArtifactReport> {
        let mut read = self.read_counts();
        self.artifacts
            .iter()
            .zip(&self.diagnostics)
            .map(|(a, d)| ArtifactReport {
                read: std::mem::take(&mut read[a.index]),
                index: a.index,
                kind: a.kind,
                source: a.source,
                lines: [a.first_line, a.last_line],
                command: a.command.as_ref().map(|c| c.text.clone()),
                file: a.file.clone(),
                diagnostics: d.clone(),
            })
            .collect()
    }
}

/// Commands whose empty output says something: a grep that matched no rule
/// or process, a `dig +short` without answer.
fn silence_is_evidence(command: Option<&command::Command>) -> bool {
    let Some(cmd) = command else {
        return false;
    };
    match detect::detect(Some(cmd), &[]) {
        ArtifactKind::Iptables
        | ArtifactKind::Nftables
        | ArtifactKind::Ipvs
        | ArtifactKind::ProcessList => cmd.is_filtered(),
        // `lsmod | grep br_netfilter` printing nothing: not loaded.
        ArtifactKind::NodeSettings => cmd.program == "lsmod" && cmd.is_filtered(),
        ArtifactKind::Dig => cmd.args.iter().any(|a| a == "+short"),
        _ => false,
    }
}

/// Splits, detects and parses every source.
pub fn understand(input: &Input) -> Understanding<'_> {
    let texts: Vec<Cow<'_, str>> = input.sources.iter().map(|s| text::clean(&s.text)).collect();
    let mut artifacts = Vec::new();
    let mut diagnostics = Vec::new();
    let mut model = Model::default();
    for (source_index, (source, text)) in input.sources.iter().zip(&texts).enumerate() {
        let lines: Vec<&str> = text.lines().collect();
        let segments = split::split(&lines).into_iter().flat_map(|s| {
            if source.kind.is_some() {
                vec![s]
            } else {
                split::at_format_boundaries(s, &lines)
            }
        });
        for segment in segments {
            let body: Vec<&str> = (segment.body_start..=segment.last_line)
                .filter_map(|no| lines.get(no - 1).copied())
                .collect();
            if body.is_empty() && !silence_is_evidence(segment.command.as_ref()) {
                // A command that printed nothing (`kubectl create ...`).
                continue;
            }
            let relabel = input
                .relabel
                .iter()
                .find(|r| r.source == source_index && r.line == segment.first_line)
                .map(|r| r.kind);
            let (kind, relabelled) = match relabel.or(source.kind) {
                Some(kind) => (kind, true),
                None => (detect::detect(segment.command.as_ref(), &body), false),
            };
            let artifact = Artifact {
                index: artifacts.len(),
                source: source_index,
                kind,
                relabelled,
                command: segment.command,
                client: segment.client,
                first_line: segment.first_line,
                body_start: segment.body_start,
                last_line: segment.last_line,
                file: segment.file,
            };
            diagnostics.push(parse::parse(&artifact, &lines, &mut model, input.lang));
            artifacts.push(artifact);
        }
    }
    Understanding {
        texts,
        artifacts,
        diagnostics,
        model,
    }
}

/// Diagnoses the pasted texts: the engine's entry point.
pub fn diagnose(input: &Input) -> Report {
    let mut understanding = understand(input);
    // The case: the Service the evidence is about, when none was pasted.
    case::infer_services(&mut understanding.model, &understanding.artifacts);
    case::join_slice_tables(&mut understanding.model);
    // The case stage changed the model: index it afresh on first use.
    understanding.model.index.take();
    let sources: Vec<Vec<&str>> = understanding
        .texts
        .iter()
        .map(|t| t.lines().collect())
        .collect();
    let caller = input
        .service
        .as_ref()
        .map(|(ns, name)| (ns.as_deref(), name.as_str()));
    let facts = checks::Facts {
        model: &understanding.model,
        artifacts: &understanding.artifacts,
        sources: &sources,
        lang: input.lang,
        service: caller,
        case: case::resolve(&understanding.model, &understanding.artifacts, caller),
        merged: std::cell::OnceCell::new(),
        service_pods: std::cell::OnceCell::new(),
    };
    let mut sink = checks::Sink::default();
    for rule in checks::RULES {
        let ignored = input
            .ignore
            .iter()
            .any(|i| i.eq_ignore_ascii_case(rule.code) || i == rule.slug);
        if !ignored {
            (rule.check)(&facts, &mut sink);
        }
    }
    let via = match input.via {
        Some(value) => ViaReport {
            value,
            inferred: false,
        },
        None => ViaReport {
            value: via::infer(&facts).unwrap_or(Via::Name),
            inferred: true,
        },
    };
    let walked = walk::walk(sink, &facts, via.value, &input.stated);
    Report {
        verdict: walked.verdict,
        root_cause: walked.root_cause,
        findings: walked.findings,
        steps: walked.steps,
        next: walked.next,
        artifacts: understanding.artifact_reports(),
        via,
        not_checked: walked.not_checked,
        case: crate::report::CaseReport {
            reached: walk::reached::reached(&facts),
            ..facts.case.report(|o| facts.evidence(o), input.lang)
        },
    }
}
