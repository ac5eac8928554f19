//! Small outputs: HTTP/TCP probes (curl, wget, nc, telnet), process lists
//! (`ps -ef`, busybox `ps`) and listening sockets (`ss -lntp`, `netstat
//! -tlnp`).

use crate::model::ProbeOutcome;
use crate::model::{Model, Probe, Process, Socket};
use crate::parse::Context;
use crate::report::Severity;

/// Options of curl/wget/nc that take a value.
const VALUE_OPTIONS: &[&str] = &[
    "-m",
    "--max-time",
    "--connect-timeout",
    "-H",
    "--header",
    "-X",
    "--request",
    "-o",
    "--output",
    "-w",
    "--write-out",
    "-d",
    "--data",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "--resolve",
    "-T",
    "-t",
    "--tries",
    "-e",
    "--execute",
    "-P",
    "--post-data",
    "-O",
    "-w",
    "-q",
    "--timeout",
    "-U",
];

/// Host and port of a URL or `host:port`, with the scheme's default port.
pub fn host_port(target: &str) -> (Option<String>, Option<u32>) {
    let (scheme, rest) = match target.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, target),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, p)) => (
                h.to_string(),
                p.strip_prefix(':').and_then(|p| p.parse().ok()),
            ),
            None => (v6.to_string(), None),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h.to_string(), p.parse().ok()),
            _ => (authority.to_string(), None),
        }
    };
    let default = match scheme {
        Some("https") => Some(443),
        Some("http") | None => Some(80),
        _ => None,
    };
    ((!host.is_empty()).then_some(host), port.or(default))
}

pub fn parse_probe(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let Some(&(first, _)) = body.first() else {
        return;
    };
    let last = body.last().map_or(first, |(n, _)| *n);
    let cmd = cx.tool_command();
    let tool = cmd
        .as_ref()
        .map(|c| c.program.clone())
        .unwrap_or_else(|| "curl".into());
    let mut probe = Probe {
        tool: tool.clone(),
        origin: cx.origin([first, last]),
        ..Probe::default()
    };
    if let Some(cmd) = &cmd {
        let mut positional = Vec::new();
        let mut iter = cmd.args.iter();
        while let Some(a) = iter.next() {
            if VALUE_OPTIONS.contains(&a.as_str()) {
                iter.next();
            } else if !a.starts_with('-') {
                positional.push(a.clone());
            }
        }
        if matches!(tool.as_str(), "nc" | "ncat" | "telnet") {
            probe.host = positional.first().cloned();
            probe.port = positional.get(1).and_then(|p| p.parse().ok());
            probe.target = match (&probe.host, probe.port) {
                (Some(h), Some(p)) => Some(format!("{h}:{p}")),
                (Some(h), None) => Some(h.clone()),
                _ => None,
            };
        } else if let Some(t) = positional.iter().find(|p| p.contains("://")).or_else(|| {
            positional
                .iter()
                .find(|p| !p.bytes().all(|b| b.is_ascii_digit()))
        }) {
            probe.target = Some(t.clone());
            let (h, p) = host_port(t);
            probe.host = h;
            probe.port = p;
        }
    }
    let repeated = cmd.as_ref().is_some_and(|c| c.repeated);
    let (mut answered, mut failed) = (false, false);
    for (no, raw) in &body {
        let line = raw.trim().trim_start_matches(['<', '>', '*']).trim();
        let Some((outcome, status)) = probe_outcome(line) else {
            continue;
        };
        // Each attempt ends in a status line, `-w`'s code or curl's error.
        let closes_attempt =
            line.starts_with("HTTP/") || line.starts_with("curl: (") || line.len() == 3;
        if repeated && closes_attempt {
            if outcome == ProbeOutcome::Ok && status.is_none_or(|s| s < 500) {
                answered = true;
            } else {
                failed = true;
            }
        }
        if status.is_some() {
            probe.status = status;
        }
        // An answer wins over earlier retries that failed; `-w`'s `000`
        // says less than the error curl printed before it.
        let vaguer = outcome == ProbeOutcome::Failed && probe.outcome.is_some();
        if probe.outcome != Some(ProbeOutcome::Ok) && !vaguer {
            probe.outcome = Some(outcome);
            probe.detail = Some(line.to_string());
            probe.origin = cx.origin([*no, *no]);
        }
    }
    probe.intermittent = answered && failed;
    // kube-proxy's health check: `{"service":{"namespace":"default","name":
    // "web"},"localEndpoints":0,...}` (503 when there is none).
    probe.health_check = body.iter().find_map(|(no, raw)| {
        let line = raw.trim();
        if !line.starts_with('{') || !line.contains("\"localEndpoints\"") {
            return None;
        }
        let value: serde_json::Value = serde_json::from_str(line).ok()?;
        let field = |k: &str| value["service"][k].as_str().map(str::to_string);
        Some(crate::model::HealthCheck {
            namespace: field("namespace"),
            name: field("name"),
            local_endpoints: u32::try_from(value["localEndpoints"].as_u64()?).ok()?,
            origin: cx.origin([*no, *no]),
        })
    });
    // `curl -s URL` and `wget -qO- URL` print only the body: a body is an
    // answer. Only for silent commands, and never a line of the tools' or
    // kubectl's own (progress rows, `--DATE--  URL`, `command terminated`).
    let silent = cmd.as_ref().is_some_and(|c| {
        c.args.iter().any(|a| {
            a == "--silent"
                || a == "--quiet"
                || (a.starts_with('-')
                    && !a.starts_with("--")
                    && a.contains(if c.program == "curl" { 's' } else { 'q' }))
        })
    });
    if probe.outcome.is_none() && silent && matches!(probe.tool.as_str(), "curl" | "wget") {
        let answer = body.iter().find(|(_, raw)| {
            let line = raw.trim();
            !line.is_empty()
                && !line.starts_with(['%', '*', '^'])
                && !line.contains("curl:")
                && !line.contains("wget:")
                && !line.contains("command terminated")
                && !line.contains("--:--:--")
                && !line.starts_with("--20")
                && !line.starts_with("Connecting to")
                && !line.starts_with("Resolving")
                && !line.starts_with("Dload")
        });
        if let Some((no, raw)) = answer {
            probe.outcome = Some(ProbeOutcome::Ok);
            probe.detail = Some(raw.trim().to_string());
            probe.origin = cx.origin([*no, *no]);
        }
    }
    if probe.outcome.is_none() {
        cx.say(
            first,
            Severity::Info,
            crate::text!(
                "no answer, refusal or timeout found in this probe output",
                "这段探测输出中没有应答、拒绝或超时"
            ),
            &[],
        );
    }
    model.probes.push(probe);
}

