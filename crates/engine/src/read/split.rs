//! Splitting a paste into outputs at shell prompts and command lines.
//!
//! Transcripts interleave prompts, commands and output:
//!
//! ```text
//! [root@k8s-master ~]# kubectl get pods -o wide
//! NAME ...
//! / # nslookup web
//! Server: 10.96.0.10
//! ```
//!
//! Each command line starts a segment; the lines up to the next command line
//! are its output. The prompt tells where the command ran (a node's shell, or a
//! pod's shell opened by `kubectl run -it` / `kubectl exec -it`).

use crate::read::artifact::{ArtifactKind, Client};
use crate::read::command::Command;

/// A command and the lines it printed, before the kind is decided.
#[derive(Clone, Debug)]
pub struct Segment {
    pub command: Option<Command>,
    pub client: Client,
    /// 1-based line of the command, or of the first output line.
    pub first_line: usize,
    /// 1-based first and last output lines (inclusive); `body_start >
    /// last_line` when the command printed nothing.
    pub body_start: usize,
    pub last_line: usize,
    /// The file the output came from, after a `==> NAME <==` header (what
    /// `head`/`tail` print between files, and what the page writes before
    /// a dropped file).
    pub file: Option<String>,
}

/// Programs whose command lines are recognised without a prompt in front.
const KNOWN_PROGRAMS: &[&str] = &[
    "kubectl",
    "oc",
    "osc",
    "microk8s",
    "microk8s.kubectl",
    "k3s",
    "nslookup",
    "dig",
    "host",
    "curl",
    "wget",
    "nc",
    "ncat",
    "telnet",
    "cat",
    "ps",
    "ss",
    "netstat",
    "iptables",
    "iptables-save",
    "iptables-legacy-save",
    "iptables-nft-save",
    "ip6tables-save",
    "ipvsadm",
    "nft",
    "journalctl",
    "crictl",
    "docker",
    "systemctl",
    "sudo",
    "ping",
    "getent",
    "sysctl",
    "lsmod",
    "grep",
    "modprobe",
    "conntrack",
    "cilium",
    "cilium-dbg",
    "hubble",
    "ip6tables",
];

/// Lines that shells and kubectl print around interactive sessions: they are
/// not output of the command before them.
const NOISE: &[&str] = &[
    "If you don't see a command prompt, try pressing enter.",
    "Session ended, resume using",
    "Defaulted container",
    "Unable to use a TTY",
];

fn is_noise(line: &str) -> bool {
    let line = line.trim_start();
    // The collector's notes (`==> svcdoctor: exit 1`) belong to no output.
    NOISE.iter().any(|n| line.starts_with(n))
        || line
            .strip_prefix(MARKER)
            .is_some_and(|note| note.starts_with("exit ") || note.starts_with("the temporary pod"))
}

/// The file named by a `==> NAME <==` header line.
pub fn file_header(line: &str) -> Option<&str> {
    let name = line
        .trim_end()
        .strip_prefix("==> ")?
        .strip_suffix(" <==")?
        .trim();
    (!name.is_empty() && !name.starts_with("svcdoctor:")).then_some(name)
}

/// A recognised prompt: where the command ran, and the command text.
#[derive(Debug, PartialEq, Eq)]
struct Prompt<'a> {
    host: Option<&'a str>,
    /// `/ #`-style prompt of a minimal container shell.
    container_style: bool,
    command: &'a str,
}

fn first_word(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or("")
}

fn is_known_program(word: &str) -> bool {
    let word = word.rsplit('/').next().unwrap_or(word);
    KNOWN_PROGRAMS.contains(&word)
}

/// The section marker of svcdoctor's collector (`collect.sh`).
const MARKER: &str = "==> svcdoctor: ";

