//! SVC211 load-balancer-not-provisioned (see [`RULE`]).

use crate::checks::events::{about_service, tied};
use crate::checks::{declare_rule, Facts, Sink};
use crate::model::{Event, ProbeOutcome};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// `SyncLoadBalancerFailed` warnings (and the older
/// `CreatingLoadBalancerFailed`) on a Service: the cloud controller could
/// not make or update its load balancer.
///
/// ## Why it matters
/// The Service's EXTERNAL-IP stays `<pending>` (or keeps an old one):
/// clients outside the cluster have no address that reaches it. Inside the
/// cluster its cluster IP still works; when a probe pasted shows it
/// answering there, the finding is a note.
///
/// ## Evidence
/// The events' lines.
///
/// ## Fix
/// Fix what the cloud controller names (its permissions, a quota, the
/// subnets, an annotation on the Service); on a cluster without a cloud
/// provider, install a load-balancer implementation or use a NodePort.
pub static RULE = Rule {
    code: "SVC211",
    slug: "load-balancer-not-provisioned",
    severity: Severity::Error,
    step: StepId::B1,
    summary: crate::text!("SyncLoadBalancerFailed events: the LoadBalancer Service has no external address", "SyncLoadBalancerFailed 事件：LoadBalancer 类型的 Service 没有外部地址"),
    explains: &[],
    check,
};
}

fn is_sync_failure(event: &Event) -> bool {
    event.warning
        && event.kind.as_deref() == Some("Service")
        && matches!(
            event.reason.as_str(),
            "SyncLoadBalancerFailed" | "CreatingLoadBalancerFailed" | "UpdateLoadBalancerFailed"
        )
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let found = tied(facts, is_sync_failure);
    let Some((subject, message, fix, evidence)) = about_service(facts, &found, crate::text!(
            "the load balancer of Service {svc} could not be made ({said}){times}: it has no external address, so clients outside the cluster cannot reach it",
            "Service {svc} 的负载均衡器无法创建（{said}）{times}：它没有外部地址，集群外的客户端无法访问它"
        ), crate::text!(
            "Fix what the cloud controller names (its permissions, a quota, the subnets, an annotation on the Service), then watch EXTERNAL-IP: kubectl get svc {name} -n {ns} -w. Without a cloud provider (bare metal, kind, minikube), install a load-balancer implementation such as MetalLB, or use the Service's node port.",
            "修正云控制器指出的问题（权限、配额、子网、Service 上的注解），然后观察 EXTERNAL-IP：kubectl get svc {name} -n {ns} -w。没有云提供商时（裸机、kind、minikube），安装 MetalLB 等负载均衡实现，或使用 Service 的节点端口。"
        )) else {
        return;
    };
    // A probe that got an answer inside the cluster: the Service works
    // there, only the way in from outside is missing.
    let inside = facts
        .model
        .probes
        .iter()
        .any(|p| p.outcome == Some(ProbeOutcome::Ok));
    if inside {
        sink.note(&RULE, subject, message, evidence, fix);
    } else {
        sink.report(&RULE, subject, message, evidence, fix);
    }
}
