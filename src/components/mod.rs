//! Leaf components: they take props and callbacks and own no state.

mod paste_area;
mod result_pane;

pub use paste_area::PasteArea;
pub use result_pane::ResultPane;
