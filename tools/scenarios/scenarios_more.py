"""More realistic scenarios: the rest of the rule catalog, each with the
commands a person would paste for it, and more healthy and need-evidence
cases with noise around them.
"""

from __future__ import annotations

from datetime import timedelta

import objects as o
import proxy
from cluster import App, Cluster
from kit import Expect, kube_proxy_log, scenario, session

WEB_HASH = o.rs_hash("web", "default")


def drop_lines(needle: str):
    """A rule edit: kube-proxy's rules without the lines containing `needle`."""
    return lambda rules: "\n".join(l for l in rules.split("\n") if needle not in l) + "\n"


# --- DNS ------------------------------------------------------------------------


@scenario("a2-kube-dns-no-endpoints", Expect("root-cause", "DNS103", "kube-system/kube-dns"))
def kube_dns_no_endpoints():
    c = Cluster()
    c.coredns_state = "gone"
    with session(c, "centos") as t:
        t.pod("nslookup web")
        t.kubectl("get endpoints kube-dns -n kube-system")
        return t.text()


@scenario("a5-search-list-wrong-lookups-only", Expect("root-cause", "DNS105"))
def relative_names_fail():
    c = Cluster()
    resolv = "search corp.example.internal\nnameserver 10.96.0.10\noptions ndots:5\n"
    with session(c, "ubuntu", host="k8s-node1", pod_resolv=resolv) as t:
        t.pod("nslookup web")
        t.pod("nslookup web.default.svc.cluster.local")
        return t.text()


@scenario("a5-search-suffix-missing-resolv-conf", Expect("root-cause", "DNS107"))
def search_suffix_missing():
    c = Cluster()
    resolv = "search corp.example.internal\nnameserver 10.96.0.10\noptions ndots:5\n"
    with session(c, "centos", pod_resolv=resolv) as t:
        t.pod("nslookup web")
        t.pod("cat /etc/resolv.conf")
        return t.text()


@scenario("a4-hostnetwork-without-clusterfirstwithhostnet", Expect("root-cause", "DNS112", "monitoring/agent"))
def hostnetwork_dns():
    c = Cluster()
    agent = o.deployment("agent", "monitoring", {"app": "agent"}, 1, containers=[o.container("agent", "example/agent:2.1", None)])
    agent["spec"]["template"]["spec"]["hostNetwork"] = True
    c.extra.append(agent)
    c.extra.append(o.namespace("monitoring"))
    # The lookups run in the agent's pod.
    c.client = (f"agent-{o.rs_hash('agent', 'monitoring')}-{o.suffix('agent0', 5)}", "monitoring", "10.244.1.9", "k8s-node1")
    c.client_labels = {"app": "agent"}
    with session(c, "dollar", pod_resolv="nameserver 10.0.0.2\nsearch ec2.internal\n") as t:
        t.kubectl("get deployment agent -n monitoring -o yaml")
        t.pod("cat /etc/resolv.conf")
        t.pod("nslookup web.default")
        return t.text()


@scenario("a6-egress-policy-blocks-dns", Expect("root-cause", "DNS113", "default/deny-egress"))
def egress_blocks_dns():
    c = Cluster()
    c.extra.append(o.network_policy("deny-egress", "default", {}, egress=[{"to": [{"podSelector": {"matchLabels": {"app": "web"}}}]}], types=("Egress",)))
    c.node_setup.append("iptables -I INPUT -s 10.244.1.9 -p udp --dport 53 -j DROP")
    with session(c, "zsh") as t:
        t.pod("nslookup web")
        t.kubectl("get networkpolicy -o yaml")
        return t.text()


@scenario("a1-coredns-forward-loop", Expect("root-cause", "DNS102", "kube-system/coredns"))
def coredns_loop():
    c = Cluster()
    c.coredns_state = "crash"
    log = (
        ".:53\n[INFO] plugin/reload: Running configuration SHA512 = 0d2c41a2b0d35e5b6e0c4b39dd1c6a9c\n"
        "CoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n"
        '[FATAL] plugin/loop: Loop (127.0.0.1:41546 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 6043585093934826711.7470468815616416283."\n'
    )
    with session(c, "centos") as t:
        t.kubectl("get pods -n kube-system -l k8s-app=kube-dns")
        t.shown("kubectl logs -n kube-system coredns-5dd5756b68-7xkqp --previous", log)
        return t.text()


