use std::rc::Rc;

use svcdoctor_engine::{ArtifactKind, Lang, Report};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{fill, t, Msg};
use crate::state::{too_large, Marks, BIG_VIEW};
use gloo::file::callbacks::{read_as_bytes, FileReader};
use js_sys::JsString;
use wasm_bindgen::JsCast;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub value: Rc<String>,
    pub area: NodeRef,
    pub on_input: Callback<String>,
    /// A problem to tell the user (a paste refused).
    pub on_notice: Callback<String>,
    /// Evidence marked in the paste.
    pub highlight: Option<Marks>,
    /// Lines with a read error or warning, marked too.
    pub problems: Rc<[usize]>,
    /// The report, to say what the line under the caret is.
    pub report: Rc<Report>,
    /// Files dropped or chosen: their texts.
    pub on_files: Callback<web_sys::FileList>,
    /// Another output to append.
    pub on_add: Callback<String>,
    /// Asks for a line (of an output of a kind) in plain words, answered
    /// through the callback given (an empty text: not explained).
    pub on_explain: Callback<(Lang, ArtifactKind, String, Callback<String>)>,
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
    value: Rc<String>,
    area: NodeRef,
    on_input: Callback<String>,
    on_notice: Callback<String>,
    /// Evidence to mark (and, in the large-text view, to show).
    highlight: Option<Marks>,
    /// Lines with read problems, marked too.
    problems: Rc<[usize]>,
    /// The line the caret is on (1-based), when it moves.
    on_caret: Callback<usize>,
}

/// Lines shown at once in the large-text view.
const WINDOW: usize = 200;

/// The paste box's line height in CSS px (`.box textarea` in style.css).
const LINE: usize = 19;

