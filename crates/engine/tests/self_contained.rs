//! The repository stands on its own: nothing that the test command, the serve
//! command, the benches or the fuzz seeding run may read outside it. A fresh
//! clone with nothing beside it must pass the test command.
//!
//! The check reads every source, script and config file of the repository
//! and fails on (a) any mention of the `shared/` folder that sits beside
//! developers' checkouts, and (b) any relative path whose `../` steps climb
//! above the repository root from the place the path is resolved against:
//! the file's own folder (Cargo manifests, `include_str!`, scripts, ES
//! modules, Markdown links), or the crate's folder on lines that join onto
//! `CARGO_MANIFEST_DIR`.

use std::path::{Path, PathBuf};

/// The repository root: the engine crate lives at `crates/engine`.
fn repo() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(Path::parent)
        .expect("the engine crate is two folders below the root")
        .to_path_buf()
}

/// Folders that hold data, build output or other people's code, not
/// anything that reads files.
const SKIP_DIRS: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    "dist",
    "corpus",
    "fixtures",
    "snapshots",
    "artifacts",
];

const CHECKED_EXTENSIONS: &[&str] = &[
    "rs", "sh", "mjs", "js", "py", "toml", "json", "html", "md", "yml", "yaml", "css",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIP_DIRS.contains(&name.as_str()) {
                files(&path, out);
            }
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|f| f.to_str())
            .unwrap_or("");
        let is_script = matches!(folder, "scripts" | ".ci" | "testdata" | "node-bin");
        if CHECKED_EXTENSIONS.contains(&ext) || is_script {
            out.push(path);
        }
    }
}

/// How many folders `dir` is below the repository root.
fn depth(root: &Path, dir: &Path) -> usize {
    dir.strip_prefix(root)
        .map(|rel| rel.components().count())
        .unwrap_or(0)
}

/// The nearest folder at or above `file` holding a Cargo.toml.
fn crate_dir(root: &Path, file: &Path) -> PathBuf {
    let mut dir = file.parent().unwrap_or(root).to_path_buf();
    while dir.starts_with(root) && dir != root {
        if dir.join("Cargo.toml").is_file() {
            return dir;
        }
        dir.pop();
    }
    root.to_path_buf()
}

/// The longest run of `../` (or `..\`) steps at each place in a line, and
/// `".."` used as a whole path component in a join.
fn climbs(line: &str) -> Vec<usize> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i..].starts_with(b"..") || (i > 0 && bytes[i - 1] == b'.') {
            i += 1;
            continue;
        }
        let mut n = 0;
        let mut j = i;
        while bytes[j..].starts_with(b"../") || bytes[j..].starts_with(b"..\\") {
            n += 1;
            j += 3;
        }
        // A closing `..` without a slash, as in `join("../..")` or `'..'`.
        let closing = bytes[j..].starts_with(b"..")
            && !bytes[j + 2..].starts_with(b".")
            && (n > 0 || (j > 0 && matches!(bytes[j - 1], b'"' | b'\'')));
        if closing {
            n += 1;
            j += 2;
        }
        if n > 0 {
            found.push(n);
        }
        i = j.max(i + 2);
    }
    found
}

#[test]
fn no_file_reads_outside_the_repository() {
    let root = repo();
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    assert!(
        all.len() > 50,
        "only {} files found under {}",
        all.len(),
        root.display()
    );
    // The folder beside developers' checkouts, spelled so that this file
    // does not name it itself.
    let outside = ["sha", "red"].concat();
    let needles: Vec<String> = ["../{}", "{}/spec", "{}/corpus", "{}/seed", "{}/toolchain"]
        .iter()
        .map(|pattern| pattern.replace("{}", &outside))
        .collect();
    let mut problems = Vec::new();
    for file in &all {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        let is_rust = file.extension().is_some_and(|e| e == "rs");
        for (n, line) in text.lines().enumerate() {
            for needle in &needles {
                if line.contains(needle.as_str()) {
                    problems.push(format!("{rel}:{}: names `{needle}`", n + 1));
                }
            }
            let base = if is_rust && line.contains("CARGO_MANIFEST_DIR") {
                crate_dir(&root, file)
            } else {
                file.parent().unwrap_or(&root).to_path_buf()
            };
            let allowed = depth(&root, &base);
            for ups in climbs(line) {
                if ups > allowed {
                    problems.push(format!(
                        "{rel}:{}: climbs {ups} folder(s) from {}, which is {allowed} below the root",
                        n + 1,
                        base.strip_prefix(&root).unwrap_or(&base).display()
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "paths that leave the repository:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_climb_counter_sees_every_form() {
    assert_eq!(climbs(r#"join("../../docs/spec.md")"#), vec![2]);
    assert_eq!(climbs(r#"join("../..")"#), vec![2]);
    assert_eq!(climbs(r#"join("..")"#), vec![1]);
    assert_eq!(climbs("find ../elsewhere/corpus"), vec![1]);
    assert_eq!(climbs("path.resolve(here, '..')"), vec![1]);
    assert_eq!(climbs(r"..\..\x"), vec![2]);
    assert_eq!(climbs("a ... b and 1..2 ranges"), Vec::<usize>::new());
    assert_eq!(climbs("include_str!(\"../../../samples/x\")"), vec![3]);
}

#[test]
fn the_spec_and_the_corpus_are_in_the_repository() {
    let root = repo();
    assert!(root.join("docs/spec.md").is_file());
    let corpus = root.join("crates/engine/tests/corpus");
    assert!(corpus.join("README.md").is_file());
    // An outside copy must not be what the tests read: the repository's
    // own copy is the one the conformance and catalog tests open.
    for test in ["corpus.rs", "catalog.rs", "properties.rs"] {
        let text = std::fs::read_to_string(root.join("crates/engine/tests").join(test)).unwrap();
        assert!(
            text.contains("tests/corpus") || text.contains("docs/spec.md"),
            "{test} does not read the repository's spec or corpus"
        );
    }
}
