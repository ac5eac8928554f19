//! The practice gallery: broken clusters for learners to diagnose, each a
//! real-format transcript (the same ones the engine's scenario tests check).
//! The page carries the cases' names; their transcripts are read by the Web
//! Worker ([`transcript`]) and handed to the page when a case is chosen.

use svcdoctor_engine::Lang;

pub struct Example {
    pub id: &'static str,
    title: svcdoctor_engine::i18n::Text,
    description: svcdoctor_engine::i18n::Text,
}

impl Example {
    pub fn title(&self, lang: Lang) -> &'static str {
        self.title.get(lang)
    }

    pub fn description(&self, lang: Lang) -> &'static str {
        self.description.get(lang)
    }
}

pub static EXAMPLES: &[Example] = &[
    Example {
        id: "tutorial-healthy",
        title: svcdoctor_engine::text!("The tutorial's cluster", "教程中的集群"),
        description: svcdoctor_engine::text!("Everything from the tutorial, pasted as one transcript: a healthy NodePort Service named web.", "把教程里的所有输出作为一段记录粘贴：一个名为 web、工作正常的 NodePort Service。"),
    },
    Example {
        id: "a1-coredns-crashloop",
        title: svcdoctor_engine::text!("Names stopped resolving", "名称突然无法解析"),
        description: svcdoctor_engine::text!("Since this morning nothing resolves, not even from a fresh busybox pod.", "从今天早上开始任何名称都解析不了，新建的 busybox Pod 里也不行。"),
    },
    Example {
        id: "a3-client-in-other-namespace",
        title: svcdoctor_engine::text!("Works from one namespace only", "只在一个命名空间里能用"),
        description: svcdoctor_engine::text!("The shop team's client cannot find web, although the web team can.", "shop 团队的客户端找不到 web，而 web 团队自己可以。"),
    },
    Example {
        id: "a3-name-typo",
        title: svcdoctor_engine::text!("NXDOMAIN everywhere", "到处都是 NXDOMAIN"),
        description: svcdoctor_engine::text!("Every lookup fails, from pods and from the node.", "无论在 Pod 里还是节点上，每次查询都失败。"),
    },
    Example {
        id: "a5-search-list-wrong",
        title: svcdoctor_engine::text!("Only the full name works", "只有完整名称能用"),
        description: svcdoctor_engine::text!("web.default.svc.cluster.local resolves, web and web.default do not.", "web.default.svc.cluster.local 能解析，web 和 web.default 不能。"),
    },
    Example {
        id: "a5-nameserver-not-cluster-dns",
        title: svcdoctor_engine::text!("A pod asks the wrong resolver", "Pod 问错了 DNS"),
        description: svcdoctor_engine::text!("Lookups from this pod fail while the cluster DNS is up.", "集群 DNS 正常，但这个 Pod 里的查询都失败。"),
    },
    Example {
        id: "b0-ingress-backend-service-typo-describe",
        title: svcdoctor_engine::text!("503 from the Ingress", "Ingress 返回 503"),
        description: svcdoctor_engine::text!("The app works inside the cluster; through the Ingress it does not.", "应用在集群内可以访问，通过 Ingress 却不行。"),
    },
    Example {
        id: "b1-service-not-found",
        title: svcdoctor_engine::text!("The Service is gone", "Service 不见了"),
        description: svcdoctor_engine::text!("kubectl and DNS both disagree with the app's config.", "kubectl 和 DNS 的结果都与应用配置对不上。"),
    },
    Example {
        id: "b1-load-balancer-sync-failed-describe",
        title: svcdoctor_engine::text!("EXTERNAL-IP stays pending", "EXTERNAL-IP 一直是 pending"),
        description: svcdoctor_engine::text!("The LoadBalancer Service never gets an address from the cloud.", "LoadBalancer 类型的 Service 一直拿不到云上的地址。"),
    },
    Example {
        id: "b2-wrong-service-port",
        title: svcdoctor_engine::text!("Timeout on the cluster IP", "访问集群 IP 超时"),
        description: svcdoctor_engine::text!("curl to the Service's IP hangs.", "curl 访问 Service 的 IP 一直卡住。"),
    },
    Example {
        id: "b2-wrong-node-port",
        title: svcdoctor_engine::text!("Refused from outside", "从集群外访问被拒绝"),
        description: svcdoctor_engine::text!("A browser outside the cluster cannot reach the app on a node.", "集群外的浏览器无法通过节点访问应用。"),
    },
    Example {
        id: "b3-selector-typo",
        title: svcdoctor_engine::text!("Connection refused at once", "立即被拒绝连接"),
        description: svcdoctor_engine::text!("The Service exists, the Deployment runs, curl is refused.", "Service 存在，Deployment 在运行，curl 却被拒绝。"),
    },
    Example {
        id: "b4-pods-not-ready",
        title: svcdoctor_engine::text!("Pods run but get no traffic", "Pod 在运行却收不到流量"),
        description: svcdoctor_engine::text!("Every pod is Running, the Service has no endpoints.", "所有 Pod 都是 Running，Service 却没有 Endpoints。"),
    },
    Example {
        id: "b4-direct-probe-refused",
        title: svcdoctor_engine::text!("Even the pod refuses", "连 Pod 本身都拒绝连接"),
        description: svcdoctor_engine::text!("Curling a pod IP directly is refused too.", "直接 curl Pod IP 也被拒绝。"),
    },
    Example {
        id: "b4-readiness-refused-describe",
        title: svcdoctor_engine::text!("Running, never Ready", "在运行，却一直未就绪"),
        description: svcdoctor_engine::text!("The pods run, the Service has no endpoints, and describe shows why.", "Pod 在运行，Service 没有端点，describe 显示了原因。"),
    },
    Example {
        id: "b5-sandbox-flannel-subnet-missing",
        title: svcdoctor_engine::text!("Stuck in ContainerCreating", "卡在 ContainerCreating"),
        description: svcdoctor_engine::text!("New pods never start after a node was rebuilt.", "节点重建后，新的 Pod 一直无法启动。"),
    },
    Example {
        id: "b5-cross-node-traffic-lost",
        title: svcdoctor_engine::text!("Works two times out of ten", "十次里只成功两三次"),
        description: svcdoctor_engine::text!("Some pods answer, others time out.", "有的 Pod 能响应，有的超时。"),
    },
    Example {
        id: "b5-cni-pod-crashing",
        title: svcdoctor_engine::text!("A node misbehaves", "某个节点不正常"),
        description: svcdoctor_engine::text!("Traffic through one node is lost.", "经过某个节点的流量丢失了。"),
    },
    Example {
        id: "b4-native-sidecar-not-ready-describe",
        title: svcdoctor_engine::text!("READY 1/2", "READY 1/2"),
        description: svcdoctor_engine::text!("The app answers, yet its pods get no traffic.", "应用能响应，它的 Pod 却收不到流量。"),
    },
    Example {
        id: "b6-egress-policy-cluster-ip-block",
        title: svcdoctor_engine::text!("Allowed, yet blocked", "明明放行了却被拦截"),
        description: svcdoctor_engine::text!("An egress policy allows the Service's address; the client still times out.", "出站策略放行了 Service 的地址，客户端仍然超时。"),
    },
    Example {
        id: "b7-conntrack-stale-dns-entry",
        title: svcdoctor_engine::text!("One pod cannot resolve", "只有一个 Pod 无法解析"),
        description: svcdoctor_engine::text!("After the CoreDNS pods were replaced, one client's lookups time out.", "CoreDNS 的 Pod 被替换之后，一个客户端的查询一直超时。"),
    },
    Example {
        id: "b9-nodeport-localhost-nftables",
        title: svcdoctor_engine::text!("localhost refuses the node port", "localhost 拒绝 NodePort 连接"),
        description: svcdoctor_engine::text!("On a node, curl to the node port on 127.0.0.1 is refused.", "在节点上用 curl 访问 127.0.0.1 的 NodePort 被拒绝。"),
    },
    Example {
        id: "b7-kube-proxy-not-running",
        title: svcdoctor_engine::text!("No cluster IP answers", "所有集群 IP 都不响应"),
        description: svcdoctor_engine::text!("On this node no Service IP works at all.", "在这个节点上所有 Service IP 都不通。"),
    },
    Example {
        id: "b8-iptables-rules-missing",
        title: svcdoctor_engine::text!("The Service is ignored", "Service 被忽略了"),
        description: svcdoctor_engine::text!("Endpoints are fine, yet the node seems not to know the Service.", "Endpoints 正常，节点却好像不知道这个 Service。"),
    },
    Example {
        id: "b8-iptables-stale-endpoint",
        title: svcdoctor_engine::text!("Fails now and then", "时好时坏"),
        description: svcdoctor_engine::text!("One request in three fails after a rollout.", "发布之后，每三个请求就有一个失败。"),
    },
    Example {
        id: "b8-cilium-backends-terminating",
        title: svcdoctor_engine::text!("No kube-proxy, no answer", "没有 kube-proxy，也没有响应"),
        description: svcdoctor_engine::text!("Cilium replaces kube-proxy; after a rollout the Service hangs.", "Cilium 替代了 kube-proxy；一次发布之后 Service 没有响应。"),
    },
    Example {
        id: "b8-ipvs-virtual-server-missing",
        title: svcdoctor_engine::text!("IPVS mode, no answer", "IPVS 模式下无响应"),
        description: svcdoctor_engine::text!("kube-proxy runs in IPVS mode; the Service does not answer.", "kube-proxy 以 IPVS 模式运行，Service 不响应。"),
    },
];

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// The transcript of the case `id`. Only the Web Worker calls it, so the
/// transcripts are in the worker's wasm, not in the page's.
pub fn transcript(id: &str) -> Option<&'static str> {
    Some(match id {
        "tutorial-healthy" => crate::TUTORIAL,
        "a1-coredns-crashloop" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/a1-coredns-crashloop.txt")
        }
        "a3-client-in-other-namespace" => include_str!(
            "../crates/engine/tests/fixtures/scenarios/a3-client-in-other-namespace.txt"
        ),
        "a3-name-typo" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/a3-name-typo.txt")
        }
        "a5-search-list-wrong" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/a5-search-list-wrong.txt")
        }
        "a5-nameserver-not-cluster-dns" => include_str!(
            "../crates/engine/tests/fixtures/scenarios/a5-nameserver-not-cluster-dns.txt"
        ),
        "b1-service-not-found" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b1-service-not-found.txt")
        }
        "b2-wrong-service-port" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b2-wrong-service-port.txt")
        }
        "b2-wrong-node-port" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b2-wrong-node-port.txt")
        }
        "b3-selector-typo" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b3-selector-typo.txt")
        }
        "b4-pods-not-ready" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b4-pods-not-ready.txt")
        }
        "b4-direct-probe-refused" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b4-direct-probe-refused.txt")
        }
        "b5-cross-node-traffic-lost" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b5-cross-node-traffic-lost.txt")
        }
        "b5-cni-pod-crashing" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b5-cni-pod-crashing.txt")
        }
        "b7-kube-proxy-not-running" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b7-kube-proxy-not-running.txt")
        }
        "b8-iptables-rules-missing" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b8-iptables-rules-missing.txt")
        }
        "b8-iptables-stale-endpoint" => {
            include_str!("../crates/engine/tests/fixtures/scenarios/b8-iptables-stale-endpoint.txt")
        }
        "b8-ipvs-virtual-server-missing" => include_str!(
            "../crates/engine/tests/fixtures/scenarios/b8-ipvs-virtual-server-missing.txt"
        ),
        "b1-load-balancer-sync-failed-describe" => include_str!(
            "../crates/engine/tests/realistic/b1-load-balancer-sync-failed-describe.txt"
        ),
        "b4-readiness-refused-describe" => {
            include_str!("../crates/engine/tests/realistic/b4-readiness-refused-describe.txt")
        }
        "b5-sandbox-flannel-subnet-missing" => {
            include_str!("../crates/engine/tests/realistic/b5-sandbox-flannel-subnet-missing.txt")
        }
        "b0-ingress-backend-service-typo-describe" => include_str!(
            "../crates/engine/tests/realistic/b0-ingress-backend-service-typo-describe.txt"
        ),
        "b4-native-sidecar-not-ready-describe" => include_str!(
            "../crates/engine/tests/realistic/b4-native-sidecar-not-ready-describe.txt"
        ),
        "b6-egress-policy-cluster-ip-block" => {
            include_str!("../crates/engine/tests/realistic/b6-egress-policy-cluster-ip-block.txt")
        }
        "b7-conntrack-stale-dns-entry" => {
            include_str!("../crates/engine/tests/realistic/b7-conntrack-stale-dns-entry.txt")
        }
        "b9-nodeport-localhost-nftables" => {
            include_str!("../crates/engine/tests/realistic/b9-nodeport-localhost-nftables.txt")
        }
        "b8-cilium-backends-terminating" => {
            include_str!("../crates/engine/tests/realistic/b8-cilium-backends-terminating.txt")
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_has_a_transcript_and_its_own_id() {
        for (at, example) in EXAMPLES.iter().enumerate() {
            let text = transcript(example.id).unwrap_or_default();
            assert!(text.lines().count() > 5, "{}: no transcript", example.id);
            assert!(
                EXAMPLES[..at].iter().all(|e| e.id != example.id),
                "{} twice",
                example.id
            );
        }
        assert_eq!(transcript("no-such-case"), None);
    }

    #[test]
    fn every_broken_case_has_a_root_cause() {
        for example in EXAMPLES.iter().filter(|e| e.id != "tutorial-healthy") {
            let text = transcript(example.id).unwrap_or_default();
            let report = svcdoctor_engine::diagnose(&svcdoctor_engine::Input::from_text(text));
            assert!(
                report.root_cause.is_some(),
                "{}: {:?}",
                example.id,
                report.verdict
            );
        }
    }
}
