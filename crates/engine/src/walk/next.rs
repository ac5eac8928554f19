//! The next command to run for a step without evidence, filled in with the
//! names, namespace and addresses the paste already shows.

use crate::checks::Facts;
use crate::model::labels_to_string;
use crate::report::{NextStep, Via};
use crate::walk::steps::StepId;

/// What the commands are filled in with.
struct Names {
    svc: String,
    ns: String,
    cluster_ip: Option<String>,
    port: Option<u32>,
    node_port: Option<u32>,
    selector: Option<String>,
    client_pod: Option<String>,
    client_ns: String,
    dns_ip: String,
    domain: String,
    pod_ip: Option<String>,
    target_port: Option<String>,
}

fn names(facts: &Facts<'_>) -> Names {
    let services = facts.user_services();
    // The Service in question, when the case names one the paste shows.
    let in_question = facts.case.service.as_ref().map(|q| &q.service);
    let target = super::reached::target(facts, &services);
    let client = facts.client();
    let (ports, _) = target.map(|t| t.ports()).unwrap_or((&[], None));
    let selector = target
        .and_then(|t| t.selector_labels())
        .map(|(l, _)| labels_to_string(l));
    let ns = target
        .and_then(|t| t.namespace)
        .or_else(|| in_question.and_then(|q| q.namespace.as_deref()))
        .unwrap_or("default")
        .to_string();
    let pod_ip = target.and_then(|t| t.selector_labels()).and_then(|(l, _)| {
        crate::context::view::pods_selected(facts.model, Some(&ns), l)
            .into_iter()
            .find_map(|p| p.ip.clone())
    });
    Names {
        svc: target
            .and_then(|t| t.name)
            .or_else(|| in_question.map(|q| q.name.as_str()))
            .unwrap_or("SERVICE")
            .to_string(),
        cluster_ip: target
            .and_then(|t| t.cluster_ip())
            .filter(|ip| *ip != "None")
            .map(str::to_string),
        port: ports.first().and_then(|p| p.port),
        node_port: ports.iter().find_map(|p| p.node_port),
        target_port: ports
            .first()
            .and_then(|p| p.target_port.as_ref())
            .map(|t| match t {
                crate::model::TargetPort::Number(n) => n.to_string(),
                crate::model::TargetPort::Name(n) => n.clone(),
            }),
        selector,
        client_ns: client.namespace.clone().unwrap_or_else(|| ns.clone()),
        ns,
        client_pod: client.pod,
        dns_ip: client.dns_ip.unwrap_or_else(|| "10.96.0.10".to_string()),
        domain: client.domain.unwrap_or_else(|| "cluster.local".to_string()),
        pod_ip,
    }
}

/// `kubectl exec` into the client pod, or a throwaway busybox pod.
fn in_pod(n: &Names, command: &str) -> String {
    match &n.client_pod {
        Some(pod) => format!("kubectl exec -it {pod} -n {} -- {command}", n.client_ns),
        None => format!(
            "kubectl run -it --rm dnstest --image=busybox:1.28 --restart=Never -n {} -- {command}",
            n.client_ns
        ),
    }
}

/// Whether the paste says Cilium replaces kube-proxy: its status, or its
/// agent running where no kube-proxy does.
fn cilium_replaces(facts: &Facts<'_>) -> bool {
    if let Some(said) = facts.model.kube_proxy_replaced() {
        return said;
    }
    let named = |prefix: &str| {
        facts
            .model
            .pods
            .iter()
            .any(|p| p.name.as_deref().is_some_and(|n| n.starts_with(prefix)))
    };
    named("cilium-") && !named("kube-proxy-")
}

