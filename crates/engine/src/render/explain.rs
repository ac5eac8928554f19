//! One pasted line in plain words, for the lines learners find hardest to
//! read: an iptables rule of kube-proxy, a line of `ipvsadm -ln`, a
//! resolv.conf setting, an endpoint condition. The page shows it for the
//! line under the caret.

use crate::i18n::{Lang, Text};
use crate::read::artifact::ArtifactKind;

/// Whether some lines of outputs of `kind` are explained: a caller that
/// must ask for explanations (the page asks its Web Worker) asks only for
/// these.
pub fn explains(kind: ArtifactKind) -> bool {
    matches!(
        kind,
        ArtifactKind::Iptables
            | ArtifactKind::Ipvs
            | ArtifactKind::Resolv
            | ArtifactKind::K8sObjects
            | ArtifactKind::KubectlDescribe
    )
}

/// `line` (of an output of `kind`) in words, or `None` when it is not one of
/// the lines explained.
pub fn explain(lang: Lang, kind: ArtifactKind, line: &str) -> Option<String> {
    let line = line.trim();
    let (text, values) = match kind {
        ArtifactKind::Iptables => iptables(line)?,
        ArtifactKind::Ipvs => ipvs(line)?,
        ArtifactKind::Resolv => resolv(line)?,
        ArtifactKind::K8sObjects | ArtifactKind::KubectlDescribe => condition(line)?,
        _ => return None,
    };
    debug_assert!(explains(kind));
    let mut said = text.get(lang).to_string();
    for (key, value) in values {
        said = said.replace(&format!("{{{key}}}"), &value);
    }
    Some(said)
}

type Said = (Text, Vec<(&'static str, String)>);

/// The value after `flag` in an iptables rule.
fn arg<'l>(words: &[&'l str], flag: &str) -> Option<&'l str> {
    let at = words.iter().position(|w| *w == flag)?;
    words.get(at + 1).copied()
}

