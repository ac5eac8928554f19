"""The realistic scenarios: each a cluster with one thing broken (or none),
and the commands a person debugging it would run, in the order and style
people do. Every name says what is broken; the expectation says what
svcdoctor must conclude and about which object.
"""

from __future__ import annotations

from datetime import timedelta

import objects as o
from cluster import App, Cluster
import proxy
from kit import Expect, kube_proxy_log, scenario, session

# --- healthy ------------------------------------------------------------------


@scenario("healthy-tutorial-walk", Expect("healthy"))
def healthy_tutorial_walk():
    c = Cluster()
    with session(c, "centos") as t:
        t.kubectl("get pods,svc -o wide")
        t.kubectl("get endpoints web")
        t.pod("nslookup web")
        t.pod("curl -sS -m 3 -I http://web")
        t.node("iptables-save -t nat | grep web", "iptables-save | grep web")
        return t.text()


@scenario("healthy-shop-namespace-zsh", Expect("healthy"))
def healthy_shop():
    c = Cluster(app_ns="shop")
    with session(c, "zsh") as t:
        t.kubectl("get svc -n shop")
        t.kubectl("get pods -n shop -o wide --show-labels")
        t.kubectl("get endpointslices -n shop")
        t.pod_shell(["nslookup web", "wget -qO- -T 3 http://web.shop | head -3"])
        return t.text()


# --- B1/B2: the Service --------------------------------------------------------


@scenario("b1-service-name-typo", Expect("root-cause", "SVC201", "default/wbe"))
def service_name_typo():
    c = Cluster()
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get svc wbe")
        t.pod("nslookup wbe")
        return t.text()


@scenario("b2-wrong-service-port", Expect("root-cause", "SVC202", "default/web"))
def wrong_service_port():
    c = Cluster()
    with session(c, "dollar") as t:
        t.kubectl("get svc web -o yaml")
        t.pod("curl -sS -m 3 http://web:8080/")
        return t.text()


@scenario("b2-node-port-mismatch", Expect("root-cause", "SVC208", "default/web"))
def node_port_mismatch():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", kind="NodePort", node_port=31234)
    with session(c, "centos", host="k8s-node1") as t:
        t.kubectl("get svc web")
        t.node("curl -sS -m 3 http://10.0.0.11:30080/")
        return t.text()


@scenario("b2-target-port-wrong", Expect("root-cause", "POD403", "default/web"))
def target_port_wrong():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", port=80, target=8080)
    with session(c, "starship") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get pods -l app=web -o wide")
        t.kubectl("get ep web")
        t.pod("curl -sS -m 3 http://10.244.1.5:8080/")
        return t.text()


# --- B3/B4: endpoints and pods -------------------------------------------------------


@scenario("b3-selector-case-mismatch", Expect("root-cause", "EP301", "default/web"))
def selector_case():
    c = Cluster()
    app = c.apps[("default", "web")]
    app.template_labels = {"app": "Web"}
    with session(c, "centos") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get pods --show-labels")
        t.kubectl("get endpoints web")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b3-selector-extra-label-describe", Expect("root-cause", "EP301", "default/web"))
def selector_extra_label():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", selector={"app": "web", "tier": "frontend"})
    with session(c, "user", host="ip-10-0-0-11") as t:
        t.kubectl("describe svc web")
        t.kubectl("get pods -l app=web --show-labels")
        return t.text()


@scenario("b4-pods-crashloop", Expect("root-cause", "POD401", "default/web"))
def pods_crashloop():
    c = Cluster()
    c.apps[("default", "web")].states = ["crash", "crash", "crash"]
    with session(c, "centos") as t:
        t.kubectl("get pods -o wide")
        t.kubectl("get ep web")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b4-readiness-failing", Expect("root-cause", "POD406", "default/web"))
def readiness_failing():
    c = Cluster()
    app = c.apps[("default", "web")]
    app.states = ["notready", "notready", "notready"]
    app.ready_probe = True
    for name, _ip, _node in app.pods:
        c.extra.append(o.event("default", "Pod", name, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count=40, field_path="spec.containers{nginx}"))
    with session(c, "bash") as t:
        t.kubectl("get pods -l app=web")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web")
        t.kubectl("get events --field-selector reason=Unhealthy")
        return t.text()


