//! EP304 no-ready-endpoints (see [`RULE`]).

use crate::checks::view::endpoints_of;
use crate::checks::{declare_rule, Facts, Sink};
use crate::i18n::Text;
use crate::model::Selector;
use crate::report::Severity;
use crate::steps::StepId;

declare_rule! {
/// ## What it checks
/// The Service's endpoints (EndpointSlices preferred, then Endpoints, then
/// `kubectl get ep` or describe output): they must list at least one address.
///
/// ## Why it matters
/// No address, no backend: kube-proxy rejects connections to the cluster IP
/// ("has no endpoints") and clients get `Connection refused`.
///
/// ## Evidence
/// The empty endpoints.
///
/// ## Fix
/// Find out why no pod is selected: compare the selector with the pods'
/// labels, and check that the pods exist and run.
pub static RULE = Rule {
    code: "EP304",
    slug: "no-ready-endpoints",
    severity: Severity::Error,
    step: StepId::B3,
    summary: Text {
        en: "Endpoints/EndpointSlices list no ready address",
        zh: "Endpoints/EndpointSlice 中没有就绪的地址",
    },
    explains: &["IPT702", "NFT903", "IPVS802", "IPT703", "NFT902"],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        if svc.is_external_name() || matches!(svc.selector().0, Selector::None) {
            continue;
        }
        let name = svc.name_or("SERVICE");
        let Some(view) = endpoints_of(facts.model, svc.namespace, name) else {
            continue;
        };
        sink.checked(RULE.step);
        if !view.ready_ips().is_empty() || !view.not_ready_ips().is_empty() || view.truncated() {
            continue;
        }
        let sel = svc
            .selector_labels()
            .map(|(l, _)| crate::model::labels_to_string(l))
            .unwrap_or_else(|| "?".into());
        let message = facts.fill(
            Text {
                en: "Service {svc} has no endpoints: no running pod matches its selector {sel}",
                zh: "Service {svc} 没有 Endpoints：没有运行中的 Pod 匹配它的 selector {sel}",
            },
            &[("svc", &svc.label()), ("sel", &sel)],
        );
        let fix = facts.fill(
            Text {
                en: "See which pods the selector picks and compare labels: kubectl get pods -n {ns} -l {sel} ; kubectl get pods -n {ns} --show-labels",
                zh: "查看 selector 选中了哪些 Pod 并对比标签：kubectl get pods -n {ns} -l {sel}；kubectl get pods -n {ns} --show-labels",
            },
            &[("ns", svc.ns()), ("sel", &sel)],
        );
        sink.report(&RULE, message, vec![facts.evidence(view.origin())], fix);
    }
}
