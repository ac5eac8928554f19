//! Masking a paste before it is shared: IP addresses, and the names of
//! Services, workloads, pods, namespaces, nodes and label values, each
//! replaced the same way everywhere it appears, so that the masked paste
//! gives the same diagnosis.
//!
//! - Addresses are permuted bit by bit, each bit flipped by a keyed function
//!   of the bits before it (prefix-preserving, as Crypto-PAn does): two
//!   addresses share exactly as many leading bits after masking as before,
//!   so every CIDR, subnet and "same node" relation holds. The bits that
//!   say what kind of address it is (`10/8`, `172.16/12`, `192.168/16`,
//!   `100.64/10`, the first octet of public ones, the first 16 bits of
//!   IPv6) are kept; loopback, link-local, multicast and unspecified
//!   addresses are not masked at all. A CIDR's host bits stay zero.
//! - Names are found by reading the paste (the same model the diagnosis
//!   uses), then replaced as whole words: `web` becomes `service-1` in the
//!   Service, its DNS names, its selector, the pod names it prefixes
//!   (`web-96d5df5c8-6rtxj` -> `service-1-96d5df5c8-6rtxj`) and the
//!   commands. Case is carried over (`Web` -> `Service-1`), so a selector
//!   that differs from the labels only by case still does. Objects of
//!   `kube-system` and the cluster's own names (`default`, `kubernetes`,
//!   `kube-dns`, `coredns`) are not masked: they identify nothing.
//!
//! The key is random per redaction in the page and the CLI; the same key
//! gives the same masking. This hides names and addresses from the reader
//! of a shared paste; it is not anonymisation against someone who knows
//! the cluster (word lengths, ports and the structure remain).

use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::model::{Labels, Model, Selector};
use crate::{understand, Input};

/// The masked text and what was masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redaction {
    pub text: String,
    /// Distinct addresses masked.
    pub addresses: usize,
    /// Distinct names masked.
    pub names: usize,
}

/// Names that say nothing about whose cluster it is.
const KEEP: &[&str] = &[
    "default",
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "kubernetes",
    "kube-dns",
    "coredns",
    "kube-proxy",
    "localhost",
    // Meshes: label values and parts of the sidecars' names.
    "istio",
    "linkerd",
    "envoy",
    "consul",
    "kuma",
    "dapr",
];

/// Whether a name is one of those that identify nothing: the system's own,
/// and the sidecars meshes inject (which rules recognise by name).
fn kept(word: &str) -> bool {
    KEEP.contains(&word) || crate::checks::pods::sidecar_not_ready::KNOWN_SIDECARS.contains(&word)
}

/// `text` with its addresses and names masked under `key`.
pub fn redact(text: &str, key: u64) -> Redaction {
    let input = Input::from_text(text);
    let understood = understand(&input);
    let mut names = Names::of(&understood.model);
    names.add_prompts(text);
    let mut masker = Masker {
        key,
        names,
        addresses: HashSet::new(),
    };
    let out = masker.mask(text);
    Redaction {
        text: out,
        addresses: masker.addresses.len(),
        names: masker.names.seen.len(),
    }
}

/// The words to mask, each with the kind of thing it names (for a readable
/// replacement) in the order they were found.
struct Names {
    /// Lower-case word -> replacement (lower case).
    map: HashMap<String, String>,
    /// Words masked, by lower-case form, so far.
    seen: HashSet<String>,
}

