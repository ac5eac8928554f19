"""kube-proxy's rules for a scenario's Services, written the way kube-proxy
writes them (pkg/proxy/iptables and pkg/proxy/nftables, v1.28 and later):
chain names from a hash of the service port's name, comments naming
`namespace/name[:port]`, one KUBE-SEP chain per endpoint chosen with
`-m statistic` probabilities, REJECT for a Service without endpoints. The
text is iptables-restore (or nft -f) input; the world loads it into a
network namespace so that the real iptables-save and nft print it back.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field


@dataclass
class ServicePort:
    namespace: str
    name: str
    port_name: str
    protocol: str
    cluster_ip: str
    port: int
    node_port: int | None = None
    # (ip, port, node) of each ready endpoint
    endpoints: list = field(default_factory=list)
    external_traffic_local: bool = False

    @property
    def display(self) -> str:
        base = f"{self.namespace}/{self.name}"
        return f"{base}:{self.port_name}" if self.port_name else base


# The node whose rules a scenario shows.
NODE = "k8s-node1"


def chain(prefix: str, sp: ServicePort, extra: str = "") -> str:
    digest = hashlib.sha256((sp.display + sp.protocol.lower() + extra).encode()).digest()
    return prefix + base64.b32encode(digest).decode()[:16]


def iptables(services: list, cluster_cidr: str = "10.244.0.0/16") -> str:
    """iptables-restore input for the filter and nat tables."""
    filt = [
        "*filter",
        ":KUBE-EXTERNAL-SERVICES - [0:0]",
        ":KUBE-FIREWALL - [0:0]",
        ":KUBE-FORWARD - [0:0]",
        ":KUBE-KUBELET-CANARY - [0:0]",
        ":KUBE-NODEPORTS - [0:0]",
        ":KUBE-PROXY-CANARY - [0:0]",
        ":KUBE-PROXY-FIREWALL - [0:0]",
        ":KUBE-SERVICES - [0:0]",
        '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
        '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
        '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES',
        "-A INPUT -j KUBE-FIREWALL",
        '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
        '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
        '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES',
        '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
        '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        "-A OUTPUT -j KUBE-FIREWALL",
        '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
        "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP",
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ]
    nat = [
        "*nat",
        ":KUBE-KUBELET-CANARY - [0:0]",
        ":KUBE-MARK-MASQ - [0:0]",
        ":KUBE-NODEPORTS - [0:0]",
        ":KUBE-POSTROUTING - [0:0]",
        ":KUBE-PROXY-CANARY - [0:0]",
        ":KUBE-SERVICES - [0:0]",
    ]
    body = [
        '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
        "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
        "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
        "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]
    chains = []
    last = []
    for sp in sorted(services, key=lambda s: (s.namespace, s.name, s.port_name)):
        proto = sp.protocol.lower()
        if not sp.endpoints:
            filt.append(
                f'-A KUBE-SERVICES -d {sp.cluster_ip}/32 -p {proto} -m comment --comment "{sp.display} has no endpoints" -m {proto} --dport {sp.port} -j REJECT --reject-with icmp-port-unreachable'
            )
            if sp.node_port:
                filt.append(
                    f'-A KUBE-EXTERNAL-SERVICES -m addrtype --dst-type LOCAL -p {proto} -m comment --comment "{sp.display} has no endpoints" -m {proto} --dport {sp.node_port} -j REJECT --reject-with icmp-port-unreachable'
                )
            continue
        svc = chain("KUBE-SVC-", sp)
        chains.append(svc)
        body.append(f'-A KUBE-SERVICES -d {sp.cluster_ip}/32 -p {proto} -m comment --comment "{sp.display} cluster IP" -m {proto} --dport {sp.port} -j {svc}')
        if sp.node_port:
            ext = chain("KUBE-EXT-", sp)
            chains.append(ext)
            body.append(f'-A KUBE-NODEPORTS -p {proto} -m comment --comment "{sp.display}" -m {proto} --dport {sp.node_port} -j {ext}')
            if sp.external_traffic_local:
                # externalTrafficPolicy: Local: outside traffic only to this
                # node's endpoints (KUBE-SVL), dropped when it has none.
                svl = chain("KUBE-SVL-", sp)
                chains.append(svl)
                body.append(f'-A {ext} -m comment --comment "masquerade LOCAL traffic for {sp.display} external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ')
                body.append(f'-A {ext} -m comment --comment "route LOCAL traffic for {sp.display} external destinations" -m addrtype --src-type LOCAL -j {svc}')
                body.append(f"-A {ext} -j {svl}")
                local = [e for e in sp.endpoints if e[2] == NODE]
                if not local:
                    filt.append(
                        f'-A KUBE-EXTERNAL-SERVICES -m comment --comment "{sp.display} has no local endpoints" -m addrtype --dst-type LOCAL -p {proto} -m {proto} --dport {sp.node_port} -j DROP'
                    )
                for ip, port, _node in local:
                    sep = chain("KUBE-SEP-", sp, f"{ip}:{port}")
                    body.append(f'-A {svl} -m comment --comment "{sp.display} -> {ip}:{port}" -j {sep}')
            else:
                body.append(f'-A {ext} -m comment --comment "masquerade traffic for {sp.display} external destinations" -j KUBE-MARK-MASQ')
                body.append(f"-A {ext} -j {svc}")
        body.append(f'-A {svc} ! -s {cluster_cidr} -d {sp.cluster_ip}/32 -p {proto} -m comment --comment "{sp.display} cluster IP" -m {proto} --dport {sp.port} -j KUBE-MARK-MASQ')
        n = len(sp.endpoints)
        for i, (ip, port, _node) in enumerate(sp.endpoints):
            sep = chain("KUBE-SEP-", sp, f"{ip}:{port}")
            chains.append(sep)
            prob = ""
            if i < n - 1:
                prob = f" -m statistic --mode random --probability {1.0 / (n - i):.11f}"
            body.append(f'-A {svc} -m comment --comment "{sp.display} -> {ip}:{port}"{prob} -j {sep}')
            last.append(f'-A {sep} -s {ip}/32 -m comment --comment "{sp.display}" -j KUBE-MARK-MASQ')
            last.append(f'-A {sep} -p {proto} -m comment --comment "{sp.display}" -m {proto} -j DNAT --to-destination {ip}:{port}')
    body.append('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS')
    nat += [f":{c} - [0:0]" for c in chains] + body + last + ["COMMIT"]
    filt.append("COMMIT")
    return "\n".join(filt + nat) + "\n"


def nftables(services: list, cluster_cidr: str = "10.244.0.0/16", service_cidr: str = "10.96.0.0/12", node_ips: tuple = ("10.0.0.11",)) -> str:
    """nft -f input for kube-proxy's `ip kube-proxy` table (nftables mode,
    v1.31 and later): the sets of cluster IPs and node-port addresses, the
    verdict maps, the pre-DNAT check that rejects a cluster IP's undefined
    ports and drops unallocated cluster IPs, and per Service port its
    service, external (node ports) and endpoint chains."""
    out = [
        "add table ip kube-proxy { comment \"rules for kube-proxy\" ; }",
        "add set ip kube-proxy cluster-ips { type ipv4_addr ; comment \"Active ClusterIPs\" ; }",
        "add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment \"IPs that accept NodePort traffic\" ; }",
        "add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to service nodeports with no endpoints\" ; }",
        "add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to services with no endpoints\" ; }",
        "add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ; }",
        "add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment \"NodePort traffic\" ; }",
        "add chain ip kube-proxy cluster-ips-check",
        "add chain ip kube-proxy filter-forward { type filter hook forward priority 0 ; }",
        "add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }",
        "add chain ip kube-proxy filter-output { type filter hook output priority 0 ; }",
        "add chain ip kube-proxy mark-for-masquerade",
        "add chain ip kube-proxy masquerading",
        "add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }",
        "add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }",
        "add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }",
        "add chain ip kube-proxy nodeport-endpoints-check",
        "add chain ip kube-proxy reject-chain { comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\" ; }",
        "add chain ip kube-proxy services",
        "add chain ip kube-proxy service-endpoints-check",
        "add rule ip kube-proxy cluster-ips-check ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\"",
        f"add rule ip kube-proxy cluster-ips-check ip daddr {{ {service_cidr} }} drop comment \"Drop traffic to unallocated ClusterIPs\"",
        "add rule ip kube-proxy filter-forward ct state new jump service-endpoints-check",
        "add rule ip kube-proxy filter-forward ct state new jump cluster-ips-check",
        "add rule ip kube-proxy filter-input ct state new jump nodeport-endpoints-check",
        "add rule ip kube-proxy filter-input ct state new jump service-endpoints-check",
        "add rule ip kube-proxy filter-output ct state new jump service-endpoints-check",
        "add rule ip kube-proxy filter-output ct state new jump cluster-ips-check",
        "add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000",
        "add rule ip kube-proxy masquerading mark and 0x4000 == 0 return",
        "add rule ip kube-proxy masquerading mark set mark xor 0x4000",
        "add rule ip kube-proxy masquerading masquerade fully-random",
        "add rule ip kube-proxy nat-output jump services",
        "add rule ip kube-proxy nat-postrouting jump masquerading",
        "add rule ip kube-proxy nat-prerouting jump services",
        "add rule ip kube-proxy nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports",
        "add rule ip kube-proxy reject-chain reject",
        "add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips",
        "add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports",
        "add rule ip kube-proxy service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services",
    ]
    for ip in node_ips:
        out.append(f"add element ip kube-proxy nodeport-ips {{ {ip} }}")
    for sp in sorted(services, key=lambda s: (s.namespace, s.name, s.port_name)):
        proto = sp.protocol.lower()
        base = f"{sp.namespace}/{sp.name}/{proto}/{sp.port_name}"
        h = base64.b32encode(hashlib.sha256(base.encode()).digest()).decode()[:8]
        svc = f"service-{h}-{base}"
        ext = f"external-{h}-{base}"
        out.append(f"add element ip kube-proxy cluster-ips {{ {sp.cluster_ip} }}")
        if not sp.endpoints:
            out.append(f'add element ip kube-proxy no-endpoint-services {{ {sp.cluster_ip} . {proto} . {sp.port} comment "{sp.display}" : goto reject-chain }}')
            if sp.node_port:
                out.append(f'add element ip kube-proxy no-endpoint-nodeports {{ {proto} . {sp.node_port} comment "{sp.display}" : goto reject-chain }}')
            continue
        out.append(f"add chain ip kube-proxy {svc}")
        out.append(f"add rule ip kube-proxy {svc} ip daddr {sp.cluster_ip} ip saddr != {cluster_cidr} jump mark-for-masquerade")
        eps = []
        for ip, port, _node in sp.endpoints:
            eh = base64.b32encode(hashlib.sha256(f"{base}{ip}:{port}".encode()).digest()).decode()[:8]
            ep = f"endpoint-{eh}-{base}__{ip}/{port}"
            eps.append(ep)
            out.append(f"add chain ip kube-proxy {ep}")
            out.append(f"add rule ip kube-proxy {ep} ip saddr {ip} jump mark-for-masquerade")
            out.append(f"add rule ip kube-proxy {ep} meta l4proto {proto} dnat to {ip}:{port}")
        vmap = " , ".join(f"{i} : goto {e}" for i, e in enumerate(eps))
        out.append(f"add rule ip kube-proxy {svc} numgen random mod {len(eps)} vmap {{ {vmap} }}")
        out.append(f'add element ip kube-proxy service-ips {{ {sp.cluster_ip} . {proto} . {sp.port} : goto {svc} }}')
        if sp.node_port:
            out.append(f"add chain ip kube-proxy {ext}")
            out.append(f"add rule ip kube-proxy {ext} jump mark-for-masquerade")
            out.append(f"add rule ip kube-proxy {ext} goto {svc}")
            out.append(f"add element ip kube-proxy service-nodeports {{ {proto} . {sp.node_port} : goto {ext} }}")
    return "\n".join(out) + "\n"


def ipvsadm(services: list, node_ip: str, weight: int = 1) -> str:
    """`ipvsadm -ln` as it prints kube-proxy's IPVS mode (the kernel here
    has no IPVS, so the table is written in ipvsadm's own format: its
    `%s  %s %s` virtual server lines and `  -> %-28s %-7s %-6d %-10u %-10u`
    real server lines, trailing spaces included)."""
    lines = [
        "IP Virtual Server version 1.2.1 (size=4096)",
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
    ]
    for sp in sorted(services, key=lambda s: (s.protocol, s.cluster_ip, s.port)):
        addrs = [(sp.cluster_ip, sp.port)]
        if sp.node_port:
            addrs.append((node_ip, sp.node_port))
        for ip, port in addrs:
            lines.append(f"{sp.protocol.upper()}  {ip}:{port} rr")
            for eip, eport, _node in sp.endpoints:
                lines.append(f"  -> {eip + ':' + str(eport):<28} Masq    {weight:<6} {0:<10} {0:<10}")
    return "\n".join(lines) + "\n"
