use std::rc::Rc;

use svcdoctor_engine::{ArtifactKind, Lang, Report};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{t, Msg};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub value: AttrValue,
    pub report: Rc<Report>,
    pub area: NodeRef,
    pub on_input: Callback<String>,
    /// Files dropped or chosen: their texts.
    pub on_files: Callback<web_sys::FileList>,
    pub on_relabel: Callback<(usize, Option<ArtifactKind>)>,
    pub on_remove: Callback<[usize; 2]>,
    pub on_show: Callback<[usize; 2]>,
    /// Another output to append.
    pub on_add: Callback<String>,
}

#[derive(Properties, PartialEq)]
struct AddProps {
    lang: Lang,
    on_add: Callback<String>,
}

/// A second, small box for adding one output at a time below the rest.
#[component]
fn AddOutput(props: &AddProps) -> Html {
    let lang = props.lang;
    let text = use_state(String::new);
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let on_add = {
        let text = text.clone();
        let cb = props.on_add.clone();
        Callback::from(move |_| {
            if !text.trim().is_empty() {
                cb.emit((*text).clone());
                text.set(String::new());
            }
        })
    };
    html! {
        <details class="add-output">
            <summary>{ t(lang, Msg::AddOutput) }</summary>
            <textarea id="add-input" aria-label={t(lang, Msg::AddOutputLabel)} spellcheck="false" value={(*text).clone()} oninput={on_input} />
            <button id="add-button" type="button" onclick={on_add}>{ t(lang, Msg::Add) }</button>
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct PasteBoxProps {
    lang: Lang,
    value: AttrValue,
    area: NodeRef,
    on_input: Callback<String>,
}

/// The textarea alone, so that it re-renders only when its own props change:
/// Yew compares a textarea's `value` with the DOM's on every re-render, which
/// reads the whole paste out of the page (a second or more for tens of MB)
/// each time the report, the progress or anything else around it changes.
#[component]
fn PasteBox(props: &PasteBoxProps) -> Html {
    let on_input = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(area.value());
        })
    };
    html! {
        <textarea
            id="paste-input"
            ref={props.area.clone()}
            aria-label={t(props.lang, Msg::PasteLabel)}
            spellcheck="false"
            autocomplete="off"
            value={props.value.clone()}
            oninput={on_input}
        />
    }
}

/// The paste box, the file picker and drop zone, and the outputs found.
#[component]
pub fn PasteArea(props: &Props) -> Html {
    let lang = props.lang;
    let dragging = use_state(|| false);
    let on_drop = {
        let cb = props.on_files.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                if files.length() > 0 {
                    cb.emit(files);
                }
            }
        })
    };
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_choose = {
        let cb = props.on_files.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                cb.emit(files);
            }
            input.set_value("");
        })
    };
    html! {
        <section class={classes!("paste", dragging.then_some("dragging"))} aria-labelledby="paste-title"
            ondrop={on_drop} ondragover={on_dragover} ondragleave={on_dragleave}>
            <h2 id="paste-title">{ t(lang, Msg::PasteTitle) }</h2>
            <p class="hint">{ t(lang, Msg::PasteHint) }</p>
            <PasteBox {lang} value={props.value.clone()} area={props.area.clone()} on_input={props.on_input.clone()} />
            if *dragging { <p class="drop-hint" aria-live="polite">{ t(lang, Msg::DropHere) }</p> }
                                    <AddOutput {lang} on_add={props.on_add.clone()} />
            <p class="hint collector">
                <a id="collector" href="collect.sh" download="collect.sh">{ t(lang, Msg::Collector) }</a>
                { " — " }{ t(lang, Msg::CollectorHint) }
            </p>
            <label class="file-button">
                { t(lang, Msg::AddFile) }
                <input id="file-input" type="file" multiple=true onchange={on_choose} />
            </label>
            <Outputs ..OutputsProps {
                lang,
                report: props.report.clone(),
                on_relabel: props.on_relabel.clone(),
                on_remove: props.on_remove.clone(),
                on_show: props.on_show.clone(),
            } />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OutputsProps {
    lang: Lang,
    report: Rc<Report>,
    on_relabel: Callback<(usize, Option<ArtifactKind>)>,
    on_remove: Callback<[usize; 2]>,
    on_show: Callback<[usize; 2]>,
}

/// Each output found, with its kind (changeable) and its remarks.
#[component]
fn Outputs(props: &OutputsProps) -> Html {
    let lang = props.lang;
    let artifacts = &props.report.artifacts;
    html! {
        <section class="outputs" aria-labelledby="outputs-title">
            <h3 id="outputs-title">{ format!("{} ({})", t(lang, Msg::Outputs), artifacts.len()) }</h3>
            if artifacts.is_empty() {
                <p class="hint">{ t(lang, Msg::OutputsNone) }</p>
            }
            <ul>
                { for artifacts.iter().map(|a| {
                    let line = a.lines[0];
                    let lines = a.lines;
                    let on_kind = {
                        let cb = props.on_relabel.clone();
                        Callback::from(move |e: Event| {
                            let select: HtmlSelectElement = e.target_unchecked_into();
                            cb.emit((line, ArtifactKind::parse(&select.value())));
                        })
                    };
                    let on_remove = {
                        let cb = props.on_remove.clone();
                        Callback::from(move |_| cb.emit(lines))
                    };
                    let on_show = {
                        let cb = props.on_show.clone();
                        Callback::from(move |_| cb.emit(lines))
                    };
                    html! {
                        <li class="output" data-kind={a.kind.as_str()}>
                            <button type="button" class="link" onclick={on_show}>
                                { format!("{} {}–{}", t(lang, Msg::Lines), a.lines[0], a.lines[1]) }
                            </button>
                            <select aria-label={t(lang, Msg::Kind)} onchange={on_kind}>
                                { for ArtifactKind::ALL.iter().map(|k| html! {
                                    <option value={k.as_str()} selected={*k == a.kind}>{ k.as_str() }</option>
                                }) }
                            </select>
                            if let Some(cmd) = &a.command { <code>{ cmd }</code> }
                            <button type="button" class="remove" onclick={on_remove} aria-label={format!("{} {}–{}", t(lang, Msg::Remove), a.lines[0], a.lines[1])}>{ "×" }</button>
                            { for a.diagnostics.iter().map(|d| html! {
                                <div class="diag">{ format!("{} {}: {}", t(lang, Msg::Line), d.line, d.message) }</div>
                            }) }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
