//! Redaction keeps the diagnosis: every scenario and every rule fixture,
//! masked, reaches the same verdict, root cause, findings and step statuses;
//! and the names and addresses it masked are gone from the text.

use std::path::Path;

use svcdoctor_engine::redact::redact;
use svcdoctor_engine::{diagnose, Input, Report};

/// What must not change: codes and statuses, not the words in messages.
fn shape(report: &Report) -> String {
    let mut findings: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{}@{}", f.code, f.step.as_str()))
        .collect();
    findings.sort();
    let steps: Vec<String> = report
        .steps
        .iter()
        .map(|s| format!("{}={:?}", s.id.as_str(), s.status))
        .collect();
    format!(
        "{:?} root={:?} explains={:?} via={:?} findings={findings:?} steps={steps:?} kinds={:?}",
        report.verdict,
        report.root_cause.as_ref().map(|r| &r.finding.code),
        report.root_cause.as_ref().map(|r| &r.explains),
        report.via.value,
        report
            .artifacts
            .iter()
            .map(|a| (a.kind, a.lines))
            .collect::<Vec<_>>(),
    )
}

fn fixtures() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("scenarios"), root.join("rules")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 150, "{} fixtures", files.len());
    files
}

#[test]
fn the_masked_paste_gives_the_same_diagnosis() {
    let mut failures = Vec::new();
    let mut masked_any = 0;
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let before = diagnose(&Input::from_text(&text));
        for key in [1, 0x5eed] {
            let r = redact(&text, key);
            if r.addresses + r.names > 0 {
                masked_any += 1;
            }
            let after = diagnose(&Input::from_text(&r.text));
            if shape(&before) != shape(&after) {
                failures.push(format!(
                    "{} (key {key}):\n  before {}\n  after  {}",
                    path.display(),
                    shape(&before),
                    shape(&after)
                ));
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        masked_any > 200,
        "masked something in only {masked_any} runs"
    );
}
