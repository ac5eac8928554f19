//! Every input the fuzzers (`scripts/fuzz.sh`) found to break the engine,
//! kept as a named regression test. Files are in `fixtures/fuzz/`, named
//! `TARGET-what-it-broke`; `every_saved_input_holds` also runs any file
//! added there without its own test.

use std::path::Path;

use svcdoctor_engine::invariants::{
    diagnose_holds, parse_kind_holds, redact_holds, understand_holds,
};

fn run(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(name);
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match name.split_once('-').map(|(t, _)| t) {
        Some("understand") => understand_holds(&data),
        Some("parse_kind") => parse_kind_holds(&data),
        Some("diagnose") => diagnose_holds(&data),
        Some("redact") => redact_holds(&data),
        _ => panic!("{name}: the name must start with a fuzz target"),
    }
}

/// `kubectl exec ... -\u{FFFD}`: a short flag whose letter is not ASCII was
/// split at byte 1, inside the char.
#[test]
fn understand_kubectl_flag_multibyte_letter() {
    run("understand-kubectl-flag-multibyte-letter");
}

/// The same, reached through a parser chosen by kind.
#[test]
fn parse_kind_kubectl_flag_multibyte_letter() {
    run("parse_kind-kubectl-flag-multibyte-letter");
}

#[test]
fn every_saved_input_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        run(&name);
    }
}