# --- the Service's ports ----------------------------------------------------------


@scenario("b2-named-target-port-missing", Expect("root-cause", "SVC204", "default/web"))
def named_target_port_missing():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", port=80, target="http")
    with session(c, "centos") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get deployment web -o yaml")
        t.kubectl("get endpoints web")
        return t.text()


@scenario("b2-protocol-mismatch-udp", Expect("root-cause", "SVC205", "default/dns-cache"))
def protocol_mismatch():
    c = Cluster()
    c.add_app(App("dns-cache", "default", {"app": "dns-cache"}, replicas=2, port=53))
    c.expose("dns-cache", "default", port=53, target=53, protocol="UDP")
    with session(c, "ubuntu", host="k8s-master") as t:
        t.kubectl("get svc dns-cache -o yaml")
        t.kubectl("get deployment dns-cache -o yaml")
        return t.text()


@scenario("b2-target-port-quoted-number", Expect("root-cause", "SVC206", "default/web"))
def target_port_quoted():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", port=80, target="80")
    with session(c, "dollar") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get deployment web -o yaml")
        t.kubectl("get ep web")
        return t.text()


# --- endpoints ----------------------------------------------------------------------


@scenario("b3-pods-in-other-namespace", Expect("root-cause", "EP302", "shop/web"))
def pods_other_namespace():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "shop", port=80, target=80, selector={"app": "web"})
    c.extra.append(o.namespace("shop"))
    with session(c, "centos") as t:
        t.kubectl("get svc web -n shop -o yaml")
        t.kubectl("get pods -A -l app=web")
        t.kubectl("get endpoints web -n shop")
        return t.text()


@scenario("b3-selectorless-without-endpoints", Expect("root-cause", "EP303", "default/legacy-db"))
def selectorless():
    c = Cluster()
    c.expose("legacy-db", "default", port=5432, target=5432, selector={})
    c.services[("default", "legacy-db")]["spec"].pop("selector", None)
    with session(c, "user", host="bastion") as t:
        t.kubectl("get svc legacy-db -o yaml")
        t.kubectl("get endpoints legacy-db")
        t.pod("nc -zv -w 3 legacy-db 5432")
        return t.text()


@scenario("b3-endpoints-stale", Expect("root-cause", "EP307", "default/web"))
def endpoints_stale():
    c = Cluster()
    stale = o.endpoints("web", "default", ready=[("10.244.1.40", f"web-{WEB_HASH}-old01", "k8s-node1"), ("10.244.2.41", f"web-{WEB_HASH}-old02", "k8s-node2")])
    c.endpoints_override[("default", "web")] = stale
    with session(c, "centos") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get endpoints web")
        t.kubectl("get pods -l app=web -o wide")
        return t.text()


@scenario("b3-deployment-selector-mismatch", Expect("root-cause", "EP308", "default/web"))
def workload_selector_mismatch():
    c = Cluster()
    app = c.apps[("default", "web")]
    app.selector = {"app": "web", "track": "stable"}
    with session(c, "centos") as t:
        t.kubectl("get deployment web -o yaml")
        t.kubectl("get pods -l app=web")
        return t.text()


# --- the network and kube-proxy ----------------------------------------------------------


@scenario("b5-calico-node-crashloop", Expect("root-cause", "NET502", "kube-system/calico-node"))
def cni_unhealthy():
    c = Cluster()
    c.apps[("default", "web")].listens = "lost"
    with session(c, "centos", host="k8s-node1") as t:
        listing = t.world.kubectl("get pods -n kube-system -o wide")
        lines = listing.split("\n")
        for i, line in enumerate(lines):
            if line.startswith("calico-node-") and "k8s-node2" in line:
                lines[i] = line.replace("1/1     Running            0", "0/1     CrashLoopBackOff   14 (3m ago)").replace("1/1     Running   0", "0/1     CrashLoopBackOff   14 (3m ago)")
        t.shown("kubectl get pods -n kube-system -o wide", "\n".join(lines))
        t.pod("curl -sS -m 3 http://10.244.2.5/")
        return t.text()


