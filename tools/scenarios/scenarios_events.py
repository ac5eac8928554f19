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


# --- Cilium in place of kube-proxy ----------------------------------------------
# cilium-dbg and hubble cannot run here: their outputs are written in their
# formats (`t.shown`), around real kubectl and curl.

CILIUM_STATUS = """KVStore:                 Ok   Disabled
Kubernetes:              Ok   1.31 (v1.31.4) [linux/amd64]
Kubernetes APIs:         ["EndpointSliceOrEndpoint", "cilium/v2::CiliumClusterwideNetworkPolicy", "cilium/v2::CiliumEndpoint", "cilium/v2::CiliumNetworkPolicy", "cilium/v2::CiliumNode", "core/v1::Namespace", "core/v1::Pods", "core/v1::Service", "networking.k8s.io/v1::NetworkPolicy"]
KubeProxyReplacement:    True   [ens3   10.0.0.11 fe80::5054:ff:fe12:3456 (Direct Routing)]
Host firewall:           Disabled
SRv6:                    Disabled
CNI Chaining:            none
CNI Config file:         successfully wrote CNI configuration file to /host/etc/cni/net.d/05-cilium.conflist
Cilium:                  {state}   1.16.5 (v1.16.5-ad688277)
NodeMonitor:             Listening for events on 4 CPUs with 64x4096 of shared memory
Cilium health daemon:    Ok
IPAM:                    IPv4: 6/254 allocated from 10.244.1.0/24,
Routing:                 Network: Tunnel [vxlan]   Host: BPF
Controller Status:       {controllers}
"""


def cilium_cluster() -> Cluster:
    c = Cluster()
    c.cni = "cilium"
    c.kube_proxy = "missing"
    return c


def service_list(rows: list, proto: bool = True) -> str:
    """`cilium-dbg service list`: (id, frontend, type, [(backend, state)])."""
    suffix = "/TCP" if proto else ""
    width = 28 if proto else 24
    out = f"{'ID':<5}{'Frontend':<{width}}{'Service Type':<15}Backend\n"
    for sid, frontend, kind, backends in rows:
        lead = f"{sid:<5}{frontend + suffix:<{width}}{kind:<15}"
        if not backends:
            out += lead.rstrip() + "\n"
        for i, (backend, state) in enumerate(backends, 1):
            out += (lead if i == 1 else " " * len(lead)) + f"{i} => {backend}{suffix} ({state})\n"
    return out


SYSTEM_FRONTENDS = [
    (1, "10.96.0.1:443", "ClusterIP", [("10.0.0.10:6443", "active")]),
    (2, "10.96.0.10:53", "ClusterIP", [("10.244.0.3:53", "active"), ("10.244.0.4:53", "active")]),
    (4, "10.96.0.10:9153", "ClusterIP", [("10.244.0.3:9153", "active"), ("10.244.0.4:9153", "active")]),
]


@scenario("b8-cilium-frontend-missing", Expect("root-cause", "CIL961", "default/web"))
def cilium_frontend_missing():
    c = cilium_cluster()
    c.rules_missing.add(("default", "web"))
    with session(c, "centos") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get pods -n kube-system -o wide")
        t.shown("kubectl -n kube-system exec ds/cilium -- cilium-dbg status", CILIUM_STATUS.format(state="Ok", controllers="48/48 healthy"))
        t.shown("kubectl -n kube-system exec ds/cilium -- cilium-dbg service list", service_list(SYSTEM_FRONTENDS))
        t.pod("curl -sS -m 3 http://10.96.0.20/")
        return t.text()


@scenario("b8-cilium-frontend-missing-old-cli", Expect("root-cause", "CIL961", "default/web"))
def cilium_frontend_missing_old():
    c = cilium_cluster()
    c.rules_missing.add(("default", "web"))
    with session(c, "bash") as t:
        t.kubectl("get svc")
        t.shown("kubectl -n kube-system exec cilium-mpw8b -- cilium service list", service_list(SYSTEM_FRONTENDS, proto=False))
        t.pod("wget -T 3 -t 1 -O- http://web")
        return t.text()


