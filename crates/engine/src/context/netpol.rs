//! Evaluating NetworkPolicies for one connection: which policies select a
//! pod, and whether their rules admit a peer on a port.
//!
//! Selectors are evaluated whole (matchLabels and matchExpressions). What
//! the paste does not show is never held against a policy's peer when the
//! answer would rest on a guess: a namespace's labels other than its name
//! (unless its Namespace object or `get ns --show-labels` was pasted) are
//! assumed to match, and an ipBlock is decided only on known addresses.

use std::net::IpAddr;

use serde_json::Value;

use crate::model::Labels;

/// Direction of the traffic a policy is asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Ingress,
    Egress,
}

/// Whether any of several three-valued answers holds: yes if one surely
/// does, unknown if none does but one may, no otherwise.
pub(crate) fn any_holds(answers: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for a in answers {
        match a {
            Some(true) => return Some(true),
            Some(false) => {}
            None => unknown = true,
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

/// The label every namespace carries with its own name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Whether a label selector admits `labels`. With `known` false, only the
/// requirements on `decidable` keys count; the others are taken to hold.
pub(crate) fn selector_admits(
    sel: &Value,
    labels: &Labels,
    known: bool,
    decidable: &[&str],
) -> bool {
    let counts = |key: &str| known || decidable.contains(&key);
    let plain = sel
        .get("matchLabels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(k, _)| counts(k))
        .all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str());
    let expressions = sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .all(|e| {
            let key = e.get("key").and_then(Value::as_str).unwrap_or("");
            if !counts(key) {
                return true;
            }
            let values: Vec<&str> = e
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let value = labels.get(key).map(String::as_str);
            match e.get("operator").and_then(Value::as_str).unwrap_or("") {
                "In" => value.is_some_and(|v| values.contains(&v)),
                "NotIn" => value.is_none_or(|v| !values.contains(&v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                // An operator Kubernetes would have refused.
                _ => false,
            }
        });
    plain && expressions
}

/// Whether a selector selects everything (`{}`).
pub(crate) fn is_empty_selector(sel: &Value) -> bool {
    let empty = |key: &str| {
        sel.get(key).is_none_or(|v| {
            v.as_object().is_some_and(|m| m.is_empty())
                || v.as_array().is_some_and(|a| a.is_empty())
                || v.is_null()
        })
    };
    empty("matchLabels") && empty("matchExpressions")
}

/// Whether `policy` applies to a pod with `labels` (unknown labels: only a
/// policy selecting every pod is known to apply).
pub fn selects(policy: &crate::model::NetworkPolicy, labels: Option<&Labels>) -> bool {
    let Some(sel) = policy.spec.get("podSelector") else {
        return true;
    };
    match labels {
        Some(l) => selector_admits(sel, l, true, &[]),
        None => is_empty_selector(sel),
    }
}

/// Whether `policy` applies to a pod whose `labels` may be only some of
/// its own (`partial`): `None` when that cannot be decided.
pub fn selects_pod(
    policy: &crate::model::NetworkPolicy,
    labels: Option<&Labels>,
    partial: bool,
) -> Option<bool> {
    match policy.spec.get("podSelector") {
        None => Some(true),
        Some(sel) => selector_on(sel, labels, partial),
    }
}

/// A label selector on a pod's labels, which may be unknown (`None`) or
/// only some of its own (`partial`): `None` when that cannot be decided.
pub(crate) fn selector_on(sel: &Value, labels: Option<&Labels>, partial: bool) -> Option<bool> {
    if is_empty_selector(sel) {
        return Some(true);
    }
    let labels = labels?;
    if selector_admits(sel, labels, true, &[]) {
        return Some(true);
    }
    if !partial {
        return Some(false);
    }
    let known: Vec<&str> = labels.keys().map(String::as_str).collect();
    (!selector_admits(sel, labels, false, &known)).then_some(false)
}

/// Whether the policy restricts traffic in `direction`.
pub fn restricts(policy: &crate::model::NetworkPolicy, direction: Direction) -> bool {
    let types = &policy.policy_types;
    match direction {
        Direction::Ingress => types.is_empty() || types.iter().any(|t| t == "Ingress"),
        Direction::Egress => {
            types.iter().any(|t| t == "Egress")
                || (types.is_empty() && policy.spec.get("egress").is_some())
        }
    }
}

/// A peer the traffic comes from or goes to.
#[derive(Default)]
pub struct Peer<'a> {
    pub namespace: Option<&'a str>,
    /// The peer namespace's labels, when its Namespace object was pasted.
    pub namespace_labels: Option<&'a Labels>,
    /// The peer pod's labels; `None` when not known (a podSelector is then
    /// undecidable).
    pub labels: Option<&'a Labels>,
    /// The labels are only some of the pod's (a Service's selector): a
    /// requirement on another key is undecidable.
    pub labels_partial: bool,
    /// The addresses a policy sees for the peer: pod IPs (after kube-proxy's
    /// DNAT, never a cluster IP). Empty when not known.
    pub ips: Vec<&'a str>,
    /// The policy's own namespace, for podSelector-only peers.
    pub policy_namespace: Option<&'a str>,
}

/// The labels of namespace `ns`, when its object or `--show-labels` row was
/// pasted.
pub fn namespace_labels<'m>(
    model: &'m crate::model::Model,
    ns: Option<&str>,
) -> Option<&'m Labels> {
    let ns = ns?;
    model
        .namespaces
        .iter()
        .find(|n| n.name == ns)
        .map(|n| &n.labels)
}

/// Whether `cidr` contains `ip`; `None` when either does not parse or the
/// families differ.
pub fn cidr_contains(cidr: &str, ip: &str) -> Option<bool> {
    let (net, bits) = cidr.trim().split_once('/').unwrap_or((cidr.trim(), ""));
    let net: IpAddr = net.parse().ok()?;
    let ip: IpAddr = ip.trim().trim_matches(['[', ']']).parse().ok()?;
    let width = if net.is_ipv4() { 32 } else { 128 };
    let bits: u32 = if bits.is_empty() {
        width
    } else {
        bits.parse().ok()?
    };
    if bits > width {
        return None;
    }
    let (a, b) = match (net, ip) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u128::from(u32::from(a)), u128::from(u32::from(b))),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b)),
        _ => return Some(false),
    };
    if bits == 0 {
        return Some(true);
    }
    let shift = width - bits;
    Some(a >> shift == b >> shift)
}

