//! What must hold for any input, whatever it is: the checks shared by the
//! fuzz targets (`fuzz/`), their regression tests (`tests/fuzz.rs`) and the
//! property tests (`tests/properties.rs`). Each function panics when the
//! engine breaks a promise on `data`; a panic inside the engine is a
//! failure too.

use crate::{diagnose, understand, ArtifactKind, Input, Lang, Via};

/// Splitting, detection and the parsers detection picks: every artifact
/// lies inside the text.
pub fn understand_holds(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let input = Input::from_text(&text);
    let understood = understand(&input);
    let lines = understood.texts[0].lines().count().max(1);
    for a in &understood.artifacts {
        assert!(
            1 <= a.first_line && a.first_line <= a.last_line && a.last_line <= lines,
            "artifact at {}-{} of {lines} lines",
            a.first_line,
            a.last_line
        );
    }
}

/// One parser on any text: the first byte picks the kind the text is said
/// to be, so every parser meets every input, not only what detection would
/// give it. Diagnostics point at lines of the text.
pub fn parse_kind_holds(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let kind = ArtifactKind::ALL[usize::from(pick) % ArtifactKind::ALL.len()];
    let mut input = Input::from_text(&String::from_utf8_lossy(rest));
    input.sources[0].kind = Some(kind);
    let understood = understand(&input);
    let lines = understood.texts[0].lines().count().max(1);
    for d in understood.diagnostics.iter().flatten() {
        assert!(
            1 <= d.line && d.line <= lines,
            "{kind:?} diagnostic at line {} of {lines}",
            d.line
        );
    }
}

/// The whole diagnosis, in the language and on the path the first byte
/// picks: evidence lies inside the text, and a second run gives the same
/// report.
pub fn diagnose_holds(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut input = Input::from_text(&text);
    input.lang = if pick & 1 == 0 { Lang::En } else { Lang::Zh };
    input.via = match (pick >> 1) % 5 {
        0 => None,
        1 => Some(Via::Name),
        2 => Some(Via::ClusterIp),
        3 => Some(Via::NodePort),
        _ => Some(Via::Hairpin),
    };
    let report = diagnose(&input);
    // Lines as the engine counts them: a lone CR ends a line too.
    let lines = crate::read::text::clean(&text).lines().count().max(1);
    let findings = report
        .findings
        .iter()
        .chain(report.root_cause.as_ref().map(|r| &r.finding));
    for f in findings {
        for e in &f.evidence {
            assert!(
                1 <= e.lines[0] && e.lines[0] <= e.lines[1] && e.lines[1] <= lines,
                "{} evidence at {:?} of {lines} lines",
                f.code,
                e.lines
            );
        }
    }
    assert_eq!(diagnose(&input), report, "a second diagnosis differs");
}

/// Redaction on any text: it keeps every line where it was (evidence line
/// numbers stay true), and masks the same way twice with one key.
pub fn redact_holds(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let key = u64::from(pick);
    let masked = crate::redact::redact(&text, key);
    assert_eq!(
        masked.text.split('\n').count(),
        text.split('\n').count(),
        "redaction moved lines"
    );
    assert_eq!(crate::redact::redact(&text, key), masked);
}