/// What one line of curl, wget, nc, ncat or telnet output says of the
/// connection, in English or in a Chinese locale (wget, telnet and curl -v
/// print the C library's messages in the user's language): `ok` (with the
/// HTTP status where the line has one), `refused`, `timeout`, `dns`,
/// `no-route`, `reset`, or `failed` (curl's `-w '%{http_code}'` printing
/// `000`: no answer, cause not shown).
fn probe_outcome(line: &str) -> Option<(ProbeOutcome, Option<u32>)> {
    let lower = line.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if let Some(rest) = line.strip_prefix("HTTP/") {
        let status = rest.split_whitespace().nth(1).and_then(|s| s.parse().ok());
        return Some((ProbeOutcome::Ok, status));
    }
    // wget: `HTTP request sent, awaiting response... 200 OK`.
    if has(&["awaiting response..."]) || line.contains("正在等待回应...") {
        let status = line
            .rsplit("...")
            .next()
            .and_then(|s| s.split_whitespace().next()?.parse().ok());
        return Some((ProbeOutcome::Ok, status));
    }
    // `curl -w '%{http_code}'` alone on its line.
    // wget: `Resolving web (web)... failed: Connection timed out.` is the
    // name lookup timing out, not the connection.
    if (line.starts_with("Resolving ") || line.starts_with("正在解析主机"))
        && (lower.contains("failed") || line.contains("失败"))
    {
        return Some((ProbeOutcome::Dns, None));
    }
    // curl: `(28) Resolving timed out after 5000 milliseconds`.
    if has(&["resolving timed out", "resolving host timed out"]) {
        return Some((ProbeOutcome::Dns, None));
    }
    // `-w '%{http_code}'` alone, or glued to kubectl's `command terminated
    // with exit code N` when the code ends without a newline.
    let code = line
        .get(..3)
        .filter(|c| c.bytes().all(|b| b.is_ascii_digit()));
    if let Some(code) =
        code.filter(|_| line.len() == 3 || line[3..].starts_with("command terminated"))
    {
        return Some(match code.parse::<u32>() {
            Ok(0) | Err(_) => (ProbeOutcome::Failed, None),
            Ok(code) => (ProbeOutcome::Ok, Some(code)),
        });
    }
    if has(&["connection refused"]) || line.contains("拒绝连接") {
        return Some((ProbeOutcome::Refused, None));
    }
    if has(&["timed out", "timeout was reached"]) || line.contains("连接超时") {
        return Some((ProbeOutcome::Timeout, None));
    }
    if has(&[
        "could not resolve host",
        "bad address",
        "name or service not known",
        "unable to resolve",
        "temporary failure in name resolution",
        "getaddrinfo",
    ]) || ["域名解析暂时失败", "无法解析主机地址", "未知的名称或服务"]
        .iter()
        .any(|w| line.contains(w))
    {
        return Some((ProbeOutcome::Dns, None));
    }
    if has(&[
        "no route to host",
        "network is unreachable",
        "host is unreachable",
    ]) || line.contains("没有到主机的路由")
        || line.contains("网络不可达")
    {
        return Some((ProbeOutcome::NoRoute, None));
    }
    if has(&["connection reset", "empty reply"]) || line.contains("连接被对方重置") {
        return Some((ProbeOutcome::Reset, None));
    }
    // curl 7.8x and later: `curl: (7) Failed to connect to H port P after N ms:
    // Couldn't connect to server`, which is what a refusal prints (the reason
    // is on `curl -v`'s `connect to ... failed:` line, read above).
    if has(&["couldn't connect to server", "failed to connect to"]) {
        return Some((ProbeOutcome::Refused, None));
    }
    // nc: `Connection to web (10.96.0.20) 80 port [tcp/http] succeeded!`;
    // traditional netcat: `web [10.96.0.20] 80 (http) open`; telnet, ncat
    // and curl -v: `Connected to web (10.96.0.20) ...`; wget: `...:80... connected.`
    if lower.contains("succeeded!")
        || lower.ends_with(") open")
        || lower.starts_with("connected to ")
        || lower.starts_with("ncat: connected to ")
        || lower.ends_with("... connected.")
        || line.ends_with("... 已连接。")
    {
        return Some((ProbeOutcome::Ok, None));
    }
    None
}