/// An ipBlock's verdict on one address: in its cidr and in none of its
/// excepts.
fn block_admits(block: &Value, ip: &str) -> Option<bool> {
    let cidr = block.get("cidr").and_then(Value::as_str)?;
    if !cidr_contains(cidr, ip)? {
        return Some(false);
    }
    let excepted = block
        .get("except")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|e| cidr_contains(e, ip) == Some(true));
    Some(!excepted)
}

/// Whether one `from`/`to` entry matches the peer; `None` when that rests
/// on addresses the paste does not show.
fn peer_matches(entry: &Value, p: &Peer<'_>) -> Option<bool> {
    if let Some(block) = entry.get("ipBlock") {
        // Every address of the peer let through: a match; none: no match;
        // some (some pods in the range, others not): not decided here.
        let verdicts: Vec<Option<bool>> = p.ips.iter().map(|ip| block_admits(block, ip)).collect();
        return match verdicts.as_slice() {
            [] => None,
            v if v.iter().all(|x| *x == Some(true)) => Some(true),
            v if v.iter().all(|x| *x == Some(false)) => Some(false),
            _ => None,
        };
    }
    let ns_ok = match entry.get("namespaceSelector") {
        Some(sel) => {
            let mut labels = p.namespace_labels.cloned().unwrap_or_default();
            if let Some(ns) = p.namespace {
                labels.insert(NAMESPACE_NAME_LABEL.to_string(), ns.to_string());
            }
            // Without the namespace's labels, only its name is known.
            let decidable: &[&str] = if p.namespace.is_some() {
                &[NAMESPACE_NAME_LABEL]
            } else {
                &[]
            };
            selector_admits(sel, &labels, p.namespace_labels.is_some(), decidable)
        }
        None => p.namespace.is_none() || p.namespace == p.policy_namespace,
    };
    let pod_ok = match entry.get("podSelector") {
        Some(sel) if is_empty_selector(sel) => Some(true),
        // The peer's labels not known: the selector cannot be decided.
        // Only some of the labels known: a "no" on those is certain.
        Some(sel) => selector_on(sel, p.labels, p.labels_partial),
        None => Some(true),
    };
    match (ns_ok, pod_ok) {
        (false, _) | (_, Some(false)) => Some(false),
        (true, Some(true)) => Some(true),
        (true, None) => None,
    }
}

