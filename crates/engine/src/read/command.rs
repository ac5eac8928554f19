//! Shell command lines: what the user ran tells what its output is and what
//! was asked (`kubectl get endpoints web -n shop`, `nslookup web.default`).

/// A pasted command line, split into words the way a POSIX shell would for the
/// simple cases that appear in transcripts (quotes, pipes, `sudo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The command line as pasted, without the prompt.
    pub text: String,
    /// The program run in the first stage of the pipeline, `sudo` and
    /// environment assignments skipped (`kubectl`, `nslookup`).
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// Later pipeline stages, each as words (`["grep", "web"]`).
    pub pipes: Vec<Vec<String>>,
    /// Run more than once: the body of a `for`/`while` loop, or under
    /// `watch`. Its output holds every attempt.
    pub repeated: bool,
    /// The namespace of the shell's kube context, when its prompt shows
    /// it (kube-ps1's `(context|namespace)`): kubectl's namespace without
    /// `-n`.
    pub context_namespace: Option<String>,
}

impl Command {
    pub fn parse(text: &str) -> Option<Command> {
        let text = text.trim();
        Self::from_stages(text, split_pipeline(text))
    }

    /// A command from words already split (the `CMD` of `kubectl exec POD
    /// -- CMD`, whose quoting kubectl's own parsing kept).
    pub fn from_words(words: &[String]) -> Option<Command> {
        let text = words
            .iter()
            .map(|w| shell_quote(w))
            .collect::<Vec<_>>()
            .join(" ");
        Self::from_stages(&text, vec![words.to_vec()])
    }

    fn from_stages(text: &str, stages: Vec<Vec<String>>) -> Option<Command> {
        let (mut stages, repeated) = unwrap_loop(stages);
        if stages.is_empty() {
            return None;
        }
        let mut first = stages.remove(0);
        let watched = strip_wrappers(&mut first);
        let repeated = repeated || watched;
        // `watch -n1 "kubectl get ep web"`: the command is one quoted word.
        if first.len() == 1 && first[0].contains(' ') {
            let mut inner = Self::parse(&first[0])?;
            inner.text = text.to_string();
            inner.repeated |= repeated;
            inner.pipes.extend(stages);
            return Some(inner);
        }
        // `sh -c 'SCRIPT'`, `bash -c "..."`: the script is the command.
        if let [shell, flag, script, ..] = first.as_slice() {
            let shell = shell.rsplit('/').next().unwrap_or(shell);
            if matches!(shell, "sh" | "bash" | "ash" | "zsh" | "dash") && flag == "-c" {
                let mut inner = Self::parse(script)?;
                inner.text = text.to_string();
                inner.repeated |= repeated;
                inner.pipes.extend(stages);
                return Some(inner);
            }
        }
        if first.is_empty() {
            return None;
        }
        let program = first.remove(0);
        let program = program.rsplit('/').next().unwrap_or(&program).to_string();
        Some(Command {
            text: text.to_string(),
            program,
            args: first,
            pipes: stages,
            repeated,
            context_namespace: None,
        })
    }

    /// The kubectl invocation, when this is one (`kubectl`, `oc`,
    /// `microk8s kubectl`, `k3s kubectl`).
    pub fn kubectl(&self) -> Option<Kubectl> {
        let args: &[String] = match self.program.as_str() {
            "kubectl" | "oc" | "osc" | "k" => &self.args,
            "microk8s" | "k3s" if self.args.first().map(String::as_str) == Some("kubectl") => {
                self.args.get(1..).unwrap_or(&[])
            }
            "microk8s.kubectl" => &self.args,
            _ => return None,
        };
        let mut k = Kubectl::parse(args);
        if k.namespace.is_none() && !k.all_namespaces {
            k.namespace = self.context_namespace.clone();
        }
        Some(k)
    }

    /// True when a later pipeline stage filters lines (`grep`, `head`, ...), so
    /// the output may be a part of what the program printed.
    pub fn is_filtered(&self) -> bool {
        // `grep -v '^$'` and the like drop only blank lines.
        let blank_lines_only = |stage: &[String]| {
            stage.iter().any(|a| a == "-v")
                && stage
                    .iter()
                    .skip(1)
                    .filter(|a| !a.starts_with('-'))
                    .all(|p| matches!(p.as_str(), "^$" | "^\\s*$" | "^[[:space:]]*$" | "^ *$"))
        };
        self.pipes.iter().any(|stage| {
            matches!(
                stage.first().map(String::as_str),
                Some("grep" | "egrep" | "fgrep" | "rg" | "head" | "tail" | "sed" | "awk")
            ) && !blank_lines_only(stage)
        })
    }
}

