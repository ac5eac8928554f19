"""A scenario's cluster: the objects kubectl sees, and what follows from
them the way the controllers and kube-proxy would make it follow (pods of
each Deployment, Endpoints and EndpointSlices of each Service, kube-proxy's
rules), unless a scenario breaks that on purpose.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import timedelta

import objects as o
from proxy import ServicePort


@dataclass
class App:
    """A Deployment, its pods and (optionally) its Service."""

    name: str
    ns: str = "default"
    labels: dict = field(default_factory=dict)
    replicas: int = 3
    port: int = 80  # the container's port
    port_name: str | None = None
    image: str = "nginx:1.27"
    # Where each pod runs and its IP, filled by the cluster.
    pods: list = field(default_factory=list)
    # Pod states by index: "ok", "crash", "notready", "pending", "creating",
    # "flapping", "imagepull"
    states: list = field(default_factory=list)
    # What the app does on its port: "serve", "refuse" (nothing listens),
    # "localhost" (listens on 127.0.0.1 only), "lost" (packets to its pods on
    # k8s-node2 are lost), "lost-all" (packets to every pod are lost).
    listens: str = "serve"
    ready_probe: bool = False
    template_labels: dict | None = None  # the pods' labels, when not `labels`
    # A sidecar beside the app: (name, image, native). A native one is an
    # init container with restartPolicy Always; the other a second
    # container (injected, like istio-proxy). The state "sidecar-notready"
    # makes it, and so the pod, not ready while the app is.
    sidecar: tuple | None = None
    selector: dict | None = None  # the Deployment's selector, when not `labels`


class Cluster:
    NODES = [("k8s-master", "10.0.0.10", ("control-plane",)), ("k8s-node1", "10.0.0.11", ()), ("k8s-node2", "10.0.0.12", ())]

    def __init__(self, app_ns: str = "default"):
        self.app_ns = app_ns
        self.apps: dict = {}
        self.services: dict = {}  # (ns, name) -> Service object
        self.extra: list = []  # other objects (events, policies, config maps)
        self.next_ip = {"k8s-node1": 5, "k8s-node2": 5, "k8s-master": 5}
        self.coredns_state = "ok"  # "ok", "crash", "gone"
        self.kube_proxy = "running"  # "running", "missing"
        self.cni = "calico"  # "calico", "cilium"
        self.client = ("client", app_ns, "10.244.1.9", "k8s-node1")
        self.client_labels = {"run": "client"}
        self.endpoint_overrides: dict = {}  # (ns, name) -> list of (ip, port, node) kube-proxy still uses
        self.rules_missing: set = set()  # (ns, name): kube-proxy wrote no rules for it
        # Edits of kube-proxy's rules text (iptables-restore or nft -f input)
        # before it is loaded: how a scenario breaks the rules.
        self.rule_edits: list = []
        # Commands run in the node's namespace after the rules are loaded
        # (hidden from the transcript): drops that stand for a broken CNI.
        self.node_setup: list = []
        # Endpoints objects that differ from what the controller would write.
        self.endpoints_override: dict = {}
        self.version = "v1.31.4"
        self.add_app(App("web", app_ns, {"app": "web"}))
        self.expose("web", app_ns, port=80, target=80)

    # --- building ------------------------------------------------------------
    def add_app(self, app: App) -> App:
        app.labels = app.labels or {"app": app.name}
        nodes = ["k8s-node1", "k8s-node2"]
        for i in range(app.replicas):
            node = nodes[i % 2]
            net = "1" if node == "k8s-node1" else "2"
            ip = f"10.244.{net}.{self.next_ip[node]}"
            self.next_ip[node] += 1
            h = o.rs_hash(app.name, app.ns)
            name = f"{app.name}-{h}-{o.suffix(f'{app.ns}/{app.name}/{i}', 5)}"
            app.pods.append((name, ip, node))
        if not app.states:
            app.states = ["ok"] * app.replicas
        self.apps[(app.ns, app.name)] = app
        return app

    def expose(self, name, ns, port=80, target=80, kind="ClusterIP", node_port=None, selector=None, cluster_ip=None, port_name=None, protocol="TCP", **spec):
        n = len(self.services)
        ip = cluster_ip or (f"10.96.{(n * 37 + 100) % 250}.{(n * 53 + 20) % 250}" if (ns, name) != ("default", "web") else "10.96.0.20")
        sel = selector if selector is not None else self.apps[(ns, name)].labels if (ns, name) in self.apps else None
        svc = o.service(name, ns, sel, ports=((port, target, protocol, port_name),), cluster_ip=ip, kind=kind,
                        node_ports=[node_port] if node_port else None, **spec)
        self.services[(ns, name)] = svc
        return svc

    # --- what follows ----------------------------------------------------------
    def pod_objects(self) -> list:
        out = []
        for app in self.apps.values():
            labels = dict(app.template_labels or app.labels)
            h = o.rs_hash(app.name, app.ns)
            for (name, ip, node), state in zip(app.pods, app.states):
                c = o.container(app.name if app.name != "web" else "nginx", app.image, ((app.port, app.port_name),), ready_probe=app.ready_probe)
                kw = {}
                if state == "crash":
                    kw = dict(ready=False, restarts=7, waiting="CrashLoopBackOff", last_restart=timedelta(minutes=2))
                elif state in ("notready", "starting"):
                    # "starting": not ready, and nothing listens yet.
                    kw = dict(ready=False)
                elif state == "pending":
                    kw = dict(ready=False, phase="Pending")
                    ip = None
                    node = None
                elif state == "flapping":
                    # Ready in the API between restarts; crashed right now.
                    kw = dict(restarts=12, last_restart=timedelta(minutes=1))
                elif state == "terminating":
                    # Being deleted (a rollout, a scale-down, a drain).
                    kw = dict(ready=False, deleting=True)
                elif state == "creating":
                    # Scheduled, but its sandbox (and network) not made yet.
                    kw = dict(ready=False, phase="Pending", waiting="ContainerCreating")
                    ip = None
                elif state == "imagepull":
                    kw = dict(ready=False, phase="Pending", waiting="ImagePullBackOff")
                containers = [c]
                if app.sidecar:
                    side_name, side_image, native = app.sidecar
                    side = o.container(side_name, side_image, None, ready_probe=False)
                    side["readinessProbe"] = {"httpGet": {"path": "/healthz/ready", "port": 15021, "scheme": "HTTP"}, "periodSeconds": 2, "failureThreshold": 30}
                    if native:
                        kw["initContainers"] = [{**side, "restartPolicy": "Always"}]
                    else:
                        containers.append(side)
                if state == "sidecar-notready":
                    kw["ready"] = False
                pod = o.pod(name, app.ns, {**labels, "pod-template-hash": h}, ip, node, containers, owner=("ReplicaSet", f"{app.name}-{h}"), **kw)
                if app.sidecar:
                    side_ready = state != "sidecar-notready"
                    statuses = pod["status"]["containerStatuses"]
                    statuses[0]["ready"] = state in ("ok", "sidecar-notready", "flapping")
                    if app.sidecar[2]:
                        st = dict(statuses[0], name=app.sidecar[0], image=app.sidecar[1], ready=side_ready,
                                  containerID=f"containerd://{o.uid(app.ns, name, app.sidecar[0]).replace('-', '')}")
                        pod["status"]["initContainerStatuses"] = [st]
                    else:
                        statuses[1]["ready"] = side_ready
                out.append(pod)
        out += self.system_pods()
        cname, cns, cip, cnode = self.client
        if any(p["metadata"]["name"] == cname for p in out):
            return out  # the client is one of the apps' pods
        out.append(o.pod(cname, cns, self.client_labels, cip, cnode, [o.container("client", "busybox:1.36", None, command=["sleep", "3600"])], age=timedelta(minutes=12)))
        return out

    def system_pods(self) -> list:
        out = []
        dns_labels = {"k8s-app": "kube-dns"}
        for i, (ip, suffix_) in enumerate([("10.244.0.3", "5dd5756b68-7xkqp"), ("10.244.0.4", "5dd5756b68-q9wvn")]):
            kw = {}
            if self.coredns_state == "crash":
                kw = dict(ready=False, restarts=9, waiting="CrashLoopBackOff", last_restart=timedelta(minutes=1))
            if self.coredns_state != "gone":
                out.append(o.pod(f"coredns-{suffix_}", "kube-system", {**dns_labels, "pod-template-hash": "5dd5756b68"}, ip, "k8s-master",
                                 [o.container("coredns", "registry.k8s.io/coredns/coredns:v1.11.3", ((53, "dns", "UDP"), (53, "dns-tcp"), (9153, "metrics")))],
                                 age=timedelta(days=40), owner=("ReplicaSet", "coredns-5dd5756b68"), **kw))
        for name, ip, _roles in self.NODES:
            if self.kube_proxy == "running":
                out.append(o.pod(f"kube-proxy-{o.suffix('kp' + name, 5)}", "kube-system", {"k8s-app": "kube-proxy", "controller-revision-hash": "6b4c6b5d8f", "pod-template-generation": "1"},
                                 ip, name, [o.container("kube-proxy", "registry.k8s.io/kube-proxy:v1.31.4", None)], age=timedelta(days=40), owner=("DaemonSet", "kube-proxy"), host_network=True))
            if self.cni == "cilium":
                out.append(o.pod(f"cilium-{o.suffix('cl' + name, 5)}", "kube-system", {"k8s-app": "cilium", "controller-revision-hash": "7c9f8d5b4", "pod-template-generation": "1"}, ip, name,
                                 [o.container("cilium-agent", "quay.io/cilium/cilium:v1.16.5", None)], age=timedelta(days=40), owner=("DaemonSet", "cilium"), host_network=True))
            else:
                out.append(o.pod(f"calico-node-{o.suffix('cn' + name, 5)}", "kube-system", {"k8s-app": "calico-node"}, ip, name,
                                 [o.container("calico-node", "docker.io/calico/node:v3.28.2", None)], age=timedelta(days=40), owner=("DaemonSet", "calico-node"), host_network=True))
        if self.cni == "cilium":
            out.append(o.pod("cilium-operator-6d8f9c7b5-x2x9z", "kube-system", {"io.cilium/app": "operator", "name": "cilium-operator"}, "10.0.0.10", "k8s-master",
                             [o.container("cilium-operator", "quay.io/cilium/operator-generic:v1.16.5", None)], age=timedelta(days=40), owner=("ReplicaSet", "cilium-operator-6d8f9c7b5"), host_network=True))
        for comp in ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]:
            out.append(o.pod(f"{comp}-k8s-master", "kube-system", {"component": comp, "tier": "control-plane"}, "10.0.0.10", "k8s-master",
                             [o.container(comp, f"registry.k8s.io/{comp}:v1.31.4" if comp != "etcd" else "registry.k8s.io/etcd:3.5.15-0", None)], age=timedelta(days=40), host_network=True))
        return out

    def all_objects(self) -> list:
        pods = self.pod_objects()
        objs = [o.namespace(n) for n in sorted({"default", "kube-system", self.app_ns, self.client[1]})]
        objs += [o.node(n, ip, roles) for n, ip, roles in self.NODES]
        for app in self.apps.values():
            ready = sum(1 for s in app.states if s == "ok")
            d = o.deployment(app.name, app.ns, app.template_labels or app.labels, app.replicas, selector=app.selector or app.template_labels or app.labels, ready=ready,
                             containers=[o.container(app.name if app.name != "web" else "nginx", app.image, ((app.port, app.port_name),), ready_probe=app.ready_probe)])
            objs.append(d)
        dns_ready = self.coredns_state == "ok"
        objs.append(o.deployment("coredns", "kube-system", {"k8s-app": "kube-dns"}, 2, ready=2 if dns_ready else 0, age=timedelta(days=40),
                                 containers=[o.container("coredns", "registry.k8s.io/coredns/coredns:v1.11.3", ((53, "dns", "UDP"), (53, "dns-tcp"), (9153, "metrics")))]))
        objs.append(o.service("kube-dns", "kube-system", {"k8s-app": "kube-dns"}, ports=((53, 53, "UDP", "dns"), (53, 53, "TCP", "dns-tcp"), (9153, 9153, "TCP", "metrics")),
                              cluster_ip="10.96.0.10", age=timedelta(days=40)))
        objs.append(o.service("kubernetes", "default", None, ports=((443, 6443, "TCP", "https"),), cluster_ip="10.96.0.1", age=timedelta(days=40)))
        objs += list(self.services.values())
        objs += pods
        eps = self.endpoint_objects(pods, objs)
        for (ns, name), replacement in self.endpoints_override.items():
            eps = [e for e in eps if not (e["kind"] == "Endpoints" and e["metadata"]["name"] == name and e["metadata"]["namespace"] == ns)]
            eps.append(replacement)
        objs += eps
        objs += self.extra
        return objs

    def selected(self, svc: dict, pods: list) -> list:
        sel = svc["spec"].get("selector")
        if not sel:
            return []
        ns = svc["metadata"]["namespace"]
        return [p for p in pods if p["metadata"].get("namespace") == ns and all(p["metadata"].get("labels", {}).get(k) == v for k, v in sel.items())]

    def endpoint_objects(self, pods: list, objs: list) -> list:
        out = []
        for svc in [x for x in objs if x["kind"] == "Service"]:
            if not svc["spec"].get("selector"):
                continue
            ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
            ready, not_ready, terminating = [], [], []
            for p in self.selected(svc, pods):
                ip = p["status"].get("podIP")
                if not ip:
                    continue
                entry = (ip, p["metadata"]["name"], p["spec"].get("nodeName"))
                if p["metadata"].get("deletionTimestamp"):
                    # Out of the Endpoints; a terminating endpoint of the slice.
                    terminating.append(entry)
                    continue
                ok = any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", []))
                (ready if ok else not_ready).append(entry)
            ports = []
            for sp in svc["spec"]["ports"]:
                target = sp["targetPort"]
                if isinstance(target, str):
                    # A named port: the first selected pod's container port of that name.
                    number = None
                    for p in self.selected(svc, pods):
                        for c in p["spec"]["containers"]:
                            for cp in c.get("ports", []):
                                if cp.get("name") == target:
                                    number = cp["containerPort"]
                    if number is None:
                        continue
                    target = number
                ports.append((target, sp.get("name")))
            # A named targetPort no selected pod declares: the Endpoints
            # controller skips the pods; the EndpointSlice controller keeps
            # them, as endpoints without a port (PORTS <unset>).
            unresolved = not ports and bool(svc["spec"]["ports"])
            published = []
            if svc["spec"].get("publishNotReadyAddresses"):
                # Both controllers list the pods that are not ready as ready.
                published, not_ready = not_ready, []
            out.append(o.endpoints(name, ns, [] if unresolved else ready + published, [] if unresolved else not_ready, ports or ((80, None),)))
            out[-1]["metadata"]["labels"] = dict(svc["metadata"].get("labels", {}))
            if not ready and not not_ready:
                out[-1].pop("subsets", None)
            out.append(o.endpointslice(name, ns, ready, not_ready, ports or ((None, None),), terminating=terminating, published=published))
            if unresolved:
                out[-1]["ports"] = None
        return out

    def service_ports(self, objs: list) -> list:
        """What kube-proxy programs: every Service port with its ready endpoints."""
        eps = {(x["metadata"]["namespace"], x["metadata"]["name"]): x for x in objs if x["kind"] == "Endpoints"}
        out = []
        for svc in [x for x in objs if x["kind"] == "Service"]:
            ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
            if svc["spec"].get("type") == "ExternalName" or svc["spec"].get("clusterIP") in (None, "None"):
                continue
            if (ns, name) in self.rules_missing:
                continue
            for sp in svc["spec"]["ports"]:
                endpoints = []
                if (ns, name) in self.endpoint_overrides:
                    endpoints = list(self.endpoint_overrides[(ns, name)])
                elif (ns, name) == ("default", "kubernetes"):
                    endpoints = [("10.0.0.10", 6443, "k8s-master")]
                elif (ns, name) in eps:
                    for subset in eps[(ns, name)].get("subsets", []) or []:
                        port = next((p["port"] for p in subset.get("ports", []) if p.get("name") == sp.get("name") or len(subset.get("ports", [])) == 1), None)
                        for a in subset.get("addresses", []) or []:
                            if port is not None:
                                endpoints.append((a["ip"], port, a.get("nodeName")))
                local = svc["spec"].get("externalTrafficPolicy") == "Local"
                out.append(ServicePort(ns, name, sp.get("name") or "", sp.get("protocol", "TCP"), svc["spec"]["clusterIP"], sp["port"],
                                       sp.get("nodePort"), endpoints, local))
        return out

    def dns_records(self, objs: list) -> dict:
        rec = {}
        pods = [x for x in objs if x["kind"] == "Pod"]
        for svc in [x for x in objs if x["kind"] == "Service"]:
            fq = f"{svc['metadata']['name']}.{svc['metadata']['namespace']}.svc.cluster.local"
            if svc["spec"].get("clusterIP") == "None":
                rec[fq] = [p["status"]["podIP"] for p in self.selected(svc, pods) if p["status"].get("podIP")]
            elif svc["spec"].get("clusterIP"):
                rec[fq] = [svc["spec"]["clusterIP"]]
        return rec

    def copy(self) -> "Cluster":
        return copy.deepcopy(self)
