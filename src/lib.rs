//! svcdoctor's web app: a thin Yew adapter over the engine. State is plain
//! data in [`state`]; components take props and callbacks; side effects
//! (timers) live in the root component's hooks.

pub mod app;
pub mod components;
pub mod examples;
pub mod i18n;
pub mod services;
pub mod state;
pub mod worker;

pub use app::App;

/// Diagnoses `text` and returns the root cause's rule code, or an empty
/// string: for scripts that drive the page (the benchmark calls it as
/// `window.wasmBindings.diagnose`). The report's JSON writer lives in the
/// Web Worker, not in the page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn diagnose(text: &str) -> String {
    let report = svcdoctor_engine::diagnose(&svcdoctor_engine::Input::from_text(text));
    report
        .root_cause
        .map(|root| root.finding.code.to_string())
        .unwrap_or_default()
}

/// The tutorial's cluster, as its transcript prints it: preloaded on the first
/// visit so that a newcomer sees a worked example.
pub const TUTORIAL: &str = include_str!("../samples/tutorial.txt");
