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
    pub stated: Vec<(svcdoctor_engine::StepId, bool)>,
}

impl Request {
    pub fn input(&self) -> Input {
        self.input_of(&self.text)
    }

    /// The engine's input for `text` with this request's choices.
    fn input_of(&self, text: &str) -> Input {
        crate::state::engine_input(
            text,
            self.lang,
            self.via,
            &self.relabels,
            self.service.as_ref(),
            &self.stated,
        )
    }
}

/// What the page asks of the worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    /// The Chinese catalog's JSON, sent with the first job while the page
    /// speaks Chinese (the worker's engine has no Chinese of its own either).
    pub chinese: Option<std::rc::Rc<String>>,
    pub work: Work,
}

/// The work of a [`Job`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Work {
    /// Diagnose a large paste.
    Diagnose(Request),
    /// Make what leaves the page (a share link's text, an export), masked
    /// with `mask` as the key when masking is on. The page carries neither
    /// the masking nor the report's JSON and Markdown writers: they are
    /// needed only when the user shares or exports.
    Outgoing {
        request: Request,
        mask: Option<u64>,
        make: Make,
    },
    /// Say one pasted line (of an output of `kind`) in plain words, for the
    /// line under the caret: the explanations are needed only once a caret
    /// rests on such a line, so they live here, not in the page.
    Explain {
        id: u64,
        lang: Lang,
        kind: ArtifactKind,
        line: String,
    },
    /// Hand over the transcript of a practice case (empty: no such case).
    Example { id: u64, case: String },
}

/// What a [`Work::Outgoing`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Make {
    /// The paste itself (masked when asked): a share link's text.
    Text,
    /// The report as pretty JSON.
    Json,
    /// The report as Markdown, in the request's language.
    Markdown,
}

/// The worker's answers, each with the number of its request.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Answer {
    Diagnosed { id: u64, report: Box<Report> },
    Outgoing { id: u64, made: Made },
}

/// What leaves the page, made (or a line explained: an empty text when
/// it is not one of the lines explained).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Made {
    pub text: String,
    /// With masking on: how many distinct addresses and names were masked.
    pub masked: Option<(usize, usize)>,
}

/// Makes `make` of the request's paste, masked with `mask` as the key
/// when given (the masked text gives the same diagnosis, so the report is
/// made of it again).
pub fn outgoing(request: &Request, mask: Option<u64>, make: Make) -> Made {
    let (masked, counts) = match mask {
        Some(key) => {
            let r = svcdoctor_engine::redact::redact(&request.text, key);
            (Some(r.text), Some((r.addresses, r.names)))
        }
        None => (None, None),
    };
    let report = || diagnose(&request.input_of(masked.as_deref().unwrap_or(&request.text)));
    let text = match make {
        Make::Text => masked.unwrap_or_else(|| request.text.to_string()),
        Make::Json => serde_json::to_string_pretty(&report()).unwrap_or_default(),
        Make::Markdown => svcdoctor_engine::render::markdown::report(&report(), request.lang),
    };
    Made {
        text,
        masked: counts,
    }
}

pub struct DiagnoseWorker;

impl Worker for DiagnoseWorker {
    type Message = ();
    type Input = Job;
    type Output = Answer;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        DiagnoseWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, job: Self::Input, who: HandlerId) {
        if let Some(chinese) = &job.chinese {
            // Loaded once; a damaged catalog leaves the English.
            let _ = svcdoctor_engine::i18n::load_chinese(chinese);
        }
        let answer = match job.work {
            Work::Diagnose(request) => Answer::Diagnosed {
                id: request.id,
                report: Box::new(diagnose(&request.input())),
            },
            Work::Explain {
                id,
                lang,
                kind,
                line,
            } => Answer::Outgoing {
                id,
                made: Made {
                    text: svcdoctor_engine::render::explain(lang, kind, &line).unwrap_or_default(),
                    masked: None,
                },
            },
            Work::Example { id, case } => Answer::Outgoing {
                id,
                made: Made {
                    text: crate::examples::transcript(&case)
                        .unwrap_or_default()
                        .to_string(),
                    masked: None,
                },
            },
            Work::Outgoing {
                request,
                mask,
                make,
            } => Answer::Outgoing {
                id: request.id,
                made: outgoing(&request, mask, make),
            },
        };
        scope.respond(who, answer);
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
        let sent = bincode::serialize(&Answer::Diagnosed {
            id: 7,
            report: Box::new(report),
        })
        .unwrap();
        let got: Answer = bincode::deserialize(&sent).unwrap();
        let Answer::Diagnosed { id: 7, report } = got else {
            panic!("not the answer sent: {got:?}");
        };
        assert!(report.root_cause.is_some());
    }

    fn request(text: &str) -> Request {
        Request {
            id: 3,
            text: std::rc::Rc::new(text.to_string()),
            lang: Lang::En,
            via: None,
            relabels: Vec::new(),
            service: None,
            stated: Vec::new(),
        }
    }

    #[test]
    fn exports_are_made_of_the_masked_text_when_masking_is_on() {
        let text = "$ kubectl get svc checkout-api -n shop\nNAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE\ncheckout-api ClusterIP 10.96.12.34 <none> 80/TCP 5m\n";
        let plain = outgoing(&request(text), None, Make::Text);
        assert_eq!((plain.text.as_str(), plain.masked), (text, None));
        let json = outgoing(&request(text), None, Make::Json);
        let value: serde_json::Value = serde_json::from_str(&json.text).unwrap();
        assert!(value["steps"].is_array(), "{}", json.text);
        for make in [Make::Text, Make::Json, Make::Markdown] {
            let made = outgoing(&request(text), Some(42), make);
            let (addresses, names) = made.masked.unwrap();
            assert!(addresses >= 1 && names >= 1, "{make:?}: {:?}", made.masked);
            assert!(
                !made.text.contains("checkout-api"),
                "{make:?}: {}",
                made.text
            );
            assert!(
                !made.text.contains("10.96.12.34"),
                "{make:?}: {}",
                made.text
            );
        }
        // One key masks the same way in every export.
        let a = outgoing(&request(text), Some(42), Make::Text).text;
        let b = outgoing(&request(text), Some(42), Make::Text).text;
        assert_eq!(a, b);
    }
}