@scenario("b7-kube-proxy-api-unreachable-logs", Expect("root-cause", "KP602", "kube-system/kube-proxy"))
def kube_proxy_api_unreachable():
    c = Cluster()
    c.rules_missing = {("default", "web")}
    extra = [
        'E1120 09:14:11.512203       1 reflector.go:158] "Unhandled Error" err="k8s.io/client-go/informers/factory.go:160: Failed to watch *v1.Service: failed to list *v1.Service: Get \\"https://10.0.0.10:6443/api/v1/services?labelSelector=%21service.kubernetes.io%2Fheadless%2C%21service.kubernetes.io%2Fservice-proxy-name&limit=500&resourceVersion=0\\": dial tcp 10.0.0.10:6443: connect: connection refused" logger="UnhandledError"',
        'E1120 09:14:12.004711       1 reflector.go:158] "Unhandled Error" err="k8s.io/client-go/informers/factory.go:160: Failed to watch *v1.EndpointSlice: failed to list *v1.EndpointSlice: Get \\"https://10.0.0.10:6443/apis/discovery.k8s.io/v1/endpointslices?labelSelector=%21service.kubernetes.io%2Fheadless%2C%21service.kubernetes.io%2Fservice-proxy-name&limit=500&resourceVersion=0\\": dial tcp 10.0.0.10:6443: connect: connection refused" logger="UnhandledError"',
    ]
    with session(c, "centos", host="k8s-node1") as t:
        t.pod("curl -sS -m 3 http://web")
        t.shown("kubectl logs -n kube-system kube-proxy-" + o.suffix("kpk8s-node1", 5) + " --tail=4", "\n".join(extra) + "\n")
        return t.text()


@scenario("b7-kube-proxy-sync-failing", Expect("root-cause", "KP603", "k8s-node1"))
def kube_proxy_sync_failing():
    c = Cluster()
    c.rules_missing = {("default", "web")}
    log = (
        'Nov 20 09:20:01 k8s-node1 kube-proxy[812]: E1120 09:20:01.000000     812 proxier.go:1564] "Failed to execute iptables-restore" err="exit status 2: iptables-restore v1.8.9 (nf_tables): Couldn\'t load match `statistic\':No such file or directory"\n'
        'Nov 20 09:20:01 k8s-node1 kube-proxy[812]: E1120 09:20:01.000412     812 proxier.go:864] "Sync failed" retryingTime="30s"\n'
    )
    with session(c, "centos", host="k8s-node1") as t:
        t.pod("curl -sS -m 3 http://web")
        t.shown("journalctl -u kube-proxy --no-pager | tail -2", log)
        return t.text()


# kube-proxy says it runs IPVS, but IPVS holds nothing and iptables rules
# are left over: the Service's virtual server is missing.
@scenario("b8-ipvs-empty-iptables-leftovers", Expect("root-cause", "IPVS801", "default/web"))
def proxy_mode_mismatch():
    c = Cluster()
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get svc web")
        t.shown("kubectl logs -n kube-system kube-proxy-" + o.suffix("kpk8s-node1", 5) + " | head -3", kube_proxy_log("ipvs").split("\n", 3)[0] + "\n" + 'I1120 09:12:03.131274       1 server.go:677] "Successfully retrieved node IP(s)" IPs=["10.0.0.11"]\n')
        t.node("iptables-save -t nat | grep web", "iptables-save -t nat | grep web")
        t.shown("ipvsadm -ln", "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n")
        return t.text()


