"""A small read-only Kubernetes API server for the real kubectl.

It serves discovery, objects, lists and server-side Table rows the way the
API server does, so that `kubectl get` prints its own columns, alignment,
`-o wide`, `--show-labels`, `-A`, `-o yaml` and `-o json`, and `kubectl
describe` its own layout. It knows only what a scenario gives it: a list of
objects (plain dicts as `kubectl get -o json` shows them).

The cells follow the API server's printers (pkg/printers/internalversion):
their column names, priorities and formats. Ages are computed against a
fixed `now`, so that a scenario is generated the same way every time.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

# Resources: plural -> (group/version, kind, short names, namespaced)
RESOURCES = {
    "pods": ("v1", "Pod", ["po"], True),
    "services": ("v1", "Service", ["svc"], True),
    "endpoints": ("v1", "Endpoints", ["ep"], True),
    "nodes": ("v1", "Node", ["no"], False),
    "namespaces": ("v1", "Namespace", ["ns"], False),
    "events": ("v1", "Event", ["ev"], True),
    "configmaps": ("v1", "ConfigMap", ["cm"], True),
    "deployments": ("apps/v1", "Deployment", ["deploy"], True),
    "daemonsets": ("apps/v1", "DaemonSet", ["ds"], True),
    "replicasets": ("apps/v1", "ReplicaSet", ["rs"], True),
    "endpointslices": ("discovery.k8s.io/v1", "EndpointSlice", [], True),
    "networkpolicies": ("networking.k8s.io/v1", "NetworkPolicy", ["netpol"], True),
    "ingresses": ("networking.k8s.io/v1", "Ingress", ["ing"], True),
    "ingressclasses": ("networking.k8s.io/v1", "IngressClass", [], False),
    "httproutes": ("gateway.networking.k8s.io/v1", "HTTPRoute", [], True),
    "gateways": ("gateway.networking.k8s.io/v1", "Gateway", ["gtw"], True),
    "adminnetworkpolicies": ("policy.networking.k8s.io/v1alpha1", "AdminNetworkPolicy", ["anp"], False),
    "baselineadminnetworkpolicies": ("policy.networking.k8s.io/v1alpha1", "BaselineAdminNetworkPolicy", ["banp"], False),
}
KIND_TO_PLURAL = {v[1]: k for k, v in RESOURCES.items()}


def parse_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def human_duration(seconds: int) -> str:
    """apimachinery's duration.HumanDuration, as `kubectl get` shows ages."""
    if seconds < 0:
        return "<invalid>"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        s = seconds % 60
        return f"{minutes}m{s}s" if s else f"{minutes}m"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        m = minutes % 60
        return f"{hours}h{m}m" if m else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d{h}h" if h else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        d = (hours // 24) % 365
        return f"{hours // 24 // 365}y{d}d" if d else f"{hours // 24 // 365}y"
    return f"{hours // 24 // 365}y"


def column(name: str, priority: int = 0, kind: str = "string", fmt: str = "") -> dict:
    return {"name": name, "type": kind, "format": fmt, "description": "", "priority": priority}


def labels_text(labels: dict | None) -> str:
    if not labels:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


