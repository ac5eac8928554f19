"""A scenario's little world: the fake API server for kubectl, and network
namespaces where a pod's and a node's commands run for real.

In the pod's namespace the addresses of the cluster exist on the loopback
device: the CoreDNS pod runs dnsmasq with the scenario's records, each
serving pod runs a small HTTP server on its IP and port, and kube-proxy's
rules (iptables-restore input written the way kube-proxy writes it, or an
nftables table) send Service IPs to them. So nslookup, dig, curl, nc and ss
answer as they would in the pod, and iptables-save and nft print the rules
that made them answer. Everything is removed when the world closes.

Needs root (ip netns), and Debian's kubectl-compatible tools: dnsmasq,
bind9-dnsutils, busybox, curl, netcat-openbsd, iptables, nftables, iproute2.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
import time

from fakeapi import FakeApi
from objects import NOW

HTTP_SERVER = r"""
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    server_version = "nginx/1.27.3"
    protocol_version = "HTTP/1.1"
    def version_string(self): return self.server_version
    def do_GET(self):
        body = b"<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_HEAD = do_GET
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    allow_reuse_address = True
S((sys.argv[1], int(sys.argv[2])), H).serve_forever()
"""


class World:
    def __init__(self, name: str, objects: list, version: str = "v1.31.4"):
        self.name = name
        self.ns_pod = f"svd-{name[:8]}-{os.getpid() % 10000}"
        self.procs: list = []
        self.tmp = tempfile.mkdtemp(prefix="svcdoctor-scn-")
        self.api = FakeApi(objects, NOW, version)
        self.kubeconfig = os.path.join(self.tmp, "kubeconfig")
        self.namespaces: list = []

    # --- lifecycle --------------------------------------------------------
    def __enter__(self):
        url = self.api.start()
        with open(self.kubeconfig, "w") as f:
            f.write(
                "apiVersion: v1\nkind: Config\n"
                f"clusters:\n- name: kubernetes\n  cluster:\n    server: {url}\n"
                "contexts:\n- name: kubernetes-admin@kubernetes\n  context:\n    cluster: kubernetes\n    user: kubernetes-admin\n    namespace: default\n"
                "current-context: kubernetes-admin@kubernetes\n"
                "users:\n- name: kubernetes-admin\n  user:\n    token: scenario\n"
            )
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for ns in self.namespaces:
            subprocess.run(["ip", "netns", "del", ns], check=False)
            subprocess.run(["rm", "-rf", f"/etc/netns/{ns}"], check=False)
        self.api.stop()
        subprocess.run(["rm", "-rf", self.tmp], check=False)

    # --- network namespaces -----------------------------------------------
    def netns(self, suffix: str, addresses: list, resolv: str) -> str:
        ns = f"{self.ns_pod}-{suffix}"
        subprocess.run(["ip", "netns", "add", ns], check=True)
        self.namespaces.append(ns)
        self.sh(ns, "ip link set lo up")
        for a in sorted(set(addresses)):
            self.sh(ns, f"ip addr add {a}/32 dev lo")
        os.makedirs(f"/etc/netns/{ns}", exist_ok=True)
        with open(f"/etc/netns/{ns}/resolv.conf", "w") as f:
            f.write(resolv)
        return ns

    def network(self, client_ip: str, node_ip: str, local_ips: list, pod_resolv: str, node_resolv: str):
        """Three namespaces joined by veth pairs, as on a node: the client
        pod (`pod`, its eth0 with `client_ip`), the node (`node`: `node_ip`,
        the serving pods' and CoreDNS's addresses on its loopback, kube-proxy's
        rules, forwarding on) and an upstream router (`up`), the node's
        default route, so that traffic to Service IPs is forwarded through
        the node's filter FORWARD chain as on a real node."""
        self.pod = self.netns("pod", [], pod_resolv)
        self.node = self.netns("node", [node_ip, *local_ips], node_resolv)
        self.up = self.netns("up", [], "nameserver 127.0.0.1\n")
        subprocess.run(["ip", "link", "add", "eth0", "netns", self.pod, "type", "veth", "peer", "name", "cali1", "netns", self.node], check=True)
        subprocess.run(["ip", "link", "add", "ens3", "netns", self.node, "type", "veth", "peer", "name", "gw0", "netns", self.up], check=True)
        self.sh(self.pod, f"ip addr add {client_ip}/32 dev eth0 && ip link set eth0 up && ip route add 169.254.1.1 dev eth0 && ip route add default via 169.254.1.1 dev eth0")
        self.sh(self.node, f"ip link set cali1 up && ip route add {client_ip}/32 dev cali1 && sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.cali1.proxy_arp=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.cali1.rp_filter=0")
        self.sh(self.node, "ip addr add 192.0.2.2/30 dev ens3 && ip link set ens3 up && ip route add default via 192.0.2.1 dev ens3")
        self.sh(self.up, "ip addr add 192.0.2.1/30 dev gw0 && ip link set gw0 up && sysctl -qw net.ipv4.ip_forward=0")
        # The internet's resolvers, which know no cluster names.
        # The internet's resolvers and the cloud network's (10.0.0.2), which
        # know no cluster names.
        self.sh(self.up, "ip link set lo up && ip addr add 8.8.8.8/32 dev lo && ip addr add 10.0.0.2/32 dev lo && ip route add 10.244.0.0/16 via 192.0.2.2 && ip route add 10.0.0.0/28 via 192.0.2.2 && ip route add 10.0.0.16/28 via 192.0.2.2 && ip route add 203.0.113.0/24 via 192.0.2.2")
        self.spawn(self.up, ["dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=8.8.8.8", "--listen-address=10.0.0.2", "--port=53", "--address=/#/", "--log-facility=/dev/null", f"--pid-file={self.tmp}/dnsmasq-up.pid"])
        self.wait_listening(self.up, "8.8.8.8", 53, udp=True)

    def sh(self, ns: str, command: str, timeout: float = 20) -> str:
        """Runs `command` in namespace `ns` (with its resolv.conf), stdout
        and stderr together as a terminal shows them."""
        r = subprocess.run(
            ["ip", "netns", "exec", ns, "bash", "-c", command],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": os.environ.get("SCN_LANG", "C.UTF-8"), "HOME": self.tmp},
        )
        return r.stdout.decode("utf-8", "replace")

    def spawn(self, ns: str, argv: list):
        p = subprocess.Popen(["ip", "netns", "exec", ns, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(p)
        return p

    def http_server(self, ns: str, ip: str, port: int):
        self.spawn(ns, ["python3", "-c", HTTP_SERVER, ip, str(port)])

    def dns_server(self, ns: str, ip: str, records: dict, ptr: dict, domain: str = "cluster.local"):
        """dnsmasq as CoreDNS answers: the records, NXDOMAIN for every other
        name (CoreDNS forwards those upstream, where they do not exist)."""
        argv = [
            "dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts", "--bind-interfaces",
            f"--listen-address={ip}", "--port=53", f"--local=/{domain}/", "--address=/#/", "--log-facility=/dev/null",
            f"--pid-file={self.tmp}/dnsmasq-{ip}.pid",
        ]
        for name, ips in sorted(records.items()):
            for a in ips:
                argv.append(f"--host-record={name},{a}")
        for ip_, name in sorted(ptr.items()):
            rev = ".".join(reversed(ip_.split("."))) + ".in-addr.arpa"
            argv.append(f"--ptr-record={rev},{name}")
        self.spawn(ns, argv)

    def wait_listening(self, ns: str, ip: str, port: int, udp: bool = False):
        flag = "-lnu" if udp else "-lnt"
        for _ in range(100):
            if f"{ip}:{port}" in self.sh(ns, f"ss {flag}"):
                return
            time.sleep(0.05)
        raise RuntimeError(f"nothing listens on {ip}:{port} in {ns}")

    def kubectl(self, args: str) -> str:
        r = subprocess.run(
            ["kubectl", *shlex.split(args)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env={"PATH": os.environ["PATH"], "KUBECONFIG": self.kubeconfig, "HOME": self.tmp, "LANG": "C.UTF-8"},
            timeout=30,
        )
        return r.stdout.decode()
