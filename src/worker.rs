//! The diagnosis off the main thread: a Web Worker running the engine, so
//! that big pastes (a 10,000-Service `iptables-save`) never freeze the page.

use gloo::worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};
use svcdoctor_engine::report::Via;
use svcdoctor_engine::{diagnose, ArtifactKind, Input, Lang, Report};

/// What the page asks: the paste and the choices, with a number to match
/// the answer to the request.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Request {
    pub id: u64,
    /// Shared with the page's model: serialised from it, not copied first.
    pub text: std::rc::Rc<String>,
    pub lang: Lang,
    pub via: Option<Via>,
    pub relabels: Vec<(usize, ArtifactKind)>,
}

impl Request {
    pub fn input(&self) -> Input {
        crate::state::engine_input(&self.text, self.lang, self.via, &self.relabels)
    }
}

/// The report for a request. It travels as JSON: gloo's worker messages are
/// bincode, which cannot carry the report's flattened fields (a report with
/// a root cause failed to encode, and the worker stopped).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Answer {
    pub id: u64,
    report_json: String,
}

impl Answer {
    pub fn new(id: u64, report: &Report) -> Answer {
        Answer {
            id,
            report_json: serde_json::to_string(report).unwrap_or_default(),
        }
    }

    /// The report, or an empty one if the message was damaged.
    pub fn report(&self) -> Report {
        serde_json::from_str(&self.report_json).unwrap_or_else(|_| Report::empty())
    }
}

pub struct DiagnoseWorker;

impl Worker for DiagnoseWorker {
    type Message = ();
    type Input = Request;
    type Output = Answer;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        DiagnoseWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: Self::Input, who: HandlerId) {
        let report = diagnose(&request.input());
        scope.respond(who, Answer::new(request.id, &report));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_with_a_root_cause_crosses_to_the_page() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: Web\n  template:\n    metadata:\n      labels:\n        app: Web\n";
        let report = diagnose(&Input::from_text(text));
        assert!(report.root_cause.is_some());
        // The report itself cannot go as bincode (the bug this fixed).
        assert!(bincode::serialize(&report).is_err());
        // As gloo-worker sends it: bincode both ways.
        let sent = bincode::serialize(&Answer::new(7, &report)).unwrap();
        let got: Answer = bincode::deserialize(&sent).unwrap();
        assert_eq!((got.id, got.report()), (7, report));
    }
}