# About the node, which the prompt names: no Service can be the wrong one.
@scenario("b7-iptables-legacy-rules-too", Expect("root-cause", "KP605"))
def backend_mismatch():
    c = Cluster()
    with session(c, "centos", host="k8s-node1", mode="iptables-and-legacy") as t:
        t.node("iptables-save -t nat | head -5", "iptables-save -t nat | head -5")
        t.pod("curl -sS -m 3 -I http://web")
        return t.text()


# --- proxy rules ----------------------------------------------------------------------


@scenario("b8-nodeport-rule-missing", Expect("root-cause", "IPT704", "default/web"))
def nodeport_rule_missing():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", kind="NodePort", node_port=30080)
    c.rule_edits.append(drop_lines("--dport 30080"))
    with session(c, "centos", host="k8s-node1") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get endpoints web")
        t.node("iptables-save | grep web")
        t.node("curl -sS -m 3 http://10.0.0.11:30080/")
        return t.text()


@scenario("b8-probability-chain-broken", Expect("root-cause", "IPT705", "default/web"))
def probability_broken():
    c = Cluster()
    c.rule_edits.append(lambda r: r.replace("--probability 0.50000000000", "--probability 0.05000000000"))
    with session(c, "centos", host="k8s-node1") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get ep web")
        t.node("iptables-save -t nat | grep 'default/web'", "iptables-save -t nat | grep default/web")
        return t.text()


def ipvs_case(name: str, expect: Expect, change):
    @scenario(name, expect)
    def _():
        c = Cluster()
        with session(c, "centos", host="k8s-node1") as t:
            sps = c.service_ports(c.all_objects())
            sps, weight = change(sps)
            t.kubectl("get svc web")
            t.kubectl("get endpoints web")
            t.shown("ipvsadm -ln", proxy.ipvsadm(sps, "10.0.0.11", weight))
            return t.text()

    return _


ipvs_case(
    "b8-ipvs-virtual-server-missing",
    Expect("root-cause", "IPVS801", "default/web"),
    lambda sps: ([s for s in sps if s.name != "web"], 1),
)
ipvs_case(
    "b8-ipvs-real-server-stale",
    Expect("root-cause", "IPVS802", "default/web"),
    lambda sps: ([s if s.name != "web" else proxy.ServicePort(**{**s.__dict__, "endpoints": s.endpoints[:2] + [("10.244.2.77", 80, "k8s-node2")]}) for s in sps], 1),
)
ipvs_case(
    "b8-ipvs-weights-zero",
    Expect("root-cause", "IPVS803", "default/web|10.96.0.20"),
    lambda sps: (sps, 0),
)


@scenario("b8-nft-element-missing", Expect("root-cause", "NFT901", "default/web"))
def nft_element_missing():
    c = Cluster()
    c.rule_edits.append(drop_lines('add element ip kube-proxy service-ips { 10.96.0.20 '))
    with session(c, "ubuntu", host="k8s-node1", mode="nftables") as t:
        t.kubectl("get svc web")
        t.kubectl("get endpoints web")
        t.node("nft list table ip kube-proxy")
        return t.text()


@scenario("b8-nft-endpoints-mismatch", Expect("root-cause", "NFT902", "default/web"))
def nft_endpoints_mismatch():
    c = Cluster()
    c.endpoint_overrides[("default", "web")] = [("10.244.1.5", 80, "k8s-node1"), ("10.244.2.44", 80, "k8s-node2")]
    with session(c, "ubuntu", host="k8s-node1", mode="nftables") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get endpoints web")
        t.node("nft list table ip kube-proxy")
        return t.text()


# --- healthy and need-evidence, with noise ---------------------------------------------------


@scenario("healthy-many-services-all-namespaces", Expect("healthy"))
def healthy_many():
    c = Cluster()
    c.add_app(App("api", "default", {"app": "api"}, replicas=2, port=8080))
    c.expose("api", "default", port=8080, target=8080)
    c.add_app(App("cart", "shop", {"app": "cart"}, replicas=2, port=3000))
    c.expose("cart", "shop", port=80, target=3000)
    with session(c, "starship") as t:
        t.kubectl("get svc -A")
        t.kubectl("get pods -A -o wide")
        t.kubectl("get endpoints web")
        t.pod("nslookup web")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web")
        return t.text()


