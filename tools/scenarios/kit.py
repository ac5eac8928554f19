"""The scenario kit: prompts, transcripts, a scenario's world started from
its cluster, and the registry the scenarios add themselves to.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field


import proxy
from cluster import Cluster
from world import World

# Prompt styles: (host prompt, pod shell prompt). `{host}` and `{pod}` are
# filled in; a pod prompt of None means commands in the pod are run with
# `kubectl exec POD -- CMD` from the host.
PROMPTS = {
    "centos": ("[root@{host} ~]# ", "/ # "),
    "ubuntu": ("root@{host}:~# ", "root@{pod}:/# "),
    "user": ("ubuntu@{host}:~$ ", "/ $ "),
    "dollar": ("$ ", "/ # "),
    "zsh": ("➜  ~ ", "/ # "),
    "starship": ("❯ ", "~ $ "),
    "bash": ("bash-5.2$ ", "sh-5.2# "),
    "fish": ("user@{host} ~> ", "/ # "),
    "powershell": ("PS C:\\Users\\dev> ", "/ # "),
    "time": ("[10:42:17] root@{host}:~# ", "{pod}:~# "),
    "context": ("(kubernetes-admin@kubernetes|default) $ ", "/ # "),
}


# How `kubectl get ... --show-labels` is run: as written, or (`yaml`) as
# `-o yaml`, for the variant of each scenario that shows labels the other
# way; `used` says whether the last scenario showed labels at all.
LABELS = {"as": "table", "used": False}


@dataclass
class Expect:
    verdict: str  # healthy, root-cause, need-evidence
    root_cause: str | None = None
    about: str | None = None  # the object the root cause is about, e.g. "default/web"
    next_step: str | None = None  # the step need-evidence asks about
    known_failure: str | None = None  # why svcdoctor is expected to miss it today


@dataclass
class Transcript:
    world: World
    cluster: Cluster
    style: str = "centos"
    host: str = "k8s-master"
    parts: list = field(default_factory=list)
    crlf: bool = False

    def _prompt(self) -> str:
        return PROMPTS[self.style][0].format(host=self.host, pod=self.cluster.client[0])

    def kubectl(self, args: str, shown: str | None = None):
        if "--show-labels" in args:
            LABELS["used"] = True
            if LABELS["as"] == "yaml":
                # The same objects, their labels shown as YAML instead.
                words = [w for w in args.split() if w not in ("--show-labels", "wide")]
                args = " ".join(w for w in words if w != "-o") + " -o yaml"
                shown = None
        out = self.world.kubectl(args)
        self.parts.append(f"{self._prompt()}{shown or 'kubectl ' + args}\n{out}")

    def node(self, command: str, shown: str | None = None):
        out = self.world.sh(self.world.node, command)
        self.parts.append(f"{self._prompt()}{shown or command}\n{out}")

    def pod(self, command: str):
        """`kubectl exec` of one command in the client pod."""
        name, ns, _ip, _node = self.cluster.client
        out = self.world.sh(self.world.pod, command)
        ns_arg = f" -n {ns}" if ns != "default" else ""
        self.parts.append(f"{self._prompt()}kubectl exec -it {name}{ns_arg} -- {command}\n{out}")

    def pod_shell(self, commands: list):
        """An interactive shell in the client pod, several commands."""
        name, ns, _ip, _node = self.cluster.client
        ns_arg = f" -n {ns}" if ns != "default" else ""
        text = f"{self._prompt()}kubectl exec -it {name}{ns_arg} -- sh\n"
        inner = PROMPTS[self.style][1].format(host=self.host, pod=name)
        for c in commands:
            text += f"{inner}{c}\n{self.world.sh(self.world.pod, c)}"
        text += f"{inner}exit\n"
        self.parts.append(text)

    def outside(self, command: str, prompt: str = "user@laptop:~$ "):
        """A command run outside the cluster (the upstream network)."""
        out = self.world.sh(self.world.up, command)
        self.parts.append(f"{prompt}{command}\n{out}")

    def shown(self, command: str, output: str):
        """An output written in its program's format (see the module doc)."""
        self.parts.append(f"{self._prompt()}{command}\n{output}")

    def text(self) -> str:
        t = "".join(p if p.endswith("\n") else p + "\n" for p in self.parts)
        return t.replace("\n", "\r\n") if self.crlf else t


def kube_proxy_log(mode: str = "iptables", extra: list | None = None) -> str:
    lines = [
        {"iptables": 'I1120 09:12:03.118406       1 server_linux.go:66] "Using iptables proxy"',
         "nftables": 'I1120 09:12:03.118406       1 server_linux.go:66] "Using nftables Proxier"'}.get(
            mode, 'I1120 09:12:03.118406       1 server_linux.go:66] "Using ipvs Proxier"'),
        'I1120 09:12:03.131274       1 server.go:677] "Successfully retrieved node IP(s)" IPs=["10.0.0.11"]',
        'I1120 09:12:03.135550       1 conntrack.go:60] "Setting nf_conntrack_max" nfConntrackMax=131072',
        'I1120 09:12:03.136061       1 config.go:199] "Starting service config controller"',
        'I1120 09:12:03.136080       1 shared_informer.go:313] Waiting for caches to sync for service config',
        'I1120 09:12:03.136101       1 config.go:105] "Starting endpoint slice config controller"',
        'I1120 09:12:03.236514       1 shared_informer.go:320] Caches are synced for service config',
        'I1120 09:12:03.236552       1 shared_informer.go:320] Caches are synced for endpoint slice config',
    ]
    return "\n".join(lines + (extra or [])) + "\n"