impl Names {
    fn of(model: &Model) -> Names {
        let mut found: Vec<(&'static str, String)> = Vec::new();
        let system = |ns: &Option<String>| ns.as_deref() == Some("kube-system");
        let add = |found: &mut Vec<(&'static str, String)>, kind, word: Option<&str>| {
            if let Some(w) = word.map(str::trim).filter(|w| is_name(w)) {
                found.push((kind, w.to_ascii_lowercase()));
            }
        };
        let mut labels = Vec::new();
        for s in &model.services {
            if system(&s.namespace) {
                continue;
            }
            add(&mut found, "service", s.name.as_deref());
            add(&mut found, "ns", s.namespace.as_deref());
            if let Selector::Labels(l) = &s.selector {
                labels.push(l);
            }
        }
        for w in &model.workloads {
            if system(&w.namespace) {
                continue;
            }
            add(&mut found, "app", w.name.as_deref());
            add(&mut found, "ns", w.namespace.as_deref());
            labels.extend(w.selector.iter());
            labels.extend(w.template_labels.iter());
        }
        for p in &model.pods {
            if system(&p.namespace) {
                continue;
            }
            add(&mut found, "ns", p.namespace.as_deref());
            add(&mut found, "node", p.node.as_deref().map(first_label));
            labels.extend(p.labels.iter());
            // A pod of a workload is named after it (and usually after its
            // Service): its name is masked as that prefix; a pod of its own
            // gets a name.
            // (Its labels say the workload too: `app=web` for `web-...`,
            // when neither the workload nor the Service was pasted.)
            let owned = p.name.as_deref().is_some_and(|n| {
                let n = n.to_ascii_lowercase();
                let after = |w: &str| n.starts_with(&format!("{w}-"));
                found.iter().any(|(_, w)| after(w))
                    || p.labels
                        .iter()
                        .flat_map(|l| l.values())
                        .any(|v| is_name(v) && after(&v.to_ascii_lowercase()))
            });
            if !owned {
                add(&mut found, "pod", p.name.as_deref());
            }
        }
        for e in &model.endpoints {
            if !system(&e.namespace) {
                add(&mut found, "service", e.name.as_deref());
                add(&mut found, "ns", e.namespace.as_deref());
            }
        }
        for r in &model.proxy_rules {
            if r.namespace != "kube-system" {
                add(&mut found, "service", Some(&r.name));
                add(&mut found, "ns", Some(&r.namespace));
            }
        }
        for n in &model.nodes {
            add(&mut found, "node", n.name.as_deref().map(first_label));
        }
        for l in labels {
            add_labels(&mut found, l);
        }
        let mut map = HashMap::new();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (kind, word) in found {
            if kept(&word) || map.contains_key(&word) {
                continue;
            }
            let n = counts.entry(kind).or_default();
            *n += 1;
            map.insert(word, format!("{kind}-{n}"));
        }
        Names {
            map,
            seen: Default::default(),
        }
    }

    /// The user, host and kube context names that prompts show
    /// (`alice@laptop:~$`, `[root@k8s-master ~]#`,
    /// `(kubernetes-admin@prod|shop) $`).
    fn add_prompts(&mut self, text: &str) {
        let mut found: Vec<(&'static str, String)> = Vec::new();
        for line in text.lines() {
            let Some(head) = crate::read::split::prompt_head(line) else {
                continue;
            };
            for token in head.split(|c: char| c.is_whitespace() || "[]()|".contains(c)) {
                let Some((user, rest)) = token.split_once('@') else {
                    continue;
                };
                let host = rest.split([':', '$', '#', '>', '%']).next().unwrap_or(rest);
                for (kind, word) in [("user", user), ("host", first_label(host))] {
                    if is_name(word) && word != "root" {
                        found.push((kind, word.to_ascii_lowercase()));
                    }
                }
            }
        }
        for (kind, word) in found {
            if kept(&word) || self.map.contains_key(&word) {
                continue;
            }
            let n = self
                .map
                .values()
                .filter(|v| v.starts_with(&format!("{kind}-")))
                .count()
                + 1;
            self.map.insert(word, format!("{kind}-{n}"));
        }
    }

    fn get(&mut self, word: &str) -> Option<&str> {
        let lower = word.to_ascii_lowercase();
        let found = self.map.get(&lower)?;
        self.seen.insert(lower);
        Some(found)
    }
}

fn add_labels(found: &mut Vec<(&'static str, String)>, labels: &Labels) {
    for value in labels.values() {
        if is_name(value) {
            found.push(("label", value.to_ascii_lowercase()));
        }
    }
}

/// A node's name up to its first dot (`ip-10-0-1-5.ec2.internal`).
fn first_label(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// A word that can be masked as a name: letters, digits and `-` (what
/// Kubernetes names are made of), with a letter.
fn is_name(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 253
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && word.bytes().any(|b| b.is_ascii_alphabetic())
}

struct Masker {
    key: u64,
    names: Names,
    /// Addresses masked, as written.
    addresses: HashSet<String>,
}

impl Masker {
    fn mask(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // `_` ends a word: nft chain names run `__10.244.1.5/80`.
            let word_char = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
            if b.is_ascii_hexdigit() || b == b':' {
                // An address: the longest run of address characters, if it
                // parses as one (with a /prefix).
                let prev_ok = i == 0 || !(word_char(bytes[i - 1]) || bytes[i - 1] == b'.');
                let end = i + bytes[i..]
                    .iter()
                    .position(|&c| !(c.is_ascii_hexdigit() || c == b'.' || c == b':'))
                    .unwrap_or(bytes.len() - i);
                let mut run = &text[i..end];
                // A sentence's full stop or a port's colon is not part of it.
                while run.ends_with('.') || (run.ends_with(':') && !run.ends_with("::")) {
                    run = &run[..run.len() - 1];
                }
                let next_ok = bytes
                    .get(i + run.len())
                    .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'-'));
                if prev_ok && next_ok && !run.is_empty() {
                    if let Some(masked) = self.address(run, &text[i + run.len()..]) {
                        out.push_str(&masked.0);
                        i += run.len() + masked.1;
                        continue;
                    }
                }
            }
            if word_char(b) {
                let end = i + bytes[i..]
                    .iter()
                    .position(|&c| !word_char(c))
                    .unwrap_or(bytes.len() - i);
                let word = &text[i..end];
                out.push_str(&self.word(word));
                i = end;
                continue;
            }
            // Any other char, whole (it may be more than one byte).
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + len]);
            i += len;
        }
        out
    }

    /// A word masked: whole, or its leading name before a `-`.
    fn word(&mut self, word: &str) -> String {
        if let Some(new) = self.names.get(word) {
            return with_case(word, new);
        }
        // The longest masked name that starts the word at a `-`; the parts
        // Kubernetes generated after it (a pod-template-hash, a pod's
        // suffix) are masked too, in the same alphabet.
        for (at, _) in word.match_indices('-').rev() {
            if let Some(new) = self.names.get(&word[..at]) {
                let new = with_case(&word[..at], new);
                let rest: Vec<String> = word[at + 1..]
                    .split('-')
                    .map(|part| self.generated(part))
                    .collect();
                return format!("{new}-{}", rest.join("-"));
            }
        }
        word.to_string()
    }

    /// A part Kubernetes generated (`7d4b9c8f5`, `x2x9z`: its "safe"
    /// alphabet, 5 to 10 characters), replaced by another of the same
    /// length under the key; any other part as it is.
    fn generated(&self, part: &str) -> String {
        const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        let generated = (5..=10).contains(&part.len()) && part.bytes().all(|b| SAFE.contains(&b));
        if !generated {
            return part.to_string();
        }
        let mut state = self.key
            ^ part.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
            });
        part.bytes()
            .map(|_| {
                state = mix(state);
                SAFE[(state % SAFE.len() as u64) as usize] as char
            })
            .collect()
    }

    /// The masked form of an address `run` (and of a `/prefix` in `rest`),
    /// with how many bytes of `rest` it took.
    fn address(&mut self, run: &str, rest: &str) -> Option<(String, usize)> {
        let prefix: Option<(u32, usize)> = rest.strip_prefix('/').and_then(|r| {
            let digits = r.bytes().take_while(u8::is_ascii_digit).count();
            (1..=3)
                .contains(&digits)
                .then(|| r[..digits].parse().ok().map(|p| (p, digits + 1)))
                .flatten()
        });
        // `10.96.0.10:53`: the address, then its port.
        if let Some((host, port)) = run.rsplit_once(':') {
            if !host.contains(':') && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
                let (masked, _) = self.address(host, "")?;
                return Some((format!("{masked}:{port}"), 0));
            }
        }
        let (bits, width, kept) = if let Ok(ip) = run.parse::<Ipv4Addr>() {
            if run.bytes().filter(|&b| b == b'.').count() != 3 {
                return None;
            }
            let bits = u32::from(ip);
            (u128::from(bits), 32, kept_v4(bits))
        } else if run.contains(':') {
            let ip: Ipv6Addr = run.parse().ok()?;
            (u128::from(ip), 128, kept_v6(&ip))
        } else {
            return None;
        };
        if kept == width {
            // Loopback, link-local, multicast: left as written.
            return Some((run.to_string(), 0));
        }
        let (host, took) = match prefix.filter(|(p, _)| *p <= width) {
            // A CIDR's host bits stay zero.
            Some((p, took)) => (
                (u128::MAX >> (128 - width)).checked_shr(p).unwrap_or(0),
                took,
            ),
            None => (0, 0),
        };
        let masked = map_bits(bits, width, kept, self.key) & !host;
        let text = if width == 32 {
            Ipv4Addr::from(masked as u32).to_string()
        } else {
            // Written out in full: std's shortest form costs the page's
            // bundle 2 KB, and parsers read both.
            let segments = Ipv6Addr::from(masked).segments();
            segments
                .iter()
                .map(|s| format!("{s:x}"))
                .collect::<Vec<_>>()
                .join(":")
        };
        self.addresses.insert(run.to_string());
        let suffix = rest.get(..took).unwrap_or("");
        Some((format!("{text}{suffix}"), took))
    }
}

