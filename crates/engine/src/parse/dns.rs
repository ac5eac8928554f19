//! DNS lookups: nslookup (busybox 1.28, newer busybox, BIND), `host`, and dig
//! (full output, several queries, `+short`).

use crate::model::DnsError;
use crate::model::{DnsAnswer, DnsLookup, DnsServer, Model};
use crate::parse::Context;
use crate::read::detect::{resolver_failure, ResolverFailure};
use crate::report::Severity;

/// The words of the lookup command (`nslookup web.default 10.96.0.10`),
/// also when run through `kubectl exec ... --`.
fn tool_args(cx: &Context<'_>) -> Option<(String, Vec<String>)> {
    let cmd = cx.tool_command()?;
    Some((cmd.program, cmd.args))
}

/// `nslookup [-option...] NAME [SERVER]`: the name and the server.
fn nslookup_args(args: &[String]) -> (Option<String>, Option<String>) {
    let mut positional = args.iter().filter(|a| !a.starts_with('-'));
    (positional.next().cloned(), positional.next().cloned())
}

/// Splits `10.96.0.10#53` (BIND) or `10.96.0.10:53` (busybox) into address
/// and port; an IPv6 address keeps its colons.
fn split_server(text: &str) -> (String, Option<u32>) {
    if let Some((ip, port)) = text.split_once('#') {
        return (ip.to_string(), port.parse().ok());
    }
    if text.matches(':').count() == 1 {
        if let Some((ip, port)) = text.split_once(':') {
            if let Ok(port) = port.parse() {
                return (ip.to_string(), Some(port));
            }
        }
    }
    if let Some(rest) = text.strip_prefix('[') {
        if let Some((ip, port)) = rest.split_once("]:") {
            return (ip.to_string(), port.parse().ok());
        }
    }
    (text.to_string(), None)
}

fn value_after<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.strip_prefix(key).map(str::trim)
}

