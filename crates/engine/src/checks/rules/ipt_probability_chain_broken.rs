//! IPT705 iptables-probability-chain-broken (see [`RULE`]).

use crate::checks::rules::{proxied, rules_of};
use crate::checks::{declare_rule, Facts, Sink};
use crate::report::Severity;
use crate::walk::steps::StepId;

declare_rule! {
/// ## What it checks
/// The `KUBE-SVC-*` chain's random choice: with n endpoints, rule i jumps
/// with probability 1/(n-i) and the last rule jumps unconditionally.
///
/// ## Why it matters
/// An unconditional jump before the last rule makes the endpoints after it
/// unreachable; wrong probabilities load some pods more than others. Both
/// come from hand-edited or half-written rules.
///
/// ## Evidence
/// The Service chain's rules.
///
/// ## Fix
/// Let kube-proxy rewrite its chains: restart it on the node, and never edit
/// KUBE-* chains by hand.
pub static RULE = Rule {
    code: "IPT705",
    slug: "iptables-probability-chain-broken",
    severity: Severity::Error,
    step: StepId::B8,
    summary: crate::text!("the random-probability chain cannot reach some endpoint, or is not uniform", "随机概率链无法到达某些 Endpoint，或分布不均匀"),
    explains: &[],
    check,
};
}

fn check(facts: &Facts<'_>, sink: &mut Sink) {
    for svc in proxied(facts) {
        for r in rules_of(facts, &svc, crate::model::ProxyMode::Iptables) {
            let n = r.probabilities.len();
            if n < 2 {
                continue;
            }
            sink.checked(RULE.step);
            let mut problem = None;
            for (i, (endpoint, p)) in r.probabilities.iter().enumerate() {
                let last = i + 1 == n;
                match (p, last) {
                    (None, false) => {
                        let after: Vec<&str> = r.probabilities[i + 1..]
                            .iter()
                            .map(|(e, _)| e.as_str())
                            .collect();
                        problem = Some(facts.fill(
                            crate::text!("the jump to {ep} is unconditional but not last: {after} are never chosen", "跳转到 {ep} 的规则没有概率条件却不是最后一条：{after} 永远不会被选中"),
                            &[("ep", endpoint), ("after", &after.join(", "))],
                        ));
                        break;
                    }
                    (Some(p), _) => {
                        let want = 1_000_000 / (n - i) as u64;
                        let Some(have) = ppm(p) else { continue };
                        if have.abs_diff(want) > 20_000 {
                            problem = Some(facts.fill(
                                crate::text!("the jump to {ep} has probability {p}, a uniform choice needs {want}", "跳转到 {ep} 的概率为 {p}，均匀分配应为 {want}"),
                                &[("ep", endpoint), ("p", p), ("want", &format!("0.{want:06}"))],
                            ));
                            break;
                        }
                    }
                    (None, true) => {}
                }
            }
            let Some(problem) = problem else { continue };
            let message = facts.fill(
                crate::text!(
                    "the load-balancing chain of Service {svc} is broken: {problem}",
                    "Service {svc} 的负载均衡链有误：{problem}"
                ),
                &[("svc", &svc.label()), ("problem", &problem)],
            );
            let fix = facts.tr(crate::text!("Let kube-proxy rebuild its chains: restart it on this node (kubectl -n kube-system delete pod -l k8s-app=kube-proxy --field-selector spec.nodeName=NODE), and do not edit KUBE-* chains by hand.", "让 kube-proxy 重建它的链：在该节点上重启它（kubectl -n kube-system delete pod -l k8s-app=kube-proxy --field-selector spec.nodeName=NODE），不要手工修改 KUBE-* 链。")).to_string();
            sink.report(
                &RULE,
                svc.proxy_subject(),
                message,
                vec![facts.evidence(r.origin)],
                fix,
            );
            return;
        }
    }
}

/// A probability as iptables writes it (`0.33332999982`, `1`, `0.5`) in
/// parts per million, rounded down; `None` if it is not one.
fn ppm(text: &str) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole: u64 = whole.parse().ok()?;
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || whole > 1 {
        return None;
    }
    let mut digits = fraction
        .bytes()
        .map(|b| u64::from(b - b'0'))
        .chain(std::iter::repeat(0));
    let part = (0..6).fold(0, |acc, _| acc * 10 + digits.next().unwrap_or(0));
    Some((whole * 1_000_000 + part).min(1_000_000))
}

#[cfg(test)]
mod tests {
    use super::ppm;

    #[test]
    fn probabilities_in_parts_per_million() {
        assert_eq!(ppm("0.33332999982"), Some(333_329));
        assert_eq!(ppm("0.5"), Some(500_000));
        assert_eq!(ppm("1"), Some(1_000_000));
        assert_eq!(ppm("1.0"), Some(1_000_000));
        assert_eq!(ppm("0.2000000000"), Some(200_000));
        assert_eq!(ppm("x"), None);
        assert_eq!(ppm("0.3e1"), None);
        assert_eq!(ppm("2"), None);
    }
}
