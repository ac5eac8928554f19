//! kube-proxy and CoreDNS logs: klog text (`I1027 22:14:53.998163 5063
//! server.go:247] Using iptables Proxier.`), klog structured (`"Using
//! iptables Proxier"` with `key=value` pairs), JSON lines, or bare messages.

use crate::model::ProxyMode;
use crate::model::{CorednsLog, LogLine, Model, ProxyLog};
use crate::parse::Context;

/// One log line split into severity and message.
struct Entry<'a> {
    /// `I`, `W`, `E`, `F`, or `None` for a bare message.
    level: Option<char>,
    message: &'a str,
    structured: bool,
    json: bool,
}

fn entry(line: &str) -> Entry<'_> {
    let line = strip_log_prefix(line.trim());
    // `I1027 22:14:53.998163    5063 server.go:247] message`
    let mut chars = line.chars();
    if let (Some(level @ ('I' | 'W' | 'E' | 'F')), Some(d)) = (chars.next(), chars.next()) {
        if d.is_ascii_digit() {
            if let Some((_, message)) = line.split_once("] ") {
                let message = message.trim();
                return Entry {
                    level: Some(level),
                    message,
                    structured: message.starts_with('"'),
                    json: false,
                };
            }
        }
    }
    // A klog line whose header was cut off in pasting: `proxier.go:1484]
    // "Failed to execute iptables-restore" err=...`. Its level is lost; a
    // failure or an `err=` field reads as an error.
    if let Some((source, message)) = line.split_once("] ") {
        let is_source = source.split_once(".go:").is_some_and(|(file, no)| {
            !file.is_empty() && !file.contains(' ') && no.bytes().all(|b| b.is_ascii_digit())
        });
        if is_source {
            let message = message.trim();
            let failed =
                message.contains(" err=") || message.to_ascii_lowercase().contains("failed");
            return Entry {
                level: failed.then_some('E'),
                message,
                structured: message.starts_with('"'),
                json: false,
            };
        }
    }
    if line.starts_with('{') && line.contains("\"msg\"") {
        let level = if line.contains("\"level\":\"error\"") || line.contains("\"v\":0,\"err\"") {
            Some('E')
        } else {
            None
        };
        return Entry {
            level,
            message: line,
            structured: true,
            json: true,
        };
    }
    Entry {
        level: None,
        message: line,
        structured: false,
        json: false,
    }
}

/// A log line without what the tool that showed it put in front: `kubectl
/// logs --prefix` (`[pod/kube-proxy-x7k2p/kube-proxy] `), stern (`kube-proxy-x7k2p
/// kube-proxy `), journald (`Nov 20 09:12:03 k8s-node1 kube-proxy[812]: `)
/// and `kubectl logs --timestamps` (`2026-11-20T09:12:03.118406Z `).
pub fn strip_log_prefix(line: &str) -> &str {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix("[pod/") {
        if let Some((_, after)) = rest.split_once("] ") {
            // `--prefix --timestamps`: a time stamp may follow.
            return strip_log_prefix(after);
        }
    }
    // journald and syslog: month, day (`Nov  3` has two spaces), time,
    // host, `program[pid]:`.
    let words: Vec<&str> = line.split_whitespace().take(5).collect();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    if words.len() == 5
        && MONTHS.contains(&words[0])
        && words[2].matches(':').count() == 2
        && words[4].ends_with(':')
    {
        // The fifth word's end, by its place in the line.
        let end = words[4].as_ptr() as usize - line.as_ptr() as usize + words[4].len();
        return line[end..].trim_start();
    }
    // An RFC 3339 time stamp.
    if line.len() > 20 && line.as_bytes()[4] == b'-' && line.as_bytes()[10] == b'T' {
        if let Some((_, rest)) = line.split_once(' ') {
            return rest.trim_start();
        }
    }
    // stern: `POD CONTAINER ` before a klog header.
    let mut parts = line.splitn(3, ' ');
    if let (Some(pod), Some(container), Some(rest)) = (parts.next(), parts.next(), parts.next()) {
        let klog = rest.len() > 5
            && matches!(rest.as_bytes()[0], b'I' | b'W' | b'E' | b'F')
            && rest.as_bytes()[1..5].iter().all(u8::is_ascii_digit);
        if klog && pod.contains('-') && !container.is_empty() {
            return rest;
        }
    }
    line
}