/// Whether a rule's ports admit the connection. A named port matches the
/// name of the container port the traffic goes to. `None` when the port is
/// not known and the rule names ports.
fn port_matches(
    rule_ports: Option<&Value>,
    port: Option<u32>,
    protocol: &str,
    port_name: Option<&str>,
) -> Option<bool> {
    let Some(ports) = rule_ports.and_then(Value::as_array) else {
        return Some(true);
    };
    if ports.is_empty() {
        return Some(true);
    }
    any_holds(ports.iter().map(|p| {
        let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
        if !proto.eq_ignore_ascii_case(protocol) {
            return Some(false);
        }
        match (p.get("port"), port) {
            (None, _) => Some(true),
            (Some(Value::String(s)), _) if Some(s.as_str()) == port_name => Some(true),
            (Some(_), None) => None,
            (Some(Value::Number(n)), Some(port)) => {
                let start = n.as_u64().unwrap_or(0) as u32;
                let end = p
                    .get("endPort")
                    .and_then(Value::as_u64)
                    .map_or(start, |e| e as u32);
                Some((start..=end).contains(&port))
            }
            // A name: only the container port's name can tell.
            (Some(Value::String(s)), Some(port)) => match s.parse::<u32>() {
                Ok(n) => Some(n == port),
                Err(_) => port_name.map(|_| false),
            },
            _ => Some(false),
        }
    }))
}

/// The ipBlocks of the policy's rules in `direction` (for explaining why
/// they do not admit an address).
pub fn ip_blocks(policy: &crate::model::NetworkPolicy, direction: Direction) -> Vec<&str> {
    let (key, peers_key) = keys(direction);
    policy
        .spec
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|rule| rule.get(peers_key).and_then(Value::as_array))
        .flatten()
        .filter_map(|p| p.get("ipBlock")?.get("cidr")?.as_str())
        .collect()
}

fn keys(direction: Direction) -> (&'static str, &'static str) {
    match direction {
        Direction::Ingress => ("ingress", "from"),
        Direction::Egress => ("egress", "to"),
    }
}

/// Whether the policy's rules in `direction` admit `peer` on `port`:
/// `None` when that cannot be decided from what was pasted.
pub fn admits_peer(
    policy: &crate::model::NetworkPolicy,
    direction: Direction,
    peer: &Peer<'_>,
    port: Option<u32>,
    protocol: &str,
    port_name: Option<&str>,
) -> Option<bool> {
    let (key, peers_key) = keys(direction);
    let Some(rules) = policy.spec.get(key).and_then(Value::as_array) else {
        return Some(false);
    };
    let mut undecided = false;
    for rule in rules {
        let ports = port_matches(rule.get("ports"), port, protocol, port_name);
        if ports == Some(false) {
            continue;
        }
        let port_known = ports.is_some();
        let peers = match rule.get(peers_key).and_then(Value::as_array) {
            Some(peers) if !peers.is_empty() => peers.as_slice(),
            _ => &[],
        };
        let matched = if peers.is_empty() {
            Some(true)
        } else {
            any_holds(peers.iter().map(|e| peer_matches(e, peer)))
        };
        match matched {
            Some(true) if port_known => return Some(true),
            Some(false) => {}
            _ => undecided = true,
        }
    }
    if undecided {
        None
    } else {
        Some(false)
    }
}