class Printers:
    """The API server's table convertors for the resources scenarios use."""

    def __init__(self, now: datetime):
        self.now = now

    def age(self, obj: dict) -> str:
        created = obj.get("metadata", {}).get("creationTimestamp")
        if not created:
            return "<unknown>"
        return human_duration(int((self.now - parse_time(created)).total_seconds()))

    def columns(self, plural: str) -> list:
        return {
            "pods": [
                column("Name", fmt="name"), column("Ready"), column("Status"),
                column("Restarts", kind="string"), column("Age"),
                column("IP", 1), column("Node", 1), column("Nominated Node", 1),
                column("Readiness Gates", 1),
            ],
            "services": [
                column("Name", fmt="name"), column("Type"), column("Cluster-IP"),
                column("External-IP"), column("Port(s)"), column("Age"), column("Selector", 1),
            ],
            "endpoints": [column("Name", fmt="name"), column("Endpoints"), column("Age")],
            "endpointslices": [
                column("Name", fmt="name"), column("AddressType"), column("Ports"),
                column("Endpoints"), column("Age"),
            ],
            "deployments": [
                column("Name", fmt="name"), column("Ready"), column("Up-to-date", kind="integer"),
                column("Available", kind="integer"), column("Age"), column("Containers", 1),
                column("Images", 1), column("Selector", 1),
            ],
            "daemonsets": [
                column("Name", fmt="name"), column("Desired", kind="integer"),
                column("Current", kind="integer"), column("Ready", kind="integer"),
                column("Up-to-date", kind="integer"), column("Available", kind="integer"),
                column("Node Selector"), column("Age"), column("Containers", 1),
                column("Images", 1), column("Selector", 1),
            ],
            "replicasets": [
                column("Name", fmt="name"), column("Desired", kind="integer"),
                column("Current", kind="integer"), column("Ready", kind="integer"), column("Age"),
            ],
            "nodes": [
                column("Name", fmt="name"), column("Status"), column("Roles"), column("Age"),
                column("Version"), column("Internal-IP", 1), column("External-IP", 1),
                column("OS-Image", 1), column("Kernel-Version", 1), column("Container-Runtime", 1),
            ],
            "namespaces": [column("Name", fmt="name"), column("Status"), column("Age")],
            "configmaps": [column("Name", fmt="name"), column("Data", kind="integer"), column("Age")],
            "networkpolicies": [column("Name", fmt="name"), column("Pod-Selector"), column("Age")],
            "ingresses": [
                column("Name", fmt="name"), column("Class"), column("Hosts"), column("Address"),
                column("Ports"), column("Age"),
            ],
            "ingressclasses": [column("Name", fmt="name"), column("Controller"), column("Parameters"), column("Age")],
            "httproutes": [column("Name", fmt="name"), column("Hostnames"), column("Age")],
            "gateways": [column("Name", fmt="name"), column("Class"), column("Address"), column("Programmed"), column("Age")],
            # The CRDs' printer columns.
            "adminnetworkpolicies": [column("Name", fmt="name"), column("Priority", kind="integer"), column("Age")],
            "baselineadminnetworkpolicies": [column("Name", fmt="name"), column("Age")],
            "events": [
                column("Last Seen"), column("Type"), column("Reason"), column("Object"),
                column("Subobject", 1), column("Source", 1), column("Message"),
                column("First Seen", 1), column("Count", 1, "integer"), column("Name", 1),
            ],
        }[plural]

    def cells(self, plural: str, o: dict) -> list:
        meta = o.get("metadata", {})
        spec = o.get("spec", {})
        status = o.get("status", {})
        name = meta.get("name", "")
        if plural == "pods":
            # Native sidecars count with the containers (kubectl 1.29+).
            sidecars = {c["name"] for c in spec.get("initContainers", []) if c.get("restartPolicy") == "Always"}
            statuses = status.get("containerStatuses", []) + [c for c in status.get("initContainerStatuses", []) if c["name"] in sidecars]
            containers = spec.get("containers", []) + [c for c in spec.get("initContainers", []) if c["name"] in sidecars]
            ready = sum(1 for c in statuses if c.get("ready"))
            restarts = sum(c.get("restartCount", 0) for c in statuses)
            reason = status.get("phase", "Unknown")
            for c in statuses:
                waiting = c.get("state", {}).get("waiting")
                terminated = c.get("state", {}).get("terminated")
                if waiting and waiting.get("reason"):
                    reason = waiting["reason"]
                elif terminated and terminated.get("reason"):
                    reason = terminated["reason"]
            if meta.get("deletionTimestamp"):
                reason = "Terminating"
            last = None
            for c in statuses:
                finished = c.get("lastState", {}).get("terminated", {}).get("finishedAt")
                if finished:
                    last = max(last, finished) if last else finished
            restart_cell: object = restarts
            if restarts and last:
                ago = human_duration(int((self.now - parse_time(last)).total_seconds()))
                restart_cell = f"{restarts} ({ago} ago)"
            return [
                name, f"{ready}/{len(containers)}", reason, restart_cell, self.age(o),
                status.get("podIP") or "<none>", spec.get("nodeName") or "<none>",
                "<none>", "<none>",
            ]
        if plural == "services":
            kind = spec.get("type", "ClusterIP")
            external = spec.get("externalIPs", [])[:]
            if kind == "LoadBalancer":
                ingress = [i.get("ip") or i.get("hostname") for i in status.get("loadBalancer", {}).get("ingress", [])]
                external = ingress + external
                ext = ",".join(external) if external else "<pending>"
            elif kind == "ExternalName":
                ext = spec.get("externalName", "<none>")
            else:
                ext = ",".join(external) if external else "<none>"
            ports = []
            for p in spec.get("ports", []):
                if p.get("nodePort") and kind in ("NodePort", "LoadBalancer"):
                    ports.append(f"{p['port']}:{p['nodePort']}/{p.get('protocol', 'TCP')}")
                else:
                    ports.append(f"{p['port']}/{p.get('protocol', 'TCP')}")
            return [
                name, kind, spec.get("clusterIP") or "<none>", ext,
                ",".join(ports) if ports else "<none>", self.age(o),
                labels_text(spec.get("selector")),
            ]
        if plural == "endpoints":
            items = []
            for subset in o.get("subsets", []) or []:
                for a in subset.get("addresses", []) or []:
                    for p in subset.get("ports", []) or [{}]:
                        items.append(f"{a['ip']}:{p['port']}" if "port" in p else a["ip"])
            text = "<none>"
            if items:
                text = ",".join(items[:3])
                if len(items) > 3:
                    text += f" + {len(items) - 3} more..."
            return [name, text, self.age(o)]
        if plural == "endpointslices":
            ports = [str(p["port"]) if p.get("port") is not None else "<unset>" for p in o.get("ports") or []]
            addrs = [a for e in o.get("endpoints") or [] for a in e.get("addresses", [])]
            text = "<none>"
            if addrs:
                text = ",".join(addrs[:3])
                if len(addrs) > 3:
                    text += f" + {len(addrs) - 3} more..."
            return [
                name, o.get("addressType", "IPv4"), ",".join(ports) if ports else "<unset>",
                text, self.age(o),
            ]
        if plural == "deployments":
            containers = spec.get("template", {}).get("spec", {}).get("containers", [])
            sel = spec.get("selector", {}).get("matchLabels", {})
            return [
                name, f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
                status.get("updatedReplicas", 0), status.get("availableReplicas", 0), self.age(o),
                ",".join(c["name"] for c in containers), ",".join(c.get("image", "") for c in containers),
                labels_text(sel),
            ]
        if plural == "daemonsets":
            containers = spec.get("template", {}).get("spec", {}).get("containers", [])
            sel = spec.get("selector", {}).get("matchLabels", {})
            node_sel = spec.get("template", {}).get("spec", {}).get("nodeSelector")
            return [
                name, status.get("desiredNumberScheduled", 0), status.get("currentNumberScheduled", 0),
                status.get("numberReady", 0), status.get("updatedNumberScheduled", 0),
                status.get("numberAvailable", 0), labels_text(node_sel), self.age(o),
                ",".join(c["name"] for c in containers), ",".join(c.get("image", "") for c in containers),
                labels_text(sel),
            ]
        if plural == "replicasets":
            return [name, spec.get("replicas", 0), status.get("replicas", 0), status.get("readyReplicas", 0), self.age(o)]
        if plural == "nodes":
            ready = "Unknown"
            for c in status.get("conditions", []):
                if c["type"] == "Ready":
                    ready = "Ready" if c["status"] == "True" else "NotReady"
            roles = [k.split("/", 1)[1] for k in meta.get("labels", {}) if k.startswith("node-role.kubernetes.io/")]
            info = status.get("nodeInfo", {})
            addr = {a["type"]: a["address"] for a in status.get("addresses", [])}
            return [
                name, ready, ",".join(sorted(roles)) or "<none>", self.age(o), info.get("kubeletVersion", ""),
                addr.get("InternalIP", "<none>"), addr.get("ExternalIP", "<none>"), info.get("osImage", ""),
                info.get("kernelVersion", ""), info.get("containerRuntimeVersion", ""),
            ]
        if plural == "namespaces":
            return [name, status.get("phase", "Active"), self.age(o)]
        if plural == "configmaps":
            return [name, len(o.get("data", {}) or {}), self.age(o)]
        if plural == "networkpolicies":
            sel = spec.get("podSelector", {}).get("matchLabels")
            return [name, labels_text(sel) if sel else "<none>", self.age(o)]
        if plural == "ingresses":
            hosts = [r.get("host", "*") for r in spec.get("rules", [])] or ["*"]
            ingress = [i.get("ip") or i.get("hostname") for i in status.get("loadBalancer", {}).get("ingress", [])]
            ports = "80, 443" if spec.get("tls") else "80"
            return [name, spec.get("ingressClassName") or "<none>", ",".join(hosts), ",".join(ingress), ports, self.age(o)]
        if plural == "ingressclasses":
            return [name, spec.get("controller", ""), "<none>", self.age(o)]
        if plural == "httproutes":
            return [name, "[" + " ".join(f'"{h}"' for h in spec.get("hostnames", [])) + "]", self.age(o)]
        if plural == "gateways":
            addresses = ",".join(a.get("value", "") for a in status.get("addresses", []))
            programmed = next((c["status"] for c in status.get("conditions", []) if c["type"] == "Programmed"), "Unknown")
            return [name, spec.get("gatewayClassName", ""), addresses, programmed, self.age(o)]
        if plural == "adminnetworkpolicies":
            return [name, spec.get("priority", 0), self.age(o)]
        if plural == "baselineadminnetworkpolicies":
            return [name, self.age(o)]
        if plural == "events":
            inv = o.get("involvedObject", {})
            last = o.get("lastTimestamp") or meta.get("creationTimestamp")
            first = o.get("firstTimestamp") or last
            since = lambda t: human_duration(int((self.now - parse_time(t)).total_seconds()))  # noqa: E731
            return [
                since(last), o.get("type", "Normal"), o.get("reason", ""),
                f"{inv.get('kind', '').lower()}/{inv.get('name', '')}", inv.get("fieldPath", ""),
                o.get("source", {}).get("component", ""), o.get("message", ""), since(first),
                o.get("count", 1), name,
            ]
        raise KeyError(plural)


