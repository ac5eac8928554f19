//! TP951 local-endpoints-drop (see [`RULE`]).

use crate::checks::rules::proxied;
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The node's rules for a Service with `externalTrafficPolicy` (or
/// `internalTrafficPolicy`) Local: a DROP commented "has no local
/// endpoints" (iptables) or a drop verdict in the no-endpoint maps
/// (nftables).
///
/// ## Why it matters
/// The node has no pod of the Service, so under the Local policy it drops
/// external (or internal) traffic instead of forwarding it to another node.
///
/// ## Evidence
/// The drop rule.
///
/// ## Fix
/// Send traffic only to nodes that run a pod (load balancers use the health
/// check node port), spread the pods, or use the Cluster policy.
pub static RULE = Rule {
    code: "TP951",
    slug: "local-endpoints-drop",
    severity: Severity::Error,
    step: StepId::B9,
    summary: crate::text!("iptables/nft drop \"has no local endpoints\" for externalTrafficPolicy/internalTrafficPolicy Local", "externalTrafficPolicy/internalTrafficPolicy 为 Local 时 iptables/nft 丢弃 \"has no local endpoints\" 的流量"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let names: Vec<_> = proxied(facts).iter().filter_map(|s| s.name).collect();
    for r in &facts.model.proxy_rules {
        if !names.is_empty() && !names.contains(&r.name.as_str()) {
            continue;
        }
        sink.checked(RULE.step);
        if !r.drops_no_local_endpoints {
            continue;
        }
        let message = facts.fill(
            crate::text!("this node drops outside traffic to Service {ns}/{name}: externalTrafficPolicy is Local and kube-proxy here knows of none of its pods on this node", "这个节点会丢弃发往 Service {ns}/{name} 的外部流量：externalTrafficPolicy 为 Local，而本节点的 kube-proxy 认为这里没有它的 Pod"),
            &[("ns", &r.namespace), ("name", &r.name)],
        );
        let fix = facts.fill(
            crate::text!("Use a node that runs a pod of the Service, spread the pods (a DaemonSet or topology spread), or: kubectl patch svc {name} -n {ns} -p '{\"spec\":{\"externalTrafficPolicy\":\"Cluster\"}}'. If a pod of the Service does run on this node (kubectl get pods -n {ns} -o wide), kube-proxy's node name is not the Node's: set --hostname-override to it.", "访问运行着该 Service Pod 的节点，让 Pod 分布到各节点（DaemonSet 或拓扑分布约束），或执行：kubectl patch svc {name} -n {ns} -p '{\"spec\":{\"externalTrafficPolicy\":\"Cluster\"}}'。如果该节点上确实运行着它的 Pod（kubectl get pods -n {ns} -o wide），说明 kube-proxy 使用的节点名与 Node 名称不同：请用 --hostname-override 设为 Node 名称。"),
            &[("name", &r.name), ("ns", &r.namespace)],
        );
        sink.report(
            &RULE,
            crate::report::Subject::on(
                crate::report::SubjectKind::KubeProxy,
                Some(&r.namespace),
                Some(&r.name),
                Some(crate::report::ServiceRef {
                    namespace: Some(r.namespace.clone()),
                    name: r.name.clone(),
                }),
            ),
            message,
            vec![facts.evidence(r.origin)],
            fix,
        );
        return;
    }
}