/// Looks for a shell prompt at the start of a line.
fn prompt(line: &str) -> Option<Prompt<'_>> {
    let trimmed = line.trim_start();
    // Most lines of big dumps (`-A KUBE-...`, `:KUBE-...`, addresses) cannot
    // start a prompt: skip them at once.
    if trimmed.starts_with(['-', ':', '{', '}', '"', '|', '\t'])
        || trimmed.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    if let Some(command) = trimmed.strip_prefix(MARKER) {
        let is_note = command.starts_with("exit ") || command.starts_with("the temporary pod");
        if !is_note {
            return Some(Prompt {
                host: None,
                container_style: false,
                command: command.trim(),
            });
        }
    }
    // `[user@host dir]# cmd`, also with the `[` lost in copying, or the
    // space after `#` (`[root@master ~]#kubectl ...`).
    for marker in ["]# ", "]$ ", "]% ", "]#", "]$"] {
        if let Some(pos) = trimmed.find(marker) {
            let head = &trimmed[..pos];
            let head = head.strip_prefix('[').unwrap_or(head);
            let glued = !marker.ends_with(' ');
            let rest = &trimmed[pos + marker.len()..];
            if glued && !is_known_program(first_word(rest)) {
                continue;
            }
            if pos < 100 && !head.contains(']') {
                if let Some((_, rest)) = head.split_once('@') {
                    let host = rest.split_whitespace().next().unwrap_or(rest);
                    return Some(Prompt {
                        host: Some(host),
                        container_style: false,
                        command: trimmed[pos + marker.len()..].trim(),
                    });
                }
            }
        }
    }
    // `user@host:path# cmd`, `user@host:~$ cmd`
    for marker in ["# ", "$ "] {
        if let Some(pos) = trimmed.find(marker) {
            let head = &trimmed[..pos];
            if !head.is_empty() && !head.contains(char::is_whitespace) {
                if let Some((_, rest)) = head.split_once('@') {
                    if let Some((host, _path)) = rest.split_once(':') {
                        // `root@web-7d4b9c6f5-abcde:/#`: a pod's shell.
                        let pod = looks_like_pod_name(host);
                        return Some(Prompt {
                            host: (!pod).then_some(host),
                            container_style: pod,
                            command: trimmed[pos + marker.len()..].trim(),
                        });
                    }
                }
            }
        }
    }
    // `/ # cmd`, `~ $ cmd`, `/app # cmd`: a container's shell.
    let mut words = trimmed.splitn(3, ' ');
    if let (Some(path), Some(sign), Some(rest)) = (words.next(), words.next(), words.next()) {
        if (path.starts_with('/') || path.starts_with('~'))
            && !path.contains(':')
            && matches!(sign, "#" | "$")
            && !rest.trim().is_empty()
        {
            return Some(Prompt {
                host: None,
                container_style: true,
                command: rest.trim(),
            });
        }
    }
    // `$ cmd`, `# cmd`, `> cmd`, `% cmd`, `PS C:\> cmd`
    if let Some(rest) = trimmed.strip_prefix("$ ") {
        let word = first_word(rest);
        if !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._/-=".contains(c))
        {
            return Some(Prompt {
                host: None,
                container_style: false,
                command: rest.trim(),
            });
        }
    }
    for sign in ["# ", "> ", "% "] {
        if let Some(rest) = trimmed.strip_prefix(sign) {
            if is_known_program(first_word(rest)) {
                return Some(Prompt {
                    host: None,
                    container_style: sign == "# ",
                    command: rest.trim(),
                });
            }
        }
    }
    if let Some(rest) = trimmed.strip_prefix("PS ") {
        if let Some((_, cmd)) = rest.split_once("> ") {
            if is_known_program(first_word(cmd)) {
                return Some(Prompt {
                    host: None,
                    container_style: false,
                    command: cmd.trim(),
                });
            }
        }
    }
    if let Some(found) = decorated_prompt(trimmed) {
        return Some(found);
    }
    // A bare command line: `kubectl get pods`.
    let word = first_word(trimmed);
    if is_known_program(word) && trimmed.len() > word.len() && !looks_like_output(trimmed) {
        return Some(Prompt {
            host: None,
            container_style: false,
            command: trimmed.trim(),
        });
    }
    None
}

