//! A node's kernel settings: `sysctl` (`net.ipv4.ip_forward = 0`, and its
//! `cannot stat` complaint about a key the kernel lacks), `/proc/sys` files
//! read with `cat` or `grep . FILE...`, `lsmod` (a `| grep br_netfilter`
//! that prints nothing says the module is not loaded), and bridge ports'
//! `hairpin_mode`.

use crate::model::{Model, NodeSetting};
use crate::parse::Context;

/// A `sysctl` line: `net.ipv4.ip_forward = 1` (key, value).
pub fn setting(line: &str) -> Option<(String, String)> {
    let (key, value) = line.trim().split_once(" = ")?;
    let known = ["net.", "kernel.", "vm.", "fs.", "user."];
    let is_key = known.iter().any(|p| key.starts_with(p))
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b));
    is_key.then(|| (key.to_string(), value.trim().to_string()))
}

/// The sysctl key of a `/proc/sys` path: `/proc/sys/net/ipv4/ip_forward`
/// is `net.ipv4.ip_forward`; a bridge port's
/// `/sys/devices/virtual/net/cni0/brif/veth1a2b/hairpin_mode` is
/// `hairpin_mode:veth1a2b`.
fn key_of_path(path: &str) -> Option<String> {
    if let Some(rest) = path.split_once("/proc/sys/").map(|(_, r)| r) {
        return Some(rest.trim_end_matches('/').replace('/', "."));
    }
    let port = path.strip_suffix("/hairpin_mode")?.rsplit('/').next()?;
    Some(format!("hairpin_mode:{port}"))
}

/// `br_netfilter  32768  0` (lsmod: name, size, use count, users).
fn module(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    let name = words.next()?;
    let size = words.next()?;
    (size.bytes().all(|b| b.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    .then_some(name)
}

pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    let command = cx.tool_command();
    // `cat /proc/sys/net/ipv4/ip_forward`: one file, its value alone.
    let file_key = command
        .as_ref()
        .filter(|c| c.program == "cat")
        .and_then(|c| {
            let files: Vec<&String> = c.args.iter().filter(|a| !a.starts_with('-')).collect();
            match files.as_slice() {
                [one] if !one.contains('*') => key_of_path(one),
                _ => None,
            }
        });
    // `lsmod | grep br_netfilter`: the modules asked about.
    let asked: Vec<String> = command
        .as_ref()
        .filter(|c| c.program == "lsmod")
        .map(|c| {
            c.pipes
                .iter()
                .filter(|stage| stage.first().is_some_and(|p| p.contains("grep")))
                .flat_map(|stage| stage.iter().skip(1).filter(|w| !w.starts_with('-')))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut modules: Vec<String> = Vec::new();
    for (no, raw) in cx.body() {
        let line = raw.trim();
        let origin = cx.origin([no, no]);
        let mut push = |key: String, value: Option<String>| {
            model.node_settings.push(NodeSetting { key, value, origin });
        };
        if line.is_empty() || line.starts_with("Module ") {
            continue;
        }
        if let Some(path) = line
            .strip_prefix("sysctl: cannot stat ")
            .and_then(|r| r.split(": ").next())
        {
            if let Some(key) = key_of_path(path) {
                push(key, None);
            }
        } else if let Some((key, value)) = setting(line) {
            push(key, Some(value));
        } else if let Some((path, value)) = line.split_once(':').filter(|(p, _)| p.starts_with('/'))
        {
            // `grep . /proc/sys/net/ipv4/ip_forward` prints `FILE:VALUE`.
            if let Some(key) = key_of_path(path) {
                push(key, Some(value.trim().to_string()));
            }
        } else if let Some(key) = &file_key {
            push(key.clone(), Some(line.to_string()));
        } else if let Some(name) = module(line) {
            modules.push(name.to_string());
            push(format!("module:{name}"), Some("loaded".into()));
        }
    }
    // A module grepped for and not listed is not loaded.
    for name in asked {
        if !modules.contains(&name) {
            let at = cx.artifact.first_line;
            model.node_settings.push(NodeSetting {
                key: format!("module:{name}"),
                value: None,
                origin: cx.origin([at, cx.artifact.last_line.max(at)]),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_lines_and_paths() {
        assert_eq!(
            setting("net.ipv4.ip_forward = 0"),
            Some(("net.ipv4.ip_forward".into(), "0".into()))
        );
        assert_eq!(setting("name = web"), None);
        assert_eq!(
            key_of_path("/proc/sys/net/bridge/bridge-nf-call-iptables").as_deref(),
            Some("net.bridge.bridge-nf-call-iptables")
        );
        assert_eq!(
            key_of_path("/sys/devices/virtual/net/cni0/brif/veth1a2b/hairpin_mode").as_deref(),
            Some("hairpin_mode:veth1a2b")
        );
        assert_eq!(
            module("br_netfilter           32768  0"),
            Some("br_netfilter")
        );
        assert_eq!(module("Module                  Size  Used by"), None);
    }
}