@scenario("b4-app-refuses-direct-probe", Expect("root-cause", "POD403", "default/web"))
def app_refuses():
    c = Cluster()
    c.apps[("default", "web")].listens = "refuse"
    with session(c, "centos") as t:
        t.kubectl("get pods -o wide")
        t.kubectl("get ep web")
        t.pod("curl -sS -m 3 http://10.244.1.5:80/")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b4-app-listens-on-localhost", Expect("root-cause", "POD404", "default/web"))
def app_localhost():
    c = Cluster()
    c.apps[("default", "web")].listens = "localhost"
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get pods -o wide")
        t.pod("curl -sS -m 3 http://10.244.1.5/")
        t.shown(
            "kubectl exec web-" + o.rs_hash("web", "default") + "-" + o.suffix("default/web/0", 5) + " -- ss -lntp",
            t.world.sh(t.world.node, "ss -lntp 'sport = :80'").replace("python3", "nginx"),
        )
        return t.text()


# --- DNS -----------------------------------------------------------------------------


@scenario("a1-coredns-crashloop", Expect("root-cause", "DNS101", "kube-system/coredns"))
def coredns_crashloop():
    c = Cluster()
    c.coredns_state = "crash"
    with session(c, "centos") as t:
        t.pod("nslookup web")
        t.kubectl("get pods -n kube-system -l k8s-app=kube-dns")
        return t.text()


@scenario("a3-client-in-other-namespace", Expect("root-cause", "DNS104", "shop/web"))
def client_other_namespace():
    c = Cluster(app_ns="shop")
    c.client = ("client", "default", "10.244.1.9", "k8s-node1")
    with session(c, "centos") as t:
        t.pod("nslookup web")
        t.pod("nslookup web.shop")
        t.kubectl("get svc -A")
        return t.text()


@scenario("a3-name-not-found", Expect("root-cause", "DNS109", "default/web"))
def name_not_found():
    c = Cluster()
    with session(c, "context") as t:
        t.pod_shell(["nslookup webb", "nslookup webb.default.svc.cluster.local"])
        t.kubectl("get svc")
        return t.text()


# About the client pod itself: no Service can be the wrong one.
@scenario("a5-nameserver-not-cluster-dns", Expect("root-cause", "DNS106"))
def nameserver_wrong():
    c = Cluster()
    with session(c, "centos", pod_resolv="nameserver 8.8.8.8\nsearch localdomain\n") as t:
        t.pod("nslookup web")
        t.pod("cat /etc/resolv.conf")
        t.kubectl("get svc -n kube-system kube-dns")
        return t.text()


@scenario("a6-dns-unreachable", Expect("root-cause", "DNS110", "kube-system/kube-dns"))
def dns_unreachable():
    c = Cluster()
    with session(c, "dollar", pod_resolv="search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.11\noptions ndots:5\n") as t:
        t.pod("nslookup web")
        return t.text()


# --- kube-proxy and rules ------------------------------------------------------------------


@scenario("b7-kube-proxy-missing", Expect("root-cause", "KP601", "kube-system/kube-proxy"))
def kube_proxy_missing():
    c = Cluster()
    c.kube_proxy = "missing"
    c.rules_missing = {("default", "web")}
    with session(c, "centos", host="k8s-node1") as t:
        t.pod("curl -sS -m 3 http://web")
        t.kubectl("get pods -n kube-system -o wide")
        t.node("ps -ef | grep kube-proxy | grep -v grep; ps -ef | grep '[k]ube-proxy'", "ps -ef | grep kube-proxy")
        return t.text()


@scenario("b8-iptables-rules-missing", Expect("root-cause", "IPT701", "default/web"))
def iptables_rules_missing():
    c = Cluster()
    c.rules_missing = {("default", "web")}
    with session(c, "centos", host="k8s-node1") as t:
        t.kubectl("get svc web")
        t.kubectl("get ep web")
        t.pod("curl -sS -m 3 http://web")
        t.node("iptables-save | grep web", "iptables-save | grep web")
        return t.text()