/// Characters that end a prompt in the shells people use: sh, bash, zsh,
/// fish, PowerShell and cmd, starship (`❯`), oh-my-zsh (`➜`), others (`λ`,
/// `»`).
const PROMPT_ENDS: &[char] = &['$', '#', '>', '%', '❯', '➜', 'λ', '»'];

/// Any other prompt in front of a known program: `bash-5.2$ kubectl ...`,
/// `(kubernetes-admin@kubernetes|default) $ kubectl ...`, `➜  ~ git:(main) ✗
/// kubectl ...`, `❯ curl ...`, `user@host ~> dig ...`, `[10:42:17]
/// root@node1:~# iptables-save`, `node1:~# ps`, `C:\> kubectl ...`. The
/// words before the program must end with a prompt character (or the line
/// start with `➜`, `❯` or `λ`), be few, and hold no `=` or `:` followed by
/// a space, as output lines would.
fn decorated_prompt(line: &str) -> Option<Prompt<'_>> {
    let themed = line.starts_with(['➜', '❯', 'λ']);
    let mut prefix_end = None;
    for (count, (start, word)) in word_spans(line).enumerate() {
        if count > 7 {
            return None;
        }
        if count > 0 && is_known_program(word) {
            let head = line[..start].trim_end();
            let ends = head.ends_with(PROMPT_ENDS);
            if (ends || themed) && !head.contains(": ") && !head.contains('=') {
                prefix_end = Some((start, head));
            }
            break;
        }
    }
    let (start, head) = prefix_end?;
    // The host, from a `user@host` part of the prompt.
    let host = head
        .split_whitespace()
        .find_map(|w| w.split_once('@').map(|(_, rest)| rest))
        .map(|rest| {
            rest.split([':', ' ', '|', ')', ']'])
                .next()
                .unwrap_or(rest)
                .trim_end_matches(PROMPT_ENDS)
        })
        .filter(|h| !h.is_empty() && !h.contains('('));
    // kube-ps1 and similar show `user@cluster`: a context, not a host.
    let host = host.filter(|_| !head.starts_with('('));
    let pod_like = host.is_some_and(looks_like_pod_name)
        || head.starts_with("sh-")
        || head
            .split_whitespace()
            .last()
            .is_some_and(|w| w.len() > 1 && w.starts_with('/'));
    Some(Prompt {
        host: host.filter(|h| !looks_like_pod_name(h)),
        container_style: pod_like,
        command: line[start..].trim(),
    })
}

/// The prompt in front of a command line, when the line starts with one
/// (`[root@k8s-master ~]# `, `(admin@prod|shop) $ `): for masking the
/// names it shows.
pub fn prompt_head(line: &str) -> Option<&str> {
    let found = prompt(line)?;
    let at = (found.command.as_ptr() as usize).checked_sub(line.as_ptr() as usize)?;
    line.get(..at)
}

/// The namespace a kube-ps1-style prompt shows: `(context|namespace) $`,
/// `(⎈|context:namespace) $`.
fn context_namespace(line: &str) -> Option<&str> {
    let inner = line.trim_start().strip_prefix('(')?;
    let inner = &inner[..inner.find(')')?];
    let ns = inner.rsplit(['|', ':']).next()?.trim();
    let label = !ns.is_empty()
        && ns.len() <= 63
        && ns
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && inner.contains(['|', ':']);
    label.then_some(ns)
}

/// The words of a line with their byte offsets.
fn word_spans(line: &str) -> impl Iterator<Item = (usize, &str)> {
    line.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
}

/// A name the Deployment and ReplicaSet controllers give pods
/// (`web-7d4b9c6f5-abcde`): a prompt with such a host is a pod's shell.
/// (A StatefulSet's `db-0` is too much like a machine's name to tell.)
fn looks_like_pod_name(host: &str) -> bool {
    let parts: Vec<&str> = host.split('-').collect();
    let generated = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len())
            && s.bytes()
                .all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b))
    };
    match parts.as_slice() {
        [.., hash, suffix] if parts.len() >= 3 => generated(hash, 6, 10) && generated(suffix, 5, 5),
        _ => false,
    }
}

