//! Parsers: one per artifact kind. A parser never fails: it adds what it can
//! read to the model and reports the rest as line-numbered diagnostics.

pub mod cilium;
pub mod conntrack;
pub mod dns;
pub mod iptables;
pub mod ipvs;
pub mod k8s;
pub mod kubectl;
pub mod kubelet;
pub mod logs;
pub mod misc;
pub mod nftables;
pub mod node;
pub mod outline;
pub mod resolv;

use crate::i18n::{Lang, Text};
use crate::model::ProxyMode;
use crate::model::{Model, Origin, ProxyDump};
use crate::read::artifact::{Artifact, ArtifactKind};
use crate::read::command::{Command, Kubectl};
use crate::report::{Diagnostic, Severity};

/// What a parser works with: its artifact, the lines of the artifact's source,
/// and the diagnostics it reports.
pub struct Context<'a> {
    pub artifact: &'a Artifact,
    lines: &'a [&'a str],
    pub kubectl: Option<Kubectl>,
    pub diagnostics: Vec<Diagnostic>,
    pub lang: Lang,
}

impl<'a> Context<'a> {
    pub fn new(artifact: &'a Artifact, lines: &'a [&'a str], lang: Lang) -> Context<'a> {
        Context {
            artifact,
            lines,
            kubectl: artifact.command.as_ref().and_then(|c| c.kubectl()),
            diagnostics: Vec::new(),
            lang,
        }
    }

    /// The output lines with their 1-based numbers.
    pub fn body(&self) -> Vec<(usize, &'a str)> {
        let a = self.artifact;
        (a.body_start..=a.last_line)
            .filter_map(|no| Some((no, *self.lines.get(no.checked_sub(1)?)?)))
            .collect()
    }

    /// The command that printed the output: the command line itself, or
    /// the one run inside a pod by `kubectl exec/run/debug ... -- CMD`.
    pub fn tool_command(&self) -> Option<Command> {
        let cmd = self.artifact.command.as_ref()?;
        match &self.kubectl {
            Some(k) if !k.inner.is_empty() => Command::from_words(&k.inner),
            _ => Some(cmd.clone()),
        }
    }

    pub fn body_start(&self) -> usize {
        self.artifact.body_start
    }

    /// Reports a remark about `line`, in the report's language, with
    /// `{name}` placeholders filled in.
    pub fn say(&mut self, line: usize, severity: Severity, text: Text, values: &[(&str, &str)]) {
        let mut message = text.get(self.lang).to_string();
        for (key, value) in values {
            message = message.replace(&format!("{{{key}}}"), value);
        }
        self.diagnostics.push(Diagnostic {
            line,
            severity,
            message,
        });
    }

    /// A dump of proxy rules spanning the whole output (or, when it is
    /// empty, the command line: a grep that matched nothing).
    pub fn dump(&self, mode: ProxyMode, tables: Vec<String>) -> ProxyDump {
        let body = self.body();
        let first = body.first().map_or(self.artifact.first_line, |(n, _)| *n);
        let last = body.last().map_or(self.artifact.last_line, |(n, _)| *n);
        ProxyDump {
            mode,
            tables,
            filtered: self
                .artifact
                .command
                .as_ref()
                .is_some_and(|c| c.is_filtered()),
            legacy_warning: None,
            cluster_ips: None,
            nodeport_ips: None,
            service_cidrs: Vec::new(),
            origin: self.origin([first, last]),
        }
    }

    pub fn origin(&self, lines: [usize; 2]) -> Origin {
        Origin {
            artifact: self.artifact.index,
            source: self.artifact.source,
            lines,
        }
    }
}

/// Parses one artifact into the model and returns its diagnostics.
pub fn parse(
    artifact: &Artifact,
    lines: &[&str],
    model: &mut Model,
    lang: Lang,
) -> Vec<Diagnostic> {
    // What this artifact adds makes any index of the model out of date.
    model.index.take();
    let mut cx = Context::new(artifact, lines, lang);
    match artifact.kind {
        ArtifactKind::K8sObjects => k8s::parse(&mut cx, model),
        ArtifactKind::KubectlTable => kubectl::parse_table(&mut cx, model),
        ArtifactKind::KubectlDescribe => kubectl::parse_describe(&mut cx, model),
        ArtifactKind::KubectlError => kubectl::parse_error(&mut cx, model),
        ArtifactKind::Resolv => resolv::parse(&mut cx, model),
        ArtifactKind::Nslookup => dns::parse_nslookup(&mut cx, model),
        ArtifactKind::Dig => dns::parse_dig(&mut cx, model),
        ArtifactKind::HttpProbe => misc::parse_probe(&mut cx, model),
        ArtifactKind::ProcessList => {
            misc::parse_processes(&mut cx, model);
            kubelet::scan(&cx, model);
        }
        ArtifactKind::Sockets => misc::parse_sockets(&mut cx, model),
        ArtifactKind::KubeProxyLogs => logs::parse_kube_proxy(&mut cx, model),
        ArtifactKind::CorednsLogs => logs::parse_coredns(&mut cx, model),
        ArtifactKind::Iptables => iptables::parse(&mut cx, model),
        ArtifactKind::Ipvs => ipvs::parse(&mut cx, model),
        ArtifactKind::Nftables => nftables::parse(&mut cx, model),
        ArtifactKind::Kubelet => kubelet::parse(&mut cx, model),
        ArtifactKind::NodeSettings => node::parse(&mut cx, model),
        ArtifactKind::Cilium => cilium::parse(&mut cx, model),
        ArtifactKind::Conntrack => conntrack::parse(&mut cx, model),
        ArtifactKind::Unknown => {
            let line = artifact.body_start.min(artifact.last_line);
            cx.say(
                line,
                Severity::Info,
                crate::text!(
                    "not recognised as any output svcdoctor reads; choose its kind if you know it",
                    "无法识别为 svcdoctor 能读取的任何输出；如果你知道它的类型，请手动选择"
                ),
                &[],
            );
        }
    }
    cx.diagnostics
}