def build(c: Cluster):
    """The world of cluster `c`: API objects, network, DNS, servers, rules."""
    objs = c.all_objects()
    world = World("scn", objs, c.version)
    return world, objs


def start(world: World, c: Cluster, objs: list, mode: str = "iptables", pod_resolv: str | None = None):
    cname, cns, cip, _cnode = c.client
    pod_resolv = pod_resolv or (
        f"search {cns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    )
    local_ips = []
    serving = []
    for app in c.apps.values():
        for (pname, ip, node), state in zip(app.pods, app.states):
            # The client's own IP lives in its namespace, not on the node.
            if ip == cip:
                continue
            if state == "pending" or app.listens == "lost" and node != "k8s-node1" or app.listens == "lost-all":
                continue
            local_ips.append(ip)
            if state in ("ok", "notready", "sidecar-notready") and app.listens in ("serve", "lost"):
                serving.append((ip, app.port))
            if app.listens == "localhost" and ("127.0.0.1", app.port) not in serving:
                serving.append(("127.0.0.1", app.port))
    dns_ips = ["10.244.0.3", "10.244.0.4"]
    local_ips += dns_ips
    world.network(cip, "10.0.0.11", local_ips, pod_resolv, "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n")
    sps = c.service_ports(objs)
    if mode in ("iptables", "iptables-and-legacy"):
        rules = proxy.iptables(sps)
        for fix in c.rule_edits:
            rules = fix(rules)
        path = os.path.join(world.tmp, "rules")
        with open(path, "w") as f:
            f.write(rules)
        out = world.sh(world.node, f"iptables-restore < {path}")
        assert not out.strip(), out
        if mode == "iptables-and-legacy":
            # An old kube-proxy's rules left in the legacy backend too.
            out = world.sh(world.node, f"iptables-legacy-restore < {path}")
            assert not out.strip(), out
    elif mode == "nftables":
        path = os.path.join(world.tmp, "rules.nft")
        rules = proxy.nftables(sps)
        for fix in c.rule_edits:
            rules = fix(rules)
        with open(path, "w") as f:
            f.write(rules)
        out = world.sh(world.node, f"nft -f {path}")
        assert not out.strip(), out
    for command in c.node_setup:
        world.sh(world.node, command)
    for ip, port in serving:
        world.http_server(world.node, ip, port)
    if c.coredns_state == "ok":
        records = c.dns_records(objs)
        for ip in dns_ips:
            world.dns_server(world.node, ip, records, {"10.96.0.10": "kube-dns.kube-system.svc.cluster.local"})
    for ip, port in serving:
        world.wait_listening(world.node, ip, port)
    if c.coredns_state == "ok":
        for ip in dns_ips:
            world.wait_listening(world.node, ip, 53, udp=True)
    return sps


# --- the scenarios ----------------------------------------------------------------

SCENARIOS: dict = {}


def scenario(name: str, expect: Expect):
    def register(fn):
        SCENARIOS[name] = (fn, expect)
        return fn

    return register


def run(name: str, fn, expect: Expect, out_dir: str) -> dict:
    """Writes the scenario (and, when it lists labels, its variant with the
    labels shown as YAML, `NAME--labels-yaml`) and returns the expectations
    by name: the variant must reach the same diagnosis."""
    LABELS.update({"as": "table", "used": False})
    text = fn()
    with open(os.path.join(out_dir, f"{name}.txt"), "w", newline="") as f:
        f.write(text)
    entry = {"verdict": expect.verdict}
    for key in ("root_cause", "about", "next_step", "known_failure"):
        value = getattr(expect, key)
        if value is not None:
            entry[key] = value
    entries = {name: entry}
    if LABELS["used"]:
        LABELS["as"] = "yaml"
        try:
            variant = fn()
        finally:
            LABELS["as"] = "table"
        with open(os.path.join(out_dir, f"{name}--labels-yaml.txt"), "w", newline="") as f:
            f.write(variant)
        entries[f"{name}--labels-yaml"] = dict(entry)
    return entries


def session(c: Cluster, style: str = "centos", host: str = "k8s-master", mode: str = "iptables", crlf: bool = False, pod_resolv: str | None = None):
    """Context manager: the world of `c`, started, and a transcript."""

    class Session:
        def __enter__(self):
            self.world, objs = build(c)
            self.world.__enter__()
            self.sps = start(self.world, c, objs, mode, pod_resolv)
            self.t = Transcript(self.world, c, style, host, crlf=crlf)
            return self.t

        def __exit__(self, *exc):
            self.world.__exit__(*exc)

    return Session()