/// Whether the policy's rules in `direction` admit `peer` on `port`,
/// an undecidable answer counting as admitted (no policy is blamed on a
/// guess).
pub fn admits(
    policy: &crate::model::NetworkPolicy,
    direction: Direction,
    peer: &Peer<'_>,
    port: Option<u32>,
    protocol: &str,
    port_name: Option<&str>,
) -> bool {
    admits_peer(policy, direction, peer, port, protocol, port_name).unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NetworkPolicy, Origin};

    fn policy(spec: Value) -> NetworkPolicy {
        NetworkPolicy {
            namespace: Some("default".into()),
            name: Some("p".into()),
            pod_selector: Labels::new(),
            policy_types: spec
                .get("policyTypes")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
            spec,
            origin: Origin::default(),
        }
    }

    use crate::model::labels_of as labels;

    #[test]
    fn cidrs() {
        assert_eq!(cidr_contains("10.244.0.0/16", "10.244.2.5"), Some(true));
        assert_eq!(cidr_contains("10.96.0.20/32", "10.244.2.5"), Some(false));
        assert_eq!(cidr_contains("0.0.0.0/0", "192.168.1.1"), Some(true));
        assert_eq!(cidr_contains("fd00::/8", "[fd00::5]"), Some(true));
        assert_eq!(cidr_contains("fd00::/8", "10.0.0.1"), Some(false));
        assert_eq!(cidr_contains("10.0.0.0/33", "10.0.0.1"), None);
        assert_eq!(cidr_contains("bogus", "10.0.0.1"), None);
    }

    #[test]
    fn expressions_select() {
        let p = policy(serde_json::json!({
            "podSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]}
        }));
        assert!(selects(&p, Some(&labels(&[("app", "web")]))));
        assert!(!selects(&p, Some(&labels(&[("app", "db")]))));
        assert!(!selects(&p, None));
        let not = policy(serde_json::json!({
            "podSelector": {"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}
        }));
        assert!(selects(&not, Some(&labels(&[("app", "web")]))));
        assert!(!selects(&not, Some(&labels(&[("tier", "x")]))));
    }

    #[test]
    fn namespace_labels_decide_when_known() {
        let p = policy(serde_json::json!({
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "shop"}}}]}]
        }));
        let mut peer = Peer {
            namespace: Some("shop"),
            policy_namespace: Some("default"),
            ..Peer::default()
        };
        // Unknown labels: assumed to match.
        assert_eq!(
            admits_peer(&p, Direction::Ingress, &peer, Some(80), "TCP", None),
            Some(true)
        );
        let ns = labels(&[("team", "payments")]);
        peer.namespace_labels = Some(&ns);
        assert_eq!(
            admits_peer(&p, Direction::Ingress, &peer, Some(80), "TCP", None),
            Some(false)
        );
    }

    #[test]
    fn ip_blocks_see_pod_addresses() {
        let p = policy(serde_json::json!({
            "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "10.96.0.20/32"}}], "ports": [{"port": 80}]}]
        }));
        let mut peer = Peer {
            namespace: Some("default"),
            policy_namespace: Some("default"),
            ..Peer::default()
        };
        assert_eq!(
            admits_peer(&p, Direction::Egress, &peer, Some(80), "TCP", None),
            None
        );
        peer.ips = vec!["10.244.1.5"];
        assert_eq!(
            admits_peer(&p, Direction::Egress, &peer, Some(80), "TCP", None),
            Some(false)
        );
        let wide = policy(serde_json::json!({
            "egress": [{"to": [{"ipBlock": {"cidr": "10.244.0.0/16", "except": ["10.244.2.0/24"]}}]}]
        }));
        assert_eq!(
            admits_peer(&wide, Direction::Egress, &peer, Some(80), "TCP", None),
            Some(true)
        );
        // Some pods in the range, one excepted: not "none of them".
        peer.ips = vec!["10.244.1.5", "10.244.2.9"];
        assert_eq!(
            admits_peer(&wide, Direction::Egress, &peer, Some(80), "TCP", None),
            None
        );
        peer.ips = vec!["10.244.2.9"];
        assert_eq!(
            admits_peer(&wide, Direction::Egress, &peer, Some(80), "TCP", None),
            Some(false)
        );
    }

    #[test]
    fn a_selector_is_only_some_of_the_pods_labels() {
        let p = policy(serde_json::json!({
            "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "web", "tier": "api"}}}]}]
        }));
        let sel = labels(&[("app", "web")]);
        let mut peer = Peer {
            namespace: Some("default"),
            policy_namespace: Some("default"),
            labels: Some(&sel),
            labels_partial: true,
            ..Peer::default()
        };
        // The pods may carry tier=api too.
        assert_eq!(
            admits_peer(&p, Direction::Egress, &peer, Some(80), "TCP", None),
            None
        );
        let other = labels(&[("app", "db")]);
        peer.labels = Some(&other);
        assert_eq!(
            admits_peer(&p, Direction::Egress, &peer, Some(80), "TCP", None),
            Some(false)
        );
    }

    #[test]
    fn named_ports_and_ranges() {
        let p = policy(serde_json::json!({
            "ingress": [{"ports": [{"port": "http"}, {"port": 9000, "endPort": 9100}]}]
        }));
        let peer = Peer::default();
        assert_eq!(
            admits_peer(
                &p,
                Direction::Ingress,
                &peer,
                Some(8080),
                "TCP",
                Some("http")
            ),
            Some(true)
        );
        // Without the container port's name, a named port may be it.
        assert_eq!(
            admits_peer(&p, Direction::Ingress, &peer, Some(8080), "TCP", None),
            None
        );
        assert_eq!(
            admits_peer(
                &p,
                Direction::Ingress,
                &peer,
                Some(8080),
                "TCP",
                Some("web")
            ),
            Some(false)
        );
        assert_eq!(
            admits_peer(&p, Direction::Ingress, &peer, Some(9050), "TCP", None),
            Some(true)
        );
        assert_eq!(
            admits_peer(&p, Direction::Ingress, &peer, Some(9050), "UDP", None),
            Some(false)
        );
    }
}
