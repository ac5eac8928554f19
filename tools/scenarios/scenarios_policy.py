"""Scenarios of NetworkPolicies evaluated exactly: a client's egress that
does not reach the Service's pods (an ipBlock of the cluster IP, the
Service's port instead of the target port, a namespace selector on a label
the namespace lacks), and the policies that do admit the connection. The
drops stand for what the network plugin enforces: iptables rules in the
node's namespace, hidden from the transcript.
"""

from __future__ import annotations

import objects as o
from cluster import App, Cluster
from kit import Expect, scenario, session

DNS_EGRESS = {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
              "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}


def drop_client_to_pods(c: Cluster, port: int) -> None:
    """The plugin drops the client's packets to the pods: after DNAT, the
    destination is a pod address (on the node's loopback here)."""
    c.node_setup.append(f"iptables -I INPUT -s 10.244.1.9 -d 10.244.0.0/16 -p tcp --dport {port} -j DROP")


# --- NET509 egress-policy-blocks ------------------------------------------------


@scenario("b6-egress-policy-cluster-ip-block", Expect("root-cause", "NET509", "default/web"))
def egress_cluster_ip_block():
    c = Cluster()
    c.extra.append(o.network_policy("client-egress", "default", {"run": "client"}, egress=[
        DNS_EGRESS,
        {"to": [{"ipBlock": {"cidr": "10.96.0.0/12"}}], "ports": [{"port": 80, "protocol": "TCP"}]},
    ], types=("Egress",)))
    drop_client_to_pods(c, 80)
    with session(c, "centos") as t:
        t.kubectl("get networkpolicy client-egress -o yaml")
        t.kubectl("get pod client --show-labels")
        t.kubectl("get svc web -o wide")
        t.kubectl("get endpoints web")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


def shop_cluster() -> Cluster:
    """`web` in namespace shop listens on 8080 behind port 80; the client
    runs in namespace frontend."""
    c = Cluster(app_ns="shop")
    c.apps.pop(("shop", "web"))
    c.services.pop(("shop", "web"))
    c.add_app(App("web", "shop", {"app": "web"}, port=8080))
    c.expose("web", "shop", port=80, target=8080)
    c.client = ("client", "frontend", "10.244.1.9", "k8s-node1")
    c.client_labels = {"app": "frontend"}
    return c


@scenario("b6-egress-policy-service-port-not-target", Expect("root-cause", "NET509", "shop/web"))
def egress_service_port():
    # The policy allows the Service's port 80; the pods listen on 8080.
    c = shop_cluster()
    c.extra.append(o.network_policy("frontend-egress", "frontend", {}, egress=[
        DNS_EGRESS,
        {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shop"}}, "podSelector": {"matchLabels": {"app": "web"}}}],
         "ports": [{"port": 80, "protocol": "TCP"}]},
    ], types=("Egress",)))
    drop_client_to_pods(c, 8080)
    with session(c, "bash") as t:
        t.kubectl("get svc web -n shop -o yaml")
        t.kubectl("get networkpolicy -n frontend -o yaml")
        t.pod("curl -sS -m 3 http://web.shop")
        return t.text()


@scenario("b6-egress-policy-namespace-label-missing", Expect("root-cause", "NET509", "shop/web"))
def egress_namespace_label():
    # The rule selects namespaces labelled team=shop; namespace shop has no
    # such label (its labels were pasted).
    c = shop_cluster()
    c.extra.append(o.network_policy("frontend-egress", "frontend", {"app": "frontend"}, egress=[
        DNS_EGRESS,
        {"to": [{"namespaceSelector": {"matchLabels": {"team": "shop"}}}], "ports": [{"port": 8080, "protocol": "TCP"}]},
    ], types=("Egress",)))
    drop_client_to_pods(c, 8080)
    with session(c, "zsh") as t:
        t.kubectl("get pod client -n frontend --show-labels")
        t.kubectl("get ns shop --show-labels")
        t.kubectl("get svc,ep -n shop")
        t.kubectl("describe networkpolicy frontend-egress -n frontend")
        t.kubectl("get networkpolicy frontend-egress -n frontend -o json")
        t.pod("wget -T 3 -t 1 -O- http://web.shop")
        return t.text()


@scenario("b6-egress-policy-admits-target-port", Expect("healthy"))
def egress_admits():
    # Expressions, a named port and the namespace's name: it all admits.
    c = shop_cluster()
    c.apps[("shop", "web")].port_name = "http"
    c.extra.append(o.network_policy("frontend-egress", "frontend", {"app": "frontend"}, egress=[
        DNS_EGRESS,
        {"to": [{"namespaceSelector": {"matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["shop", "payments"]}]},
                 "podSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]}}],
         "ports": [{"port": "http", "protocol": "TCP"}]},
    ], types=("Egress",)))
    with session(c, "centos") as t:
        t.kubectl("get deployment web -n shop -o yaml")
        t.kubectl("get svc web -n shop -o wide")
        t.kubectl("get endpoints web -n shop")
        t.kubectl("get networkpolicy -n frontend -o yaml")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web.shop")
        return t.text()


# --- NET510 admin-policy-denies, NET511 cluster-policies-unevaluated -------------


def shop_allows_frontend(c: Cluster) -> None:
    """The namespace's own policy: frontend may reach web on 8080."""
    c.extra.append(o.network_policy("web-from-frontend", "shop", {"app": "web"}, ingress=[
        {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "frontend"}}}], "ports": [{"port": 8080, "protocol": "TCP"}]},
    ]))


