//! The render stage: the report as people read it, in either language.
//! `markdown` is the web app's export and `--format markdown`; `text` is the
//! CLI's terminal report. Both say what the case resolved (the Service in
//! question, the client) and what each finding is about.

pub mod markdown;
pub mod text;

use crate::i18n::{Lang, Text};
use crate::report::{CaseReport, Severity, StepStatus, Subject, SubjectKind};

pub(crate) fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    Text { en, zh }.get(lang)
}

pub(crate) fn severity(lang: Lang, s: Severity) -> &'static str {
    match s {
        Severity::Error => t(lang, "error", "错误"),
        Severity::Warning => t(lang, "warning", "警告"),
        Severity::Info => t(lang, "info", "提示"),
    }
}

pub(crate) fn status(lang: Lang, s: StepStatus) -> &'static str {
    match s {
        StepStatus::Pass => t(lang, "pass", "通过"),
        StepStatus::Fail => t(lang, "fail", "失败"),
        StepStatus::Warn => t(lang, "warn", "警告"),
        StepStatus::Unknown => t(lang, "no evidence", "缺少证据"),
        StepStatus::NotApplicable => t(lang, "n/a", "不适用"),
    }
}

/// `Service shop/web`, `pod shop/web-1`, `the cluster DNS`, in words.
pub fn subject(lang: Lang, s: &Subject) -> String {
    let kind = match s.kind {
        SubjectKind::Service => "Service",
        SubjectKind::Pod => "Pod",
        SubjectKind::Workload => t(lang, "workload", "工作负载"),
        SubjectKind::Node => t(lang, "node", "节点"),
        SubjectKind::Client => t(lang, "client", "客户端"),
        SubjectKind::ClusterDns => t(lang, "cluster DNS", "集群 DNS"),
        SubjectKind::KubeProxy => "kube-proxy",
        SubjectKind::Network => t(lang, "pod network", "Pod 网络"),
    };
    let name = match (&s.namespace, &s.name) {
        (Some(ns), Some(n)) => format!(" {ns}/{n}"),
        (None, Some(n)) => format!(" {n}"),
        _ => String::new(),
    };
    let on = match (&s.service, s.kind) {
        (Some(svc), kind) if kind != SubjectKind::Service => {
            format!(
                "{}{}",
                t(
                    lang,
                    ", on the path to Service ",
                    "，位于 Service 的路径上："
                ),
                svc.label()
            )
        }
        _ => String::new(),
    };
    format!("{kind}{name}{on}")
}

/// What the case resolved, one line each: the Service in question and
/// where that was read, the client.
pub fn case_lines(lang: Lang, case: &CaseReport) -> Vec<String> {
    let mut out = Vec::new();
    match &case.service {
        Some(q) => {
            let name = match &q.namespace {
                Some(ns) => format!("{ns}/{}", q.name),
                None => q.name.clone(),
            };
            out.push(format!(
                "{}{name} ({})",
                t(lang, "Service in question: ", "所排查的 Service："),
                q.said
            ));
        }
        None => out.push(
            t(
                lang,
                "Service in question: not named by the evidence (name it with --service, or choose it in the page)",
                "所排查的 Service：证据中没有指明（用 --service 指定，或在页面中选择）",
            )
            .to_string(),
        ),
    }
    let c = &case.client;
    let who = match c.kind {
        crate::case::ClientKind::Pod => Some(format!(
            "{} {}{}",
            "Pod",
            c.name
                .as_deref()
                .unwrap_or(t(lang, "(name not shown)", "（名称未显示）")),
            c.namespace
                .as_deref()
                .map(|ns| format!(" ({}{ns})", t(lang, "namespace ", "命名空间 ")))
                .unwrap_or_default()
        )),
        crate::case::ClientKind::Host => Some(format!(
            "{} {}",
            t(lang, "host", "主机"),
            c.name.as_deref().unwrap_or_default()
        )),
        crate::case::ClientKind::Unknown => None,
    };
    if let Some(who) = who {
        let ip =
            c.ip.as_deref()
                .map(|ip| format!(", {ip}"))
                .unwrap_or_default();
        let line = c
            .evidence
            .as_ref()
            .map(|e| format!(" ({})", line_word(lang, e.lines[0])))
            .unwrap_or_default();
        out.push(format!(
            "{}{who}{ip}{line}",
            t(lang, "Client: ", "客户端：")
        ));
    }
    out
}

/// `line 12` / `第 12 行`.
pub(crate) fn line_word(lang: Lang, line: usize) -> String {
    t(lang, "line {n}", "第 {n} 行").replace("{n}", &line.to_string())
}

/// `line 12-14` / `第 12-14 行` for a range.
pub(crate) fn lines_word(lang: Lang, lines: [usize; 2]) -> String {
    let range = if lines[0] == lines[1] {
        lines[0].to_string()
    } else {
        format!("{}-{}", lines[0], lines[1])
    };
    t(lang, "line {n}", "第 {n} 行").replace("{n}", &range)
}
