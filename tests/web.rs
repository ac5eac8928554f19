//! The app in a real browser (headless Chromium through wasm-bindgen-test).
//! Run with `cargo test -p svcdoctor-web --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo::timers::future::sleep;
use gloo::utils::document;
use svcdoctor_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const BROKEN: &str = "$ kubectl get svc web -o yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
$ kubectl get deploy web -o yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  selector:
    matchLabels:
      app: Web
  template:
    metadata:
      labels:
        app: Web
";

async fn mount() -> Element {
    // Each test starts from a first visit.
    gloo::utils::window()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    yew::Renderer::<App>::with_root(host.clone()).render();
    yew::scheduler::flush().await;
    host
}

fn find(host: &Element, selector: &str) -> Element {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn verdict(host: &Element) -> String {
    find(host, "#verdict")
        .get_attribute("data-verdict")
        .unwrap_or_default()
}

async fn type_text(host: &Element, text: &str) {
    let area: HtmlTextAreaElement = find(host, "#paste-input").dyn_into().unwrap();
    area.set_value(text);
    area.dispatch_event(&Event::new("input").unwrap()).unwrap();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn preloaded_tutorial_is_healthy_and_drawn() {
    let host = mount().await;
    assert_eq!(verdict(&host), "healthy");
    assert!(host.query_selector("#root-cause").unwrap().is_none());
    let steps = host.query_selector_all("#flowchart .fc-step").unwrap();
    // A1-A6 and B0-B9 (B0, the front door, not applicable here).
    assert_eq!(steps.length(), 16);
    let b0 = find(&host, "#flowchart [data-step=B0]");
    assert_eq!(b0.get_attribute("data-status").as_deref(), Some("n/a"));
    let b3 = find(&host, "#flowchart [data-step=B3]");
    assert_eq!(b3.get_attribute("data-status").as_deref(), Some("pass"));
    host.remove();
}

#[wasm_bindgen_test]
async fn typing_a_broken_service_shows_ep301_after_the_pause() {
    let host = mount().await;
    type_text(&host, BROKEN).await;
    // Debounced: right after typing, the old report is still shown.
    assert!(host.query_selector("#root-cause").unwrap().is_none());
    sleep(Duration::from_millis(400)).await;
    yew::scheduler::flush().await;
    let card = find(&host, "#root-cause");
    assert_eq!(card.get_attribute("data-code").as_deref(), Some("EP301"));
    let text = card.text_content().unwrap_or_default();
    assert!(
        text.contains(
            "selector app=web matches no pod; pods of deployment web are labelled app=Web"
        ),
        "{text}"
    );
    assert_eq!(verdict(&host), "root-cause");
    let b3 = find(&host, "#flowchart [data-step=B3]");
    assert_eq!(b3.get_attribute("data-status").as_deref(), Some("fail"));
    host.remove();
}

#[wasm_bindgen_test]
async fn clicking_a_step_opens_its_details() {
    let host = mount().await;
    // SVG groups have no click(): send the event a mouse would.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let click = Event::new_with_event_init_dict("click", &init).unwrap();
    find(&host, "#flowchart [data-step=B3]")
        .dispatch_event(&click)
        .unwrap();
    yew::scheduler::flush().await;
    let details = find(&host, "#step-details");
    assert_eq!(details.get_attribute("data-step").as_deref(), Some("B3"));
    host.remove();
}

#[wasm_bindgen_test]
async fn share_links_are_packed_by_the_browser_and_old_links_still_open() {
    use base64::Engine;
    use svcdoctor_web::services::deflate_raw;
    let json = br#"{"text":"kubectl get svc web","lang":"en","via":null}"#;
    // Packed and unpacked by the browser.
    let packed = deflate_raw(json, true, usize::MAX).await.unwrap();
    assert!(!packed.is_empty());
    assert_eq!(deflate_raw(&packed, false, 1 << 20).await.unwrap(), json);
    // Raw DEFLATE made by another implementation (zlib, level 9, as the
    // links of earlier versions were made by miniz_oxide) unpacks the same.
    let old = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode("q1YqSa0oUbJSyi5NSk0uyVFITy1RKC5LVihPTVLSUcpJzEsHSqbmAdllmYlKVnmlOTm1AA")
        .unwrap();
    assert_eq!(deflate_raw(&old, false, 1 << 20).await.unwrap(), json);
    // A bomb stops at the limit; damage is an error, not a panic.
    let zeros = deflate_raw(&vec![0u8; 4 << 20], true, usize::MAX)
        .await
        .unwrap();
    let refused = deflate_raw(&zeros, false, 1 << 20).await.unwrap_err();
    assert!(refused.contains("MB"), "{refused}");
    assert!(deflate_raw(b"\xff\xff\xff", false, 1 << 20).await.is_err());
}
