//! Deciding what an output is: from the command line that produced it when
//! one was pasted, else from its content.

use crate::read::artifact::ArtifactKind;
use crate::read::command::Command;

/// The kind of an output, from its command (if any) and its lines.
pub fn detect(command: Option<&Command>, body: &[&str]) -> ArtifactKind {
    if let Some(kind) = command.and_then(|c| by_command(c, body)) {
        return kind;
    }
    by_content(body)
}

fn first_line<'a>(body: &[&'a str]) -> &'a str {
    body.iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

fn by_command(command: &Command, body: &[&str]) -> Option<ArtifactKind> {
    let first = first_line(body);
    if let Some(k) = command.kubectl() {
        if first.starts_with("Error from server")
            || first.starts_with("error:")
            || first.starts_with("No resources found")
        {
            return Some(ArtifactKind::KubectlError);
        }
        return match k.verb.as_str() {
            "get" if k.prints_objects() => Some(ArtifactKind::K8sObjects),
            "get" if k.output.as_deref().is_none_or(|o| o == "wide") => {
                Some(ArtifactKind::KubectlTable)
            }
            "describe" => Some(ArtifactKind::KubectlDescribe),
            // `kubectl events` (kubectl 1.26+): a table, or the EventList.
            "events" if k.output.as_deref().is_none_or(|o| o == "wide") => {
                Some(ArtifactKind::KubectlTable)
            }
            "events" => Some(ArtifactKind::K8sObjects),
            "logs" => {
                let names = k.names.join(" ") + " " + k.selector.as_deref().unwrap_or("");
                if names.contains("coredns") || names.contains("kube-dns") {
                    Some(ArtifactKind::CorednsLogs)
                } else if names.contains("kube-proxy") {
                    Some(ArtifactKind::KubeProxyLogs)
                } else {
                    None
                }
            }
            "exec" | "run" | "debug" if !k.inner.is_empty() => {
                let inner = Command::from_words(&k.inner)?;
                by_command(&inner, body)
            }
            _ => None,
        };
    }
    let args = command.args.join(" ");
    Some(match command.program.as_str() {
        "nslookup" | "host" => ArtifactKind::Nslookup,
        "dig" => ArtifactKind::Dig,
        "curl" | "wget" | "nc" | "ncat" | "telnet" => ArtifactKind::HttpProbe,
        "cat" if args.contains("resolv.conf") => ArtifactKind::Resolv,
        "ps" => ArtifactKind::ProcessList,
        "ss" | "netstat" => ArtifactKind::Sockets,
        "journalctl" if args.contains("kube-proxy") => ArtifactKind::KubeProxyLogs,
        "journalctl" if args.contains("coredns") => ArtifactKind::CorednsLogs,
        "journalctl" | "systemctl" if args.contains("kubelet") => ArtifactKind::Kubelet,
        "cat" if args.contains("kubelet") => ArtifactKind::Kubelet,
        "iptables-save"
        | "iptables-legacy-save"
        | "iptables-nft-save"
        | "ip6tables-save"
        | "iptables" => ArtifactKind::Iptables,
        "ipvsadm" => ArtifactKind::Ipvs,
        "nft" => ArtifactKind::Nftables,
        "sysctl" | "lsmod" => ArtifactKind::NodeSettings,
        "cilium" | "cilium-dbg" | "hubble" => ArtifactKind::Cilium,
        "conntrack" => ArtifactKind::Conntrack,
        "cat" | "grep" if args.contains("/proc/sys/") || args.contains("hairpin_mode") => {
            ArtifactKind::NodeSettings
        }
        _ => return None,
    })
}

/// A klog header: `I1027 22:14:53.998163    5063 server.go:247] `.
fn is_klog(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 22
        && matches!(b[0], b'I' | b'W' | b'E' | b'F')
        && b[1..5].iter().all(u8::is_ascii_digit)
        && b[5] == b' '
        && line.contains("] ")
}

