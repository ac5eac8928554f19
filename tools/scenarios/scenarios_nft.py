"""Scenarios of what nftables mode does differently: it rejects a live
cluster IP's undefined ports (`cluster-ips-check`), drops unallocated
cluster IPs, and serves node ports only on the node's own addresses, never
on loopback. The rules are kube-proxy's table as `proxy.nftables` writes
it, loaded into the node's namespace; the probes are real curls.
"""

from __future__ import annotations

import objects as o
from cluster import App, Cluster
from kit import Expect, kube_proxy_log, scenario, session


def nodeport_cluster() -> Cluster:
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", kind="NodePort", node_port=30080)
    return c


@scenario("b9-nodeport-localhost-nftables", Expect("root-cause", "TP954", "default/web"))
def nodeport_localhost_table():
    c = nodeport_cluster()
    with session(c, "ubuntu", host="k8s-node1", mode="nftables") as t:
        t.kubectl("get svc web")
        t.node("curl -sS -m 3 http://127.0.0.1:30080")
        t.node("nft list table ip kube-proxy")
        return t.text()


@scenario("b9-nodeport-localhost-logs", Expect("root-cause", "TP954", "default/web"))
def nodeport_localhost_logs():
    c = nodeport_cluster()
    with session(c, "centos", host="k8s-node1", mode="nftables") as t:
        t.kubectl("get svc web -o yaml")
        t.shown("kubectl logs -n kube-system kube-proxy-" + o.suffix("kpk8s-node1", 5) + " | head -2", "\n".join(kube_proxy_log("nftables").split("\n")[:2]) + "\n")
        t.node("curl -sS -m 3 http://localhost:30080/")
        t.node("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://10.0.0.11:30080/")
        return t.text()


def target_port_cluster() -> Cluster:
    """web listens on 8080 behind port 80."""
    c = Cluster()
    c.apps.pop(("default", "web"))
    c.services.pop(("default", "web"))
    c.add_app(App("web", "default", {"app": "web"}, port=8080))
    c.expose("web", "default", port=80, target=8080)
    return c


@scenario("b2-nft-cluster-ip-target-port", Expect("root-cause", "NFT904", "default/web"))
def cluster_ip_target_port():
    # The client dials the target port on the cluster IP: rejected.
    c = target_port_cluster()
    with session(c, "ubuntu", host="k8s-node1", mode="nftables") as t:
        t.pod("curl -sS -m 3 http://10.96.0.20:8080")
        t.node("nft list table ip kube-proxy")
        return t.text()


@scenario("b2-nft-cluster-ip-undefined-port-ruleset", Expect("root-cause", "NFT904", "default/web"))
def cluster_ip_undefined_port():
    c = target_port_cluster()
    with session(c, "bash", host="k8s-node1", mode="nftables") as t:
        t.kubectl("get endpoints web")
        t.node("nft list ruleset")
        t.pod("wget -T 3 -t 1 -O- http://10.96.0.20:443/")
        return t.text()


@scenario("b1-nft-unallocated-cluster-ip", Expect("root-cause", "NFT905"))
def unallocated_cluster_ip():
    # An address kept from a Service that was deleted and created again.
    c = Cluster()
    with session(c, "ubuntu", host="k8s-node1", mode="nftables") as t:
        t.pod("curl -sS -m 3 http://10.96.7.41/")
        t.node("nft list table ip kube-proxy")
        return t.text()


@scenario("b1-nft-stale-cluster-ip-env", Expect("root-cause", "NFT905", "default/web"))
def stale_cluster_ip():
    c = Cluster()
    with session(c, "zsh", host="k8s-node1", mode="nftables") as t:
        t.kubectl("get svc web")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://10.96.12.9")
        t.node("nft list table ip kube-proxy")
        return t.text()


# --- POD408 app-listens-ipv4-only ----------------------------------------------


def v6_cluster() -> Cluster:
    """web behind an IPv6 single-stack Service; kube-proxy's IPv6 rules are
    not part of these transcripts."""
    c = target_port_cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", port=80, target=8080, cluster_ip="fd00:10:96::2c", ipFamilies=["IPv6"], ipFamilyPolicy="SingleStack")
    c.rules_missing.add(("default", "web"))
    return c


