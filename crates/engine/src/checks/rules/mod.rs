//! Proxy rules (step B8): do iptables, IPVS or nftables forward the Service
//! to exactly its ready endpoints? And traffic policy (step B9).

pub mod cilium_backends_mismatch;
pub mod cilium_frontend_missing;
pub mod internal_traffic_local_no_endpoint;
pub mod ipt_endpoints_mismatch;
pub mod ipt_nodeport_rule_missing;
pub mod ipt_probability_chain_broken;
pub mod ipt_rejects_no_endpoints;
pub mod ipt_service_rule_missing;
pub mod ipvs_real_servers_mismatch;
pub mod ipvs_real_servers_weight_zero;
pub mod ipvs_virtual_server_missing;
pub mod local_endpoints_drop;
pub mod nft_endpoints_mismatch;
pub mod nft_port_not_defined;
pub mod nft_rejects_no_endpoints;
pub mod nft_service_element_missing;
pub mod nft_unallocated_cluster_ip;
pub mod nodeport_localhost;
pub mod source_range_excludes_client;
pub mod topology_hints_disabled;

use crate::checks::Facts;
use crate::context::view::{endpoints_of, ServiceView};
use crate::model::ProxyMode;
use crate::model::{Origin, ProxyDump, ProxyService};

/// The Service port programmed by rules of `mode` for this Service.
pub fn rules_of<'m>(
    facts: &Facts<'m>,
    svc: &ServiceView<'m>,
    mode: ProxyMode,
) -> Vec<&'m ProxyService> {
    facts
        .model
        .proxy_rules
        .iter()
        .filter(|r| {
            r.mode == mode
                && Some(r.name.as_str()) == svc.name
                && svc.namespace.is_none_or(|ns| ns == r.namespace)
        })
        .collect()
}

/// Whether an address (`10.96.0.1`, `10.244.1.5:80`, `[fd00::5]:80`,
/// `fd00::5`) is IPv6.
pub fn is_v6(address: &str) -> bool {
    address.starts_with('[') || address.matches(':').count() > 1
}

/// The address families a dump shows: (IPv4, IPv6). `ip6tables-save` and
/// `nft list table ip6 ...` show IPv6 only, `nft list table ip ...` IPv4
/// only; otherwise the addresses of its rules say, and an iptables dump
/// without any is taken as `iptables-save`'s IPv4.
fn dump_families(facts: &Facts<'_>, dump: &ProxyDump) -> (bool, bool) {
    let command = facts
        .artifacts
        .get(dump.origin.artifact)
        .and_then(|a| a.command.as_ref());
    if let Some(cmd) = command {
        if cmd.program.starts_with("ip6tables") {
            return (false, true);
        }
        if cmd.program == "nft" {
            match cmd.args.iter().position(|a| a == "table") {
                Some(at) if cmd.args.get(at + 1).is_some_and(|f| f == "ip6") => {
                    return (false, true)
                }
                Some(at) if cmd.args.get(at + 1).is_some_and(|f| f == "ip") => {
                    return (true, false)
                }
                _ => {}
            }
        }
    }
    let ips = facts
        .model
        .proxy_rules
        .iter()
        .filter(|r| r.origin.artifact == dump.origin.artifact)
        .filter_map(|r| r.cluster_ip.as_deref());
    let (mut v4, mut v6) = (false, false);
    for ip in ips {
        if is_v6(ip) {
            v6 = true;
        } else {
            v4 = true;
        }
    }
    if !v4 && !v6 {
        // Nothing said: iptables-save is IPv4; an nft ruleset may be both.
        return (true, dump.mode != ProxyMode::Iptables);
    }
    (v4, v6)
}

/// Dumps of `mode` that would show this Service if it had rules: whole
/// dumps, and grepped ones whose pattern names the Service or its IP, of
/// the address family of its cluster IP (IPv4 rules say nothing of an IPv6
/// cluster IP).
pub fn dumps_covering<'m>(
    facts: &Facts<'m>,
    svc: &ServiceView<'m>,
    mode: ProxyMode,
) -> Vec<&'m ProxyDump> {
    let v6 = svc.cluster_ip().map(is_v6);
    facts
        .model
        .proxy_dumps
        .iter()
        .filter(|d| d.mode == mode)
        .filter(|d| {
            let (has_v4, has_v6) = dump_families(facts, d);
            match v6 {
                Some(true) => has_v6,
                Some(false) => has_v4,
                None => true,
            }
        })
        .filter(|d| {
            if !d.filtered {
                return true;
            }
            facts
                .artifacts
                .get(d.origin.artifact)
                .and_then(|a| a.command.as_ref())
                .is_some_and(|cmd| grep_keeps_service(cmd, svc))
        })
        .collect()
}

