//! The render stage: the report as people read it, in either language.
//! `markdown` is the web app's export and `--format markdown`; `text` is the
//! CLI's terminal report; `inspect` shows what was read of each output
//! before any rule ran; `catalog` is the rule catalog as documents. Both say what the case resolved (the Service in
//! question, the client) and what each finding is about.

pub mod catalog;
mod commands;
mod explain;
pub use commands::commands;
pub use explain::{explain, explains};
pub mod inspect;
pub mod markdown;
pub mod text;

use crate::i18n::Lang;
use crate::report::{CaseReport, Severity, StepStatus, Subject, SubjectKind};

pub(crate) fn severity(lang: Lang, s: Severity) -> &'static str {
    match s {
        Severity::Error => crate::text!("error", "错误").get(lang),
        Severity::Warning => crate::text!("warning", "警告").get(lang),
        Severity::Info => crate::text!("info", "提示").get(lang),
    }
}

pub(crate) fn status(lang: Lang, s: StepStatus) -> &'static str {
    match s {
        StepStatus::Pass => crate::text!("pass", "通过").get(lang),
        StepStatus::Fail => crate::text!("fail", "失败").get(lang),
        StepStatus::Warn => crate::text!("warn", "警告").get(lang),
        StepStatus::Unknown => crate::text!("no evidence", "缺少证据").get(lang),
        StepStatus::NotApplicable => crate::text!("n/a", "不适用").get(lang),
    }
}

/// `Service shop/web`, `pod shop/web-1`, `the cluster DNS`, in words.
pub fn subject(lang: Lang, s: &Subject) -> String {
    let kind = match s.kind {
        SubjectKind::Service => "Service",
        SubjectKind::Pod => "Pod",
        SubjectKind::Workload => crate::text!("workload", "工作负载").get(lang),
        SubjectKind::Node => crate::text!("node", "节点").get(lang),
        SubjectKind::Client => crate::text!("client", "客户端").get(lang),
        SubjectKind::ClusterDns => crate::text!("cluster DNS", "集群 DNS").get(lang),
        SubjectKind::KubeProxy => "kube-proxy",
        SubjectKind::Network => crate::text!("pod network", "Pod 网络").get(lang),
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
                crate::text!(", on the path to Service ", "，位于 Service 的路径上：").get(lang),
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
                crate::text!("Service in question: ", "所排查的 Service：").get(lang),
                q.said
            ));
        }
        None => out.push(
            crate::text!("Service in question: not named by the evidence (name it with --service, or choose it in the page)", "所排查的 Service：证据中没有指明（用 --service 指定，或在页面中选择）").get(lang)
            .to_string(),
        ),
    }
    let c = &case.client;
    let who = match c.kind {
        crate::context::case::ClientKind::Pod => Some(format!(
            "{} {}{}",
            "Pod",
            c.name
                .as_deref()
                .unwrap_or(crate::text!("(name not shown)", "（名称未显示）").get(lang)),
            c.namespace
                .as_deref()
                .map(|ns| format!(
                    " ({}{ns})",
                    crate::text!("namespace ", "命名空间 ").get(lang)
                ))
                .unwrap_or_default()
        )),
        crate::context::case::ClientKind::Host => Some(format!(
            "{} {}",
            crate::text!("host", "主机").get(lang),
            c.name.as_deref().unwrap_or_default()
        )),
        crate::context::case::ClientKind::Unknown => None,
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
            crate::text!("Client: ", "客户端：").get(lang)
        ));
    }
    out.extend(reached_lines(lang, case));
    out
}

/// The steps whose status rests on the user's word, not on the paste:
/// "Stated by you, not shown by the paste: A2 yes, B6 no".
pub fn stated_line(lang: Lang, report: &crate::report::Report) -> Option<String> {
    let said: Vec<String> = report
        .steps
        .iter()
        .filter_map(|s| {
            let answer = match s.stated? {
                true => crate::text!("yes", "是"),
                false => crate::text!("no", "否"),
            };
            Some(format!("{} {}", s.id, answer.get(lang)))
        })
        .collect();
    (!said.is_empty()).then(|| {
        format!(
            "{}{}",
            crate::text!(
                "Stated by you, not shown by the paste: ",
                "由你陈述、粘贴内容中没有证据的步骤："
            )
            .get(lang),
            said.join(", ")
        )
    })
}

/// What each probe of the Service in question got, in words, with its line.
pub fn reached_lines(lang: Lang, case: &CaseReport) -> Vec<String> {
    case.reached
        .iter()
        .map(|r| format!("{} ({})", r.said, line_word(lang, r.evidence.lines[0])))
        .collect()
}

/// `line 12` / `第 12 行`.
pub fn line_word(lang: Lang, line: usize) -> String {
    crate::text!("line {n}", "第 {n} 行")
        .get(lang)
        .replace("{n}", &line.to_string())
}

/// `line 12` / `lines 12–14` / `第 12–14 行`: one line is never "lines".
pub fn lines_word(lang: Lang, lines: [usize; 2]) -> String {
    if lines[0] == lines[1] {
        return line_word(lang, lines[0]);
    }
    crate::text!("lines {n}", "第 {n} 行")
        .get(lang)
        .replace("{n}", &format!("{}–{}", lines[0], lines[1]))
}