/// An nslookup's output.
pub fn parse_nslookup(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let Some(&(first, _)) = body.first() else {
        return;
    };
    let last = body.last().map_or(first, |(n, _)| *n);
    let (program, args) = tool_args(cx).unwrap_or_default();
    let (query_arg, server_arg) = if program == "nslookup" || program == "host" {
        nslookup_args(&args)
    } else {
        (None, None)
    };
    let mut lookup = DnsLookup {
        tool: if program == "host" {
            "host".into()
        } else {
            "nslookup".into()
        },
        query: query_arg,
        origin: cx.origin([first, last]),
        ..DnsLookup::default()
    };
    let mut server = DnsServer::default();
    let mut in_answer = false;
    let mut current_name: Option<String> = None;
    let mut flavor = "";
    for (no, raw) in &body {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(v) = value_after(line, "Server:") {
            server.text = v.to_string();
            let (ip, port) = split_server(v);
            server.ip = Some(ip);
            server.port = port;
            in_answer = false;
        } else if let Some(rest) = line.strip_prefix("Address") {
            // `Address 1: ip [name]` (busybox 1.28), `Address: ip#53` / `ip:53`
            // (server, BIND / new busybox), `Address: ip` (answer).
            let numbered = rest
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit());
            let Some((_, value)) = rest.split_once(':') else {
                continue;
            };
            let mut words = value.split_whitespace();
            let Some(addr) = words.next() else {
                continue;
            };
            let ptr = words.next().map(str::to_string);
            if numbered {
                flavor = "busybox-1.28";
            }
            if in_answer {
                lookup.answers.push(DnsAnswer {
                    name: current_name.clone().unwrap_or_default(),
                    address: Some(addr.to_string()),
                    ptr: if numbered { ptr } else { None },
                    ..DnsAnswer::default()
                });
            } else {
                let (ip, port) = split_server(addr);
                if port.is_some() {
                    flavor = if addr.contains('#') {
                        "bind"
                    } else {
                        "busybox"
                    };
                }
                if server.ip.is_none() || server.ip.as_deref() == Some(ip.as_str()) {
                    server.ip = Some(ip);
                    server.port = server.port.or(port);
                    if numbered {
                        server.name = ptr;
                    }
                }
                if server.text.is_empty() {
                    server.text = addr.to_string();
                }
            }
        } else if let Some(v) = value_after(line, "Name:") {
            in_answer = true;
            current_name = Some(v.to_string());
        } else if let Some((alias, target)) = line.split_once("canonical name =") {
            lookup.answers.push(DnsAnswer {
                name: alias.trim().to_string(),
                rtype: Some("CNAME".into()),
                data: Some(target.trim().to_string()),
                ..DnsAnswer::default()
            });
        } else if line.starts_with("Non-authoritative answer")
            || line.starts_with("Authoritative answers")
        {
            in_answer = true;
        } else if line.starts_with("** server can't find") || line.starts_with("*** Can't find") {
            let kind = if line.ends_with("NXDOMAIN") {
                DnsError::Nxdomain
            } else if line.ends_with("SERVFAIL") {
                DnsError::Servfail
            } else if line.ends_with("REFUSED") {
                DnsError::Refused
            } else if line.ends_with("No answer") {
                DnsError::NoAnswer
            } else {
                DnsError::NotFound
            };
            if lookup.error_kind.is_none() || lookup.error_kind == Some(DnsError::NoAnswer) {
                lookup.error_kind = Some(kind);
            }
            if lookup.query.is_none() {
                lookup.query = failed_name(line);
            }
            lookup.error_text.push(line.to_string());
        } else if let Some(rest) = line.strip_prefix("nslookup: can't resolve") {
            let name = quoted(rest);
            // Alpine's BusyBox prints `can't resolve '(null)'` when the
            // server's own name has no PTR record: not about the query.
            if name.as_deref() != Some("(null)") {
                lookup.error_kind = Some(DnsError::CantResolve);
                if lookup.query.is_none() {
                    lookup.query = name;
                }
                lookup.error_text.push(line.to_string());
            }
        } else if let Some(failure) = resolver_failure(line) {
            lookup.error_kind = Some(failure_kind(failure, lookup.error_kind));
            lookup.error_text.push(line.to_string());
        } else if line.contains("Connection refused") || line.contains("connection refused") {
            lookup.error_kind = Some(DnsError::Refused);
            lookup.error_text.push(line.to_string());
        } else if let Some(addr) = line
            .split_once(" has address ")
            .or_else(|| line.split_once(" has IPv6 address "))
        {
            // `host` output.
            lookup.answers.push(DnsAnswer {
                name: addr.0.to_string(),
                address: Some(addr.1.trim().to_string()),
                ..DnsAnswer::default()
            });
        } else if let Some(rest) = line
            .strip_prefix("Host ")
            .filter(|r| r.contains(" not found: "))
        {
            // `host`: `Host web not found: 3(NXDOMAIN)`.
            let (name, reason) = rest.split_once(" not found: ").unwrap_or((rest, ""));
            lookup.error_kind = Some(if reason.contains("NXDOMAIN") {
                DnsError::Nxdomain
            } else if reason.contains("SERVFAIL") {
                DnsError::Servfail
            } else if reason.contains("REFUSED") {
                DnsError::Refused
            } else {
                DnsError::NotFound
            });
            if lookup.query.is_none() {
                lookup.query = Some(name.trim().to_string());
            }
            lookup.error_text.push(line.to_string());
        } else if let Some((alias, target)) = line.split_once(" is an alias for ") {
            lookup.answers.push(DnsAnswer {
                name: alias.trim().to_string(),
                rtype: Some("CNAME".into()),
                data: Some(target.trim().trim_end_matches('.').to_string()),
                ..DnsAnswer::default()
            });
        } else if line.starts_with("pod \"") && line.ends_with("deleted") {
            // `kubectl run --rm` trailer.
        } else {
            cx.say(
                *no,
                Severity::Info,
                crate::text!(
                    "line not understood as nslookup output: {line}",
                    "无法理解为 nslookup 输出的行：{line}"
                ),
                &[("line", line)],
            );
        }
    }
    if server.ip.is_none() {
        // A placeholder such as `<CoreDNS pod IP>` is no server.
        if let Some(s) = server_arg.filter(|s| !s.contains(['<', '>', '$'])) {
            let (ip, port) = split_server(&s);
            server = DnsServer {
                ip: Some(ip),
                port,
                name: None,
                text: s,
            };
        }
    }
    lookup.flavor = flavor.to_string();
    lookup.server = server.ip.is_some().then_some(server);
    lookup.resolved = lookup.answers.iter().any(|a| a.address.is_some());
    if lookup.resolved && lookup.error_kind == Some(DnsError::NoAnswer) {
        // `*** Can't find x: No answer` for AAAA after an A answer.
        lookup.error_kind = None;
    }
    if lookup.query.is_none() {
        // nslookup's `Name:`, or the name `host` answered for.
        lookup.query = current_name
            .clone()
            .or_else(|| lookup.answers.first().map(|a| a.name.clone()));
    }
    let first_answer = lookup
        .answers
        .iter()
        .find(|a| a.address.is_some())
        .map(|a| a.name.clone());
    if let (Some(q), Some(a)) = (&lookup.query, first_answer) {
        if a.trim_end_matches('.') != q.trim_end_matches('.') {
            lookup.canonical_name = Some(a);
        }
    }
    model.lookups.push(lookup);
}

