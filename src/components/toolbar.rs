use svcdoctor_engine::report::Via;
use svcdoctor_engine::Lang;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::examples::EXAMPLES;
use crate::i18n::{self, t, Msg};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// The path the user chose, if any.
    pub via: Option<Via>,
    /// The path in force (chosen or inferred).
    pub effective_via: Via,
    pub on_lang: Callback<Lang>,
    pub on_via: Callback<Option<Via>>,
    pub on_example: Callback<&'static str>,
    pub on_clear: Callback<()>,
    pub on_export: Callback<&'static str>,
    pub on_share: Callback<()>,
    /// Mask addresses and names in what is shared or exported.
    pub redact: bool,
    pub on_redact: Callback<bool>,
}

fn selected(e: &Event) -> String {
    let select: HtmlSelectElement = e.target_unchecked_into();
    select.value()
}

/// The bar above the page: language, path, practice cases, export, clear.
#[component]
pub fn Toolbar(props: &Props) -> Html {
    let lang = props.lang;
    let on_lang = {
        let cb = props.on_lang.clone();
        Callback::from(move |e: Event| cb.emit(Lang::parse(&selected(&e)).unwrap_or(Lang::En)))
    };
    let on_via = {
        let cb = props.on_via.clone();
        Callback::from(move |e: Event| cb.emit(Via::parse(&selected(&e))))
    };
    let on_example = {
        let cb = props.on_example.clone();
        Callback::from(move |e: Event| {
            let id = selected(&e);
            if let Some(ex) = EXAMPLES.iter().find(|x| x.id == id) {
                cb.emit(ex.id);
            }
            let select: HtmlSelectElement = e.target_unchecked_into();
            select.set_value("");
        })
    };
    let export = |kind: &'static str| {
        let cb = props.on_export.clone();
        Callback::from(move |_| cb.emit(kind))
    };
    let on_clear = {
        let cb = props.on_clear.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let on_redact = {
        let cb = props.on_redact.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.checked());
        })
    };
    let inferred = format!(
        "{} ({})",
        t(lang, Msg::ViaInferred),
        i18n::via(lang, props.effective_via)
    );
    html! {
        <nav class="toolbar" aria-label="svcdoctor">
            <label>
                <span>{ t(lang, Msg::Examples) }</span>
                <select id="example-select" onchange={on_example} title={t(lang, Msg::ExamplesHint)}>
                    <option value="" selected=true>{ t(lang, Msg::ExamplePick) }</option>
                    { for EXAMPLES.iter().map(|ex| html! {
                        <option value={ex.id} title={ex.description(lang)}>{ ex.title(lang) }</option>
                    }) }
                </select>
            </label>
            <label>
                <span>{ t(lang, Msg::Via) }</span>
                <select id="via-select" onchange={on_via}>
                    <option value="" selected={props.via.is_none()}>{ inferred }</option>
                    { for Via::ALL.iter().map(|v| html! {
                        <option value={v.as_str()} selected={props.via == Some(*v)}>{ i18n::via(lang, *v) }</option>
                    }) }
                </select>
            </label>
            <label>
                <span>{ t(lang, Msg::Language) }</span>
                <select id="lang-select" onchange={on_lang}>
                    <option value="en" selected={lang == Lang::En}>{ "English" }</option>
                    <option value="zh" selected={lang == Lang::Zh}>{ "中文" }</option>
                </select>
            </label>
            <span class="export" role="group" aria-label={t(lang, Msg::Export)}>
                <span>{ t(lang, Msg::Export) }</span>
                <button id="export-md" type="button" onclick={export("markdown")}>{ t(lang, Msg::ExportMarkdown) }</button>
                <button id="export-json" type="button" onclick={export("json")}>{ t(lang, Msg::ExportJson) }</button>
            </span>
            <span class="export" role="group" aria-label={t(lang, Msg::CopyReport)}>
                <span>{ t(lang, Msg::Copy) }</span>
                <button id="copy-md" type="button" onclick={export("copy-markdown")} aria-label={t(lang, Msg::CopyMarkdown)}>{ t(lang, Msg::ExportMarkdown) }</button>
                <button id="copy-json" type="button" onclick={export("copy-json")} aria-label={t(lang, Msg::CopyJson)}>{ t(lang, Msg::ExportJson) }</button>
            </span>
            <button id="share" type="button" onclick={props.on_share.reform(|_| ())}>{ t(lang, Msg::Share) }</button>
            // The browser's print dialog, with the print view of style.css
            // (also "Save as PDF").
            <button id="print" type="button" onclick={Callback::from(|_| { let _ = gloo::utils::window().print(); })}>{ t(lang, Msg::Print) }</button>
            <label class="redact" title={t(lang, Msg::RedactHint)}>
                <input id="redact" type="checkbox" checked={props.redact} onchange={on_redact} />
                <span>{ t(lang, Msg::Redact) }</span>
            </label>
            <button id="clear" type="button" class="danger" onclick={on_clear}>{ t(lang, Msg::Clear) }</button>
        </nav>
    }
}
