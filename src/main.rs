fn main() {
    yew::Renderer::<svcdoctor_web::App>::new().render();
}
