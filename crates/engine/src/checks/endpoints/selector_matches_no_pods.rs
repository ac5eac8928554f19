//! EP301 selector-matches-no-pods (see [`RULE`]).

use serde_json::{json, Map, Value};

use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{labels_to_string, selector_matches, Labels, Origin, Selector, Service};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// Compares each Service's selector with the labels of the pasted pods and of
/// the pods that the pasted workloads (Deployment, StatefulSet, DaemonSet,
/// ReplicaSet) create, in the Service's namespace.
///
/// ## Why it matters
/// The endpoints controller lists exactly the ready pods whose labels satisfy
/// every pair of the selector. One wrong letter (`app: web` against
/// `app: Web`) leaves the Service with no endpoints: clients get `Connection
/// refused` or a timeout, and kube-proxy installs a REJECT rule for it.
///
/// ## Evidence
/// The Service's `selector` lines, and the labels of the nearest pod or pod
/// template (fewest unmatched pairs, preferring one named like the Service).
/// The rule stays silent when no pod or workload in the namespace was pasted,
/// for Services without a selector (their endpoints are managed by hand),
/// for ExternalName Services, and when the selector matches pods only in
/// another namespace (EP302).
///
/// ## Fix
/// Make the selector and the labels agree: patch the Service's selector to the
/// pods' labels, or change the workload's pod template labels (and its own
/// `spec.selector`) to what the Service selects.
pub static RULE = Rule {
    code: "EP301",
    slug: "selector-matches-no-pods",
    severity: Severity::Error,
    step: StepId::B3,
    summary: crate::text!("the Service selector matches no pods or pod templates", "Service 的 selector 没有匹配到任何 Pod 或 Pod 模板"),
    explains: &[&crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipvs_real_servers_mismatch::RULE, &crate::checks::rules::ipt_endpoints_mismatch::RULE, &crate::checks::rules::nft_endpoints_mismatch::RULE],
    check,
};
}

/// A set of pod labels the paste shows: a pod's own, or a workload's template.
struct Candidate<'m> {
    /// `deployment web`, or the pod's name.
    owner: Owner<'m>,
    namespace: Option<&'m str>,
    labels: &'m Labels,
    origin: Origin,
}

enum Owner<'m> {
    Workload {
        kind: &'m str,
        name: Option<&'m str>,
    },
    Pod(Option<&'m str>),
}

impl Owner<'_> {
    fn name(&self) -> Option<&str> {
        match self {
            Owner::Workload { name, .. } | Owner::Pod(name) => *name,
        }
    }
}

fn candidates<'m>(facts: &Facts<'m>) -> Vec<Candidate<'m>> {
    let model = facts.model;
    let workloads = model.workloads.iter().filter_map(|w| {
        let (labels, origin) = w.pod_labels()?;
        Some(Candidate {
            owner: Owner::Workload {
                kind: &w.kind,
                name: w.name.as_deref(),
            },
            namespace: w.namespace.as_deref(),
            labels,
            origin,
        })
    });
    let pods = model.pods.iter().filter_map(|p| {
        Some(Candidate {
            owner: Owner::Pod(p.name.as_deref()),
            namespace: p.namespace.as_deref(),
            labels: p.labels.as_ref()?,
            origin: p.labels_origin.unwrap_or(p.origin),
        })
    });
    workloads.chain(pods).collect()
}

/// How far a label set is from satisfying a selector: unmatched pairs, then
/// pairs that differ only in letter case (closer), then whether the owner is
/// named otherwise than the Service, then pods after workloads.
fn distance(selector: &Labels, c: &Candidate<'_>, service: &Service) -> (usize, usize, bool, bool) {
    let unmatched = selector
        .iter()
        .filter(|(k, v)| c.labels.get(*k) != Some(*v))
        .count();
    let not_even_case = selector
        .iter()
        .filter(|(k, v)| {
            !c.labels
                .iter()
                .any(|(lk, lv)| lk.eq_ignore_ascii_case(k) && lv.eq_ignore_ascii_case(v))
        })
        .count();
    let other_name = c.owner.name() != service.name.as_deref();
    (
        unmatched,
        not_even_case,
        other_name,
        matches!(c.owner, Owner::Pod(_)),
    )
}

