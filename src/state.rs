//! The page's state as plain data: a [`Model`], the [`Action`]s that change it
//! and a pure [`reduce`], tested natively. Side effects (timers, storage,
//! clipboard, scrolling) live in `app.rs` and `services.rs`.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use svcdoctor_engine::report::{ServiceRef, Via};
use svcdoctor_engine::{diagnose, ArtifactKind, Input, Lang, Relabel, Report, StepId};
use yew::Reducible;

/// Evidence marked in the paste: every line range of one finding, and the
/// one the user asked to see (scrolled to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marks {
    pub ranges: Rc<[[usize; 2]]>,
    pub focus: [usize; 2],
}

impl Marks {
    /// One range, alone.
    pub fn one(lines: [usize; 2]) -> Marks {
        Marks {
            ranges: Rc::new([lines]),
            focus: lines,
        }
    }

    /// Whether line `no` (1-based) is marked.
    pub fn covers(&self, no: usize) -> bool {
        self.ranges.iter().any(|[a, b]| (*a..=*b).contains(&no))
    }

    /// Every evidence range of `finding` (none without evidence).
    pub fn ranges_of(finding: &svcdoctor_engine::report::Finding) -> Rc<[[usize; 2]]> {
        finding.evidence.iter().map(|e| e.lines).collect()
    }
}

/// The remarks of the report's outputs that say they were not read in full
/// (errors and warnings), with their output: counted in the diagnosis and
/// marked in the paste.
pub fn read_problems(
    report: &Report,
) -> impl Iterator<
    Item = (
        &svcdoctor_engine::report::ArtifactReport,
        &svcdoctor_engine::report::Diagnostic,
    ),
> {
    report.artifacts.iter().flat_map(|a| {
        a.diagnostics
            .iter()
            .filter(|d| d.severity != svcdoctor_engine::Severity::Info)
            .map(move |d| (a, d))
    })
}

/// What survives a reload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub text: String,
    pub lang: Lang,
    pub via: Option<Via>,
    #[serde(default)]
    pub relabels: Vec<(usize, ArtifactKind)>,
    /// The Service the user chose to ask about; `None` follows the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceRef>,
    /// The text is too large for local storage and was saved in IndexedDB
    /// (`text` is then empty).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub big: bool,
    /// The flowchart step whose details are open (a share link opens on
    /// the step its sender was looking at).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<StepId>,
    /// The user's answers for steps without evidence (share links carry
    /// them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stated: Vec<(StepId, bool)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// What is in the paste box. Shared, so that the reducer's copy of the
    /// model per action and the view's props do not copy a large paste.
    pub text: Rc<String>,
    pub lang: Lang,
    /// The path the user chose; `None` follows the engine's inference.
    pub via: Option<Via>,
    /// Kinds the user set, by the artifact's first line.
    pub relabels: Vec<(usize, ArtifactKind)>,
    /// The Service the user chose; `None` follows the engine's case.
    pub service: Option<ServiceRef>,
    /// The report of the text as it was at the last diagnosis.
    pub report: Rc<Report>,
    /// True while the text has changed since the report was made.
    pub stale: bool,
    /// The flowchart step whose details are open.
    pub selected_step: Option<StepId>,
    /// The evidence marked in the paste, after an evidence click.
    pub highlight: Option<Marks>,
    /// The practice case loaded, if any.
    pub example: Option<&'static str>,
    /// The example text as it was put in the paste box (a practice case, or
    /// the first visit's tutorial), to tell the user's own lines from it.
    pub loaded: Option<Rc<String>>,
    /// The text before the last change the page made to it (a practice
    /// case, Clear, removing an output or the example, a file added): what
    /// Undo and Ctrl+Z bring back, until the user types.
    pub undo: Option<Rc<String>>,
    /// Practice cases hide their answer until the learner guesses the
    /// failing step.
    pub guess_first: bool,
    /// The learner's guess for the practice case loaded.
    pub guessed: Option<StepId>,
    /// The user's answers for steps the paste has no evidence of.
    pub stated: Vec<(StepId, bool)>,
    /// Counts the changes worth saving, so that effects can depend on a
    /// number instead of comparing the whole text on every render.
    pub revision: u64,
    /// The revision the Web Worker should diagnose: set instead of
    /// diagnosing here when the text is large.
    pub want_worker: Option<u64>,
    /// A large saved text is being read back from IndexedDB.
    pub restoring: bool,
}

