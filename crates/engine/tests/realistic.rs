//! The realistic scenario set: transcripts made with the real kubectl (against
//! a fake API server), nslookup, dig, curl, nc, ss, iptables-save and nft in
//! network namespaces, by `tools/scenarios/generate.py`. Each names the
//! verdict, the root cause and the object it is about, or the step a
//! need-evidence verdict must ask about (`tests/realistic/expected.json`).
//!
//! Prints an accuracy line. A scenario marked `known_failure` says why
//! svcdoctor misses it today; the test fails when one of the others misses,
//! and when a known failure starts passing (so that the list stays true).

mod expectations;

use std::path::Path;

#[test]
fn realistic_scenarios_reach_their_verdicts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realistic");
    let unexpected = expectations::run_set(&dir, "expected.json", "realistic scenarios");
    assert!(
        unexpected.is_empty(),
        "{} realistic scenarios differ:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
