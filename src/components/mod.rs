//! Leaf components: they take props and callbacks and own no state.

mod flowchart;
mod paste_area;
mod result_pane;
mod toolbar;

pub use flowchart::Flowchart;
pub use paste_area::{Outputs, PasteArea};
pub use result_pane::ResultPane;
pub use toolbar::Toolbar;
