//! Kubernetes objects as kubectl prints them: YAML (several documents, `kind:
//! List`) or JSON (one value, a list, or several values back to back), whole
//! or in fragments.
//!
//! Fragments are normal in pastes: `...` lines where output was left out,
//! output cut off, a lone `selector:` block under `kubectl get svc web -o
//! yaml`. Whatever parses is kept; the rest becomes line diagnostics. The
//! command line fills in what a fragment lacks (kind, name, namespace).
//!
//! Values come from serde_yaml / serde_json; their lines come from an
//! indentation [`Outline`] of the same text.

use crate::model::{Event, Route, RouteBackend, ServiceType, TrafficPolicy};
use serde_yaml::{Mapping, Value};

use crate::model::{
    label_map, AdminPolicy, ConfigMap, Container, ContainerPort, ContainerReady, EndpointAddress,
    EndpointPort, EndpointSet, EndpointSource, Gateway, GatewayCondition, Labels, Model,
    NamespaceLabels, NetworkPolicy, Node as K8sNode, Origin, Pod, PodSpec, Selector, Service,
    ServicePort, TargetPort, Workload,
};
use crate::parse::outline::{Node, Outline};
use crate::parse::Context;
use crate::read::command::{kind_of_resource, Kubectl};
use crate::read::text::{indent_of, is_elision};
use crate::report::Severity;

/// Keys that only appear in an object's `spec`: a fragment that starts with
/// them is a piece of a spec.
const SPEC_KEYS: &[&str] = &[
    "selector",
    "ports",
    "clusterIP",
    "clusterIPs",
    "type",
    "template",
    "replicas",
    "externalTrafficPolicy",
    "sessionAffinity",
    "externalName",
    "containers",
];

/// What the command line tells about the objects that follow.
#[derive(Default)]
struct Hint {
    kind: Option<&'static str>,
    name: Option<String>,
    namespace: Option<String>,
}

impl Hint {
    fn from(kubectl: Option<&Kubectl>) -> Hint {
        let Some(k) = kubectl else {
            return Hint::default();
        };
        Hint {
            kind: k.single_kind().or_else(|| {
                // `kubectl get deployment/web` names one kind in the slash form.
                match k.resources.as_slice() {
                    [one, ..] if k.resources.iter().all(|r| r == one) => kind_of_resource(one),
                    _ => None,
                }
            }),
            name: (k.names.len() == 1).then(|| k.names[0].clone()),
            // kubectl without -n reads the context's namespace, `default`
            // unless configured otherwise.
            namespace: if k.all_namespaces {
                None
            } else {
                Some(k.namespace.clone().unwrap_or_else(|| "default".to_string()))
            },
        }
    }
}

/// Parses the output lines of a k8s-objects artifact into the model.
pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    let hint = Hint::from(cx.kubectl.as_ref());
    let body = cx.body();
    let mut prepared: Vec<(usize, String)> = Vec::with_capacity(body.len());
    let mut elided = Vec::new();
    for (no, line) in body {
        if is_elision(line) {
            elided.push(no);
            prepared.push((no, String::new()));
        } else {
            prepared.push((no, expand_leading_tabs(line)));
        }
    }
    if !elided.is_empty() {
        cx.say(
            elided[0],
            Severity::Info,
            crate::text!(
                "output left out at line(s) {lines}: objects there are read as fragments",
                "第 {lines} 行省略了输出：那里的对象按片段读取"
            ),
            &[("lines", &join_numbers(&elided))],
        );
    }
    let first = prepared
        .iter()
        .map(|(_, l)| l.trim_start())
        .find(|l| !l.is_empty());
    let values = match first {
        Some(l) if l.starts_with('{') || l.starts_with('[') => parse_json(cx, &prepared),
        Some(_) => parse_yaml(cx, &prepared),
        None => Vec::new(),
    };
    for doc in values {
        let outline = Outline::new(
            prepared[doc.start..doc.end].iter().map(|(_, l)| l.as_str()),
            prepared[doc.start].0,
        );
        let partial = doc.fragment
            || prepared[doc.start..doc.end]
                .iter()
                .any(|(no, _)| elided.binary_search(no).is_ok());
        let mut reader = Reader {
            cx,
            outline: &outline,
            hint: &hint,
            partial,
            model,
        };
        reader.value(&doc.value, outline.root(), true);
    }
}

