//! iptables rules as kube-proxy writes them: `iptables-save` (whole, `-t nat`,
//! grepped lines, with or without `[packets:bytes]` counters) and kube-proxy's
//! own `iptables-restore` input (its option order, no `/32`).
//!
//! Rules are grouped by the Service port named in their comment
//! (`ns/name:port`, with the port name empty on older versions), and each
//! group is read into a [`ProxyService`]: cluster IP and port from the
//! `KUBE-SERVICES` rule, nodePort from `KUBE-NODEPORTS`, endpoints from the
//! `DNAT --to-destination` of the `KUBE-SEP-*` chains that the Service chain
//! jumps to, and the "has no endpoints" REJECT rules.

use crate::model::ProxyMode;
use crate::model::{ServiceType, TrafficPolicy};
use std::collections::{HashMap, HashSet};

use crate::model::{Model, ProxyService};
use crate::parse::Context;
use crate::read::text::is_elision;
use crate::report::Severity;

/// One `-A` rule.
#[derive(Debug, Default)]
struct Rule<'a> {
    line: usize,
    chain: &'a str,
    comment: Option<&'a str>,
    protocol: Option<&'a str>,
    dest: Option<&'a str>,
    dport: Option<u32>,
    jump: Option<&'a str>,
    to_destination: Option<&'a str>,
    to_ports: Option<u32>,
    /// `--probability`, as written (`0.33332999982`).
    probability: Option<&'a str>,
    /// `-m recent --rcheck --seconds N`: session affinity.
    affinity_seconds: Option<u32>,
    /// `-s CIDR` (not negated).
    source: Option<&'a str>,
}

/// Words of an iptables rule: white-space separated, a double-quoted word
/// (a comment) taken whole without its quotes. Borrowed from the line and
/// produced one at a time, so that big dumps cost no allocation per line.
struct Words<'a> {
    rest: &'a str,
    /// All-ASCII lines (nearly all of them) are scanned byte by byte: a
    /// third of the time on a 10,000-Service dump once went to
    /// `find(char::is_whitespace)` decoding every char.
    ascii: bool,
}

fn words(line: &str) -> Words<'_> {
    Words {
        rest: line,
        ascii: line.is_ascii(),
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = if self.ascii {
            let skip = self.rest.bytes().take_while(|&b| is_space(b)).count();
            &self.rest[skip..]
        } else {
            self.rest.trim_start()
        };
        if rest.is_empty() {
            self.rest = rest;
            return None;
        }
        // Byte tests: `strip_prefix('"')` and `starts_with('-')` compile to
        // calls into memcmp, which showed up in profiles.
        let (word, after) = if rest.as_bytes()[0] == b'"' {
            let quoted = &rest[1..];
            let end = quoted.find('"').unwrap_or(quoted.len());
            (&quoted[..end], quoted.get(end + 1..).unwrap_or(""))
        } else {
            let end = if self.ascii {
                rest.bytes().position(is_space)
            } else {
                rest.find(char::is_whitespace)
            }
            .unwrap_or(rest.len());
            rest.split_at(end)
        };
        self.rest = after;
        Some(word)
    }
}

/// The ASCII characters `char::is_whitespace` accepts.
fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0B
}

/// `str::trim` for a line that is nearly always ASCII: `trim` decodes
/// chars, and was a tenth of the time on big dumps.
fn trim(line: &str) -> &str {
    let t = line.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(a), Some(z)) if !a.is_ascii() || !z.is_ascii() => t.trim(),
        _ => t,
    }
}

fn strip_host_mask(ip: &str) -> &str {
    ip.strip_suffix("/32")
        .or_else(|| ip.strip_suffix("/128"))
        .unwrap_or(ip)
}

