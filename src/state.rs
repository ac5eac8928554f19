//! The page's state as plain data: a [`Model`], the [`Action`]s that change it
//! and a pure [`reduce`], tested natively.

use std::rc::Rc;

use svcdoctor_engine::{diagnose, Input, Lang, Report};
use yew::Reducible;

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// What is in the paste box.
    pub text: String,
    pub lang: Lang,
    /// The report of the text as it was at the last diagnosis.
    pub report: Rc<Report>,
    /// True while the text has changed since the report was made.
    pub stale: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The user typed or pasted: the text changes now, the diagnosis later.
    Edit(String),
    /// Diagnose the current text (after the typing pause).
    Diagnose,
}

impl Model {
    /// A model holding `text`, already diagnosed.
    pub fn new(text: &str, lang: Lang) -> Model {
        Model {
            text: text.to_string(),
            lang,
            report: Rc::new(run(text, lang)),
            stale: false,
        }
    }
}

fn run(text: &str, lang: Lang) -> Report {
    let mut input = Input::from_text(text);
    input.lang = lang;
    diagnose(&input)
}

/// The next model after `action`. Pure: no timers, storage or DOM.
pub fn reduce(model: &Model, action: Action) -> Model {
    match action {
        Action::Edit(text) => Model {
            stale: text != model.text || model.stale,
            text,
            ..model.clone()
        },
        Action::Diagnose if model.stale => Model {
            report: Rc::new(run(&model.text, model.lang)),
            stale: false,
            ..model.clone()
        },
        Action::Diagnose => model.clone(),
    }
}

impl Reducible for Model {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(reduce(&self, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcdoctor_engine::Verdict;

    const BROKEN: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: Web\n  template:\n    metadata:\n      labels:\n        app: Web\n";

    #[test]
    fn editing_marks_the_report_stale_until_diagnosed() {
        let model = Model::new(crate::TUTORIAL, Lang::En);
        assert!(model.report.root_cause.is_none());
        let edited = reduce(&model, Action::Edit(BROKEN.to_string()));
        assert!(edited.stale);
        assert_eq!(
            edited.report, model.report,
            "typing alone does not re-diagnose"
        );
        let diagnosed = reduce(&edited, Action::Diagnose);
        assert!(!diagnosed.stale);
        assert_eq!(diagnosed.report.verdict, Verdict::RootCause);
        assert_eq!(
            diagnosed.report.root_cause.as_ref().unwrap().finding.code,
            "EP301"
        );
    }

    #[test]
    fn diagnosing_an_unchanged_text_keeps_the_report() {
        let model = Model::new("", Lang::En);
        let again = reduce(&model, Action::Diagnose);
        assert!(Rc::ptr_eq(&model.report, &again.report));
        let same = reduce(&model, Action::Edit(String::new()));
        assert!(!same.stale);
    }
}
