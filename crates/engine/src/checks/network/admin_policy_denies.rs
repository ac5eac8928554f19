//! NET510 admin-policy-denies (see [`RULE`]).

use crate::checks::network::connection;
use crate::checks::{declare_rule, Facts, Sink};
use crate::context::adminpol::Verdict;
use crate::report::{Severity, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// AdminNetworkPolicies and the BaselineAdminNetworkPolicy
/// (`policy.networking.k8s.io`), evaluated for the connection from the
/// client pod to the Service's pods on the target port, at both ends: the
/// pods' ingress and the client's egress. Admin policies go first, in
/// priority order, and the first rule that matches decides (`Allow` and
/// `Deny` are final, `Pass` hands over to the NetworkPolicies); the
/// baseline decides only where no NetworkPolicy selects the pod.
///
/// ## Why it matters
/// A cluster administrator's Deny is final: no NetworkPolicy in the
/// namespace can open what it closes, and `kubectl get networkpolicy`
/// shows nothing of it. The connection times out while the namespace's own
/// policies all allow it.
///
/// ## Evidence
/// The policy and the rule that deny the connection.
///
/// ## Fix
/// Ask the cluster's administrators: the Deny rule must not match this
/// client and port (an `Allow` or `Pass` rule before it, at a higher
/// priority); for the baseline, a NetworkPolicy in the namespace that
/// allows the traffic takes precedence over it.
pub static RULE = Rule {
    code: "NET510",
    slug: "admin-policy-denies",
    severity: Severity::Error,
    step: StepId::B6,
    summary: crate::text!("an AdminNetworkPolicy (or the baseline one) denies the client's connection to the Service's pods", "AdminNetworkPolicy（或基线策略）拒绝了客户端到 Service 的 Pod 的连接"),
    explains: &[
        &crate::checks::network::policy_drop_observed::RULE,
        &crate::checks::pods::pod_direct_probe_fails::RULE,
        &crate::checks::network::cluster_policies_unevaluated::RULE,
    ],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    if facts.model.admin_policies.iter().all(|p| p.spec.is_none()) {
        return;
    }
    let Some(client) = connection::client(facts) else {
        return;
    };
    for svc in facts.user_services() {
        let Some(to) = connection::backends(facts, &svc) else {
            continue;
        };
        let verdicts = connection::admin_verdicts(facts, &client, &to);
        let Some((policy, rule, end)) =
            verdicts
                .iter()
                .zip(["ingress", "egress"])
                .find_map(|(v, end)| match v {
                    Verdict::Denied(p, r) => Some((*p, r.as_str(), end)),
                    _ => None,
                })
        else {
            continue;
        };
        let name = policy.name.as_deref().unwrap_or("?");
        let who = client
            .name
            .clone()
            .unwrap_or_else(|| format!("namespace {}", client.namespace));
        let baseline = policy.kind == "BaselineAdminNetworkPolicy";
        let text = match (end, baseline) {
            ("ingress", false) => crate::text!("{kind} {name} denies traffic from {who} ({ns}) to the pods of Service {svc} on port {port} (rule {rule}, at their ingress); no NetworkPolicy can allow it", "{kind} {name} 拒绝了从 {who}（{ns}）到 Service {svc} 的 Pod 的 {port} 端口的流量（规则 {rule}，在 Pod 的入站方向）；任何 NetworkPolicy 都无法放行"),
            (_, false) => crate::text!("{kind} {name} denies traffic from {who} ({ns}) to the pods of Service {svc} on port {port} (rule {rule}, at the client's egress); no NetworkPolicy can allow it", "{kind} {name} 拒绝了从 {who}（{ns}）到 Service {svc} 的 Pod 的 {port} 端口的流量（规则 {rule}，在客户端的出站方向）；任何 NetworkPolicy 都无法放行"),
            ("ingress", true) => crate::text!("{kind} {name} denies traffic from {who} ({ns}) to the pods of Service {svc} on port {port} (rule {rule}, at their ingress), and no NetworkPolicy selects those pods to decide otherwise", "{kind} {name} 拒绝了从 {who}（{ns}）到 Service {svc} 的 Pod 的 {port} 端口的流量（规则 {rule}，在 Pod 的入站方向），而没有 NetworkPolicy 选中这些 Pod 来作出别的决定"),
            (_, true) => crate::text!("{kind} {name} denies traffic from {who} ({ns}) to the pods of Service {svc} on port {port} (rule {rule}, at the client's egress), and no NetworkPolicy selects the client to decide otherwise", "{kind} {name} 拒绝了从 {who}（{ns}）到 Service {svc} 的 Pod 的 {port} 端口的流量（规则 {rule}，在客户端的出站方向），而没有 NetworkPolicy 选中客户端来作出别的决定"),
        };
        let message = facts.fill(
            text,
            &[
                ("kind", &policy.kind),
                ("name", name),
                ("who", &who),
                ("ns", &client.namespace),
                ("svc", &svc.label()),
                ("port", &to.shown_port),
                ("rule", if rule.is_empty() { "?" } else { rule }),
            ],
        );
        let fix = if baseline {
            facts.fill(
                crate::text!("A NetworkPolicy takes precedence over the baseline: allow this traffic with one in namespace {pns} (it then also denies what it does not allow), or have the administrators narrow rule {rule} of {kind} {name} (kubectl get {resource} {name} -o yaml)", "NetworkPolicy 优先于基线策略：在命名空间 {pns} 中用一条 NetworkPolicy 放行这些流量（它同时会拒绝未放行的流量），或请管理员收窄 {kind} {name} 的规则 {rule}（kubectl get {resource} {name} -o yaml）"),
                &[
                    ("kind", &policy.kind),
                    ("name", name),
                    ("rule", if rule.is_empty() { "?" } else { rule }),
                    ("resource", &policy.kind.to_lowercase()),
                    ("pns", if end == "ingress" { to.namespace } else { &client.namespace }),
                ],
            )
        } else {
            facts.fill(
                crate::text!("Have the cluster's administrators change {kind} {name} so that rule {rule} does not match this traffic (an Allow or Pass rule before it); see it with kubectl get {resource} {name} -o yaml", "请集群管理员修改 {kind} {name}，使规则 {rule} 不再匹配这些流量（在它之前加 Allow 或 Pass 规则）；用 kubectl get {resource} {name} -o yaml 查看"),
                &[
                    ("kind", &policy.kind),
                    ("name", name),
                    ("rule", if rule.is_empty() { "?" } else { rule }),
                    ("resource", &policy.kind.to_lowercase()),
                ],
            )
        };
        sink.report(
            &RULE,
            svc.subject_of(SubjectKind::Network, None, Some(name)),
            message,
            vec![facts.evidence(facts.line_with(policy.origin, rule))],
            fix,
        );
        return;
    }
}