/// The `error_kind` of a lookup after one more resolver failure line: a
/// try that timed out or was refused says which; the closing `no servers
/// could be reached` keeps what the tries said (a timeout when they said
/// nothing, as in BIND 9.8's one-line form).
fn failure_kind(failure: ResolverFailure, before: Option<DnsError>) -> DnsError {
    match (failure, before) {
        (ResolverFailure::TimedOut, _) => DnsError::Timeout,
        (ResolverFailure::Refused, Some(DnsError::Timeout)) => DnsError::Timeout,
        (ResolverFailure::Refused, _) => DnsError::Refused,
        (ResolverFailure::NoServers, Some(DnsError::Refused)) => DnsError::Refused,
        (ResolverFailure::NoServers, _) => DnsError::Timeout,
    }
}

/// The text between the first pair of quotes (`'x'` or `"x"`) of `text`.
fn quoted(text: &str) -> Option<String> {
    let start = text.find(['\'', '"'])?;
    let quote = text[start..].chars().next()?;
    let rest = &text[start + 1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_string()).filter(|s| !s.is_empty())
}

/// The name in `** server can't find NAME: NXDOMAIN`.
fn failed_name(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("** server can't find ")
        .or_else(|| line.strip_prefix("*** Can't find "))?;
    let (name, _) = rest.rsplit_once(':')?;
    Some(name.trim().to_string())
}