/// The patterns of a command's `grep` stages (not `grep -v`).
fn grep_patterns(cmd: &crate::read::command::Command) -> Vec<&str> {
    cmd.pipes
        .iter()
        .filter(|stage| stage.first().is_some_and(|p| p.contains("grep")))
        .filter(|stage| {
            !stage
                .iter()
                .skip(1)
                .any(|w| w.starts_with('-') && w.contains('v') && !w.starts_with("--"))
        })
        .flat_map(|stage| {
            stage
                .iter()
                .skip(1)
                .filter(|w| !w.starts_with('-'))
                .map(String::as_str)
        })
        .collect()
}

/// Whether a command's greps keep every line of the Service's rules: a
/// pattern that names the Service, its cluster IP, or kube-proxy's chains.
fn grep_keeps_service(cmd: &crate::read::command::Command, svc: &ServiceView<'_>) -> bool {
    grep_patterns(cmd).iter().any(|p| {
        svc.name
            .is_some_and(|n| p.contains(n) || n.contains(p.trim_matches('\'')))
            || svc.cluster_ip().is_some_and(|ip| p.contains(ip))
            || p.contains("KUBE")
    })
}

/// The ready endpoints the rules should send to: `ip:port` pairs when the
/// source pairs them, else IPs; with where they were read.
pub struct Expected {
    pub pairs: Option<Vec<String>>,
    pub ips: Vec<String>,
    pub origin: Origin,
}

pub fn expected(facts: &Facts<'_>, svc: &ServiceView<'_>) -> Option<Expected> {
    let view = endpoints_of(facts.model, svc.namespace, svc.name?)?;
    if view.truncated() {
        return None;
    }
    let pairs = view.ready_pairs();
    Some(Expected {
        pairs: (!pairs.is_empty()).then_some(pairs),
        ips: view.ready_ips().into_iter().map(str::to_string).collect(),
        origin: view.origin(),
    })
}

/// The differences between what the rules send to and the ready endpoints:
/// (missing from the rules, not ready or gone but still in the rules).
pub fn differences(expected: &Expected, targets: &[String]) -> (Vec<String>, Vec<String>) {
    match &expected.pairs {
        Some(pairs) => (
            pairs
                .iter()
                .filter(|p| !targets.contains(p))
                .cloned()
                .collect(),
            targets
                .iter()
                .filter(|t| !pairs.contains(t))
                .cloned()
                .collect(),
        ),
        None => {
            let ip = |t: &String| crate::parse::ipvs::split_host_port(t).0;
            let target_ips: Vec<String> = targets.iter().map(ip).collect();
            (
                expected
                    .ips
                    .iter()
                    .filter(|i| !target_ips.contains(i))
                    .cloned()
                    .collect(),
                targets
                    .iter()
                    .filter(|t| !expected.ips.contains(&ip(t)))
                    .cloned()
                    .collect(),
            )
        }
    }
}

/// The Services asked about that have a virtual IP to program.
pub fn proxied<'m>(facts: &Facts<'m>) -> Vec<ServiceView<'m>> {
    facts
        .user_services()
        .into_iter()
        .filter(|s| !s.is_headless() && !s.is_external_name() && s.name.is_some())
        .collect()
}

use crate::checks::{Rule, Sink};
use crate::i18n::Text;

/// Shared check of IPT701 / NFT901: a Service with a cluster IP and no rule
/// for it in a dump that would show it.
pub fn check_missing(facts: &Facts<'_>, sink: &mut Sink, rule: &Rule, mode: ProxyMode, fix: Text) {
    for svc in proxied(facts) {
        let dumps = dumps_covering(facts, &svc, mode);
        let Some(dump) = dumps.first() else { continue };
        sink.checked(rule.step);
        let Some(ip) = svc.cluster_ip() else { continue };
        let found = rules_of(facts, &svc, mode)
            .iter()
            .any(|r| r.cluster_ip.is_some() || r.rejects_no_endpoints)
            || facts
                .model
                .proxy_rules
                .iter()
                .any(|r| r.mode == mode && r.cluster_ip.as_deref() == Some(ip));
        if found {
            continue;
        }
        let (ports, _) = svc.ports();
        let port = ports
            .first()
            .and_then(|p| p.port)
            .map(|p| p.to_string())
            .unwrap_or_else(|| facts.not_shown().into());
        let message = facts.fill(
            crate::text!("the {mode} rules have nothing for Service {svc} ({ip}:{port}): kube-proxy has not programmed it on this node", "{mode} 规则中没有 Service {svc}（{ip}:{port}）的条目：kube-proxy 没有在这个节点上为它写规则"),
            &[("mode", mode.as_str()), ("svc", &svc.label()), ("ip", ip), ("port", &port)],
        );
        let fix = facts.fill(fix, &[("ns", svc.ns()), ("name", svc.name_or("SERVICE"))]);
        sink.report(
            rule,
            svc.proxy_subject(),
            message,
            vec![facts.evidence(dump.origin), facts.evidence(svc.origin())],
            fix,
        );
        return;
    }
}

