//! `conntrack -L` (conntrack-tools): the kernel's connection tracking
//! table, one entry a line with the original direction's and the reply's
//! addresses: `udp 17 27 src=10.244.1.9 dst=10.96.0.10 sport=45002
//! dport=53 [UNREPLIED] src=10.244.0.9 dst=10.244.1.9 sport=53 dport=45002
//! mark=0 use=1`. For a connection to a cluster IP, the reply's source is
//! the endpoint kube-proxy's DNAT chose.

use crate::model::{ConntrackEntry, Model};
use crate::parse::Context;
use crate::report::Severity;

/// Whether a line is a conntrack entry (with or without `-o extended`'s
/// `ipv4     2` prefix).
pub fn is_entry(line: &str) -> bool {
    entry(line).is_some()
}

fn entry(line: &str) -> Option<ConntrackEntry> {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    if matches!(words.first(), Some(&"ipv4") | Some(&"ipv6")) {
        words.drain(..2.min(words.len()));
    }
    let protocol = words.first()?.to_ascii_uppercase();
    if !matches!(protocol.as_str(), "TCP" | "UDP" | "SCTP") {
        return None;
    }
    words.get(1)?.parse::<u32>().ok()?;
    let mut e = ConntrackEntry {
        protocol,
        ..ConntrackEntry::default()
    };
    let mut seen_src = 0;
    for w in &words[2..] {
        match w.split_once('=') {
            Some(("src", v)) => {
                seen_src += 1;
                if seen_src == 1 {
                    e.src = v.to_string();
                } else {
                    e.reply_src = v.to_string();
                }
            }
            Some(("dst", v)) if seen_src == 1 => e.dst = v.to_string(),
            Some(("dport", v)) if seen_src == 1 => e.dport = v.parse().ok(),
            Some(("sport", v)) if seen_src == 2 => e.reply_sport = v.parse().ok(),
            _ if *w == "[UNREPLIED]" => e.unreplied = true,
            _ if w.chars().all(|c| c.is_ascii_uppercase() || c == '_') && e.state.is_none() => {
                e.state = Some(w.to_string());
            }
            _ => {}
        }
    }
    (!e.src.is_empty() && !e.dst.is_empty() && !e.reply_src.is_empty()).then_some(e)
}

pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    for (no, raw) in cx.body() {
        let line = raw.trim();
        // `conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown.`
        if line.is_empty() || line.starts_with("conntrack v") {
            continue;
        }
        match entry(line) {
            Some(mut e) => {
                e.origin = cx.origin([no, no]);
                model.conntrack.push(e);
            }
            None => cx.say(
                no,
                Severity::Info,
                crate::text!("conntrack line not understood", "无法理解的 conntrack 行"),
                &[],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_with_and_without_state() {
        let e = entry("udp      17 27 src=10.244.1.9 dst=10.96.0.10 sport=45002 dport=53 [UNREPLIED] src=10.244.0.9 dst=10.244.1.9 sport=53 dport=45002 mark=0 use=1").unwrap();
        assert_eq!(
            (e.protocol.as_str(), e.dst.as_str(), e.dport),
            ("UDP", "10.96.0.10", Some(53))
        );
        assert_eq!(
            (e.reply_src.as_str(), e.reply_sport, e.unreplied),
            ("10.244.0.9", Some(53), true)
        );
        let t = entry("ipv4     2 tcp      6 431999 ESTABLISHED src=10.244.1.9 dst=10.96.0.20 sport=51322 dport=80 src=10.244.1.5 dst=10.244.1.9 sport=80 dport=51322 [ASSURED] mark=0 use=1").unwrap();
        assert_eq!(t.state.as_deref(), Some("ESTABLISHED"));
        assert_eq!(t.reply_src, "10.244.1.5");
        assert!(
            entry("conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown.").is_none()
        );
        assert!(entry("udp 17 src=1.2.3.4").is_none());
    }
}