fn parse_rule(line: usize, text: &str) -> Option<Rule<'_>> {
    let mut w = words(text).peekable();
    // `[0:0] -A ...` from iptables-save -c.
    if w.peek().is_some_and(|x| x.starts_with('[')) {
        w.next();
    }
    if w.next() != Some("-A") {
        return None;
    }
    let mut rule = Rule {
        line,
        chain: w.next()?,
        ..Rule::default()
    };
    let mut negate = false;
    while let Some(word) = w.next() {
        // Options that take a value start with `-`; anything else (a match
        // module's name, a value of an option not read here) is skipped.
        if word.as_bytes().first() != Some(&b'-') {
            negate = word == "!";
            continue;
        }
        let mut value = || w.peek().copied();
        let mut take = true;
        // Short options by their letter: comparing two-byte strings one by
        // one cost a call into memcmp each, a tenth of the parse.
        match word.as_bytes() {
            [b'-', b'p'] => rule.protocol = value(),
            [b'-', b'd'] if !negate => rule.dest = value().map(strip_host_mask),
            [b'-', b's'] if !negate => rule.source = value(),
            [b'-', b'j' | b'g'] => rule.jump = value(),
            [b'-', _] => take = false,
            _ => match word {
                "--comment" => rule.comment = value(),
                "--protocol" => rule.protocol = value(),
                "--destination" if !negate => rule.dest = value().map(strip_host_mask),
                "--source" if !negate => rule.source = value(),
                "--dport" | "--destination-port" => {
                    rule.dport = value().and_then(|p| p.parse().ok())
                }
                "--jump" | "--goto" => rule.jump = value(),
                "--to-destination" => rule.to_destination = value(),
                "--to-ports" => rule.to_ports = value().and_then(|p| p.parse().ok()),
                "--probability" => rule.probability = value(),
                "--seconds" => rule.affinity_seconds = value().and_then(|p| p.parse().ok()),
                _ => take = false,
            },
        }
        negate = false;
        if take {
            w.next();
        }
    }
    Some(rule)
}

/// Where the columns of an `iptables -L -n [-v] [--line-numbers]` listing
/// are: the index of `target` among a rule line's words (0, 1 with
/// `--line-numbers`, 3 with `-v`, 4 with both), and whether `in` and `out`
/// columns sit between `opt` and `source` (`-v`).
#[derive(Clone, Copy)]
struct Listing {
    target: usize,
    verbose: bool,
}

/// The column layout from a listing's header line (`target prot opt source
/// destination`, `num pkts bytes target prot opt in out source destination`).
fn listing_header(line: &str) -> Option<Listing> {
    let words: Vec<&str> = line.split_ascii_whitespace().collect();
    let target = words.iter().position(|w| *w == "target")?;
    (words.contains(&"prot") && words.contains(&"destination")).then_some(Listing {
        target,
        verbose: words.contains(&"in"),
    })
}

/// One rule line of an `iptables -L -n` listing, as the rule iptables-save
/// would print: target, protocol (a name, or its number with iptables-nft),
/// source and destination columns, then the match text (`/* comment */`,
/// `tcp dpt:80`, `to:10.244.1.5:80`, `statistic mode random probability
/// 0.5`, `recent: CHECK seconds: 10800`).
#[inline(never)]
fn parse_listing_rule<'a>(
    line: usize,
    text: &'a str,
    chain: &'a str,
    layout: Listing,
) -> Option<Rule<'a>> {
    let mut words = text.split_ascii_whitespace();
    let target = words.nth(layout.target)?;
    let prot = words.next()?;
    let _opt = words.next()?;
    if layout.verbose {
        words.next()?;
        words.next()?;
    }
    let source = words.next()?;
    let dest = words.next()?;
    let protocol = match prot {
        "6" | "tcp" => Some("tcp"),
        "17" | "udp" => Some("udp"),
        "132" | "sctp" => Some("sctp"),
        _ => None,
    };
    let any = |a: &str| a == "0.0.0.0/0" || a == "::/0" || a.starts_with('!');
    let mut rule = Rule {
        line,
        chain,
        jump: Some(target),
        protocol,
        source: (!any(source)).then_some(source),
        dest: (!any(dest)).then(|| strip_host_mask(dest)),
        ..Rule::default()
    };
    // The matches: everything after the destination column.
    let after = text.find(dest).map_or("", |i| &text[i + dest.len()..]);
    if let Some(start) = after.find("/* ") {
        if let Some(len) = after[start + 3..].find(" */") {
            rule.comment = Some(&after[start + 3..start + 3 + len]);
        }
    }
    let mut rest = after.split_ascii_whitespace().peekable();
    while let Some(word) = rest.next() {
        if let Some(port) = word.strip_prefix("dpt:") {
            rule.dport = port.parse().ok();
        } else if let Some(to) = word.strip_prefix("to:") {
            rule.to_destination = Some(to);
        } else if word == "probability" {
            rule.probability = rest.peek().copied();
        } else if word == "seconds:" {
            rule.affinity_seconds = rest.peek().and_then(|s| s.parse().ok());
        } else if word == "ports" {
            // `redir ports 8080` (a REDIRECT target).
            rule.to_ports = rest.peek().and_then(|p| p.parse().ok());
        }
    }
    Some(rule)
}