/// The body of `for ...; do CMD; done`, `while ...; do CMD; done` and
/// `until`: the stages from `do` to `done`, and whether it was a loop.
fn unwrap_loop(stages: Vec<Vec<String>>) -> (Vec<Vec<String>>, bool) {
    let starts_loop = stages
        .first()
        .and_then(|s| s.first())
        .is_some_and(|w| matches!(w.as_str(), "for" | "while" | "until"));
    let Some(body) = stages
        .iter()
        .position(|s| s.first().map(String::as_str) == Some("do"))
        .filter(|_| starts_loop)
    else {
        return (stages, false);
    };
    let mut out: Vec<Vec<String>> = stages
        .into_iter()
        .skip(body)
        .take_while(|s| s.first().map(String::as_str) != Some("done"))
        .collect();
    if let Some(first) = out.first_mut() {
        first.remove(0);
    }
    out.retain(|s| !s.is_empty() && !matches!(s[0].as_str(), "sleep" | "echo" | "date"));
    (out, true)
}

/// Drops what runs the real command: `sudo`, `VAR=value`, `time`,
/// `timeout 5`, `watch -n 1`, `nice`, `busybox` (its applet is the program).
/// True when `watch` runs it again and again.
fn strip_wrappers(words: &mut Vec<String>) -> bool {
    let mut watched = false;
    loop {
        let Some(first) = words.first() else {
            return watched;
        };
        let base = first.rsplit('/').next().unwrap_or(first);
        let skip = match base {
            "sudo" | "time" | "nice" | "busybox" | "command" | "exec" => 1,
            "watch" | "timeout" => {
                // Their options and (timeout) the duration.
                let mut n = 1;
                while let Some(w) = words.get(n) {
                    let takes_value = matches!(
                        w.as_str(),
                        "-n" | "--interval" | "-s" | "--signal" | "-k" | "--kill-after"
                    );
                    if takes_value {
                        n += 2;
                    } else if w.starts_with('-')
                        || (base == "timeout" && w.starts_with(|c: char| c.is_ascii_digit()))
                    {
                        n += 1;
                    } else {
                        break;
                    }
                }
                n
            }
            _ if is_env_assignment(first) => 1,
            _ => return watched,
        };
        watched |= base == "watch";
        words.drain(..skip.min(words.len()));
    }
}

/// `word` as a shell would need it written to stay one word.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn is_env_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// Splits a command line into pipeline stages of words, honouring single and
/// double quotes and backslashes. Unbalanced quotes end at the end of the line.
fn split_pipeline(text: &str) -> Vec<Vec<String>> {
    let mut stages = Vec::new();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                word.push(e);
                            }
                        }
                        _ => word.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(e) = chars.next() {
                    word.push(e);
                }
            }
            '|' | ';' | '&' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                if !words.is_empty() {
                    stages.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if !words.is_empty() {
        stages.push(words);
    }
    stages
}

/// What a kubectl command line asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kubectl {
    /// `get`, `describe`, `logs`, `exec`, `run`, ...
    pub verb: String,
    /// Resource types as written (`svc`, `deployment`, `pods`), from
    /// `svc,deploy` or `svc/web` forms too.
    pub resources: Vec<String>,
    /// Object names (`web`, from `web` or `svc/web`).
    pub names: Vec<String>,
    pub namespace: Option<String>,
    pub all_namespaces: bool,
    /// `-o` value (`yaml`, `json`, `wide`, `jsonpath=...`).
    pub output: Option<String>,
    /// `-l` value.
    pub selector: Option<String>,
    pub show_labels: bool,
    /// Words after `--` (the command run by `exec` or `run`).
    pub inner: Vec<String>,
}

