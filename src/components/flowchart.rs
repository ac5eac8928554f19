use std::rc::Rc;

use svcdoctor_engine::report::{StepStatus, Via};
use svcdoctor_engine::{Lang, Report, StepId};
use yew::prelude::*;

use crate::i18n::{self, t, Msg};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub report: Rc<Report>,
    pub selected: Option<StepId>,
    pub on_select: Callback<Option<StepId>>,
    /// A phone's width: one column, taller boxes, so that the steps stay
    /// readable and at least 44 px tall to tap.
    #[prop_or_default]
    pub narrow: bool,
    /// A practice case not guessed yet: no step shows its status.
    #[prop_or_default]
    pub hidden: bool,
}

/// A step's short label for the drawing.
fn short(step: StepId, lang: Lang) -> &'static str {
    use StepId::*;
    let text = match step {
        A1 => svcdoctor_engine::text!("CoreDNS pods running", "CoreDNS Pod 运行中"),
        A2 => svcdoctor_engine::text!("kube-dns has endpoints", "kube-dns 有 Endpoints"),
        A3 => svcdoctor_engine::text!("name resolves in a pod", "Pod 内能解析名称"),
        A4 => svcdoctor_engine::text!("resolves from a node", "节点上能解析"),
        A5 => svcdoctor_engine::text!("pod resolv.conf right", "Pod 的 resolv.conf 正确"),
        A6 => svcdoctor_engine::text!("policy allows DNS", "策略放行 DNS"),
        B0 => svcdoctor_engine::text!("Ingress / route leads here", "Ingress / 路由指向这里"),
        B1 => svcdoctor_engine::text!("Service exists", "Service 存在"),
        B2 => svcdoctor_engine::text!("ports right", "端口配置正确"),
        B3 => svcdoctor_engine::text!("selector finds pods", "selector 选中 Pod"),
        B4 => svcdoctor_engine::text!("pods serve", "Pod 正常服务"),
        B5 => svcdoctor_engine::text!("cross-node traffic", "跨节点流量"),
        B6 => svcdoctor_engine::text!("policy allows client", "策略放行客户端"),
        B7 => svcdoctor_engine::text!("kube-proxy healthy", "kube-proxy 正常"),
        B8 => svcdoctor_engine::text!("proxy rules right", "代理规则正确"),
        B9 => svcdoctor_engine::text!("traffic policy", "流量策略"),
    };
    text.get(lang)
}

fn on_path(step: StepId, via: Via) -> bool {
    match step {
        StepId::A1 | StepId::A2 | StepId::A3 | StepId::A4 | StepId::A5 | StepId::A6 => {
            via == Via::Name
        }
        StepId::B9 => matches!(via, Via::NodePort | Via::Hairpin),
        // Only where a front door was pasted (drawn n/a otherwise).
        StepId::B0 => false,
        _ => true,
    }
}

const BOX_W: i32 = 280;
const BOX_H: i32 = 34;
/// The boxes' height in one column: the chart is then about 300 units wide
/// and drawn at least as wide as that on a phone, so 40 units are >= 44 px.
const NARROW_H: i32 = 40;
const GAP: i32 = 12;
const TOP: i32 = 44;

