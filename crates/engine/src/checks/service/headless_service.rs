//! SVC207 headless-service (see [`RULE`]).

use crate::checks::service::probes_of;
use crate::checks::{declare_rule, Facts, Sink};
use crate::i18n::Text;
use crate::report::Severity;
use crate::steps::StepId;

declare_rule! {
/// ## What it checks
/// Services with `clusterIP: None` (headless).
///
/// ## Why it matters
/// A headless Service has no virtual IP and kube-proxy writes no rules for
/// it: its DNS name returns the pod IPs, and clients connect to the pods
/// directly, on the targetPort (the Service port is not remapped). Curling a
/// cluster IP or expecting port mapping does not work.
///
/// ## Evidence
/// The Service's clusterIP.
///
/// ## Fix
/// Connect to the pods on their own port, or give the Service a cluster IP
/// (remove `clusterIP: None` and recreate it) if you need load balancing and
/// port mapping.
pub static RULE = Rule {
    code: "SVC207",
    slug: "headless-service",
    severity: Severity::Info,
    step: StepId::B1,
    summary: Text {
        en: "clusterIP None: no virtual IP, port not remapped, DNS returns pod IPs",
        zh: "clusterIP 为 None：没有虚拟 IP，端口不做映射，DNS 返回 Pod IP",
    },
    explains: &["IPT701", "IPVS801", "NFT901"],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services().iter().filter(|s| s.is_headless()) {
        let probed: Vec<String> = probes_of(facts, svc)
            .iter()
            .filter_map(|p| p.port.map(|port| port.to_string()))
            .collect();
        let message = facts.fill(
            Text {
                en: "Service {name} is headless (clusterIP: None): its name resolves to the pod IPs and connections go straight to the pods{probed}",
                zh: "Service {name} 是 headless（clusterIP: None）：其名称解析为 Pod IP，连接直接到达 Pod{probed}",
            },
            &[
                ("name", &svc.label()),
                (
                    "probed",
                    &if probed.is_empty() {
                        String::new()
                    } else {
                        facts.fill(
                            Text { en: "; port {p} must be the pods' own port", zh: "；端口 {p} 必须是 Pod 自己的端口" },
                            &[("p", &probed.join(", "))],
                        )
                    },
                ),
            ],
        );
        sink.report(
            &RULE,
            message,
            vec![facts.evidence(svc.origin())],
            facts.tr(Text {
                en: "Connect to the pods' targetPort, not the Service port; for a virtual IP with load balancing, recreate the Service without clusterIP: None.",
                zh: "连接 Pod 的 targetPort 而不是 Service 端口；如需带负载均衡的虚拟 IP，请去掉 clusterIP: None 重新创建 Service。",
            }).to_string(),
        );
    }
}
