use std::rc::Rc;

use svcdoctor_engine::report::{Evidence, Finding, ServiceRef, StepStatus};
use svcdoctor_engine::{Lang, Report, StepId, Verdict};
use yew::prelude::*;

use crate::i18n::{self, t, Msg};
use crate::state::Marks;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub report: Rc<Report>,
    /// The text changed since this report was made.
    pub stale: bool,
    pub selected: Option<StepId>,
    pub on_show: Callback<Marks>,
    pub on_copy: Callback<String>,
    /// The Service the user chose to ask about, if any.
    pub service: Option<ServiceRef>,
    pub on_service: Callback<Option<ServiceRef>>,
    /// A practice case's answer, hidden until the learner guesses.
    #[prop_or_default]
    pub hidden: bool,
    /// The learner's guess, once made.
    #[prop_or_default]
    pub guessed: Option<StepId>,
    #[prop_or_default]
    pub on_guess: Callback<StepId>,
    /// The user's answer for a step without evidence (`None`: forget it).
    #[prop_or_default]
    pub on_state: Callback<(StepId, Option<bool>)>,
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::RootCause => "root-cause",
        Verdict::Healthy => "healthy",
        Verdict::NeedEvidence => "need-evidence",
    }
}

/// The diagnosis: verdict, root cause, next step, the selected step, the
/// other findings.
#[component]
pub fn ResultPane(props: &Props) -> Html {
    let lang = props.lang;
    let report = &props.report;
    let (class, mut text) = match report.verdict {
        Verdict::RootCause => (
            "banner banner-fail",
            i18n::verdict(lang, report.verdict).to_string(),
        ),
        Verdict::Healthy => (
            "banner banner-pass",
            i18n::verdict(lang, report.verdict).to_string(),
        ),
        Verdict::NeedEvidence => (
            "banner banner-unknown",
            i18n::verdict(lang, report.verdict).to_string(),
        ),
    };
    if props.stale {
        text = format!("{} · {}", text, t(lang, Msg::Diagnosing));
    }
    if props.hidden {
        return guess_card(lang, report, &props.on_guess);
    }
    let root_code = report.root_cause.as_ref().map(|r| r.finding.code.clone());
    let others: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| Some(&f.code) != root_code.as_ref())
        .collect();
    html! {
        <section id="diagnosis" class="result" tabindex="-1" aria-labelledby="result-title" aria-busy={props.stale.to_string()}>
            <h2 id="result-title">{ t(lang, Msg::Diagnosis) }</h2>
                        <p id="verdict" class={class} role="status" data-verdict={verdict_name(report.verdict)}>{ text }</p>
            if props.stale {
                <progress id="busy" aria-label={t(lang, Msg::Diagnosing)}></progress>
            }
            { read_problems(lang, report, &props.on_show) }
            // A dump pasted alone: what was read from it.
            if let [only] = report.artifacts.as_slice() {
                if !only.read.is_empty() {
                    <p id="read-summary" class="hint">{ crate::i18n::fill(lang, Msg::ReadSummary, &[("counts", &crate::i18n::counts(lang, &only.read))]) }</p>
                }
            }
            { case(lang, report, props) }
            if let Some(stated) = svcdoctor_engine::render::stated_line(lang, report) {
                <p id="stated-summary" class="hint">{ stated }</p>
            }
            if report.verdict == Verdict::Healthy && !report.not_checked.is_empty() {
                <p class="hint">{ format!("{}: {}", t(lang, Msg::NotChecked), report.not_checked.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")) }</p>
            }
            if let (Some(guess), Some(root)) = (props.guessed, &report.root_cause) {
                <p id="guess-result" class={classes!("guess", (guess == root.finding.step).then_some("right"))}>
                    { if guess == root.finding.step {
                        crate::i18n::fill(lang, Msg::GuessRight, &[("step", guess.as_str())])
                    } else {
                        crate::i18n::fill(lang, Msg::GuessWrong, &[("step", guess.as_str()), ("answer", root.finding.step.as_str())])
                    } }
                </p>
            }
            if let Some(root) = &report.root_cause {
                <article id="root-cause" class="card" data-code={root.finding.code.clone()}>
                    { finding_body(lang, report, &root.finding, &props.on_show, &props.on_copy, t(lang, Msg::RootCause)) }
                    if !root.explains.is_empty() {
                        <p class="explains">{ format!("{}: {}", t(lang, Msg::Explains), root.explains.join(", ")) }</p>
                    }
                </article>
            }
            { for report.next.iter().map(|n| {
                html! {
                    <article id="next-step" class="card next" data-step={n.step.as_str()}>
                        <header><span class="code">{ format!("{} · {}", t(lang, Msg::NextStep), n.step) }</span></header>
                        <p>{ &n.why }</p>
                        { command_box(lang, &n.command, &props.on_copy) }
                        <p class="hint">{ t(lang, Msg::NextHint) }</p>
                    </article>
                }
            }) }
            if let Some(step) = props.selected {
                { step_details(lang, report, step, props) }
            }
            if !others.is_empty() {
                <section class="others" aria-labelledby="others-title">
                    <h3 id="others-title">{ t(lang, Msg::OtherFindings) }</h3>
                    { for others.iter().enumerate().map(|(i, f)| html! {
                        <>
                        if i == 0 || others[i - 1].step != f.step {
                            <h4 class="group">{ format!("{} {} · {}", t(lang, Msg::StepDetails), f.step, report.steps.iter().find(|s| s.id == f.step).map(|s| s.title.as_str()).unwrap_or("")) }</h4>
                        }
                        <details class={classes!("finding", severity_class(f))} data-code={f.code.clone()}>
                            <summary>
                                <span class="code">{ &f.code }</span>
                                { format!(" {} · {} · {}", f.step, i18n::severity(lang, f.severity), f.message) }
                            </summary>
                            { finding_body(lang, report, f, &props.on_show, &props.on_copy, "") }
                        </details>
                        </>
                    }) }
                </section>
            }
        </section>
    }
}

/// "Guess first": the question instead of the answer, with the flowchart's
/// steps to choose from.
fn guess_card(lang: Lang, report: &Report, on_guess: &Callback<StepId>) -> Html {
    let menu = NodeRef::default();
    let check = {
        let menu = menu.clone();
        let cb = on_guess.clone();
        Callback::from(move |_| {
            let chosen = menu.cast::<web_sys::HtmlSelectElement>().and_then(|m| {
                StepId::ALL
                    .iter()
                    .copied()
                    .find(|s| s.as_str() == m.value())
            });
            if let Some(step) = chosen {
                cb.emit(step);
            }
        })
    };
    html! {
        <section id="diagnosis" class="result" tabindex="-1" aria-labelledby="result-title">
            <h2 id="result-title">{ t(lang, Msg::Diagnosis) }</h2>
            <article id="guess" class="card next">
                <p><label for="guess-step">{ t(lang, Msg::GuessQuestion) }</label></p>
                <select id="guess-step" ref={menu}>
                    { for report.steps.iter().map(|s| html! {
                        <option value={s.id.as_str()}>{ format!("{} · {}", s.id, s.title) }</option>
                    }) }
                </select>{ " " }
                <button id="guess-check" type="button" onclick={check}>{ t(lang, Msg::GuessCheck) }</button>
            </article>
        </section>
    }
}

/// A command to run, with a button that copies exactly it.
fn command_box(lang: Lang, command: &str, on_copy: &Callback<String>) -> Html {
    let copy = {
        let cb = on_copy.clone();
        let command = command.to_string();
        Callback::from(move |_| cb.emit(command.clone()))
    };
    html! {
        <div class="command">
            <pre><code>{ command }</code></pre>
            <button type="button" class="copy" onclick={copy}>{ t(lang, Msg::Copy) }</button>
        </div>
    }
}

fn severity_class(f: &Finding) -> &'static str {
    match f.severity {
        svcdoctor_engine::Severity::Error => "sev-error",
        svcdoctor_engine::Severity::Warning => "sev-warning",
        svcdoctor_engine::Severity::Info => "sev-info",
    }
}