fn join_numbers(numbers: &[usize]) -> String {
    numbers
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// YAML forbids tabs in indentation; pasted text often has them.
fn expand_leading_tabs(line: &str) -> String {
    if !line.starts_with([' ', '\t']) || !line.contains('\t') {
        return line.to_string();
    }
    let width = indent_of(line);
    let rest = line.trim_start_matches([' ', '\t']);
    format!("{}{}", " ".repeat(width), rest)
}

/// A parsed value and the range of prepared lines it came from.
struct Doc {
    value: Value,
    start: usize,
    end: usize,
    /// Rebuilt from pieces after the whole did not parse.
    fragment: bool,
}

fn parse_json(cx: &mut Context<'_>, lines: &[(usize, String)]) -> Vec<Doc> {
    let text: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    // Byte offset of each line start, to map values back to lines.
    let mut starts = Vec::with_capacity(lines.len());
    let mut offset = 0;
    for (_, l) in lines {
        starts.push(offset);
        offset += l.len() + 1;
    }
    let line_of = |byte: usize| starts.partition_point(|&s| s <= byte).saturating_sub(1);
    let mut docs = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>();
    let mut begin = 0;
    loop {
        match stream.next() {
            Some(Ok(json)) => {
                let end_byte = stream.byte_offset();
                let start = line_of(begin + leading_ws(&text[begin..]));
                let end = line_of(end_byte.saturating_sub(1)) + 1;
                begin = end_byte;
                match serde_yaml::to_value(&json) {
                    Ok(value) => docs.push(Doc {
                        value,
                        start,
                        end,
                        fragment: false,
                    }),
                    Err(e) => cx.say(
                        lines[start].0,
                        Severity::Error,
                        crate::text!("unreadable JSON value: {e}", "无法读取的 JSON 值：{e}"),
                        &[("e", &e.to_string())],
                    ),
                }
            }
            Some(Err(e)) => {
                // A JSON object followed by YAML ones (`-o json` and `-o
                // yaml` outputs pasted one after the other without their
                // command lines): the rest is read as YAML.
                let at = e.line().saturating_sub(1);
                let rest_is_yaml = !docs.is_empty()
                    && lines.get(at).is_some_and(|(_, l)| {
                        !l.starts_with([' ', '\t', '{', '[', '}', ']', '"'])
                            && l.split_once(':')
                                .is_some_and(|(k, _)| !k.is_empty() && !k.contains(' '))
                    });
                if rest_is_yaml {
                    // Positions of the YAML documents are in the whole block.
                    docs.extend(parse_yaml(cx, &lines[at..]).into_iter().map(|mut d| {
                        d.start += at;
                        d.end += at;
                        d
                    }));
                    break;
                }
                let no = lines
                    .get(e.line().saturating_sub(1))
                    .map_or(cx.body_start(), |(no, _)| *no);
                cx.say(
                    no,
                    Severity::Error,
                    crate::text!(
                        "JSON stops making sense here: {e}",
                        "JSON 从这里开始无法解析：{e}"
                    ),
                    &[("e", &e.to_string())],
                );
                break;
            }
            None => break,
        }
    }
    docs
}

fn leading_ws(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

fn parse_yaml(cx: &mut Context<'_>, lines: &[(usize, String)]) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut start = 0;
    // Top-level keys of the document so far: objects pasted one after the
    // other without `---` (two `kubectl get -o yaml` outputs without their
    // command lines) start again with a key the first one already had.
    let mut keys: Vec<&str> = Vec::new();
    let mut i = 0;
    while i <= lines.len() {
        let line = lines.get(i).map(|(_, l)| l.as_str());
        let separator = line.is_none_or(|l| l == "---" || l.starts_with("--- "));
        let key = line
            .filter(|l| !l.starts_with([' ', '\t', '-', '#']))
            .and_then(|l| l.split_once(':'))
            .map(|(k, _)| k)
            .filter(|k| !k.is_empty() && !k.contains(' '));
        let repeated = key.is_some_and(|k| keys.contains(&k));
        if separator || repeated {
            if lines[start..i].iter().any(|(_, l)| !l.trim().is_empty()) {
                parse_yaml_doc(cx, lines, start, i, &mut docs);
            }
            keys.clear();
            start = if separator { i + 1 } else { i };
        }
        if let Some(k) = key {
            keys.push(k);
        }
        i += 1;
    }
    docs
}

/// `  selector:.` → (`  selector:`, '.'): a key line ending in one stray
/// punctuation character right after its colon.
fn stray_after_key(line: &str) -> Option<(String, char)> {
    let trimmed = line.trim_end();
    let mut chars = trimmed.chars().rev();
    let stray = chars.next()?;
    if chars.next() != Some(':') || !matches!(stray, '.' | ',' | ';' | '`' | '\'') {
        return None;
    }
    let key = trimmed[..trimmed.len() - 2].trim_start();
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    plain.then(|| (trimmed[..trimmed.len() - 1].to_string(), stray))
}

fn yaml_text(lines: &[(usize, String)], dedent: usize) -> String {
    lines
        .iter()
        .map(|(_, l)| {
            format!(
                "{}\n",
                l.get(dedent.min(indent_of(l)).min(l.len())..).unwrap_or("")
            )
        })
        .collect()
}

fn parse_yaml_doc(
    cx: &mut Context<'_>,
    lines: &[(usize, String)],
    start: usize,
    end: usize,
    docs: &mut Vec<Doc>,
) {
    let doc = &lines[start..end];
    let text = yaml_text(doc, 0);
    if let Some(i) = flow_too_deep(&text) {
        let no = doc.get(i).map_or(doc[0].0, |(n, _)| *n);
        cx.say(
            no,
            Severity::Error,
            crate::text!(
                "YAML nested more than {max} levels deep here: not read",
                "此处 YAML 嵌套超过 {max} 层：未读取"
            ),
            &[("max", &MAX_DEPTH.to_string())],
        );
        return;
    }
    let error = match serde_yaml::from_str::<Value>(&text) {
        Ok(value) => {
            docs.push(Doc {
                value,
                start,
                end,
                fragment: false,
            });
            return;
        }
        Err(e) => e,
    };
    // A stray character after a key that opens a block (`selector:.`, a
    // slip when typing into an issue) breaks the whole document: read it
    // without the character, and say so.
    if let Some(i) = doc.iter().enumerate().position(|(i, (_, l))| {
        stray_after_key(l).is_some()
            && doc[i + 1..]
                .iter()
                .find(|(_, next)| !next.trim().is_empty())
                .is_some_and(|(_, next)| indent_of(next) > indent_of(l))
    }) {
        let (no, line) = &doc[i];
        if let Some((fixed, stray)) = stray_after_key(line) {
            let mut repaired = lines.to_vec();
            repaired[start + i].1 = fixed;
            cx.say(
                *no,
                Severity::Info,
                crate::text!(
                    "stray '{c}' after the key ignored",
                    "已忽略键后多余的 '{c}'"
                ),
                &[("c", &stray.to_string())],
            );
            let before = docs.len();
            parse_yaml_doc(cx, &repaired, start, end, docs);
            if docs.len() > before {
                return;
            }
        }
    }
    // The whole does not parse: read it as top-level blocks, each on its own.
    let min = doc
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| indent_of(l))
        .min()
        .unwrap_or(0);
    let block_starts: Vec<usize> = doc
        .iter()
        .enumerate()
        .filter(|(_, (_, l))| {
            !l.trim().is_empty() && indent_of(l) == min && !l.trim_start().starts_with("- ")
        })
        .map(|(i, _)| i)
        .collect();
    let mut merged = Mapping::new();
    let mut any = false;
    if block_starts.first().is_some_and(|&f| f > 0) || block_starts.is_empty() {
        let orphan_end = block_starts.first().copied().unwrap_or(doc.len());
        let orphan = &doc[..orphan_end];
        if orphan.iter().any(|(_, l)| !l.trim().is_empty()) {
            let first = orphan
                .iter()
                .find(|(_, l)| !l.trim().is_empty())
                .map_or(0, |(n, _)| *n);
            let last = orphan
                .iter()
                .rev()
                .find(|(_, l)| !l.trim().is_empty())
                .map_or(first, |(n, _)| *n);
            cx.say(
                first,
                Severity::Info,
                crate::text!("lines {first}-{last} start inside an object whose beginning was not pasted; skipped", "第 {first}-{last} 行从一个对象的中间开始（开头未粘贴）；已跳过"),
                &[("first", &first.to_string()), ("last", &last.to_string())],
            );
        }
    }
    for (k, &b) in block_starts.iter().enumerate() {
        let e = block_starts.get(k + 1).copied().unwrap_or(doc.len());
        let block = &doc[b..e];
        match serde_yaml::from_str::<Value>(&yaml_text(block, min)) {
            Ok(Value::Mapping(map)) => {
                any = true;
                merged.extend(map);
            }
            Ok(_) => {}
            Err(e) => {
                let no = e
                    .location()
                    .and_then(|loc| block.get(loc.line().saturating_sub(1)))
                    .map_or(block[0].0, |(n, _)| *n);
                cx.say(
                    no,
                    Severity::Warning,
                    crate::text!(
                        "YAML not understood here, block skipped: {e}",
                        "无法理解此处的 YAML，已跳过该块：{e}"
                    ),
                    &[("e", &yaml_message(&e))],
                );
            }
        }
    }
    if any {
        docs.push(Doc {
            value: Value::Mapping(merged),
            start,
            end,
            fragment: true,
        });
    } else if block_starts.len() <= 1 {
        let no = error
            .location()
            .and_then(|loc| doc.get(loc.line().saturating_sub(1)))
            .map_or(doc[0].0, |(n, _)| *n);
        cx.say(
            no,
            Severity::Error,
            crate::text!("YAML not understood: {e}", "无法理解的 YAML：{e}"),
            &[("e", &yaml_message(&error))],
        );
    }
}

/// serde_yaml reads no deeper than this.
const MAX_DEPTH: usize = 128;

/// The line (0-based) where flow collections (`[`, `{`) nest deeper than
/// [`MAX_DEPTH`], outside quotes and comments. serde_yaml would refuse such a
/// document, but only after libyaml's scanner has spent time quadratic in
/// the depth on it: 88 s for `[[[...]]]` 100,000 deep.
fn flow_too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, line) in text.lines().enumerate() {
        let mut quote = None;
        let mut prev = b' ';
        for &b in line.as_bytes() {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'#') if prev == b' ' || prev == b'\t' => break,
                (None, b'[' | b'{') => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(i);
                    }
                }
                (None, b']' | b'}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            prev = b;
        }
    }
    None
}

