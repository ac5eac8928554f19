use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use gloo::timers::callback::Timeout;
use svcdoctor_engine::{ArtifactKind, Lang};
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::{Flowchart, Outputs, PasteArea, ResultPane, Toolbar};
use crate::i18n::{t, Msg};
use crate::services;
use crate::state::{Action, Marks, Model, Saved};
use crate::worker::{Answer, DiagnoseWorker, Job, Made, Make, Request, Work};
use gloo::worker::{Spawnable, WorkerBridge};

/// How long typing must pause before the text is diagnosed again.
const DEBOUNCE_MS: u32 = 150;

/// The first state: what was saved, else the tutorial's cluster in the
/// browser's language. (A share link is opened right after, by an effect:
/// unpacking it is asynchronous.)
fn initial() -> (Saved, Option<String>) {
    stored()
}

fn stored() -> (Saved, Option<String>) {
    let (saved, problem) = services::load();
    (saved.unwrap_or_else(fresh), problem)
}

fn fresh() -> Saved {
    Saved {
        text: crate::TUTORIAL.to_string(),
        lang: services::browser_lang(),
        via: None,
        relabels: Vec::new(),
        service: None,
        big: false,
        step: None,
        stated: Vec::new(),
    }
}

/// What the paste holds of the example the page gave it: the example named
/// as one (with one click to start with one's own output), or the user's
/// lines mixed with it (with one click to take the example out).
fn example_note(
    lang: Lang,
    model: &Model,
    state: crate::state::ExampleState,
    dispatch: &UseReducerDispatcher<Model>,
) -> Html {
    use crate::state::ExampleState;
    let practice = model.example.and_then(crate::examples::find);
    match state {
        ExampleState::Untouched => {
            let (title, description) = match practice {
                Some(example) if example.id != "tutorial-healthy" => (
                    format!("{}: {}", t(lang, Msg::Examples), example.title(lang)),
                    example.description(lang).to_string(),
                ),
                _ => (
                    t(lang, Msg::ExampleTutorial).to_string(),
                    t(lang, Msg::ExampleTutorialNext).to_string(),
                ),
            };
            html! {
                <aside id="practice" class="practice" aria-label={t(lang, Msg::Examples)}>
                    <strong>{ title }</strong>{ format!(" — {description} ") }
                    <button id="start-own" type="button" onclick={send(dispatch, |_| Action::StartOwn)}>{ t(lang, Msg::StartOwn) }</button>
                    if practice.is_some_and(|p| p.id != "tutorial-healthy") {
                        { " " }
                        <label class="guess-first">
                            <input id="guess-first" type="checkbox" checked={model.guess_first}
                                onchange={send(dispatch, |e: Event| Action::SetGuessFirst(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))} />
                            { t(lang, Msg::GuessFirst) }
                        </label>
                    }
                </aside>
            }
        }
        ExampleState::Mixed => html! {
            <aside id="example-mixed" class="practice warn" aria-label={t(lang, Msg::Examples)}>
                <span role="alert">{ t(lang, Msg::ExampleMixed) }</span>{ " " }
                <button id="remove-example" type="button" onclick={send(dispatch, |_| Action::RemoveExample)}>{ t(lang, Msg::RemoveExample) }</button>
            </aside>
        },
        ExampleState::Own => Html::default(),
    }
}

/// What the share panel shows.
struct Shared {
    link: Result<String, String>,
    /// With masking on: what was masked, and the masked text the link
    /// holds, to read before it is copied.
    masked: Option<(String, String)>,
}