pub fn next_command(facts: &Facts<'_>, step: StepId, via: Via) -> NextStep {
    let n = names(facts);
    let fqdn = format!("{}.{}.svc.{}", n.svc, n.ns, n.domain);
    let port = n
        .port
        .map(|p| p.to_string())
        .unwrap_or_else(|| "PORT".into());
    // Without the selector, every pod of the namespace with its labels:
    // guessing `app=NAME` would hide the very mismatch being looked for.
    let selector_flag = n
        .selector
        .as_ref()
        .map(|s| format!("-l {s}"))
        .unwrap_or_else(|| "--show-labels".to_string());
    let (command, why) = match step {
        StepId::A1 => (
            "kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide".to_string(),
            crate::text!("Check that the CoreDNS pods are running and ready.", "确认 CoreDNS Pod 正在运行并就绪。"),
        ),
        StepId::A2 => (
            "kubectl get endpointslices -n kube-system -l kubernetes.io/service-name=kube-dns".to_string(),
            crate::text!("Check that the kube-dns Service has ready endpoints.", "确认 kube-dns Service 有就绪的 Endpoints。"),
        ),
        StepId::A3 => (
            in_pod(&n, &format!("nslookup {}", n.svc)),
            crate::text!("Resolve the Service's name from a pod (then name.namespace and the full name if it fails).", "在 Pod 中解析 Service 名称（失败时再试 name.namespace 和完全限定名称）。"),
        ),
        StepId::A4 => (
            format!("nslookup {fqdn} {}", n.dns_ip),
            crate::text!("On a node, ask the cluster DNS directly.", "在节点上直接向集群 DNS 查询。"),
        ),
        // The pod's resolver is pasted, the cluster DNS address is not.
        StepId::A5 if !facts.model.resolvers.is_empty() => (
            "kubectl get svc kube-dns -n kube-system".to_string(),
            crate::text!("Show the cluster DNS address (the kube-dns Service's cluster IP) to compare with the pod's nameserver.", "查看集群 DNS 地址（kube-dns Service 的 cluster IP），与 Pod 的 nameserver 对比。"),
        ),
        StepId::A5 => (
            in_pod(&n, "cat /etc/resolv.conf"),
            crate::text!("Check the pod's resolver: nameserver, search list and ndots.", "检查 Pod 的解析配置：nameserver、search 和 ndots。"),
        ),
        // The client's egress and the pods' ingress: both namespaces.
        StepId::B6 if n.client_ns != n.ns => (
            format!(
                "kubectl get networkpolicy -n {} -o yaml && kubectl get networkpolicy -n {} -o yaml && kubectl get ns {} {} --show-labels",
                n.ns, n.client_ns, n.ns, n.client_ns
            ),
            crate::text!("List the NetworkPolicies on both ends (the client's egress and the pods' ingress) and the namespaces' labels they select on.", "列出两端的 NetworkPolicy（客户端的出站和 Pod 的入站），以及它们据以选择的命名空间标签。"),
        ),
        StepId::A6 | StepId::B6 => (
            format!("kubectl get networkpolicy -n {} -o yaml", if step == StepId::A6 { &n.client_ns } else { &n.ns }),
            crate::text!("List the NetworkPolicies that could block this traffic.", "列出可能拦截这些流量的 NetworkPolicy。"),
        ),
        StepId::B0 => (
            format!("kubectl get ingress,httproute -n {} -o yaml && kubectl describe ingress -n {}", n.ns, n.ns),
            crate::text!("From outside, check the Ingress or Gateway route in front of the Service: its class, and the Service name and port it sends to.", "从集群外访问时，检查 Service 前面的 Ingress 或 Gateway 路由：它的 class，以及它转发到的 Service 名称和端口。"),
        ),
        StepId::B1 | StepId::B2 | StepId::B9 => (
            format!("kubectl get svc {} -n {} -o yaml", n.svc, n.ns),
            crate::text!("Show the Service: its type, ports, selector and traffic policy.", "查看 Service：类型、端口、selector 和流量策略。"),
        ),
        // A table of the slices was pasted: their conditions are in YAML.
        StepId::B3 => (
            format!(
                "kubectl get endpointslices -n {} -l kubernetes.io/service-name={}{}",
                n.ns,
                n.svc,
                if slice_table_pasted(facts) { " -o yaml" } else { "" }
            ),
            crate::text!("Check that the Service's selector found ready pods.", "确认 Service 的 selector 找到了就绪的 Pod。"),
        ),
        StepId::B4 => match &n.pod_ip {
            Some(ip) => (
                format!("curl -sS -m 5 {ip}:{}", n.target_port.clone().unwrap_or_else(|| port.clone())),
                crate::text!("Bypass the Service: hit a pod directly on the target port.", "绕过 Service，直接访问 Pod 的目标端口。"),
            ),
            None => (
                format!("kubectl get pods -n {} {selector_flag} -o wide", n.ns),
                crate::text!("List the Service's pods with their IPs, nodes and readiness.", "列出 Service 的 Pod 及其 IP、节点和就绪状态。"),
            ),
        },
        StepId::B5 => (
            "kubectl get pods -n kube-system -o wide".to_string(),
            crate::text!("Check the network plugin's pods (calico, flannel, cilium ...) on every node.", "检查各节点上网络插件（calico、flannel、cilium 等）的 Pod。"),
        ),
        StepId::B7 => (
            "kubectl get pods -n kube-system -l k8s-app=kube-proxy -o wide && kubectl logs -n kube-system -l k8s-app=kube-proxy --tail=50".to_string(),
            crate::text!("Check that kube-proxy runs on the node and logs no errors.", "确认节点上的 kube-proxy 在运行且日志没有错误。"),
        ),
        // Where Cilium replaces kube-proxy, its service map is the rules.
        StepId::B8 if cilium_replaces(facts) => (
            format!(
                "kubectl -n kube-system exec ds/cilium -- cilium-dbg service list | grep -e '{}'",
                n.cluster_ip.as_deref().unwrap_or("CLUSTER-IP")
            ),
            crate::text!("Cilium replaces kube-proxy: check its service map for this Service's cluster IP and active backends (cilium service list before Cilium 1.15).", "Cilium 替代了 kube-proxy：在它的服务表中检查该 Service 的集群 IP 和 active 后端（Cilium 1.15 之前用 cilium service list）。"),
        ),
        StepId::B8 => (
            // An IPv6 cluster IP is in ip6tables' rules, not iptables'.
            match (&n.cluster_ip, via) {
                (Some(ip), _) if crate::checks::rules::is_v6(ip) => {
                    format!("ip6tables-save -t nat | grep -e '{}/{}' -e '{ip}'", n.ns, n.svc)
                }
                (_, Via::NodePort) => format!(
                    "iptables-save -t nat | grep -e '{}/{}' -e 'dport {}'",
                    n.ns,
                    n.svc,
                    n.node_port.map(|p| p.to_string()).unwrap_or_else(|| "NODEPORT".into())
                ),
                (Some(ip), _) => format!("iptables-save -t nat | grep -e '{}/{}' -e '{ip}'", n.ns, n.svc),
                (None, _) => format!("iptables-save -t nat | grep '{}/{}'", n.ns, n.svc),
            },
            crate::text!("On the client's node, check the proxy rules for this Service (ipvsadm -ln or nft list table ip kube-proxy in those modes).", "在客户端所在节点上检查该 Service 的代理规则（IPVS 模式用 ipvsadm -ln，nftables 模式用 nft list table ip kube-proxy）。"),
        ),
    };
    NextStep {
        step,
        why: facts.tr(why).to_string(),
        command,
    }
}

/// Whether a `kubectl get endpointslices` table (addresses without their
/// conditions) was pasted.
fn slice_table_pasted(facts: &Facts<'_>) -> bool {
    facts
        .model
        .endpoints
        .iter()
        .any(|s| s.from == crate::model::EndpointSource::SliceTable)
}