@scenario("healthy-dig-and-wget-chinese-locale", Expect("healthy"))
def healthy_dig_zh():
    import os

    c = Cluster()
    os.environ["SCN_LANG"] = "zh_CN.UTF-8"
    try:
        with session(c, "ubuntu", host="k8s-node1") as t:
            t.kubectl("get svc web -o wide")
            t.kubectl("get endpointslices -l kubernetes.io/service-name=web")
            t.pod("dig web.default.svc.cluster.local")
            t.pod("wget -T 3 -t 1 -O /dev/null http://web")
            return t.text()
    finally:
        os.environ.pop("SCN_LANG", None)


@scenario("healthy-nodeport-from-node", Expect("healthy"))
def healthy_nodeport():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", kind="NodePort", node_port=30080)
    with session(c, "centos", host="k8s-node1") as t:
        t.kubectl("get svc web")
        t.kubectl("get ep web")
        t.node("curl -sS -m 3 -I http://10.0.0.11:30080/")
        return t.text()


@scenario("need-evidence-only-the-service", Expect("need-evidence"))
def only_service():
    c = Cluster()
    with session(c, "dollar") as t:
        t.kubectl("get svc web -o yaml")
        return t.text()


@scenario("need-evidence-lookup-works-no-probe", Expect("need-evidence"))
def lookup_only():
    c = Cluster()
    with session(c, "centos") as t:
        t.pod("nslookup web")
        t.kubectl("get svc web")
        return t.text()


_ = timedelta


# --- traffic policies, hairpin, rejects, headless ------------------------------------------


def local_policy_cluster(kind: str = "NodePort") -> Cluster:
    """web with externalTrafficPolicy Local and both pods on k8s-node2,
    while the rules shown are k8s-node1's."""
    c = Cluster()
    app = c.apps[("default", "web")]
    app.pods = [(n, ip.replace("10.244.1.", "10.244.2.2"), "k8s-node2") for n, ip, _ in app.pods[:2]]
    app.replicas = 2
    app.states = ["ok", "ok"]
    c.services.pop(("default", "web"))
    c.expose("web", "default", kind=kind, node_port=30080, externalTrafficPolicy="Local")
    return c


@scenario("b2-local-policy-node-without-pods-yaml", Expect("root-cause", "SVC209", "default/web"))
def local_policy_yaml():
    c = local_policy_cluster()
    with session(c, "centos", host="k8s-master") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get pods -l app=web -o wide")
        t.kubectl("get nodes -o wide")
        t.outside("curl -sS -m 3 http://10.0.0.11:30080/")
        return t.text()


@scenario("b9-local-policy-drop-in-rules", Expect("root-cause", "TP951", "default/web"))
def local_policy_rules():
    c = local_policy_cluster()
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.outside("curl -sS -m 3 http://10.0.0.11:30080/")
        t.node("iptables-save | grep web")
        return t.text()


@scenario("b9-source-ranges-exclude-client", Expect("root-cause", "TP952", "shop/web"))
def source_ranges():
    c = Cluster(app_ns="shop")
    c.services.pop(("shop", "web"))
    svc = c.expose("web", "shop", kind="LoadBalancer", node_port=31080, loadBalancerSourceRanges=["10.10.0.0/16"])
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}
    c.node_setup.append("iptables -I FORWARD -d 203.0.113.10 -j DROP")
    with session(c, "user", host="laptop") as t:
        t.kubectl("get svc web -n shop -o yaml")
        t.outside("curl -sS -m 3 http://203.0.113.10/")
        return t.text()