/// The details panel of a flowchart step.
fn step_details(lang: Lang, report: &Report, step: StepId, props: &Props) -> Html {
    let (on_show, on_copy) = (&props.on_show, &props.on_copy);
    let answer = |value: Option<bool>| {
        let cb = props.on_state.clone();
        Callback::from(move |_| cb.emit((step, value)))
    };
    let Some(s) = report.steps.iter().find(|s| s.id == step) else {
        return html! {};
    };
    let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.step == step).collect();
    let class = match s.status {
        StepStatus::Fail => "card step-card fail",
        StepStatus::Warn => "card step-card warn",
        _ => "card step-card",
    };
    html! {
        <article id="step-details" class={class} data-step={step.as_str()}>
            <header>
                <span class="code">{ format!("{} {}", t(lang, Msg::StepDetails), step) }</span>
                <span class="step">{ i18n::status(lang, s.status) }</span>
            </header>
            <p class="message">{ &s.title }</p>
            if let Some(check) = &s.check {
                <p>{ &check.why }</p>
                { command_box(lang, &check.command, on_copy) }
                // No output at hand: the person's own answer, marked as
                // theirs wherever it counts.
                if let Some(said) = s.stated {
                    <p id="stated" class="stated">
                        { crate::i18n::fill(lang, Msg::StatedByYou, &[("answer", t(lang, if said { Msg::Yes } else { Msg::No }))]) }{ " " }
                        <button id="state-forget" type="button" onclick={answer(None)}>{ t(lang, Msg::Forget) }</button>
                    </p>
                } else {
                    <p class="stated">
                        { t(lang, Msg::StateQuestion) }{ " " }
                        <button id="state-yes" type="button" onclick={answer(Some(true))}>{ t(lang, Msg::Yes) }</button>{ " " }
                        <button id="state-no" type="button" onclick={answer(Some(false))}>{ t(lang, Msg::No) }</button>
                    </p>
                }
            } else if findings.is_empty() {
                <p class="hint">{ t(lang, Msg::NoFindings) }</p>
            }
            { for findings.iter().map(|f| finding_body(lang, report, f, on_show, on_copy, "")) }
        </article>
    }
}

