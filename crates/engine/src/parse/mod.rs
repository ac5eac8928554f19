//! Parsers: one per artifact kind. A parser never fails: it adds what it can
//! read to the model and reports the rest as line-numbered diagnostics.

pub mod k8s;

use crate::artifact::{Artifact, ArtifactKind};
use crate::command::Kubectl;
use crate::model::{Model, Origin};
use crate::report::{Diagnostic, Severity};

/// What a parser works with: its artifact, the lines of the artifact's source,
/// and the diagnostics it reports.
pub struct Context<'a> {
    pub artifact: &'a Artifact,
    lines: &'a [&'a str],
    pub kubectl: Option<Kubectl>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    pub fn new(artifact: &'a Artifact, lines: &'a [&'a str]) -> Context<'a> {
        Context {
            artifact,
            lines,
            kubectl: artifact.command.as_ref().and_then(|c| c.kubectl()),
            diagnostics: Vec::new(),
        }
    }

    /// The output lines with their 1-based numbers.
    pub fn body(&self) -> Vec<(usize, &'a str)> {
        let a = self.artifact;
        (a.body_start..=a.last_line)
            .filter_map(|no| Some((no, *self.lines.get(no.checked_sub(1)?)?)))
            .collect()
    }

    pub fn body_start(&self) -> usize {
        self.artifact.body_start
    }

    pub fn diag(&mut self, line: usize, severity: Severity, message: String) {
        self.diagnostics.push(Diagnostic {
            line,
            severity,
            message,
        });
    }

    pub fn origin(&self, lines: [usize; 2]) -> Origin {
        Origin {
            artifact: self.artifact.index,
            source: self.artifact.source,
            lines,
        }
    }
}

/// Parses one artifact into the model and returns its diagnostics.
pub fn parse(artifact: &Artifact, lines: &[&str], model: &mut Model) -> Vec<Diagnostic> {
    let mut cx = Context::new(artifact, lines);
    match artifact.kind {
        ArtifactKind::K8sObjects => k8s::parse(&mut cx, model),
        ArtifactKind::Unknown => {
            let line = artifact.body_start.min(artifact.last_line);
            cx.diag(
                line,
                Severity::Info,
                "not recognised as any output svcdoctor reads; choose its kind if you know it"
                    .to_string(),
            );
        }
        // The other kinds are recognised; their parsers feed rules that come later.
        _ => {}
    }
    cx.diagnostics
}