/// The text between the first pair of double quotes of a structured message.
fn quoted(message: &str) -> &str {
    message
        .strip_prefix('"')
        .and_then(|m| m.split_once('"'))
        .map_or(message, |(m, _)| m)
}

/// The value of `key="value"` or `key=value` in a structured message.
fn field<'a>(message: &'a str, key: &str) -> Option<&'a str> {
    let at = message.find(&format!(" {key}="))?;
    let rest = &message[at + key.len() + 2..];
    if let Some(r) = rest.strip_prefix('"') {
        r.split('"').next()
    } else {
        rest.split_whitespace().next()
    }
}

fn mode_in(text: &str) -> Option<ProxyMode> {
    let lower = text.to_ascii_lowercase();
    for (needle, mode) in [
        ("using ipvs prox", ProxyMode::Ipvs),
        ("using iptables prox", ProxyMode::Iptables),
        ("using nftables prox", ProxyMode::Nftables),
        ("using userspace prox", ProxyMode::Userspace),
        ("using kernelspace prox", ProxyMode::Kernelspace),
        ("using winkernel prox", ProxyMode::Kernelspace),
    ] {
        if lower.contains(needle) {
            return Some(mode);
        }
    }
    None
}

/// Failures to reach or authenticate to the API server.
fn is_apiserver_failure(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    (lower.contains("dial tcp")
        && (lower.contains("refused")
            || lower.contains("i/o timeout")
            || lower.contains("no route")))
        || lower.contains("unauthorized")
        || lower.contains("x509:")
        || lower.contains("failed to list")
        || lower.contains("failed to watch")
        || lower.contains("unable to connect to the server")
        || (lower.contains("failed to retrieve node info") && lower.contains("connection"))
}

/// Failures to program the proxy rules.
fn is_sync_failure(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("iptables-restore")
        || lower.contains("failed to execute iptables")
        || lower.contains("sync failed")
        || lower.contains("syncproxyrules") && (lower.contains("fail") || lower.contains("error"))
        || lower.contains("failed to ensure")
        || lower.contains("ipvs") && lower.contains("fail")
        || lower.contains("nft ") && lower.contains("error")
        || lower.contains("conntrack") && lower.contains("fail")
}

pub fn parse_kube_proxy(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let Some(&(first, _)) = body.first() else {
        return;
    };
    let last = body.last().map_or(first, |(n, _)| *n);
    let mut log = ProxyLog {
        origin: cx.origin([first, last]),
        ..ProxyLog::default()
    };
    let (mut klog, mut structured, mut json) = (false, false, false);
    for (no, raw) in body {
        if raw.trim().is_empty() {
            continue;
        }
        let e = entry(raw);
        klog |= e.level.is_some() && !e.json;
        structured |= e.structured && !e.json;
        json |= e.json;
        let text = if e.structured && !e.json {
            quoted(e.message)
        } else {
            e.message
        };
        let here = LogLine {
            text: String::new(),
            origin: cx.origin([no, no]),
        };
        let line = |t: String| LogLine {
            text: t,
            ..here.clone()
        };
        if let Some(mode) = mode_in(text) {
            log.proxy_mode = Some(mode);
        }
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("can't use") && lower.contains("proxier") {
            log.requested_mode = text.split_whitespace().nth(2).map(str::to_string);
            log.fallback = true;
            log.errors.push(line(text.to_string()));
            continue;
        }
        if let Some(v) = text.strip_prefix("Version: ") {
            log.version = Some(v.trim().to_string());
        } else if text == "Version info" {
            log.version = field(e.message, "version").map(str::to_string);
        }
        if let Some(ip) = text.strip_prefix("Successfully retrieved node IP: ") {
            log.node_ips.push(ip.trim().to_string());
        } else if text.starts_with("Successfully retrieved node IP") {
            if let Some(ips) = e
                .message
                .split("IPs=[")
                .nth(1)
                .and_then(|r| r.split(']').next())
            {
                log.node_ips.extend(
                    ips.split(',')
                        .map(|ip| ip.trim().trim_matches('"').to_string()),
                );
            }
        }
        if let Some(rest) = text.strip_prefix("Adding new service ") {
            // `"default/kubernetes:https" at 10.0.0.1:443/TCP`
            let mut parts = rest.splitn(2, " at ");
            let name = parts.next().unwrap_or("").trim_matches('"').to_string();
            let addr = parts.next().unwrap_or("").trim().to_string();
            log.services_added.push((name, addr));
        }
        if let Some(rest) = text.strip_prefix("Setting endpoints for ") {
            let mut parts = rest.splitn(2, " to ");
            let name = parts.next().unwrap_or("").trim_matches('"').to_string();
            let list = parts
                .next()
                .unwrap_or("")
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']');
            let eps = list
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            log.endpoints_set.push((name, eps));
        }
        if let Some(rest) = text.split("remote out of the list: ").nth(1) {
            // `10.233.0.3:53/TCP/10.233.124.23:53`
            if let Some((vs, rs)) = rest.trim().rsplit_once('/') {
                log.graceful_termination_removed
                    .push((vs.to_string(), rs.to_string()));
            }
        }
        let detail = if e.structured && !e.json {
            match field(e.message, "err") {
                Some(err) => format!("{text}: {err}"),
                None => text.to_string(),
            }
        } else {
            text.to_string()
        };
        if is_apiserver_failure(e.message) {
            log.apiserver_unreachable = true;
        }
        if matches!(e.level, Some('E') | Some('F')) {
            if is_sync_failure(e.message) {
                log.sync_failures.push(line(detail.clone()));
            }
            log.errors.push(line(detail));
        } else if e.level == Some('W') {
            log.warnings.push(line(detail));
        } else if structured && text.contains(", but ") {
            // Structured advisories logged at info level.
            let with_family = match field(e.message, "ipFamily") {
                Some(f) => format!("{text} ({f})"),
                None => text.to_string(),
            };
            log.warnings.push(line(with_family));
        }
    }
    log.log_format = if json {
        "json"
    } else if structured {
        "klog structured"
    } else if klog {
        "klog text"
    } else {
        "message text only"
    }
    .to_string();
    model.proxy_logs.push(log);
}