fn finding_body(
    lang: Lang,
    report: &Report,
    f: &Finding,
    on_show: &Callback<Marks>,
    on_copy: &Callback<String>,
    label: &str,
) -> Html {
    // Every evidence range of the finding is marked at once.
    let ranges = Marks::ranges_of(f);
    html! {
        <>
            <header>
                if !label.is_empty() { <span class="label">{ label }</span> }
                <span class="code">{ &f.code }</span>
                <span class="slug">{ &f.slug }</span>
                <span class="step">{ format!("{} · {}", f.step, i18n::severity(lang, f.severity)) }</span>
            </header>
            <p class="message">{ &f.message }</p>
            <p class="subject">{ format!("{}: {}", t(lang, Msg::About), svcdoctor_engine::render::subject(lang, &f.subject)) }</p>
            <h3 class="part">{ t(lang, Msg::Evidence) }</h3>
            { for f.evidence.iter().map(|e| evidence(lang, e, &ranges, on_show, file_of(report, e))) }
            <h3 class="part">{ t(lang, Msg::Fix) }</h3>
            <p class="fix">{ &f.fix }</p>
            // Each runnable command on its own, with its own copy button.
            { for svcdoctor_engine::render::commands(&f.fix).iter().map(|c| command_box(lang, c, on_copy)) }
        </>
    }
}

/// The file an evidence's output came from, if the paste named one.
fn file_of<'r>(report: &'r Report, e: &Evidence) -> Option<&'r str> {
    report.artifacts.get(e.artifact)?.file.as_deref()
}

fn evidence(
    lang: Lang,
    e: &Evidence,
    ranges: &Rc<[[usize; 2]]>,
    on_show: &Callback<Marks>,
    file: Option<&str>,
) -> Html {
    let [first, last] = e.lines;
    let lines = svcdoctor_engine::render::lines_word(lang, e.lines);
    let lines = match file {
        Some(file) => format!("{file} · {lines}"),
        None => lines,
    };
    let show = {
        let cb = on_show.clone();
        let marks = Marks {
            ranges: ranges.clone(),
            focus: e.lines,
        };
        Callback::from(move |_| cb.emit(marks.clone()))
    };
    html! {
        <button type="button" class="evidence" onclick={show} title={t(lang, Msg::EvidenceHint)} data-lines={format!("{first}-{last}")}>
            <span class="evidence-lines">{ lines }</span>
            <pre>{ &e.excerpt }</pre>
        </button>
    }
}