/// An interactive shell program: `sh`, `/bin/ash`, `/usr/bin/bash`, `zsh`.
fn is_shell(program: &str) -> bool {
    matches!(
        program.rsplit('/').next().unwrap_or(program),
        "sh" | "bash" | "ash" | "zsh" | "dash"
    )
}

/// Output lines that begin with a program's name but are not commands.
fn looks_like_output(line: &str) -> bool {
    let word = first_word(line);
    // A program's banner with its version: `conntrack v1.4.7
    // (conntrack-tools): 2 flow entries have been shown.`
    let banner = line
        .split_whitespace()
        .nth(1)
        .and_then(|w| w.strip_prefix('v'))
        .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()) && v.contains('.'));
    word.ends_with(':')
        || banner
        || line.contains(": can't ")
        || line.contains(" command not found")
}

/// Splits the lines of one source into segments.
pub fn split(lines: &[&str]) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut current: Option<Segment> = None;
    // The pod whose shell the user is in, after `kubectl run -it` / `exec -it`.
    let mut session: Option<Client> = None;
    let mut host: Option<String> = None;
    let mut file: Option<String> = None;
    let mut file_client: Option<Client> = None;
    for (i, line) in lines.iter().enumerate() {
        let no = i + 1;
        if is_noise(line) {
            continue;
        }
        // Another file: what follows is its output, from no known shell.
        if let Some(name) = file_header(line) {
            // The files of one `head`/`tail` command were read where the
            // command ran.
            if let Some(seg) = current.take() {
                file_client = Some(seg.client.clone());
                segments.push(seg);
            }
            file = Some(name.to_string());
            continue;
        }
        let Some(found) = prompt(line) else {
            match current.as_mut() {
                Some(seg) => seg.last_line = no,
                None => {
                    current = Some(Segment {
                        command: None,
                        client: file_client.clone().unwrap_or(Client::Unknown),
                        first_line: no,
                        body_start: no,
                        last_line: no,
                        file: file.clone(),
                    })
                }
            }
            continue;
        };
        if let Some(seg) = current.take() {
            segments.push(seg);
        }
        file_client = None;
        let mut command = Command::parse(found.command);
        if let Some(cmd) = command.as_mut() {
            cmd.context_namespace = context_namespace(line).map(str::to_string);
        }
        let mut client = if let Some(h) = found.host {
            // A host prompt leaves any pod shell.
            session = None;
            host = Some(h.to_string());
            Client::Host(h.to_string())
        } else if let Some(pod) = session.clone().filter(|_| found.container_style) {
            pod
        } else if found.container_style {
            Client::Pod {
                name: None,
                namespace: None,
            }
        } else {
            host.clone().map(Client::Host).unwrap_or_default()
        };
        if let Some(k) = command.as_ref().and_then(Command::kubectl) {
            let interactive = matches!(k.verb.as_str(), "run" | "exec" | "attach")
                && (k.inner.is_empty()
                    || matches!(
                        k.inner.first().map(String::as_str),
                        Some(shell) if is_shell(shell)
                    ));
            let pod = Client::Pod {
                name: k.names.first().cloned(),
                namespace: k.namespace.clone(),
            };
            if interactive {
                session = Some(pod);
            } else if k.verb == "exec" {
                // `kubectl exec POD -- cmd`: this one command runs in the pod.
                client = pod;
            }
        }
        if command
            .as_ref()
            .is_some_and(|c| matches!(c.program.as_str(), "exit" | "logout"))
        {
            session = None;
        }
        current = Some(Segment {
            command,
            client,
            first_line: no,
            body_start: no + 1,
            last_line: no,
            file: file.clone(),
        });
    }
    if let Some(seg) = current {
        segments.push(seg);
    }
    for seg in &mut segments {
        trim_blank(seg, lines);
    }
    segments
}

