//! Each rule fires on its firing fixtures and stays silent on the others.
//! Fixtures live in `tests/fixtures/rules/<CODE>/`: files named `fires*.txt`
//! must make the rule the root cause; `silent*.txt` must not raise it. The
//! finding of each firing fixture is snapshotted (insta).

use std::path::Path;

use svcdoctor_engine::{checks, diagnose, Input, Lang, Verdict};

fn fixtures(code: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(code);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Runs every fixture of `code`, checks firing and silence, snapshots findings.
fn check(code: &str) {
    let files = fixtures(code);
    assert!(
        files.iter().any(|(n, _)| n.starts_with("fires")),
        "{code} has no firing fixture"
    );
    assert!(
        files.iter().any(|(n, _)| n.starts_with("silent")),
        "{code} has no silent fixture"
    );
    for (name, text) in files {
        for lang in Lang::ALL {
            let mut input = Input::from_text(&text);
            input.lang = lang;
            let report = diagnose(&input);
            let fired: Vec<_> = report.findings.iter().filter(|f| f.code == code).collect();
            if name.starts_with("fires") {
                assert_eq!(
                    report.verdict,
                    Verdict::RootCause,
                    "{code}/{name}: {report:#?}"
                );
                let root = report.root_cause.as_ref().unwrap();
                assert_eq!(root.finding.code, code, "{code}/{name}");
                insta::assert_json_snapshot!(format!("{code}-{name}-{}", lang.as_str()), root);
            } else {
                assert!(fired.is_empty(), "{code}/{name} fired: {fired:#?}");
            }
        }
    }
}

#[test]
fn every_registered_rule_has_fixtures() {
    for rule in checks::RULES {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rules")
            .join(rule.code);
        assert!(
            dir.is_dir(),
            "{} has no fixture folder {}",
            rule.code,
            dir.display()
        );
    }
}

#[test]
fn ep301_selector_matches_no_pods() {
    check("EP301");
}
