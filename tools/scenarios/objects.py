"""Kubernetes objects as the API server returns them, for scenarios.

Each builder returns a plain dict in the shape `kubectl get -o json` shows:
metadata with uid, resourceVersion and creationTimestamp, spec, status.
Names of generated pods follow the controllers' scheme (a ReplicaSet hash
and a five-character suffix), so that pasted listings look like real ones.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 20, 9, 30, 0, tzinfo=timezone.utc)
ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def ts(ago: timedelta) -> str:
    return (NOW - ago).strftime("%Y-%m-%dT%H:%M:%SZ")


def uid(*parts: str) -> str:
    h = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def suffix(seed: str, n: int) -> str:
    h = hashlib.sha256(seed.encode()).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in h[:n])


def meta(kind: str, name: str, ns: str | None, labels: dict | None = None, age=timedelta(days=5), **extra) -> dict:
    m = {"name": name, "uid": uid(kind, ns or "", name), "resourceVersion": str(1000 + len(name) * 7), "creationTimestamp": ts(age)}
    if ns:
        m["namespace"] = ns
    if labels:
        m["labels"] = dict(labels)
    m.update(extra)
    return m


def service(name, ns, selector=None, ports=((80, 80),), cluster_ip="10.96.0.20", kind="ClusterIP",
            node_ports=None, age=timedelta(days=5), **spec_extra) -> dict:
    port_list = []
    for i, p in enumerate(ports):
        port, target = p[0], p[1]
        entry = {"port": port, "protocol": p[2] if len(p) > 2 else "TCP", "targetPort": target}
        if len(ports) > 1 or (len(p) > 3 and p[3]):
            entry = {"name": p[3] if len(p) > 3 and p[3] else f"p{port}", **entry}
        if node_ports and i < len(node_ports) and node_ports[i]:
            entry["nodePort"] = node_ports[i]
        port_list.append(entry)
    spec = {
        "clusterIP": cluster_ip, "clusterIPs": [cluster_ip] if cluster_ip != "None" else ["None"],
        "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
        "ports": port_list, "sessionAffinity": "None", "type": kind,
    }
    if kind in ("NodePort", "LoadBalancer"):
        spec["externalTrafficPolicy"] = "Cluster"
    if selector is not None:
        spec["selector"] = dict(selector)
    spec.update(spec_extra)
    status = {"loadBalancer": {}}
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta("Service", name, ns, age=age), "spec": spec, "status": status}


def container(name="web", image="nginx:1.27", ports=((80, None),), ready_probe=False, **extra) -> dict:
    c = {"name": name, "image": image, "imagePullPolicy": "IfNotPresent", "resources": {}}
    if ports:
        c["ports"] = []
        for p in ports:
            entry = {"containerPort": p[0], "protocol": p[2] if len(p) > 2 else "TCP"}
            if p[1]:
                entry = {"name": p[1], **entry}
            c["ports"].append(entry)
    if ready_probe:
        c["readinessProbe"] = {"httpGet": {"path": "/healthz", "port": ports[0][0], "scheme": "HTTP"}, "periodSeconds": 10, "failureThreshold": 3, "successThreshold": 1, "timeoutSeconds": 1}
    c.update(extra)
    return c


def deployment(name, ns, labels, replicas=3, containers=None, selector=None, ready=None, age=timedelta(days=5)) -> dict:
    containers = containers or [container()]
    ready = replicas if ready is None else ready
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": meta("Deployment", name, ns, labels={"app": name}, age=age, annotations={"deployment.kubernetes.io/revision": "1"}, generation=1),
        "spec": {
            "replicas": replicas, "revisionHistoryLimit": 10,
            "selector": {"matchLabels": dict(selector or labels)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers, "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "terminationGracePeriodSeconds": 30}},
        },
        "status": {"availableReplicas": ready, "observedGeneration": 1, "readyReplicas": ready, "replicas": replicas, "updatedReplicas": replicas},
    }


def rs_hash(deploy_name: str, ns: str) -> str:
    return suffix(f"rs/{ns}/{deploy_name}", 10)


def pod(name, ns, labels, ip, node, containers=None, phase="Running", ready=True, restarts=0, waiting=None,
        age=timedelta(days=5), owner=None, host_network=False, dns_policy="ClusterFirst", last_restart=None, deleting=False, **spec_extra) -> dict:
    containers = containers or [container()]
    statuses = []
    for c in containers:
        st = {"name": c["name"], "image": c["image"], "ready": ready, "restartCount": restarts, "started": phase == "Running",
              "containerID": f"containerd://{uid(ns, name, c['name']).replace('-', '')}"}
        if waiting == "ContainerCreating":
            # The kubelet says no more while the sandbox is not made.
            st["state"] = {"waiting": {"reason": waiting}}
        elif waiting:
            st["state"] = {"waiting": {"reason": waiting, "message": f"back-off 5m0s restarting failed container={c['name']} pod={name}"}}
        elif phase == "Running":
            st["state"] = {"running": {"startedAt": ts(age)}}
        if last_restart:
            st["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ts(last_restart), "startedAt": ts(last_restart + timedelta(seconds=5))}}
        statuses.append(st)
    conds = [
        {"type": "Initialized", "status": "True"},
        {"type": "Ready", "status": "True" if ready else "False"},
        {"type": "ContainersReady", "status": "True" if ready else "False"},
        {"type": "PodScheduled", "status": "True"},
    ]
    m = meta("Pod", name, ns, labels=labels, age=age)
    if deleting:
        # Being deleted: kubectl shows `Terminating`.
        m["deletionTimestamp"] = ts(timedelta(minutes=-1))
        m["deletionGracePeriodSeconds"] = 30
    if owner:
        m["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owner[0], "name": owner[1], "uid": uid(owner[0], ns, owner[1]), "controller": True, "blockOwnerDeletion": True}]
    spec = {"containers": containers, "dnsPolicy": dns_policy, "nodeName": node, "restartPolicy": "Always", "schedulerName": "default-scheduler", "serviceAccountName": "default"}
    if host_network:
        spec["hostNetwork"] = True
    spec.update(spec_extra)
    return {
        "apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec,
        "status": {"phase": phase, "conditions": conds, "hostIP": NODE_IPS.get(node, "10.0.0.11"), "podIP": ip, "podIPs": [{"ip": ip}] if ip else [],
                   "containerStatuses": statuses, "qosClass": "BestEffort", "startTime": ts(age)},
    }


NODE_IPS = {"k8s-master": "10.0.0.10", "k8s-node1": "10.0.0.11", "k8s-node2": "10.0.0.12"}


def node(name, ip, roles=(), ready=True, age=timedelta(days=40)) -> dict:
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}
    for r in roles:
        labels[f"node-role.kubernetes.io/{r}"] = ""
    return {
        "apiVersion": "v1", "kind": "Node", "metadata": meta("Node", name, None, labels=labels, age=age),
        "spec": {"podCIDR": "10.244.0.0/24"},
        "status": {
            "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
            "conditions": [{"type": "Ready", "status": "True" if ready else "Unknown", "reason": "KubeletReady"}],
            "nodeInfo": {"kubeletVersion": "v1.31.4", "osImage": "Ubuntu 22.04.5 LTS", "kernelVersion": "5.15.0-126-generic", "containerRuntimeVersion": "containerd://1.7.24"},
        },
    }


def endpoints(name, ns, ready=(), not_ready=(), ports=((80, None),)) -> dict:
    subset = {}
    if ready:
        subset["addresses"] = [{"ip": ip, "nodeName": n, "targetRef": {"kind": "Pod", "name": p, "namespace": ns}} for ip, p, n in ready]
    if not_ready:
        subset["notReadyAddresses"] = [{"ip": ip, "nodeName": n, "targetRef": {"kind": "Pod", "name": p, "namespace": ns}} for ip, p, n in not_ready]
    subsets = []
    if subset:
        subset["ports"] = [{"port": p[0], "protocol": "TCP", **({"name": p[1]} if p[1] else {})} for p in ports]
        subsets.append(subset)
    o = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("Endpoints", name, ns, labels={"app": name})}
    if subsets:
        o["subsets"] = subsets
    return o


def endpointslice(service_name, ns, ready=(), not_ready=(), ports=((80, None),), terminating=(), published=()) -> dict:
    eps = []
    for ip, p, n in ready:
        eps.append({"addresses": [ip], "conditions": {"ready": True, "serving": True, "terminating": False}, "nodeName": n, "targetRef": {"kind": "Pod", "name": p, "namespace": ns}})
    for ip, p, n in not_ready:
        eps.append({"addresses": [ip], "conditions": {"ready": False, "serving": False, "terminating": False}, "nodeName": n, "targetRef": {"kind": "Pod", "name": p, "namespace": ns}})
    for ip, p, n in published:
        # publishNotReadyAddresses: ready for the proxies, not serving.
        eps.append({"addresses": [ip], "conditions": {"ready": True, "serving": False, "terminating": False}, "nodeName": n, "targetRef": {"kind": "Pod", "name": p, "namespace": ns}})
    for ip, p, n in terminating:
        eps.append({"addresses": [ip], "conditions": {"ready": False, "serving": True, "terminating": True}, "nodeName": n, "targetRef": {"kind": "Pod", "name": p, "namespace": ns}})
    name = f"{service_name}-{suffix('eps/' + ns + service_name, 5)}"
    return {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
        "metadata": meta("EndpointSlice", name, ns, labels={"endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io", "kubernetes.io/service-name": service_name},
                         generateName=f"{service_name}-"),
        "endpoints": eps or None,
        "ports": [{"name": p[1] or "", "port": p[0], "protocol": "TCP"} for p in ports],
    }


def configmap(name, ns, data) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("ConfigMap", name, ns), "data": data}


def network_policy(name, ns, pod_selector, ingress=None, egress=None, types=("Ingress",)) -> dict:
    spec = {"podSelector": {"matchLabels": pod_selector} if pod_selector else {}, "policyTypes": list(types)}
    if ingress is not None:
        spec["ingress"] = ingress
    if egress is not None:
        spec["egress"] = egress
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta("NetworkPolicy", name, ns), "spec": spec}


def gateway(name, ns, conditions, listeners=(), class_name="eg", address=None) -> dict:
    """A Gateway with its own conditions and its listeners' as the
    controller writes them: (type, status, reason, message) each; listeners
    are (name, protocol, port, conditions)."""
    def conds(items):
        return [{"type": t, "status": st, "reason": r, "message": msg, "lastTransitionTime": ts(timedelta(hours=3)), "observedGeneration": 1}
                for t, st, r, msg in items]
    spec_listeners = []
    status_listeners = []
    for lname, proto, port, lconds in listeners:
        entry = {"name": lname, "protocol": proto, "port": port, "allowedRoutes": {"namespaces": {"from": "All"}}}
        if proto == "HTTPS":
            entry["tls"] = {"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "group": "", "name": f"{name}-tls"}]}
        spec_listeners.append(entry)
        status_listeners.append({"name": lname, "attachedRoutes": 1, "supportedKinds": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute"}], "conditions": conds(lconds)})
    status = {"conditions": conds(conditions), "listeners": status_listeners}
    if address:
        status["addresses"] = [{"type": "IPAddress", "value": address}]
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": meta("Gateway", name, ns, age=timedelta(days=2)),
            "spec": {"gatewayClassName": class_name, "listeners": spec_listeners}, "status": status}


def admin_policy(name, spec, baseline=False) -> dict:
    kind = "BaselineAdminNetworkPolicy" if baseline else "AdminNetworkPolicy"
    return {"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": kind, "metadata": meta(kind, name, None, age=timedelta(days=12)), "spec": spec}


def namespace(name) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta("Namespace", name, None, labels={"kubernetes.io/metadata.name": name}, age=timedelta(days=40)), "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


def event(ns, kind, obj_name, reason, message, type_="Warning", count=1, ago=timedelta(minutes=2), component="kubelet", field_path=None) -> dict:
    name = f"{obj_name}.{suffix('ev/' + ns + obj_name + reason, 16)}"
    inv = {"kind": kind, "name": obj_name, "namespace": ns, "uid": uid(kind, ns, obj_name), "apiVersion": "v1"}
    if field_path:
        inv["fieldPath"] = field_path
    return {
        "apiVersion": "v1", "kind": "Event", "metadata": meta("Event", name, ns, age=ago),
        "involvedObject": inv, "reason": reason, "message": message, "type": type_, "count": count,
        "firstTimestamp": ts(ago + timedelta(minutes=count)), "lastTimestamp": ts(ago), "source": {"component": component},
    }


def ingress(name, ns, backends, class_name="nginx", host="shop.example.com", annotations=None) -> dict:
    """An Ingress with one rule: (path, service, port) backends; a port is a
    number or a port name."""
    paths = []
    for path, svc, port in backends:
        port_ref = {"number": port} if isinstance(port, int) else {"name": port}
        paths.append({"path": path, "pathType": "Prefix", "backend": {"service": {"name": svc, "port": port_ref}}})
    spec = {"rules": [{"host": host, "http": {"paths": paths}}]}
    if class_name:
        spec["ingressClassName"] = class_name
    m = meta("Ingress", name, ns)
    if annotations:
        m["annotations"] = annotations
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": m, "spec": spec,
            "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.40"}]} if class_name else {}}}


def ingress_class(name, controller, default=False) -> dict:
    m = meta("IngressClass", name, None)
    if default:
        m["annotations"] = {"ingressclass.kubernetes.io/is-default-class": "true"}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": m, "spec": {"controller": controller}}


def http_route(name, ns, backends, gateway=("eg", "infra"), conditions=(("Accepted", "True", "Accepted", "Route is accepted"), ("ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route"))) -> dict:
    """An HTTPRoute attached to `gateway` (name, namespace): (service,
    namespace or None, port) backends, and its parent's conditions."""
    refs = []
    for svc, svc_ns, port in backends:
        ref = {"group": "", "kind": "Service", "name": svc, "port": port, "weight": 1}
        if svc_ns:
            ref["namespace"] = svc_ns
        refs.append(ref)
    parent = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": gateway[0], "namespace": gateway[1]}
    conds = [{"type": t, "status": st, "reason": r, "message": msg, "lastTransitionTime": ts(timedelta(days=2)), "observedGeneration": 1}
             for t, st, r, msg in conditions]
    return {
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": meta("HTTPRoute", name, ns),
        "spec": {"parentRefs": [parent], "hostnames": ["shop.example.com"],
                 "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "backendRefs": refs}]},
        "status": {"parents": [{"parentRef": parent, "controllerName": "gateway.envoyproxy.io/gatewayclass-controller", "conditions": conds}]},
    }