/// serde_yaml's message without its own position suffix (ours is the pasted
/// line number).
fn yaml_message(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

struct Reader<'r, 'c> {
    cx: &'r mut Context<'c>,
    outline: &'r Outline,
    hint: &'r Hint,
    partial: bool,
    model: &'r mut Model,
}

/// The items of a YAML sequence (none when it is absent or not one).
fn items(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.and_then(Value::as_sequence).into_iter().flatten()
}

fn get<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, key| v.get(*key))
}

fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number(value: Option<&Value>) -> Option<u32> {
    match value? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    }
}

fn labels(value: Option<&Value>) -> Option<Labels> {
    let map = value?.as_mapping()?;
    Some(label_map(
        map.iter()
            .filter_map(|(k, v)| Some((string(Some(k))?, string(Some(v)).unwrap_or_default())))
            .collect(),
    ))
}

impl Reader<'_, '_> {
    /// The facts of a pod spec at `value`, whose lines are `spec_node`.
    fn pod_spec(&self, value: Option<&Value>, spec_node: Option<Node>, fallback: Node) -> PodSpec {
        let Some(spec) = value else {
            return PodSpec::default();
        };
        // The app containers, then the native sidecars (init containers
        // with `restartPolicy: Always`), which serve beside them.
        let sidecars = items(spec.get("initContainers"))
            .filter(|c| string(c.get("restartPolicy")).as_deref() == Some("Always"));
        let containers = spec
            .get("containers")
            .and_then(Value::as_sequence)
            .map(|cs| {
                let app = cs.iter().map(|c| (c, false));
                app.chain(sidecars.map(|c| (c, true)))
                    .map(|(c, sidecar)| Container {
                        name: string(c.get("name")),
                        ports: c
                            .get("ports")
                            .and_then(Value::as_sequence)
                            .map(|ps| {
                                ps.iter()
                                    .map(|p| ContainerPort {
                                        name: string(p.get("name")),
                                        port: number(p.get("containerPort")),
                                        protocol: string(p.get("protocol"))
                                            .unwrap_or_else(|| "TCP".into()),
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                        has_readiness_probe: c.get("readinessProbe").is_some(),
                        sidecar,
                    })
                    .collect()
            });
        let containers_node = spec_node.and_then(|n| self.outline.child(n, "containers"));
        let dns_node = spec_node.and_then(|n| self.outline.child(n, "dnsPolicy"));
        PodSpec {
            containers,
            containers_origin: containers_node.map(|n| self.origin(Some(n), fallback)),
            host_network: spec
                .get("hostNetwork")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            dns_policy: string(spec.get("dnsPolicy")),
            dns_policy_origin: dns_node.map(|n| self.origin(Some(n), fallback)),
        }
    }

    /// `status.containerStatuses` and `status.initContainerStatuses`: each
    /// container's `ready`, at its status entry's lines.
    fn containers_ready(&self, pod: &Value, node: Node) -> Vec<ContainerReady> {
        let mut out = Vec::new();
        for (key, init) in [
            ("containerStatuses", false),
            ("initContainerStatuses", true),
        ] {
            let list = self.outline.path(node, &["status", key]);
            let nodes = list.map(|l| self.outline.items(l)).unwrap_or_default();
            for (i, c) in items(get(pod, &["status", key])).enumerate() {
                let (Some(name), Some(ready)) = (
                    string(c.get("name")),
                    c.get("ready").and_then(Value::as_bool),
                ) else {
                    continue;
                };
                // A finished init container is not ready, and not a cause.
                let running = c.get("state").is_none_or(|s| s.get("running").is_some());
                if init && !running {
                    continue;
                }
                out.push(ContainerReady {
                    name,
                    ready,
                    init,
                    origin: self.origin(nodes.get(i).copied(), node),
                });
            }
        }
        out
    }

    fn origin(&self, node: Option<Node>, fallback: Node) -> Origin {
        let span = node
            .and_then(|n| self.outline.span(n))
            .or_else(|| self.outline.span(fallback))
            .unwrap_or([self.cx.body_start(); 2]);
        self.cx.origin(span)
    }

    /// Reads one value: a list of objects, an object, or a piece of one.
    fn value(&mut self, value: &Value, node: Node, top: bool) {
        let Some(map) = value.as_mapping() else {
            if let Value::Sequence(items) = value {
                let nodes = self.outline.items(node);
                for (i, item) in items.iter().enumerate() {
                    self.value(item, nodes.get(i).copied().unwrap_or(node), false);
                }
            }
            return;
        };
        let kind = string(map.get("kind"));
        if let (Some(Value::Sequence(items)), true) = (
            map.get("items"),
            kind.as_deref().is_none_or(|k| k.ends_with("List")),
        ) {
            let list = self.outline.child(node, "items").unwrap_or(node);
            let nodes = self.outline.items(list);
            for (i, item) in items.iter().enumerate() {
                self.value(item, nodes.get(i).copied().unwrap_or(list), false);
            }
            return;
        }
        let is_object = ["kind", "apiVersion", "metadata", "spec", "status"]
            .iter()
            .any(|k| map.contains_key(*k));
        let is_spec_piece = !is_object && SPEC_KEYS.iter().any(|k| map.contains_key(*k));
        if !is_object && !is_spec_piece {
            if top {
                self.cx.say(
                    self.origin(None, node).lines[0],
                    Severity::Warning,
                    crate::text!(
                        "YAML that is not a Kubernetes object (no kind, metadata or spec); skipped",
                        "这段 YAML 不是 Kubernetes 对象（没有 kind、metadata 或 spec）；已跳过"
                    ),
                    &[],
                );
            }
            return;
        }
        let partial = self.partial || is_spec_piece || kind.is_none();
        let kind = match kind {
            Some(k) => k,
            None => match self.hint.kind.or_else(|| guess_kind(value, is_spec_piece)) {
                Some(k) => k.to_string(),
                None => {
                    self.cx.say(
                        self.origin(None, node).lines[0],
                        Severity::Warning,
                        crate::text!(
                            "object without kind, and the command line does not say; skipped",
                            "对象没有 kind，命令行也无法说明其类型；已跳过"
                        ),
                        &[],
                    );
                    return;
                }
            },
        };
        let name = string(get(value, &["metadata", "name"])).or_else(|| self.hint.name.clone());
        let namespace =
            string(get(value, &["metadata", "namespace"])).or_else(|| self.hint.namespace.clone());
        let spec_base: &[&str] = if is_spec_piece { &[] } else { &["spec"] };
        let spec = if is_spec_piece {
            Some(value)
        } else {
            map.get("spec")
        };
        let at = |path: &[&str]| -> Vec<String> {
            spec_base
                .iter()
                .chain(path)
                .map(|s| s.to_string())
                .collect()
        };
        let find = |reader: &Self, path: &[&str]| {
            let full = at(path);
            let full: Vec<&str> = full.iter().map(String::as_str).collect();
            reader.outline.path(node, &full)
        };
        match kind.as_str() {
            "Service" => {
                let spec = spec.cloned().unwrap_or(Value::Null);
                let selector_node = find(self, &["selector"]);
                let selector = match spec.get("selector") {
                    Some(Value::Mapping(m)) if !m.is_empty() => {
                        Selector::Labels(labels(spec.get("selector")).unwrap_or_default())
                    }
                    Some(_) => Selector::None,
                    None if partial => Selector::Unknown,
                    None => Selector::None,
                };
                let ports = spec
                    .get("ports")
                    .and_then(Value::as_sequence)
                    .map(|ports| ports.iter().map(service_port).collect())
                    .unwrap_or_default();
                let origin = self.origin(None, node);
                let strings = |key: &str| -> Vec<String> {
                    spec.get(key)
                        .and_then(Value::as_sequence)
                        .map(|s| s.iter().filter_map(|v| string(Some(v))).collect())
                        .unwrap_or_default()
                };
                let lb_ips = get(value, &["status", "loadBalancer", "ingress"])
                    .and_then(Value::as_sequence)
                    .map(|s| s.iter().filter_map(|i| string(i.get("ip"))).collect())
                    .unwrap_or_default();
                let ports_node = find(self, &["ports"]);
                self.model.services.push(Service {
                    namespace,
                    name,
                    service_type: string(spec.get("type")).and_then(|t| ServiceType::parse(&t)),
                    cluster_ip: string(spec.get("clusterIP")),
                    ports,
                    selector_origin: selector_node.map(|n| self.origin(Some(n), node)),
                    ports_origin: ports_node.map(|n| self.origin(Some(n), node)),
                    selector,
                    external_name: string(spec.get("externalName")),
                    external_ips: strings("externalIPs"),
                    load_balancer_ips: lb_ips,
                    load_balancer_source_ranges: strings("loadBalancerSourceRanges"),
                    external_traffic_policy: string(spec.get("externalTrafficPolicy"))
                        .and_then(|p| TrafficPolicy::parse(&p)),
                    internal_traffic_policy: string(spec.get("internalTrafficPolicy"))
                        .and_then(|p| TrafficPolicy::parse(&p)),
                    publish_not_ready: spec
                        .get("publishNotReadyAddresses")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    session_affinity: string(spec.get("sessionAffinity")),
                    health_check_node_port: number(spec.get("healthCheckNodePort")),
                    partial,
                    origin,
                });
            }
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" => {
                let spec = spec.cloned().unwrap_or(Value::Null);
                // A ReplicationController's selector is a plain label map.
                let (selector, selector_node) = if kind == "ReplicationController" {
                    (labels(get(&spec, &["selector"])), find(self, &["selector"]))
                } else {
                    (
                        labels(get(&spec, &["selector", "matchLabels"])),
                        find(self, &["selector", "matchLabels"]),
                    )
                };
                let template_labels = labels(get(&spec, &["template", "metadata", "labels"]));
                let template_node = find(self, &["template", "metadata", "labels"]);
                let pod_spec = self.pod_spec(
                    get(&spec, &["template", "spec"]),
                    find(self, &["template", "spec"]),
                    node,
                );
                let origin = self.origin(None, node);
                self.model.workloads.push(Workload {
                    kind,
                    namespace,
                    name,
                    selector,
                    selector_origin: selector_node.map(|n| self.origin(Some(n), node)),
                    template_labels,
                    template_labels_origin: template_node.map(|n| self.origin(Some(n), node)),
                    pod_spec,
                    replicas: number(spec.get("replicas")),
                    origin,
                });
            }
            "Pod" => {
                let labels_node = self.outline.path(node, &["metadata", "labels"]);
                let spec_node = self.outline.child(node, "spec");
                let pod_spec = self.pod_spec(map.get("spec"), spec_node, node);
                let origin = self.origin(None, node);
                self.model.pods.push(Pod {
                    namespace,
                    name,
                    labels: labels(get(value, &["metadata", "labels"])).or_else(|| {
                        // A complete Pod without labels has none.
                        (!partial && map.contains_key("metadata")).then(Labels::new)
                    }),
                    labels_origin: labels_node.map(|n| self.origin(Some(n), node)),
                    labels_partial: false,
                    ip: string(get(value, &["status", "podIP"])),
                    node: string(get(value, &["spec", "nodeName"])),
                    phase: string(get(value, &["status", "phase"])),
                    ready: pod_ready(value),
                    restarts: get(value, &["status", "containerStatuses"])
                        .and_then(Value::as_sequence)
                        .map(|cs| {
                            cs.iter()
                                .filter_map(|c| number(c.get("restartCount")))
                                .sum()
                        }),
                    age: None,
                    spec: pod_spec,
                    containers_ready: self.containers_ready(value, node),
                    origin,
                });
            }
            "Endpoints" => {
                let origin = self.origin(None, node);
                let mut set = EndpointSet {
                    from: EndpointSource::Endpoints,
                    namespace,
                    service: name.clone(),
                    name,
                    address_type: None,
                    ports: Vec::new(),
                    addresses: Vec::new(),
                    // The control plane cut an Endpoints object of more
                    // than 1,000 addresses: it lists only some of them.
                    truncated: partial
                        || string(get(
                            value,
                            &[
                                "metadata",
                                "annotations",
                                "endpoints.kubernetes.io/over-capacity",
                            ],
                        ))
                        .is_some(),
                    origin,
                };
                let subsets = map
                    .get("subsets")
                    .and_then(Value::as_sequence)
                    .cloned()
                    .unwrap_or_default();
                for subset in &subsets {
                    set.ports.extend(endpoint_ports(subset.get("ports")));
                    for (key, ready) in [("addresses", true), ("notReadyAddresses", false)] {
                        for a in subset
                            .get(key)
                            .and_then(Value::as_sequence)
                            .into_iter()
                            .flatten()
                        {
                            if let Some(ip) = string(a.get("ip")) {
                                set.addresses.push(EndpointAddress {
                                    ip,
                                    port: None,
                                    ready,
                                    terminating: false,
                                    not_serving: false,
                                    node: string(a.get("nodeName")),
                                    pod: string(get(a, &["targetRef", "name"])),
                                    origin,
                                });
                            }
                        }
                    }
                }
                self.model.endpoints.push(set);
            }
            "EndpointSlice" => {
                let origin = self.origin(None, node);
                let endpoints_node = self.outline.child(node, "endpoints");
                let item_nodes = endpoints_node
                    .map(|n| self.outline.items(n))
                    .unwrap_or_default();
                let mut set = EndpointSet {
                    from: EndpointSource::Slice,
                    namespace,
                    service: string(get(
                        value,
                        &["metadata", "labels", "kubernetes.io/service-name"],
                    )),
                    name,
                    address_type: string(map.get("addressType")),
                    ports: endpoint_ports(map.get("ports")),
                    addresses: Vec::new(),
                    truncated: partial,
                    origin,
                };
                let endpoints = map
                    .get("endpoints")
                    .and_then(Value::as_sequence)
                    .cloned()
                    .unwrap_or_default();
                for (i, e) in endpoints.iter().enumerate() {
                    // A nil `ready` condition means ready; a nil
                    // `terminating`, not terminating.
                    let ready = get(e, &["conditions", "ready"])
                        .and_then(Value::as_bool)
                        .unwrap_or(true);
                    let terminating = get(e, &["conditions", "terminating"])
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    let not_serving = ready
                        && !terminating
                        && get(e, &["conditions", "serving"]).and_then(Value::as_bool)
                            == Some(false);
                    let at = self.origin(item_nodes.get(i).copied(), node);
                    for ip in e
                        .get("addresses")
                        .and_then(Value::as_sequence)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(ip) = string(Some(ip)) {
                            set.addresses.push(EndpointAddress {
                                ip,
                                port: None,
                                ready,
                                terminating,
                                not_serving,
                                node: string(e.get("nodeName")),
                                pod: string(get(e, &["targetRef", "name"])),
                                origin: at,
                            });
                        }
                    }
                }
                self.model.endpoints.push(set);
            }
            "NetworkPolicy" => {
                let origin = self.origin(None, node);
                let spec = spec.cloned().unwrap_or(Value::Null);
                self.model.policies.push(NetworkPolicy {
                    namespace,
                    name,
                    pod_selector: labels(get(&spec, &["podSelector", "matchLabels"]))
                        .unwrap_or_default(),
                    policy_types: spec
                        .get("policyTypes")
                        .and_then(Value::as_sequence)
                        .map(|s| s.iter().filter_map(|v| string(Some(v))).collect())
                        .unwrap_or_default(),
                    spec: serde_json::to_value(&spec).unwrap_or(serde_json::Value::Null),
                    origin,
                });
            }
            "Namespace" => {
                if let Some(name) = name {
                    self.model.namespaces.push(NamespaceLabels {
                        name,
                        labels: labels(get(value, &["metadata", "labels"])).unwrap_or_default(),
                        origin: self.origin(None, node),
                    });
                }
            }
            "AdminNetworkPolicy"
            | "BaselineAdminNetworkPolicy"
            | "ClusterNetworkPolicy"
            | "CiliumNetworkPolicy"
            | "CiliumClusterwideNetworkPolicy"
            | "GlobalNetworkPolicy" => {
                self.model.admin_policies.push(AdminPolicy {
                    kind: kind.to_string(),
                    namespace: namespace.clone(),
                    name,
                    spec: spec.and_then(|s| serde_json::to_value(s).ok()),
                    origin: self.origin(None, node),
                });
            }
            "ConfigMap" => {
                let origin = self.origin(None, node);
                let data = map
                    .get("data")
                    .and_then(Value::as_mapping)
                    .map(|m| {
                        label_map(
                            m.iter()
                                .filter_map(|(k, v)| Some((string(Some(k))?, string(Some(v))?)))
                                .collect(),
                        )
                    })
                    .unwrap_or_default();
                self.model.configmaps.push(ConfigMap {
                    namespace,
                    name,
                    data,
                    origin,
                });
            }
            "Ingress" => {
                let origin = self.origin(None, node);
                let spec = spec.cloned().unwrap_or(Value::Null);
                let annotation = string(get(
                    value,
                    &["metadata", "annotations", "kubernetes.io/ingress.class"],
                ));
                let class = string(spec.get("ingressClassName")).or(annotation);
                let mut backends = Vec::new();
                let mut add = |b: Option<&Value>| {
                    let Some(svc) = b.and_then(|b| b.get("service")) else {
                        return;
                    };
                    let Some(name) = string(svc.get("name")) else {
                        return;
                    };
                    let port = svc.get("port").and_then(|p| {
                        number(p.get("number"))
                            .map(TargetPort::Number)
                            .or_else(|| string(p.get("name")).map(TargetPort::Name))
                    });
                    backends.push(RouteBackend {
                        service: name,
                        namespace: None,
                        port,
                        origin,
                    });
                };
                add(spec.get("defaultBackend"));
                for rule in items(spec.get("rules")) {
                    for path in items(get(rule, &["http", "paths"])) {
                        add(path.get("backend"));
                    }
                }
                self.model.routes.push(Route {
                    kind: "Ingress".into(),
                    namespace,
                    name,
                    classless: class.is_none() && !partial,
                    class,
                    backends,
                    conditions: Vec::new(),
                    missing: Vec::new(),
                    parents: Vec::new(),
                    origin,
                });
            }
            "IngressClass" => {
                let default = string(get(
                    value,
                    &[
                        "metadata",
                        "annotations",
                        "ingressclass.kubernetes.io/is-default-class",
                    ],
                ))
                .is_some_and(|v| v == "true");
                if let Some(name) = name {
                    self.model
                        .ingress_classes
                        .push((name, Some(default), self.origin(None, node)));
                }
            }
            "HTTPRoute" | "GRPCRoute" => {
                let origin = self.origin(None, node);
                let spec = spec.cloned().unwrap_or(Value::Null);
                let mut backends = Vec::new();
                for rule in items(spec.get("rules")) {
                    for b in items(rule.get("backendRefs")) {
                        let kind = string(b.get("kind")).unwrap_or_else(|| "Service".into());
                        let (Some(service), true) = (string(b.get("name")), kind == "Service")
                        else {
                            continue;
                        };
                        backends.push(RouteBackend {
                            service,
                            namespace: string(b.get("namespace")),
                            port: number(b.get("port")).map(TargetPort::Number),
                            origin,
                        });
                    }
                }
                let mut conditions = Vec::new();
                for parent in items(get(value, &["status", "parents"])) {
                    for c in items(parent.get("conditions")) {
                        let field = |k: &str| string(c.get(k)).unwrap_or_default();
                        conditions.push((
                            field("type"),
                            field("status"),
                            field("reason"),
                            field("message"),
                            origin,
                        ));
                    }
                }
                self.model.routes.push(Route {
                    kind: kind.clone(),
                    namespace,
                    name,
                    class: None,
                    classless: false,
                    backends,
                    conditions,
                    missing: Vec::new(),
                    parents: items(spec.get("parentRefs"))
                        .filter(|r| string(r.get("kind")).is_none_or(|k| k == "Gateway"))
                        .filter_map(|r| {
                            Some((
                                string(r.get("namespace")),
                                string(r.get("name"))?,
                                string(r.get("sectionName")),
                            ))
                        })
                        .collect(),
                    origin,
                });
            }
            "Gateway" => {
                let origin = self.origin(None, node);
                let mut conditions = Vec::new();
                let mut push = |listener: Option<String>, c: &Value, at: Origin| {
                    let field = |k: &str| string(c.get(k)).unwrap_or_default();
                    conditions.push(GatewayCondition {
                        listener,
                        kind: field("type"),
                        status: field("status"),
                        reason: field("reason"),
                        message: field("message"),
                        origin: at,
                    });
                };
                for c in items(get(value, &["status", "conditions"])) {
                    push(None, c, origin);
                }
                for l in items(get(value, &["status", "listeners"])) {
                    for c in items(l.get("conditions")) {
                        push(string(l.get("name")), c, origin);
                    }
                }
                self.model.gateways.push(Gateway {
                    namespace,
                    name,
                    class: string(spec.and_then(|s| s.get("gatewayClassName"))),
                    conditions,
                    origin,
                });
            }
            "Event" => {
                // core/v1 (`involvedObject`, `message`, `count`, `source`)
                // and events.k8s.io/v1 (`regarding`, `note`, `series`,
                // `reportingController`).
                let about = map.get("involvedObject").or_else(|| map.get("regarding"));
                let field = |key: &str| string(about.and_then(|a| a.get(key)));
                self.model.events.push(Event {
                    namespace: field("namespace").or(namespace),
                    kind: field("kind"),
                    name: field("name"),
                    warning: string(map.get("type")).as_deref() == Some("Warning"),
                    reason: string(map.get("reason")).unwrap_or_default(),
                    message: string(map.get("message").or_else(|| map.get("note")))
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                    count: number(map.get("count"))
                        .or_else(|| number(get(value, &["series", "count"])))
                        .or_else(|| number(map.get("deprecatedCount"))),
                    source: string(get(value, &["source", "component"]))
                        .or_else(|| string(map.get("reportingController")))
                        .or_else(|| string(get(value, &["deprecatedSource", "component"]))),
                    origin: self.origin(None, node),
                });
            }
            "Node" => {
                let origin = self.origin(None, node);
                let addresses = get(value, &["status", "addresses"]).and_then(Value::as_sequence);
                let internal_ip = addresses.into_iter().flatten().find_map(|a| {
                    (string(a.get("type")).as_deref() == Some("InternalIP"))
                        .then(|| string(a.get("address")))?
                });
                let ready = get(value, &["status", "conditions"])
                    .and_then(Value::as_sequence)
                    .and_then(|cs| {
                        cs.iter()
                            .find(|c| string(c.get("type")).as_deref() == Some("Ready"))
                    })
                    .and_then(|c| string(c.get("status")))
                    .map(|s| s == "True");
                self.model.nodes.push(K8sNode {
                    name,
                    internal_ip,
                    ready,
                    pod_cidr: string(get(value, &["spec", "podCIDR"])),
                    origin,
                });
            }
            _ => {}
        }
    }
}

fn endpoint_ports(value: Option<&Value>) -> Vec<EndpointPort> {
    value
        .and_then(Value::as_sequence)
        .map(|ports| {
            ports
                .iter()
                .map(|p| EndpointPort {
                    name: string(p.get("name")),
                    port: number(p.get("port")),
                    protocol: string(p.get("protocol")).unwrap_or_else(|| "TCP".into()),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The pod's `Ready` condition.
fn pod_ready(pod: &Value) -> Option<bool> {
    get(pod, &["status", "conditions"])?
        .as_sequence()?
        .iter()
        .find(|c| string(c.get("type")).as_deref() == Some("Ready"))
        .and_then(|c| string(c.get("status")))
        .map(|s| s == "True")
}

/// The kind of an object without `kind:` and without a command line, from
/// what its spec holds.
fn guess_kind(value: &Value, is_spec_piece: bool) -> Option<&'static str> {
    let spec = if is_spec_piece {
        Some(value)
    } else {
        value.get("spec")
    }?;
    if spec.get("template").is_some() || get(spec, &["selector", "matchLabels"]).is_some() {
        Some("Deployment")
    } else if spec.get("ports").is_some()
        || spec.get("clusterIP").is_some()
        || spec.get("selector").is_some()
    {
        Some("Service")
    } else if spec.get("containers").is_some() {
        Some("Pod")
    } else {
        None
    }
}

fn service_port(value: &Value) -> ServicePort {
    let port = number(value.get("port"));
    ServicePort {
        name: string(value.get("name")),
        port,
        protocol: string(value.get("protocol")).unwrap_or_else(|| "TCP".to_string()),
        // An object without targetPort gets the port (the API server's
        // default), so `None` is left to what a table does not show.
        target_port: match value.get("targetPort") {
            Some(Value::Number(n)) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(TargetPort::Number),
            Some(Value::String(s)) => Some(TargetPort::Name(s.clone())),
            _ => port.map(TargetPort::Number),
        },
        node_port: number(value.get("nodePort")),
    }
}