/// dig's output: one lookup per query; `+short` gives bare answers.
pub fn parse_dig(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let first = body.first().map_or(cx.artifact.first_line, |(n, _)| *n);
    let mut version = None;
    let mut args: Vec<String> = tool_args(cx).map(|(_, a)| a).unwrap_or_default();
    let mut lookups: Vec<DnsLookup> = Vec::new();
    let mut section = "";
    let mut short = true;
    let mut failing = false;
    let new_lookup = |no: usize, cx: &Context<'_>| DnsLookup {
        tool: "dig".into(),
        flavor: "bind".into(),
        origin: cx.origin([no, no]),
        ..DnsLookup::default()
    };
    for (no, raw) in &body {
        let line = raw.trim();
        if let Some(l) = lookups.last_mut() {
            if !line.is_empty() {
                l.origin.lines[1] = *no;
            }
        }
        if line.is_empty() {
            section = "";
            continue;
        }
        if line.starts_with(';') {
            short = false;
        }
        if line.starts_with(";; ->>HEADER<<-") {
            failing = false;
        }
        if let Some(rest) = line.strip_prefix("; <<>> DiG ") {
            let mut parts = rest.splitn(2, "<<>>");
            version = parts.next().map(|v| v.trim().to_string());
            if args.is_empty() {
                args = parts
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
            }
        } else if line.starts_with(";; ->>HEADER<<-") {
            let mut l = new_lookup(*no, cx);
            l.status = line
                .split("status:")
                .nth(1)
                .and_then(|s| s.split(',').next())
                .map(|s| s.trim().to_string());
            lookups.push(l);
        } else if let Some(rest) = line.strip_prefix(";; flags:") {
            if let Some(l) = lookups.last_mut() {
                l.flags = rest
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
            }
        } else if line.starts_with(";; QUESTION SECTION") {
            section = "question";
        } else if line.starts_with(";; ANSWER SECTION") {
            section = "answer";
        } else if line.starts_with(";; AUTHORITY SECTION")
            || line.starts_with(";; ADDITIONAL SECTION")
        {
            section = "other";
        } else if let Some(rest) = line.strip_prefix(";; Query time:") {
            if let Some(l) = lookups.last_mut() {
                l.query_time_ms = rest.split_whitespace().next().and_then(|n| n.parse().ok());
            }
        } else if let Some(rest) = line.strip_prefix(";; SERVER:") {
            if let Some(l) = lookups.last_mut() {
                let text = rest.trim().to_string();
                let (ip, port) = split_server(text.split('(').next().unwrap_or(""));
                l.server = Some(DnsServer {
                    ip: Some(ip),
                    port,
                    name: None,
                    text,
                });
            }
        } else if let Some(failure) = resolver_failure(line) {
            // BIND 9.18 prints a `communications error` line per try before
            // the `; <<>> DiG` header and `no servers could be reached`
            // after it: one failed lookup, closed by that last line.
            let l = match lookups.last_mut() {
                Some(l) if failing => l,
                _ => {
                    lookups.push(new_lookup(*no, cx));
                    failing = true;
                    lookups.last_mut().expect("just pushed")
                }
            };
            l.error_kind = Some(failure_kind(failure, l.error_kind));
            l.error_text.push(line.to_string());
            if failure == ResolverFailure::NoServers {
                failing = false;
            }
        } else if section == "question" && line.starts_with(';') {
            let words: Vec<&str> = line.trim_start_matches(';').split_whitespace().collect();
            if let Some(l) = lookups.last_mut() {
                l.query = words.first().map(|s| s.to_string());
                l.query_type = words.last().map(|s| s.to_string());
            }
        } else if section == "answer" && !line.starts_with(';') {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let (Some(l), [name, ttl, class, rtype, data @ ..]) =
                (lookups.last_mut(), words.as_slice())
            {
                l.answers.push(DnsAnswer {
                    name: name.to_string(),
                    address: matches!(*rtype, "A" | "AAAA").then(|| data.join(" ")),
                    ptr: None,
                    ttl: ttl.parse().ok(),
                    class: Some(class.to_string()),
                    rtype: Some(rtype.to_string()),
                    data: Some(data.join(" ")),
                });
            } else {
                cx.say(
                    *no,
                    Severity::Info,
                    crate::text!(
                        "answer line not understood: {line}",
                        "无法理解的应答行：{line}"
                    ),
                    &[("line", line)],
                );
            }
        } else if short && !line.starts_with(';') {
            // `dig +short`: one answer per line.
            if lookups.is_empty() {
                lookups.push(new_lookup(*no, cx));
            }
            if let Some(l) = lookups.last_mut() {
                let is_ip = line.parse::<std::net::IpAddr>().is_ok();
                l.answers.push(DnsAnswer {
                    name: String::new(),
                    address: is_ip.then(|| line.to_string()),
                    rtype: Some(if is_ip { "A" } else { "CNAME" }.into()),
                    data: Some(line.to_string()),
                    ..DnsAnswer::default()
                });
                l.status = Some("NOERROR".into());
            }
        }
    }
    if lookups.is_empty() && body.is_empty() {
        // `dig +short` that printed nothing: no answer.
        lookups.push(new_lookup(first, cx));
    }
    let (names, server, qtype) = dig_args(&args);
    for (i, l) in lookups.iter_mut().enumerate() {
        l.version = version.clone();
        if l.query.is_none() {
            l.query = names.get(i).cloned().or_else(|| names.first().cloned());
            l.query_type = Some(qtype.clone().unwrap_or_else(|| "A".into()));
        }
        if l.server.is_none() {
            if let Some(s) = &server {
                let (ip, port) = split_server(s);
                l.server = Some(DnsServer {
                    ip: Some(ip),
                    port,
                    name: None,
                    text: s.clone(),
                });
            }
        }
        l.resolved =
            l.status.as_deref() == Some("NOERROR") && l.answers.iter().any(|a| a.address.is_some());
        if l.error_kind.is_none() {
            l.error_kind = match l.status.as_deref() {
                Some("NXDOMAIN") => Some(DnsError::Nxdomain),
                Some("SERVFAIL") => Some(DnsError::Servfail),
                Some("REFUSED") => Some(DnsError::Refused),
                Some("NOERROR") if !l.resolved => Some(DnsError::NoAnswer),
                None if !l.resolved && l.answers.is_empty() => Some(DnsError::NoAnswer),
                _ => None,
            };
        }
    }
    if lookups.is_empty() {
        cx.say(
            first,
            Severity::Warning,
            crate::text!(
                "no query found in this dig output",
                "这段 dig 输出中没有查询"
            ),
            &[],
        );
    }
    model.lookups.extend(lookups);
}

