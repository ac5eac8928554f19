//! Real pastes from public issue threads and Q&A pages whose cause the
//! thread established, kept verbatim with their source and conclusion
//! (`tests/threads/threads.json`, provenance in its README). Where the cause
//! was found from something the pastes do not show, the expectation is
//! need-evidence: reading the pastes alone cannot know it.
//!
//! Prints an accuracy line; known failures say why svcdoctor misses them.

mod expectations;

use std::path::Path;

#[test]
fn real_pastes_reach_their_threads_conclusions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/threads");
    let unexpected = expectations::run_set(&dir, "threads.json", "real pastes from threads");
    assert!(
        unexpected.is_empty(),
        "{} real pastes differ:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