@scenario("b8-iptables-stale-endpoint", Expect("root-cause", "IPT703", "default/web"))
def iptables_stale():
    c = Cluster()
    app = c.apps[("default", "web")]
    c.endpoint_overrides[("default", "web")] = [("10.244.1.5", 80, "k8s-node1"), ("10.244.2.9", 80, "k8s-node2"), ("10.244.1.6", 80, "k8s-node1")]
    del app  # the pods are as listed; kube-proxy still sends to an old one
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get ep web")
        t.node("iptables-save -t nat | grep web", "iptables-save -t nat | grep web")
        return t.text()


@scenario("b8-no-endpoints-reject", Expect("root-cause", "EP304", "default/web"))
def no_endpoints_reject():
    c = Cluster()
    c.apps[("default", "web")].states = ["notready", "notready", "notready"]
    with session(c, "centos", host="k8s-node1") as t:
        t.pod("curl -sS -m 3 http://web")
        t.node("iptables-save | grep web")
        t.kubectl("get ep web")
        return t.text()


@scenario("b8-nftables-healthy", Expect("healthy"))
def nftables_healthy():
    c = Cluster()
    with session(c, "ubuntu", host="k8s-node1", mode="nftables") as t:
        t.kubectl("get svc web")
        t.kubectl("get ep web")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web")
        t.node("nft list table ip kube-proxy")
        return t.text()


@scenario("b8-ipvs-healthy", Expect("healthy"))
def ipvs_healthy():
    c = Cluster()
    with session(c, "centos", host="k8s-node1") as t:
        sps = c.service_ports(c.all_objects())
        t.kubectl("get svc web")
        t.pod("curl -sS -m 3 -I http://web")
        t.shown("ipvsadm -ln", proxy.ipvsadm(sps, "10.0.0.11"))
        t.shown("kubectl logs -n kube-system kube-proxy-" + o.suffix("kpk8s-node1", 5), kube_proxy_log("ipvs"))
        return t.text()


# --- network ------------------------------------------------------------------------


@scenario("b5-cross-node-pods-unreachable", Expect("root-cause", "NET501", "k8s-node2"))
def cross_node():
    c = Cluster()
    c.apps[("default", "web")].listens = "lost"
    with session(c, "centos", host="k8s-node1") as t:
        t.kubectl("get pods -o wide")
        t.pod("curl -sS -m 3 http://10.244.1.5/")
        t.pod("curl -sS -m 3 http://10.244.2.5/")
        return t.text()


@scenario("b6-ingress-policy-blocks", Expect("root-cause", "NET503", "default/web"))
def ingress_policy():
    c = Cluster()
    c.extra.append(o.network_policy("web-allow-frontend", "default", {"app": "web"}, ingress=[{"from": [{"podSelector": {"matchLabels": {"role": "frontend"}}}], "ports": [{"port": 80, "protocol": "TCP"}]}]))
    c.apps[("default", "web")].listens = "lost-all"
    with session(c, "centos") as t:
        t.kubectl("get networkpolicy web-allow-frontend -o yaml")
        t.kubectl("get pod client --show-labels")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("crlf-selector-mismatch-pasted-from-windows", Expect("root-cause", "EP301", "default/web"))
def crlf_selector():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", selector={"app": "web-frontend"})
    with session(c, "powershell", crlf=True) as t:
        t.kubectl("get svc web -o json")
        t.kubectl("get pods -o wide --show-labels")
        return t.text()


@scenario("need-evidence-only-a-timeout", Expect("need-evidence", next_step="B3"))
def only_timeout():
    c = Cluster()
    c.apps[("default", "web")].listens = "lost-all"
    with session(c, "dollar") as t:
        t.pod("curl -sS -m 3 http://web")
        t.kubectl("get svc web")
        return t.text()


@scenario("noise-other-service-broken", Expect("root-cause", "EP301", "default/web"))
def noise_other_service():
    c = Cluster()
    c.add_app(App("api", "default", {"app": "api"}, replicas=2, port=8080))
    c.expose("api", "default", port=8080, target=8080)
    c.apps[("default", "web")].template_labels = {"app": "webapp"}
    c.apps[("default", "api")].states = ["ok", "ok"]
    with session(c, "centos") as t:
        t.kubectl("get svc,pods -o wide --show-labels")
        t.kubectl("get ep")
        t.pod("curl -sS -m 3 http://web")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://api:8080/")
        return t.text()


_ = timedelta  # kept for scenarios that set ages
