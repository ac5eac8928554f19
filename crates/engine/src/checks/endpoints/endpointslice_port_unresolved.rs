//! EP310 endpointslice-port-unresolved (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::context::view::endpoints_of;
use crate::model::TargetPort;
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// An EndpointSlice of the Service that lists endpoints but no port
/// (`PORTS <unset>` in `kubectl get endpointslices`, no `ports` in its
/// YAML), while the Service has ports: the Service's named targetPort was
/// resolved on none of those pods. Skipped when the Service is pasted and
/// every targetPort is a number (a number always resolves).
///
/// ## Why it matters
/// The EndpointSlice controller looks a named targetPort up in each pod's
/// containers; a pod that does not declare it gets an endpoint without a
/// port, and kube-proxy has nothing to forward to (the legacy Endpoints
/// list no address at all). A port declared only on a sidecar (an init
/// container with `restartPolicy: Always`) is looked up only from
/// Kubernetes 1.32 on.
///
/// ## Evidence
/// The slice's row or object.
///
/// ## Fix
/// Declare the port, by that name, on the container that serves it, or
/// use the port's number as the Service's targetPort.
pub static RULE = Rule {
    code: "EP310",
    slug: "endpointslice-port-unresolved",
    severity: Severity::Error,
    step: StepId::B3,
    summary: crate::text!("an EndpointSlice lists endpoints without a port (PORTS <unset>): the named targetPort resolved on none of its pods", "EndpointSlice 列出了端点却没有端口（PORTS <unset>）：命名的 targetPort 在这些 Pod 上都没有解析出来"),
    explains: &[&crate::checks::endpoints::no_ready_endpoints::RULE, &crate::checks::rules::ipt_rejects_no_endpoints::RULE, &crate::checks::rules::nft_rejects_no_endpoints::RULE, &crate::checks::rules::ipt_service_rule_missing::RULE, &crate::checks::rules::nft_service_element_missing::RULE, &crate::checks::rules::ipvs_virtual_server_missing::RULE],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in facts.user_services() {
        let (ports, _) = svc.ports();
        let named: Vec<&str> = ports
            .iter()
            .filter_map(|p| match &p.target_port {
                Some(TargetPort::Name(n)) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        // A Service pasted with ports that are all numbers: its slices
        // always carry them.
        let all_numbers = !ports.is_empty()
            && ports
                .iter()
                .all(|p| matches!(p.target_port, Some(TargetPort::Number(_))));
        if all_numbers || (svc.part_with_ports().is_some() && ports.is_empty()) {
            continue;
        }
        let Some(view) = endpoints_of(facts.model, svc.namespace, svc.name_or("SERVICE")) else {
            continue;
        };
        let Some(slice) = view.sets.iter().find(|s| {
            s.from.is_slice() && !s.truncated && !s.addresses.is_empty() && s.ports.is_empty()
        }) else {
            continue;
        };
        let name = svc.name_or("SERVICE");
        let port = if named.is_empty() {
            facts
                .tr(crate::text!("its named targetPort", "它的命名 targetPort"))
                .to_string()
        } else {
            format!("targetPort {}", named.join(", "))
        };
        let message = facts.fill(
            crate::text!(
                "the EndpointSlice {slice} of Service {svc} lists {n} endpoints without a port: {port} names a port that its pods do not declare, so kube-proxy has nothing to forward to",
                "Service {svc} 的 EndpointSlice {slice} 列出了 {n} 个没有端口的端点：{port} 指向一个 Pod 没有声明的端口名，kube-proxy 无处转发"
            ),
            &[
                ("slice", slice.name.as_deref().unwrap_or(facts.not_shown())),
                ("svc", &svc.label()),
                ("n", &slice.addresses.len().to_string()),
                ("port", &port),
            ],
        );
        let sel = svc.selector_flag();
        let fix = facts.fill(
            crate::text!(
                "Compare the Service's targetPort with the names of the pods' container ports: kubectl get svc {name} -n {ns} -o jsonpath='{.spec.ports}' and kubectl get pods -n {ns} {sel} -o jsonpath='{..ports}'. Then name the port on the container that serves it (ports: - name: ..., containerPort: ...), or put its number in targetPort. A port declared only on a sidecar init container is found from Kubernetes 1.32 on.",
                "比较 Service 的 targetPort 与 Pod 容器端口的名称：kubectl get svc {name} -n {ns} -o jsonpath='{.spec.ports}' 以及 kubectl get pods -n {ns} {sel} -o jsonpath='{..ports}'。然后在提供服务的容器上按该名称声明端口（ports: - name: ..., containerPort: ...），或在 targetPort 中直接写端口号。只在 sidecar init 容器上声明的端口，从 Kubernetes 1.32 起才会被查找。"
            ),
            &[("name", name), ("ns", svc.ns()), ("sel", &sel)],
        );
        sink.report(
            &RULE,
            svc.subject(),
            message,
            vec![facts.evidence(slice.origin)],
            fix,
        );
        return;
    }
}