/// How many leading bits of an IPv4 address are kept: those that say what
/// kind of address it is; all 32 for addresses that identify nothing.
fn kept_v4(bits: u32) -> u32 {
    let ip = Ipv4Addr::from(bits);
    let [a, b, ..] = ip.octets();
    if ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || a >= 240
    {
        32
    } else if a == 192 && b == 168 {
        16
    } else if a == 172 && (16..32).contains(&b) {
        12
    } else if a == 100 && (64..128).contains(&b) {
        10
    } else {
        8
    }
}

fn kept_v6(ip: &Ipv6Addr) -> u32 {
    let first = ip.segments()[0];
    if ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || first & 0xffc0 == 0xfe80 {
        128
    } else {
        16
    }
}

/// Prefix-preserving permutation of the low `width` bits of `bits`: bit `i`
/// (from the top) is flipped by a keyed function of the bits above it; the
/// top `kept` bits are left alone.
fn map_bits(bits: u128, width: u32, kept: u32, key: u64) -> u128 {
    let mut out = bits;
    for i in kept..width {
        let above = if i == 0 { 0 } else { bits >> (width - i) };
        let flip = mix(key ^ u64::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ fold(above)) & 1;
        out ^= u128::from(flip) << (width - 1 - i);
    }
    out
}