DENY_FRONTEND = {
    "priority": 20,
    "subject": {"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "shop"}}},
    "ingress": [
        {"name": "allow-monitoring", "action": "Allow", "from": [{"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]},
        {"name": "deny-frontend", "action": "Deny", "from": [{"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "frontend"}}}]},
    ],
}


@scenario("b6-admin-policy-denies", Expect("root-cause", "NET510", "shop/web"))
def admin_denies():
    c = shop_cluster()
    shop_allows_frontend(c)
    c.extra.append(o.admin_policy("shop-isolation", DENY_FRONTEND))
    drop_client_to_pods(c, 8080)
    with session(c, "centos") as t:
        t.kubectl("get svc web -n shop -o yaml")
        t.kubectl("get networkpolicy -n shop -o yaml")
        t.kubectl("get adminnetworkpolicies -o yaml")
        t.pod("curl -sS -m 3 http://web.shop")
        return t.text()


@scenario("b6-baseline-admin-policy-denies", Expect("root-cause", "NET510", "shop/web"))
def baseline_denies():
    # The baseline denies ingress everywhere; shop has no NetworkPolicy of
    # its own to take precedence.
    c = shop_cluster()
    c.extra.append(o.admin_policy("default", {
        "subject": {"namespaces": {}},
        "ingress": [{"name": "default-deny", "action": "Deny", "from": [{"namespaces": {}}]}],
    }, baseline=True))
    drop_client_to_pods(c, 8080)
    with session(c, "bash") as t:
        t.kubectl("get svc,ep -n shop -o wide")
        t.kubectl("get networkpolicy -n shop")
        t.kubectl("get banp default -o yaml")
        t.pod("curl -sS -m 3 http://web.shop")
        return t.text()


@scenario("b6-admin-policy-allows-over-namespace-deny", Expect("healthy"))
def admin_allows():
    # A default-deny NetworkPolicy in shop, and an admin Allow before it:
    # the connection goes through, and no NetworkPolicy is to blame.
    c = shop_cluster()
    c.extra.append(o.network_policy("default-deny", "shop", {}, ingress=[]))
    c.extra.append(o.admin_policy("frontend-to-shop", {
        "priority": 5,
        "subject": {"pods": {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shop"}}, "podSelector": {"matchLabels": {"app": "web"}}}},
        "ingress": [{"name": "frontend", "action": "Allow", "from": [{"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "frontend"}}}],
                     "ports": [{"portNumber": {"protocol": "TCP", "port": 8080}}]}],
    }))
    with session(c, "zsh") as t:
        t.kubectl("get svc web -n shop -o yaml")
        t.kubectl("get networkpolicy default-deny -n shop -o yaml")
        t.kubectl("get anp frontend-to-shop -o yaml")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web.shop")
        return t.text()


@scenario("b6-admin-policies-listed-not-pasted", Expect("need-evidence", next_step="B3"))
def admin_listed():
    # Only a table of the admin policies: the step is incomplete, and the
    # evidence asks for more than "no NetworkPolicy blocks".
    c = shop_cluster()
    shop_allows_frontend(c)
    c.extra.append(o.admin_policy("shop-isolation", DENY_FRONTEND))
    drop_client_to_pods(c, 8080)
    with session(c, "ubuntu") as t:
        t.kubectl("get svc web -n shop -o wide")
        t.kubectl("get networkpolicy -n shop -o yaml")
        t.kubectl("get adminnetworkpolicies")
        t.pod("curl -sS -m 3 http://web.shop")
        return t.text()