/// The Service port a comment names: `ns/name:port` (`ns/name` and
/// `ns/name:` on older kube-proxies).
fn service_key(comment: &str) -> Option<(&str, &str, &str)> {
    // kube-proxy's comments begin with the key, and a word without `/`
    // cannot be one: test the bytes before splitting anything.
    comment.split_ascii_whitespace().find_map(|word| {
        let slash = word.bytes().position(|b| b == b'/')?;
        let (ns, rest) = (&word[..slash], &word[slash + 1..]);
        let (name, port) = rest.split_once(':').unwrap_or((rest, ""));
        let label = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
                && !s.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        };
        (label(ns) && label(name) && port.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
            .then_some((ns, name, port))
    })
}

#[derive(Default)]
struct Group {
    rules: Vec<usize>,
}

pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let mut dump = cx.dump(ProxyMode::Iptables, Vec::new());
    // Nearly every line of a dump is a rule: size the vector once.
    let mut rules: Vec<Rule> = Vec::with_capacity(body.len());
    // `iptables -L -n` listings: the chain of the lines that follow, and
    // where their columns are.
    let mut listing: Option<(&str, Listing)> = None;
    for (no, raw) in body {
        let line = trim(raw);
        if let Some(rest) = line.strip_prefix("Chain ") {
            if let Some((name, tail)) = rest.split_once(' ') {
                if tail.starts_with('(') {
                    listing = Some((
                        name,
                        Listing {
                            target: 0,
                            verbose: false,
                        },
                    ));
                    continue;
                }
            }
        }
        if let Some((chain, layout)) = listing {
            if let Some(header) = listing_header(line) {
                listing = Some((chain, header));
                continue;
            }
            if line.is_empty() {
                continue;
            }
            if let Some(rule) = parse_listing_rule(no, line, chain, layout) {
                rules.push(rule);
                continue;
            }
        }
        match line.as_bytes().first() {
            Some(b'#') if line.starts_with("# Warning: iptables-legacy tables present") => {
                dump.legacy_warning = Some(cx.origin([no, no]));
                continue;
            }
            None | Some(b'#' | b':') => continue,
            Some(b'*') => {
                dump.tables.push(line[1..].trim().to_string());
                continue;
            }
            Some(b'.' | b'[' | b'(' | 0x80..) if is_elision(line) => continue,
            Some(b'C') if line == "COMMIT" => continue,
            _ => {}
        }
        match parse_rule(no, line) {
            Some(rule) => rules.push(rule),
            None if line.starts_with("-A") || line.starts_with('[') => cx.say(
                no,
                Severity::Warning,
                crate::text!("rule without a chain name; skipped", "规则没有链名；已跳过"),
                &[],
            ),
            None => cx.say(
                no,
                Severity::Info,
                crate::text!("not an iptables rule: {line}", "不是 iptables 规则：{line}"),
                &[("line", line)],
            ),
        }
    }
    // DNAT destination of each KUBE-SEP chain.
    let mut sep_dest: HashMap<&str, (&str, usize)> = HashMap::new();
    for r in &rules {
        if let (true, Some(dest)) = (r.chain.starts_with("KUBE-SEP-"), r.to_destination) {
            sep_dest.insert(r.chain, (dest, r.line));
        }
    }
    // Rules grouped by Service port, in key order. A hash map finds the
    // group (consecutive rules usually share it, so the last one is tried
    // first); the groups are sorted once at the end.
    let mut groups: Vec<((&str, &str, &str), Group)> = Vec::new();
    let mut group_of: HashMap<(&str, &str, &str), usize> = HashMap::new();
    let mut last: Option<usize> = None;
    for (i, r) in rules.iter().enumerate() {
        let Some(key) = r.comment.and_then(service_key) else {
            continue;
        };
        let g = match last {
            Some(g) if groups[g].0 == key => g,
            _ => *group_of.entry(key).or_insert_with(|| {
                groups.push((key, Group::default()));
                groups.len() - 1
            }),
        };
        groups[g].1.rules.push(i);
        last = Some(g);
    }
    groups.sort_unstable_by_key(|(key, _)| *key);
    for ((namespace, name, port_name), group) in groups {
        let mut svc = ProxyService {
            mode: ProxyMode::Iptables,
            namespace: namespace.to_string(),
            name: name.to_string(),
            port_name: port_name.to_string(),
            endpoints: Some(Vec::new()),
            ..ProxyService::default()
        };
        let mut first_line = usize::MAX;
        let mut last_line = 0;
        let mut sep_chains: Vec<String> = Vec::new();
        let mut sep_seen: HashSet<String> = HashSet::new();
        let mut local_chains: Vec<String> = Vec::new();
        let mut userspace = false;
        for &i in &group.rules {
            let r = &rules[i];
            first_line = first_line.min(r.line);
            last_line = last_line.max(r.line);
            let comment = r.comment.unwrap_or("");
            if svc.protocol.is_empty() {
                if let Some(p) = r.protocol {
                    svc.protocol = p.to_ascii_uppercase();
                }
            }
            let jump = r.jump.unwrap_or("");
            if r.chain.starts_with("KUBE-PORTALS-") {
                userspace = true;
                svc.cluster_ip = svc.cluster_ip.clone().or(r.dest.map(str::to_string));
                svc.port = svc.port.or(r.dport);
                continue;
            }
            if comment.contains("has no endpoints") {
                svc.rejects_no_endpoints = true;
                match (r.chain, r.dest) {
                    ("KUBE-SERVICES", Some(d)) => {
                        svc.cluster_ip.get_or_insert(d.to_string());
                        svc.port = svc.port.or(r.dport);
                    }
                    // An external address: the rule does not say whether it
                    // is an externalIP or a load-balancer IP.
                    (_, Some(d)) => push_unique(&mut svc.external_ips, Some(d.to_string())),
                    (_, None) => svc.node_port = svc.node_port.or(r.dport),
                }
                continue;
            }
            if comment.contains("has no local endpoints") {
                svc.drops_no_local_endpoints = true;
                if r.dest.is_none() {
                    svc.node_port = svc.node_port.or(r.dport);
                }
                continue;
            }
            if comment.contains("health check node port") {
                // Only Services with externalTrafficPolicy Local get one.
                svc.health_check_node_port = r.dport;
                svc.external_traffic_policy = Some(TrafficPolicy::Local);
                continue;
            }
            if r.chain == "KUBE-SERVICES" {
                if comment.ends_with("cluster IP") || (!comment.contains(" IP") && r.dest.is_some())
                {
                    if let Some(d) = r.dest {
                        svc.cluster_ip.get_or_insert(d.to_string());
                    }
                    svc.port = svc.port.or(r.dport);
                    if jump.starts_with("KUBE-SVC-") || jump.starts_with("KUBE-SVL-") {
                        svc.svc_chain = Some(jump.to_string());
                    }
                } else if comment.ends_with("external IP") {
                    push_unique(&mut svc.external_ips, r.dest.map(str::to_string));
                } else if comment.ends_with("loadbalancer IP") {
                    push_unique(&mut svc.load_balancer_ips, r.dest.map(str::to_string));
                }
            }
            if r.chain == "KUBE-NODEPORTS" && r.dport.is_some() {
                svc.node_port = svc.node_port.or(r.dport);
            }
            if r.chain.starts_with("KUBE-FW-") {
                if let Some(src) = r.source {
                    push_unique(&mut svc.load_balancer_source_ranges, Some(src.to_string()));
                }
            }
            if jump.starts_with("KUBE-SEP-") {
                if r.chain.starts_with("KUBE-SVC-") {
                    if sep_seen.insert(jump.to_string()) {
                        sep_chains.push(jump.to_string());
                        let dest = sep_dest
                            .get(jump)
                            .map(|(d, _)| d.to_string())
                            .unwrap_or_default();
                        svc.probabilities
                            .push((dest, r.probability.map(str::to_string)));
                    }
                    if r.affinity_seconds.is_some() {
                        svc.session_affinity_timeout = r.affinity_seconds;
                    }
                } else if r.chain.starts_with("KUBE-SVL-") || r.chain.starts_with("KUBE-XLB-") {
                    local_chains.push(jump.to_string());
                }
            }
            if r.chain.starts_with("KUBE-SVL-")
                || r.chain.starts_with("KUBE-XLB-")
                || r.chain.starts_with("KUBE-EXT-")
            {
                svc.external_traffic_policy = Some(if r.chain.starts_with("KUBE-EXT-") {
                    svc.external_traffic_policy
                        .unwrap_or(TrafficPolicy::Cluster)
                } else {
                    TrafficPolicy::Local
                });
            }
        }
        if userspace {
            svc.mode = ProxyMode::Userspace;
            dump.mode = ProxyMode::Userspace;
            svc.endpoints = None;
        } else {
            // Endpoints in the order the Service chain picks them, then any
            // SEP chain with this comment that no visible rule jumps to
            // (a grepped dump).
            let mut endpoints: Vec<String> = Vec::new();
            let mut seen: HashSet<&str> = HashSet::new();
            for sep in &sep_chains {
                if let Some((d, _)) = sep_dest.get(sep.as_str()) {
                    seen.insert(d);
                    endpoints.push(d.to_string());
                }
            }
            for &i in &group.rules {
                let r = &rules[i];
                if r.chain.starts_with("KUBE-SEP-") && !sep_seen.contains(r.chain) {
                    if let Some(d) = r.to_destination {
                        if seen.insert(d) {
                            endpoints.push(d.to_string());
                        }
                    }
                }
            }
            let locals: Vec<String> = local_chains
                .iter()
                .filter_map(|sep| sep_dest.get(sep.as_str()).map(|(d, _)| d.to_string()))
                .collect();
            if !locals.is_empty() || svc.external_traffic_policy == Some(TrafficPolicy::Local) {
                svc.local_endpoints = Some(locals);
                svc.external_traffic_policy = Some(TrafficPolicy::Local);
            }
            if svc.drops_no_local_endpoints {
                svc.external_traffic_policy = Some(TrafficPolicy::Local);
                svc.local_endpoints.get_or_insert_with(Vec::new);
            }
            svc.endpoints = Some(endpoints);
        }
        if svc.protocol.is_empty() {
            svc.protocol = "TCP".into();
        }
        // kube-proxy also admits the load balancer's own addresses as sources.
        let lb_ips = svc.load_balancer_ips.clone();
        svc.load_balancer_source_ranges
            .retain(|r| !lb_ips.contains(r));
        svc.service_type = Some(if !svc.load_balancer_ips.is_empty() {
            ServiceType::LoadBalancer
        } else if svc.node_port.is_some() {
            ServiceType::NodePort
        } else {
            ServiceType::ClusterIP
        });
        svc.origin = cx.origin([first_line, last_line]);
        model.proxy_rules.push(svc);
    }
    // A dump has rules or tables, or is a grep that matched nothing; an
    // error message (`iptables-save: command not found`) is none.
    if !rules.is_empty() || !dump.tables.is_empty() || cx.body().is_empty() {
        model.proxy_dumps.push(dump);
    }
}

