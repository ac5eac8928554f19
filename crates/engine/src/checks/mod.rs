//! The rule catalog: one rule per file under a folder per area, all registered
//! in [`RULES`]. Codes are permanent (spec section 3): never reused, renamed
//! or renumbered.

pub mod endpoints;

use std::collections::BTreeSet;

use crate::i18n::{Lang, Text};
use crate::model::{Model, Origin};
use crate::report::{Evidence, Finding, Severity};
use crate::steps::StepId;

/// A rule's fixed metadata and its check.
pub struct Rule {
    pub code: &'static str,
    pub slug: &'static str,
    pub severity: Severity,
    pub step: StepId,
    /// What the rule detects, in one line.
    pub summary: Text,
    pub check: fn(&Facts<'_>, &mut Sink),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).finish()
    }
}

/// Every rule, in walk order.
pub static RULES: &[&Rule] = &[&endpoints::selector_matches_no_pods::RULE];

/// Looks a rule up by its code (`EP301`) or slug.
pub fn rule(code_or_slug: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_slug) || r.slug == code_or_slug)
}

/// What the rules read: the model, and the pasted lines for excerpts.
pub struct Facts<'a> {
    pub model: &'a Model,
    pub sources: &'a [Vec<&'a str>],
    pub lang: Lang,
}

impl Facts<'_> {
    /// The pasted lines of an origin, as evidence.
    pub fn evidence(&self, origin: Origin) -> Evidence {
        let [first, last] = origin.lines;
        let excerpt = self
            .sources
            .get(origin.source)
            .map(|lines| {
                (first..=last)
                    .filter_map(|no| lines.get(no.checked_sub(1)?))
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        Evidence {
            artifact: origin.artifact,
            source: origin.source,
            lines: origin.lines,
            excerpt,
        }
    }

    pub fn tr(&self, text: Text) -> &'static str {
        text.get(self.lang)
    }
}

/// Where rules put what they found: findings, and the steps they had
/// evidence for (so that a step with evidence and no finding passes).
#[derive(Default)]
pub struct Sink {
    pub findings: Vec<Finding>,
    pub checked: BTreeSet<StepId>,
}

impl Sink {
    /// Notes that `step` had evidence to decide on.
    pub fn checked(&mut self, step: StepId) {
        self.checked.insert(step);
    }

    pub fn report(&mut self, rule: &Rule, message: String, evidence: Vec<Evidence>, fix: String) {
        self.checked.insert(rule.step);
        self.findings.push(Finding {
            code: rule.code.to_string(),
            slug: rule.slug.to_string(),
            severity: rule.severity,
            step: rule.step,
            message,
            evidence,
            fix,
        });
    }
}
