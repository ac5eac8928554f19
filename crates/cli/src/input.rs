//! Reading PATHs: files, directories (their files in name order) and `-`.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use svcdoctor_engine::Source;

pub struct ReadInput {
    pub sources: Vec<Source>,
    /// Things worth telling the user that do not stop the run.
    pub warnings: Vec<String>,
}

pub fn read_paths(paths: &[PathBuf]) -> anyhow::Result<ReadInput> {
    let mut out = ReadInput {
        sources: Vec::new(),
        warnings: Vec::new(),
    };
    if paths.is_empty() {
        if std::io::stdin().is_terminal() {
            bail!("no input: give a PATH, or pipe cluster output to standard input (see --help)");
        }
        read_stdin(&mut out)?;
        return Ok(out);
    }
    for path in paths {
        if path.as_os_str() == "-" {
            read_stdin(&mut out)?;
        } else {
            read_path(path, &mut out)?;
        }
    }
    Ok(out)
}

fn read_stdin(out: &mut ReadInput) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    push(out, "<stdin>".to_string(), bytes);
    Ok(())
}

fn read_path(path: &Path, out: &mut ReadInput) -> anyhow::Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot list {}", path.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .with_context(|| format!("cannot list {}", path.display()))?;
        entries.sort();
        for entry in entries {
            let hidden = entry
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden {
                read_path(&entry, out)?;
            }
        }
        return Ok(());
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    push(out, path.display().to_string(), bytes);
    Ok(())
}

fn push(out: &mut ReadInput, name: String, bytes: Vec<u8>) {
    // A NUL byte near the start is binary data (git's test), not what a
    // command printed: say so and leave it out rather than read garbage.
    if let Some(at) = bytes[..bytes.len().min(8000)].iter().position(|&b| b == 0) {
        out.warnings.push(format!(
            "{name}: binary data (a NUL byte at byte {at}), not command output: skipped"
        ));
        return;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            out.warnings.push(format!(
                "{name}: not valid UTF-8 from byte {at} (line {line}); unreadable bytes are shown as \u{fffd}"
            ));
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    out.sources.push(Source {
        name: Some(name),
        text,
        kind: None,
    });
}