def path_value(obj: dict, dotted: str):
    cur = obj
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def label_selector_matches(selector: str, labels: dict) -> bool:
    for term in filter(None, (t.strip() for t in selector.split(","))):
        if "!=" in term:
            k, v = term.split("!=", 1)
            if labels.get(k.strip()) == v.strip():
                return False
        elif "==" in term or "=" in term:
            k, v = term.replace("==", "=").split("=", 1)
            if labels.get(k.strip()) != v.strip():
                return False
        elif term.startswith("!"):
            if term[1:] in labels:
                return False
        elif term not in labels:
            return False
    return True


def field_selector_matches(selector: str, obj: dict) -> bool:
    for term in filter(None, (t.strip() for t in selector.split(","))):
        negate = "!=" in term
        k, v = term.replace("!=", "=").replace("==", "=").split("=", 1)
        actual = path_value(obj, k)
        if (str(actual) == v) == negate:
            return False
    return True


class FakeApi:
    """The server for one scenario's objects; `url` once started."""

    def __init__(self, objects: list, now: datetime, version: str = "v1.31.4"):
        self.objects = objects
        self.printers = Printers(now)
        self.version = version
        self.requests: list = []
        self.server = None

    def start(self) -> str:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                api.requests.append(self.path)
                status, body = api.answer(self.path, self.headers.get("Accept", ""))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    # --- answers ---------------------------------------------------------
    def answer(self, path: str, accept: str):
        url = urlparse(path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = [p for p in url.path.split("/") if p]
        if parts == ["version"]:
            major, minor = self.version.lstrip("v").split(".")[:2]
            return 200, {"major": major, "minor": minor, "gitVersion": self.version, "platform": "linux/amd64"}
        if parts == ["api"]:
            return 200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.0.10:6443"}]}
        if parts == ["apis"]:
            versions = sorted({tuple(gv.split("/")) for gv, *_ in RESOURCES.values() if "/" in gv})
            return 200, {
                "kind": "APIGroupList", "apiVersion": "v1",
                "groups": [
                    {"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v}], "preferredVersion": {"groupVersion": f"{g}/{v}", "version": v}}
                    for g, v in versions
                ],
            }
        if parts == ["api", "v1"] or (len(parts) == 3 and parts[0] == "apis"):
            gv = "v1" if parts[0] == "api" else f"{parts[1]}/{parts[2]}"
            return 200, {
                "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                "resources": [
                    {
                        "name": plural, "singularName": kind.lower(), "namespaced": namespaced, "kind": kind,
                        "verbs": ["get", "list", "watch"], "shortNames": shorts,
                    }
                    for plural, (g, kind, shorts, namespaced) in RESOURCES.items() if g == gv
                ],
            }
        # /api/v1[/namespaces/NS]/PLURAL[/NAME] or /apis/G/V[/namespaces/NS]/PLURAL[/NAME]
        rest = parts[2:] if parts[0] == "api" else parts[3:]
        gv = "v1" if parts[0] == "api" else f"{parts[1]}/{parts[2]}"
        namespace = None
        if len(rest) >= 3 and rest[0] == "namespaces":
            namespace, rest = rest[1], rest[2:]
        if not rest or rest[0] not in RESOURCES:
            return 404, self.status(404, "NotFound", "the server could not find the requested resource")
        plural = rest[0]
        kind = RESOURCES[plural][1]
        items = [
            o for o in self.objects
            if o.get("kind") == kind
            and (namespace is None or o.get("metadata", {}).get("namespace") == namespace)
        ]
        if "labelSelector" in query:
            items = [o for o in items if label_selector_matches(query["labelSelector"], o.get("metadata", {}).get("labels", {}) or {})]
        if "fieldSelector" in query:
            items = [o for o in items if field_selector_matches(query["fieldSelector"], o)]
        wants_table = "as=Table" in accept
        if len(rest) >= 2:
            name = rest[1]
            found = [o for o in items if o["metadata"]["name"] == name]
            if not found:
                group = gv.split("/")[0] if "/" in gv else ""
                what = f"{plural}.{group}" if group else plural
                return 404, self.status(404, "NotFound", f'{what} "{name}" not found', name=name, kind=plural, group=group)
            items = found
            if not wants_table:
                return 200, found[0]
        items = sorted(items, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
        if wants_table:
            return 200, {
                "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "4242"},
                "columnDefinitions": self.printers.columns(plural),
                "rows": [{"cells": self.printers.cells(plural, o), "object": o} for o in items],
            }
        return 200, {"kind": f"{kind}List", "apiVersion": gv, "metadata": {"resourceVersion": "4242"}, "items": items}

    @staticmethod
    def status(code: int, reason: str, message: str, **details) -> dict:
        return {
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "details": details, "code": code,
        }