/// Programs whose processes the rules care about.
fn known_program(cmd: &str) -> Option<&'static str> {
    let first = cmd.split_whitespace().next().unwrap_or("");
    let base = first.rsplit('/').next().unwrap_or(first);
    Some(match base {
        "kube-proxy" => "kube-proxy",
        "coredns" => "coredns",
        "cilium-agent" => "cilium-agent",
        "kubelet" => "kubelet",
        "calico-node" => "calico-node",
        "flanneld" => "flanneld",
        "kube-router" => "kube-router",
        "k3s" if cmd.contains("server") || cmd.contains("agent") => "k3s",
        _ => return None,
    })
}

pub fn parse_processes(cx: &mut Context<'_>, model: &mut Model) {
    // Column of the command: 8th for `ps -ef` (UID PID PPID C STIME TTY TIME
    // CMD), 4th for busybox (PID USER TIME COMMAND), from the header if any.
    let mut cmd_col = None;
    let mut pid_col = 1;
    let mut user_col = 0;
    for (no, raw) in cx.body() {
        let words: Vec<&str> = raw.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if words.iter().any(|w| matches!(*w, "CMD" | "COMMAND")) && words.contains(&"PID") {
            cmd_col = words.iter().position(|w| matches!(*w, "CMD" | "COMMAND"));
            pid_col = words.iter().position(|w| *w == "PID").unwrap_or(1);
            user_col = words
                .iter()
                .position(|w| matches!(*w, "UID" | "USER"))
                .unwrap_or(0);
            continue;
        }
        let col = cmd_col.unwrap_or(
            if words.get(1).is_some_and(|w| w.parse::<u32>().is_ok()) && words.len() >= 8 {
                7
            } else if words.first().is_some_and(|w| w.parse::<u32>().is_ok()) && words.len() >= 4 {
                pid_col = 0;
                user_col = 1;
                3
            } else {
                0
            },
        );
        let command = words.get(col..).map(|w| w.join(" ")).unwrap_or_default();
        if command.is_empty() {
            cx.say(
                no,
                Severity::Info,
                crate::text!("process line without a command", "进程行中没有命令"),
                &[],
            );
            continue;
        }
        model.processes.push(Process {
            user: (col > 0)
                .then(|| words.get(user_col).map(|s| s.to_string()))
                .flatten(),
            pid: words.get(pid_col).and_then(|p| p.parse().ok()),
            program: known_program(&command).map(str::to_string),
            is_grep: command.starts_with("grep ")
                || command.starts_with("/usr/bin/grep ")
                || command == "grep",
            command,
            origin: cx.origin([no, no]),
        });
    }
}

