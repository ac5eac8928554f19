//! Meta-tests that keep the catalog honest: it holds exactly the spec's codes
//! and slugs, every rule has its doc headings, summaries and texts in both
//! languages, and docs/rules.md is not stale.

use std::collections::BTreeMap;
use std::path::Path;

use svcdoctor_engine::checks::{catalog, RULES};
use svcdoctor_engine::{diagnose, Input, Lang, StepId};

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn the_registry_holds_exactly_the_spec_codes_and_slugs() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/spec.md");
    let text = std::fs::read_to_string(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let mut from_spec = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if let [_, code, slug, ..] = cells.as_slice() {
            let is_code = code.len() >= 5
                && code.chars().take_while(|c| c.is_ascii_uppercase()).count() >= 2
                && code.chars().rev().take(3).all(|c| c.is_ascii_digit());
            if is_code {
                from_spec.insert(code.to_string(), slug.to_string());
            }
        }
    }
    // Codes are added, never removed: the 58 of the first spec stay.
    assert!(
        from_spec.len() >= 58,
        "the spec lists {} codes",
        from_spec.len()
    );
    let registry: BTreeMap<String, String> = RULES
        .iter()
        .map(|r| (r.code.to_string(), r.slug.to_string()))
        .collect();
    assert_eq!(registry, from_spec);
    assert_eq!(RULES.len(), registry.len(), "a code is registered twice");
}

#[test]
fn every_rule_has_docs_summaries_and_a_known_explains_list() {
    for r in RULES {
        for heading in [
            "## What it checks",
            "## Why it matters",
            "## Evidence",
            "## Fix",
        ] {
            assert!(r.docs.contains(heading), "{} lacks '{heading}'", r.code);
        }
        assert!(!r.summary.en.is_empty(), "{}", r.code);
        assert!(has_cjk(r.summary.zh), "{} has no Chinese summary", r.code);
        for explained in r.explains {
            // A rule that explains another must explain one in the registry
            // (a rule left out of it would never fire).
            assert!(
                RULES.iter().any(|o| std::ptr::eq(*o, *explained)),
                "{} explains {}, which is not registered",
                r.code,
                explained.code
            );
            assert_ne!(explained.code, r.code, "{} explains itself", r.code);
        }
    }
    for step in StepId::ALL {
        assert!(has_cjk(step.title(Lang::Zh)), "{step} has no Chinese title");
    }
}

#[test]
fn every_finding_speaks_both_languages_in_house_style() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    for r in RULES {
        let fires = root.join(r.code).join("fires.txt");
        let text =
            std::fs::read_to_string(&fires).unwrap_or_else(|e| panic!("{}: {e}", fires.display()));
        let finding = |lang: Lang| {
            let mut input = Input::from_text(&text);
            input.lang = lang;
            diagnose(&input)
                .findings
                .into_iter()
                .find(|f| f.code == r.code)
                .unwrap_or_else(|| panic!("{} did not fire", r.code))
        };
        let (en, zh) = (finding(Lang::En), finding(Lang::Zh));
        for f in [&en, &zh] {
            assert!(
                !f.message.trim().is_empty() && !f.fix.trim().is_empty(),
                "{}: empty text",
                r.code
            );
            assert!(
                !f.message.ends_with('.') && !f.message.ends_with('。'),
                "{}: a message is one clause, no final stop: {}",
                r.code,
                f.message
            );
            assert_eq!(f.message.trim(), f.message, "{}: stray white space", r.code);
            assert!(
                !f.evidence.is_empty(),
                "{}: a finding names its evidence",
                r.code
            );
        }
        assert!(
            has_cjk(&zh.message) && has_cjk(&zh.fix),
            "{}: untranslated: {} / {}",
            r.code,
            zh.message,
            zh.fix
        );
        assert!(
            !has_cjk(&en.message) && !has_cjk(&en.fix),
            "{}: Chinese in the English text",
            r.code
        );
    }
}

#[test]
fn docs_rules_md_is_generated_from_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = catalog::markdown();
    if current != generated {
        panic!(
            "{} is stale: regenerate it with\n  cargo run -q --bin svcdoctor -- rules --format markdown > docs/rules.md",
            path.display()
        );
    }
}