@scenario("b8-cilium-backends-terminating", Expect("root-cause", "CIL962", "default/web"))
def cilium_backends_terminating():
    c = cilium_cluster()
    c.rules_missing.add(("default", "web"))
    old = [("10.244.1.41:80", "terminating"), ("10.244.2.17:80", "terminating")]
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web")
        t.kubectl("get svc web")
        t.shown("kubectl -n kube-system exec ds/cilium -- cilium-dbg service list", service_list(SYSTEM_FRONTENDS + [(23, "10.96.0.20:80", "ClusterIP", old)]))
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b8-cilium-backend-missing", Expect("root-cause", "CIL962", "default/web"))
def cilium_backend_missing():
    c = cilium_cluster()
    c.rules_missing.add(("default", "web"))
    with session(c, "zsh") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get endpoints web")
        t.shown("kubectl -n kube-system exec ds/cilium -- cilium-dbg service list", service_list(SYSTEM_FRONTENDS + [(23, "10.96.0.20:80", "ClusterIP", [("10.244.1.5:80", "active"), ("10.244.2.5:80", "quarantined")])]))
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b7-cilium-agent-failure", Expect("root-cause", "KP606"))
def cilium_agent_failure():
    c = cilium_cluster()
    c.rules_missing.add(("default", "web"))
    with session(c, "centos") as t:
        t.kubectl("get pods -n kube-system -o wide")
        t.shown("kubectl -n kube-system exec ds/cilium -- cilium-dbg status", CILIUM_STATUS.format(state="Failure", controllers="44/48 healthy, 4 failing").replace("Kubernetes:              Ok   1.31 (v1.31.4) [linux/amd64]", "Kubernetes:              Failure   Get \"https://10.96.0.1:443/version\": dial tcp 10.96.0.1:443: i/o timeout"))
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b7-cilium-agent-failure-old-name", Expect("root-cause", "KP606"))
def cilium_agent_failure_old():
    c = cilium_cluster()
    c.rules_missing.add(("default", "web"))
    status = CILIUM_STATUS.format(state="Failure", controllers="40/48 healthy, 8 failing").replace("KubeProxyReplacement:    True", "KubeProxyReplacement:    Strict")
    with session(c, "bash") as t:
        t.shown("kubectl -n kube-system exec cilium-mpw8b -- cilium status", status)
        t.pod("nc -zv -w 3 10.96.0.20 80")
        return t.text()


def flows(dest: str, kind: str) -> str:
    lines = []
    for n, port in enumerate((43006, 43010, 43014)):
        src = f"default/client:{port} (ID:28104)"
        if kind == "drop":
            lines.append(f"Nov 27 09:41:{12 + n * 2:02d}.{380 + n:03d}: {src} <> {dest} (ID:51233) Policy denied DROPPED (TCP Flags: SYN)")
        else:
            lines.append(f"Nov 27 09:41:{12 + n * 2:02d}.{380 + n:03d}: {src} -> {dest} (ID:51233) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)")
    return "\n".join(lines) + "\n"


@scenario("b6-hubble-policy-denied", Expect("root-cause", "NET508", "default/web"))
def hubble_policy_denied():
    c = cilium_cluster()
    c.node_setup.append("iptables -I FORWARD -d 10.244.1.5 -p tcp --dport 80 -j DROP")
    c.node_setup.append("iptables -I INPUT -s 10.244.1.9 -d 10.244.0.0/16 -p tcp --dport 80 -j DROP")
    pod = c.apps[("default", "web")].pods[0][0]
    with session(c, "centos") as t:
        t.kubectl("get pods -l app=web -o wide")
        t.pod("curl -sS -m 3 http://web")
        t.shown(f"kubectl -n kube-system exec ds/cilium -- hubble observe --to-pod default/{pod} --last 3", flows(f"default/{pod}:80", "drop"))
        return t.text()


@scenario("b6-hubble-policy-verdict-denied", Expect("root-cause", "NET508", "default/web"))
def hubble_policy_verdict():
    c = cilium_cluster()
    c.node_setup.append("iptables -I INPUT -s 10.244.1.9 -d 10.244.0.0/16 -p tcp --dport 80 -j DROP")
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get svc,endpoints web")
        t.pod("curl -sS -m 3 http://web")
        t.shown("hubble observe --verdict DENIED --type policy-verdict --last 3", flows("10.244.1.5:80", "verdict"))
        return t.text()


# --- B0: the front door (Ingress, Gateway API) --------------------------------


@scenario("b0-ingress-backend-service-typo-describe", Expect("root-cause", "ING001", "default/web-svc"))
def ingress_backend_typo():
    c = Cluster()
    c.extra.append(o.ingress("shop", "default", [("/", "web-svc", 80)]))
    with session(c, "centos") as t:
        t.kubectl("get ingress")
        t.kubectl("describe ingress shop")
        t.kubectl("get svc")
        return t.text()