pub fn parse_sockets(cx: &mut Context<'_>, model: &mut Model) {
    let udp_only = cx.tool_command().is_some_and(|c| {
        c.args.iter().any(|a| {
            a.starts_with('-') && !a.starts_with("--") && a.contains('u') && !a.contains('t')
        })
    });
    for (no, raw) in cx.body() {
        let words: Vec<&str> = raw.split_whitespace().collect();
        let Some(first) = words.first() else { continue };
        if matches!(*first, "State" | "Proto" | "Netid" | "Active") {
            continue;
        }
        let (protocol, local, state, process) =
            if matches!(*first, "tcp" | "tcp6" | "udp" | "udp6") && words.len() >= 4 {
                if words.get(1).is_some_and(|w| w.parse::<u64>().is_ok()) {
                    // netstat: Proto Recv-Q Send-Q Local Foreign State PID/Program
                    let state = words
                        .get(5)
                        .filter(|s| s.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
                    // `1/nginx: master pro`: the first `PID/name` word after the addresses.
                    let process = words.iter().skip(5).find_map(|w| {
                        let (pid, name) = w.split_once('/')?;
                        pid.parse::<u32>().ok()?;
                        Some(name.trim_end_matches(':').to_string())
                    });
                    (
                        first.trim_end_matches('6').to_ascii_uppercase(),
                        words[3],
                        state.map(|s| s.to_string()),
                        process,
                    )
                } else {
                    // ss with a Netid column: Netid State Recv-Q Send-Q Local Peer
                    (
                        first.to_ascii_uppercase(),
                        words.get(4).copied().unwrap_or(""),
                        words.get(1).map(|s| s.to_string()),
                        ss_process(&words),
                    )
                }
            } else if words.len() >= 4 {
                // ss: State Recv-Q Send-Q Local Peer Process
                let proto = if udp_only { "UDP" } else { "TCP" };
                (
                    proto.to_string(),
                    words[3],
                    Some(first.to_string()),
                    ss_process(&words),
                )
            } else {
                cx.say(
                    no,
                    Severity::Info,
                    crate::text!("socket line not understood", "无法理解的套接字行"),
                    &[],
                );
                continue;
            };
        let (address, port) = match local.rsplit_once(':') {
            Some((a, p)) => (a.trim_matches(['[', ']']).to_string(), p.parse().ok()),
            None => (local.to_string(), None),
        };
        model.sockets.push(Socket {
            protocol,
            state,
            local_address: address,
            local_port: port,
            process,
            origin: cx.origin([no, no]),
        });
    }
}

/// `users:(("nginx",pid=1,fd=6))` -> `nginx`.
fn ss_process(words: &[&str]) -> Option<String> {
    let users = words.iter().find(|w| w.starts_with("users:"))?;
    users.split('"').nth(1).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            host_port("10.104.0.64:80"),
            (Some("10.104.0.64".into()), Some(80))
        );
        assert_eq!(
            host_port("http://web.default/healthz"),
            (Some("web.default".into()), Some(80))
        );
        assert_eq!(
            host_port("https://[fd00::1]:8443/x"),
            (Some("fd00::1".into()), Some(8443))
        );
        assert_eq!(host_port("https://api"), (Some("api".into()), Some(443)));
    }
}