fn share_panel(
    lang: Lang,
    shared: &Shared,
    on_copy: &Callback<String>,
    on_export: &Callback<&'static str>,
    close: Callback<MouseEvent>,
) -> Html {
    let link = match &shared.link {
        Ok(link) => link,
        Err(problem) => {
            return html! {
                <section id="share-panel" class="notice share" role="dialog" aria-label={t(lang, Msg::Share)}>
                    <p role="alert">{ crate::i18n::fill(lang, Msg::ShareFailed, &[("problem", problem)]) }</p>
                    <button type="button" onclick={close}>{ t(lang, Msg::Close) }</button>
                </section>
            };
        }
    };
    let copy = {
        let on_copy = on_copy.clone();
        let link = link.clone();
        Callback::from(move |_| on_copy.emit(link.clone()))
    };
    let export = on_export.reform(|_| "markdown");
    html! {
        <section id="share-panel" class="notice share" role="dialog" aria-label={t(lang, Msg::Share)}>
            <p>{ t(lang, Msg::ShareWarning) }</p>
            if let Some((note, text)) = &shared.masked {
                <p id="redacted-note">{ note }</p>
                <details id="masked-preview" open=true>
                    <summary>{ t(lang, Msg::MaskedPreview) }</summary>
                    <pre>{ text }</pre>
                </details>
            }
            if link.len() > crate::state::LONG_LINK {
                <p id="long-link" class="warn">
                    { crate::i18n::fill(lang, Msg::LongLink, &[("n", &link.len().to_string())]) }{ " " }
                    <button type="button" onclick={export}>{ t(lang, Msg::ExportMarkdown) }</button>
                </p>
            }
            <input id="share-link" type="text" readonly=true value={link.clone()} aria-label={t(lang, Msg::Share)} />
            <button id="share-copy" type="button" onclick={copy}>{ t(lang, Msg::Copy) }</button>
            <button type="button" onclick={close}>{ t(lang, Msg::Close) }</button>
        </section>
    }
}

/// A callback that dispatches the action `f` makes of its argument.
fn send<T: 'static>(
    dispatch: &UseReducerDispatcher<Model>,
    f: impl Fn(T) -> Action + 'static,
) -> Callback<T> {
    let dispatch = dispatch.clone();
    Callback::from(move |value: T| dispatch.dispatch(f(value)))
}

/// What runs with a worker's answer.
type Then = Box<dyn FnOnce(Made)>;

/// The Web Worker, started on first need, and what waits for its answers
/// to [`Work::Outgoing`] and [`Work::Explain`] requests (by number).
#[derive(Default)]
struct Worker {
    bridge: Option<WorkerBridge<DiagnoseWorker>>,
    next: u64,
    waiting: Rc<RefCell<Vec<(u64, Then)>>>,
    /// Whether the worker has the Chinese catalog.
    chinese: bool,
}

impl Worker {
    fn send(&mut self, dispatch: &UseReducerDispatcher<Model>, lang: Lang, work: Work) {
        let dispatch = dispatch.clone();
        let waiting = self.waiting.clone();
        let bridge = self.bridge.get_or_insert_with(|| {
            DiagnoseWorker::spawner()
                .with_loader(true)
                .as_module(false)
                .callback(move |answer: Answer| match answer {
                    Answer::Diagnosed { id, report } => {
                        dispatch.dispatch(Action::Diagnosed(id, Rc::from(report)))
                    }
                    Answer::Outgoing { id, made } => {
                        let mut waiting = waiting.borrow_mut();
                        if let Some(at) = waiting.iter().position(|(n, _)| *n == id) {
                            let (_, then) = waiting.swap_remove(at);
                            drop(waiting);
                            then(made);
                        }
                    }
                })
                .spawn("./worker_loader.js")
        });
        // The catalog goes once, with the first job in Chinese.
        let chinese = (lang == Lang::Zh && !self.chinese)
            .then(services::chinese_catalog)
            .flatten();
        self.chinese |= chinese.is_some();
        bridge.send(Job { chinese, work });
    }

    /// Asks the worker for `work` (made with the job's number, so that the
    /// answer finds `then`) and runs `then` with its answer.
    fn ask(
        &mut self,
        dispatch: &UseReducerDispatcher<Model>,
        lang: Lang,
        work: impl FnOnce(u64) -> Work,
        then: impl FnOnce(Made) + 'static,
    ) {
        self.next += 1;
        let id = self.next;
        self.waiting.borrow_mut().push((id, Box::new(then)));
        self.send(dispatch, lang, work(id));
    }
}

/// The worker's request for the model's paste and choices.
fn request_of(model: &Model, id: u64) -> Request {
    Request {
        id,
        text: model.text.clone(),
        lang: model.lang,
        via: model.via,
        relabels: model.relabels.clone(),
        service: model.service.clone(),
        stated: model.stated.clone(),
    }
}