/// The engine's input for a paste and the user's choices: the same in the
/// page and in the Web Worker, so both give the same report.
pub fn engine_input(
    text: &str,
    lang: Lang,
    via: Option<Via>,
    relabels: &[(usize, ArtifactKind)],
    service: Option<&ServiceRef>,
    stated: &[(StepId, bool)],
) -> Input {
    let mut input = Input::from_text(text);
    input.stated = stated.to_vec();
    input.lang = lang;
    input.via = via;
    input.service = service.map(|s| (s.namespace.clone(), s.name.clone()));
    input.relabel = relabels
        .iter()
        .map(|&(line, kind)| Relabel {
            source: 0,
            line,
            kind,
        })
        .collect();
    input
}

/// From this size on, the diagnosis runs in the Web Worker, off the main
/// thread; below it, in place (it takes a few milliseconds).
pub const LARGE: usize = 200_000;

/// The largest text the page takes (a paste, or the paste with a file
/// added): beyond it, the tab's memory (the text, its copy in the Web Worker
/// and the model built from it) would grow past a few hundred MB. The CLI
/// has no such limit.
pub const MAX_TEXT: usize = 64 << 20;

/// A dropped or chosen file's bytes as text, or why it was not added.
/// Invalid UTF-8 is replaced (with a remark); a file with NUL bytes near its
/// start is binary (the test git uses) and is refused. Files over
/// [`MAX_TEXT`] are refused before they are read ([`too_large`]). Valid
/// UTF-8 becomes the text without a copy.
pub fn decode_file(lang: Lang, name: &str, bytes: Vec<u8>) -> (Option<String>, Option<String>) {
    use crate::i18n::Msg;
    let fill =
        |msg: Msg, n: usize| crate::i18n::fill(lang, msg, &[("file", name), ("n", &n.to_string())]);
    if bytes[..bytes.len().min(8000)].contains(&0) {
        return (None, Some(fill(Msg::FileBinary, 0)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => (Some(text), None),
        Err(e) => {
            let bytes = e.as_bytes();
            let replaced = bytes
                .utf8_chunks()
                .filter(|c| !c.invalid().is_empty())
                .count();
            let text = String::from_utf8_lossy(bytes).into_owned();
            (Some(text), Some(fill(Msg::FileNotUtf8, replaced)))
        }
    }
}

/// The pasted text of a saved state that does not read as [`Saved`] (an
/// older version, or damaged settings), if a text is there to keep.
pub fn salvage(json: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let text = value.get("text")?.as_str()?;
    (!text.is_empty()).then(|| text.to_string())
}

/// Why a file (`name`) or a paste (`None`) of `size` bytes is not taken, if
/// it is over [`MAX_TEXT`].
pub fn too_large(lang: Lang, name: Option<&str>, size: u64) -> Option<String> {
    use crate::i18n::Msg;
    if size <= MAX_TEXT as u64 {
        return None;
    }
    let msg = if name.is_some() {
        Msg::FileTooLarge
    } else {
        Msg::PasteTooLarge
    };
    Some(crate::i18n::fill(
        lang,
        msg,
        &[
            ("file", name.unwrap_or_default()),
            ("n", &(size >> 20).to_string()),
            ("max", &(MAX_TEXT >> 20).to_string()),
        ],
    ))
}

/// Texts of this many bytes or more are shown in part, never put in the
/// `<textarea>` (see `PasteBox`).
pub const BIG_VIEW: usize = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The user typed or pasted: the text changes now, the diagnosis later.
    Edit(String),
    /// Diagnose the current text (after the typing pause).
    Diagnose,
    /// Append a dropped or chosen file's text.
    AddText(String),
    SetLang(Lang),
    SetVia(Option<Via>),
    /// Ask about this Service (`None`: the one the evidence names).
    SetService(Option<ServiceRef>),
    /// The Chinese texts arrived: say everything again in them.
    TextsLoaded,
    /// Open a shared state (a share link opened in a tab that already had
    /// the page).
    Open(Saved),
    /// Set the kind of the artifact starting at this line (`None` undoes it).
    Relabel(usize, Option<ArtifactKind>),
    /// Delete the lines of an artifact from the paste.
    RemoveLines([usize; 2]),
    SelectStep(Option<StepId>),
    Highlight(Option<Marks>),
    /// Replace everything with a practice case: its id and its transcript
    /// (which the Web Worker hands over).
    LoadExample(&'static str, Rc<String>),
    /// Empty the paste box of the example, to paste one's own output.
    StartOwn,
    /// Take the example's lines out of a paste that mixes them with the
    /// user's own.
    RemoveExample,
    /// Bring back the text before the page's last change to it.
    Undo,
    /// Hide practice cases' answers until guessed (or not).
    SetGuessFirst(bool),
    /// The learner's guess of the failing step.
    Guess(StepId),
    /// The user's answer for a step without evidence (`None`: take it back).
    State(StepId, Option<bool>),
    /// The Web Worker's report for a revision.
    Diagnosed(u64, Rc<Report>),
    /// The large text saved in IndexedDB, read back (`None`: it could not be).
    Restored(Option<String>),
    Clear,
}

/// Where a paste stands with the example the page gave it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExampleState {
    /// The example, as given.
    Untouched,
    /// The example's lines and the user's own.
    Mixed,
    /// The user's own (or no example was given).
    Own,
}

/// The URL fragment prefix of a share link.
pub const SHARE_PREFIX: &str = "#s=";

/// What a share link carries, before it is packed: the state as JSON. The
/// page packs it with the browser's raw DEFLATE (`services::deflate_raw`),
/// so that the page carries no compressor of its own.
pub fn share_json(saved: &Saved) -> Vec<u8> {
    serde_json::to_vec(saved).unwrap_or_default()
}

/// The URL fragment for packed (deflated) state: base64url after
/// [`SHARE_PREFIX`].
pub fn fragment_of(packed: &[u8]) -> String {
    use base64::Engine;
    format!(
        "{SHARE_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    )
}

/// The packed state in a share link's fragment (`None`: not a share link),
/// or why it is damaged (in `lang`).
pub fn packed_in(fragment: &str, lang: Lang) -> Option<Result<Vec<u8>, String>> {
    use base64::Engine;
    let data = fragment.strip_prefix(SHARE_PREFIX)?;
    Some(
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(data.trim_end_matches('='))
            .map_err(|e| damaged(lang, &format!("not base64url: {e}"))),
    )
}

/// The message for a share link that cannot be unpacked.
pub fn damaged(lang: Lang, problem: &str) -> String {
    crate::i18n::fill(
        lang,
        crate::i18n::Msg::ShareDamaged,
        &[("problem", problem)],
    )
}

/// The state in a share link's unpacked JSON, or what is wrong with it.
pub fn saved_from(json: &[u8], lang: Lang) -> Result<Saved, String> {
    use crate::i18n::{fill, Msg};
    serde_json::from_slice(json)
        .map_err(|e| fill(lang, Msg::ShareNotState, &[("problem", &e.to_string())]))
}

/// Share links longer than this many characters are hard to send (chat
/// and mail clients cut or refuse them): the page suggests a file instead.
pub const LONG_LINK: usize = 8_000;

impl Model {
    /// A model holding `saved`, already diagnosed.
    pub fn new(saved: Saved) -> Model {
        let text = Rc::new(saved.text);
        let model = Model {
            loaded: (text.as_str() == crate::TUTORIAL).then(|| text.clone()),
            undo: None,
            guess_first: false,
            guessed: None,
            stated: saved.stated,
            text,
            lang: saved.lang,
            via: saved.via,
            relabels: saved.relabels,
            service: saved.service,
            report: Rc::new(Report::empty()),
            stale: true,
            selected_step: saved.step,
            highlight: None,
            example: None,
            revision: 0,
            want_worker: None,
            restoring: saved.big,
        };
        model.rediagnosed()
    }

    /// Whether the answer is hidden: a practice case with a root cause, in
    /// "guess first" mode, not guessed yet.
    pub fn answer_hidden(&self) -> bool {
        self.guess_first
            && self.guessed.is_none()
            && self.example.is_some_and(|id| id != "tutorial-healthy")
            && self.example_state() == ExampleState::Untouched
            && self.report.root_cause.is_some()
    }

    /// Where the paste stands with the example it was given.
    pub fn example_state(&self) -> ExampleState {
        let Some(loaded) = &self.loaded else {
            return ExampleState::Own;
        };
        if self.text == *loaded {
            return ExampleState::Untouched;
        }
        let example = loaded.trim_end();
        if !example.is_empty() && self.text.len() > example.len() && self.text.contains(example) {
            ExampleState::Mixed
        } else {
            ExampleState::Own
        }
    }

    /// This model with `text` put in by the page (not typed): the text
    /// before it is kept for Undo.
    fn replaced_by(self, text: String, before: &Model) -> Model {
        let undo =
            (!before.text.trim().is_empty() && *before.text != text).then(|| before.text.clone());
        Model {
            text: Rc::new(text),
            undo,
            relabels: Vec::new(),
            highlight: None,
            ..self
        }
    }

    pub fn saved(&self) -> Saved {
        Saved {
            text: String::clone(&self.text),
            lang: self.lang,
            via: self.via,
            relabels: self.relabels.clone(),
            service: self.service.clone(),
            big: false,
            step: self.selected_step,
            stated: self.stated.clone(),
        }
    }

    fn run(&self) -> Report {
        diagnose(&engine_input(
            &self.text,
            self.lang,
            self.via,
            &self.relabels,
            self.service.as_ref(),
            &self.stated,
        ))
    }

    /// The same model, diagnosed again now, or, for a large text, marked
    /// for the Web Worker.
    fn rediagnosed(mut self) -> Model {
        if self.text.len() >= LARGE {
            self.stale = true;
            self.want_worker = Some(self.revision);
            return self;
        }
        self.report = Rc::new(self.run());
        self.stale = false;
        self.want_worker = None;
        self
    }
}

/// The next model after `action`. Pure: no timers, storage or DOM.
pub fn reduce(model: &Model, action: Action) -> Model {
    let saves = !matches!(
        action,
        Action::Diagnose | Action::SelectStep(_) | Action::Highlight(_)
    );
    let restore = matches!(action, Action::Restored(_));
    let mut next = step(model, action);
    // A text the user typed, pasted, cleared or loaded wins over a restore
    // still under way.
    if !restore && next.text != model.text {
        next.restoring = false;
    }
    if saves
        && (next.text != model.text
            || next.lang != model.lang
            || next.via != model.via
            || next.relabels != model.relabels)
    {
        next.revision = model.revision + 1;
        // A pending worker request now stands for the new revision.
        if next.want_worker.is_some() {
            next.want_worker = Some(next.revision);
        }
    }
    next
}

fn step(model: &Model, action: Action) -> Model {
    let m = model.clone();
    match action {
        // Typing takes over from Undo (the text box's own undo has it).
        Action::Edit(text) => Model {
            stale: *text != *model.text || model.stale,
            undo: if *text == *model.text {
                m.undo.clone()
            } else {
                None
            },
            text: Rc::new(text),
            highlight: None,
            ..m
        },
        Action::Restored(Some(text)) if model.restoring => Model {
            text: Rc::new(text),
            restoring: false,
            ..m
        }
        .rediagnosed(),
        Action::Restored(_) => Model {
            restoring: false,
            ..m
        },
        Action::Diagnose if model.stale => m.rediagnosed(),
        Action::Diagnose => m,
        Action::AddText(extra) => {
            let mut text = model.text.trim_end_matches('\n').to_string();
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&extra);
            m.replaced_by(text, model).rediagnosed()
        }
        Action::SetLang(lang) => Model { lang, ..m }.rediagnosed(),
        Action::SetVia(via) => Model { via, ..m }.rediagnosed(),
        // Saved like every choice (a new revision).
        Action::SetService(service) => Model {
            service,
            revision: m.revision + 1,
            ..m
        }
        .rediagnosed(),
        Action::Open(saved) => {
            let mut opened = Model::new(saved);
            // Saved at once, like any change.
            opened.revision = m.revision + 1;
            opened
        }
        // A new revision, so that a large text goes to the worker again.
        Action::TextsLoaded => Model {
            revision: m.revision + 1,
            ..m
        }
        .rediagnosed(),
        Action::Relabel(line, kind) => {
            let mut relabels: Vec<_> = model
                .relabels
                .iter()
                .copied()
                .filter(|(l, _)| *l != line)
                .collect();
            if let Some(kind) = kind {
                relabels.push((line, kind));
            }
            Model { relabels, ..m }.rediagnosed()
        }
        Action::RemoveLines([first, last]) => {
            let text: Vec<&str> = model
                .text
                .lines()
                .enumerate()
                .filter(|(i, _)| !(first..=last).contains(&(i + 1)))
                .map(|(_, l)| l)
                .collect();
            let mut text = text.join("\n");
            if !text.is_empty() {
                text.push('\n');
            }
            m.replaced_by(text, model).rediagnosed()
        }
        Action::Diagnosed(revision, report) if revision == model.revision => Model {
            report,
            stale: false,
            want_worker: None,
            ..m
        },
        // An answer for a text that has changed since.
        Action::Diagnosed(..) => m,
        Action::SetGuessFirst(guess_first) => Model {
            guess_first,
            guessed: None,
            ..m
        },
        Action::State(step, answer) => {
            let mut stated: Vec<_> = model
                .stated
                .iter()
                .copied()
                .filter(|(s, _)| *s != step)
                .collect();
            stated.extend(answer.map(|a| (step, a)));
            // Saved, like every choice.
            Model {
                stated,
                revision: m.revision + 1,
                ..m
            }
            .rediagnosed()
        }
        Action::Guess(step) => Model {
            guessed: Some(step),
            selected_step: Some(step),
            ..m
        },
        Action::SelectStep(step) => Model {
            selected_step: step,
            ..m
        },
        Action::Highlight(lines) => Model {
            highlight: lines,
            ..m
        },
        Action::LoadExample(id, text) => match crate::examples::find(id) {
            Some(example) if !text.is_empty() => {
                let loaded = text.clone();
                Model {
                    loaded: Some(loaded),
                    guessed: None,
                    via: None,
                    service: None,
                    selected_step: None,
                    example: Some(example.id),
                    ..m
                }
                .replaced_by(String::clone(&text), model)
                .rediagnosed()
            }
            _ => m,
        },
        Action::RemoveExample => match model.loaded.as_deref() {
            Some(example) if model.example_state() == ExampleState::Mixed => {
                let rest = model.text.replacen(example.trim_end(), "", 1);
                let mut text = rest.trim_matches('\n').to_string();
                if !text.is_empty() {
                    text.push('\n');
                }
                // The example is kept in mind: after Undo the mix is
                // noticed again.
                Model { example: None, ..m }
                    .replaced_by(text, model)
                    .rediagnosed()
            }
            _ => m,
        },
        Action::Undo => match &model.undo {
            Some(before) => Model {
                text: before.clone(),
                undo: None,
                relabels: Vec::new(),
                highlight: None,
                ..m
            }
            .rediagnosed(),
            None => m,
        },
        // Starting with one's own output empties the box as Clear does.
        Action::StartOwn | Action::Clear => Model {
            example: None,
            via: None,
            service: None,
            selected_step: None,
            ..m
        }
        .replaced_by(String::new(), model)
        .rediagnosed(),
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

    fn tutorial() -> Model {
        Model::new(Saved {
            text: crate::TUTORIAL.to_string(),
            lang: Lang::En,
            via: None,
            relabels: Vec::new(),
            service: None,
            big: false,
            step: None,
            stated: Vec::new(),
        })
    }

    #[test]
    fn a_large_saved_text_is_restored_unless_the_user_acted_first() {
        let waiting = Model::new(Saved {
            text: String::new(),
            lang: Lang::En,
            via: None,
            relabels: Vec::new(),
            service: None,
            big: true,
            step: None,
            stated: Vec::new(),
        });
        assert!(waiting.restoring);
        let restored = reduce(&waiting, Action::Restored(Some(BROKEN.into())));
        assert!(!restored.restoring);
        assert_eq!(*restored.text, BROKEN);
        assert_eq!(
            restored
                .report
                .root_cause
                .as_ref()
                .map(|r| r.finding.code.as_str()),
            Some("EP301")
        );
        // Typing during the read keeps what was typed.
        let typed = reduce(&waiting, Action::Edit("nameserver 10.96.0.10\n".into()));
        assert!(!typed.restoring);
        let late = reduce(&typed, Action::Restored(Some(BROKEN.into())));
        assert_eq!(*late.text, "nameserver 10.96.0.10\n");
        // A failed read ends the wait with the text as it is.
        assert!(!reduce(&waiting, Action::Restored(None)).restoring);
    }

    #[test]
    fn the_text_of_an_old_or_damaged_saved_state_is_kept() {
        assert_eq!(
            salvage(r#"{"text":"nameserver 10.96.0.10\n","lang":"fr","theme":1}"#).as_deref(),
            Some("nameserver 10.96.0.10\n")
        );
        assert_eq!(salvage(r#"{"text":""}"#), None);
        assert_eq!(salvage("{not json"), None);
        assert_eq!(salvage(r#"["text"]"#), None);
    }

    #[test]
    fn files_are_decoded_or_refused_with_a_reason() {
        let (text, problem) = decode_file(Lang::En, "a.txt", b"nameserver 10.96.0.10\n".to_vec());
        assert_eq!(text.as_deref(), Some("nameserver 10.96.0.10\n"));
        assert_eq!(problem, None);
        let (text, problem) =
            decode_file(Lang::En, "gbk.txt", b"ok \xc4\xe3\xba\xc3 \xff\n".to_vec());
        assert!(text.unwrap().starts_with("ok "));
        let problem = problem.unwrap();
        assert!(
            problem.contains("gbk.txt") && problem.contains("4 invalid"),
            "{problem}"
        );
        let (text, problem) =
            decode_file(Lang::Zh, "x.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec());
        assert_eq!(text, None);
        assert!(problem.unwrap().contains("NUL"));
        let problem = too_large(Lang::En, Some("dump.txt"), 100 << 20).unwrap();
        assert!(
            problem.contains("100 MB") && problem.contains("64 MB"),
            "{problem}"
        );
        assert_eq!(too_large(Lang::En, None, MAX_TEXT as u64), None);
        assert!(too_large(Lang::Zh, None, MAX_TEXT as u64 + 1)
            .unwrap()
            .contains("64 MB"));
    }

    #[test]
    fn editing_marks_the_report_stale_until_diagnosed() {
        let model = tutorial();
        assert_eq!(model.report.verdict, Verdict::Healthy);
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
        let model = tutorial();
        let again = reduce(&model, Action::Diagnose);
        assert!(Rc::ptr_eq(&model.report, &again.report));
        let same = reduce(&model, Action::Edit(String::clone(&model.text)));
        assert!(!same.stale);
    }

    #[test]
    fn language_and_path_rediagnose_at_once() {
        let model = reduce(
            &reduce(&tutorial(), Action::Edit(BROKEN.to_string())),
            Action::Diagnose,
        );
        let zh = reduce(&model, Action::SetLang(Lang::Zh));
        let message = &zh.report.root_cause.as_ref().unwrap().finding.message;
        assert!(message.contains("没有匹配到任何 Pod"), "{message}");
        let by_ip = reduce(&zh, Action::SetVia(Some(Via::ClusterIp)));
        assert_eq!(by_ip.report.via.value, Via::ClusterIp);
        assert!(!by_ip.report.via.inferred);
        assert_eq!(by_ip.saved().via, Some(Via::ClusterIp));
    }

    #[test]
    fn files_are_appended_and_artifacts_removed() {
        let model = reduce(&tutorial(), Action::Clear);
        assert_eq!(*model.text, "");
        assert!(model.report.artifacts.is_empty());
        let one = reduce(&model, Action::AddText("nameserver 10.96.0.10\n".into()));
        let two = reduce(
            &one,
            Action::AddText(
                "$ kubectl get svc web -o yaml\nspec:\n  selector:\n    app: web\n".into(),
            ),
        );
        assert_eq!(two.report.artifacts.len(), 2);
        let lines = two.report.artifacts[0].lines;
        let removed = reduce(&two, Action::RemoveLines(lines));
        assert_eq!(removed.report.artifacts.len(), 1);
        assert!(!removed.text.contains("nameserver"));
    }

    #[test]
    fn relabelling_changes_the_kind() {
        let model = reduce(
            &reduce(&tutorial(), Action::Edit("hello there\n".into())),
            Action::Diagnose,
        );
        assert_eq!(model.report.artifacts[0].kind, ArtifactKind::Unknown);
        let relabelled = reduce(&model, Action::Relabel(1, Some(ArtifactKind::Resolv)));
        assert_eq!(relabelled.report.artifacts[0].kind, ArtifactKind::Resolv);
        let undone = reduce(&relabelled, Action::Relabel(1, None));
        assert_eq!(undone.report.artifacts[0].kind, ArtifactKind::Unknown);
    }

    #[test]
    fn selection_and_highlight_are_plain_state() {
        let model = reduce(&tutorial(), Action::SelectStep(Some(StepId::B3)));
        assert_eq!(model.selected_step, Some(StepId::B3));
        let marks = Marks {
            ranges: Rc::new([[3, 5], [9, 9]]),
            focus: [9, 9],
        };
        let lit = reduce(&model, Action::Highlight(Some(marks.clone())));
        assert_eq!(lit.highlight, Some(marks.clone()));
        assert!(marks.covers(4) && marks.covers(9) && !marks.covers(6));
        let typed = reduce(&lit, Action::Edit("x".into()));
        assert_eq!(typed.highlight, None, "editing drops a stale highlight");
    }

    #[test]
    fn share_links_round_trip_and_damage_is_reported() {
        let model = reduce(&tutorial(), Action::SetLang(Lang::Zh));
        let saved = reduce(&model, Action::SelectStep(Some(StepId::B3))).saved();
        assert_eq!(saved.step, Some(StepId::B3), "the link opens on the step");
        // Packing is the browser's (tested in tests/web.rs); here, the rest.
        let json = share_json(&saved);
        let fragment = fragment_of(&json);
        assert!(fragment.starts_with(SHARE_PREFIX));
        assert!(fragment[SHARE_PREFIX.len()..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        let packed = packed_in(&fragment, Lang::En).unwrap().unwrap();
        let back = saved_from(&packed, Lang::En).unwrap();
        assert_eq!(back, saved);
        assert_eq!(Model::new(back).selected_step, Some(StepId::B3));
        assert_eq!(packed_in("#other", Lang::En), None);
        assert!(matches!(packed_in("#s=%%%", Lang::En), Some(Err(e)) if e.contains("damaged")));
        assert!(
            matches!(packed_in("#s=%%%", Lang::Zh), Some(Err(e)) if e.contains("分享链接已损坏"))
        );
        assert!(saved_from(b"{}", Lang::En).is_err());
        assert!(saved_from(b"\x00", Lang::En).is_err());
    }

    /// A practice case's transcript, as the worker hands it over.
    fn case(id: &str) -> Rc<String> {
        Rc::new(
            crate::examples::transcript(id)
                .unwrap_or_default()
                .to_string(),
        )
    }

    #[test]
    fn a_practice_case_replaces_the_paste() {
        let model = reduce(
            &tutorial(),
            Action::LoadExample("b3-selector-typo", case("b3-selector-typo")),
        );
        assert_eq!(model.example, Some("b3-selector-typo"));
        assert_eq!(
            model.report.root_cause.as_ref().unwrap().finding.code,
            "EP301"
        );
        let unknown = reduce(
            &model,
            Action::LoadExample("no-such-case", case("no-such-case")),
        );
        assert_eq!(unknown, model);
        assert_eq!(reduce(&model, Action::Clear).example, None);
    }

    #[test]
    fn the_example_is_told_from_the_users_own_lines_and_every_replacement_can_be_undone() {
        let first = tutorial();
        assert_eq!(first.example_state(), ExampleState::Untouched);
        assert_eq!(first.undo, None);
        // The user's paste lands inside the example.
        let mixed = reduce(&first, Action::Edit(format!("{}{BROKEN}", crate::TUTORIAL)));
        assert_eq!(mixed.example_state(), ExampleState::Mixed);
        let own = reduce(&mixed, Action::RemoveExample);
        assert_eq!(own.text.trim(), BROKEN.trim());
        assert_eq!(own.example_state(), ExampleState::Own);
        assert_eq!(
            own.report.root_cause.as_ref().unwrap().finding.code,
            "EP301"
        );
        // Undo brings the mixed text back.
        let back = reduce(&own, Action::Undo);
        assert_eq!(back.text, mixed.text);
        assert_eq!(back.undo, None);
        assert_eq!(back.example_state(), ExampleState::Mixed);
        // Starting with one's own output empties the box, undoably.
        let empty = reduce(&first, Action::StartOwn);
        assert!(empty.text.is_empty());
        assert_eq!(reduce(&empty, Action::Undo).text, first.text);
        // Clear, a practice case and removing an output are undoable too,
        // until the user types.
        let cleared = reduce(&own, Action::Clear);
        assert_eq!(reduce(&cleared, Action::Undo).text, own.text);
        let practice = reduce(
            &own,
            Action::LoadExample("b3-selector-typo", case("b3-selector-typo")),
        );
        assert_eq!(practice.example_state(), ExampleState::Untouched);
        assert_eq!(reduce(&practice, Action::Undo).text, own.text);
        let removed = reduce(&own, Action::RemoveLines([1, 3]));
        assert_eq!(reduce(&removed, Action::Undo).text, own.text);
        let typed = reduce(&removed, Action::Edit("typed".into()));
        assert_eq!(typed.undo, None);
        assert_eq!(reduce(&typed, Action::Undo), typed);
    }

    #[test]
    fn stated_answers_count_and_travel_with_the_state() {
        let model = tutorial();
        let a2 = model
            .report
            .steps
            .iter()
            .find(|s| s.id == StepId::A2)
            .unwrap();
        assert_eq!(a2.status, svcdoctor_engine::StepStatus::Unknown);
        let said = reduce(&model, Action::State(StepId::A2, Some(true)));
        let a2 = said
            .report
            .steps
            .iter()
            .find(|s| s.id == StepId::A2)
            .unwrap();
        assert_eq!(
            (a2.status, a2.stated),
            (svcdoctor_engine::StepStatus::Pass, Some(true))
        );
        assert_eq!(said.saved().stated, vec![(StepId::A2, true)]);
        assert_eq!(Model::new(said.saved()).stated, said.stated);
        let changed = reduce(&said, Action::State(StepId::A2, Some(false)));
        assert_eq!(changed.stated, vec![(StepId::A2, false)]);
        let forgotten = reduce(&changed, Action::State(StepId::A2, None));
        assert!(forgotten.stated.is_empty());
    }

    #[test]
    fn guess_first_hides_a_practice_answer_until_the_guess() {
        let practice = reduce(
            &tutorial(),
            Action::LoadExample("b3-selector-typo", case("b3-selector-typo")),
        );
        assert!(!practice.answer_hidden(), "off unless asked for");
        let hidden = reduce(&practice, Action::SetGuessFirst(true));
        assert!(hidden.answer_hidden());
        let guessed = reduce(&hidden, Action::Guess(StepId::A3));
        assert!(!guessed.answer_hidden());
        assert_eq!(guessed.selected_step, Some(StepId::A3));
        // The next case is hidden again; the tutorial never is.
        let next = reduce(
            &guessed,
            Action::LoadExample("b4-pods-not-ready", case("b4-pods-not-ready")),
        );
        assert!(next.answer_hidden());
        assert!(!reduce(
            &next,
            Action::LoadExample("tutorial-healthy", case("tutorial-healthy"))
        )
        .answer_hidden());
    }

    #[test]
    fn the_revision_counts_changes_worth_saving() {
        let model = tutorial();
        let typed = reduce(&model, Action::Edit("x".into()));
        assert_eq!(typed.revision, model.revision + 1);
        let diagnosed = reduce(&typed, Action::Diagnose);
        assert_eq!(diagnosed.revision, typed.revision);
        let same = reduce(&diagnosed, Action::Edit("x".into()));
        assert_eq!(
            same.revision, diagnosed.revision,
            "no change, nothing to save"
        );
        assert_eq!(
            reduce(&same, Action::SelectStep(Some(StepId::A1))).revision,
            same.revision
        );
        assert_eq!(
            reduce(&same, Action::SetLang(Lang::Zh)).revision,
            same.revision + 1
        );
    }

    #[test]
    fn large_texts_go_to_the_worker_and_stale_answers_are_dropped() {
        let big = format!("{}\n{}", BROKEN, "# padding\n".repeat(LARGE / 10));
        let model = reduce(&tutorial(), Action::Edit(big.clone()));
        let asked = reduce(&model, Action::Diagnose);
        assert!(asked.stale);
        assert_eq!(asked.want_worker, Some(asked.revision));
        assert_eq!(asked.report, model.report, "not diagnosed on this thread");
        let report = Rc::new(diagnose(&Input::from_text(&big)));
        let old = reduce(
            &asked,
            Action::Diagnosed(asked.revision - 1, report.clone()),
        );
        assert!(old.stale, "an answer for an older text is dropped");
        let done = reduce(&asked, Action::Diagnosed(asked.revision, report));
        assert!(!done.stale);
        assert_eq!(done.want_worker, None);
        assert_eq!(
            done.report.root_cause.as_ref().unwrap().finding.code,
            "EP301"
        );
    }

    #[test]
    fn choosing_a_service_asks_the_engine_about_it_and_is_saved() {
        let two = "$ kubectl get svc\nNAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE\nweb ClusterIP 10.96.0.20 <none> 80/TCP 5d\napi ClusterIP 10.96.0.30 <none> 80/TCP 5d\n";
        let m = reduce(&tutorial(), Action::Edit(two.to_string()));
        let m = reduce(&m, Action::Diagnose);
        assert_eq!(m.report.case.services.len(), 2);
        let api = m.report.case.services[1].clone();
        let chosen = reduce(&m, Action::SetService(Some(api.clone())));
        let q = chosen.report.case.service.clone().unwrap();
        assert_eq!(
            (q.name.as_str(), q.from),
            ("api", svcdoctor_engine::case::ServiceFrom::Caller)
        );
        assert_eq!(chosen.saved().service, Some(api));
        assert!(chosen.revision > m.revision, "a choice is saved");
        let example = reduce(
            &chosen,
            Action::LoadExample("tutorial-healthy", case("tutorial-healthy")),
        );
        assert_eq!(
            example.service, None,
            "a practice case is about its own Service"
        );
        let back = reduce(&chosen, Action::SetService(None));
        assert_ne!(
            back.report.case.service.as_ref().map(|q| q.from),
            Some(svcdoctor_engine::case::ServiceFrom::Caller)
        );
    }

    #[test]
    fn saved_state_round_trips_as_json() {
        let saved = reduce(&tutorial(), Action::SetVia(Some(Via::NodePort))).saved();
        let json = serde_json::to_string(&saved).unwrap();
        let back: Saved = serde_json::from_str(&json).unwrap();
        assert_eq!(back, saved);
    }
}
