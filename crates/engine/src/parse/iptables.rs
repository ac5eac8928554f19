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

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::i18n::Text;
use crate::model::{Model, ProxyService};
use crate::parse::Context;
use crate::report::Severity;
use crate::text::is_elision;

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
    probability: Option<f64>,
    /// `-m recent --rcheck --seconds N`: session affinity.
    affinity_seconds: Option<u32>,
    /// `-s CIDR` (not negated).
    source: Option<&'a str>,
}

/// Words of an iptables rule: white-space separated, a double-quoted word
/// (a comment) taken whole without its quotes. Borrowed from the line, so
/// that big dumps cost no allocation per word.
fn words(line: &str) -> Vec<&str> {
    if line.is_ascii() {
        ascii_words(line)
    } else {
        unicode_words(line)
    }
}

fn unicode_words(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            out.push(&quoted[..end]);
            rest = quoted.get(end + 1..).unwrap_or("").trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(&rest[..end]);
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// [`words`] for the common all-ASCII line, scanning bytes instead of
/// decoding chars: a third of the time on a 10,000-Service dump went to
/// `find(char::is_whitespace)`.
fn ascii_words(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut out = Vec::with_capacity(24);
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        if bytes[i] == b'"' {
            let start = i + 1;
            let end = line[start..].find('"').map_or(line.len(), |p| start + p);
            out.push(&line[start..end]);
            i = end + 1;
        } else {
            let start = i;
            while i < bytes.len() && !is_space(bytes[i]) {
                i += 1;
            }
            out.push(&line[start..i]);
        }
    }
    out
}

/// The ASCII characters `char::is_whitespace` accepts.
fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0B
}

fn strip_host_mask(ip: &str) -> &str {
    ip.strip_suffix("/32")
        .or_else(|| ip.strip_suffix("/128"))
        .unwrap_or(ip)
}

fn parse_rule(line: usize, text: &str) -> Option<Rule<'_>> {
    let w = words(text);
    let mut i = 0;
    // `[0:0] -A ...` from iptables-save -c.
    if w.first().is_some_and(|x| x.starts_with('[')) {
        i = 1;
    }
    if w.get(i).copied() != Some("-A") {
        return None;
    }
    let mut rule = Rule {
        line,
        chain: w.get(i + 1)?,
        ..Rule::default()
    };
    i += 2;
    let mut negate = false;
    while i < w.len() {
        let word = w[i];
        let next = w.get(i + 1).copied();
        let mut take = true;
        match word {
            "!" => {
                negate = true;
                i += 1;
                continue;
            }
            "--comment" => rule.comment = next,
            "-p" | "--protocol" => rule.protocol = next,
            "-d" | "--destination" if !negate => rule.dest = next.map(strip_host_mask),
            "-s" | "--source" if !negate => rule.source = next,
            "--dport" | "--destination-port" => rule.dport = next.and_then(|p| p.parse().ok()),
            "-j" | "--jump" | "-g" | "--goto" => rule.jump = next,
            "--to-destination" => rule.to_destination = next,
            "--to-ports" => rule.to_ports = next.and_then(|p| p.parse().ok()),
            "--probability" => rule.probability = next.and_then(|p| p.parse().ok()),
            "--seconds" => rule.affinity_seconds = next.and_then(|p| p.parse().ok()),
            _ => take = false,
        }
        negate = false;
        i += if take { 2 } else { 1 };
    }
    Some(rule)
}

/// The Service port a comment names: `ns/name:port` (`ns/name` and
/// `ns/name:` on older kube-proxies).
fn service_key(comment: &str) -> Option<(&str, &str, &str)> {
    comment.split_whitespace().find_map(|word| {
        let (ns, rest) = word.split_once('/')?;
        let (name, port) = rest.split_once(':').unwrap_or((rest, ""));
        let label = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
                && !s.chars().all(|c| c.is_ascii_digit() || c == '.')
        };
        (label(ns) && label(name) && port.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            .then_some((ns, name, port))
    })
}

#[derive(Default)]
struct Group {
    rules: Vec<usize>,
}

pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let mut dump = cx.dump("iptables", Vec::new());
    let mut rules: Vec<Rule> = Vec::new();
    for (no, raw) in body {
        let line = raw.trim();
        if line.starts_with("# Warning: iptables-legacy tables present") {
            dump.legacy_warning = Some(cx.origin([no, no]));
            continue;
        }
        if line.is_empty() || line.starts_with('#') || is_elision(line) || line == "COMMIT" {
            continue;
        }
        if let Some(table) = line.strip_prefix('*') {
            dump.tables.push(table.trim().to_string());
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        match parse_rule(no, line) {
            Some(rule) => rules.push(rule),
            None if line.starts_with("-A") || line.starts_with('[') => cx.say(
                no,
                Severity::Warning,
                Text {
                    en: "rule without a chain name; skipped",
                    zh: "规则没有链名；已跳过",
                },
                &[],
            ),
            None => cx.say(
                no,
                Severity::Info,
                Text {
                    en: "not an iptables rule: {line}",
                    zh: "不是 iptables 规则：{line}",
                },
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
    let mut groups: BTreeMap<(&str, &str, &str), Group> = BTreeMap::new();
    for (i, r) in rules.iter().enumerate() {
        if let Some(key) = r.comment.and_then(service_key) {
            groups.entry(key).or_default().rules.push(i);
        }
    }
    for ((namespace, name, port_name), group) in groups {
        let mut svc = ProxyService {
            mode: "iptables".into(),
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
                svc.external_traffic_policy = Some("Local".into());
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
                        svc.probabilities.push((dest, r.probability));
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
                        .clone()
                        .unwrap_or_else(|| "Cluster".into())
                } else {
                    "Local".into()
                });
            }
        }
        if userspace {
            svc.mode = "userspace".into();
            dump.mode = "userspace".into();
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
            if !locals.is_empty() || svc.external_traffic_policy.as_deref() == Some("Local") {
                svc.local_endpoints = Some(locals);
                svc.external_traffic_policy = Some("Local".into());
            }
            if svc.drops_no_local_endpoints {
                svc.external_traffic_policy = Some("Local".into());
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
        svc.service_type = Some(
            if !svc.load_balancer_ips.is_empty() {
                "LoadBalancer"
            } else if svc.node_port.is_some() {
                "NodePort"
            } else {
                "ClusterIP"
            }
            .into(),
        );
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
            assert_eq!(ascii_words(line), unicode_words(line), "{line:?}");
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
    }
}