fn push_unique(list: &mut Vec<String>, value: Option<String>) {
    if let Some(v) = value {
        if !list.contains(&v) {
            list.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_words_agree_with_unicode_words() {
        for line in [
            "",
            "   ",
            "-A KUBE-SVC-X -m comment --comment \"default/web:http cluster IP\" -j KUBE-SEP-Y",
            "\t-A  X\t-d 10.0.0.1/32 \x0b -j   DNAT ",
            "-A X --comment \"unterminated",
            "-A X --comment \"\"",
            "\"a\"\"b\" c",
        ] {
            let unicode = Words {
                rest: line,
                ascii: false,
            };
            assert_eq!(
                words(line).collect::<Vec<_>>(),
                unicode.collect::<Vec<_>>(),
                "{line:?}"
            );
        }
    }

    #[test]
    fn comment_keys() {
        let key = |c: &str| service_key(c).map(|(a, b, c)| format!("{a}|{b}|{c}"));
        assert_eq!(
            key("ns1/svc1:p80 cluster IP").as_deref(),
            Some("ns1|svc1|p80")
        );
        assert_eq!(key("default/web").as_deref(), Some("default|web|"));
        assert_eq!(
            key("default/hostnames:").as_deref(),
            Some("default|hostnames|")
        );
        assert_eq!(
            key("masquerade traffic for ns2/svc2:p80 external destinations").as_deref(),
            Some("ns2|svc2|p80")
        );
        assert_eq!(
            key("ns1/svc1:p80 -> 10.180.0.1:80").as_deref(),
            Some("ns1|svc1|p80")
        );
        assert_eq!(
            key("kubernetes service nodeports; NOTE: this must be the last rule in this chain"),
            None
        );
    }

    #[test]
    fn rules_in_both_option_orders() {
        let a = parse_rule(1, "-A KUBE-SERVICES -d 10.104.0.64/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j KUBE-SVC-X").unwrap();
        let b = parse_rule(2, "[0:0] -A KUBE-SERVICES -m comment --comment \"default/web cluster IP\" -m tcp -p tcp -d 10.104.0.64 --dport 80 -j KUBE-SVC-X").unwrap();
        for r in [a, b] {
            assert_eq!(r.dest, Some("10.104.0.64"));
            assert_eq!((r.protocol, r.dport), (Some("tcp"), Some(80)));
            assert_eq!(r.jump, Some("KUBE-SVC-X"));
        }
        let neg = parse_rule(
            3,
            "-A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.1.1.1/32 -j KUBE-MARK-MASQ",
        )
        .unwrap();
        assert_eq!(neg.source, None);
        assert_eq!(neg.dest, Some("10.1.1.1"));
        // An empty quoted word is a word, not a crash.
        let empty = parse_rule(4, "-A X -m comment --comment \"\" \"\" -j Y").unwrap();
        assert_eq!((empty.comment, empty.jump), (Some(""), Some("Y")));
    }
}
