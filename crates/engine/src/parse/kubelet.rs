//! kubelet's DNS settings and its DNS warnings: the `--cluster-dns` flag
//! (from a systemd drop-in, `ps`, `systemctl cat kubelet`), `clusterDNS:` in
//! its configuration file, and the log lines it writes when a resolv.conf
//! passes the resolver's limits (`Nameserver limits were exceeded, some
//! nameservers have been omitted, the applied nameserver line is: ...`).

use crate::model::{KubeletDns, KubeletLimit, Model, ResolverLimit};
use crate::parse::Context;

/// Reads every kubelet fact the artifact's lines hold.
pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    scan(cx, model);
}

/// The kubelet facts of any lines (also run on `ps` output, where
/// kubelet's flags show).
pub fn scan(cx: &Context<'_>, model: &mut Model) {
    let body = cx.body();
    for (i, &(no, line)) in body.iter().enumerate() {
        if let Some(servers) = cluster_dns_flag(line) {
            model.kubelet_dns.push(KubeletDns {
                servers,
                origin: cx.origin([no, no]),
            });
        } else if let Some(rest) = line.trim_start().strip_prefix("clusterDNS:") {
            // `clusterDNS: [10.96.0.10]` or a YAML list under it.
            let inline: Vec<String> = addresses(rest.trim().trim_matches(|c| c == '[' || c == ']'));
            let (servers, last) = if inline.is_empty() {
                let items: Vec<(usize, String)> = body[i + 1..]
                    .iter()
                    .map_while(|(n, l)| {
                        l.trim_start()
                            .strip_prefix("- ")
                            .map(|v| (*n, v.trim().trim_matches('"').to_string()))
                    })
                    .collect();
                let last = items.last().map_or(no, |(n, _)| *n);
                (items.into_iter().map(|(_, v)| v).collect(), last)
            } else {
                (inline, no)
            };
            if !servers.is_empty() {
                model.kubelet_dns.push(KubeletDns {
                    servers,
                    origin: cx.origin([no, last]),
                });
            }
        }
        if let Some(limit) = limit_warning(line) {
            let (what, applied) = limit;
            model.kubelet_limits.push(KubeletLimit {
                what,
                applied,
                origin: cx.origin([no, no]),
            });
        }
    }
}

/// `--cluster-dns=10.96.0.10,fd00::a` or `--cluster-dns 10.96.0.10`.
fn cluster_dns_flag(line: &str) -> Option<Vec<String>> {
    let at = line.find("--cluster-dns")?;
    let rest = &line[at + "--cluster-dns".len()..];
    let value = rest
        .strip_prefix('=')
        .or_else(|| rest.strip_prefix(' '))?
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'')
        .next()?;
    let servers = addresses(value);
    (!servers.is_empty()).then_some(servers)
}

/// IP addresses in a comma- or space-separated list.
fn addresses(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .map(|v| v.trim().trim_matches('"'))
        .filter(|v| !v.is_empty() && v.parse::<std::net::IpAddr>().is_ok())
        .map(str::to_string)
        .collect()
}

/// kubelet's warning that it trimmed a pod's resolv.conf, with the line it
/// applied.
fn limit_warning(line: &str) -> Option<(ResolverLimit, Vec<String>)> {
    for (marker, what, applied) in [
        (
            "Nameserver limits were exceeded",
            ResolverLimit::Nameservers,
            "the applied nameserver line is:",
        ),
        (
            "Search Line limits were exceeded",
            ResolverLimit::Search,
            "the applied search line is:",
        ),
    ] {
        if line.contains(marker) {
            let words = line
                .split_once(applied)
                .map(|(_, rest)| {
                    rest.trim()
                        .trim_end_matches(['"', '}', ')'])
                        .split_whitespace()
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            return Some((what, words));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_flag_in_its_forms() {
        assert_eq!(
            cluster_dns_flag(
                r#"Environment="KUBELET_DNS_ARGS=--cluster-dns=10.12.0.10 --cluster-domain=cluster.local""#
            ),
            Some(vec!["10.12.0.10".to_string()])
        );
        assert_eq!(
            cluster_dns_flag("/usr/bin/kubelet --cluster-dns 10.96.0.10,fd00::a --v=2"),
            Some(vec!["10.96.0.10".to_string(), "fd00::a".to_string()])
        );
        assert_eq!(cluster_dns_flag("--cluster-dns=$DNS"), None);
    }

    #[test]
    fn reads_the_limit_warnings() {
        let (what, applied) = limit_warning(
            "E0613 dns.go:135] Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 8.8.8.8 8.8.4.4",
        )
        .unwrap();
        assert_eq!(what, ResolverLimit::Nameservers);
        assert_eq!(applied, ["8.8.8.8", "8.8.4.4"]);
        let (what, applied) = limit_warning(
            "Warning  DNSConfigForming  kubelet  Search Line limits were exceeded, some search paths have been omitted, the applied search line is: a.svc.cluster.local svc.cluster.local",
        )
        .unwrap();
        assert_eq!(what, ResolverLimit::Search);
        assert_eq!(applied.len(), 2);
    }
}
