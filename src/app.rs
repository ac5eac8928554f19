use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use svcdoctor_engine::Lang;
use yew::prelude::*;

use crate::components::{PasteArea, ResultPane};
use crate::state::{Action, Model};

/// How long typing must pause before the text is diagnosed again.
const DEBOUNCE_MS: u32 = 150;

/// The root component: owns the state and the debounce timer.
#[component]
pub fn App() -> Html {
    let model = use_reducer(|| Model::new(crate::TUTORIAL, Lang::En));
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let on_input = {
        let dispatch = model.dispatcher();
        Callback::from(move |text: String| {
            dispatch.dispatch(Action::Edit(text));
            let dispatch = dispatch.clone();
            // Replacing the timeout drops (cancels) the previous one.
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                dispatch.dispatch(Action::Diagnose)
            }));
        })
    };
    html! {
        <>
            <header class="top">
                <h1>{ "svcdoctor" }</h1>
                <p>{ "Why does my Kubernetes Service not answer?" }</p>
            </header>
            <main class="layout">
                <PasteArea value={AttrValue::from(model.text.clone())} {on_input} />
                <ResultPane report={model.report.clone()} stale={model.stale} />
            </main>
        </>
    }
}
