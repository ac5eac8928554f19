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
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    yew::Renderer::<App>::with_root(host.clone()).render();
    yew::scheduler::flush().await;
    host
}

fn verdict(host: &Element) -> String {
    host.query_selector("#verdict")
        .unwrap()
        .expect("a verdict banner")
        .get_attribute("data-verdict")
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn preloaded_tutorial_shows_no_root_cause() {
    let host = mount().await;
    assert_eq!(verdict(&host), "healthy");
    assert!(host.query_selector("#root-cause").unwrap().is_none());
    let area: HtmlTextAreaElement = host
        .query_selector("#paste-input")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(area.value().contains("kubectl get pods,svc"));
    host.remove();
}

#[wasm_bindgen_test]
async fn typing_a_broken_service_shows_ep301_after_the_pause() {
    let host = mount().await;
    let area: HtmlTextAreaElement = host
        .query_selector("#paste-input")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value(BROKEN);
    area.dispatch_event(&Event::new("input").unwrap()).unwrap();
    yew::scheduler::flush().await;
    // Debounced: right after typing, the old report is still shown.
    assert!(host.query_selector("#root-cause").unwrap().is_none());
    sleep(Duration::from_millis(400)).await;
    yew::scheduler::flush().await;
    let card = host
        .query_selector("#root-cause")
        .unwrap()
        .expect("a root cause card after the pause");
    assert_eq!(card.get_attribute("data-code").as_deref(), Some("EP301"));
    let text = card.text_content().unwrap_or_default();
    assert!(
        text.contains(
            "selector app=web matches no pod; pods of deployment web are labelled app=Web"
        ),
        "{text}"
    );
    assert!(
        text.contains("kubectl patch service web -n default"),
        "{text}"
    );
    assert_eq!(verdict(&host), "root-cause");
    host.remove();
}