@scenario("b5-hairpin-pod-to-own-service", Expect("root-cause", "NET504", "default/web"))
def hairpin():
    c = Cluster()
    app = c.apps[("default", "web")]
    name, _ip, node = app.pods[0]
    app.pods = [(name, "10.244.1.9", node)]
    app.replicas = 1
    app.states = ["ok"]
    c.client = (name, "default", "10.244.1.9", node)
    c.client_labels = {"app": "web", "pod-template-hash": o.rs_hash("web", "default")}
    c.node_setup.append("iptables -I FORWARD -i cali1 -o cali1 -j DROP")
    with session(c, "centos") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get pods -l app=web -o wide")
        t.pod_shell(["wget -T 3 -t 1 -O- http://web"])
        return t.text()


@scenario("b8-iptables-rejects-without-endpoints", Expect("root-cause", "IPT702", "default/web"))
def iptables_rejects():
    c = Cluster()
    c.apps[("default", "web")].states = ["notready", "notready", "notready"]
    with session(c, "centos", host="k8s-node1") as t:
        t.kubectl("get svc web -o yaml")
        t.node("iptables-save | grep web")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b8-nft-rejects-without-endpoints", Expect("root-cause", "NFT903", "default/web"))
def nft_rejects():
    c = Cluster()
    c.apps[("default", "web")].states = ["notready", "notready", "notready"]
    with session(c, "ubuntu", host="k8s-node1", mode="nftables") as t:
        t.kubectl("get svc web -o wide")
        t.node("nft list table ip kube-proxy")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b3-endpointslice-not-ready", Expect("root-cause", "EP305", "default/web"))
def endpointslice_not_ready():
    c = Cluster()
    c.apps[("default", "web")].states = ["notready", "notready", "notready"]
    with session(c, "centos") as t:
        t.kubectl("get svc web")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web -o yaml")
        return t.text()


@scenario("b2-headless-port-not-remapped", Expect("root-cause", "SVC207", "default/web"))
def headless_unmapped():
    c = Cluster()
    app = c.apps[("default", "web")]
    app.port = 8080
    c.services.pop(("default", "web"))
    c.expose("web", "default", port=80, target=8080, cluster_ip="None")
    with session(c, "centos") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get endpoints web")
        t.pod("curl -sS -m 3 http://web/")
        return t.text()


# --- the same causes in other shapes and places --------------------------------------------


@scenario("b3-selector-mismatch-json-shop", Expect("root-cause", "EP301", "shop/web"))
def selector_json_shop():
    c = Cluster(app_ns="shop")
    c.apps[("shop", "web")].template_labels = {"app": "web-v2"}
    with session(c, "fish", host="laptop") as t:
        t.kubectl("get svc web -n shop -o json")
        t.kubectl("get deployment web -n shop -o json")
        return t.text()


@scenario("b4-image-pull-backoff", Expect("root-cause", "POD401", "default/web"))
def image_pull():
    c = Cluster()
    app = c.apps[("default", "web")]
    app.image = "nginx:1.27-typo"
    app.states = ["imagepull"] * 3
    with session(c, "ubuntu", host="k8s-master") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get pods -l app=web --show-labels")
        t.kubectl("get ep web")
        return t.text()


@scenario("b4-pods-pending", Expect("root-cause", "POD401", "default/web"))
def pods_pending():
    c = Cluster()
    c.apps[("default", "web")].states = ["pending"] * 3
    with session(c, "centos") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get pods -o wide --show-labels")
        return t.text()


@scenario("a1-coredns-pending", Expect("root-cause", "DNS101", "kube-system/coredns"))
def coredns_pending():
    c = Cluster()
    c.coredns_state = "crash"
    with session(c, "time") as t:
        t.pod("nslookup web.default.svc.cluster.local")
        t.kubectl("get pods -A -o wide")
        return t.text()


@scenario("a3-dig-nxdomain-typo", Expect("root-cause", "DNS109", "default/web"))
def dig_nxdomain():
    c = Cluster()
    with session(c, "dollar") as t:
        t.pod("dig +search webapp")
        t.pod("dig webapp.default.svc.cluster.local")
        t.kubectl("get svc")
        return t.text()


