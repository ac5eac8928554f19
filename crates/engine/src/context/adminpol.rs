//! The cluster-scoped policy tiers around NetworkPolicies
//! (`policy.networking.k8s.io/v1alpha1`): AdminNetworkPolicies act before
//! them (Allow and Deny are final, Pass hands over to the NetworkPolicies),
//! the BaselineAdminNetworkPolicy after them (only where no NetworkPolicy
//! selects the pod). For one connection and one direction, this says which
//! tier decided and how, or that the paste cannot tell.

use serde_json::Value;

use crate::context::netpol::{
    any_holds, cidr_contains, selector_admits, selector_on, Direction, NAMESPACE_NAME_LABEL,
};
use crate::model::{AdminPolicy, Labels, Model};

/// A pod at one end of the connection, as far as pasted.
#[derive(Clone, Copy)]
pub struct End<'a> {
    pub namespace: &'a str,
    pub namespace_labels: Option<&'a Labels>,
    pub labels: Option<&'a Labels>,
    /// The labels are only some of the pod's (a Service's selector).
    pub labels_partial: bool,
    /// Its addresses, for `networks` peers.
    pub ips: &'a [&'a str],
}

/// The port a connection goes to: number, protocol, the container port's
/// name.
#[derive(Clone, Copy)]
pub struct Port<'a> {
    /// `None` when not known (a table shows no target port).
    pub number: Option<u32>,
    pub protocol: &'a str,
    pub name: Option<&'a str>,
}

/// What the admin tiers say of a connection in one direction.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict<'m> {
    /// An AdminNetworkPolicy allows it: NetworkPolicies do not matter.
    Allowed(&'m AdminPolicy, String),
    /// An AdminNetworkPolicy, or the baseline where no NetworkPolicy
    /// selects the pod, denies it.
    Denied(&'m AdminPolicy, String),
    /// Nothing decides it here (or a rule passes it on).
    Undecided,
    /// A rule would match or not on labels or addresses not pasted.
    Unknown,
}

/// A namespace selector on `end`'s namespace: its name label always known.
fn namespace_holds(sel: &Value, end: &End<'_>) -> Option<bool> {
    let mut labels = end.namespace_labels.cloned().unwrap_or_default();
    labels.insert(NAMESPACE_NAME_LABEL.into(), end.namespace.into());
    let keys_known = end.namespace_labels.is_some()
        || [sel.get("matchLabels"), sel.get("matchExpressions")]
            .into_iter()
            .flatten()
            .all(|part| {
                let only_name = |k: &str| k == NAMESPACE_NAME_LABEL;
                part.as_object()
                    .is_some_and(|m| m.keys().all(|k| only_name(k)))
                    || part.as_array().is_some_and(|a| {
                        a.iter()
                            .all(|e| e.get("key").and_then(Value::as_str).is_some_and(only_name))
                    })
            });
    if keys_known {
        selector_on(sel, Some(&labels), false)
    } else {
        // Labels other than the name not pasted: only a "no" on the name
        // is certain.
        (!selector_admits(sel, &labels, false, &[NAMESPACE_NAME_LABEL])).then_some(false)
    }
}

/// `subject` or a `pods`/`namespaces` peer against one end.
fn selects(entry: &Value, end: &End<'_>) -> Option<bool> {
    if let Some(ns) = entry.get("namespaces") {
        return namespace_holds(ns, end);
    }
    if let Some(pods) = entry.get("pods") {
        let ns = pods
            .get("namespaceSelector")
            .map_or(Some(true), |s| namespace_holds(s, end));
        let pod = pods.get("podSelector").map_or(Some(true), |s| {
            selector_on(s, end.labels, end.labels_partial)
        });
        return match (ns, pod) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
    }
    if let Some(networks) = entry.get("networks").and_then(Value::as_array) {
        if end.ips.is_empty() {
            return None;
        }
        return Some(end.ips.iter().all(|ip| {
            networks
                .iter()
                .filter_map(Value::as_str)
                .any(|cidr| cidr_contains(cidr, ip) == Some(true))
        }));
    }
    // `nodes` and peers of later versions: not this connection's kind.
    Some(false)
}

/// Whether a rule's ports hold the connection's; `None` when its port is
/// not known and the rule names numbers.
fn ports_hold(ports: Option<&Value>, port: &Port<'_>) -> Option<bool> {
    let Some(ports) = ports.and_then(Value::as_array) else {
        return Some(true);
    };
    let proto_ok = |v: &Value| {
        v.get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("TCP")
            .eq_ignore_ascii_case(port.protocol)
    };
    any_holds(ports.iter().map(|p| {
        if let Some(n) = p.get("portNumber") {
            let want = n.get("port").and_then(Value::as_u64);
            port.number
                .map(|number| proto_ok(n) && want == Some(u64::from(number)))
        } else if let Some(n) = p.get("namedPort").and_then(Value::as_str) {
            if Some(n) == port.name {
                Some(true)
            } else {
                port.name.map(|_| false)
            }
        } else if let Some(r) = p.get("portRange") {
            let start = r.get("start").and_then(Value::as_u64).unwrap_or(u64::MAX);
            let end = r.get("end").and_then(Value::as_u64).unwrap_or(0);
            port.number
                .map(|number| proto_ok(r) && (start..=end).contains(&u64::from(number)))
        } else {
            Some(false)
        }
    }))
}

/// The first rule of `policy` in `direction` that matches the connection:
/// its action and name, `Some(None)` when none matches, `None` when that
/// rests on what was not pasted.
fn first_match<'p>(
    policy: &'p Value,
    direction: Direction,
    peer: &End<'_>,
    port: &Port<'_>,
) -> Option<Option<(&'p str, &'p str)>> {
    let (key, peers_key) = match direction {
        Direction::Ingress => ("ingress", "from"),
        Direction::Egress => ("egress", "to"),
    };
    for rule in policy
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let ports = ports_hold(rule.get("ports"), port);
        if ports == Some(false) {
            continue;
        }
        let matched = any_holds(
            rule.get(peers_key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|entry| selects(entry, peer)),
        );
        match matched {
            // The rule's peer matches, its ports may or may not.
            Some(true) if ports.is_none() => return None,
            Some(true) => {
                let action = rule.get("action").and_then(Value::as_str).unwrap_or("");
                let rule_name = rule.get("name").and_then(Value::as_str).unwrap_or("");
                return Some(Some((action, rule_name)));
            }
            Some(false) => {}
            // An earlier rule that may match hides what the later ones say.
            None => return None,
        }
    }
    Some(None)
}

