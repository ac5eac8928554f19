//! The realistic scenario set: transcripts made with the real kubectl (against
//! a fake API server), nslookup, dig, curl, nc, ss, iptables-save and nft in
//! network namespaces, by `tools/scenarios/generate.py`. Each names the
//! verdict, the root cause and the object it is about, or the step a
//! need-evidence verdict must ask about (`tests/realistic/expected.json`).
//!
//! Prints an accuracy line. A scenario marked `known_failure` says why
//! svcdoctor misses it today; the test fails when one of the others misses,
//! and when a known failure starts passing (so that the list stays true).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use svcdoctor_engine::{diagnose, Input, Report};

#[derive(Deserialize)]
struct Expected {
    verdict: String,
    root_cause: Option<String>,
    /// `namespace/name` of the object the root cause is about.
    about: Option<String>,
    next_step: Option<String>,
    known_failure: Option<String>,
}

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realistic")
}

/// What is wrong with `report` for `want`, if anything.
fn miss(report: &Report, want: &Expected) -> Option<String> {
    let verdict = serde_json::to_value(report.verdict).ok()?;
    let root = report.root_cause.as_ref().map(|r| &r.finding);
    let got = format!(
        "{} {}",
        verdict.as_str().unwrap_or("?"),
        root.map_or("-".to_string(), |f| format!("{}: {}", f.code, f.message))
    );
    if verdict != want.verdict.as_str() {
        return Some(got);
    }
    if root.map(|f| f.code.as_str()) != want.root_cause.as_deref() {
        return Some(got);
    }
    if let (Some(finding), Some(about)) = (root, &want.about) {
        // The object's name must be what the finding speaks of: in its
        // message, its fix or its evidence.
        let name = about.rsplit('/').next().unwrap_or(about).to_lowercase();
        let said = format!("{} {}", finding.message, finding.fix).to_lowercase();
        let shown = finding
            .evidence
            .iter()
            .any(|e| e.excerpt.to_lowercase().contains(&name));
        if !said.contains(&name) && !shown {
            return Some(format!("{got} (not about {about})"));
        }
    }
    if let Some(step) = &want.next_step {
        let asked = report.next.first().map(|n| n.step.to_string());
        if asked.as_deref() != Some(step.as_str()) {
            return Some(format!("{got}, next step {asked:?} instead of {step}"));
        }
    }
    None
}

#[test]
fn realistic_scenarios_reach_their_verdicts() {
    let expected: BTreeMap<String, Expected> =
        serde_json::from_str(&std::fs::read_to_string(dir().join("expected.json")).unwrap())
            .unwrap();
    let mut right = 0;
    let mut unexpected = Vec::new();
    let mut known = Vec::new();
    for (name, want) in &expected {
        let text = std::fs::read_to_string(dir().join(format!("{name}.txt"))).unwrap();
        let report = diagnose(&Input::from_text(&text));
        match (miss(&report, want), &want.known_failure) {
            (None, None) => right += 1,
            (None, Some(why)) => unexpected.push(format!(
                "{name}: passes now; remove its known_failure ({why})"
            )),
            (Some(got), None) => unexpected.push(format!("{name}: got {got}")),
            (Some(_), Some(why)) => known.push(format!("{name}: {why}")),
        }
    }
    println!(
        "realistic scenarios: {right} of {} right ({}%), {} known failures",
        expected.len(),
        right * 100 / expected.len().max(1),
        known.len()
    );
    for k in &known {
        println!("  known: {k}");
    }
    // Every transcript is listed.
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            if !expected.contains_key(&stem) {
                unexpected.push(format!("{stem}: not in expected.json"));
            }
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} realistic scenarios differ:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
