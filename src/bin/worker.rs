//! The Web Worker's entry point (built by Trunk as `worker`).

use gloo::worker::Registrable;

fn main() {
    svcdoctor_web::worker::DiagnoseWorker::registrar().register();
}