/// How a resolver line of BIND's nslookup and dig (and BusyBox's nslookup)
/// says that a lookup got no answer: `;; connection timed out; no servers
/// could be reached` (BIND 9.8 to 9.16, BusyBox), or BIND 9.18's
/// `;; communications error to IP#53: timed out` (or `connection refused`)
/// per try, then `;; no servers could be reached`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResolverFailure {
    /// A try that got no answer in time.
    TimedOut,
    /// A try that the server's host refused (nothing listens on port 53).
    Refused,
    /// The closing line: every try failed, in one of the ways above (BIND
    /// 9.8's and BusyBox's `connection timed out; no servers could be
    /// reached` is this line alone, after a timeout or a refused write).
    NoServers,
}

/// The failure a resolver line reports, if it is one.
pub fn resolver_failure(line: &str) -> Option<ResolverFailure> {
    let line = line.trim();
    if !line.starts_with(";;") {
        return None;
    }
    if line.contains("no servers could be reached") {
        Some(ResolverFailure::NoServers)
    } else if line.contains("timed out") {
        Some(ResolverFailure::TimedOut)
    } else if line.contains("communications error") && line.contains("refused") {
        Some(ResolverFailure::Refused)
    } else {
        None
    }
}

/// nslookup output, also when the person who pasted it cut its first lines:
/// the `Server:` block, or (without it) the server's `Address` line followed
/// by an answer, an answer alone (`Name:` then `Address`), an error line of
/// nslookup's own, or only resolver failure lines (which dig +short prints
/// the same way; a failed lookup either way).
fn looks_like_nslookup(body: &[&str]) -> bool {
    let mut lines = body.iter().map(|l| l.trim()).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    let second = lines.next().unwrap_or("");
    let is_address = |l: &str| {
        l.strip_prefix("Address")
            .map(str::trim_start)
            .is_some_and(|rest| {
                rest.starts_with(':') || rest.starts_with(|c: char| c.is_ascii_digit())
            })
    };
    let is_error = |l: &str| {
        l.starts_with("nslookup: ")
            || l.starts_with("** server can't find ")
            || l.starts_with("*** Can't find ")
    };
    if first.starts_with("Server:")
        || is_error(first)
        || first.starts_with("Non-authoritative answer")
    {
        return true;
    }
    let names = || body.iter().map(|l| l.trim());
    let any_namespace = names().any(|l| l.starts_with("Namespace:"));
    if is_address(first) && !any_namespace {
        return names().any(|l| l.starts_with("Name:") || is_error(l));
    }
    if first.starts_with("Name:") && is_address(second) && !any_namespace {
        return true;
    }
    let failure = |l: &str| resolver_failure(l).is_some();
    failure(first) && names().filter(|l| !l.is_empty()).all(failure)
}

/// `ps -ef` or BusyBox `ps` output, with or without its header: every line
/// `UID PID PPID C STIME TTY TIME CMD...` with numbers and a `[D-]HH:MM:SS`
/// time where ps prints them.
fn looks_like_ps(body: &[&str]) -> bool {
    let header = |l: &str| {
        let w: Vec<&str> = l.split_whitespace().collect();
        w.contains(&"PID") && w.iter().any(|x| matches!(*x, "CMD" | "COMMAND"))
    };
    let clock = |w: &str| {
        let w = w.rsplit('-').next().unwrap_or(w);
        let parts: Vec<&str> = w.split(':').collect();
        parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let number = |w: Option<&&str>| {
        w.is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()) && !w.is_empty())
    };
    let row = |l: &str| {
        let w: Vec<&str> = l.split_whitespace().collect();
        w.len() >= 8 && number(w.get(1)) && number(w.get(2)) && w.get(6).is_some_and(|t| clock(t))
    };
    let mut lines = body
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .peekable();
    if lines.peek().is_some_and(|l| header(l)) {
        lines.next();
        return true;
    }
    let mut any = false;
    for l in lines {
        if !row(l) {
            return false;
        }
        any = true;
    }
    any
}