pub fn parse_coredns(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let Some(&(first, _)) = body.first() else {
        return;
    };
    let last = body.last().map_or(first, |(n, _)| *n);
    let mut log = CorednsLog {
        origin: cx.origin([first, last]),
        ..CorednsLog::default()
    };
    for (no, raw) in body {
        let line = raw.trim();
        if let Some(v) = line.split("CoreDNS-").nth(1) {
            log.version = v.split_whitespace().next().map(str::to_string);
        }
        if line.contains("[FATAL] plugin/loop")
            || line.contains("Loop (") && line.contains("detected")
        {
            log.loop_detected = true;
        }
        let dial_failed = line.contains("dial tcp")
            && [
                "i/o timeout",
                "connection refused",
                "no route to host",
                "connection timed out",
            ]
            .iter()
            .any(|e| line.contains(e));
        let waiting = line.contains(r#"Still waiting on: "kubernetes""#)
            || line.contains(r#"Plugins not ready: "kubernetes""#);
        if dial_failed || waiting {
            log.api_unreachable.push(LogLine {
                text: line.to_string(),
                origin: cx.origin([no, no]),
            });
        }
        if line.contains("[ERROR]") || line.contains("[FATAL]") {
            log.errors.push(LogLine {
                text: line.to_string(),
                origin: cx.origin([no, no]),
            });
        }
    }
    model.coredns_logs.push(log);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        let e = entry("I1027 22:14:53.998163    5063 server.go:247] Using iptables Proxier.");
        assert_eq!(e.level, Some('I'));
        assert_eq!(e.message, "Using iptables Proxier.");
        let e = entry(
            r#"E1212 03:47:15.700364       1 server.go:234] "Kube-proxy configuration may be incomplete" err="x y""#,
        );
        assert!(e.structured);
        assert_eq!(
            quoted(e.message),
            "Kube-proxy configuration may be incomplete"
        );
        assert_eq!(field(e.message, "err"), Some("x y"));
    }

    #[test]
    fn api_failures() {
        assert!(is_apiserver_failure(
            "Failed to list *v1.Service: Get https://10.0.0.1:443/api/v1/services: dial tcp 10.0.0.1:443: connect: connection refused"
        ));
        assert!(!is_apiserver_failure("Using iptables Proxier."));
    }
}