@scenario("b0-ingress-backend-not-in-listing", Expect("root-cause", "ING001", "default/frontend"))
def ingress_backend_not_listed():
    c = Cluster()
    c.extra.append(o.ingress("shop", "default", [("/", "frontend", 80), ("/api", "web", 80)]))
    with session(c, "bash") as t:
        t.kubectl("get ingress shop -o yaml")
        t.kubectl("get svc -o wide")
        return t.text()


@scenario("b0-ingress-backend-port-is-target-port", Expect("root-cause", "ING002", "default/web"))
def ingress_target_port():
    c = Cluster()
    c.services.pop(("default", "web"))
    c.apps[("default", "web")].port = 8080
    c.expose("web", "default", port=80, target=8080)
    c.extra.append(o.ingress("shop", "default", [("/", "web", 8080)]))
    with session(c, "zsh") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get ingress shop -o yaml")
        return t.text()


@scenario("b0-httproute-backend-port-wrong", Expect("root-cause", "ING002", "default/web"))
def httproute_port_wrong():
    c = Cluster()
    c.extra.append(o.http_route("shop", "default", [("web", None, 8080)]))
    with session(c, "ubuntu", host="k8s-node1") as t:
        t.kubectl("get svc web")
        t.kubectl("get httproute shop -o yaml")
        return t.text()


@scenario("b0-ingress-without-class-no-default", Expect("root-cause", "ING003", "default/shop"))
def ingress_without_class():
    c = Cluster()
    c.extra.append(o.ingress("shop", "default", [("/", "web", 80)], class_name=None))
    c.extra.append(o.ingress_class("nginx", "k8s.io/ingress-nginx"))
    with session(c, "centos") as t:
        t.kubectl("get ingress")
        t.kubectl("get ingressclass -o yaml")
        t.kubectl("describe ingress shop")
        return t.text()


@scenario("b0-ingress-class-typo", Expect("root-cause", "ING003", "default/shop"))
def ingress_class_typo():
    c = Cluster()
    c.extra.append(o.ingress("shop", "default", [("/", "web", 80)], class_name="ngnix"))
    c.extra.append(o.ingress_class("nginx", "k8s.io/ingress-nginx", default=True))
    with session(c, "dollar") as t:
        t.kubectl("get ingress shop -o yaml")
        t.kubectl("get ingressclass -o yaml")
        return t.text()


@scenario("b0-httproute-ref-not-permitted", Expect("root-cause", "ING004"))
def httproute_ref_not_permitted():
    c = Cluster()
    route = o.http_route("shop", "frontend", [("web", "default", 80)], conditions=(
        ("Accepted", "True", "Accepted", "Route is accepted"),
        ("ResolvedRefs", "False", "RefNotPermitted", "Backend ref to Service default/web not permitted by any ReferenceGrant"),
    ))
    c.extra.append(route)
    c.extra.append(o.namespace("frontend"))
    with session(c, "bash") as t:
        t.kubectl("get httproute shop -n frontend -o yaml")
        t.kubectl("get svc web")
        return t.text()


@scenario("b0-httproute-backend-not-found", Expect("root-cause", "ING004"))
def httproute_backend_not_found():
    c = Cluster()
    c.extra.append(o.http_route("shop", "default", [("web-v2", None, 80)], conditions=(
        ("Accepted", "True", "Accepted", "Route is accepted"),
        ("ResolvedRefs", "False", "BackendNotFound", "Failed to process route rule 0 backendRef 0: service default/web-v2 not found"),
    )))
    with session(c, "centos") as t:
        t.kubectl("get httproute shop -o yaml")
        return t.text()


@scenario("b0-httproute-not-allowed-by-listeners", Expect("root-cause", "ING005"))
def httproute_not_allowed():
    c = Cluster()
    c.extra.append(o.http_route("shop", "default", [("web", None, 80)], conditions=(
        ("Accepted", "False", "NotAllowedByListeners", "No listeners included by this parent ref allowed this attachment."),
        ("ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route"),
    )))
    with session(c, "zsh") as t:
        t.kubectl("get svc web")
        t.kubectl("get httproute shop -o yaml")
        return t.text()


@scenario("b0-httproute-no-matching-parent", Expect("root-cause", "ING005"))
def httproute_no_parent():
    c = Cluster()
    c.extra.append(o.http_route("shop", "default", [("web", None, 80)], gateway=("eg-public", "infra"), conditions=(
        ("Accepted", "False", "NoMatchingParent", "No listeners match this parent ref"),
        ("ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route"),
    )))
    with session(c, "ubuntu", host="k8s-master") as t:
        t.kubectl("get httproute shop -o yaml")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web")
        return t.text()


