use std::rc::Rc;

use svcdoctor_engine::report::{Evidence, RootCause, StepStatus};
use svcdoctor_engine::{Report, Verdict};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
    /// The text changed since this report was made.
    pub stale: bool,
}

/// The diagnosis: verdict, root cause card, what was read.
#[component]
pub fn ResultPane(props: &Props) -> Html {
    let report = &props.report;
    html! {
        <section class="result" aria-labelledby="result-title" aria-busy={props.stale.to_string()}>
            <h2 id="result-title">{ "Diagnosis" }</h2>
            <Banner report={report.clone()} />
            if let Some(root) = &report.root_cause {
                <RootCauseCard root={root.clone()} />
            }
            <Steps report={report.clone()} />
            <Artifacts report={report.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ReportProps {
    report: Rc<Report>,
}

#[component]
fn Banner(props: &ReportProps) -> Html {
    let report = &props.report;
    let (class, text) = match report.verdict {
        Verdict::RootCause => ("banner banner-fail", "Root cause found".to_string()),
        Verdict::Healthy => (
            "banner banner-pass",
            format!(
                "Healthy: every step with evidence passes ({} not checked)",
                report.not_checked.len()
            ),
        ),
        Verdict::NeedEvidence => (
            "banner banner-unknown",
            "Nothing wrong found yet: paste more output".to_string(),
        ),
    };
    html! { <p id="verdict" class={class} role="status" data-verdict={verdict_name(report.verdict)}>{ text }</p> }
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::RootCause => "root-cause",
        Verdict::Healthy => "healthy",
        Verdict::NeedEvidence => "need-evidence",
    }
}

#[derive(Properties, PartialEq)]
struct RootProps {
    root: RootCause,
}

#[component]
fn RootCauseCard(props: &RootProps) -> Html {
    let f = &props.root.finding;
    html! {
        <article id="root-cause" class="card" data-code={f.code.clone()}>
            <header>
                <span class="code">{ &f.code }</span>
                <span class="slug">{ &f.slug }</span>
                <span class="step">{ format!("step {}", f.step) }</span>
            </header>
            <p class="message">{ &f.message }</p>
            <h3>{ "Evidence" }</h3>
            { for f.evidence.iter().map(evidence) }
            <h3>{ "Fix" }</h3>
            <pre class="fix">{ &f.fix }</pre>
        </article>
    }
}

fn evidence(e: &Evidence) -> Html {
    let [first, last] = e.lines;
    let lines = if first == last {
        format!("line {first}")
    } else {
        format!("lines {first}–{last}")
    };
    html! {
        <figure class="evidence">
            <figcaption>{ lines }</figcaption>
            <pre>{ &e.excerpt }</pre>
        </figure>
    }
}

#[component]
fn Steps(props: &ReportProps) -> Html {
    html! {
        <ol class="steps" aria-label="Flowchart steps">
            { for props.report.steps.iter().map(|s| {
                let (class, label) = match s.status {
                    StepStatus::Pass => ("pass", "pass"),
                    StepStatus::Fail => ("fail", "fail"),
                    StepStatus::Warn => ("warn", "warn"),
                    StepStatus::Unknown => ("unknown", "no evidence"),
                    StepStatus::NotApplicable => ("na", "n/a"),
                };
                html! {
                    <li class={classes!("step", class)} title={s.title.clone()}>
                        <span class="step-id">{ s.id.as_str() }</span>
                        <span class="step-status">{ label }</span>
                    </li>
                }
            }) }
        </ol>
    }
}

#[component]
fn Artifacts(props: &ReportProps) -> Html {
    let artifacts = &props.report.artifacts;
    if artifacts.is_empty() {
        return html! {};
    }
    html! {
        <details class="artifacts">
            <summary>{ format!("Read {} outputs", artifacts.len()) }</summary>
            <ul>
                { for artifacts.iter().map(|a| html! {
                    <li>
                        <span class="kind">{ a.kind.as_str() }</span>
                        { format!(" lines {}–{}", a.lines[0], a.lines[1]) }
                        if let Some(cmd) = &a.command { <code>{ cmd }</code> }
                        { for a.diagnostics.iter().map(|d| html! {
                            <div class="diag">{ format!("line {}: {}", d.line, d.message) }</div>
                        }) }
                    </li>
                }) }
            </ul>
        </details>
    }
}
