//! The steps of the troubleshooting flowchart (spec section 2).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum StepId {
    A1,
    A2,
    A3,
    A4,
    A5,
    A6,
    /// The front door: an Ingress or a Gateway API route in front of the
    /// Service (only when one is pasted).
    B0,
    B1,
    B2,
    B3,
    B4,
    B5,
    B6,
    B7,
    B8,
    B9,
}

impl StepId {
    /// Every step, in walk order.
    pub const ALL: [StepId; 16] = [
        StepId::A1,
        StepId::A2,
        StepId::A3,
        StepId::A4,
        StepId::A5,
        StepId::A6,
        StepId::B0,
        StepId::B1,
        StepId::B2,
        StepId::B3,
        StepId::B4,
        StepId::B5,
        StepId::B6,
        StepId::B7,
        StepId::B8,
        StepId::B9,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepId::A1 => "A1",
            StepId::A2 => "A2",
            StepId::A3 => "A3",
            StepId::A4 => "A4",
            StepId::A5 => "A5",
            StepId::A6 => "A6",
            StepId::B0 => "B0",
            StepId::B1 => "B1",
            StepId::B2 => "B2",
            StepId::B3 => "B3",
            StepId::B4 => "B4",
            StepId::B5 => "B5",
            StepId::B6 => "B6",
            StepId::B7 => "B7",
            StepId::B8 => "B8",
            StepId::B9 => "B9",
        }
    }

    /// The step's question.
    pub fn title(self, lang: Lang) -> &'static str {
        let text = match self {
            StepId::A1 => crate::text!(
                "Are the CoreDNS (kube-dns) pods running and ready?",
                "CoreDNS（kube-dns）Pod 是否运行并就绪？"
            ),
            StepId::A2 => crate::text!(
                "Does the kube-dns Service exist and have endpoints?",
                "kube-dns Service 是否存在并有 Endpoints？"
            ),
            StepId::A3 => crate::text!(
                "From a pod: do the short name, name.namespace and the FQDN resolve?",
                "在 Pod 中：短名称、name.namespace 和完全限定名称能否解析？"
            ),
            StepId::A4 => crate::text!(
                "From a node, querying the cluster DNS IP directly?",
                "在节点上直接向集群 DNS IP 查询能否解析？"
            ),
            StepId::A5 => crate::text!(
                "Is the pod's resolv.conf right (nameserver, search, ndots)?",
                "Pod 的 resolv.conf（nameserver、search、ndots）是否正确？"
            ),
            StepId::A6 => crate::text!(
                "Does a NetworkPolicy let the client reach DNS (UDP and TCP 53)?",
                "NetworkPolicy 是否允许客户端访问 DNS（UDP 和 TCP 53）？"
            ),
            StepId::B0 => crate::text!(
                "From outside: does the Ingress or Gateway route lead to the Service and its port?",
                "从集群外：Ingress 或 Gateway 路由是否指向该 Service 及其端口？"
            ),
            StepId::B1 => crate::text!(
                "Does the Service exist, and what kind is it?",
                "Service 是否存在，是什么类型？"
            ),
            StepId::B2 => crate::text!(
                "Are port, targetPort, nodePort and protocol right?",
                "port、targetPort、nodePort 和协议是否正确？"
            ),
            StepId::B3 => crate::text!(
                "Does the selector pick the right pods, and do the endpoints list them?",
                "selector 是否选中了正确的 Pod，Endpoints 是否列出了它们？"
            ),
            StepId::B4 => crate::text!(
                "Are the pods running, ready and serving on the target port?",
                "Pod 是否运行、就绪并在目标端口上提供服务？"
            ),
            StepId::B5 => crate::text!(
                "Does cross-node pod traffic work (CNI)?",
                "跨节点的 Pod 流量是否正常（CNI）？"
            ),
            StepId::B6 => crate::text!(
                "Does a NetworkPolicy let the client reach the pods on that port?",
                "NetworkPolicy 是否允许客户端访问 Pod 的该端口？"
            ),
            StepId::B7 => crate::text!(
                "Is kube-proxy (or its replacement) running, and are its logs clean?",
                "kube-proxy（或其替代组件）是否运行，日志是否正常？"
            ),
            StepId::B8 => crate::text!(
                "Do the proxy rules forward this Service to exactly its ready endpoints?",
                "代理规则（iptables、IPVS 或 nftables）是否把该 Service 转发到它的就绪端点？"
            ),
            StepId::B9 => crate::text!(
                "Do traffic policy and special paths hold (Local policy, hairpin, source ranges)?",
                "流量策略和特殊路径（Local 策略、hairpin、来源范围）是否成立？"
            ),
        };
        text.get(lang)
    }
}

impl std::fmt::Display for StepId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