@scenario("b8-iptables-listing-rules-missing", Expect("root-cause", "IPT701", "default/web"))
def listing_rules_missing():
    c = Cluster()
    c.rules_missing = {("default", "web")}
    with session(c, "centos", host="k8s-node1") as t:
        t.kubectl("get svc web")
        t.kubectl("get ep web")
        t.node("iptables -t nat -L KUBE-SERVICES -n")
        return t.text()


@scenario("b7-kube-proxy-daemonset-deleted", Expect("root-cause", "KP601", "kube-system/kube-proxy"))
def kube_proxy_deleted():
    c = Cluster()
    c.kube_proxy = "missing"
    c.rules_missing = {("default", "web")}
    with session(c, "starship") as t:
        t.pod("curl -sS -m 3 http://web")
        t.kubectl("get pods -n kube-system")
        t.kubectl("get ds -n kube-system")
        return t.text()


@scenario("b5-cross-node-nc-timeouts", Expect("root-cause", "NET501", "k8s-node2"))
def cross_node_nc():
    c = Cluster()
    c.apps[("default", "web")].listens = "lost"
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get pods -l app=web -o wide")
        t.pod("nc -zv -w 3 10.244.1.5 80")
        t.pod("nc -zv -w 3 10.244.2.5 80")
        return t.text()


@scenario("b2-wrong-port-curl-loop", Expect("root-cause", "SVC202", "default/web"))
def wrong_port_loop():
    c = Cluster()
    with session(c, "zsh") as t:
        t.kubectl("get svc web")
        t.pod("sh -c 'for i in 1 2 3; do curl -s -m 1 -o /dev/null -w \"%{http_code}\\n\" http://web:8080/; done'")
        return t.text()


@scenario("healthy-nftables-dig-short", Expect("healthy"))
def healthy_nft_dig():
    c = Cluster()
    with session(c, "bash", host="k8s-node1", mode="nftables") as t:
        t.kubectl("get svc,ep web")
        t.pod("dig +short web.default.svc.cluster.local")
        t.pod("curl -sS -m 3 -I http://web")
        t.node("nft list table ip kube-proxy | head -40")
        return t.text()


@scenario("healthy-crlf-kube-system-listing", Expect("healthy"))
def healthy_crlf():
    c = Cluster()
    with session(c, "powershell", crlf=True) as t:
        t.kubectl("get pods -n kube-system -o wide")
        t.kubectl("get svc,ep web")
        t.pod("nslookup web")
        t.pod("wget -qO- -T 3 http://web")
        return t.text()


@scenario("healthy-busybox-shell-session", Expect("healthy"))
def healthy_busybox():
    c = Cluster()
    with session(c, "centos") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get pods -l app=web -o wide")
        t.kubectl("get endpoints web")
        t.pod_shell(["busybox nslookup web", "cat /etc/resolv.conf", "wget -qO- -T 3 http://web | head -2"])
        return t.text()


@scenario("need-evidence-pods-running-only", Expect("need-evidence"))
def pods_only():
    c = Cluster()
    with session(c, "centos") as t:
        t.kubectl("get pods -o wide")
        return t.text()


@scenario("b8-ipvs-real-server-stale-noise", Expect("root-cause", "IPVS802", "default/web"))
def ipvs_stale_noise():
    c = Cluster()
    c.add_app(App("api", "default", {"app": "api"}, replicas=2, port=8080))
    c.expose("api", "default", port=8080, target=8080)
    with session(c, "centos", host="k8s-node1") as t:
        sps = c.service_ports(c.all_objects())
        stale = []
        for s in sps:
            if s.name == "web":
                s = proxy.ServicePort(**{**s.__dict__, "endpoints": s.endpoints[:1] + [("10.244.2.99", 80, "k8s-node2")]})
            stale.append(s)
        t.kubectl("get svc")
        t.kubectl("get ep")
        t.shown("ipvsadm -ln", proxy.ipvsadm(stale, "10.0.0.11"))
        t.shown("kubectl logs -n kube-system kube-proxy-" + o.suffix("kpk8s-node1", 5) + " | head -4", kube_proxy_log("ipvs").split("\n", 4)[0] + "\n")
        return t.text()


