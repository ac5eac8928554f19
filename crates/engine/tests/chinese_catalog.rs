//! The page's Chinese catalog, `static/zh.json`, is what the sources say:
//! every `text!("English", "中文")` of the engine and of the web app, keyed
//! by its English. The WebAssembly builds leave the Chinese out of the
//! binary and look it up in this file, fetched when the page speaks
//! Chinese; natively both are compiled in. Regenerate it with
//! `SVCDOCTOR_WRITE_CATALOG=1 cargo test -p svcdoctor-engine --test chinese_catalog`.

mod expectations;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads a Rust string literal at the start of `s` (after blanks): its
/// value and the rest of `s`.
fn literal(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let mut chars = s.strip_prefix('"')?.char_indices();
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[i + 2..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                '\'' => out.push('\''),
                'u' => {
                    let mut hex = String::new();
                    for (_, c) in chars.by_ref() {
                        match c {
                            '{' => {}
                            '}' => break,
                            c => hex.push(c),
                        }
                    }
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                // A line continuation: the newline and the next line's
                // leading blanks are not part of the string.
                '\n' => {
                    let rest = chars.as_str();
                    let skip = rest.len() - rest.trim_start().len();
                    for _ in 0..rest[..skip].chars().count() {
                        chars.next();
                    }
                }
                other => panic!("unhandled escape \\{other}"),
            },
            c => out.push(c),
        }
    }
    None
}

/// Every `text!(EN, ZH)` of the sources, as (file:line, English, Chinese).
/// A `text!` whose arguments are not two string literals cannot be in the
/// catalog: it panics with its place.
fn texts() -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    expectations::files_under(&repo().join("crates/engine/src"), "rs", &mut files);
    expectations::files_under(&repo().join("src"), "rs", &mut files);
    let mut out = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let mut rest = source.as_str();
        while let Some(at) = rest.find("text!(") {
            let line_start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
            let in_comment = rest[line_start..at].trim_start().starts_with("//");
            let after = &rest[at + "text!(".len()..];
            rest = after;
            if in_comment {
                continue;
            }
            let line = source.len() - after.len();
            let line = source[..line].matches('\n').count() + 1;
            let place = format!(
                "{}:{line}",
                file.strip_prefix(repo()).unwrap_or(&file).display()
            );
            let pair = literal(after).and_then(|(en, after_en)| {
                let after_comma = after_en.trim_start().strip_prefix(',')?;
                literal(after_comma).map(|(zh, _)| (en, zh))
            });
            // The macro's own definition (`$en:expr`) is not a text.
            if after.starts_with('$') {
                continue;
            }
            let Some((en, zh)) = pair else {
                panic!(
                    "{place}: text! takes two string literals, so that the catalog can hold them"
                );
            };
            out.push((place, en, zh));
        }
    }
    out
}

#[test]
fn the_chinese_catalog_is_generated_from_the_sources() {
    let texts = texts();
    assert!(texts.len() > 400, "only {} texts found", texts.len());
    let mut catalog: BTreeMap<String, String> = BTreeMap::new();
    let mut first_place: BTreeMap<String, String> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for (place, en, zh) in texts {
        match catalog.get(&en) {
            Some(other) if *other != zh => conflicts.push(format!(
                "{place}: {en:?} is {zh:?} here but {other:?} at {}",
                first_place[&en]
            )),
            Some(_) => {}
            None => {
                first_place.insert(en.clone(), place);
                catalog.insert(en, zh);
            }
        }
    }
    assert!(
        conflicts.is_empty(),
        "one English text, two translations (the catalog is keyed by the English):\n{}",
        conflicts.join("\n")
    );
    let json = serde_json::to_string_pretty(&catalog).unwrap() + "\n";
    let path = repo().join("static/zh.json");
    if std::env::var_os("SVCDOCTOR_WRITE_CATALOG").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == json,
        "static/zh.json is out of date: run SVCDOCTOR_WRITE_CATALOG=1 cargo test -p svcdoctor-engine --test chinese_catalog"
    );
}