/// kube-proxy or CoreDNS logs, from their lines.
fn logs(body: &[&str]) -> Option<ArtifactKind> {
    let lines: Vec<&str> = body
        .iter()
        .map(|l| crate::parse::logs::strip_log_prefix(l.trim()))
        .filter(|l| !l.is_empty())
        .collect();
    let text = lines.join("\n").to_ascii_lowercase();
    let coredns = text.contains("coredns-")
        || text.contains("[info] plugin/")
        || text.contains("plugin/loop")
        || text.contains("[error] plugin/")
        || text.contains("coredns/plugin/kubernetes")
        // CoreDNS lists Namespaces; kube-proxy never does.
        || (text.contains("reflector.go") && text.contains("*v1.namespace"));
    let proxy = text.contains("proxier")
        || text.contains("kube-proxy")
        || text.contains("iptables proxy")
        || text.contains("service config")
        || text.contains("endpoint slice config")
        || text.contains("node ip")
        // client-go's reflector failing to list what kube-proxy watches.
        || (text.contains("reflector.go")
            && ["*v1.service", "*v1.endpoints", "*v1.endpointslice", "*v1.node"]
                .iter()
                .any(|w| text.contains(w))
            && !text.contains("plugin/kubernetes"));
    let klog = lines.iter().filter(|l| is_klog(l)).count();
    if coredns
        && (klog * 2 >= lines.len()
            || lines
                .iter()
                .any(|l| l.starts_with('[') || l.starts_with(".:")))
    {
        return Some(ArtifactKind::CorednsLogs);
    }
    if proxy && (klog * 2 >= lines.len() || lines.iter().all(|l| l.contains("roxier"))) {
        return Some(ArtifactKind::KubeProxyLogs);
    }
    None
}

