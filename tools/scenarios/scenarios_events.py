"""Scenarios whose evidence is the cluster's events: readiness probes that
fail, pod sandboxes the CNI plugin cannot network, endpoint updates the
control plane cannot write, load balancers the cloud cannot make. The
events are served by the fake API server, so `kubectl get events` (plain
and `-o wide`), `kubectl events` and the Events of `kubectl describe` print
them in their own layouts.
"""

from __future__ import annotations

from datetime import timedelta

import objects as o
from cluster import Cluster
from kit import Expect, scenario, session


def web_pods(c: Cluster) -> list:
    return [name for name, _ip, _node in c.apps[("default", "web")].pods]


def probe_events(c: Cluster, message, count=40) -> None:
    for name in web_pods(c):
        c.extra.append(o.event("default", "Pod", name, "Unhealthy", message, count=count, field_path="spec.containers{nginx}"))


# --- POD406 readiness-probe-failing --------------------------------------------


@scenario("b4-readiness-refused-describe", Expect("root-cause", "POD406", "default/web"))
def readiness_refused_describe():
    c = Cluster()
    app = c.apps[("default", "web")]
    app.states = ["notready"] * 3
    app.ready_probe = True
    first = app.pods[0]
    probe_events(c, f'Readiness probe failed: Get "http://{first[1]}:80/healthz": dial tcp {first[1]}:80: connect: connection refused')
    with session(c, "centos") as t:
        t.kubectl("get svc web")
        t.kubectl("get endpoints web")
        t.kubectl(f"describe pod {first[0]}")
        return t.text()


@scenario("b4-readiness-timeout-events-wide", Expect("root-cause", "POD406", "default/web"))
def readiness_timeout_wide():
    c = Cluster()
    app = c.apps[("default", "web")]
    app.states = ["notready"] * 3
    app.ready_probe = True
    ip = app.pods[0][1]
    probe_events(c, f'Readiness probe failed: Get "http://{ip}:80/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', count=12)
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get pods -l app=web -o wide")
        t.kubectl("get events -o wide")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b4-readiness-ok-after-start", Expect("healthy"))
def readiness_ok_after_start():
    # Probes that failed while the pods started, and Ready pods now: old
    # events are no cause.
    c = Cluster()
    app = c.apps[("default", "web")]
    app.ready_probe = True
    probe_events(c, 'Readiness probe failed: Get "http://10.244.1.5:80/healthz": dial tcp 10.244.1.5:80: connect: connection refused', count=3)
    with session(c, "bash") as t:
        t.kubectl("get svc,ep web")
        t.kubectl("get pods -l app=web")
        t.kubectl("get events --field-selector type=Warning")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web")
        return t.text()


# --- NET505 pod-sandbox-network-failed -----------------------------------------


def sandbox_events(c: Cluster, message) -> None:
    for name in web_pods(c):
        c.extra.append(o.event("default", "Pod", name, "FailedCreatePodSandBox", message, count=18, ago=timedelta(seconds=40)))


@scenario("b5-sandbox-flannel-subnet-missing", Expect("root-cause", "NET505", "default/web"))
def sandbox_flannel():
    c = Cluster()
    c.apps[("default", "web")].states = ["creating"] * 3
    name = web_pods(c)[0]
    sandbox_events(c, f'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "3f5a9c0e1d2b": plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory')
    with session(c, "centos") as t:
        t.kubectl("get pods -o wide")
        t.kubectl("get endpoints web")
        t.kubectl(f"describe pod {name}")
        return t.text()


@scenario("b5-sandbox-calico-unauthorized", Expect("root-cause", "NET505", "default/web"))
def sandbox_calico():
    c = Cluster()
    c.apps[("default", "web")].states = ["creating"] * 3
    sandbox_events(c, 'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "8d41c7e2a9f0": plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized')
    with session(c, "zsh") as t:
        t.kubectl("get pods -l app=web")
        t.kubectl("get events --field-selector reason=FailedCreatePodSandBox")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


# --- EP309 endpoint-updates-failing ---------------------------------------------


def slice_events(c: Cluster, message, reason="FailedToUpdateEndpointSlices") -> None:
    c.extra.append(o.event("default", "Service", "web", reason, message, count=25, component="endpointslice-controller"))


@scenario("b3-endpointslice-updates-quota", Expect("root-cause", "EP309", "default/web"))
def slice_updates_quota():
    c = Cluster()
    slice_events(c, 'Error updating Endpoint Slices for Service default/web: failed to create EndpointSlice for Service default/web: endpointslices.discovery.k8s.io "web-8kq2x" is forbidden: exceeded quota: object-counts, requested: count/endpointslices.discovery.k8s.io=1, used: count/endpointslices.discovery.k8s.io=20, limited: count/endpointslices.discovery.k8s.io=20')
    with session(c, "centos") as t:
        t.kubectl("get pods -l app=web -o wide")
        t.kubectl("describe svc web")
        return t.text()


@scenario("b3-endpointslice-updates-webhook", Expect("root-cause", "EP309", "default/web"))
def slice_updates_webhook():
    c = Cluster()
    slice_events(c, 'Error updating Endpoint Slices for Service default/web: failed to update web-lw4sf EndpointSlice for Service default/web: Internal error occurred: failed calling webhook "validate.policy.example.com": failed to call webhook: Post "https://policy-webhook.policy.svc:443/validate?timeout=10s": context deadline exceeded')
    with session(c, "bash") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get events -A --field-selector involvedObject.kind=Service")
        return t.text()


