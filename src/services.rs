//! Side effects: local storage, the clipboard, downloads, the browser's
//! language, and pointing the paste box at lines. Kept out of `reduce` and
//! of the view code.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};
use js_sys::JsString;
use svcdoctor_engine::Lang;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlTextAreaElement, IdbDatabase, IdbTransactionMode};

use crate::i18n::{fill, t, Msg};
use crate::state::{Saved, BIG_VIEW};

/// The storage key; the version changes when `Saved` does.
const KEY: &str = "svcdoctor.v1";

/// Where an unreadable saved state is moved, so that saving the page's new
/// state does not destroy it.
const KEY_UNREADABLE: &str = "svcdoctor.v1.unreadable";

/// What was saved, or why it could not be read (shown, never a blank page).
/// When [`Saved::big`] is set, the text itself is in IndexedDB: see
/// [`load_big`].
///
/// A state that is not valid JSON, or JSON of another shape (an older
/// version), is kept under [`KEY_UNREADABLE`]; if it holds a `text`, that
/// text is restored and only the settings are lost.
pub fn load() -> (Option<Saved>, Option<String>) {
    let storage = LocalStorage::raw();
    let json = match storage.get_item(KEY) {
        Ok(None) => return (None, None),
        Ok(Some(json)) => json,
        Err(_) => {
            return (
                None,
                Some(t(browser_lang(), Msg::StorageUnavailable).to_string()),
            );
        }
    };
    let problem = match serde_json::from_str::<Saved>(&json) {
        Ok(saved) => return (Some(saved), None),
        Err(e) => e,
    };
    let _ = storage.set_item(KEY_UNREADABLE, &json);
    match crate::state::salvage(&json) {
        Some(text) => {
            let saved = Saved {
                text,
                lang: browser_lang(),
                via: None,
                relabels: Vec::new(),
                service: None,
                big: false,
                step: None,
                stated: Vec::new(),
            };
            (
                Some(saved),
                Some(fill(
                    browser_lang(),
                    Msg::SavedOldFormat,
                    &[("problem", &problem.to_string()), ("key", KEY_UNREADABLE)],
                )),
            )
        }
        None => (
            None,
            Some(fill(
                browser_lang(),
                Msg::SavedUnreadable,
                &[("problem", &problem.to_string()), ("key", KEY_UNREADABLE)],
            )),
        ),
    }
}

/// Saves the state. Local storage is written at once (it survives the tab
/// being killed right after), but holds a few MB at most and costs a JSON
/// encoding of the whole text: texts of [`BIG_VIEW`] bytes or more go to
/// IndexedDB as bytes instead, and local storage records that they are
/// there.
pub fn save(saved: &Saved, on_problem: impl Fn(String) + 'static) {
    let lang = saved.lang;
    let big = saved.text.len() >= BIG_VIEW;
    if big {
        save_big(saved.text.as_bytes(), move |problem| {
            on_problem(fill(lang, Msg::SaveFailed, &[("problem", &problem)]))
        });
        let rest = Saved {
            text: String::new(),
            big: true,
            relabels: saved.relabels.clone(),
            service: saved.service.clone(),
            stated: saved.stated.clone(),
            ..*saved
        };
        if let Ok(json) = serde_json::to_string(&rest) {
            let _ = LocalStorage::raw().set_item(KEY, &json);
        }
        return;
    }
    if let Ok(json) = serde_json::to_string(saved) {
        if LocalStorage::raw().set_item(KEY, &json).is_err() {
            on_problem(t(lang, Msg::SaveFailedLocal).to_string());
        }
    }
}

const DB: &str = "svcdoctor";
const STORE: &str = "input";
const BIG_KEY: &str = "text";

