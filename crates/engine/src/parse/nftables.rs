//! kube-proxy's nftables table: `nft list table ip kube-proxy` (and `nft -a`,
//! `nft list ruleset`) and kube-proxy's own `nft -f` transactions.
//!
//! Both formats carry the same facts in the same places: the elements of the
//! `service-ips`, `service-nodeports`, `no-endpoint-services` and
//! `no-endpoint-nodeports` maps, and the names of the `endpoint-*` chains,
//! which encode the Service port and the endpoint
//! (`endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80`).

use crate::model::ProxyMode;
use crate::model::{ServiceType, TrafficPolicy};
use std::collections::{BTreeMap, HashSet};

use crate::model::{Model, ProxyService};
use crate::parse::Context;
use crate::read::text::is_elision;
use crate::report::Severity;

/// A Service port: namespace, name, protocol, port name.
type Key = (String, String, String, String);

/// `ns/name/proto/portname` of a `service-`, `external-`, `local-` or
/// `endpoint-` chain, and the endpoint of an endpoint chain.
fn chain_identity(chain: &str) -> Option<(Key, Option<String>)> {
    let (_, rest) = chain.split_once('-')?;
    let (hash, rest) = rest.split_once('-')?;
    if hash.len() != 8
        || !hash
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    let (id, endpoint) = match rest.split_once("__") {
        Some((id, ep)) => {
            let (ip, port) = ep.rsplit_once('/')?;
            (id, Some(crate::model::host_port(ip, port)))
        }
        None => (rest, None),
    };
    let mut parts = id.splitn(4, '/');
    let ns = parts.next()?.to_string();
    let name = parts.next()?.to_string();
    let proto = parts.next()?.to_ascii_uppercase();
    let port = parts.next().unwrap_or("").to_string();
    Some(((ns, name, proto, port), endpoint))
}

/// One map element: its key parts, comment and verdict.
struct Element {
    map: String,
    keys: Vec<String>,
    comment: Option<String>,
    verdict: String,
    line: usize,
}

fn parse_element(map: &str, text: &str, line: usize) -> Option<Element> {
    let (key, verdict) = text.rsplit_once(" : ")?;
    let (key, comment) = match key.split_once(" comment ") {
        Some((k, c)) => (k, Some(c.trim().trim_matches('"').to_string())),
        None => (key, None),
    };
    Some(Element {
        map: map.to_string(),
        keys: key.split(" . ").map(|k| k.trim().to_string()).collect(),
        comment,
        verdict: verdict.trim().to_string(),
        line,
    })
}

#[derive(Default)]
struct Entry {
    svc: ProxyService,
    /// Endpoints already listed, to keep the list free of repeats in one pass.
    seen_endpoints: HashSet<String>,
    first: usize,
    last: usize,
}

pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let empty_body = body.is_empty();
    let mut saw_table = false;
    let mut seen_iptables_nft = false;
    let mut elements: Vec<Element> = Vec::new();
    let mut endpoint_chains: Vec<(usize, String)> = Vec::new();
    // The map whose `elements = { ... }` block is open (list format).
    let mut open_map: Option<String> = None;
    let mut current_map: Option<String> = None;
    let mut in_elements = false;
    // The chain or set whose block is open (list format).
    let mut open_block: Option<String> = None;
    // Source ranges by firewall chain, affinity timeouts by affinity set.
    let mut source_ranges: Vec<(usize, String, Vec<String>)> = Vec::new();
    let mut affinity: Vec<(usize, String, u32)> = Vec::new();
    // The `cluster-ips` and `nodeport-ips` sets, and the ranges
    // `cluster-ips-check` drops.
    let mut cluster_ips: Option<Vec<String>> = None;
    let mut nodeport_ips: Option<Vec<String>> = None;
    let mut service_cidrs: Vec<String> = Vec::new();
    // Lines left out (`...`): the sets and maps shown are not whole.
    let mut elided = false;
    for (no, raw) in body {
        let line = raw.trim();
        if is_elision(line) {
            elided = true;
            continue;
        }
        if line.is_empty() {
            continue;
        }
        // Only kube-proxy's own table is nftables mode: `table ip nat` and
        // `table ip filter` with KUBE-* chains are iptables mode's rules,
        // written by iptables-nft and shown through nft.
        let table = line
            .strip_prefix("add table ")
            .or_else(|| line.strip_prefix("table "));
        if let Some(t) = table {
            let name = t.split_whitespace().nth(1).unwrap_or("");
            if name == "kube-proxy" {
                saw_table = true;
            } else if matches!(name, "nat" | "filter") && !seen_iptables_nft {
                seen_iptables_nft = true;
                cx.say(
                    no,
                    Severity::Info,
                    crate::text!("iptables-nft's {table} table, shown through nft: kube-proxy runs in iptables mode here; for its Service rules paste iptables-save -t nat", "这是 iptables-nft 的 {table} 表（通过 nft 显示）：此处 kube-proxy 运行在 iptables 模式；如需其 Service 规则，请粘贴 iptables-save -t nat"),
                    &[("table", t.trim_end_matches('{').trim())],
                );
            }
        }
        // Which chain or set this line is about, and the rest of it.
        let (owner, rest) = if let Some(r) = line
            .strip_prefix("add rule ")
            .or_else(|| line.strip_prefix("add set "))
        {
            let mut w = r.splitn(4, ' ');
            let _family = w.next();
            let _table = w.next();
            (w.next().map(str::to_string), w.next().unwrap_or(""))
        } else if let Some(r) = line
            .strip_prefix("chain ")
            .or_else(|| line.strip_prefix("set "))
        {
            open_block = r.split_whitespace().next().map(str::to_string);
            (open_block.clone(), "")
        } else {
            (open_block.clone(), line)
        };
        if let Some(owner) = owner.as_deref() {
            if owner.starts_with("firewall-") {
                if let Some(set) = rest
                    .split("saddr != {")
                    .nth(1)
                    .and_then(|r| r.split('}').next())
                {
                    let ranges = set
                        .split(',')
                        .map(|r| r.trim().to_string())
                        .filter(|r| !r.is_empty())
                        .collect();
                    source_ranges.push((no, owner.to_string(), ranges));
                }
            }
            // `ip daddr { 10.96.0.0/16, fd00::/112 } drop` (nft prints one
            // range without its braces).
            if owner == "cluster-ips-check" && rest.contains(" drop") {
                if let Some(after) = rest.split("daddr ").nth(1) {
                    let set = match after.strip_prefix('{') {
                        Some(inner) => inner.split('}').next().unwrap_or(""),
                        None => after.split_whitespace().next().unwrap_or(""),
                    };
                    service_cidrs.extend(
                        set.split(',')
                            .map(|r| r.trim().to_string())
                            .filter(|r| !r.is_empty() && !r.starts_with('@')),
                    );
                }
            }
            // A set shown at all is known, even empty.
            if line.starts_with("set ") || line.starts_with("add set ") {
                match owner {
                    "cluster-ips" => {
                        cluster_ips.get_or_insert_with(Vec::new);
                    }
                    "nodeport-ips" => {
                        nodeport_ips.get_or_insert_with(Vec::new);
                    }
                    _ => {}
                }
            }
            if owner.starts_with("affinity-") {
                // `flags dynamic,timeout ; timeout 10800s ;`
                let timeout = rest
                    .split("timeout ")
                    .skip(1)
                    .find_map(|t| t.split(['s', ' ', ';']).next()?.parse().ok());
                if let Some(t) = timeout {
                    affinity.push((no, owner.to_string(), t));
                }
            }
        }
        if line == "}" {
            open_block = None;
        }
        // Every endpoint chain named anywhere.
        for word in line.split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '}') {
            if word.starts_with("endpoint-") && word.contains("__") {
                endpoint_chains.push((no, word.to_string()));
            }
        }
        let mut content: Option<(String, &str)> = None;
        if let Some(rest) = line.strip_prefix("add element ") {
            // `add element ip kube-proxy MAP { ... }`
            let words: Vec<&str> = rest.splitn(4, ' ').collect();
            if let (Some(map), Some(body)) = (words.get(2), words.get(3)) {
                content = Some((map.to_string(), body));
            }
        } else if let Some(rest) = line
            .strip_prefix("map ")
            .or_else(|| line.strip_prefix("set "))
        {
            current_map = rest.split_whitespace().next().map(str::to_string);
        } else if let Some(rest) = line.strip_prefix("elements = ") {
            in_elements = true;
            open_map = current_map.clone();
            if let Some(map) = &open_map {
                content = Some((map.clone(), rest));
            }
        } else if in_elements {
            if let Some(map) = &open_map {
                content = Some((map.clone(), line));
            }
        }
        if let Some((map, body)) = content {
            if body.contains('}') {
                in_elements = false;
            }
            let body = body.trim().trim_start_matches('{').trim_end_matches('}');
            for part in body.split(',') {
                let part = part.trim();
                // The sets hold bare addresses.
                let set = match map.as_str() {
                    "cluster-ips" => Some(&mut cluster_ips),
                    "nodeport-ips" => Some(&mut nodeport_ips),
                    _ => None,
                };
                if let Some(set) = set {
                    let ip = part.split_whitespace().next().unwrap_or("");
                    if !ip.is_empty() {
                        set.get_or_insert_with(Vec::new).push(ip.to_string());
                    }
                    continue;
                }
                if !part.is_empty() {
                    if let Some(e) = parse_element(&map, part, no) {
                        elements.push(e);
                    }
                }
            }
        }
    }
    let mut services: BTreeMap<(String, String, String, String), Entry> = BTreeMap::new();
    fn touch(services: &mut BTreeMap<Key, Entry>, key: Key, no: usize) -> &mut Entry {
        let entry = services.entry(key.clone()).or_insert_with(|| Entry {
            svc: ProxyService {
                mode: ProxyMode::Nftables,
                namespace: key.0.clone(),
                name: key.1.clone(),
                protocol: key.2.clone(),
                port_name: key.3.clone(),
                endpoints: Some(Vec::new()),
                ..ProxyService::default()
            },
            seen_endpoints: HashSet::new(),
            first: no,
            last: no,
        });
        entry.first = entry.first.min(no);
        entry.last = entry.last.max(no);
        entry
    }
    for e in &elements {
        let target = e
            .verdict
            .trim_start_matches("goto ")
            .trim_start_matches("jump ");
        match e.map.as_str() {
            "service-ips" => {
                let Some((key, _)) = chain_identity(target) else {
                    continue;
                };
                let ip = e.keys.first().cloned();
                let port = e.keys.get(2).and_then(|p| p.parse().ok());
                let entry = touch(&mut services, key, e.line);
                if target.starts_with("service-") {
                    entry.svc.cluster_ip = ip;
                    entry.svc.port = port;
                    entry.svc.svc_chain = Some(target.to_string());
                } else if let Some(ip) = ip {
                    if !entry.svc.external_ips.contains(&ip) {
                        entry.svc.external_ips.push(ip);
                    }
                    entry.svc.port = entry.svc.port.or(port);
                }
            }
            "service-nodeports" => {
                let Some((key, _)) = chain_identity(target) else {
                    continue;
                };
                let port = e.keys.get(1).and_then(|p| p.parse().ok());
                touch(&mut services, key, e.line).svc.node_port = port;
            }
            "no-endpoint-services" | "no-endpoint-nodeports" => {
                // The comment names the Service port: `ns/name:port`.
                let Some(comment) = &e.comment else { continue };
                let Some((ns, rest)) = comment.split_once('/') else {
                    continue;
                };
                let (name, port_name) = rest.split_once(':').unwrap_or((rest, ""));
                let proto_at = if e.map == "no-endpoint-services" {
                    1
                } else {
                    0
                };
                let proto = e
                    .keys
                    .get(proto_at)
                    .map(|p| p.to_ascii_uppercase())
                    .unwrap_or_else(|| "TCP".into());
                let key = (
                    ns.to_string(),
                    name.to_string(),
                    proto,
                    port_name.to_string(),
                );
                let entry = touch(&mut services, key, e.line);
                let rejects = target == "reject-chain" || target == "reject";
                if e.map == "no-endpoint-nodeports" {
                    entry.svc.node_port = entry
                        .svc
                        .node_port
                        .or(e.keys.get(1).and_then(|p| p.parse().ok()));
                }
                if rejects {
                    entry.svc.rejects_no_endpoints = true;
                    if e.map == "no-endpoint-services" && entry.svc.cluster_ip.is_none() {
                        entry.svc.cluster_ip = e.keys.first().cloned();
                        entry.svc.port = e.keys.get(2).and_then(|p| p.parse().ok());
                    }
                } else {
                    entry.svc.drops_no_local_endpoints = true;
                    entry.svc.external_traffic_policy = Some(TrafficPolicy::Local);
                    entry.svc.local_endpoints = Some(Vec::new());
                }
            }
            _ => {}
        }
    }
    for (no, chain) in &endpoint_chains {
        if let Some((key, Some(ep))) = chain_identity(chain) {
            let entry = touch(&mut services, key, *no);
            if entry.seen_endpoints.insert(ep.clone()) {
                if let Some(list) = entry.svc.endpoints.as_mut() {
                    list.push(ep);
                }
            }
        }
    }
    for (no, chain, ranges) in source_ranges {
        if let Some((key, _)) = chain_identity(&chain) {
            touch(&mut services, key, no)
                .svc
                .load_balancer_source_ranges = ranges;
        }
    }
    for (no, set, timeout) in affinity {
        if let Some((key, _)) = chain_identity(&set) {
            touch(&mut services, key, no).svc.session_affinity_timeout = Some(timeout);
        }
    }
    for (_, mut entry) in services {
        let svc = &mut entry.svc;
        svc.service_type = Some(
            if svc.node_port.is_some()
                && !svc.external_ips.is_empty()
                && svc.drops_no_local_endpoints
            {
                ServiceType::LoadBalancer
            } else if svc.node_port.is_some() {
                ServiceType::NodePort
            } else {
                ServiceType::ClusterIP
            },
        );
        svc.origin = cx.origin([entry.first, entry.last]);
        model.proxy_rules.push(entry.svc);
    }
    // A dump shows a kube-proxy table, or is a grep that matched nothing.
    if saw_table || !elements.is_empty() || empty_body {
        let mut dump = cx.dump(ProxyMode::Nftables, Vec::new());
        dump.filtered |= elided;
        dump.cluster_ips = cluster_ips;
        dump.nodeport_ips = nodeport_ips;
        dump.service_cidrs = service_cidrs;
        model.proxy_dumps.push(dump);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_names() {
        let (key, ep) =
            chain_identity("endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80").unwrap();
        assert_eq!(
            key,
            ("ns1".into(), "svc1".into(), "TCP".into(), "p80".into())
        );
        assert_eq!(ep.as_deref(), Some("10.180.0.1:80"));
        let (key, ep) = chain_identity("service-P6J77WGM-riset/hellopod-np-svc/tcp/").unwrap();
        assert_eq!(key.3, "");
        assert_eq!(ep, None);
        assert!(chain_identity("reject-chain").is_none());
    }

    #[test]
    fn elements() {
        let e = parse_element(
            "no-endpoint-services",
            "10.43.21.102 . tcp . 4317 comment \"riset/otel:otlp\" : goto reject-chain",
            3,
        )
        .unwrap();
        assert_eq!(e.keys, ["10.43.21.102", "tcp", "4317"]);
        assert_eq!(e.comment.as_deref(), Some("riset/otel:otlp"));
        assert_eq!(e.verdict, "goto reject-chain");
    }
}