# --- EP312 endpoints-terminating -------------------------------------------------


@scenario("b3-endpoints-all-terminating-yaml", Expect("root-cause", "EP312", "default/web"))
def endpoints_all_terminating():
    c = Cluster()
    c.apps[("default", "web")].states = ["terminating"] * 3
    with session(c, "centos") as t:
        t.kubectl("get pods -l app=web")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web -o yaml")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b3-endpoints-all-terminating-json", Expect("root-cause", "EP312", "default/web"))
def endpoints_all_terminating_json():
    c = Cluster()
    c.apps[("default", "web")].states = ["terminating"] * 3
    with session(c, "bash") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web -o json")
        return t.text()


# --- TP953 internal-traffic-local-no-endpoint ----------------------------------


def local_policy_cluster() -> Cluster:
    """web's one pod on k8s-node2, the client on k8s-node1, and
    internalTrafficPolicy: Local: kube-proxy on k8s-node1 drops the traffic."""
    c = Cluster()
    app = c.apps[("default", "web")]
    app.pods = [p for p in app.pods if p[2] == "k8s-node2"]
    app.states = ["ok"] * len(app.pods)
    app.replicas = len(app.pods)
    c.services.pop(("default", "web"))
    c.expose("web", "default", internalTrafficPolicy="Local")
    c.rules_missing.add(("default", "web"))
    c.node_setup.append("iptables -I FORWARD -d 10.96.0.20 -j DROP")
    return c


@scenario("b9-internal-traffic-local-yaml", Expect("root-cause", "TP953", "default/web"))
def internal_local_yaml():
    c = local_policy_cluster()
    with session(c, "centos") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get pods -o wide")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web -o yaml")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b9-internal-traffic-local-describe", Expect("root-cause", "TP953", "default/web"))
def internal_local_describe():
    c = local_policy_cluster()
    with session(c, "bash") as t:
        t.kubectl("describe svc web")
        t.kubectl("get pods -o wide")
        t.pod("curl -sS -m 3 http://10.96.0.20")
        return t.text()


# --- POD407 sidecar-not-ready ---------------------------------------------------


def sidecar_cluster(name: str, image: str, native: bool) -> Cluster:
    c = Cluster()
    app = c.apps[("default", "web")]
    app.sidecar = (name, image, native)
    app.states = ["sidecar-notready"] * len(app.pods)
    return c


@scenario("b4-native-sidecar-not-ready-describe", Expect("root-cause", "POD407", "default/web"))
def native_sidecar_not_ready():
    c = sidecar_cluster("istio-proxy", "docker.io/istio/proxyv2:1.24.2", True)
    first = web_pods(c)[0]
    with session(c, "centos") as t:
        t.kubectl("get pods -l app=web")
        t.kubectl("get endpoints web")
        t.kubectl(f"describe pod {first}")
        t.pod("curl -sS -m 3 http://web")
        return t.text()


@scenario("b4-injected-sidecar-not-ready-yaml", Expect("root-cause", "POD407", "default/web"))
def injected_sidecar_not_ready():
    c = sidecar_cluster("linkerd-proxy", "cr.l5d.io/linkerd/proxy:edge-24.11.8", False)
    first = web_pods(c)[0]
    with session(c, "bash") as t:
        t.kubectl("get svc web -o wide")
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web -o yaml")
        t.kubectl(f"get pod {first} -o yaml")
        return t.text()


@scenario("b4-sidecar-ready-healthy", Expect("healthy"))
def sidecar_ready():
    c = sidecar_cluster("istio-proxy", "docker.io/istio/proxyv2:1.24.2", True)
    c.apps[("default", "web")].states = ["ok"] * 3
    first = web_pods(c)[0]
    with session(c, "zsh") as t:
        t.kubectl("get svc,ep web")
        t.kubectl("get pods -l app=web -o wide")
        t.kubectl(f"describe pod {first}")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web")
        return t.text()


# --- EP313 not-ready-addresses-published ---------------------------------------


def published_cluster() -> Cluster:
    """web publishes not-ready addresses; two of its pods are still
    starting (not ready, nothing listening) and get traffic anyway."""
    c = Cluster()
    app = c.apps[("default", "web")]
    app.states = ["ok", "starting", "starting"]
    app.ready_probe = True
    c.services.pop(("default", "web"))
    c.expose("web", "default", publishNotReadyAddresses=True)
    return c