/// Opens the database (creating its one store on first use) and hands it to
/// `then`, or a reason to `fail`.
fn open_db(then: impl FnOnce(IdbDatabase) + 'static, fail: impl FnOnce(String) + 'static) {
    let factory = gloo::utils::window().indexed_db().ok().flatten();
    let Some(request) = factory.and_then(|f| f.open_with_u32(DB, 1).ok()) else {
        fail("IndexedDB is not available".into());
        return;
    };
    let upgrade = Closure::once_into_js({
        let request = request.clone();
        move || {
            if let Some(db) = request
                .result()
                .ok()
                .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
            {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let failed = Rc::new(RefCell::new(Some(fail)));
    let on_error = Closure::once_into_js({
        let failed = failed.clone();
        move || {
            if let Some(fail) = failed.borrow_mut().take() {
                fail("IndexedDB could not be opened".into());
            }
        }
    });
    request.set_onerror(Some(on_error.unchecked_ref()));
    let on_success = Closure::once_into_js({
        let request = request.clone();
        move || match request
            .result()
            .ok()
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        {
            Some(db) => then(db),
            None => {
                if let Some(fail) = failed.borrow_mut().take() {
                    fail("IndexedDB could not be opened".into());
                }
            }
        }
    });
    request.set_onsuccess(Some(on_success.unchecked_ref()));
}

/// Writes a large text to IndexedDB. The bytes are copied out of the page's
/// memory at once; the write itself is asynchronous.
fn save_big(bytes: &[u8], on_problem: impl Fn(String) + 'static) {
    let data = js_sys::Uint8Array::from(bytes);
    let on_problem = Rc::new(on_problem);
    let failed = on_problem.clone();
    open_db(
        move |db| {
            let store = db
                .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
                .and_then(|tx| {
                    // A full disk or quota aborts the transaction.
                    let on_problem = on_problem.clone();
                    let abort = Closure::once_into_js(move || {
                        on_problem("IndexedDB: quota or disk full".to_string())
                    });
                    tx.set_onabort(Some(abort.unchecked_ref()));
                    tx.object_store(STORE)
                });
            if let Ok(store) = store {
                let _ = store.put_with_key(&data, &JsValue::from_str(BIG_KEY));
            }
            db.close();
        },
        move |problem| failed(problem),
    );
}

/// Reads the large text [`save`] put in IndexedDB, then calls `done` with
/// it or with the reason it could not be read.
pub fn load_big(done: impl FnOnce(Result<String, String>) + 'static) {
    let done = Rc::new(RefCell::new(Some(done)));
    let finish = move |result: Result<String, String>| {
        if let Some(done) = done.borrow_mut().take() {
            done(result);
        }
    };
    let fail = finish.clone();
    open_db(
        move |db| {
            let request = db
                .transaction_with_str(STORE)
                .and_then(|tx| tx.object_store(STORE))
                .and_then(|store| store.get(&JsValue::from_str(BIG_KEY)));
            let Ok(request) = request else {
                finish(Err(
                    "the saved input could not be read from IndexedDB".into()
                ));
                return;
            };
            let on_success = Closure::once_into_js({
                let request = request.clone();
                let finish = finish.clone();
                move || {
                    let value = request.result().unwrap_or(JsValue::UNDEFINED);
                    finish(match value.dyn_into::<js_sys::Uint8Array>() {
                        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes.to_vec()).into_owned()),
                        Err(_) => Err("the saved input is missing from IndexedDB".into()),
                    });
                }
            });
            request.set_onsuccess(Some(on_success.unchecked_ref()));
            let on_error = Closure::once_into_js(move || {
                finish(Err(
                    "the saved input could not be read from IndexedDB".into()
                ))
            });
            request.set_onerror(Some(on_error.unchecked_ref()));
            db.close();
        },
        move |problem| fail(Err(problem)),
    );
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

/// Calls `handler` on the window's `event` ("hashchange", "resize",
/// "keydown"); the
/// returned function stops that.
pub fn on_window(event: &'static str, handler: impl Fn(web_sys::Event) + 'static) -> impl FnOnce() {
    let window = gloo::utils::window();
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(handler);
    let _ = window.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    move || {
        let _ = gloo::utils::window()
            .remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    }
}

/// Raw DEFLATE (RFC 1951) by the browser's `CompressionStream`, or back by
/// its `DecompressionStream` (`compress` false), giving up beyond `limit`
/// bytes out (a share link is a few MB at most unpacked; this refuses
/// bombs). The browser's codec instead of one in the wasm: about 12 KB less
/// to download. Links made by earlier versions (miniz_oxide's raw DEFLATE)
/// unpack the same.
pub async fn deflate_raw(bytes: &[u8], compress: bool, limit: usize) -> Result<Vec<u8>, String> {
    let describe = |e: JsValue| {
        js_sys::Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{e:?}"))
    };
    let name = if compress {
        "CompressionStream"
    } else {
        "DecompressionStream"
    };
    let class: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &name.into())
        .ok()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| format!("this browser has no {name}"))?;
    let codec = js_sys::Reflect::construct(&class, &js_sys::Array::of1(&"deflate-raw".into()))
        .map_err(describe)?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(describe)?;
    let call = |target: &JsValue, method: &str, args: &js_sys::Array| {
        js_sys::Reflect::get(target, &method.into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
            .and_then(|f| f.apply(target, args))
            .map_err(describe)
    };
    let none = js_sys::Array::new();
    let stream = call(&blob, "stream", &none)?;
    let out = call(&stream, "pipeThrough", &js_sys::Array::of1(&codec))?;
    let reader = call(&out, "getReader", &none)?;
    let mut unpacked = Vec::new();
    loop {
        let read: js_sys::Promise = call(&reader, "read", &none)?.unchecked_into();
        let chunk = wasm_bindgen_futures::JsFuture::from(read)
            .await
            .map_err(describe)?;
        if js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            == Some(true)
        {
            return Ok(unpacked);
        }
        let value: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())
            .map_err(describe)?
            .unchecked_into();
        if unpacked.len() + value.length() as usize > limit {
            let _ = call(&reader, "cancel", &none);
            return Err(format!("more than {} MB unpacked", limit >> 20));
        }
        unpacked.extend_from_slice(&value.to_vec());
    }
}

/// The state a share link in the address bar holds (`None`: there is
/// none), unpacked; the link is dropped from the address bar.
pub async fn shared_state(lang: Lang) -> Option<Result<crate::state::Saved, String>> {
    use crate::state::{damaged, packed_in, saved_from};
    let packed = packed_in(&fragment(), lang)?;
    clear_fragment();
    Some(match packed {
        Ok(packed) => match deflate_raw(&packed, false, 64 << 20).await {
            Ok(json) => saved_from(&json, lang),
            Err(problem) => Err(damaged(lang, &format!("cannot be unpacked: {problem}"))),
        },
        Err(problem) => Err(problem),
    })
}

/// Whether the window is as narrow as a phone's (the width at which the
/// page's CSS stacks its columns too).
pub fn narrow() -> bool {
    gloo::utils::window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w <= 600.0)
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

/// Scrolls line `first` (1-based) of the paste box into view.
pub fn show_lines(area: &HtmlTextAreaElement, [first, _last]: [usize; 2]) {
    // Scrolled to, not selected: the focus stays on the evidence button, so
    // a key pressed next cannot replace the lines. Lines never wrap
    // (wrap="off"), so each is one line height tall.
    let lines = area.value().split('\n').count().max(1) as f64;
    let height = f64::from(area.scroll_height());
    let top = height * (first.saturating_sub(3) as f64) / lines;
    area.set_scroll_top(top as i32);
    area.set_scroll_left(0);
}

/// UTF-16 units encoded per task by [`blob_in_steps`]: about 10 ms each.
const CHUNK: u32 = 2 << 20;

/// Encodes `text` as a UTF-8 Blob a few MB at a time, one task each, so that
/// a paste of tens of MB never blocks the page for long (one Blob of 27 MB
/// takes 90 ms). Chunks end at line breaks, so no surrogate pair is cut.
pub fn blob_in_steps(text: JsString, done: impl FnOnce(web_sys::Blob) + 'static) {
    encode_step(text, 0, js_sys::Array::new(), Box::new(done));
}

fn encode_step(
    text: JsString,
    from: u32,
    parts: js_sys::Array,
    done: Box<dyn FnOnce(web_sys::Blob)>,
) {
    let len = text.length();
    let mut to = from.saturating_add(CHUNK).min(len);
    if to < len {
        let newline = text.last_index_of("\n", to as i32);
        if newline >= from as i32 {
            to = newline as u32 + 1;
        } else if (0xD800..0xDC00).contains(&(text.char_code_at(to - 1) as u32)) {
            to -= 1;
        }
    }
    if let Ok(blob) =
        web_sys::Blob::new_with_str_sequence(&js_sys::Array::of1(&text.slice(from, to)))
    {
        parts.push(&blob);
    }
    if to >= len {
        if let Ok(blob) = web_sys::Blob::new_with_blob_sequence(&parts) {
            done(blob);
        }
        return;
    }
    gloo::timers::callback::Timeout::new(0, move || encode_step(text, to, parts, done)).forget();
}

/// Bytes read back from a Blob as text, without a copy when they are valid
/// UTF-8 (they are when the page encoded them).
pub fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

thread_local! {
    /// The Chinese catalog's JSON once fetched, for the Web Worker's
    /// requests (the worker's engine needs it too).
    static CHINESE: RefCell<Option<Rc<String>>> = const { RefCell::new(None) };
}

/// The Chinese catalog's JSON, when fetched.
pub fn chinese_catalog() -> Option<Rc<String>> {
    CHINESE.with(|c| c.borrow().clone())
}

/// Fetches `zh.json` (the Chinese texts, left out of the WebAssembly) next
/// to the page, loads it into the engine and calls `done`; at once when it
/// is loaded already. The service worker keeps it for offline use.
pub fn load_chinese(done: impl FnOnce(Result<(), String>) + 'static) {
    if svcdoctor_engine::i18n::chinese_ready() {
        done(Ok(()));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let fetched: Result<String, String> = async {
            let describe = |e: JsValue| format!("{e:?}");
            let response = wasm_bindgen_futures::JsFuture::from(
                gloo::utils::window().fetch_with_str("zh.json"),
            )
            .await
            .map_err(describe)?;
            let response: web_sys::Response = response.dyn_into().map_err(describe)?;
            if !response.ok() {
                return Err(format!("zh.json: HTTP {}", response.status()));
            }
            let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(describe)?)
                .await
                .map_err(describe)?;
            text.as_string()
                .ok_or_else(|| "zh.json is not text".to_string())
        }
        .await;
        let result = fetched.and_then(|json| {
            svcdoctor_engine::i18n::load_chinese(&json)?;
            CHINESE.with(|c| *c.borrow_mut() = Some(Rc::new(json)));
            Ok(())
        });
        done(result);
    });
}
