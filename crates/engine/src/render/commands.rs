//! The runnable commands inside a fix's prose, so that a page or a script
//! can copy one command at a time ("Check kube-proxy: kubectl -n kube-system
//! get pods ...; kubectl -n kube-system logs ..." holds two).
//!
//! A command starts at a program the fixes name (`kubectl`, `nslookup`,
//! `curl`, ...) and runs until, outside quotes and brackets, a `;`, a line
//! break, a sentence end (`. `), a `, `, an aside in parentheses, a closing
//! parenthesis it did not open, or a joining word of the prose ("and",
//! "or", "then", ...). Placeholders in capitals (`POD`, `NODE`) stay: the
//! user fills them in.

/// Programs a command may start with.
const PROGRAMS: &[&str] = &[
    "kubectl",
    "nslookup",
    "dig",
    "curl",
    "iptables-save",
    "iptables",
    "ipvsadm",
    "nft",
    "systemctl",
    "journalctl",
    "lsmod",
    "conntrack",
    "crictl",
];

/// Words of the prose that end a command.
const PROSE: &[&str] = &[
    "and", "or", "then", "from", "on", "instead", "if", "to", "with", "for",
];

/// The commands in `text`, in order, each as it would be typed.
pub fn commands(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut at_boundary = true;
    while !rest.is_empty() {
        let word_end = rest
            .find(|c: char| c.is_whitespace() || ";,)。；，）".contains(c))
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        if at_boundary && PROGRAMS.contains(&word) {
            let len = command_len(rest);
            let command = rest[..len].trim_end_matches(['.', ',', ':', ' ']).trim();
            if command.split_whitespace().count() >= 2 {
                found.push(command.to_string());
            }
            rest = &rest[len..];
            at_boundary = false;
            continue;
        }
        let mut chars = rest.chars();
        let c = chars.next().unwrap_or(' ');
        at_boundary = c.is_whitespace() || "(:;`：；（，".contains(c);
        rest = chars.as_str();
    }
    found
}

/// The length in bytes of the command at the start of `text`.
fn command_len(text: &str) -> usize {
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let mut words = 0usize;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        let next = iter.peek().map(|&(_, n)| n);
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth > 0 => depth -= 1,
            ')' | ';' | '\n' | '`' | '。' | '；' | '，' | '（' | '）' => return i,
            '.' if depth == 0 && next.is_none_or(char::is_whitespace) => return i,
            ',' if depth == 0 && next.is_none_or(char::is_whitespace) => return i,
            ' ' if depth == 0 => {
                words += 1;
                let after = &text[i + 1..];
                if after.starts_with('(') {
                    return i;
                }
                let word: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                let ends_word = after[word.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || c == ':' || c == ',');
                if words > 1 && ends_word && PROSE.contains(&word.as_str()) {
                    return i;
                }
            }
            _ => {}
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::commands;

    #[test]
    fn commands_are_cut_out_of_the_prose() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Check the CoreDNS pods and the Service's selector: kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide; kubectl get svc kube-dns -n kube-system -o yaml",
                &[
                    "kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide",
                    "kubectl get svc kube-dns -n kube-system -o yaml",
                ],
            ),
            (
                "Make the selector and the pod labels agree. If the pods are the right ones, point the Service at them: kubectl patch service web -n default -p '{\"spec\":{\"selector\":{\"app\":\"Web\"}}}'\nIf the Service is right, set spec.template.metadata.labels",
                &["kubectl patch service web -n default -p '{\"spec\":{\"selector\":{\"app\":\"Web\"}}}'"],
            ),
            (
                "Start kube-proxy: on a binary install systemctl enable --now kube-proxy (then journalctl -u kube-proxy); on kubeadm check the DaemonSet: kubectl -n kube-system get ds kube-proxy.",
                &[
                    "systemctl enable --now kube-proxy",
                    "journalctl -u kube-proxy",
                    "kubectl -n kube-system get ds kube-proxy",
                ],
            ),
            (
                "Check kube-proxy's kubeconfig: kubectl -n kube-system get cm kube-proxy -o yaml (server: must be reachable from the node), test it with curl -k https://SERVER/healthz from the node, and renew it.",
                &[
                    "kubectl -n kube-system get cm kube-proxy -o yaml",
                    "curl -k https://SERVER/healthz",
                ],
            ),
            (
                "See what the container listens on: kubectl exec web-1 -n default -- ss -lntp (or netstat -tlnp); then set the targetPort.",
                &["kubectl exec web-1 -n default -- ss -lntp"],
            ),
            (
                "Check kube-proxy: kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=100 | grep -i -e error -e web",
                &["kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=100 | grep -i -e error -e web"],
            ),
            (
                "the CNI pods on both nodes (kubectl get pods -n kube-system -o wide), NetworkPolicies",
                &["kubectl get pods -n kube-system -o wide"],
            ),
            ("Connect to 192.168.31.62:32035 instead.", &[]),
            ("Give the pod dnsPolicy: ClusterFirst, or set kubelet's clusterDNS.", &[]),
            (
                "查看：kubectl get svc web -n default -o yaml。然后（或者 kubectl get ep web）",
                &["kubectl get svc web -n default -o yaml", "kubectl get ep web"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(commands(text), *want, "{text}");
        }
    }
}