/// The outputs that could not be read in full, counted, each remark with a
/// button that marks its line in the paste (where it is marked already).
fn read_problems(lang: Lang, report: &Report, on_show: &Callback<Marks>) -> Html {
    let problems: Vec<_> = crate::state::read_problems(report).collect();
    if problems.is_empty() {
        return Html::default();
    }
    // Counted by output, not by remark (the remarks come grouped by output).
    let mut outputs: Vec<usize> = problems.iter().map(|(a, _)| a.index).collect();
    outputs.dedup();
    let title = match outputs.len() {
        1 => t(lang, Msg::ReadProblem).to_string(),
        n => crate::i18n::fill(lang, Msg::ReadProblems, &[("n", &n.to_string())]),
    };
    html! {
        <section id="read-problems" class="card warn" aria-labelledby="read-problems-title">
            <h3 id="read-problems-title">{ title }</h3>
            <ul>
                { for problems.iter().map(|(a, d)| {
                    let show = {
                        let cb = on_show.clone();
                        let line = d.line;
                        Callback::from(move |_| cb.emit(Marks::one([line, line])))
                    };
                    html! {
                        <li>
                            <button type="button" class="linkish" onclick={show}>{ svcdoctor_engine::render::line_word(lang, d.line) }</button>
                            { format!(" ({}): {}", a.command.as_deref().unwrap_or(a.kind.as_str()), d.message) }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// What the case resolved (the Service in question and where that was
/// read, the client), with the choice of another pasted Service.
fn case(lang: Lang, report: &Report, props: &Props) -> Html {
    let lines = svcdoctor_engine::render::case_lines(lang, &report.case);
    if report.artifacts.is_empty() {
        return Html::default();
    }
    let services = report.case.services.clone();
    let choose = {
        let cb = props.on_service.clone();
        let services = services.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let chosen = select
                .value()
                .parse::<usize>()
                .ok()
                .and_then(|i| services.get(i).cloned());
            cb.emit(chosen)
        })
    };
    let show = report
        .case
        .service
        .as_ref()
        .and_then(|q| q.evidence.as_ref())
        .map(|e| {
            let cb = props.on_show.clone();
            let range = e.lines;
            Callback::from(move |_| cb.emit(Marks::one(range)))
        });
    html! {
        <div id="case" class="case">
            <p id="case-service">
                { lines.first().cloned().unwrap_or_default() }
                if let Some(show) = show {
                    { " " }<button type="button" class="linkish" onclick={show}>{ t(lang, Msg::Evidence) }</button>
                }
            </p>
            if services.len() > 1 || props.service.is_some() {
                <p>
                    <label for="service-choice">{ t(lang, Msg::AskAbout) }</label>{ " " }
                    <select id="service-choice" onchange={choose}>
                        <option value="" selected={props.service.is_none()}>{ t(lang, Msg::AsFound) }</option>
                        { for services.iter().enumerate().map(|(i, s)| html! {
                            <option value={i.to_string()} selected={props.service.as_ref() == Some(s)}>{ s.label() }</option>
                        }) }
                    </select>
                </p>
            }
            if report.case.client.kind != svcdoctor_engine::context::case::ClientKind::Unknown {
                if let Some(client) = lines.get(1) {
                    <p id="case-client">{ client }</p>
                }
            }
            // What the probes of the Service got, in words, each with a
            // button to its line.
            { for report.case.reached.iter().map(|r| {
                let show = {
                    let cb = props.on_show.clone();
                    let range = r.evidence.lines;
                    Callback::from(move |_| cb.emit(Marks::one(range)))
                };
                html! {
                    <p class={classes!("reached", if r.answered { "pass" } else { "fail" })}>
                        { &r.said }{ " " }
                        <button type="button" class="linkish" onclick={show}>{ svcdoctor_engine::render::line_word(lang, r.evidence.lines[0]) }</button>
                    </p>
                }
            }) }
        </div>
    }
}