impl Kubectl {
    fn parse(args: &[String]) -> Kubectl {
        let mut k = Kubectl::default();
        let mut positional = Vec::new();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let arg = arg.as_str();
            if arg == "--" {
                k.inner = iter.map(String::clone).collect();
                break;
            }
            if let Some(flag) = arg.strip_prefix("--") {
                let (name, inline) = match flag.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (flag, None),
                };
                let value = |iter: &mut std::slice::Iter<'_, String>| {
                    inline.clone().or_else(|| iter.next().cloned())
                };
                match name {
                    "namespace" => k.namespace = value(&mut iter),
                    "output" => k.output = value(&mut iter),
                    "selector" => k.selector = value(&mut iter),
                    "all-namespaces" => k.all_namespaces = true,
                    "show-labels" => k.show_labels = true,
                    "context" | "cluster" | "kubeconfig" | "user" | "container" | "image"
                    | "field-selector" | "sort-by" | "tail" | "since" | "port" | "type"
                    | "target-port" | "name" | "replicas" | "restart" | "overrides"
                        if inline.is_none() =>
                    {
                        // A flag whose separate value must not be read as a name.
                        iter.next();
                    }
                    _ => {}
                }
                continue;
            }
            if let Some(flag) = arg.strip_prefix('-').filter(|f| !f.is_empty()) {
                // The flag's letter is one char, not one byte: `-é` is a
                // word, not a crash (found by fuzzing).
                let (name, attached) = flag.split_at(flag.chars().next().map_or(0, char::len_utf8));
                let attached = attached.strip_prefix('=').unwrap_or(attached);
                let value = |iter: &mut std::slice::Iter<'_, String>| {
                    if attached.is_empty() {
                        iter.next().cloned()
                    } else {
                        Some(attached.to_string())
                    }
                };
                match name {
                    "n" => k.namespace = value(&mut iter),
                    "o" => k.output = value(&mut iter),
                    "l" => k.selector = value(&mut iter),
                    "A" => k.all_namespaces = true,
                    "c" => {
                        value(&mut iter);
                    }
                    // -it, -f, -w and other switches take no value we need.
                    _ => {}
                }
                continue;
            }
            positional.push(arg.to_string());
        }
        let mut positional = positional.into_iter();
        k.verb = positional.next().unwrap_or_default();
        if k.verb == "exec" && k.inner.is_empty() {
            // The old form without `--`: `kubectl exec POD -it /bin/sh`.
            let rest: Vec<String> = positional.by_ref().collect();
            if let Some((pod, command)) = rest.split_first() {
                k.names.push(pod.clone());
                k.inner = command.to_vec();
            }
            return k;
        }
        let takes_type = matches!(
            k.verb.as_str(),
            "get" | "describe" | "delete" | "edit" | "label" | "annotate" | "patch" | "expose"
        );
        for (i, word) in positional.enumerate() {
            if !takes_type {
                k.names.push(word);
                continue;
            }
            if let Some((kind, name)) = word.split_once('/') {
                k.resources.push(kind.to_ascii_lowercase());
                k.names.push(name.to_string());
            } else if i == 0 {
                k.resources
                    .extend(word.split(',').map(|r| r.to_ascii_lowercase()));
            } else {
                k.names.push(word);
            }
        }
        k
    }

    /// The Kubernetes kind of the first resource type asked for, when there
    /// is exactly one (`svc` -> `Service`).
    pub fn single_kind(&self) -> Option<&'static str> {
        match self.resources.as_slice() {
            [one] => kind_of_resource(one),
            _ => None,
        }
    }

    /// The output format: true for `-o yaml` and `-o json`.
    pub fn prints_objects(&self) -> bool {
        matches!(self.output.as_deref(), Some("yaml" | "json"))
    }
}