/// The merge patch that makes the selector pick the candidate's pods: keep
/// the selector's keys with the pods' values, drop keys the pods lack.
fn selector_patch(selector: &Labels, labels: &Labels) -> String {
    let mut patched = Map::new();
    for key in selector.keys() {
        patched.insert(
            key.clone(),
            labels.get(key).map_or(Value::Null, |v| json!(v)),
        );
    }
    if !selector.keys().any(|k| labels.contains_key(k)) {
        for (k, v) in labels {
            patched.insert(k.clone(), json!(v));
        }
    }
    json!({ "spec": { "selector": patched } }).to_string()
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let candidates = candidates(facts);
    let namespaces: Vec<&str> = candidates
        .iter()
        .map(|c| c.namespace.unwrap_or(""))
        .collect();
    let by_namespace = crate::model::sorted_positions(&namespaces);
    let in_namespace = |ns: &str| {
        crate::model::equal_range(&by_namespace, |i| namespaces[i as usize].to_string(), ns)
            .iter()
            .map(|&i| &candidates[i as usize])
            .collect::<Vec<_>>()
    };
    // Each Service once, as all its parts describe it.
    for view in facts.user_services() {
        let labelled = view
            .parts
            .iter()
            .copied()
            .find(|s| matches!(&s.selector, Selector::Labels(l) if !l.is_empty()));
        let Some(service) = labelled else {
            continue;
        };
        let Selector::Labels(selector) = &service.selector else {
            continue;
        };
        if view.is_external_name() {
            continue;
        }
        let ns = view.namespace;
        // The candidates of the Service's namespace (and those whose
        // namespace was not pasted), found by namespace, not by a scan.
        let local: Vec<&Candidate<'_>> = match ns {
            Some(ns) => {
                let mut local = in_namespace(ns);
                local.extend(in_namespace(""));
                local
            }
            None => candidates.iter().collect(),
        };
        if local.is_empty() {
            continue;
        }
        sink.checked(RULE.step);
        // Pods it picks in any namespace (another rule says which), found
        // through the pods' label index; then workloads' templates.
        let picks_pods =
            !crate::context::view::pods_selected(facts.model, None, selector).is_empty();
        if picks_pods
            || candidates
                .iter()
                .filter(|c| matches!(c.owner, Owner::Workload { .. }))
                .any(|c| selector_matches(selector, c.labels))
        {
            continue;
        }
        // Ready endpoints mean the selector matches pods that were not pasted.
        let endpoints = service
            .name
            .as_deref()
            .and_then(|n| crate::context::view::endpoints_of(facts.model, ns, n));
        if endpoints.is_some_and(|v| !v.ready_ips().is_empty()) {
            continue;
        }
        let Some(nearest) = local.iter().min_by_key(|c| distance(selector, c, service)) else {
            continue;
        };
        report(facts, sink, &view, service, selector, nearest);
    }
}

fn report(
    facts: &Facts<'_>,
    sink: &mut Sink,
    view: &crate::context::view::ServiceView<'_>,
    service: &Service,
    selector: &Labels,
    nearest: &Candidate<'_>,
) {
    let sel = labels_to_string(selector);
    let has = labels_to_string(nearest.labels);
    let has = if has.is_empty() { "-".to_string() } else { has };
    let owner = match &nearest.owner {
        Owner::Workload { kind, name } => {
            let kind = kind.to_ascii_lowercase();
            let name = name.unwrap_or(facts.not_shown());
            facts
                .tr(crate::text!(
                    "pods of {kind} {name} are labelled {labels}",
                    "{kind} {name} 的 Pod 标签是 {labels}"
                ))
                .replace("{kind}", &kind)
                .replace("{name}", name)
        }
        Owner::Pod(name) => facts
            .tr(crate::text!(
                "pod {name} is labelled {labels}",
                "Pod {name} 的标签是 {labels}"
            ))
            .replace("{name}", name.unwrap_or(facts.not_shown())),
    }
    .replace("{labels}", &has);
    let message = facts
        .tr(crate::text!(
            "selector {selector} matches no pod; {owner}",
            "selector {selector} 没有匹配到任何 Pod；{owner}"
        ))
        .replace("{selector}", &sel)
        .replace("{owner}", &owner);

    let svc_name = service.name.as_deref().unwrap_or("SERVICE");
    let ns_flag = service
        .namespace
        .as_deref()
        .map(|ns| format!(" -n {ns}"))
        .unwrap_or_default();
    let patch = format!(
        "kubectl patch service {svc_name}{ns_flag} -p '{}'",
        selector_patch(selector, nearest.labels)
    );
    let other_side = match &nearest.owner {
        Owner::Workload { kind, name } => facts
            .tr(crate::text!("If the Service is right, set spec.template.metadata.labels of {kind} {name} to include {selector} (its spec.selector must select them too), or run: kubectl edit {kind} {name}{ns}", "如果 Service 是对的，把 {kind} {name} 的 spec.template.metadata.labels 改为包含 {selector}（它的 spec.selector 也要与之一致），可运行：kubectl edit {kind} {name}{ns}"))
            .replace("{kind}", &kind.to_ascii_lowercase())
            .replace("{name}", name.unwrap_or("NAME")),
        Owner::Pod(name) => facts
            .tr(crate::text!("If the Service is right, label the pods: kubectl label pod {name}{ns} {selector} --overwrite (better: fix the labels in the pods' template).", "如果 Service 是对的，给 Pod 打上标签：kubectl label pod {name}{ns} {selector} --overwrite（更好的做法是改 Pod 模板中的标签）。"))
            .replace("{name}", name.unwrap_or("POD"))
            .replace("{selector}", &selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")),
    }
    .replace("{selector}", &sel)
    .replace("{ns}", &ns_flag);
    let fix = facts
        .tr(crate::text!("Make the selector and the pod labels agree. If the pods are the right ones, point the Service at them: {patch}\n{other}", "让 selector 与 Pod 标签一致。如果这些 Pod 就是要选中的，把 Service 指向它们：{patch}\n{other}"))
        .replace("{patch}", &patch)
        .replace("{other}", &other_side);

    let mut evidence = vec![facts.evidence(service.selector_origin.unwrap_or(service.origin))];
    evidence.push(facts.evidence(nearest.origin));
    sink.report(&RULE, view.subject(), message, evidence, fix);
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::labels_of as labels;

    #[test]
    fn patch_keeps_keys_and_drops_missing_ones() {
        let sel = labels(&[("app", "web"), ("tier", "front")]);
        let pods = labels(&[("app", "Web")]);
        assert_eq!(
            selector_patch(&sel, &pods),
            r#"{"spec":{"selector":{"app":"Web","tier":null}}}"#
        );
        let unrelated = labels(&[("run", "web")]);
        assert_eq!(
            selector_patch(&labels(&[("app", "web")]), &unrelated),
            r#"{"spec":{"selector":{"app":null,"run":"web"}}}"#
        );
    }
}