/// Shared check of IPT702 / NFT903: the rules reject the Service for having
/// no endpoints.
pub fn check_rejects(facts: &Facts<'_>, sink: &mut Sink, rule: &Rule, mode: ProxyMode) {
    for svc in proxied(facts) {
        for r in rules_of(facts, &svc, mode) {
            sink.checked(rule.step);
            if !r.rejects_no_endpoints {
                continue;
            }
            let message = facts.fill(
                crate::text!(
                    "kube-proxy rejects connections to Service {svc}{port}: it has no endpoints",
                    "kube-proxy 拒绝到 Service {svc}{port} 的连接：它没有 Endpoints"
                ),
                &[
                    ("svc", &svc.label()),
                    (
                        "port",
                        &if r.port_name.is_empty() {
                            String::new()
                        } else {
                            format!(":{}", r.port_name)
                        },
                    ),
                ],
            );
            let fix = facts.fill(
                crate::text!("The rules follow the endpoints: find out why the Service has none: kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={name}; kubectl get pods -n {ns} --show-labels", "规则跟随 Endpoints 变化：先查明 Service 为什么没有 Endpoints：kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={name}；kubectl get pods -n {ns} --show-labels"),
                &[("ns", svc.ns()), ("name", svc.name_or("SERVICE"))],
            );
            sink.report(
                rule,
                svc.proxy_subject(),
                message,
                vec![facts.evidence(r.origin)],
                fix,
            );
            return;
        }
    }
}

/// Shared check of IPT703 / NFT902: the endpoints in the rules differ from
/// the ready endpoints.
pub fn check_mismatch(facts: &Facts<'_>, sink: &mut Sink, rule: &Rule, mode: ProxyMode) {
    for svc in proxied(facts) {
        let Some(exp) = expected(facts, &svc) else {
            continue;
        };
        let rules = rules_of(facts, &svc, mode);
        if rules.is_empty() {
            continue;
        }
        sink.checked(rule.step);
        let targets: Vec<String> = rules
            .iter()
            .filter_map(|r| r.endpoints.clone())
            .flatten()
            .collect();
        if rules.iter().all(|r| r.rejects_no_endpoints) {
            continue;
        }
        let (mut missing, extra) = differences(&exp, &targets);
        // Rules of one address family say nothing of the other family's
        // endpoints (a dual-stack Service has a slice per family).
        let families: Vec<bool> = rules
            .iter()
            .filter_map(|r| r.cluster_ip.as_deref())
            .chain(targets.iter().map(String::as_str))
            .map(is_v6)
            .collect();
        if !families.is_empty() {
            missing.retain(|m| families.contains(&is_v6(m)));
        }
        // Output cut by `head`, `tail` or a grep for something else may hold
        // only part of the Service's rules: what it lacks is not missing.
        if shows_part(facts, rules[0].origin, &svc) {
            missing.clear();
        }
        if missing.is_empty() && extra.is_empty() {
            continue;
        }
        report_mismatch(
            facts,
            sink,
            rule,
            &svc,
            mode.as_str(),
            &missing,
            &extra,
            vec![rules[0].origin, exp.origin],
        );
        return;
    }
}

/// Whether the dump at `origin` may show only part of a Service's rules:
/// its command line cut the output (`| head -40`, `| tail`, `| sed -n`),
/// or grepped for something that does not keep the Service's lines.
fn shows_part(facts: &Facts<'_>, origin: Origin, svc: &ServiceView<'_>) -> bool {
    let Some(cmd) = facts
        .artifacts
        .get(origin.artifact)
        .and_then(|a| a.command.as_ref())
    else {
        return false;
    };
    let cut = cmd.pipes.iter().any(|stage| {
        matches!(
            stage.first().map(String::as_str),
            Some("head" | "tail" | "sed" | "awk" | "cut")
        )
    });
    cut || (!grep_patterns(cmd).is_empty() && !grep_keeps_service(cmd, svc))
}

