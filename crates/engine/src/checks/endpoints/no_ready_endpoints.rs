//! EP304 no-ready-endpoints (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::model::Selector;
use crate::report::Severity;
use crate::walk::steps::StepId;

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
    summary: crate::text!("Endpoints/EndpointSlices list no ready address", "Endpoints/EndpointSlice 中没有就绪的地址"),
    explains: &[&crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
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
        // `kubectl get endpointslices` lists every address whatever its
        // conditions: such a table proves readiness only where a pod row
        // with the address says ready (or not: `case::join_slice_tables`).
        let slice_table = view
            .sets
            .iter()
            .any(|s| s.from == crate::model::EndpointSource::SliceTable);
        // Decided when the table has no address at all, when every address
        // is known not ready (a pod row says so), or when one address is
        // known ready (a pod row says so): not by addresses of unknown
        // readiness.
        let addresses: Vec<_> = view.sets.iter().flat_map(|s| &s.addresses).collect();
        let known_ready = |ip: &str| {
            facts
                .model
                .pods_at(ip)
                .iter()
                .any(|p| p.ready == Some(true))
        };
        let confirmed = addresses.iter().all(|a| !a.ready)
            || addresses.iter().any(|a| a.ready && known_ready(&a.ip));
        if slice_table && !confirmed {
            continue;
        }
        sink.checked(RULE.step);
        if !view.ready_ips().is_empty() || !view.not_ready_ips().is_empty() || view.truncated() {
            continue;
        }
        let Some(sel) = svc
            .selector_labels()
            .map(|(l, _)| crate::model::labels_to_string(l))
        else {
            // The Service itself was not pasted: its selector is unknown.
            // With ready pods pasted in its namespace, the empty Endpoints
            // most likely come from a selector that picks none of them,
            // which only the Service shows: ask for it instead of
            // concluding.
            let ready_pods = facts.model.pods.iter().any(|p| {
                p.ready == Some(true)
                    && crate::model::same_namespace(svc.namespace, p.namespace.as_deref())
            });
            if ready_pods {
                continue;
            }
            let message = facts.fill(
                crate::text!(
                    "Service {svc} has no endpoints: no ready pod backs it",
                    "Service {svc} 没有 Endpoints：没有就绪的 Pod 为它提供服务"
                ),
                &[("svc", &svc.label())],
            );
            let fix = facts.fill(
                crate::text!("See the Service's selector and the pods it should pick: kubectl get svc {name} -n {ns} -o wide ; kubectl get pods -n {ns} --show-labels", "查看 Service 的 selector 和它应当选中的 Pod：kubectl get svc {name} -n {ns} -o wide；kubectl get pods -n {ns} --show-labels"),
                &[("name", name), ("ns", svc.ns())],
            );
            sink.report(
                &RULE,
                svc.subject(),
                message,
                vec![facts.evidence(view.origin())],
                fix,
            );
            continue;
        };
        let message = facts.fill(
            crate::text!(
                "Service {svc} has no endpoints: no running pod matches its selector {sel}",
                "Service {svc} 没有 Endpoints：没有运行中的 Pod 匹配它的 selector {sel}"
            ),
            &[("svc", &svc.label()), ("sel", &sel)],
        );
        let fix = facts.fill(
            crate::text!("See which pods the selector picks and compare labels: kubectl get pods -n {ns} -l {sel} ; kubectl get pods -n {ns} --show-labels", "查看 selector 选中了哪些 Pod 并对比标签：kubectl get pods -n {ns} -l {sel}；kubectl get pods -n {ns} --show-labels"),
            &[("ns", svc.ns()), ("sel", &sel)],
        );
        sink.report(
            &RULE,
            svc.subject(),
            message,
            vec![facts.evidence(view.origin())],
            fix,
        );
    }
}