/// dig's words: names asked, `@server`, and a record type.
fn dig_args(args: &[String]) -> (Vec<String>, Option<String>, Option<String>) {
    let mut names = Vec::new();
    let mut server = None;
    let mut qtype = None;
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        if let Some(s) = a.strip_prefix('@') {
            server = Some(s.to_string());
        } else if a.starts_with('+') {
        } else if a.starts_with('-') {
            if matches!(
                a.as_str(),
                "-p" | "-t" | "-c" | "-b" | "-f" | "-k" | "-q" | "-x" | "-y"
            ) {
                let v = iter.next();
                if a == "-t" {
                    qtype = v.cloned();
                }
            }
        } else if matches!(
            a.to_ascii_uppercase().as_str(),
            "A" | "AAAA" | "SRV" | "PTR" | "CNAME" | "TXT" | "MX" | "NS" | "SOA" | "ANY"
        ) {
            qtype = Some(a.to_ascii_uppercase());
        } else if a != "IN" {
            names.push(a.clone());
        }
    }
    (names, server, qtype)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers() {
        assert_eq!(split_server("10.0.0.10#53"), ("10.0.0.10".into(), Some(53)));
        assert_eq!(split_server("10.0.0.10:53"), ("10.0.0.10".into(), Some(53)));
        assert_eq!(split_server("fd00::a"), ("fd00::a".into(), None));
        assert_eq!(split_server("[fd00::a]:53"), ("fd00::a".into(), Some(53)));
    }

    #[test]
    fn dig_words() {
        let args: Vec<String> = [
            "@10.96.0.10",
            "web.default.svc.cluster.local",
            "+short",
            "-t",
            "SRV",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (names, server, qtype) = dig_args(&args);
        assert_eq!(names, ["web.default.svc.cluster.local"]);
        assert_eq!(server.as_deref(), Some("10.96.0.10"));
        assert_eq!(qtype.as_deref(), Some("SRV"));
    }
}
