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

/// Diagnoses `text` and returns the report as JSON: for scripts that drive
/// the page (the benchmark calls it as `window.wasmBindings.diagnose_json`).
/// Pretty-printed like the page's JSON export, so that the page carries one
/// serializer of the report, not two.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn diagnose_json(text: &str) -> String {
    let report = svcdoctor_engine::diagnose(&svcdoctor_engine::Input::from_text(text));
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// The tutorial's cluster, as its transcript prints it: preloaded on the first
/// visit so that a newcomer sees a worked example.
pub const TUTORIAL: &str = include_str!("../samples/tutorial.txt");