/// The root component: owns the state, the debounce timer, file readers and
/// the effects (saving, highlighting).
#[component]
pub fn App() -> Html {
    let start = use_memo((), |_| initial());
    let model = use_reducer(|| Model::new(start.0.clone()));
    let notice = use_state(|| start.1.clone());
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let readers: Rc<RefCell<Vec<FileReader>>> = use_mut_ref(Vec::new);
    let area = use_node_ref();
    let copied = use_state(|| false);
    let worker: Rc<RefCell<Worker>> = use_mut_ref(Worker::default);
    // The share panel: the link made (or why it could not be), and the
    // masked text it holds when masking is on.
    let share = use_state(|| None::<Shared>);
    // Masking for what leaves the page (share links, exports), off by
    // default; one random key per visit, so that a link and an export of
    // the same paste mask it the same way.
    let redact = use_state(|| false);
    let redact_key = use_memo((), |_| {
        (js_sys::Math::random() * 2f64.powi(53)) as u64
            ^ ((js_sys::Math::random() * 2f64.powi(53)) as u64) << 11
    });

    // Save what can be restored, on every change (by revision: comparing the
    // whole text on each render would cost as much as saving it); not while
    // a large saved text is still being read back.
    {
        let model = model.clone();
        let notice = notice.clone();
        use_effect_with(model.revision, move |_| {
            if !model.restoring {
                services::save(&model.saved(), move |problem| notice.set(Some(problem)))
            }
        });
    }
    // A large text saved in IndexedDB is read back after the first render.
    {
        let dispatch = model.dispatcher();
        let notice = notice.clone();
        use_effect_with((), move |_| {
            if start.0.big {
                services::load_big(move |result| match result {
                    Ok(text) => dispatch.dispatch(Action::Restored(Some(text))),
                    Err(problem) => {
                        notice.set(Some(crate::i18n::fill(
                            start.0.lang,
                            Msg::RestoreFailed,
                            &[("problem", &problem)],
                        )));
                        dispatch.dispatch(Action::Restored(None));
                    }
                });
            }
        });
    }
    // Point the paste box at evidence lines.
    {
        let area = area.clone();
        use_effect_with(model.highlight.clone(), move |marks| {
            if let (Some(marks), Some(el)) = (marks, area.cast::<HtmlTextAreaElement>()) {
                services::show_lines(&el, marks.focus);
            }
        });
    }
    // Large texts are diagnosed in the Web Worker, started on first need.
    {
        let worker = worker.clone();
        let dispatch = model.dispatcher();
        // The request (a copy of a large text) is made when the effect runs,
        // not on every render while the worker is busy.
        let current = model.clone();
        use_effect_with(model.want_worker, move |want| {
            if let Some(revision) = *want {
                let request = request_of(&current, revision);
                worker
                    .borrow_mut()
                    .send(&dispatch, current.lang, Work::Diagnose(request));
            }
        });
    }
    // A share link, in the address bar when the page opens or put there
    // while it is open: the page loads it (the link is what the user asked
    // for; what was pasted or saved before is replaced).
    {
        let dispatch = model.dispatcher();
        let notice = notice.clone();
        let lang = model.lang;
        use_effect_with((), move |_| {
            let open = move || {
                let dispatch = dispatch.clone();
                let notice = notice.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match services::shared_state(lang).await {
                        Some(Ok(saved)) => dispatch.dispatch(Action::Open(saved)),
                        Some(Err(problem)) => notice.set(Some(problem)),
                        None => {}
                    }
                });
            };
            open.clone()();
            services::on_window("hashchange", move |_| open())
        });
    }
    // Marks the first diagnosis on screen, for the benchmark.
    use_effect_with((), |_| {
        if let Ok(performance) = js_sys::Reflect::get(&gloo::utils::window(), &"performance".into())
        {
            if let Ok(mark) = js_sys::Reflect::get(&performance, &"mark".into()) {
                if let Some(mark) = mark.dyn_ref::<js_sys::Function>() {
                    let _ = mark.call1(&performance, &"svcdoctor-first-diagnosis".into());
                }
            }
        }
    });
    // Ctrl+Z (or Cmd+Z) undoes the page's last change to the text, until
    // the user types (then the text box's own undo takes over).
    let can_undo = use_mut_ref(|| false);
    *can_undo.borrow_mut() = model.undo.is_some();
    {
        let dispatch = model.dispatcher();
        let can_undo = can_undo.clone();
        use_effect_with((), move |_| {
            services::on_window("keydown", move |e: web_sys::Event| {
                let e: web_sys::KeyboardEvent = e.unchecked_into();
                let undo = (e.ctrl_key() || e.meta_key())
                    && !e.shift_key()
                    && e.key().eq_ignore_ascii_case("z");
                // Another text field (the add-output box, the share link)
                // keeps its own Ctrl+Z.
                let elsewhere = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|t| {
                        matches!(t.tag_name().as_str(), "INPUT" | "TEXTAREA")
                            && t.id() != "paste-input"
                    });
                if undo && !elsewhere && *can_undo.borrow() {
                    e.prevent_default();
                    dispatch.dispatch(Action::Undo);
                }
            })
        });
    }
    // A narrow screen (a phone): the flowchart is drawn in one column.
    let narrow = use_state(services::narrow);
    {
        let narrow = narrow.clone();
        use_effect_with((), move |_| {
            services::on_window("resize", move |_| narrow.set(services::narrow()))
        });
    }
    // The Chinese texts could not be fetched: the page speaks English.
    let chinese_failed = use_state(|| false);
    // The tab's title speaks the page's language (once its texts are in).
    use_effect_with(
        (model.lang, svcdoctor_engine::i18n::chinese_ready()),
        |(lang, _)| gloo::utils::document().set_title(t(*lang, Msg::Title)),
    );
    {
        let lang = model.lang;
        let dispatch = model.dispatcher();
        let notice = notice.clone();
        let chinese_failed = chinese_failed.clone();
        use_effect_with(lang, move |lang| {
            if let Some(root) = gloo::utils::document().document_element() {
                let _ = root.set_attribute("lang", if *lang == Lang::Zh { "zh-CN" } else { "en" });
            }
            // The Chinese texts are fetched the first time they are needed.
            if *lang == Lang::Zh && !svcdoctor_engine::i18n::chinese_ready() {
                services::load_chinese(move |result| match result {
                    Ok(()) => dispatch.dispatch(Action::TextsLoaded),
                    Err(problem) => {
                        chinese_failed.set(true);
                        notice.set(Some(format!("zh.json: {problem}")));
                    }
                });
            }
        });
    }

    let dispatch = model.dispatcher();
    // The same callback on every render, so that the paste box re-renders
    // only when its text changes (see `PasteBox`).
    let on_input = {
        let dispatch = dispatch.clone();
        use_callback((), move |text: String, _| {
            dispatch.dispatch(Action::Edit(text));
            let dispatch = dispatch.clone();
            // Replacing the timeout drops (cancels) the previous one.
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                dispatch.dispatch(Action::Diagnose)
            }));
        })
    };
    // Stable, like `on_input`, so that the paste box does not re-render.
    let on_notice = {
        let notice = notice.clone();
        use_callback((), move |problem: String, _| notice.set(Some(problem)))
    };
    let on_files = {
        let dispatch = dispatch.clone();
        let on_notice = on_notice.clone();
        let lang = model.lang;
        Callback::from(move |files: web_sys::FileList| {
            for i in 0..files.length() {
                let Some(file) = files.get(i) else { continue };
                let file = gloo::file::File::from(file);
                let name = file.name();
                // Refused before reading: a huge file is never loaded.
                if let Some(problem) = crate::state::too_large(lang, Some(&name), file.size()) {
                    on_notice.emit(problem);
                    continue;
                }
                let dispatch = dispatch.clone();
                let on_notice = on_notice.clone();
                // Bytes, not text: the browser's text decoding would hide
                // invalid UTF-8 and binary files, and copy the string into
                // the page char by char.
                let reader = gloo::file::callbacks::read_as_bytes(&file, move |bytes| {
                    let Ok(bytes) = bytes else { return };
                    let (text, problem) = crate::state::decode_file(lang, &name, bytes);
                    if let Some(problem) = problem {
                        on_notice.emit(problem);
                    }
                    // Under a `==> NAME <==` header (as head and tail print
                    // between files): the outputs list and the evidence
                    // name the file.
                    if let Some(text) = text {
                        dispatch.dispatch(Action::AddText(format!("==> {name} <==\n{text}")));
                    }
                });
                readers.borrow_mut().push(reader);
            }
        })
    };
    let on_show = {
        let dispatch = dispatch.clone();
        Callback::from(move |marks: Marks| dispatch.dispatch(Action::Highlight(Some(marks))))
    };
    // Where the paste stands with its example, and whether a practice
    // case's answer is hidden: computed once per render, as either may scan
    // the whole text.
    let example_state = model.example_state();
    let hidden = model.answer_hidden();
    // The evidence marked in the paste: what the user chose to see, else the
    // root cause's (for the text it was found in).
    let marks = model.highlight.clone().or_else(|| {
        // Not while a practice case waits for the learner's guess.
        let root = model
            .report
            .root_cause
            .as_ref()
            .filter(|_| !model.stale && !hidden)?;
        let ranges = Marks::ranges_of(&root.finding);
        let focus = *ranges.first()?;
        Some(Marks { ranges, focus })
    });
    // Lines the engine could not read in full, marked in the paste.
    let problems: Rc<[usize]> = if model.stale {
        Rc::new([])
    } else {
        crate::state::read_problems(&model.report)
            .map(|(_, d)| d.line)
            .collect()
    };
    let on_copy = {
        let copied = copied.clone();
        Callback::from(move |text: String| {
            services::copy(&text);
            copied.set(true);
        })
    };
    // What leaves the page (a share link's text, an export) is made by the
    // worker, masked there when masking is on; `then` gets it with the note
    // of what was masked.
    let outgoing = {
        let model = model.clone();
        let worker = worker.clone();
        let mask = redact.then_some(*redact_key);
        move |make: Make, then: Box<dyn FnOnce(String, Option<String>)>| {
            let lang = model.lang;
            let work = |id| Work::Outgoing {
                request: request_of(&model, id),
                mask,
                make,
            };
            worker
                .borrow_mut()
                .ask(&model.dispatcher(), lang, work, move |made: Made| {
                    let note = made.masked.map(|(addresses, names)| {
                        crate::i18n::fill(
                            lang,
                            Msg::RedactNote,
                            &[
                                ("addresses", &addresses.to_string()),
                                ("names", &names.to_string()),
                            ],
                        )
                    });
                    then(made.text, note)
                });
        }
    };
    let on_export = {
        let outgoing = outgoing.clone();
        let on_copy = on_copy.clone();
        Callback::from(move |kind: &'static str| {
            let make = if kind.ends_with("json") {
                Make::Json
            } else {
                Make::Markdown
            };
            let on_copy = on_copy.clone();
            outgoing(
                make,
                Box::new(move |text, _| match kind {
                    "json" => {
                        services::download("svcdoctor-report.json", "application/json", &text)
                    }
                    "copy-json" | "copy-markdown" => on_copy.emit(text),
                    _ => services::download("svcdoctor-report.md", "text/markdown", &text),
                }),
            );
        })
    };
    // A practice case replaces the paste: ask first unless the paste is an
    // untouched practice case (or empty), so one arrow key on the menu
    // never throws away what the user pasted.
    let on_example = {
        let dispatch = dispatch.clone();
        let lang = model.lang;
        let untouched =
            model.text.trim().is_empty() || example_state == crate::state::ExampleState::Untouched;
        let worker = worker.clone();
        Callback::from(move |id: &'static str| {
            if untouched || gloo::dialogs::confirm(t(lang, Msg::ReplaceConfirm)) {
                let load = dispatch.clone();
                let work = |n| Work::Example {
                    id: n,
                    case: id.to_string(),
                };
                worker
                    .borrow_mut()
                    .ask(&dispatch, lang, work, move |made: Made| {
                        load.dispatch(Action::LoadExample(id, Rc::new(made.text)))
                    });
            }
        })
    };
    let on_clear = {
        let dispatch = dispatch.clone();
        let lang = model.lang;
        Callback::from(move |_| {
            let sure = gloo::dialogs::confirm(t(lang, Msg::ClearConfirm));
            if sure {
                dispatch.dispatch(Action::Clear);
            }
        })
    };
    let on_share = {
        let share = share.clone();
        let on_copy = on_copy.clone();
        let model = model.clone();
        let masking = *redact;
        Callback::from(move |_| {
            let share = share.clone();
            let on_copy = on_copy.clone();
            let link = move |saved: Saved, note: Option<String>| {
                wasm_bindgen_futures::spawn_local(async move {
                    let json = crate::state::share_json(&saved);
                    let link = services::deflate_raw(&json, true, usize::MAX)
                        .await
                        .map(|packed| {
                            format!(
                                "{}{}",
                                services::page_url(),
                                crate::state::fragment_of(&packed)
                            )
                        });
                    // A masked link is copied only after its text was seen.
                    if let (Ok(link), None) = (&link, &note) {
                        on_copy.emit(link.clone());
                    }
                    let masked = note.map(|note| (note, saved.text));
                    share.set(Some(Shared { link, masked }));
                });
            };
            let saved = model.saved();
            if masking {
                outgoing(
                    Make::Text,
                    Box::new(move |text, note| link(Saved { text, ..saved }, note)),
                );
            } else {
                link(saved, None);
            }
        })
    };
    let on_explain = {
        let worker = worker.clone();
        let dispatch = model.dispatcher();
        Callback::from(
            move |(lang, kind, line, then): (Lang, ArtifactKind, String, Callback<String>)| {
                let work = |id| Work::Explain {
                    id,
                    lang,
                    kind,
                    line,
                };
                worker
                    .borrow_mut()
                    .ask(&dispatch, lang, work, move |made: Made| {
                        then.emit(made.text)
                    });
            },
        )
    };
    let on_redact = {
        let redact = redact.clone();
        let share = share.clone();
        Callback::from(move |on: bool| {
            redact.set(on);
            // A link made before the choice no longer says what it holds.
            share.set(None);
        })
    };
    let close_share = {
        let share = share.clone();
        Callback::from(move |_| share.set(None))
    };
    let close_notice = {
        let notice = notice.clone();
        Callback::from(move |_| notice.set(None))
    };
    let lang = model.lang;
    // A page that speaks Chinese waits the moment its texts take to
    // arrive rather than flash English (unless they could not be fetched).
    if lang == Lang::Zh && !svcdoctor_engine::i18n::chinese_ready() && !*chinese_failed {
        return html! { <main class="loading" aria-busy="true"></main> };
    }
    html! {
        <>
            <a class="skip" href="#diagnosis">{ t(lang, Msg::SkipToDiagnosis) }</a>
            <header class="top">
                <h1>{ "svcdoctor" }</h1>
                <span id="version" class="version">{ concat!("v", env!("CARGO_PKG_VERSION")) }</span>
                <p>{ t(lang, Msg::Tagline) }</p>
                <p class="privacy">{ t(lang, Msg::Privacy) }</p>
            </header>
            <Toolbar
                {lang}
                via={model.via}
                effective_via={model.report.via.value}
                on_lang={send(&dispatch, Action::SetLang)}
                on_via={send(&dispatch, Action::SetVia)}
                on_example={on_example}
                {on_clear}
                on_export={on_export.clone()}
                {on_share}
                redact={*redact}
                {on_redact}
            />
            if let Some(shared) = &*share {
                { share_panel(lang, shared, &on_copy, &on_export, close_share) }
            }
            { example_note(lang, &model, example_state, &dispatch) }
            if model.undo.is_some() {
                <aside id="undo-bar" class="undo-bar" aria-label={t(lang, Msg::Undo)}>
                    <span role="status">{ t(lang, Msg::Replaced) }</span>{ " " }
                    <button id="undo" type="button" onclick={send(&dispatch, |_| Action::Undo)}>{ t(lang, Msg::Undo) }</button>
                </aside>
            }
            if let Some(problem) = &*notice {
                <p id="notice" class="notice" role="alert">
                    { problem }{ " " }
                    <button type="button" onclick={close_notice}>{ t(lang, Msg::Close) }</button>
                </p>
            }
            <main class="layout">
                <PasteArea
                    {lang}
                    value={model.text.clone()}
                    area={area.clone()}
                    {on_input}
                    on_notice={on_notice.clone()}
                    highlight={marks}
                    {problems}
                    report={model.report.clone()}
                    {on_files}
                    on_add={send(&dispatch, Action::AddText)}
                    {on_explain}
                />
                <div class="right">
                    <ResultPane {lang} report={model.report.clone()} stale={model.stale} selected={model.selected_step} on_show={on_show.clone()} on_copy={on_copy.clone()} service={model.service.clone()} on_service={send(&dispatch, Action::SetService)} {hidden} guessed={model.guessed} on_guess={send(&dispatch, Action::Guess)} on_state={send(&dispatch, |(step, answer)| Action::State(step, answer))} />
                    <Flowchart {lang} narrow={*narrow} {hidden} report={model.report.clone()} selected={model.selected_step} on_select={send(&dispatch, Action::SelectStep)} />
                </div>
                <Outputs
                    {lang}
                    report={model.report.clone()}
                    on_relabel={send(&dispatch, |(line, kind)| Action::Relabel(line, kind))}
                    on_remove={send(&dispatch, Action::RemoveLines)}
                    on_show={on_show.clone()}
                />
            </main>
            if *copied { <p class="toast" role="status" aria-live="polite">{ t(lang, Msg::Copied) }</p> }
        </>
    }
}
