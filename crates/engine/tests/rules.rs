//! Each rule fires on its firing fixtures and stays silent on the others.
//! Fixtures live in `tests/fixtures/rules/<CODE>/`: in files named
//! `fires*.txt` the rule must fire (and, for an error, be the root cause); in
//! `silent*.txt` it must not. Every firing finding is snapshotted (insta) in
//! both languages.

use std::path::{Path, PathBuf};

use svcdoctor_engine::report::Finding;
use svcdoctor_engine::{checks, diagnose, Input, Lang, Severity, Verdict};

fn dir(code: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(code)
}

fn fixtures(code: &str) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir(code)) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn run(text: &str, lang: Lang) -> svcdoctor_engine::Report {
    let mut input = Input::from_text(text);
    input.lang = lang;
    diagnose(&input)
}

#[test]
fn every_rule_fires_on_its_fixtures_and_only_there() {
    let mut failures = Vec::new();
    for rule in checks::RULES {
        let code = rule.code;
        let files = fixtures(code);
        if !files.iter().any(|(n, _)| n.starts_with("fires")) {
            failures.push(format!(
                "{code}: no firing fixture in {}",
                dir(code).display()
            ));
        }
        if !files.iter().any(|(n, _)| n.starts_with("silent")) {
            failures.push(format!("{code}: no silent fixture"));
        }
        for (name, text) in files {
            for lang in Lang::ALL {
                let report = run(&text, lang);
                let fired: Vec<&Finding> =
                    report.findings.iter().filter(|f| f.code == code).collect();
                if name.starts_with("fires") {
                    let Some(finding) = fired.first() else {
                        failures.push(format!(
                            "{code}/{name} ({}): did not fire; findings {:?}",
                            lang.as_str(),
                            report.findings.iter().map(|f| &f.code).collect::<Vec<_>>()
                        ));
                        continue;
                    };
                    if rule.severity == Severity::Error {
                        let root = report.root_cause.as_ref().map(|r| r.finding.code.as_str());
                        if report.verdict != Verdict::RootCause || root != Some(code) {
                            failures
                                .push(format!("{code}/{name}: root cause is {root:?}, not {code}"));
                        }
                    }
                    insta::assert_json_snapshot!(
                        format!("{code}-{name}-{}", lang.as_str()),
                        finding
                    );
                } else if !fired.is_empty() {
                    failures.push(format!("{code}/{name}: fired: {}", fired[0].message));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