@scenario("b3-not-ready-published-endpoints", Expect("root-cause", "EP313", "default/web"))
def published_endpoints():
    c = published_cluster()
    with session(c, "centos") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get pods -l app=web -o wide")
        t.kubectl("get endpoints web")
        t.pod_shell(["for i in 1 2 3 4 5 6; do curl -sS -m 2 -o /dev/null -w '%{http_code}\\n' http://web; done"])
        return t.text()


@scenario("b3-not-ready-published-slices", Expect("root-cause", "EP313", "default/web"))
def published_slices():
    # No Service YAML: the slices' `ready: true, serving: false` say it.
    c = published_cluster()
    with session(c, "bash") as t:
        t.kubectl("get endpointslices -l kubernetes.io/service-name=web -o yaml")
        t.pod("curl -sS -m 3 http://10.96.0.20")
        t.pod("curl -sS -m 3 http://10.96.0.20")
        t.pod("curl -sS -m 3 http://10.96.0.20")
        return t.text()


# --- ING006 gateway-not-ready -----------------------------------------------------

LISTENER_OK = (("Accepted", "True", "Accepted", "Listener has been successfully translated"),
               ("Programmed", "True", "Programmed", "Sending translated listener configuration to the data plane"),
               ("ResolvedRefs", "True", "ResolvedRefs", "Listener has been successfully translated"))