/// The paste box, alone so that it re-renders only when its own props change:
/// Yew compares a textarea's `value` with the DOM's on every re-render, which
/// reads the whole paste out of the page each time anything around it
/// changes.
///
/// A text of [`BIG_VIEW`] bytes or more is not put in the textarea at all:
/// Chromium takes 0.2 s to set a 27 MB value and seconds to lay it out, all
/// on the main thread. The box shows a window of its lines instead (moved
/// by evidence clicks), and a paste that would make the text that large is
/// taken from the clipboard event without the browser inserting it.
#[component]
fn PasteBox(props: &PasteBoxProps) -> Html {
    let lang = props.lang;
    let editor = use_state(|| false);
    let preview = use_node_ref();
    // The large view's window (its first line) when the user paged or
    // searched, the line last found (0: not found) and the search box.
    let shown = use_state_eq(|| None::<usize>);
    let found = use_state_eq(|| None::<usize>);
    let query = use_node_ref();
    let on_input = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(area.value());
        })
    };
    // Where the caret is: the line under it is explained below the box.
    let on_caret = {
        let cb = props.on_caret.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let at = area.selection_start().ok().flatten().unwrap_or(0);
            // Counted in the browser's own string (this runs on every key
            // release): the text is not copied into the wasm.
            let line = js_value(&area).slice(0, at).split("\n").length() as usize;
            cb.emit(line);
        })
    };
    // Large pastes: the clipboard's text goes into a Blob, which the
    // browser encodes as UTF-8 natively (a few MB per task) and reads back
    // asynchronously, so no 27 MB string is copied into the page's memory
    // char by char (0.3 s on the main thread for a 10,000-Service dump).
    let reader = use_mut_ref(|| None::<FileReader>);
    let on_paste = {
        let cb = props.on_input.clone();
        let on_notice = props.on_notice.clone();
        Callback::from(move |e: Event| {
            let e: web_sys::ClipboardEvent = e.unchecked_into();
            let Some(pasted) = e.clipboard_data().and_then(|d| clipboard_text(&d)) else {
                return;
            };
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let current = js_value(&area);
            if ((pasted.length() + current.length()) as usize) < BIG_VIEW {
                return;
            }
            e.prevent_default();
            // UTF-16 units: at most a third of the UTF-8 size off, and on
            // the safe side for ASCII dumps.
            let size = u64::from(pasted.length() + current.length());
            if let Some(problem) = too_large(lang, None, size) {
                on_notice.emit(problem);
                return;
            }
            let start = area.selection_start().ok().flatten().unwrap_or(0);
            let end = area.selection_end().ok().flatten().unwrap_or(0).max(start);
            let text = current
                .slice(0, start)
                .concat(&pasted)
                .concat(&current.slice(end, current.length()));
            let cb = cb.clone();
            let reader = reader.clone();
            crate::services::blob_in_steps(text, move |blob| {
                *reader.borrow_mut() = Some(read_as_bytes(&blob.into(), move |bytes| {
                    if let Ok(bytes) = bytes {
                        cb.emit(crate::services::utf8(bytes));
                    }
                }));
            });
        })
    };
    {
        let preview = preview.clone();
        let shown = shown.clone();
        use_effect_with(props.highlight.clone(), move |_| {
            // Evidence asked for: the window goes to it.
            shown.set(None);
            let first = preview
                .cast::<web_sys::Element>()
                .and_then(|list| list.query_selector(".hl").ok().flatten());
            if let Some(line) = first {
                line.scroll_into_view();
            }
        });
    }
    // The marks layer behind the textarea follows its scrolling.
    let layer = use_node_ref();
    let on_scroll = {
        let layer = layer.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            follow(&layer, &area);
        })
    };
    {
        let layer = layer.clone();
        let area = props.area.clone();
        use_effect(move || {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                follow(&layer, &area);
            }
        });
    }
    let value = &props.value;
    if value.len() < BIG_VIEW || *editor {
        // Evidence is drawn behind the text (a bar in the gutter and a
        // tint over the lines), never as a selection: a key pressed after
        // an evidence click cannot delete it.
        // SVG attributes, not style attributes: the page's CSP forbids
        // those. One line is LINE px tall (style.css sets the same).
        let bar = |[a, b]: [usize; 2], class: Classes| {
            let y = ((a - 1) * LINE).to_string();
            let height = ((b + 1 - a) * LINE).to_string();
            html! {
                <g {class} data-lines={format!("{a}-{b}")}>
                    <rect x="0" y={y.clone()} width="100%" height={height.clone()} />
                    <rect class="bar" x="0" {y} width="6" {height} />
                </g>
            }
        };
        let problems = props
            .problems
            .iter()
            .map(|&line| bar([line, line], classes!("mark", "problem")))
            .collect::<Html>();
        let marks = props.highlight.as_ref().map(|m| {
            m.ranges
                .iter()
                .map(|&range| {
                    bar(
                        range,
                        classes!("mark", (range == m.focus).then_some("focus")),
                    )
                })
                .collect::<Html>()
        });
        return html! {
            <div class="box">
                <svg class="marks" aria-hidden="true"><g ref={layer}>{ problems }{ marks }</g></svg>
                <textarea
                    id="paste-input"
                    ref={props.area.clone()}
                    aria-label={t(lang, Msg::PasteLabel)}
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    value={AttrValue::from(String::clone(value))}
                    oninput={on_input}
                    onpaste={on_paste}
                    onscroll={on_scroll}
                    onclick={on_caret.reform(|e: MouseEvent| e.into())}
                    onkeyup={on_caret.reform(|e: KeyboardEvent| e.into())}
                />
            </div>
        };
    }
    let lines = value.lines().count();
    let (first, last) = match (*shown, props.highlight.as_ref().map(|m| m.focus)) {
        (Some(first), _) => (first, (first + WINDOW - 1).min(lines)),
        (None, Some([a, b])) => {
            let first = a.saturating_sub(5).max(1);
            (first, (b + 5).min(first + WINDOW - 1).min(lines))
        }
        (None, None) => (1, WINDOW.min(lines)),
    };
    // Paging and search through the whole text, a window at a time.
    let page = |to: usize| {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(Some(to)))
    };
    let on_find = {
        let value = value.clone();
        let shown = shown.clone();
        let found = found.clone();
        let query = query.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = query.cast::<web_sys::HtmlInputElement>() else {
                return;
            };
            // ASCII case folding: Unicode's tables would add KBs to the
            // page, and what is searched here is cluster output.
            let wanted = input.value().to_ascii_lowercase();
            if wanted.is_empty() {
                return;
            }
            // The next line holding it after the last one found, from the
            // top again at the end.
            let after = found.unwrap_or(0);
            let hit = value
                .lines()
                .enumerate()
                .skip(after)
                .chain(value.lines().enumerate().take(after))
                .find(|(_, l)| l.to_ascii_lowercase().contains(&wanted))
                .map(|(i, _)| i + 1);
            found.set(hit.or(Some(0)));
            if let Some(line) = hit {
                shown.set(Some(line.saturating_sub(5).max(1)));
            }
        })
    };
    let hl = props.highlight.clone();
    let on_edit = {
        let editor = editor.clone();
        Callback::from(move |_| {
            if gloo::dialogs::confirm(t(lang, Msg::LargeEditWarning)) {
                editor.set(true);
            }
        })
    };
    let summary = fill(
        lang,
        Msg::LargeSummary,
        &[
            ("size", &megabytes(value.len())),
            ("lines", &lines.to_string()),
        ],
    );
    let showing = fill(
        lang,
        Msg::LargeShowing,
        &[("first", &first.to_string()), ("last", &last.to_string())],
    );
    html! {
        <div id="paste-large" class="large" role="region" aria-label={t(lang, Msg::PasteLabel)}>
            <p class="hint">{ summary }</p>
            <p class="large-bar">
                <span>{ showing }</span>
                <button id="large-prev" type="button" disabled={first == 1} onclick={page(first.saturating_sub(WINDOW).max(1))}>{ t(lang, Msg::Previous) }</button>
                <button id="large-next" type="button" disabled={last >= lines} onclick={page((first + WINDOW).min(lines.saturating_sub(WINDOW - 1).max(1)))}>{ t(lang, Msg::Next) }</button>
                <button id="large-edit" type="button" onclick={on_edit}>{ t(lang, Msg::LargeEdit) }</button>
            </p>
            <form class="large-find" role="search" onsubmit={on_find}>
                <input id="large-find" ref={query} type="search" aria-label={t(lang, Msg::Find)} />
                <button type="submit">{ t(lang, Msg::Find) }</button>
                if *found == Some(0) { <span id="large-not-found">{ t(lang, Msg::NotFound) }</span> }
            </form>
            <ol id="paste-preview" ref={preview} start={first.to_string()} tabindex="0">
                { for value.lines().enumerate().skip(first - 1).take(last + 1 - first).map(|(i, line)| {
                    let no = i + 1;
                    let on = hl.as_ref().is_some_and(|m| m.covers(no));
                    let bad = props.problems.contains(&no);
                    let hit = *found == Some(no);
                    html! { <li class={classes!(on.then_some("hl"), bad.then_some("problem"), hit.then_some("found"))}>{ line }</li> }
                }) }
            </ol>
        </div>
    }
}