# --- with the Service pasted: the causes the case model will find without it -------------


@scenario("b2-target-port-not-declared-refused", Expect("root-cause", "SVC203", "default/web"))
def target_port_not_declared():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", port=80, target=8080)
    with session(c, "centos") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get deployment web -o yaml")
        t.kubectl("get pods -l app=web -o wide")
        t.pod("curl -sS -m 3 http://10.244.1.5:8080/")
        return t.text()


@scenario("b3-no-endpoints-service-pasted", Expect("root-cause", "EP304", "default/web"))
def no_endpoints_with_service():
    c = Cluster()
    c.apps[("default", "web")].states = ["notready", "notready", "notready"]
    with session(c, "ubuntu", host="k8s-master") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get endpoints web")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b4-readiness-failing-service-pasted", Expect("root-cause", "POD402", "default/web"))
def not_ready_with_service():
    c = Cluster()
    app = c.apps[("default", "web")]
    app.states = ["notready"] * 3
    app.ready_probe = True
    with session(c, "centos") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get pods -l app=web --show-labels")
        t.kubectl("get endpoints web")
        return t.text()


@scenario("b6-ingress-policy-service-and-pods-pasted", Expect("root-cause", "NET503", "default/web"))
def ingress_with_service():
    c = Cluster()
    c.extra.append(o.network_policy("web-allow-frontend", "default", {"app": "web"}, ingress=[{"from": [{"podSelector": {"matchLabels": {"role": "frontend"}}}], "ports": [{"port": 80, "protocol": "TCP"}]}]))
    c.apps[("default", "web")].listens = "lost-all"
    with session(c, "centos") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get pods --show-labels")
        t.kubectl("get networkpolicy web-allow-frontend -o yaml")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b8-iptables-stale-endpoint-service-pasted", Expect("root-cause", "IPT703", "default/web"))
def stale_with_service():
    c = Cluster()
    c.endpoint_overrides[("default", "web")] = [("10.244.1.5", 80, "k8s-node1"), ("10.244.2.9", 80, "k8s-node2"), ("10.244.1.6", 80, "k8s-node1")]
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get ep web")
        t.node("iptables-save -t nat | grep web", "iptables-save -t nat | grep web")
        return t.text()


@scenario("a5-ndots-one-breaks-namespaced-names", Expect("root-cause", "DNS108"))
def ndots_one():
    c = Cluster()
    resolv = "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:1\n"
    with session(c, "centos", pod_resolv=resolv) as t:
        t.pod("nslookup web.default")
        t.pod("nslookup web.default.svc.cluster.local")
        t.pod("cat /etc/resolv.conf")
        return t.text()


@scenario("a5-cluster-dns-fourth-nameserver", Expect("root-cause", "DNS111"))
def fourth_nameserver():
    c = Cluster()
    resolv = "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.0.0.2\nnameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 10.96.0.10\noptions ndots:5\n"
    with session(c, "ubuntu", host="k8s-node1", pod_resolv=resolv) as t:
        t.pod("nslookup web")
        t.pod("cat /etc/resolv.conf")
        return t.text()


LOOP = "sh -c 'for i in 1 2 3 4 5 6 7 8; do curl -s -m 2 -o /dev/null -w \"%{http_code}\\n\" http://web; done'"


@scenario("b3-selector-too-broad-intermittent", Expect("root-cause", "EP306", "default/web"))
def selector_too_broad():
    c = Cluster()
    c.add_app(App("web-admin", "default", {"app": "web", "role": "admin"}, replicas=2, port=80, listens="refuse"))
    with session(c, "centos") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get deployment web web-admin -o yaml")
        t.pod(LOOP)
        return t.text()


@scenario("b4-pods-restarting-intermittent", Expect("root-cause", "POD405", "default/web"))
def pods_restarting():
    c = Cluster()
    c.apps[("default", "web")].states = ["ok", "flapping", "flapping"]
    with session(c, "ubuntu", host="k8s-master") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get pods -l app=web -o wide")
        t.pod(LOOP)
        return t.text()