@scenario("b0-gateway-address-not-assigned", Expect("root-cause", "ING006", "default/web"))
def gateway_no_address():
    c = Cluster()
    c.extra.append(o.namespace("infra"))
    c.extra.append(o.gateway("eg", "infra", (
        ("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
        ("Programmed", "False", "AddressNotAssigned", "No addresses have been assigned to the Gateway"),
    ), listeners=(("http", "HTTP", 80, LISTENER_OK),)))
    c.extra.append(o.http_route("shop", "default", [("web", None, 80)]))
    with session(c, "centos") as t:
        t.kubectl("get gateway -n infra")
        t.kubectl("get httproute shop -o yaml")
        t.outside("curl -sS -m 5 http://shop.example.com/")
        return t.text()


@scenario("b0-gateway-listener-certificate-missing", Expect("root-cause", "ING006", "infra/eg"))
def gateway_listener_cert():
    c = Cluster()
    c.extra.append(o.namespace("infra"))
    c.extra.append(o.gateway("eg", "infra", (
        ("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
        ("Programmed", "True", "Programmed", "Address assigned to the Gateway, 1/1 envoy replicas available"),
    ), listeners=(("https", "HTTPS", 443, (
        ("Accepted", "True", "Accepted", "Listener has been successfully translated"),
        ("Programmed", "False", "Invalid", "Listener is invalid, see other Conditions for details."),
        ("ResolvedRefs", "False", "InvalidCertificateRef", "Secret infra/eg-tls does not exist."),
    )),), address="203.0.113.40"))
    c.extra.append(o.http_route("shop", "default", [("web", None, 80)]))
    with session(c, "ubuntu") as t:
        t.kubectl("get gateway eg -n infra -o yaml")
        t.kubectl("get svc web")
        return t.text()


# --- NET508 from `cilium policy trace` ----------------------------------------------


def policy_trace(src: tuple, dst: tuple, port: str, verdict: str, rule: str | None) -> str:
    """`cilium-dbg policy trace` in its own format (no Cilium agent runs
    here): the traced labels, the ingress resolution, the verdicts."""
    def labels(app, ns):
        return f"[k8s:app={app}, k8s:io.cilium.k8s.policy.cluster=default, k8s:io.cilium.k8s.policy.serviceaccount=default, k8s:io.kubernetes.pod.namespace={ns}]"
    dst_plain = labels(*dst).strip("[]").replace(", ", " ")
    lines = ["----------------------------------------------------------------", "",
             f"Tracing From: {labels(*src)} => To: {labels(*dst)} Ports: [{port}]", "",
             f"Resolving ingress policy for [{dst_plain}]"]
    if rule:
        lines += [f'* Rule {{"matchLabels":{{"any:app":"{dst[0]}","k8s:io.kubernetes.pod.namespace":"{dst[1]}"}}}}: selected',
                  f'    Allows from labels {{"matchLabels":{{"any:app":"{rule}","k8s:io.kubernetes.pod.namespace":"{dst[1]}"}}}}',
                  f"      Labels [{labels(*src).strip('[]').replace(', ', ' ')}] not found" if verdict == "DENIED" else "      Found all required labels",
                  "1/1 rules selected"]
    lines += ["Found no allow rule" if verdict == "DENIED" else "Found allow rule",
              f"Ingress verdict: {verdict.lower()}", "", f"Final verdict: {verdict}", ""]
    return "\n".join(lines)


@scenario("b6-cilium-policy-trace-denied", Expect("root-cause", "NET508", "default/web"))
def cilium_trace_denied():
    c = cilium_cluster()
    c.node_setup.append("iptables -I INPUT -s 10.244.1.9 -d 10.244.0.0/16 -p tcp --dport 80 -j DROP")
    pod = c.apps[("default", "web")].pods[0][0]
    with session(c, "ubuntu") as t:
        t.kubectl("get svc web -o wide")
        t.pod("curl -sS -m 3 http://web")
        t.shown(f"kubectl -n kube-system exec ds/cilium -- cilium-dbg policy trace --src-k8s-pod default:client --dst-k8s-pod default:{pod} --dport 80/TCP",
                policy_trace(("client", "default"), ("web", "default"), "80/TCP", "DENIED", "frontend"))
        return t.text()


@scenario("b6-cilium-policy-trace-allowed", Expect("need-evidence", next_step="B3"))
def cilium_trace_allowed():
    # The trace allows it: no policy is the cause; the evidence does not
    # reach further than the Service.
    c = cilium_cluster()
    c.node_setup.append("iptables -I INPUT -s 10.244.1.9 -d 10.244.0.0/16 -p tcp --dport 80 -j DROP")
    pod = c.apps[("default", "web")].pods[0][0]
    with session(c, "zsh") as t:
        t.kubectl("get svc web -o wide")
        t.pod("curl -sS -m 3 http://web")
        t.shown(f"kubectl -n kube-system exec ds/cilium -- cilium policy trace --src-k8s-pod default:client --dst-k8s-pod default:{pod} --dport 80",
                policy_trace(("client", "default"), ("web", "default"), "80/ANY", "ALLOWED", "client"))
        return t.text()


# --- TP955 topology-hints-disabled (a note) ------------------------------------------

HINTS_DISABLED = "Insufficient Node information: allocatable CPU or zone not specified on one or more nodes, addressType: IPv4"


def hints_cluster() -> Cluster:
    c = Cluster()
    c.services.pop(("default", "web"))
    c.expose("web", "default", trafficDistribution="PreferClose")
    c.extra.append(o.event("default", "Service", "web", "TopologyAwareHintsDisabled", HINTS_DISABLED, count=4, component="endpoint-slice-controller"))
    return c


@scenario("b9-topology-hints-disabled-describe", Expect("healthy"))
def hints_disabled_describe():
    c = hints_cluster()
    with session(c, "centos") as t:
        t.kubectl("describe svc web")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web")
        return t.text()


@scenario("b9-topology-hints-disabled-events", Expect("healthy"))
def hints_disabled_events():
    c = hints_cluster()
    with session(c, "bash") as t:
        t.kubectl("get svc web -o yaml")
        t.kubectl("get events --field-selector involvedObject.kind=Service")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web")
        return t.text()


@scenario("b0-gateway-of-another-team-not-ready", Expect("healthy"))
def gateway_other_team():
    # The route attaches to eg, which is fine; another team's Gateway in
    # the same listing has no address: none of this Service's business.
    c = Cluster()
    c.extra.append(o.namespace("infra"))
    c.extra.append(o.namespace("team-b"))
    c.extra.append(o.gateway("eg", "infra", (
        ("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
        ("Programmed", "True", "Programmed", "Address assigned to the Gateway, 1/1 envoy replicas available"),
    ), listeners=(("http", "HTTP", 80, LISTENER_OK),), address="203.0.113.40"))
    c.extra.append(o.gateway("internal", "team-b", (
        ("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
        ("Programmed", "False", "AddressNotAssigned", "No addresses have been assigned to the Gateway"),
    ), listeners=(("http", "HTTP", 80, LISTENER_OK),)))
    c.extra.append(o.http_route("shop", "default", [("web", None, 80)]))
    with session(c, "bash") as t:
        t.kubectl("get gateways -A -o yaml")
        t.kubectl("get httproute shop -o yaml")
        t.kubectl("get svc,ep web")
        t.pod("curl -sS -m 3 -o /dev/null -w '%{http_code}\\n' http://web")
        return t.text()