def ipv4_only_app(t) -> str:
    """A network namespace standing for the pod: its IPv4 and IPv6
    addresses, and an HTTP server bound to 0.0.0.0:8080 only. Returns the
    namespace."""
    ns = t.world.netns("app6", ["10.244.1.7"], "nameserver 10.96.0.10\n")
    t.world.sh(ns, "ip -6 addr add fd00:10:244:1::7/128 dev lo")
    t.world.http_server(ns, "0.0.0.0", 8080)
    t.world.wait_listening(ns, "0.0.0.0", 8080)
    return ns


@scenario("b4-app-ipv4-only-behind-ipv6-service", Expect("root-cause", "POD408", "default/web"))
def ipv4_only_ss():
    c = v6_cluster()
    pod = c.apps[("default", "web")].pods[0][0]
    with session(c, "centos") as t:
        ns = ipv4_only_app(t)
        t.kubectl("get svc web -o yaml")
        t.shown(f"kubectl exec {pod} -- ss -ltnp", t.world.sh(ns, "ss -ltnp").replace("python3", "node"))
        t.shown(f"kubectl exec {pod} -- curl -sS -m 3 -o /dev/null -w '%{{http_code}}\\n' http://10.244.1.7:8080/",
                t.world.sh(ns, "curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://10.244.1.7:8080/"))
        t.shown(f"kubectl exec {pod} -- curl -g -sS -m 3 'http://[fd00:10:244:1::7]:8080/'",
                t.world.sh(ns, "curl -g -sS -m 3 'http://[fd00:10:244:1::7]:8080/'"))
        return t.text()


@scenario("b4-app-ipv4-only-netstat-json", Expect("root-cause", "POD408", "default/web"))
def ipv4_only_netstat():
    c = v6_cluster()
    pod = c.apps[("default", "web")].pods[0][0]
    with session(c, "bash") as t:
        ns = ipv4_only_app(t)
        t.kubectl("get svc web -o json")
        t.shown(f"kubectl exec {pod} -- netstat -tln", t.world.sh(ns, "busybox netstat -tln"))
        return t.text()


# --- KP608 conntrack-stale-entries ----------------------------------------------------


def stale_dns_session(c: Cluster, t) -> None:
    """kube-proxy's rules first send kube-dns to 10.244.0.9, a CoreDNS pod
    since replaced; a lookup from a fixed source port is tracked there.
    Then the rules are rewritten for the current pods, as kube-proxy does
    on the update, without deleting the UDP entries: the kernel keeps
    sending that client's lookups to the gone pod."""
    import os

    import proxy

    lookup = "dig +tries=1 +timeout=2 -b 10.244.1.9#45002 @10.96.0.10 web.default.svc.cluster.local"
    t.world.sh(t.world.pod, lookup)
    c.endpoint_overrides.pop(("kube-system", "kube-dns"))
    rules = proxy.iptables(c.service_ports(c.all_objects()))
    path = os.path.join(t.world.tmp, "rules-now")
    with open(path, "w") as f:
        f.write(rules)
    t.world.sh(t.world.node, f"iptables-restore < {path}")


def stale_dns_cluster() -> Cluster:
    c = Cluster()
    c.endpoint_overrides[("kube-system", "kube-dns")] = [("10.244.0.9", 53, "k8s-node2")]
    return c


@scenario("b7-conntrack-stale-dns-entry", Expect("root-cause", "KP608", "kube-system/kube-dns"))
def conntrack_stale_dns():
    c = stale_dns_cluster()
    with session(c, "ubuntu", host="k8s-node1") as t:
        stale_dns_session(c, t)
        t.pod("dig +tries=1 +timeout=2 -b 10.244.1.9#45002 @10.96.0.10 web.default.svc.cluster.local")
        t.kubectl("get endpoints kube-dns -n kube-system -o yaml")
        t.node("conntrack -L -p udp --orig-dst 10.96.0.10")
        return t.text()


@scenario("b7-conntrack-stale-slices-extended", Expect("root-cause", "KP608", "kube-system/kube-dns"))
def conntrack_stale_slices():
    c = stale_dns_cluster()
    with session(c, "centos", host="k8s-node1") as t:
        stale_dns_session(c, t)
        t.kubectl("get endpointslices -n kube-system -l kubernetes.io/service-name=kube-dns")
        t.kubectl("get svc kube-dns -n kube-system")
        t.node("conntrack -L -o extended 2>/dev/null | grep 10.96.0.10")
        return t.text()