#[allow(clippy::too_many_arguments)]
pub fn report_mismatch(
    facts: &Facts<'_>,
    sink: &mut Sink,
    rule: &Rule,
    svc: &ServiceView<'_>,
    what: &str,
    missing: &[String],
    extra: &[String],
    origins: Vec<Origin>,
) {
    let message = mismatch_message(facts, svc, what, missing, extra);
    let fix = facts.tr(crate::text!("kube-proxy on this node is behind: check its log for sync or API errors (kubectl logs -n kube-system -l k8s-app=kube-proxy --tail=100) and restart it (kubectl -n kube-system delete pod -l k8s-app=kube-proxy --field-selector spec.nodeName=NODE).", "这个节点上的 kube-proxy 落后了：检查它的日志中的同步或 API 错误（kubectl logs -n kube-system -l k8s-app=kube-proxy --tail=100），并重启它（kubectl -n kube-system delete pod -l k8s-app=kube-proxy --field-selector spec.nodeName=NODE）。")).to_string();
    sink.report(
        rule,
        svc.proxy_subject(),
        message,
        origins.into_iter().map(|o| facts.evidence(o)).collect(),
        fix,
    );
}

/// "the {what} rules for Service ... do not match its ready endpoints".
pub fn mismatch_message(
    facts: &Facts<'_>,
    svc: &ServiceView<'_>,
    what: &str,
    missing: &[String],
    extra: &[String],
) -> String {
    let none = "-".to_string();
    facts.fill(
        crate::text!("the {what} rules for Service {svc} do not match its ready endpoints: missing {missing}; not ready or gone {extra}", "Service {svc} 的 {what} 规则与其就绪 Endpoints 不一致：缺少 {missing}；多出（未就绪或已不存在）{extra}"),
        &[
            ("what", what),
            ("svc", &svc.label()),
            ("missing", &if missing.is_empty() { none.clone() } else { missing.join(", ") }),
            ("extra", &if extra.is_empty() { none } else { extra.join(", ") }),
        ],
    )
}

/// The origins of whole Cilium service listings (`service list`, `bpf lb
/// list`): where a frontend that is absent is missing.
pub fn cilium_listings(facts: &Facts<'_>) -> Vec<Origin> {
    facts
        .artifacts
        .iter()
        .filter(|a| a.kind == crate::ArtifactKind::Cilium)
        .filter(|a| {
            a.command.as_ref().is_some_and(|c| {
                !c.is_filtered() && (c.text.contains("service list") || c.text.contains("lb list"))
            })
        })
        .map(|a| Origin {
            artifact: a.index,
            source: a.source,
            lines: [a.first_line, a.last_line],
        })
        .collect()
}

/// The frontends of a Service's cluster IP (and its ports) in Cilium's
/// service map.
pub fn frontends_of<'m>(
    facts: &Facts<'m>,
    svc: &ServiceView<'m>,
) -> Vec<&'m crate::model::LbFrontend> {
    let Some(ip) = svc.cluster_ip() else {
        return Vec::new();
    };
    let (ports, _) = svc.ports();
    facts
        .model
        .lb_frontends
        .iter()
        .filter(|f| f.ip == ip)
        .filter(|f| ports.is_empty() || ports.iter().any(|p| p.port == Some(f.port)))
        .collect()
}

/// The IPVS virtual servers of a Service's cluster IP (or node port), and
/// whether any `ipvsadm` output was pasted at all.
pub fn ipvs_of<'m>(
    facts: &Facts<'m>,
    svc: &ServiceView<'m>,
) -> (bool, Vec<&'m crate::model::VirtualServer>) {
    let pasted = facts
        .model
        .proxy_dumps
        .iter()
        .any(|d| d.mode == ProxyMode::Ipvs);
    let ip = svc.cluster_ip();
    let (ports, _) = svc.ports();
    let vs = facts
        .model
        .ipvs
        .iter()
        .filter(|v| {
            (ip == Some(v.address.as_str()) && ports.iter().any(|p| p.port == v.port))
                || ports
                    .iter()
                    .any(|p| p.node_port.is_some() && p.node_port == v.port)
        })
        .collect();
    (pasted, vs)
}
