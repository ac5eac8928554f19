//! Properties of the whole diagnosis on generated pastes: it never panics,
//! evidence line ranges lie inside the input, diagnosing twice gives the
//! same report, and redaction keeps lines in place (`svcdoctor_engine::invariants`). Pastes are built from real
//! lines (the corpus, the fixtures) shuffled, cut and mixed with noise, so
//! that parsers see near-valid input, not only random bytes.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use svcdoctor_engine::invariants::{
    diagnose_holds, parse_kind_holds, redact_holds, understand_holds,
};

/// Lines of every fixture and corpus sample.
fn pool() -> &'static Vec<String> {
    static POOL: OnceLock<Vec<String>> = OnceLock::new();
    POOL.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut lines = Vec::new();
        let mut dirs = vec![root.join("tests/fixtures"), root.join("tests/corpus")];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("txt" | "yaml" | "json")
                ) {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        lines.extend(text.lines().map(str::to_string));
                    }
                }
            }
        }
        lines.sort();
        lines.dedup();
        assert!(
            lines.len() > 1000,
            "the fixtures are missing ({} lines)",
            lines.len()
        );
        lines
    })
}

/// One line of a paste: a real line, a real line cut or with noise, or noise.
fn line() -> impl Strategy<Value = String> {
    let n = pool().len();
    prop_oneof![
        6 => (0..n).prop_map(|i| pool()[i].clone()),
        2 => ((0..n), any::<usize>()).prop_map(|(i, cut)| {
            let l = &pool()[i];
            let cut = cut % (l.len() + 1);
            l.char_indices().map(|(i, _)| i).take_while(|&i| i <= cut).last().map_or(String::new(), |c| l[..c].to_string())
        }),
        1 => ((0..n), "[ \t\u{1b}\\[0-9;m:/=.\"'\\-]{0,6}", any::<bool>())
            .prop_map(|(i, noise, front)| if front { format!("{noise}{}", pool()[i]) } else { format!("{}{noise}", pool()[i]) }),
        1 => ".{0,40}",
    ]
}

fn paste() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<u8>(),
        prop::collection::vec(line(), 0..80),
        prop_oneof!["\n", "\r\n", "\r"],
    )
        .prop_map(|(pick, lines, end)| {
            let mut data = vec![pick];
            data.extend_from_slice(lines.join(&end).as_bytes());
            data
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn diagnosis_holds_on_pastes_of_real_lines(data in paste()) {
        diagnose_holds(&data);
    }

    #[test]
    fn every_parser_holds_on_pastes_of_real_lines(data in paste()) {
        parse_kind_holds(&data);
    }

    #[test]
    fn redaction_holds_on_pastes_of_real_lines(data in paste()) {
        redact_holds(&data);
    }

    #[test]
    fn diagnosis_holds_on_any_bytes(data in prop::collection::vec(any::<u8>(), 0..2000)) {
        understand_holds(&data);
        diagnose_holds(&data);
    }
}
