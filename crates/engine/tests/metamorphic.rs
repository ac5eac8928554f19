//! Metamorphic tests: the diagnosis of a case must not change when only its
//! presentation does. Every scenario (the hand-written ones, the realistic
//! set, the rule fixtures) is diagnosed as pasted and then under each
//! transform; verdict and root cause must stay the same:
//!
//! - `crlf`: Windows line ends.
//! - `files`: one source per output instead of one paste.
//! - `reversed`: those files in the opposite order.
//! - `prompt:STYLE`: every host prompt written in another shell's style
//!   (ten styles, from `$ ` to PowerShell, starship and kube-ps1).
//! - `zh`: the probes' messages as the C library and wget print them in a
//!   Chinese locale (`拒绝连接`, `连接超时`, `正在连接 ...`; curl's own
//!   messages and Go's are never translated).
//! - `bare`: command lines removed, outputs separated by blank lines, for
//!   the outputs whose content alone says what they are and holds every
//!   fact the command line gave (objects, describe, rules, logs, dig,
//!   resolv.conf, sockets, processes), unless a pipe filtered the output
//!   or it is empty (then the command line is evidence too).

use std::path::Path;

use svcdoctor_engine::artifact::Client;
use svcdoctor_engine::{diagnose, understand, ArtifactKind, Input};

mod expectations;

use expectations::pasted_cases as cases;

fn signature(input: &Input) -> String {
    let report = diagnose(input);
    let verdict = serde_json::to_value(report.verdict).unwrap();
    format!(
        "{} {}",
        verdict.as_str().unwrap_or("?"),
        report
            .root_cause
            .as_ref()
            .map_or("-", |r| r.finding.code.as_str())
    )
}

/// The outputs of a paste: (first line, last line, kind, whether the command
/// ran in a pod's shell, the command line's text), 1-based, inclusive.
struct Piece {
    first: usize,
    body: usize,
    last: usize,
    kind: ArtifactKind,
    has_command: bool,
    /// The command's output was filtered by a pipe (`| grep web`), or is
    /// empty: then the command line is part of the evidence.
    needs_command: bool,
    command: String,
    in_pod: bool,
}

fn pieces(text: &str) -> Vec<Piece> {
    let input = Input::from_text(text);
    let u = understand(&input);
    u.artifacts
        .iter()
        .map(|a| Piece {
            first: a.first_line,
            body: a.body_start,
            last: a.last_line,
            kind: a.kind,
            has_command: a.command.is_some(),
            needs_command: a.command.as_ref().is_some_and(|c| !c.pipes.is_empty())
                || a.body_start > a.last_line,
            command: a
                .command
                .as_ref()
                .map(|c| c.text.clone())
                .unwrap_or_default(),
            in_pod: matches!(a.client, Client::Pod { .. }),
        })
        .collect()
}