@scenario("b3-endpointslice-write-conflict-is-noise", Expect("healthy"))
def slice_conflict_noise():
    c = Cluster()
    slice_events(c, 'Error updating Endpoint Slices for Service default/web: failed to update web-lw4sf EndpointSlice for Service default/web: Operation cannot be fulfilled on endpointslices.discovery.k8s.io "web-lw4sf": the object has been modified; please apply your changes to the latest version and try again')
    with session(c, "centos") as t:
        t.kubectl("describe svc web")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web")
        return t.text()


# --- SVC211 load-balancer-not-provisioned ---------------------------------------


def lb_cluster(message) -> Cluster:
    c = Cluster()
    c.expose("web", "default", kind="LoadBalancer", node_port=31380)
    c.extra.append(o.event("default", "Service", "web", "EnsuringLoadBalancer", "Ensuring load balancer", type_="Normal", count=9, component="service-controller"))
    c.extra.append(o.event("default", "Service", "web", "SyncLoadBalancerFailed", message, count=9, component="service-controller"))
    return c


@scenario("b1-load-balancer-sync-failed-describe", Expect("root-cause", "SVC211", "default/web"))
def lb_sync_failed_describe():
    c = lb_cluster('Error syncing load balancer: failed to ensure load balancer: could not find any suitable subnets for creating the ELB')
    with session(c, "dollar") as t:
        t.kubectl("get svc web")
        t.kubectl("describe svc web")
        return t.text()


@scenario("b1-load-balancer-sync-failed-events", Expect("root-cause", "SVC211", "default/web"))
def lb_sync_failed_events():
    c = lb_cluster('Error syncing load balancer: failed to ensure load balancer: googleapi: Error 403: QUOTA_EXCEEDED - Quota \'IN_USE_ADDRESSES\' exceeded. Limit: 8.0 in region us-central1.')
    with session(c, "bash") as t:
        t.kubectl("get svc")
        t.kubectl("get events --field-selector involvedObject.name=web")
        return t.text()


# --- EP310 endpointslice-port-unresolved ----------------------------------------


def unresolved_port_cluster() -> Cluster:
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", port=80, target="http")
    return c


@scenario("b3-named-port-unresolved-slice-table", Expect("root-cause", "EP310", "default/web"))
def named_port_unresolved_table():
    c = unresolved_port_cluster()
    with session(c, "bash") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b3-named-port-unresolved-slice-yaml", Expect("root-cause", "EP310", "default/web"))
def named_port_unresolved_yaml():
    c = unresolved_port_cluster()
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("describe svc web")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web -o yaml")
        return t.text()


# --- EP311 endpointslice-wrong-label --------------------------------------------


@scenario("b3-slices-asked-with-wrong-label", Expect("root-cause", "POD402", "default/web"))
def slices_wrong_label():
    # The empty answer to the wrong label is no cause; the pods are.
    c = Cluster()
    c.apps[("default", "web")].states = ["notready"] * 3
    with session(c, "centos") as t:
        t.kubectl("get svc web")
        t.kubectl("get endpointslices -l k8s.io/service-name=web")
        t.kubectl("get pods -l app=web -o wide")
        return t.text()


@scenario("b3-slices-asked-with-wrong-label-healthy", Expect("healthy"))
def slices_wrong_label_healthy():
    c = Cluster()
    with session(c, "bash") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get endpointslices -l k8s.io/service-name=web")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web")
        return t.text()


# --- NET506 ip-forward-disabled ------------------------------------------------


@scenario("b5-ip-forward-off-sysctl", Expect("root-cause", "NET506"))
def ip_forward_off_sysctl():
    c = Cluster()
    c.node_setup.append("sysctl -qw net.ipv4.ip_forward=0")
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.pod("curl -sS -m 3 http://web")
        t.node("sysctl net.ipv4.ip_forward net.ipv4.conf.all.rp_filter")
        return t.text()


@scenario("b5-ip-forward-off-proc", Expect("root-cause", "NET506"))
def ip_forward_off_proc():
    c = Cluster()
    c.node_setup.append("sysctl -qw net.ipv4.ip_forward=0")
    with session(c, "centos", host="k8s-node1") as t:
        t.kubectl("get pods -o wide")
        t.pod("nslookup web")
        t.node("cat /proc/sys/net/ipv4/ip_forward")
        return t.text()


# --- NET507 bridge-netfilter-off ------------------------------------------------


@scenario("a4-bridge-nf-call-iptables-off", Expect("root-cause", "NET507"))
def bridge_nf_off():
    c = Cluster()
    c.node_setup.append("sysctl -qw net.bridge.bridge-nf-call-iptables=0")
    # What it does to a bridge CNI's pods: replies from CoreDNS on the
    # client's node skip the DNAT's undoing, and lookups time out.
    c.node_setup.append("iptables -I INPUT -s 10.244.1.9 -p udp --dport 53 -j DROP")
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.pod("nslookup web")
        t.node("sysctl net.bridge.bridge-nf-call-iptables")
        return t.text()


@scenario("a4-br-netfilter-not-loaded", Expect("root-cause", "NET507"))
def br_netfilter_not_loaded():
    c = Cluster()
    c.node_setup.append("iptables -I INPUT -s 10.244.1.9 -p udp --dport 53 -j DROP")
    with session(c, "centos", host="k8s-node1") as t:
        t.pod("nslookup web.default.svc.cluster.local")
        # lsmod cannot run in this sandbox (no /proc/modules): its empty
        # answer, as a node without the module prints it.
        t.shown("lsmod | grep br_netfilter", "")
        return t.text()