fn iptables(line: &str) -> Option<Said> {
    if let Some(chain) = line.strip_prefix(':') {
        let chain = chain.split_whitespace().next()?.to_string();
        return Some((
            crate::text!("Declares the chain {chain}.", "声明链 {chain}。"),
            vec![("chain", chain)],
        ));
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    // `iptables -t nat -L -n`: target, prot, opt, source, destination, ...
    if let [target, _, _, _, destination, ..] = words.as_slice() {
        let port = words.iter().find_map(|w| w.strip_prefix("dpt:"));
        if target.starts_with("KUBE-SVC-") || target.starts_with("KUBE-EXT-") {
            if let Some(port) = port {
                let proto = if words.contains(&"udp") { "udp" } else { "tcp" };
                return Some(to_cluster_ip(destination, port, proto, target));
            }
        }
    }
    if words.first() != Some(&"-A") {
        return None;
    }
    let chain = words.get(1)?.to_string();
    let target = arg(&words, "-j").unwrap_or_default().to_string();
    let port = arg(&words, "--dport").unwrap_or("?").to_string();
    let proto = arg(&words, "-p").unwrap_or("tcp").to_string();
    let said = if target == "DNAT" {
        (
            crate::text!(
                "Rewrites the destination to the endpoint {to} (DNAT): the connection goes to that pod.",
                "把目标地址改写为端点 {to}（DNAT）：连接被送到该 Pod。"
            ),
            vec![("to", arg(&words, "--to-destination")?.to_string())],
        )
    } else if target == "REJECT" {
        (
            crate::text!(
                "Rejects the connections (the client sees \"connection refused\"): kube-proxy writes this for a Service with no ready endpoints.",
                "拒绝这些连接（客户端看到 “connection refused”）：kube-proxy 为没有就绪端点的 Service 写入这条规则。"
            ),
            Vec::new(),
        )
    } else if target == "KUBE-MARK-MASQ" {
        (
            crate::text!(
                "Marks the packets to be masqueraded (source NAT) when they leave the node.",
                "标记这些数据包，离开节点时做源地址伪装（SNAT）。"
            ),
            Vec::new(),
        )
    } else if target.starts_with("KUBE-SEP-") {
        let share = arg(&words, "--probability")
            .and_then(|p| p.parse::<f64>().ok())
            .map(|p| format!("{:.0}", p * 100.0));
        match share {
            Some(share) => (
                crate::text!(
                    "Sends {share}% of the new connections that reach this line to the endpoint chain {target}.",
                    "把到达这一行的新连接中的 {share}% 送往端点链 {target}。"
                ),
                vec![("share", share), ("target", target)],
            ),
            None => (
                crate::text!(
                    "Sends the remaining new connections to the endpoint chain {target}.",
                    "把其余的新连接送往端点链 {target}。"
                ),
                vec![("target", target)],
            ),
        }
    } else if let Some(ip) = arg(&words, "-d") {
        to_cluster_ip(ip.trim_end_matches("/32"), &port, &proto, &target)
    } else if chain == "KUBE-NODEPORTS" {
        (
            crate::text!(
                "Connections to port {port}/{proto} on any address of this node (a node port) jump to {target}.",
                "发往本节点任意地址端口 {port}/{proto}（NodePort）的连接跳转到 {target}。"
            ),
            vec![("port", port), ("proto", proto), ("target", target)],
        )
    } else {
        return None;
    };
    Some(said)
}

/// A rule that sends a Service's cluster IP to the Service's chain.
fn to_cluster_ip(ip: &str, port: &str, proto: &str, target: &str) -> Said {
    (
        crate::text!(
            "Connections to {ip} port {port}/{proto} (a Service's cluster IP) jump to {target}, which picks an endpoint.",
            "发往 {ip} 端口 {port}/{proto}（Service 的 cluster IP）的连接跳转到 {target}，由它选择一个端点。"
        ),
        vec![
            ("ip", ip.to_string()),
            ("port", port.to_string()),
            ("proto", proto.to_string()),
            ("target", target.to_string()),
        ],
    )
}

fn ipvs(line: &str) -> Option<Said> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["->", address, forward, weight, active, inactive, ..] if address.contains(':') => {
            let text = if *weight == "0" {
                crate::text!(
                    "A real server (an endpoint) {address}, forwarded by {forward}, weight 0: it gets no new connections (it is being drained). {active} active, {inactive} inactive connections.",
                    "真实服务器（端点）{address}，转发方式 {forward}，权重 0：不再接收新连接（正在摘除）。活动连接 {active} 个，非活动连接 {inactive} 个。"
                )
            } else {
                crate::text!(
                    "A real server (an endpoint) {address}, forwarded by {forward}, weight {weight}. {active} active, {inactive} inactive connections.",
                    "真实服务器（端点）{address}，转发方式 {forward}，权重 {weight}。活动连接 {active} 个，非活动连接 {inactive} 个。"
                )
            };
            Some((
                text,
                vec![
                    ("address", address.to_string()),
                    ("forward", forward.to_string()),
                    ("weight", weight.to_string()),
                    ("active", active.to_string()),
                    ("inactive", inactive.to_string()),
                ],
            ))
        }
        [proto @ ("TCP" | "UDP" | "SCTP"), address, scheduler, ..] => Some((
            crate::text!(
                "A virtual server: connections to {address}/{proto} (a Service's address) are spread over the real servers below by the {scheduler} scheduler.",
                "虚拟服务器：发往 {address}/{proto}（Service 的地址）的连接由 {scheduler} 调度算法分给下面的真实服务器。"
            ),
            vec![
                ("address", address.to_string()),
                ("proto", proto.to_string()),
                ("scheduler", scheduler.to_string()),
            ],
        )),
        _ => None,
    }
}