fn lines_of(text: &str, first: usize, last: usize) -> String {
    text.lines()
        .skip(first.saturating_sub(1))
        .take(last + 1 - first.min(last + 1))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// One source per output, with its command line (and any command lines
/// without output before it); a pod shell's session (`kubectl exec -it POD
/// -- sh` and the commands typed in it) stays in one file, since its outputs
/// need the line that says which pod they ran in.
fn files(text: &str) -> Vec<String> {
    let ps = pieces(text);
    let total = text.lines().count();
    let mut out: Vec<(String, bool)> = Vec::new();
    for (i, p) in ps.iter().enumerate() {
        let first = if i == 0 { 1 } else { p.first };
        let last = ps.get(i + 1).map_or(total, |n| n.first.saturating_sub(1));
        let part = lines_of(text, first, last.max(first));
        let opens_session = |t: &str| {
            t.lines().any(|l| {
                (l.contains("kubectl exec") || l.contains("kubectl run"))
                    && (l.contains(" -it") || l.contains(" -ti"))
                    && (l.ends_with(" sh") || l.ends_with(" bash") || l.ends_with("/bin/sh"))
            })
        };
        match out.last_mut() {
            Some((last, session)) if p.in_pod && *session => last.push_str(&part),
            _ => {
                let session = p.in_pod || opens_session(&part);
                out.push((part, session));
                continue;
            }
        }
    }
    out.into_iter().map(|(t, _)| t).collect()
}

const STYLES: &[&str] = &[
    "$ ",
    "[root@k8s-master ~]# ",
    "root@k8s-node1:~# ",
    "ubuntu@ip-10-0-0-11:~$ ",
    "➜  ~ ",
    "❯ ",
    "bash-5.2$ ",
    "dev@laptop ~> ",
    "(kubernetes-admin@kubernetes|default) $ ",
    "[10:42:17] root@k8s-master:~# ",
    "PS C:\\Users\\dev> ",
];

/// Every host prompt rewritten in `style`.
fn restyled(text: &str, style: &str) -> String {
    let ps = pieces(text);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for p in ps.iter().filter(|p| p.has_command && !p.in_pod) {
        let Some(line) = lines.get_mut(p.first - 1) else {
            continue;
        };
        if let Some(pos) = line.find(&p.command) {
            *line = format!("{style}{}", &line[pos..]);
        }
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Messages of the C library and of wget in `zh_CN.UTF-8`, as the real
/// tools print them (`tests/fixtures/real/probes-curl-wget-nc-telnet.txt`).
const ZH: &[(&str, &str)] = &[
    ("failed: Connection refused.", "失败：拒绝连接。"),
    ("failed: Connection timed out.", "失败：连接超时。"),
    ("failed: No route to host.", "失败：没有到主机的路由。"),
    (
        "failed: Temporary failure in name resolution.",
        "失败：域名解析暂时失败。",
    ),
    (
        "HTTP request sent, awaiting response...",
        "已发出 HTTP 请求，正在等待回应...",
    ),
    ("... connected.", "... 已连接。"),
    ("Connecting to ", "正在连接 "),
    ("Resolving ", "正在解析主机 "),
    ("Giving up.", "放弃操作。"),
    (
        "wget: unable to resolve host address",
        "wget: 无法解析主机地址",
    ),
    ("remote host: Connection refused", "remote host: 拒绝连接"),
    (
        "remote host: No route to host",
        "remote host: 没有到主机的路由",
    ),
];

/// The probes' lines in a Chinese locale.
fn chinese(text: &str) -> Option<String> {
    let ps = pieces(text);
    let probes: Vec<(usize, usize)> = ps
        .iter()
        .filter(|p| p.kind == ArtifactKind::HttpProbe)
        .map(|p| (p.body, p.last))
        .collect();
    let mut changed = false;
    let out: String = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let no = i + 1;
            let mut line = line.to_string();
            if probes.iter().any(|(a, b)| (*a..=*b).contains(&no)) {
                for (en, zh) in ZH {
                    if line.contains(en) {
                        line = line.replace(en, zh);
                        changed = true;
                    }
                }
            }
            line + "\n"
        })
        .collect();
    changed.then_some(out)
}

/// Kinds whose content alone carries their facts.
fn distinctive(kind: ArtifactKind) -> bool {
    matches!(
        kind,
        ArtifactKind::K8sObjects
            | ArtifactKind::KubectlDescribe
            | ArtifactKind::Iptables
            | ArtifactKind::Nftables
            | ArtifactKind::Ipvs
            | ArtifactKind::KubeProxyLogs
            | ArtifactKind::CorednsLogs
            | ArtifactKind::Dig
            | ArtifactKind::Resolv
            | ArtifactKind::Sockets
            | ArtifactKind::ProcessList
    )
}

/// Command lines of distinctive outputs removed, each output set apart by
/// a blank line. None when no output qualifies.
fn bare(text: &str) -> Option<String> {
    let ps = pieces(text);
    let strip = |p: &Piece| p.has_command && !p.needs_command && distinctive(p.kind) && !p.in_pod;
    if !ps.iter().any(strip) {
        return None;
    }
    // A pod shell's session must stay whole: only outputs run from a host.
    let mut out = String::new();
    for p in &ps {
        if strip(p) {
            out.push('\n');
            out.push_str(&lines_of(text, p.body, p.last));
            out.push('\n');
        } else {
            out.push_str(&lines_of(text, p.first, p.last));
        }
    }
    Some(out)
}

#[test]
fn the_diagnosis_does_not_depend_on_presentation() {
    let cases = cases();
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, text) in &cases {
        let want = signature(&Input::from_text(text));
        let mut check = |transform: &str, input: Input| {
            checked += 1;
            let got = signature(&input);
            if got != want {
                if let Ok(dir) = std::env::var("METAMORPHIC_DUMP") {
                    // Set it to a folder to see the transformed texts.
                    let file = format!("{}-{transform}.txt", name.replace('/', "_"));
                    let text: String = input
                        .sources
                        .iter()
                        .map(|s| s.text.as_str())
                        .collect::<Vec<_>>()
                        .join("\n=====\n");
                    let _ = std::fs::create_dir_all(&dir);
                    let _ = std::fs::write(
                        Path::new(&dir).join(file.replace(['/', ':', ' '], "_")),
                        text,
                    );
                }
                failures.push(format!("{name} [{transform}]: {got} instead of {want}"));
            }
        };
        check("crlf", Input::from_text(&text.replace('\n', "\r\n")));
        let parts = files(text);
        let as_files = |parts: &[String]| Input {
            sources: parts
                .iter()
                .enumerate()
                .map(|(i, t)| svcdoctor_engine::Source {
                    name: Some(format!("output-{i}.txt")),
                    text: t.clone(),
                    kind: None,
                })
                .collect(),
            ..Input::from_text("")
        };
        if parts.len() > 1 {
            check("files", as_files(&parts));
            let mut reversed = parts.clone();
            reversed.reverse();
            check("reversed", as_files(&reversed));
        }
        for style in STYLES {
            check(
                &format!("prompt:{style}"),
                Input::from_text(&restyled(text, style)),
            );
        }
        if let Some(b) = bare(text) {
            check("bare", Input::from_text(&b));
        }
        if let Some(zh) = chinese(text) {
            check("zh", Input::from_text(&zh));
        }
    }
    println!(
        "metamorphic: {checked} transformed diagnoses of {} cases, {} differ",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} transforms change the diagnosis:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
