use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub value: AttrValue,
    pub on_input: Callback<String>,
}

/// The paste box.
#[component]
pub fn PasteArea(props: &Props) -> Html {
    let on_input = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(area.value());
        })
    };
    html! {
        <section class="paste" aria-labelledby="paste-title">
            <h2 id="paste-title">{ "What your cluster printed" }</h2>
            <p class="hint">
                { "Paste kubectl output, YAML or JSON, nslookup, curl, iptables-save … with the prompts and command lines. Nothing leaves this page." }
            </p>
            <textarea
                id="paste-input"
                aria-label="Pasted cluster output"
                spellcheck="false"
                autocomplete="off"
                value={props.value.clone()}
                oninput={on_input}
            />
        </section>
    }
}