/// The flowchart of the tutorial, drawn as SVG: problem 1 (A1-A6) and
/// problem 2 (B0-B9), each step coloured by its status, the client's path
/// emphasised; a click or Enter on a step selects it.
#[component]
pub fn Flowchart(props: &Props) -> Html {
    let lang = props.lang;
    let report = &props.report;
    let via = report.via.value;
    let stated = |id: StepId| {
        report
            .steps
            .iter()
            .any(|s| s.id == id && s.stated.is_some() && !props.hidden)
    };
    let status = |id: StepId| {
        report
            .steps
            .iter()
            .find(|s| s.id == id && !props.hidden)
            .map_or(StepStatus::Unknown, |s| s.status)
    };
    let a: Vec<StepId> = StepId::ALL
        .iter()
        .copied()
        .filter(|s| s.as_str().starts_with('A'))
        .collect();
    let b: Vec<StepId> = StepId::ALL
        .iter()
        .copied()
        .filter(|s| s.as_str().starts_with('B'))
        .collect();
    let box_h = if props.narrow { NARROW_H } else { BOX_H };
    // One column: the B steps below the A steps, under their own heading.
    let b_top = if props.narrow {
        TOP + (a.len() as i32) * (box_h + GAP) + TOP - 8
    } else {
        TOP
    };
    let height = b_top + (b.len() as i32) * (box_h + GAP) + 8;
    let step_box = |id: StepId, x: i32, top: i32, row: usize| {
        let y = top + row as i32 * (box_h + GAP);
        let st = status(id);
        let class = classes!(
            "fc-step",
            match st {
                StepStatus::Pass => "pass",
                StepStatus::Fail => "fail",
                StepStatus::Warn => "warn",
                StepStatus::Unknown => "unknown",
                StepStatus::NotApplicable => "na",
            },
            on_path(id, via).then_some("on-path"),
            (props.selected == Some(id)).then_some("selected"),
            // Resting on the user's word: drawn dashed.
            stated(id).then_some("stated"),
        );
        let select = {
            let cb = props.on_select.clone();
            let again = props.selected == Some(id);
            Callback::from(move |_: MouseEvent| cb.emit(if again { None } else { Some(id) }))
        };
        let key = {
            let cb = props.on_select.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    cb.emit(Some(id));
                }
            })
        };
        let arrow = (row > 0).then(|| {
            html! { <line class={classes!("fc-arrow", on_path(id, via).then_some("on-path"))}
            x1={(x + BOX_W / 2).to_string()} y1={(y - GAP).to_string()}
            x2={(x + BOX_W / 2).to_string()} y2={(y - 2).to_string()} marker-end="url(#arrow)" /> }
        });
        html! {
            <>
                { for arrow }
                // The accessible name is the box's visible text (id, words,
                // status), so that a speech user can say what they see.
                <g class={class} tabindex="0" role="button" aria-pressed={(props.selected == Some(id)).to_string()}
                    data-step={id.as_str()} data-status={i18n::status(Lang::En, st)} onclick={select} onkeydown={key}>
                    <rect x={x.to_string()} y={y.to_string()} width={BOX_W.to_string()} height={box_h.to_string()} rx="6" />
                    <text x={(x + 10).to_string()} y={(y + box_h / 2 + 5).to_string()} class="fc-id">{ id.as_str() }</text>
                    <text x={(x + 40).to_string()} y={(y + box_h / 2 + 5).to_string()}>{ short(id, lang) }</text>
                    <text x={(x + BOX_W - 10).to_string()} y={(y + box_h / 2 + 5).to_string()} text-anchor="end" class="fc-status">{ i18n::status(lang, st) }</text>
                </g>
            </>
        }
    };
    // The B column's left edge (the same as A's in one column).
    let bx = if props.narrow { 2 } else { BOX_W + 40 };
    let width = if props.narrow {
        BOX_W + 4
    } else {
        bx + BOX_W + 4
    };
    html! {
        <section class="flowchart" aria-labelledby="flowchart-title">
            <h3 id="flowchart-title">{ t(lang, Msg::Flowchart) }</h3>
            <p class="hint">{ t(lang, Msg::FlowchartHint) }</p>
            <svg id="flowchart" viewBox={format!("0 0 {width} {height}")} class={classes!(props.narrow.then_some("narrow"))} role="group" aria-label={t(lang, Msg::Flowchart)}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="fc-arrowhead" />
                    </marker>
                </defs>
                <text x="2" y="24" class="fc-heading">{ t(lang, Msg::ProblemByName) }</text>
                <text x={bx.to_string()} y={(b_top - 20).to_string()} class="fc-heading">{ t(lang, Msg::ProblemByIp) }</text>
                { for a.iter().enumerate().map(|(row, id)| step_box(*id, 2, TOP, row)) }
                { for b.iter().enumerate().map(|(row, id)| step_box(*id, bx, b_top, row)) }
            </svg>
        </section>
    }
}