/// The kind of some lines from their content alone.
pub fn by_content(body: &[&str]) -> ArtifactKind {
    let first = first_line(body);
    let has = |pred: &dyn Fn(&str) -> bool| body.iter().any(|l| pred(l));
    if first.starts_with("Error from server")
        || first.starts_with("error: ")
        || first.starts_with("No resources found")
    {
        return ArtifactKind::KubectlError;
    }
    let json_array = first == "["
        || ["[{", "[ ", "[\"", "[]", "[\t"]
            .iter()
            .any(|p| first.starts_with(p));
    if first.starts_with('{') || json_array {
        return ArtifactKind::K8sObjects;
    }
    if has(&|l| {
        l.starts_with("apiVersion:")
            || l.starts_with("kind:")
            || l.trim_start().starts_with("- apiVersion:")
    }) {
        return ArtifactKind::K8sObjects;
    }
    if first.starts_with("*nat")
        || first.starts_with("*filter")
        || first.starts_with("# Generated by iptables")
        || first.starts_with("# Warning: iptables-legacy tables present")
        || has(&|l| matches!(l.trim(), "*nat" | "*filter" | "*mangle" | "*raw"))
        // `iptables -L -n`: `Chain KUBE-SERVICES (2 references)`.
        || has(&|l| {
            l.strip_prefix("Chain ")
                .is_some_and(|r| r.contains(" (policy ") || r.ends_with(" references)"))
        })
        || has(&|l| l.starts_with("-A KUBE-") || l.starts_with(":KUBE-"))
    {
        return ArtifactKind::Iptables;
    }
    if first.starts_with("IP Virtual Server") || first.starts_with("Prot LocalAddress") {
        return ArtifactKind::Ipvs;
    }
    if has(&|l| {
        let l = l.trim_start();
        l.starts_with("table ip kube-proxy")
            || l.starts_with("table ip6 kube-proxy")
            || l.starts_with("table inet ")
            // `nft list ruleset` of any host, iptables-nft's tables included.
            || (["table ip ", "table ip6 ", "table bridge ", "table arp "]
                .iter()
                .any(|t| l.starts_with(t))
                && l.ends_with('{'))
            || (["add ", "delete ", "flush ", "destroy "]
                .iter()
                .any(|v| l.starts_with(v))
                && [" ip kube-proxy", " ip6 kube-proxy", " inet kube-proxy"]
                    .iter()
                    .any(|t| l.contains(t)))
    }) {
        return ArtifactKind::Nftables;
    }
    // BIND 9.18 prints its `communications error` lines before the header.
    if has(&|l| l.trim_start().starts_with("; <<>> DiG") || l.starts_with(";; ->>HEADER<<-")) {
        return ArtifactKind::Dig;
    }
    if let Some(kind) = logs(body) {
        return kind;
    }
    // Cilium's service map and status, Hubble's flows.
    if has(&|l| crate::parse::cilium::is_cilium_line(l)) {
        return ArtifactKind::Cilium;
    }
    // conntrack's entries.
    if has(&|l| crate::parse::conntrack::is_entry(l)) {
        return ArtifactKind::Conntrack;
    }
    // sysctl's `key = value` lines (`sysctl -a | grep ...`, `sysctl KEY`),
    // or its complaint about a key the kernel lacks.
    if has(&|l| l.starts_with("sysctl: cannot stat /proc/sys/"))
        || body
            .iter()
            .filter(|l| !l.trim().is_empty())
            .all(|l| crate::parse::node::setting(l).is_some())
            && body.iter().any(|l| !l.trim().is_empty())
    {
        return ArtifactKind::NodeSettings;
    }
    // kubelet's flags (a systemd drop-in) or its DNS warnings.
    if has(&|l| {
        l.contains("--cluster-dns")
            || l.contains("Nameserver limits were exceeded")
            || l.contains("Search Line limits were exceeded")
    }) {
        return ArtifactKind::Kubelet;
    }
    if looks_like_nslookup(body) {
        return ArtifactKind::Nslookup;
    }
    if has(&|l| l.starts_with("nameserver ")) {
        return ArtifactKind::Resolv;
    }
    if first.starts_with("HTTP/") || first.starts_with("curl: ") || first.starts_with("* ") {
        return ArtifactKind::HttpProbe;
    }
    // ss and netstat without their command lines.
    if first.starts_with("Active Internet connections")
        || (first.starts_with("Proto Recv-Q Send-Q") && first.contains("Local Address"))
        || ((first.starts_with("State") || first.starts_with("Netid"))
            && first.contains("Recv-Q")
            && first.contains("Local Address"))
    {
        return ArtifactKind::Sockets;
    }
    // `host`: `web.default.svc.cluster.local has address 10.96.0.20`,
    // `Host web not found: 3(NXDOMAIN)`.
    if first.contains(" has address ")
        || first.contains(" has IPv6 address ")
        || first.contains(" is an alias for ")
        || (first.starts_with("Host ") && first.contains(" not found: "))
    {
        return ArtifactKind::Nslookup;
    }
    if looks_like_ps(body) {
        return ArtifactKind::ProcessList;
    }
    if first.starts_with("NAME ")
        || first.starts_with("NAMESPACE ")
        || first.starts_with("NAME\t")
        || first.starts_with("NAMESPACE\t")
    {
        return ArtifactKind::KubectlTable;
    }
    // Old kubectl and OpenShift print no Namespace: line; a Service's
    // Selector:, IP: and Endpoints: lines are as telling.
    let service_fields = ["Selector:", "IP:", "Endpoints:"]
        .iter()
        .all(|key| has(&|l| l.starts_with(key)));
    if first.starts_with("Name:") && (has(&|l| l.starts_with("Namespace:")) || service_fields) {
        return ArtifactKind::KubectlDescribe;
    }
    if has(&|l| {
        matches!(
            l.split_whitespace().next(),
            Some("spec:" | "metadata:" | "selector:")
        )
    }) {
        return ArtifactKind::K8sObjects;
    }
    ArtifactKind::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(cmd: &str, body: &str) -> ArtifactKind {
        let lines: Vec<&str> = body.lines().collect();
        detect(Command::parse(cmd).as_ref(), &lines)
    }

    #[test]
    fn by_command_line() {
        assert_eq!(
            d("kubectl get svc web -o yaml", "...\nspec:"),
            ArtifactKind::K8sObjects
        );
        assert_eq!(
            d("kubectl get pods -o wide", "NAME READY"),
            ArtifactKind::KubectlTable
        );
        assert_eq!(
            d(
                "kubectl get svc x",
                "Error from server (NotFound): services \"x\" not found"
            ),
            ArtifactKind::KubectlError
        );
        assert_eq!(
            d(
                "kubectl exec -it p -- cat /etc/resolv.conf",
                "nameserver 1.1.1.1"
            ),
            ArtifactKind::Resolv
        );
        assert_eq!(
            d("iptables-save | grep web", "-A KUBE-SVC"),
            ArtifactKind::Iptables
        );
        assert_eq!(d("ipvsadm -ln", "Prot"), ArtifactKind::Ipvs);
    }

    #[test]
    fn by_content_alone() {
        assert_eq!(
            d("", "apiVersion: v1\nkind: Service"),
            ArtifactKind::K8sObjects
        );
        assert_eq!(d("", "  {\"kind\": \"Service\"}"), ArtifactKind::K8sObjects);
        assert_eq!(
            d("", "nameserver 10.96.0.10\nsearch a"),
            ArtifactKind::Resolv
        );
        assert_eq!(d("", "hello world"), ArtifactKind::Unknown);
    }

    #[test]
    fn nslookup_whose_first_lines_were_cut() {
        // BusyBox 1.28 without its `Server:` line.
        assert_eq!(
            d(
                "",
                "Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: 10.0.1.175 web.default.svc.cluster.local"
            ),
            ArtifactKind::Nslookup
        );
        // An answer alone, BIND style.
        assert_eq!(
            d(
                "",
                "Name:\tweb.default.svc.cluster.local\nAddress: 10.0.1.175"
            ),
            ArtifactKind::Nslookup
        );
        assert_eq!(
            d("", "** server can't find web: NXDOMAIN"),
            ArtifactKind::Nslookup
        );
        // A lone resolver timeout, and BIND 9.18's form of it.
        assert_eq!(
            d("", ";; connection timed out; no servers could be reached"),
            ArtifactKind::Nslookup
        );
        assert_eq!(
            d(
                "",
                ";; communications error to 10.96.0.10#53: timed out\n;; communications error to 10.96.0.10#53: timed out\n;; no servers could be reached"
            ),
            ArtifactKind::Nslookup
        );
        // kubectl describe has Name: and Namespace:, never nslookup.
        assert_eq!(
            d(
                "",
                "Name:              web\nNamespace:         default\nAddress: x"
            ),
            ArtifactKind::KubectlDescribe
        );
        // `ps -ef | grep kube-proxy` pasted without its command line.
        assert_eq!(
            d(
                "",
                "root      5842  2246  0 04:56 pts/1    00:00:00 grep --color=auto kube-proxy"
            ),
            ArtifactKind::ProcessList
        );
        assert_eq!(
            d(
                "",
                "UID PID PPID C STIME TTY TIME CMD\nroot 1 0 0 Mar12 ? 00:00:09 /sbin/init"
            ),
            ArtifactKind::ProcessList
        );
        assert_eq!(
            d("", "# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n*nat\n:PREROUTING ACCEPT [0:0]"),
            ArtifactKind::Iptables
        );
        // A timeout line inside other text does not make it nslookup.
        assert_eq!(
            d(
                "",
                ";; connection timed out; no servers could be reached\nhello"
            ),
            ArtifactKind::Unknown
        );
    }
}
