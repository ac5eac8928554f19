//! `ipvsadm -ln`: virtual servers and their real servers.
//!
//! ```text
//! IP Virtual Server version 1.2.1 (size=4096)
//! Prot LocalAddress:Port Scheduler Flags
//!   -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
//! TCP  10.0.0.1:443 rr persistent 10800
//!   -> 192.168.0.1:6443             Masq    1      1          0
//! ```

use crate::model::ProxyMode;
use crate::model::{Model, RealServer, VirtualServer};
use crate::parse::Context;
use crate::read::text::is_elision;
use crate::report::Severity;

/// Splits `10.0.0.1:443` or `[fd00::1]:443`.
pub fn split_host_port(text: &str) -> (String, Option<u32>) {
    if let Some(rest) = text.strip_prefix('[') {
        if let Some((ip, port)) = rest.split_once("]:") {
            return (ip.to_string(), port.parse().ok());
        }
    }
    match text.rsplit_once(':') {
        Some((ip, port)) if !ip.contains(':') => (ip.to_string(), port.parse().ok()),
        _ => (text.to_string(), None),
    }
}

/// A number with a trailing elision (`0...`) or padding removed.
fn num<T: std::str::FromStr>(word: Option<&&str>) -> Option<T> {
    word?
        .trim_end_matches('.')
        .trim_end_matches('…')
        .parse()
        .ok()
}

pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let is_dump = body.is_empty()
        || body.iter().any(|(_, l)| {
            l.trim_start().starts_with("IP Virtual Server")
                || l.trim_start().starts_with("Prot LocalAddress")
        });
    let before = model.ipvs.len();
    let mut current: Option<VirtualServer> = None;
    for (no, raw) in body.iter().copied() {
        let line = raw.trim();
        if line.is_empty()
            || is_elision(line)
            || line.starts_with("IP Virtual Server")
            || line.starts_with("Prot LocalAddress")
            || line.starts_with("-> RemoteAddress")
        {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some(rest) = line.strip_prefix("->") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            let Some(vs) = current.as_mut() else {
                cx.say(
                    no,
                    Severity::Warning,
                    crate::text!(
                        "real server without a virtual server above it",
                        "真实服务器上方没有虚拟服务器"
                    ),
                    &[],
                );
                continue;
            };
            let (ip, port) = split_host_port(words.first().copied().unwrap_or(""));
            vs.real_servers.push(RealServer {
                ip,
                port,
                forward: words.get(1).map(|s| s.to_string()),
                weight: num(words.get(2)),
                active_conn: num(words.get(3)),
                inactive_conn: num(words.get(4)),
                origin: cx.origin([no, no]),
            });
            vs.origin.lines[1] = no;
            continue;
        }
        match words.as_slice() {
            [proto @ ("TCP" | "UDP" | "SCTP" | "FWM"), addr, rest @ ..] => {
                if let Some(done) = current.take() {
                    model.ipvs.push(done);
                }
                let (address, port) = if *proto == "FWM" {
                    (addr.to_string(), None)
                } else {
                    split_host_port(addr)
                };
                let persistent = rest
                    .iter()
                    .position(|w| *w == "persistent")
                    .and_then(|i| num(rest.get(i + 1)));
                current = Some(VirtualServer {
                    protocol: proto.to_string(),
                    address,
                    port,
                    scheduler: rest.first().map(|s| s.to_string()),
                    persistent_timeout: persistent,
                    real_servers: Vec::new(),
                    origin: cx.origin([no, no]),
                });
            }
            _ => cx.say(
                no,
                Severity::Info,
                crate::text!(
                    "line not understood as ipvsadm output: {line}",
                    "无法理解为 ipvsadm 输出的行：{line}"
                ),
                &[("line", line)],
            ),
        }
    }
    if let Some(done) = current {
        model.ipvs.push(done);
    }
    if is_dump || model.ipvs.len() > before {
        model.proxy_dumps.push(cx.dump(ProxyMode::Ipvs, Vec::new()));
    }
}
