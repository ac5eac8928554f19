//! ING003 ingress-class-missing (see [`RULE`]).

use crate::checks::{declare_rule, Facts, Sink};
use crate::report::{Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// An Ingress that no controller takes: it names no class (neither
/// `spec.ingressClassName` nor the older `kubernetes.io/ingress.class`
/// annotation) and none of the IngressClasses pasted is the default, or it
/// names a class that is not among them. Without IngressClasses pasted, an
/// Ingress without a class is a warning.
///
/// ## Why it matters
/// Each controller serves only the Ingresses of its class (and those
/// without one when its class is the default): an Ingress no controller
/// takes gets no address, and nothing answers for it.
///
/// ## Evidence
/// The Ingress (its `Ingress Class: <none>`), and the IngressClasses.
///
/// ## Fix
/// Set `spec.ingressClassName` to the class of the installed controller.
pub static RULE = Rule {
    code: "ING003",
    slug: "ingress-class-missing",
    severity: Severity::Error,
    step: StepId::B0,
    summary: crate::text!("an Ingress names no class (and no class is the default) or a class that does not exist: no controller takes it", "Ingress 没有指定 class（且没有默认 class），或指定了不存在的 class：没有控制器处理它"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    let classes = &facts.model.ingress_classes;
    for route in facts.model.routes.iter().filter(|r| r.kind == "Ingress") {
        sink.checked(RULE.step);
        let name = route.name.as_deref().unwrap_or(facts.not_shown());
        let ns = route.namespace.as_deref().unwrap_or("default");
        let listed: Vec<&str> = classes.iter().map(|(n, _, _)| n.as_str()).collect();
        let (message, severity) = match &route.class {
            Some(class) if !classes.is_empty() && !listed.contains(&class.as_str()) => (
                facts.fill(
                    crate::text!(
                        "Ingress {ns}/{name} names the class {class}, which is not among the IngressClasses ({listed}): no controller takes it",
                        "Ingress {ns}/{name} 指定的 class {class} 不在已有的 IngressClass 中（{listed}）：没有控制器处理它"
                    ),
                    &[("ns", ns), ("name", name), ("class", class), ("listed", &listed.join(", "))],
                ),
                Severity::Error,
            ),
            None if route.classless => {
                if classes.iter().any(|(_, d, _)| *d == Some(true)) {
                    continue;
                }
                // Only classes read whole (YAML) say that none is the
                // default; a table does not show it.
                let severity = if !classes.is_empty() && classes.iter().all(|(_, d, _)| d.is_some()) {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                (
                    facts.fill(
                        crate::text!(
                            "Ingress {ns}/{name} names no IngressClass, and no class is marked the default: no controller may take it, and nothing answers for it",
                            "Ingress {ns}/{name} 没有指定 IngressClass，也没有被标为默认的 class：可能没有控制器处理它，也就没有任何东西为它应答"
                        ),
                        &[("ns", ns), ("name", name)],
                    ),
                    severity,
                )
            }
            _ => continue,
        };
        let fix = facts.fill(
            crate::text!(
                "See the classes and which one is the default: kubectl get ingressclass; then set it: kubectl patch ingress {name} -n {ns} --type=merge -p '{\"spec\":{\"ingressClassName\":\"CLASS\"}}'",
                "查看有哪些 class、哪个是默认的：kubectl get ingressclass；然后设置：kubectl patch ingress {name} -n {ns} --type=merge -p '{\"spec\":{\"ingressClassName\":\"CLASS\"}}'"
            ),
            &[("name", name), ("ns", ns)],
        );
        let mut evidence = vec![facts.evidence(route.origin)];
        evidence.extend(classes.iter().take(3).map(|(_, _, o)| facts.evidence(*o)));
        // About the Service behind it, where any pasted form of the Ingress
        // (its YAML, its describe) names one.
        let backend = facts
            .model
            .routes
            .iter()
            .filter(|r| r.kind == "Ingress" && r.name == route.name)
            .find_map(|r| r.backends.first());
        let about = match backend {
            Some(b) => crate::checks::front_door::subject(&b.service, ns),
            None => Subject::on(SubjectKind::Network, None, None, None),
        };
        sink.report_as(&RULE, about, severity, message, evidence, fix);
        return;
    }
}
