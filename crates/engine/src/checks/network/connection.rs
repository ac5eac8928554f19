//! The one connection the policy rules judge: the client pod at one end,
//! the Service's pods at the other, on the target port. Not a rule: what
//! NET503, NET509 and NET510 share.

use crate::checks::service::selected_containers;
use crate::checks::Facts;
use crate::context::adminpol::{self, End, Port, Verdict};
use crate::context::netpol::{any_holds, namespace_labels, restricts, selects_pod, Direction};
use crate::context::view::{endpoints_of, selected_pods, ServiceView};
use crate::model::{same_namespace, Labels, ServicePort, TargetPort};

/// The client, when it is known to be a pod of a known namespace.
pub struct Client<'m> {
    pub namespace: String,
    pub name: Option<String>,
    pub labels: Option<&'m Labels>,
    pub ip: Option<&'m str>,
}

pub fn client<'m>(facts: &Facts<'m>) -> Option<Client<'m>> {
    let info = facts.client();
    let pod = facts.client_pod(&info);
    Some(Client {
        namespace: info.namespace.clone()?,
        name: info.pod.clone(),
        labels: pod.and_then(|p| p.labels.as_ref()),
        ip: pod.and_then(|p| p.ip.as_deref()),
    })
}

/// The Service's pods as policies see them.
pub struct Backends<'m> {
    pub namespace: &'m str,
    /// A pasted pod's labels, else the selector's (the pods carry at
    /// least those); `None` when neither is known.
    pub labels: Option<&'m Labels>,
    /// The labels are the selector's: only some of the pods'.
    pub labels_partial: bool,
    /// Their addresses: the endpoints', else the pods'.
    pub ips: Vec<&'m str>,
    /// `None` when not known (a table shows no target port, and no
    /// endpoints were pasted).
    pub port: Option<u32>,
    /// The container port's name, for policies that name ports.
    pub port_name: Option<String>,
    pub protocol: &'m str,
    /// The port to name in messages: the target port, else the Service's.
    pub shown_port: String,
}

/// The port to name in a message: the target port when known, else the
/// Service's (the policy's verdict holds whatever the target port).
pub fn shown_port(port: Option<u32>, sp: &ServicePort) -> String {
    port.or(sp.port).map(|p| p.to_string()).unwrap_or_default()
}

pub fn backends<'m>(facts: &Facts<'m>, svc: &ServiceView<'m>) -> Option<Backends<'m>> {
    let selector = svc.selector_labels().map(|(s, _)| s);
    let (ports, _) = svc.ports();
    let sp = ports.first()?;
    let pods = selector
        .map(|s| selected_pods(facts.model, svc.namespace, s))
        .unwrap_or_default();
    let pasted = pods.iter().filter_map(|p| p.name).find_map(|name| {
        facts
            .model
            .pods
            .iter()
            .find(|m| m.name.as_deref() == Some(name) && !m.labels_partial)
            .and_then(|m| m.labels.as_ref())
    });
    let labels_partial = pasted.is_none();
    let labels = pasted.or(selector);
    let mut ips = Vec::new();
    if let Some(view) = svc
        .name
        .and_then(|n| endpoints_of(facts.model, svc.namespace, n))
    {
        ips = view.ready_ips();
        ips.extend(view.not_ready_ips());
    }
    if ips.is_empty() {
        ips = pods.iter().filter_map(|p| p.ip).collect();
    }
    // The connection's family is the cluster IP's: a dual-stack Service's
    // other addresses are not on its path.
    if let Some(v6) = svc
        .cluster_ip()
        .filter(|ip| *ip != "None")
        .map(|ip| ip.contains(':'))
    {
        ips.retain(|ip| ip.contains(':') == v6);
    }
    let (port, port_name) = target_of(facts, svc, sp);
    Some(Backends {
        namespace: svc.namespace.unwrap_or("default"),
        labels,
        labels_partial,
        ips,
        port,
        port_name,
        protocol: &sp.protocol,
        shown_port: shown_port(port, sp),
    })
}

/// The target port of a Service port as the pods see it: its number and
/// the name of the container port (NetworkPolicies may name either).
pub fn target_of<'m>(
    facts: &Facts<'m>,
    svc: &ServiceView<'m>,
    sp: &ServicePort,
) -> (Option<u32>, Option<String>) {
    let containers = selected_containers(facts, svc);
    let declared = || {
        containers
            .iter()
            .flat_map(|(cs, _, _)| cs.iter().flat_map(|c| c.ports.iter()))
    };
    match &sp.target_port {
        Some(TargetPort::Name(n)) => {
            let number = declared()
                .find(|p| p.name.as_deref() == Some(n.as_str()))
                .and_then(|p| p.port);
            (number, Some(n.clone()))
        }
        other => {
            let number = match other {
                Some(TargetPort::Number(n)) => Some(*n),
                // A table does not show the target port; the endpoints do.
                _ => endpoint_port(facts, svc),
            };
            let name = number.and_then(|number| {
                declared()
                    .find(|p| p.port == Some(number))
                    .and_then(|p| p.name.clone())
            });
            (number, name)
        }
    }
}

/// The one port the Service's endpoints list, if they agree on one.
fn endpoint_port(facts: &Facts<'_>, svc: &ServiceView<'_>) -> Option<u32> {
    let view = endpoints_of(facts.model, svc.namespace, svc.name?)?;
    let mut ports = view.sets.iter().flat_map(|s| {
        s.ports
            .iter()
            .filter_map(|p| p.port)
            .chain(s.addresses.iter().filter_map(|a| a.port))
    });
    let first = ports.next()?;
    ports.all(|p| p == first).then_some(first)
}

/// What the admin policy tiers say of the connection from `client` to
/// `to`, at the pods' ingress and at the client's egress.
pub fn admin_verdicts<'m>(
    facts: &Facts<'m>,
    client: &Client<'m>,
    to: &Backends<'m>,
) -> [Verdict<'m>; 2] {
    let client_ips: Vec<&str> = client.ip.into_iter().collect();
    let client_end = End {
        namespace: &client.namespace,
        namespace_labels: namespace_labels(facts.model, Some(&client.namespace)),
        labels: client.labels,
        labels_partial: false,
        ips: &client_ips,
    };
    let pods_end = End {
        namespace: to.namespace,
        namespace_labels: namespace_labels(facts.model, Some(to.namespace)),
        labels: to.labels,
        labels_partial: to.labels_partial,
        ips: &to.ips,
    };
    // Whether a NetworkPolicy selects the pod: yes if one surely does,
    // unknown if one may.
    let np_selects = |ns: &str, labels: Option<&Labels>, partial: bool, direction| {
        any_holds(
            facts
                .model
                .policies
                .iter()
                .filter(|p| {
                    same_namespace(Some(ns), p.namespace.as_deref()) && restricts(p, direction)
                })
                .map(|p| selects_pod(p, labels, partial)),
        )
    };
    let port = Port {
        number: to.port,
        protocol: to.protocol,
        name: to.port_name.as_deref(),
    };
    [
        adminpol::verdict(
            facts.model,
            Direction::Ingress,
            &pods_end,
            &client_end,
            &port,
            np_selects(
                to.namespace,
                to.labels,
                to.labels_partial,
                Direction::Ingress,
            ),
        ),
        adminpol::verdict(
            facts.model,
            Direction::Egress,
            &client_end,
            &pods_end,
            &port,
            np_selects(&client.namespace, client.labels, false, Direction::Egress),
        ),
    ]
}