/// Splits a segment where pasted outputs of different kinds follow each other
/// without a prompt between them: at blank lines, when the block after the
/// blank line is clearly of another kind than the output so far. Blocks of
/// the same kind, or of no clear kind (a YAML document's second half, dig's
/// answer section), stay with the output before them.
pub fn at_format_boundaries(segment: Segment, lines: &[&str]) -> Vec<Segment> {
    let line = |no: usize| lines.get(no.wrapping_sub(1)).copied().unwrap_or("");
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for no in segment.body_start..=segment.last_line {
        let blank = line(no).trim().is_empty();
        // An error line of curl or wget starts an output of its own, even
        // glued to the one before (pasted without their command lines).
        if let (false, Some(s)) = (blank, start) {
            if no > s && starts_probe_error(line(no)) && !starts_probe_error(line(no - 1)) {
                blocks.push((s, no - 1));
                start = None;
            }
        }
        match (blank, start) {
            (false, None) => start = Some(no),
            (true, Some(s)) => {
                blocks.push((s, no - 1));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        blocks.push((s, segment.last_line));
    }
    if blocks.len() < 2 {
        return vec![segment];
    }
    let kind_of = |(s, e): (usize, usize)| {
        let body: Vec<&str> = (s..=e).map(line).collect();
        crate::read::detect::by_content(&body)
    };
    let mut current_kind = match &segment.command {
        Some(cmd) => {
            let body: Vec<&str> = (segment.body_start..=blocks[0].1).map(line).collect();
            crate::read::detect::detect(Some(cmd), &body)
        }
        None => kind_of(blocks[0]),
    };
    let mut out = Vec::new();
    let mut current = Segment {
        last_line: blocks[0].1,
        ..segment.clone()
    };
    // Resolver failure lines alone read as nslookup; beside dig's output
    // they are dig's (BIND 9.18 prints them before its header).
    let failures_only = |(s, e): (usize, usize)| {
        (s..=e)
            .map(line)
            .filter(|l| !l.trim().is_empty())
            .all(|l| crate::read::detect::resolver_failure(l).is_some())
    };
    let mut current_failures_only = segment.command.is_none() && failures_only(blocks[0]);
    for &block in &blocks[1..] {
        let mut kind = kind_of(block);
        // A probe's one-line JSON body (kube-proxy's health check after
        // `curl -i`'s headers and blank line) is its answer, not Kubernetes
        // objects (which kubectl prints over many lines).
        let one_json_line = block.0 == block.1 && {
            let l = line(block.0).trim();
            l.starts_with('{') && l.ends_with('}')
        };
        if current_kind == ArtifactKind::HttpProbe
            && kind == ArtifactKind::K8sObjects
            && current.command.is_some()
            && one_json_line
        {
            kind = ArtifactKind::HttpProbe;
        }
        if kind == ArtifactKind::Dig && current_failures_only {
            current_kind = ArtifactKind::Dig;
        } else if current_kind == ArtifactKind::Dig && failures_only(block) {
            kind = ArtifactKind::Dig;
        }
        current_failures_only = false;
        let other = kind != crate::read::artifact::ArtifactKind::Unknown
            && current_kind != crate::read::artifact::ArtifactKind::Unknown
            && kind != current_kind;
        if other {
            out.push(current);
            current = Segment {
                command: None,
                client: segment.client.clone(),
                first_line: block.0,
                body_start: block.0,
                last_line: block.1,
                file: segment.file.clone(),
            };
            current_kind = kind;
        } else {
            current.last_line = block.1;
            if current_kind == crate::read::artifact::ArtifactKind::Unknown {
                current_kind = kind;
            }
        }
    }
    out.push(current);
    out
}

/// `curl: (7) Failed to connect ...`, `wget: can't connect ...`: lines no
/// other output begins with.
fn starts_probe_error(line: &str) -> bool {
    let line = line.trim_start();
    line.strip_prefix("curl: (").is_some_and(|rest| {
        rest.split(')')
            .next()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }) || line.starts_with("wget: ")
}

/// Drops blank lines at both ends of a segment's output.
fn trim_blank(seg: &mut Segment, lines: &[&str]) {
    let blank = |no: usize| {
        lines
            .get(no - 1)
            .is_none_or(|l| l.trim().is_empty() || is_noise(l))
    };
    while seg.body_start <= seg.last_line && blank(seg.body_start) {
        seg.body_start += 1;
    }
    while seg.last_line >= seg.body_start && blank(seg.last_line) {
        seg.last_line -= 1;
    }
    if seg.command.is_some() && seg.last_line < seg.first_line {
        seg.last_line = seg.first_line;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Option<(Option<&str>, &str)> {
        prompt(line).map(|p| (p.host, p.command))
    }

    #[test]
    fn file_headers_start_outputs_that_keep_the_file_name() {
        assert_eq!(file_header("==> pods.yaml <=="), Some("pods.yaml"));
        assert_eq!(file_header("==> /tmp/a b.txt <==\r"), Some("/tmp/a b.txt"));
        assert_eq!(file_header("==> svcdoctor: kubectl get svc"), None);
        assert_eq!(file_header("==>  <=="), None);
        let text = "==> svc.yaml <==\nkind: Service\n==> resolv.conf <==\nnameserver 10.96.0.10\n$ kubectl get svc\nNAME\n";
        let lines: Vec<&str> = text.lines().collect();
        let segments = split(&lines);
        let got: Vec<_> = segments
            .iter()
            .map(|s| (s.first_line, s.last_line, s.file.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (2, 2, Some("svc.yaml")),
                (4, 4, Some("resolv.conf")),
                (5, 6, Some("resolv.conf"))
            ]
        );
        // `tail` of two files on a node: both outputs keep the node.
        let text = "[root@k8s-node1 ~]# tail -n 2 /etc/resolv.conf /tmp/x\n==> /etc/resolv.conf <==\nnameserver 10.96.0.10\n\n==> /tmp/x <==\nhello\n";
        let lines: Vec<&str> = text.lines().collect();
        let segments = split(&lines);
        assert_eq!(segments.len(), 3, "{segments:?}");
        for seg in &segments {
            assert_eq!(seg.client, Client::Host("k8s-node1".into()), "{seg:?}");
        }
        assert_eq!(segments[1].file.as_deref(), Some("/etc/resolv.conf"));
    }

    #[test]
    fn recognises_prompts() {
        assert_eq!(
            p("[root@k8s-master ~]# kubectl get pods,svc"),
            Some((Some("k8s-master"), "kubectl get pods,svc"))
        );
        assert_eq!(
            p("root@k8s-master ~]# kubectl run -it --rm --image=busybox:1.28.4 -- sh"),
            Some((
                Some("k8s-master"),
                "kubectl run -it --rm --image=busybox:1.28.4 -- sh"
            ))
        );
        assert_eq!(p("/ # nslookup web"), Some((None, "nslookup web")));
        assert_eq!(p("~ $ curl -I web"), Some((None, "curl -I web")));
        assert_eq!(
            p("root@web-0:/# cat /etc/resolv.conf"),
            Some((Some("web-0"), "cat /etc/resolv.conf"))
        );
        assert_eq!(p("$ kubectl get ep"), Some((None, "kubectl get ep")));
        assert_eq!(
            p("kubectl logs kube-proxy-x -n kube-system"),
            Some((None, "kubectl logs kube-proxy-x -n kube-system"))
        );
    }

    #[test]
    fn recognises_decorated_prompts() {
        let cases: &[(&str, Option<&str>, &str, bool)] = &[
            (
                "bash-5.2$ kubectl get pods",
                None,
                "kubectl get pods",
                false,
            ),
            ("sh-4.4# curl -I web", None, "curl -I web", true),
            (
                "(kubernetes-admin@kubernetes|default) $ kubectl get svc",
                None,
                "kubectl get svc",
                false,
            ),
            ("➜  ~ kubectl get ep web", None, "kubectl get ep web", false),
            (
                "➜  infra git:(main) ✗ kubectl get svc -A",
                None,
                "kubectl get svc -A",
                false,
            ),
            ("❯ curl -sS http://web", None, "curl -sS http://web", false),
            (
                "dev@laptop ~/src> kubectl get pods",
                Some("laptop"),
                "kubectl get pods",
                false,
            ),
            (
                "[10:42:17] root@k8s-node1:~# iptables-save",
                Some("k8s-node1"),
                "iptables-save",
                false,
            ),
            ("k8s-node1:~# ps -ef", None, "ps -ef", false),
            (
                "/app $ wget -qO- http://web",
                None,
                "wget -qO- http://web",
                true,
            ),
            ("C:\\> kubectl get pods", None, "kubectl get pods", false),
            (
                "PS C:\\Users\\dev> kubectl get svc",
                None,
                "kubectl get svc",
                false,
            ),
            (
                "root@web-7d4b9c6f5-x8kzp:/# curl localhost",
                None,
                "curl localhost",
                true,
            ),
            (
                "ubuntu@ip-10-0-0-11:~$ sudo iptables-save",
                Some("ip-10-0-0-11"),
                "sudo iptables-save",
                false,
            ),
        ];
        for (line, host, command, pod) in cases {
            let found = prompt(line).unwrap_or_else(|| panic!("no prompt in {line}"));
            assert_eq!((found.host, found.command), (*host, *command), "{line}");
            assert_eq!(found.container_style, *pod, "{line}");
        }
        // Output that mentions a program after a `#` or `>` is no prompt.
        for line in [
            "Events: <none>  # kubectl describe",
            "W1120 09:12:03 reflector.go:547] failed to list: Get x > curl",
            "-> 10.244.1.5:80 Masq 1 0 0",
            "Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local",
        ] {
            assert!(prompt(line).is_none(), "{line}");
        }
    }

    #[test]
    fn output_lines_are_not_prompts() {
        for line in [
            "# Generated by iptables-save v1.8.4 on Mon",
            "nameserver 10.96.0.10",
            "nslookup: can't resolve 'web'",
            "-A KUBE-SERVICES -d 10.96.0.1/32 -j KUBE-SVC-X",
            "  selector:",
            "# comment in yaml",
            "Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local",
            "curl: (7) Failed to connect to 10.0.0.1 port 80: Connection refused",
            "root 5842 2246 0 04:56 pts/1 00:00:00 grep --color=auto kube-proxy",
            "conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.",
        ] {
            assert_eq!(p(line), None, "{line}");
        }
    }

    #[test]
    fn tracks_pod_shells() {
        let text = "[root@m ~]# kubectl exec -it web-0 -n shop -- sh\n/ # nslookup web\nServer: 1.2.3.4\n[root@m ~]# kubectl get ep\nNAME\n";
        let lines: Vec<&str> = text.lines().collect();
        let segs = split(&lines);
        assert_eq!(segs.len(), 3);
        assert_eq!(
            segs[1].client,
            Client::Pod {
                name: Some("web-0".into()),
                namespace: Some("shop".into())
            }
        );
        assert_eq!((segs[1].body_start, segs[1].last_line), (3, 3));
        assert_eq!(segs[2].client, Client::Host("m".into()));
    }

    #[test]
    fn collector_markers_split_and_exec_runs_in_the_pod() {
        let text = "==> svcdoctor: kubectl exec client -n shop -- nslookup web\nServer: 10.96.0.10\n==> svcdoctor: exit 1\n\n==> svcdoctor: ipvsadm -ln\nsh: ipvsadm: not found\n";
        let lines: Vec<&str> = text.lines().collect();
        let segs = split(&lines);
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].command.as_ref().unwrap().program, "kubectl");
        assert_eq!((segs[0].body_start, segs[0].last_line), (2, 2));
        assert_eq!(
            segs[0].client,
            Client::Pod {
                name: Some("client".into()),
                namespace: Some("shop".into())
            }
        );
        assert_eq!(segs[1].command.as_ref().unwrap().program, "ipvsadm");
    }

    #[test]
    fn text_without_prompts_is_one_segment() {
        let lines = ["", "apiVersion: v1", "kind: Service", ""];
        let segs = split(&lines);
        assert_eq!(segs.len(), 1);
        assert_eq!((segs[0].body_start, segs[0].last_line), (2, 3));
    }
}