fn resolv(line: &str) -> Option<Said> {
    let mut words = line.split_whitespace();
    let said = match words.next()? {
        "nameserver" => (
            crate::text!(
                "Lookups are sent to the DNS server {server}; in a pod with the default DNS policy, the cluster DNS (the kube-dns Service's IP).",
                "DNS 查询发往 {server}；默认 DNS 策略的 Pod 里，这是集群 DNS（kube-dns Service 的 IP）。"
            ),
            vec![("server", words.next()?.to_string())],
        ),
        "search" => (
            crate::text!(
                "A short name is tried with these suffixes, in order: {list}. This is why web resolves as web.<namespace>.svc.cluster.local.",
                "短名称会依次加上这些后缀尝试：{list}。所以 web 能解析成 web.<命名空间>.svc.cluster.local。"
            ),
            vec![("list", words.collect::<Vec<_>>().join(", "))],
        ),
        "options" => {
            let ndots = words.find_map(|w| w.strip_prefix("ndots:"))?;
            (
                crate::text!(
                    "ndots:{n}: a name with fewer than {n} dots is tried with the search suffixes first, then as it is.",
                    "ndots:{n}：点少于 {n} 个的名称先加上 search 后缀尝试，再按原样查询。"
                ),
                vec![("n", ndots.to_string())],
            )
        }
        _ => return None,
    };
    Some(said)
}

fn condition(line: &str) -> Option<Said> {
    let (key, value) = line.trim_start_matches("- ").split_once(':')?;
    let value = value.trim();
    let text = match (key.trim(), value) {
        ("ready", "false") => crate::text!(
            "Not ready: a Service sends this endpoint no traffic (its pod is starting, or fails its readiness probe).",
            "未就绪：Service 不会把流量发给这个端点（Pod 正在启动，或就绪探针失败）。"
        ),
        ("ready", "true") => crate::text!(
            "Ready: a Service sends this endpoint traffic.",
            "已就绪：Service 会把流量发给这个端点。"
        ),
        ("serving", "false") => crate::text!(
            "Not serving: the endpoint cannot take connections, even while terminating.",
            "不可服务：即使在终止过程中，这个端点也不能接收连接。"
        ),
        ("terminating", "true") => crate::text!(
            "Terminating: the pod is shutting down; it gets new connections only when no other endpoint can serve.",
            "正在终止：Pod 正在关闭；只有没有其他端点可用时才会接收新连接。"
        ),
        _ => return None,
    };
    Some((text, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::explain;
    use crate::i18n::Lang;
    use crate::read::artifact::ArtifactKind as K;

    #[test]
    fn lines_are_said_in_words() {
        let en = |kind, line| explain(Lang::En, kind, line).unwrap_or_default();
        assert_eq!(
            en(K::Iptables, "-A KUBE-SERVICES -d 10.104.0.64/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G"),
            "Connections to 10.104.0.64 port 80/tcp (a Service's cluster IP) jump to KUBE-SVC-LOLE4ISW44XBNF3G, which picks an endpoint."
        );
        assert_eq!(
            en(K::Iptables, "-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment \"default/web\" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-AAA"),
            "Sends 33% of the new connections that reach this line to the endpoint chain KUBE-SEP-AAA."
        );
        assert!(en(K::Iptables, "-A KUBE-SEP-AAA -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination 10.244.1.5:80").contains("10.244.1.5:80"));
        assert!(en(K::Iptables, "-A KUBE-SERVICES -d 10.96.5.5/32 -p tcp -m comment --comment \"default/web has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable").contains("connection refused"));
        assert!(en(K::Iptables, "-A KUBE-NODEPORTS -p tcp -m comment --comment \"default/web\" -m tcp --dport 32035 -j KUBE-EXT-AAA").contains("32035/tcp"));
        assert_eq!(explain(Lang::En, K::Iptables, "COMMIT"), None);
        assert!(en(K::Ipvs, "TCP  10.104.0.64:80 rr").contains("rr scheduler"));
        assert!(en(
            K::Ipvs,
            "  -> 10.244.1.5:80                Masq    0      3          0"
        )
        .contains("weight 0"));
        assert!(en(K::Resolv, "nameserver 10.96.0.10").contains("10.96.0.10"));
        assert!(en(
            K::Resolv,
            "search default.svc.cluster.local svc.cluster.local cluster.local"
        )
        .contains("default.svc.cluster.local, svc.cluster.local"));
        assert!(en(K::Resolv, "options ndots:5").starts_with("ndots:5"));
        assert!(en(K::K8sObjects, "      ready: false").starts_with("Not ready"));
        assert_eq!(explain(Lang::En, K::K8sObjects, "  name: web"), None);
        assert!(explain(Lang::Zh, K::Resolv, "options ndots:5").is_some());
    }
}
