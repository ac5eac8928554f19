//! Evaluating NetworkPolicies for one connection: which policies select a
//! pod, and whether their rules admit a peer on a port.

use serde_json::Value;

use crate::model::{label_map, selector_matches, Labels, NetworkPolicy};

/// Direction of the traffic a policy is asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Ingress,
    Egress,
}

fn labels_of(v: Option<&Value>) -> Labels {
    v.and_then(Value::as_object)
        .map(|m| {
            label_map(
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect(),
            )
        })
        .unwrap_or_default()
}

/// Whether `policy` applies to a pod with `labels` (unknown labels: only a
/// policy selecting every pod is known to apply).
pub fn selects(policy: &NetworkPolicy, labels: Option<&Labels>) -> bool {
    let has_expressions = policy
        .spec
        .get("podSelector")
        .and_then(|s| s.get("matchExpressions"))
        .and_then(Value::as_array)
        .is_some_and(|e| !e.is_empty());
    if has_expressions {
        return false;
    }
    match labels {
        Some(l) => selector_matches(&policy.pod_selector, l),
        None => policy.pod_selector.is_empty(),
    }
}

/// Whether the policy restricts traffic in `direction`.
pub fn restricts(policy: &NetworkPolicy, direction: Direction) -> bool {
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
pub struct Peer<'a> {
    pub namespace: Option<&'a str>,
    pub labels: Option<&'a Labels>,
    /// The policy's own namespace, for podSelector-only peers.
    pub policy_namespace: Option<&'a str>,
}

fn peer_matches(peer: &Value, p: &Peer<'_>) -> bool {
    if peer.get("ipBlock").is_some() {
        // Pod traffic is rarely described by ipBlock; do not assume a match.
        return false;
    }
    let ns_sel = peer.get("namespaceSelector");
    let pod_sel = peer.get("podSelector");
    let ns_ok = match ns_sel {
        Some(sel) => {
            let want = labels_of(sel.get("matchLabels"));
            // Namespace labels other than the name are not pasted: assume
            // they match, so that no policy is blamed on a guess.
            want.iter()
                .all(|(k, v)| k != "kubernetes.io/metadata.name" || Some(v.as_str()) == p.namespace)
        }
        None => p.namespace.is_none() || p.namespace == p.policy_namespace,
    };
    let pod_ok = match pod_sel {
        Some(sel) => {
            let want = labels_of(sel.get("matchLabels"));
            want.is_empty() || p.labels.is_some_and(|l| selector_matches(&want, l))
        }
        None => true,
    };
    ns_ok && pod_ok
}

fn port_matches(
    rule_ports: Option<&Value>,
    port: u32,
    protocol: &str,
    port_name: Option<&str>,
) -> bool {
    let Some(ports) = rule_ports.and_then(Value::as_array) else {
        return true;
    };
    if ports.is_empty() {
        return true;
    }
    ports.iter().any(|p| {
        let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
        if !proto.eq_ignore_ascii_case(protocol) {
            return false;
        }
        match p.get("port") {
            None => true,
            Some(Value::Number(n)) => {
                let start = n.as_u64().unwrap_or(0) as u32;
                let end = p
                    .get("endPort")
                    .and_then(Value::as_u64)
                    .map_or(start, |e| e as u32);
                (start..=end).contains(&port)
            }
            Some(Value::String(s)) => {
                Some(s.as_str()) == port_name || s.parse::<u32>().ok() == Some(port)
            }
            _ => false,
        }
    })
}

/// Whether the policy's rules in `direction` admit `peer` on `port`.
pub fn admits(
    policy: &NetworkPolicy,
    direction: Direction,
    peer: &Peer<'_>,
    port: u32,
    protocol: &str,
    port_name: Option<&str>,
) -> bool {
    let (key, peers_key) = match direction {
        Direction::Ingress => ("ingress", "from"),
        Direction::Egress => ("egress", "to"),
    };
    let Some(rules) = policy.spec.get(key).and_then(Value::as_array) else {
        return false;
    };
    rules.iter().any(|rule| {
        let peers_ok = match rule.get(peers_key).and_then(Value::as_array) {
            None => true,
            Some(peers) if peers.is_empty() => true,
            Some(peers) => peers.iter().any(|p| peer_matches(p, peer)),
        };
        peers_ok && port_matches(rule.get("ports"), port, protocol, port_name)
    })
}