/// The admin tiers' verdict on traffic in `direction` at `subject` (the
/// pod whose ingress or egress it is), from or to `peer` on `port`.
/// `np_selects`: whether a NetworkPolicy selects the subject in that
/// direction (the baseline applies only where none does); `None` when
/// that cannot be decided.
pub fn verdict<'m>(
    model: &'m Model,
    direction: Direction,
    subject: &End<'_>,
    peer: &End<'_>,
    port: &Port<'_>,
    np_selects: Option<bool>,
) -> Verdict<'m> {
    let mut admins: Vec<&AdminPolicy> = model
        .admin_policies
        .iter()
        .filter(|p| p.kind == "AdminNetworkPolicy" && p.spec.is_some())
        .collect();
    // Lower numbers first; the order among equals is not defined.
    admins.sort_by_key(|p| {
        p.spec
            .as_ref()
            .and_then(|s| s.get("priority"))
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX)
    });
    let baselines = model
        .admin_policies
        .iter()
        .filter(|p| p.kind == "BaselineAdminNetworkPolicy" && p.spec.is_some());
    for policy in admins {
        match decide(policy, direction, subject, peer, port) {
            None => return Verdict::Unknown,
            // Pass: on to the NetworkPolicies, past the other admins.
            Some(Some(("Pass", _))) => break,
            Some(Some(("Allow", rule))) => return Verdict::Allowed(policy, rule.into()),
            Some(Some(("Deny", rule))) => return Verdict::Denied(policy, rule.into()),
            Some(_) => {}
        }
    }
    let mut baselines = baselines.peekable();
    match np_selects {
        Some(true) => return Verdict::Undecided,
        // The baseline may or may not be the tier that decides.
        None if baselines.peek().is_some() => return Verdict::Unknown,
        _ => {}
    }
    for policy in baselines {
        match decide(policy, direction, subject, peer, port) {
            None => return Verdict::Unknown,
            Some(Some(("Allow", _))) => return Verdict::Undecided,
            Some(Some(("Deny", rule))) => return Verdict::Denied(policy, rule.into()),
            Some(_) => {}
        }
    }
    Verdict::Undecided
}

/// The action and name of the first rule of `policy` that matches:
/// `Some(None)` when the policy does not select the subject or no rule
/// matches, `None` when that rests on what was not pasted.
fn decide<'p>(
    policy: &'p AdminPolicy,
    direction: Direction,
    subject: &End<'_>,
    peer: &End<'_>,
    port: &Port<'_>,
) -> Option<Option<(&'p str, &'p str)>> {
    let spec = policy.spec.as_ref()?;
    let Some(subject_sel) = spec.get("subject") else {
        return Some(None);
    };
    if !selects(subject_sel, subject)? {
        return Some(None);
    }
    first_match(spec, direction, peer, port)
}

