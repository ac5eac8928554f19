#![allow(dead_code)] // each test crate uses part of this shared module
//! Expected diagnoses of a set of cases (a folder of `NAME.txt` and a JSON
//! file of expectations), checked and counted the same way for every set.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use svcdoctor_engine::{diagnose, Input, Report};

#[derive(Deserialize)]
pub struct Expected {
    pub verdict: String,
    pub root_cause: Option<String>,
    /// `namespace/name` of the object the root cause is about.
    pub about: Option<String>,
    pub next_step: Option<String>,
    /// Why svcdoctor misses this case today, if it does.
    pub known_failure: Option<String>,
}

/// What is wrong with `report` for `want`, if anything.
pub fn miss(report: &Report, want: &Expected) -> Option<String> {
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
        // message, its fix or its evidence. `a|b` names one object two ways
        // (a Service and its cluster IP).
        let said = format!("{} {}", finding.message, finding.fix).to_lowercase();
        let named = about.split('|').any(|alias| {
            let name = alias.rsplit('/').next().unwrap_or(alias).to_lowercase();
            said.contains(&name)
                || finding
                    .evidence
                    .iter()
                    .any(|e| e.excerpt.to_lowercase().contains(&name))
        });
        if !named {
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

/// Diagnoses every case of `dir` against `expected` (a file in `dir`),
/// prints `LABEL: N of M right (P%), K known failures` and the known ones,
/// and returns what differs from the expectations: misses that are not
/// known failures, known failures that pass, and cases without an entry.
pub fn run_set(dir: &Path, expected: &str, label: &str) -> Vec<String> {
    let expected: BTreeMap<String, Expected> =
        serde_json::from_str(&std::fs::read_to_string(dir.join(expected)).unwrap()).unwrap();
    let mut right = 0;
    let mut unexpected = Vec::new();
    let mut known = Vec::new();
    for (name, want) in &expected {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
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
        "{label}: {right} of {} right ({}%), {} known failures",
        expected.len(),
        right * 100 / expected.len().max(1),
        known.len()
    );
    for k in &known {
        println!("  known: {k}");
    }
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            if !expected.contains_key(&stem) {
                unexpected.push(format!("{stem}: not in the expectations"));
            }
        }
    }
    unexpected
}

/// The files under `dir` whose names end in `.ext`, in name order, folders
/// included.
pub fn files_under(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Every pasted case the tests hold: the hand-written scenarios, the
/// realistic set, the real pastes from threads and the rule fixtures, as
/// (path under `tests/`, text).
pub fn pasted_cases() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files = Vec::new();
    for dir in [
        "fixtures/rules",
        "threads",
        "realistic",
        "fixtures/scenarios",
    ] {
        files_under(&root.join(dir), "txt", &mut files);
    }
    files
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            (name, text)
        })
        .collect()
}
