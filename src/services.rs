//! Side effects: local storage, the clipboard, downloads, the browser's
//! language, and pointing the paste box at lines. Kept out of `reduce` and
//! of the view code.

use gloo::storage::{LocalStorage, Storage};
use svcdoctor_engine::Lang;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlTextAreaElement;

use crate::state::Saved;

/// The storage key; the version changes when `Saved` does.
const KEY: &str = "svcdoctor.v1";

/// What was saved, or why it could not be read (shown, never a blank page).
pub fn load() -> Result<Option<Saved>, String> {
    match LocalStorage::raw().get_item(KEY) {
        Ok(None) => Ok(None),
        Ok(Some(json)) => serde_json::from_str(&json).map(Some).map_err(|e| {
            format!(
                "the saved input could not be read ({e}); it was left in local storage under {KEY}"
            )
        }),
        Err(_) => {
            Err("local storage is not available: the input will not survive a reload".to_string())
        }
    }
}

pub fn save(saved: &Saved) {
    if let Ok(json) = serde_json::to_string(saved) {
        let _ = LocalStorage::raw().set_item(KEY, &json);
    }
}

/// The page's URL without its fragment.
pub fn page_url() -> String {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// The URL fragment (`#...`), if any.
pub fn fragment() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
}

/// Drops the fragment from the address bar without reloading.
pub fn clear_fragment() {
    if let Ok(history) = gloo::utils::window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&page_url()));
    }
}

/// The browser's preferred language, Chinese or English.
pub fn browser_lang() -> Lang {
    let navigator = gloo::utils::window().navigator();
    let tags = navigator.languages();
    let first = tags
        .get(0)
        .as_string()
        .or_else(|| navigator.language())
        .unwrap_or_default();
    Lang::parse(&first).unwrap_or(Lang::En)
}

/// Copies text with the asynchronous clipboard API, where there is one.
pub fn copy(text: &str) {
    let navigator = gloo::utils::window().navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return;
    };
    if clipboard.is_undefined() {
        return;
    }
    if let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) {
        if let Some(write) = write.dyn_ref::<js_sys::Function>() {
            let _ = write.call1(&clipboard, &JsValue::from_str(text));
        }
    }
}

/// Offers `text` as a file download, built in the page (no request is made).
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = gloo::utils::document();
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Selects lines `first..=last` (1-based) of the paste box and scrolls them
/// into view.
pub fn show_lines(area: &HtmlTextAreaElement, [first, last]: [usize; 2]) {
    let text = area.value();
    let mut start = 0u32;
    let mut end = 0u32;
    let mut offset = 0u32;
    for (i, line) in text.split('\n').enumerate() {
        let len = line.encode_utf16().count() as u32;
        if i + 1 == first {
            start = offset;
        }
        if i + 1 == last {
            end = offset + len;
            break;
        }
        offset += len + 1;
    }
    let _ = area.focus();
    let _ = area.set_selection_range(start, end);
    let lines = text.split('\n').count().max(1) as f64;
    let height = f64::from(area.scroll_height());
    let top = height * (first.saturating_sub(3) as f64) / lines;
    area.set_scroll_top(top as i32);
}