/// Policies that exist and that svcdoctor does not evaluate: table rows
/// only, ClusterNetworkPolicies, Cilium's and Calico's own kinds.
pub fn unevaluated(model: &Model) -> Vec<&AdminPolicy> {
    model
        .admin_policies
        .iter()
        .filter(|p| {
            p.spec.is_none()
                || !matches!(
                    p.kind.as_str(),
                    "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy"
                )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    use crate::model::labels_of as labels;

    fn model(policies: Vec<(&str, Value)>) -> Model {
        let mut m = Model::default();
        for (kind, spec) in policies {
            m.admin_policies.push(AdminPolicy {
                kind: kind.into(),
                namespace: None,
                name: Some("p".into()),
                spec: Some(spec),
                origin: Origin::default(),
            });
        }
        m
    }

    const HTTP: Port<'static> = Port {
        number: Some(80),
        protocol: "TCP",
        name: None,
    };

    #[test]
    fn admin_deny_then_pass_then_baseline() {
        let web = labels(&[("app", "web")]);
        let client = labels(&[("run", "client")]);
        let subject = End {
            namespace: "shop",
            namespace_labels: None,
            labels: Some(&web),
            labels_partial: false,
            ips: &[],
        };
        let peer = End {
            namespace: "frontend",
            namespace_labels: None,
            labels: Some(&client),
            labels_partial: false,
            ips: &[],
        };
        let deny = serde_json::json!({
            "priority": 10,
            "subject": {"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "shop"}}},
            "ingress": [{"name": "no-frontend", "action": "Deny",
                         "from": [{"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "frontend"}}}]}]
        });
        let m = model(vec![("AdminNetworkPolicy", deny.clone())]);
        let v = verdict(&m, Direction::Ingress, &subject, &peer, &HTTP, Some(false));
        assert!(matches!(v, Verdict::Denied(_, ref r) if r == "no-frontend"));
        // A port the rule does not name.
        let mut scoped = deny.clone();
        scoped["ingress"][0]["ports"] =
            serde_json::json!([{"portNumber": {"protocol": "TCP", "port": 443}}]);
        let m = model(vec![("AdminNetworkPolicy", scoped)]);
        assert_eq!(
            verdict(&m, Direction::Ingress, &subject, &peer, &HTTP, Some(false)),
            Verdict::Undecided
        );
        // The baseline denies only where no NetworkPolicy selects the pod.
        let base = serde_json::json!({
            "subject": {"namespaces": {}},
            "ingress": [{"name": "default-deny", "action": "Deny", "from": [{"namespaces": {}}]}]
        });
        let m = model(vec![("BaselineAdminNetworkPolicy", base)]);
        assert!(matches!(
            verdict(&m, Direction::Ingress, &subject, &peer, &HTTP, Some(false)),
            Verdict::Denied(..)
        ));
        assert_eq!(
            verdict(&m, Direction::Ingress, &subject, &peer, &HTTP, Some(true)),
            Verdict::Undecided
        );
    }

    #[test]
    fn namespace_labels_not_pasted_decide_nothing() {
        let web = labels(&[("app", "web")]);
        let end = |ns| End {
            namespace: ns,
            namespace_labels: None,
            labels: Some(&web),
            labels_partial: false,
            ips: &[],
        };
        let allow = serde_json::json!({
            "priority": 3,
            "subject": {"namespaces": {"matchLabels": {"env": "prod"}}},
            "ingress": [{"name": "x", "action": "Allow", "from": [{"namespaces": {}}]}]
        });
        let m = model(vec![("AdminNetworkPolicy", allow)]);
        assert_eq!(
            verdict(
                &m,
                Direction::Ingress,
                &end("shop"),
                &end("frontend"),
                &HTTP,
                Some(true)
            ),
            Verdict::Unknown
        );
    }

    #[test]
    fn unknown_labels_stay_unknown() {
        let subject = End {
            namespace: "shop",
            namespace_labels: None,
            labels: None,
            labels_partial: false,
            ips: &[],
        };
        let peer = End {
            namespace: "frontend",
            namespace_labels: None,
            labels: None,
            labels_partial: false,
            ips: &[],
        };
        let allow = serde_json::json!({
            "priority": 5,
            "subject": {"pods": {"namespaceSelector": {}, "podSelector": {"matchLabels": {"app": "web"}}}},
            "ingress": [{"name": "x", "action": "Allow", "from": [{"namespaces": {}}]}]
        });
        let m = model(vec![("AdminNetworkPolicy", allow)]);
        assert_eq!(
            verdict(&m, Direction::Ingress, &subject, &peer, &HTTP, Some(false)),
            Verdict::Unknown
        );
    }
}
