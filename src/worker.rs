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
    pub service: Option<svcdoctor_engine::report::ServiceRef>,
    /// The Chinese catalog's JSON, sent while the page speaks Chinese (the
    /// worker's engine has no Chinese of its own either).
    pub chinese: Option<std::rc::Rc<String>>,
    pub stated: Vec<(svcdoctor_engine::StepId, bool)>,
}

impl Request {
    pub fn input(&self) -> Input {
        crate::state::engine_input(
            &self.text,
            self.lang,
            self.via,
            &self.relabels,
            self.service.as_ref(),
            &self.stated,
        )
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Answer {
    pub id: u64,
    pub report: Report,
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
        if let Some(chinese) = &request.chinese {
            // Loaded once; a damaged catalog leaves the English.
            let _ = svcdoctor_engine::i18n::load_chinese(chinese);
        }
        let report = diagnose(&request.input());
        scope.respond(
            who,
            Answer {
                id: request.id,
                report,
            },
        );
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
        // As gloo-worker sends it: bincode both ways. (A flattened root
        // cause once failed to encode here, and the worker stopped.)
        let sent = bincode::serialize(&Answer { id: 7, report }).unwrap();
        let got: Answer = bincode::deserialize(&sent).unwrap();
        assert_eq!(got.id, 7);
        assert!(got.report.root_cause.is_some());
    }
}