/// The textarea's text as the browser's string, not copied into the wasm.
fn js_value(area: &HtmlTextAreaElement) -> JsString {
    js_sys::Reflect::get(area, &"value".into())
        .ok()
        .and_then(|v| v.dyn_into().ok())
        .unwrap_or_default()
}

/// Moves the marks layer with the textarea's text.
fn follow(layer: &NodeRef, area: &HtmlTextAreaElement) {
    if let Some(layer) = layer.cast::<web_sys::Element>() {
        let shift = format!("translate({} {})", -area.scroll_left(), -area.scroll_top());
        let _ = layer.set_attribute("transform", &shift);
    }
}

/// `bytes` in MB with one decimal, in integers: float formatting would
/// add 5 KB of code to the page for this one number.
fn megabytes(bytes: usize) -> String {
    let tenths = (bytes + 50_000) / 100_000;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The clipboard's text as a JS string, not copied into Rust.
fn clipboard_text(data: &web_sys::DataTransfer) -> Option<JsString> {
    let get: js_sys::Function = js_sys::Reflect::get(data, &"getData".into())
        .ok()?
        .dyn_into()
        .ok()?;
    get.call1(data, &"text".into()).ok()?.dyn_into().ok()
}

/// The paste box, the file picker and drop zone, and the outputs found.
/// What the line under the caret is: which output it belongs to, and which
/// findings cite it.
fn line_info(lang: Lang, report: &Report, line: usize, explained: Option<&str>) -> Html {
    let Some(output) = report
        .artifacts
        .iter()
        .find(|a| (a.lines[0]..=a.lines[1]).contains(&line))
    else {
        return Html::default();
    };
    let cited: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| {
            f.evidence
                .iter()
                .any(|e| (e.lines[0]..=e.lines[1]).contains(&line))
        })
        .map(|f| f.code.as_str())
        .collect();
    let what = [output.file.as_deref(), output.command.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let mut said = format!(
        "{}: {} — {}",
        svcdoctor_engine::render::line_word(lang, line),
        if what.is_empty() {
            t(lang, Msg::Output)
        } else {
            &what
        },
        crate::i18n::kind(lang, output.kind)
    );
    if !cited.is_empty() {
        said.push_str(&format!(
            " · {} {}",
            t(lang, Msg::CitedBy),
            cited.join(", ")
        ));
    }
    html! {
        <div id="line-info" class="line-info" aria-live="polite">
            <p class="hint">{ said }</p>
            if let Some(explained) = explained.filter(|e| !e.is_empty()) { <p id="line-explained">{ explained }</p> }
        </div>
    }
}

#[component]
pub fn PasteArea(props: &Props) -> Html {
    let lang = props.lang;
    // The caret's line; a stable callback, so that the paste box (which
    // holds the whole text) does not render again when the caret moves.
    let caret_line = use_state_eq(|| None::<usize>);
    let on_caret = {
        let setter = caret_line.setter();
        use_callback((), move |line: usize, _| setter.set(Some(line)))
    };
    // The caret's line in plain words, for the kinds that have such words:
    // asked for when the caret rests on such a line, and shown while it
    // stays there (keyed by language, kind and the line's text).
    type Key = (Lang, ArtifactKind, String);
    let explained = use_state_eq(|| None::<(Key, String)>);
    let wanted: Option<Key> = caret_line.and_then(|line| {
        let kind = props
            .report
            .artifacts
            .iter()
            .find(|a| (a.lines[0]..=a.lines[1]).contains(&line))?
            .kind;
        svcdoctor_engine::render::explains(kind)
            .then(|| props.value.lines().nth(line - 1))
            .flatten()
            .map(|text| (lang, kind, text.trim().to_string()))
    });
    {
        let explained = explained.clone();
        let ask = props.on_explain.clone();
        use_effect_with(wanted.clone(), move |wanted| {
            let known = explained.as_ref().map(|(key, _)| key);
            if let Some(key) = wanted.clone().filter(|key| known != Some(key)) {
                let setter = explained.setter();
                let (lang, kind, line) = key.clone();
                ask.emit((
                    lang,
                    kind,
                    line,
                    Callback::from(move |said: String| setter.set(Some((key.clone(), said)))),
                ));
            }
        });
    }
    let explained = explained
        .as_ref()
        .filter(|(key, _)| wanted.as_ref() == Some(key))
        .map(|(_, said)| said.as_str());
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
            <PasteBox {lang} value={props.value.clone()} area={props.area.clone()} on_input={props.on_input.clone()} on_notice={props.on_notice.clone()} highlight={props.highlight.clone()} problems={props.problems.clone()} {on_caret} />
            if let Some(line) = *caret_line {
                { line_info(lang, &props.report, line, explained) }
            }
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
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct OutputsProps {
    pub lang: Lang,
    pub report: Rc<Report>,
    pub on_relabel: Callback<(usize, Option<ArtifactKind>)>,
    pub on_remove: Callback<[usize; 2]>,
    pub on_show: Callback<Marks>,
}

/// Each output found, with its kind (changeable) and its remarks.
#[component]
/// The outputs found in the paste, with their kinds: after the diagnosis
/// in the page's reading order (and the Tab order).
pub fn Outputs(props: &OutputsProps) -> Html {
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
                        Callback::from(move |_| cb.emit(Marks::one(lines)))
                    };
                    html! {
                        <li class="output" data-kind={a.kind.as_str()}>
                            <button type="button" class="link" onclick={on_show}>
                                { svcdoctor_engine::render::lines_word(lang, a.lines) }
                            </button>
                            <select aria-label={format!("{} ({})", t(lang, Msg::Kind), svcdoctor_engine::render::lines_word(lang, a.lines))} onchange={on_kind}>
                                { for ArtifactKind::ALL.iter().map(|k| html! {
                                    <option value={k.as_str()} selected={*k == a.kind}>{ crate::i18n::kind(lang, *k) }</option>
                                }) }
                            </select>
                            if let Some(file) = &a.file { <span class="file">{ file }</span> }
                            if let Some(cmd) = &a.command { <code>{ cmd }</code> }
                            if !a.read.is_empty() { <span class="read">{ crate::i18n::counts(lang, &a.read) }</span> }
                            <button type="button" class="remove" onclick={on_remove} aria-label={format!("{} {}", t(lang, Msg::Remove), svcdoctor_engine::render::lines_word(lang, a.lines))}>{ "×" }</button>
                            { for a.diagnostics.iter().map(|d| html! {
                                <div class="diag">{ format!("{}: {}", svcdoctor_engine::render::line_word(lang, d.line), d.message) }</div>
                            }) }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::megabytes;

    #[test]
    fn sizes_in_megabytes() {
        assert_eq!(megabytes(0), "0.0");
        assert_eq!(megabytes(1_000_000), "1.0");
        assert_eq!(megabytes(26_888_418), "26.9");
        assert_eq!(megabytes(1_049_999), "1.0");
        assert_eq!(megabytes(1_050_000), "1.1");
    }
}
