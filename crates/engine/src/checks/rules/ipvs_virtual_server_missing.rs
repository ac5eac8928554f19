//! IPVS801 ipvs-virtual-server-missing (see [`RULE`]).

use crate::checks::rules::{ipvs_of, proxied};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// In IPVS mode, `ipvsadm -ln` must list a virtual server for the Service's
/// `clusterIP:port` (and `NodeIP:nodePort`).
///
/// ## Why it matters
/// The virtual server is what answers on the cluster IP. Without it, kube-proxy
/// has not programmed the Service: it is not running, not in IPVS mode, or
/// failing to sync.
///
/// ## Evidence
/// The ipvsadm output without the Service's address.
///
/// ## Fix
/// Check kube-proxy's mode and log; load the IPVS modules; restart it.
pub static RULE = Rule {
    code: "IPVS801",
    slug: "ipvs-virtual-server-missing",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("no IPVS virtual server for clusterIP:port (or nodePort)", "没有 clusterIP:port（或 nodePort）对应的 IPVS 虚拟服务器"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in proxied(facts) {
        let (pasted, vs) = ipvs_of(facts, &svc);
        if !pasted {
            continue;
        }
        sink.checked(RULE.step);
        let Some(ip) = svc.cluster_ip() else { continue };
        if !vs.is_empty() {
            continue;
        }
        let (ports, _) = svc.ports();
        let port = ports
            .first()
            .and_then(|p| p.port)
            .map(|p| p.to_string())
            .unwrap_or_else(|| facts.not_shown().into());
        let dump = facts
            .artifacts
            .iter()
            .find(|a| a.kind == crate::ArtifactKind::Ipvs);
        let message = facts.fill(
            crate::text!("ipvsadm lists no virtual server for Service {svc} ({ip}:{port}): kube-proxy has not programmed it", "ipvsadm 中没有 Service {svc}（{ip}:{port}）的虚拟服务器：kube-proxy 没有为它写规则"),
            &[("svc", &svc.label()), ("ip", ip), ("port", &port)],
        );
        let mut evidence = vec![facts.evidence(svc.origin())];
        if let Some(a) = dump {
            evidence.insert(
                0,
                facts.evidence(crate::model::Origin {
                    artifact: a.index,
                    source: a.source,
                    lines: [a.first_line, a.last_line],
                }),
            );
        }
        sink.report(
            &RULE, svc.proxy_subject(),
            message,
            evidence,
            facts.tr(crate::text!("Check that kube-proxy runs in IPVS mode and syncs: kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=100 | grep -i -e ipvs -e error; lsmod | grep ip_vs on the node.", "确认 kube-proxy 以 IPVS 模式运行并正常同步：kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=100 | grep -i -e ipvs -e error；在节点上执行 lsmod | grep ip_vs。")).to_string(),
        );
        return;
    }
}