fn fold(x: u128) -> u64 {
    (x as u64) ^ mix((x >> 64) as u64)
}

/// splitmix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `new` (lower case) with the case pattern of `old`: all upper, first
/// upper, or lower.
fn with_case(old: &str, new: &str) -> String {
    let letters: Vec<u8> = old.bytes().filter(u8::is_ascii_alphabetic).collect();
    if letters.len() > 1 && letters.iter().all(u8::is_ascii_uppercase) {
        new.to_ascii_uppercase()
    } else if old.bytes().next().is_some_and(|b| b.is_ascii_uppercase()) {
        let mut s = new.to_string();
        s[..1].make_ascii_uppercase();
        s
    } else {
        new.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_keep_their_kind_and_their_subnets() {
        let key = 7;
        let m = |s: &str| {
            Ipv4Addr::from(map_bits(
                u128::from(u32::from(s.parse::<Ipv4Addr>().unwrap())),
                32,
                kept_v4(u32::from(s.parse::<Ipv4Addr>().unwrap())),
                key,
            ) as u32)
        };
        let a = m("10.244.1.5");
        let b = m("10.244.1.77");
        let c = m("10.96.0.10");
        assert_eq!(a.octets()[0], 10);
        assert_eq!(a.octets()[..3], b.octets()[..3], "same /24");
        assert_ne!(a.octets()[1..3], c.octets()[1..3]);
        assert_eq!(m("127.0.0.1"), Ipv4Addr::new(127, 0, 0, 1));
        assert_eq!(m("169.254.20.10"), Ipv4Addr::new(169, 254, 20, 10));
        assert_eq!(m("192.168.3.4").octets()[..2], [192, 168]);
        assert_ne!(m("10.244.1.5"), Ipv4Addr::new(10, 244, 1, 5));
    }

    #[test]
    fn ipv6_addresses_are_masked_in_full_and_keep_their_prefix() {
        let r = redact("pod IPs: fd00:10:244::5 fd00:10:244::6 ::1 fe80::1 [fd00:10:96::a]:53 fd00:10:244::/64\n", 3);
        let words: Vec<&str> = r.text.split_whitespace().collect();
        assert!(
            words[2].starts_with("fd00:") && words[2].split(':').count() == 8,
            "{}",
            r.text
        );
        let a: Vec<&str> = words[2].split(':').collect();
        let b: Vec<&str> = words[3].split(':').collect();
        assert_eq!(a[..7], b[..7], "same /112 stays the same: {}", r.text);
        assert_eq!((words[4], words[5]), ("::1", "fe80::1"));
        assert!(
            words[6].starts_with("[fd00:") && words[6].ends_with("]:53"),
            "{}",
            r.text
        );
        assert!(
            words[7].ends_with(":0:0:0:0/64"),
            "host bits zero: {}",
            r.text
        );
        assert!(!r.text.contains("10:244"), "{}", r.text);
    }

    #[test]
    fn prompts_and_generated_pod_names_are_masked() {
        let text = "alice@laptop:~$ kubectl get svc web -n shop
NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
web    ClusterIP   10.96.0.20   <none>        80/TCP    5d
(ops@prod-eu|shop) $ kubectl get pods -n shop -o wide
NAME                  READY   STATUS    RESTARTS   AGE   IP           NODE
web-7d4b9c8f5-x2x9z   1/1     Running   0          5d    10.244.1.5   k8s-node1
";
        let r = redact(text, 7);
        for secret in ["alice", "laptop", "ops", "prod-eu", "7d4b9c8f5", "x2x9z"] {
            assert!(!r.text.contains(secret), "{secret} left in:\n{}", r.text);
        }
        // The same pod is masked the same way wherever it appears, and
        // still reads as a pod of its workload.
        let pod = r
            .text
            .lines()
            .nth(5)
            .and_then(|l| l.split_whitespace().next())
            .unwrap();
        assert_eq!(pod.split('-').count(), 4, "{pod}");
        assert_eq!(redact(text, 7).text, r.text);
    }

    #[test]
    fn a_paste_is_masked_consistently() {
        let text = "$ kubectl get svc web -n shop -o wide\nNAME TYPE CLUSTER-IP PORT(S) SELECTOR\nweb ClusterIP 10.104.0.64 80/TCP app=Web\n$ kubectl get pods -n shop -o wide --show-labels\nNAME READY STATUS RESTARTS AGE IP NODE LABELS\nweb-96d5df5c8-6rtxj 1/1 Running 0 1m 10.244.1.5 worker-1.corp.example app=Web\n$ nslookup web.shop\nServer: 10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n";
        let r = redact(text, 42);
        for secret in [
            "web",
            "Web",
            "shop",
            "10.104.0.64",
            "10.244.1.5",
            "worker-1",
        ] {
            assert!(
                !r.text.contains(&format!("{secret} ")),
                "{secret} in\n{}",
                r.text
            );
        }
        assert!(
            r.text.contains("kube-dns.kube-system.svc.cluster.local"),
            "{}",
            r.text
        );
        // The pod keeps its workload's masked name; the parts Kubernetes
        // generated are masked in the same shape.
        assert!(
            !r.text.contains("96d5df5c8") && !r.text.contains("6rtxj"),
            "{}",
            r.text
        );
        let pod = r
            .text
            .split_whitespace()
            .find(|w| w.starts_with("service-1-"))
            .unwrap();
        let parts: Vec<usize> = pod["service-1-".len()..].split('-').map(str::len).collect();
        assert_eq!(parts, [9, 5], "{pod}");
        assert!(
            r.text.contains("app=Service-1") || r.text.contains("app=Label-"),
            "{}",
            r.text
        );
        assert_eq!(redact(text, 42), r, "the same key masks the same way");
        assert_ne!(redact(text, 43).text, r.text);
        assert_eq!(text.lines().count(), r.text.lines().count());
    }
}
