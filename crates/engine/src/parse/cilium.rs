//! Cilium and Hubble, for clusters where Cilium replaces kube-proxy:
//!
//! - `cilium-dbg status` (`cilium status` in the agent before 1.15, and the
//!   cilium CLI's summary): the agent's state and `KubeProxyReplacement`;
//! - `cilium-dbg service list`: each frontend with its backends and their
//!   state (`10.96.0.10:53/TCP  ClusterIP  1 => 10.244.1.69:53/TCP (active)`,
//!   or without the `/TCP` before Cilium 1.17);
//! - `cilium-dbg bpf lb list`: the same map as the datapath holds it;
//! - `hubble observe`: flows with their verdicts (`Policy denied DROPPED`,
//!   `policy-verdict:none INGRESS DENIED`).

use crate::model::{CiliumStatus, Flow, LbBackend, LbFrontend, Model};
use crate::parse::Context;

/// Hubble's verdicts, as its compact output prints them.
const VERDICTS: &[&str] = &[
    "FORWARDED",
    "DROPPED",
    "DENIED",
    "AUDIT",
    "AUDITED",
    "ALLOWED",
    "REDIRECTED",
    "TRANSLATED",
    "TRACED",
    "ERROR",
];

/// A line only Cilium or Hubble prints: for telling an output without its
/// command line.
pub fn is_cilium_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("KubeProxyReplacement:")
        || t.starts_with("Tracing From: [")
        || t.starts_with("Final verdict: ")
        || (t.starts_with("ID ") && t.contains("Frontend") && t.contains("Backend"))
        || t.starts_with("SERVICE ADDRESS ")
        || flow(t).is_some()
}

/// The reason of a flow that is `cilium policy trace`'s verdict.
pub const TRACE: &str = "policy trace";

/// `10.96.0.10:53`, `10.96.0.10:53/TCP`, `[fd00::a]:53/UDP`: address,
/// port, protocol.
fn endpoint(text: &str) -> Option<(String, u32, Option<String>)> {
    let (address, protocol) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p.to_ascii_uppercase())),
        None => (text, None),
    };
    let (ip, port) = address.rsplit_once(':')?;
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    let port = port.parse().ok()?;
    (ip.contains('.') || ip.contains(':')).then(|| (ip.to_string(), port, protocol))
}

/// `2 => 10.244.1.109:53/TCP (active)`: a backend of `service list`.
fn backend(words: &[&str]) -> Option<(String, u32, String)> {
    let at = words.iter().position(|w| *w == "=>")?;
    let (ip, port, _) = endpoint(words.get(at + 1)?)?;
    let state = words
        .get(at + 2)
        .map(|s| s.trim_matches(|c| c == '(' || c == ')').to_string())
        .unwrap_or_else(|| "active".into());
    Some((ip, port, state))
}

/// A flow of `hubble observe` (compact output): `Jun 10 12:50:15.556:
/// SRC (ID:1) -> DST (ID:2) REASON VERDICT (TCP Flags: SYN)`.
fn flow(line: &str) -> Option<(String, String, String, String)> {
    let arrow = [" -> ", " <> ", " <- "]
        .iter()
        .find_map(|a| line.find(a).map(|at| (at, a.len())))?;
    let (before, after) = (&line[..arrow.0], &line[arrow.0 + arrow.1..]);
    // The source: the last word before the arrow that is not an identity
    // in parentheses; the timestamp ends with `: `.
    let source = before
        .rsplit_once(": ")
        .map_or(before, |(_, s)| s)
        .split_whitespace()
        .next()?
        .to_string();
    let words: Vec<&str> = after.split_whitespace().collect();
    let destination = words.first()?.to_string();
    let at = words.iter().position(|w| VERDICTS.contains(w))?;
    let reason: Vec<&str> = words[1..at]
        .iter()
        .copied()
        .skip_while(|w| w.starts_with('('))
        .skip_while(|w| !w.starts_with('(') && w.ends_with(')'))
        .collect();
    Some((source, destination, words[at].to_string(), reason.join(" ")))
}

pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    let filtered = cx
        .artifact
        .command
        .as_ref()
        .is_some_and(|c| c.is_filtered());
    let mut status = CiliumStatus {
        origin: cx.origin([cx.body_start(), cx.artifact.last_line]),
        ..CiliumStatus::default()
    };
    let mut frontend: Option<LbFrontend> = None;
    let mut in_bpf = false;
    // `cilium policy trace`: `Tracing From: [...] => To: [...] Ports: [...]`
    // until its `Final verdict: DENIED`.
    let mut trace: Option<(String, String, usize)> = None;
    for (no, raw) in cx.body() {
        let line = raw.trim();
        let origin = cx.origin([no, no]);
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some((from, to)) = line
            .strip_prefix("Tracing From:")
            .and_then(|rest| rest.split_once("=> To:"))
        {
            trace = Some((from.trim().to_string(), to.trim().to_string(), no));
            continue;
        }
        if let Some(verdict) = line.strip_prefix("Final verdict:") {
            let (source, destination, first) = trace
                .take()
                .unwrap_or_else(|| (String::new(), String::new(), no));
            model.flows.push(Flow {
                source,
                destination,
                verdict: verdict.trim().to_ascii_uppercase(),
                reason: TRACE.to_string(),
                origin: cx.origin([first, no]),
            });
            continue;
        }
        if let Some(rest) = line.strip_prefix("KubeProxyReplacement:") {
            status.kube_proxy_replacement = rest.split_whitespace().next().map(str::to_string);
            status.kube_proxy_replacement_origin = Some(origin);
            continue;
        }
        // `Cilium:   Ok   1.15.1 (...)`, or the CLI's `... Cilium:  OK`
        // after its logo.
        if let Some((_, rest)) = line.split_once("Cilium:") {
            if status.agent.is_none() {
                status.agent = rest.split_whitespace().next().map(str::to_string);
                status.agent_origin = Some(origin);
            }
            continue;
        }
        if line.starts_with("SERVICE ADDRESS") {
            in_bpf = true;
            continue;
        }
        if line.starts_with("ID ") && line.contains("Frontend") {
            in_bpf = false;
            continue;
        }
        if let Some((source, destination, verdict, reason)) = flow(line) {
            model.flows.push(Flow {
                source,
                destination,
                verdict,
                reason,
                origin,
            });
            continue;
        }
        if in_bpf {
            // `10.96.0.1:443   172.18.0.3:6443 (1) (1)`, then more backends
            // alone; slot 0 (`0.0.0.0:0 ... [ClusterIP, ...]`) is the
            // service itself.
            let first = words.first().and_then(|w| endpoint(w));
            let second = words.get(1).and_then(|w| endpoint(w));
            let (front, back) = match (first, second) {
                (Some(f), Some(b)) => (Some(f), Some(b)),
                (Some(b), None) => (None, Some(b)),
                _ => continue,
            };
            if let Some((ip, port, protocol)) = front {
                if let Some(done) = frontend.take() {
                    model.lb_frontends.push(done);
                }
                frontend = Some(LbFrontend {
                    ip,
                    port,
                    protocol,
                    service_type: None,
                    backends: Vec::new(),
                    filtered,
                    origin,
                });
            }
            if let (Some(f), Some((ip, port, _))) = (frontend.as_mut(), back) {
                f.origin.lines[1] = no;
                if ip == "0.0.0.0" || ip == "::" {
                    if let Some(kind) = line.split_once('[').map(|(_, k)| k) {
                        f.service_type =
                            kind.split([',', ']']).next().map(|k| k.trim().to_string());
                    }
                } else {
                    f.backends.push(LbBackend {
                        ip,
                        port,
                        state: "active".into(),
                        origin,
                    });
                }
            }
            continue;
        }
        // `service list`: `ID  FRONTEND  TYPE  [N => BACKEND (state)]`, or a
        // further backend alone.
        let starts_row = words.len() >= 3
            && words[0].bytes().all(|b| b.is_ascii_digit())
            && endpoint(words[1]).is_some();
        if starts_row {
            if let Some(done) = frontend.take() {
                model.lb_frontends.push(done);
            }
            let (ip, port, protocol) = endpoint(words[1]).unwrap_or_default();
            frontend = Some(LbFrontend {
                ip,
                port,
                protocol,
                service_type: Some(words[2].to_string()),
                backends: Vec::new(),
                filtered,
                origin,
            });
        }
        if let (Some(f), Some((ip, port, state))) = (frontend.as_mut(), backend(&words)) {
            f.origin.lines[1] = no;
            f.backends.push(LbBackend {
                ip,
                port,
                state,
                origin,
            });
        }
    }
    if let Some(done) = frontend {
        model.lb_frontends.push(done);
    }
    if status.kube_proxy_replacement.is_some() || status.agent.is_some() {
        model.cilium_status.push(status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_and_endpoints() {
        let (s, d, v, r) = flow("Jun 10 12:50:15.556: 10.8.14.163:43006 (world) <> default/deployment-85c67465d6-tfgcp:8087 (ID:107099) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)").unwrap();
        assert_eq!(
            (s.as_str(), d.as_str(), v.as_str(), r.as_str()),
            (
                "10.8.14.163:43006",
                "default/deployment-85c67465d6-tfgcp:8087",
                "DENIED",
                "policy-verdict:none INGRESS"
            )
        );
        let (_, _, v, r) = flow("Jun 10 12:50:15.556: 10.8.14.163:43006 <> default/deployment-85c67465d6-tfgcp:8087 Policy denied DROPPED (TCP Flags: SYN)").unwrap();
        assert_eq!((v.as_str(), r.as_str()), ("DROPPED", "Policy denied"));
        assert_eq!(
            endpoint("[fd00::a]:53/udp"),
            Some(("fd00::a".into(), 53, Some("UDP".into())))
        );
        assert_eq!(endpoint("web:80"), None);
    }
}