/// The kind named by a kubectl resource word: plural, singular, short name,
/// or `kind.group`.
pub fn kind_of_resource(word: &str) -> Option<&'static str> {
    let word = word.split('.').next().unwrap_or(word);
    Some(match word {
        "svc" | "service" | "services" => "Service",
        "deploy" | "deployment" | "deployments" => "Deployment",
        "sts" | "statefulset" | "statefulsets" => "StatefulSet",
        "ds" | "daemonset" | "daemonsets" => "DaemonSet",
        "rs" | "replicaset" | "replicasets" => "ReplicaSet",
        "po" | "pod" | "pods" => "Pod",
        "ep" | "endpoints" => "Endpoints",
        "endpointslice" | "endpointslices" => "EndpointSlice",
        "netpol" | "networkpolicy" | "networkpolicies" => "NetworkPolicy",
        "cm" | "configmap" | "configmaps" => "ConfigMap",
        "no" | "node" | "nodes" => "Node",
        "ev" | "event" | "events" => "Event",
        "ing" | "ingress" | "ingresses" => "Ingress",
        "ingressclass" | "ingressclasses" => "IngressClass",
        "httproute" | "httproutes" => "HTTPRoute",
        "gtw" | "gateway" | "gateways" => "Gateway",
        "ns" | "namespace" | "namespaces" => "Namespace",
        "anp" | "adminnetworkpolicy" | "adminnetworkpolicies" => "AdminNetworkPolicy",
        "banp" | "baselineadminnetworkpolicy" | "baselineadminnetworkpolicies" => {
            "BaselineAdminNetworkPolicy"
        }
        "clusternetworkpolicy" | "clusternetworkpolicies" => "ClusterNetworkPolicy",
        "cnp" | "ciliumnetworkpolicy" | "ciliumnetworkpolicies" => "CiliumNetworkPolicy",
        "ccnp" | "ciliumclusterwidenetworkpolicy" | "ciliumclusterwidenetworkpolicies" => {
            "CiliumClusterwideNetworkPolicy"
        }
        "globalnetworkpolicy" | "globalnetworkpolicies" => "GlobalNetworkPolicy",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(line: &str) -> Kubectl {
        Command::parse(line).unwrap().kubectl().unwrap()
    }

    #[test]
    fn dropping_blank_lines_is_no_filter() {
        let c = |l: &str| Command::parse(l).unwrap();
        assert!(!c("nft list table ip kube-proxy | grep -v '^\\s*$'").is_filtered());
        assert!(!c("nft list ruleset | grep -v '^$'").is_filtered());
        assert!(c("nft list ruleset | grep -v web").is_filtered());
        assert!(c("iptables-save | grep web").is_filtered());
    }

    #[test]
    fn reads_get_with_flags() {
        let cmd = k("kubectl get svc web -n shop -o yaml");
        assert_eq!(cmd.verb, "get");
        assert_eq!(cmd.resources, ["svc"]);
        assert_eq!(cmd.names, ["web"]);
        assert_eq!(cmd.namespace.as_deref(), Some("shop"));
        assert_eq!(cmd.single_kind(), Some("Service"));
        assert!(cmd.prints_objects());
    }

    #[test]
    fn reads_combined_and_slash_forms() {
        let cmd = k("kubectl -n=kube-system get pods,svc --show-labels");
        assert_eq!(cmd.resources, ["pods", "svc"]);
        assert_eq!(cmd.namespace.as_deref(), Some("kube-system"));
        assert!(cmd.show_labels);
        let cmd = k("kubectl describe svc/web --namespace default");
        assert_eq!(cmd.resources, ["svc"]);
        assert_eq!(cmd.names, ["web"]);
        assert_eq!(cmd.namespace.as_deref(), Some("default"));
    }

    #[test]
    fn reads_exec_and_pipes() {
        let cmd =
            Command::parse("sudo kubectl exec -it dnsutils -- nslookup 'web.default' | head -3")
                .unwrap();
        assert_eq!(cmd.pipes, [vec!["head".to_string(), "-3".to_string()]]);
        assert!(cmd.is_filtered());
        let k = cmd.kubectl().unwrap();
        assert_eq!(k.verb, "exec");
        assert_eq!(k.names, ["dnsutils"]);
        assert_eq!(k.inner, ["nslookup", "web.default"]);
    }

    #[test]
    fn program_path_and_env_are_skipped() {
        let cmd = Command::parse("KUBECONFIG=/x /usr/local/bin/kubectl get ep").unwrap();
        assert_eq!(cmd.program, "kubectl");
        assert!(Command::parse("   ").is_none());
    }

    #[test]
    fn loops_wrappers_and_shells_are_seen_through() {
        let c = Command::parse("for i in $(seq 1 10); do curl -s -m 1 http://web; sleep 1; done")
            .unwrap();
        assert_eq!((c.program.as_str(), c.repeated), ("curl", true));
        assert_eq!(c.args, ["-s", "-m", "1", "http://web"]);
        let c = Command::parse("while true; do nc -zv -w 1 web 80; done").unwrap();
        assert_eq!((c.program.as_str(), c.repeated), ("nc", true));
        let c = Command::parse("watch -n 1 kubectl get ep web").unwrap();
        assert_eq!(c.program, "kubectl");
        let c = Command::parse("timeout 5 busybox nslookup web").unwrap();
        assert_eq!(
            (c.program.as_str(), c.args.as_slice()),
            ("nslookup", ["web".to_string()].as_slice())
        );
        let c = Command::parse("sh -c 'nslookup web | head -3'").unwrap();
        assert_eq!(c.program, "nslookup");
        assert_eq!(c.pipes, vec![vec!["head".to_string(), "-3".to_string()]]);
        // kubectl exec's command keeps its quoting.
        let words: Vec<String> = [
            "curl",
            "-s",
            "-w",
            "%{http_code}\n",
            "-o",
            "/dev/null",
            "http://web",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        let c = Command::from_words(&words).unwrap();
        assert_eq!(c.args[2], "%{http_code}\n");
        assert_eq!(
            c.text,
            "curl -s -w '%{http_code}\n' -o /dev/null http://web"
        );
        let c = Command::from_words(&["sh".into(), "-c".into(), "curl -sS web; echo done".into()])
            .unwrap();
        assert_eq!(c.program, "curl");
    }
}
