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

/// Every output of every realistic scenario is recognised as its kind.
#[test]
fn every_output_of_the_realistic_set_is_recognised() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realistic");
    let mut unknown = Vec::new();
    let mut outputs = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let input = svcdoctor_engine::Input::from_text(&text);
        for a in svcdoctor_engine::understand(&input).artifacts {
            outputs += 1;
            if a.kind == svcdoctor_engine::ArtifactKind::Unknown {
                unknown.push(format!(
                    "{}:{}-{}",
                    path.file_name().unwrap().to_string_lossy(),
                    a.first_line,
                    a.last_line
                ));
            }
        }
    }
    assert!(outputs > 200, "only {outputs} outputs");
    assert!(
        unknown.is_empty(),
        "outputs not recognised:\n{}",
        unknown.join("\n")
    );
}
