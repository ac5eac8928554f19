//! The rule catalog: one rule per file under a folder per area, all registered
//! in [`RULES`]. Codes are permanent (spec section 3): never reused, renamed
//! or renumbered.

pub mod dns;
pub mod endpoints;
pub mod events;
pub mod front_door;
pub mod network;
pub mod pods;
pub mod proxy;
pub mod rules;
pub mod service;

// Where they lived before the context and render stages.
pub use crate::context::{netpol, view};
pub use crate::render::catalog;

use std::collections::BTreeSet;

use crate::i18n::{Lang, Text};
use crate::model::{Model, Origin};
use crate::read::artifact::Artifact;
use crate::report::{Evidence, Finding, Severity, Subject, SubjectKind};
use crate::walk::steps::StepId;

/// Declares a rule: its doc comment (with the headings What it checks / Why it
/// matters / Evidence / Fix) becomes both the rustdoc and the `docs` text that
/// `svcdoctor rules` and `docs/rules.md` show.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub static $name:ident = Rule {
        code: $code:expr,
        slug: $slug:expr,
        severity: $severity:expr,
        step: $step:expr,
        summary: $summary:expr,
        explains: $explains:expr,
        check $(,)?
    };) => {
        $(#[doc = $doc])*
        pub static $name: $crate::checks::Rule = $crate::checks::Rule {
            code: $code,
            slug: $slug,
            severity: $severity,
            step: $step,
            // The web page shows neither the long docs nor the one-line
            // summaries (the catalog is the CLI's and docs/rules.md):
            // leaving them out of WebAssembly keeps its download small.
            #[cfg(not(target_arch = "wasm32"))]
            docs: concat!($($doc, "\n"),*),
            #[cfg(target_arch = "wasm32")]
            docs: "",
            #[cfg(not(target_arch = "wasm32"))]
            summary: $summary,
            #[cfg(target_arch = "wasm32")]
            summary: {
                // Type-checked, never kept: nothing calls it.
                const _: fn() -> $crate::i18n::Text = || $summary;
                $crate::i18n::Text { en: "", zh: "" }
            },
            explains: $explains,
            check,
        };
    };
}
pub(crate) use declare_rule;

/// A rule's fixed metadata and its check.
pub struct Rule {
    pub code: &'static str,
    pub slug: &'static str,
    pub severity: Severity,
    pub step: StepId,
    /// What the rule detects, in one line.
    pub summary: Text,
    /// The rule's documentation, in Markdown with fixed headings.
    pub docs: &'static str,
    /// Rules whose findings are consequences of this one when both fire
    /// about the same Service's path (a selector that matches nothing
    /// explains empty endpoints).
    pub explains: &'static [&'static Rule],
    pub check: fn(&Facts<'_>, &mut Sink),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).finish()
    }
}

/// Every rule, in walk order.
///
/// How the walk picks the root cause among findings (`walk.rs`):
///
/// 1. The earliest step on the client's path: the flowchart's order
///    (A1 to A6 by name, then B0 to B9), because a failure early on the path
///    makes the later steps moot. Findings off the path come last.
/// 2. Within a step, errors before warnings before notes; only an error can
///    be a cause.
/// 3. Within a step and severity, the order of this table: the more
///    specific cause comes before the general symptom it produces (a
///    Deployment whose selector misses its own template, EP308, before
///    "selector matches no pods", EP301; pods not running, POD401, before
///    pods not ready, POD402).
/// 4. A finding that another error explains (the other rule's `explains`,
///    both on the same Service's path or one on a part every path shares) is
///    a consequence, never the cause.
/// 5. While the evidence names the Service in question, a finding about
///    another pasted Service is never its cause.
pub static RULES: &[&Rule] = &[
    &dns::coredns_forward_loop::RULE,
    &dns::coredns_not_running::RULE,
    &dns::coredns_api_unreachable::RULE,
    &dns::dns_service_no_endpoints::RULE,
    &dns::client_in_other_namespace::RULE,
    &dns::relative_names_fail::RULE,
    &dns::dns_unreachable::RULE,
    &dns::name_not_found::RULE,
    &dns::nameserver_not_cluster_dns::RULE,
    &dns::search_suffix_missing::RULE,
    &dns::hostnetwork_dns_policy::RULE,
    &dns::ndots_too_low::RULE,
    &dns::resolver_limits::RULE,
    &dns::egress_blocks_dns::RULE,
    &front_door::gateway_not_ready::RULE,
    &front_door::route_not_accepted::RULE,
    &front_door::route_refs_unresolved::RULE,
    &front_door::route_backend_missing::RULE,
    &front_door::route_backend_port_missing::RULE,
    &front_door::ingress_class_missing::RULE,
    &service::service_not_found::RULE,
    &rules::nft_unallocated_cluster_ip::RULE,
    &service::externalname_service::RULE,
    &service::load_balancer_not_provisioned::RULE,
    &service::headless_service::RULE,
    &service::targetport_quoted_number::RULE,
    &service::named_targetport_missing::RULE,
    &service::protocol_mismatch::RULE,
    &service::nodeport_mismatch::RULE,
    &rules::nft_port_not_defined::RULE,
    &service::port_not_exposed::RULE,
    &service::external_traffic_local_no_endpoint::RULE,
    &service::targetport_not_declared::RULE,
    &endpoints::workload_selector_mismatch::RULE,
    &endpoints::selector_matches_no_pods::RULE,
    &endpoints::pods_in_other_namespace::RULE,
    &endpoints::selectorless_without_endpoints::RULE,
    &endpoints::endpoint_updates_failing::RULE,
    &endpoints::endpoints_stale::RULE,
    &endpoints::endpointslice_port_unresolved::RULE,
    &endpoints::endpoints_terminating::RULE,
    &endpoints::not_ready_addresses_published::RULE,
    &endpoints::endpoints_not_ready::RULE,
    &endpoints::no_ready_endpoints::RULE,
    &endpoints::selector_too_broad::RULE,
    &endpoints::endpointslice_wrong_label::RULE,
    &pods::pod_not_running::RULE,
    &pods::app_listens_on_localhost::RULE,
    &pods::app_listens_ipv4_only::RULE,
    &pods::sidecar_not_ready::RULE,
    &pods::readiness_probe_failing::RULE,
    &pods::pod_not_ready::RULE,
    &pods::pod_direct_probe_fails::RULE,
    &pods::pod_restarting::RULE,
    &network::cni_pods_unhealthy::RULE,
    &network::pod_sandbox_network_failed::RULE,
    &network::ip_forward_disabled::RULE,
    &network::bridge_netfilter_off::RULE,
    &network::cross_node_traffic_fails::RULE,
    &network::hairpin_fails::RULE,
    &network::ingress_policy_blocks::RULE,
    &network::egress_policy_blocks::RULE,
    &network::admin_policy_denies::RULE,
    &network::cluster_policies_unevaluated::RULE,
    &network::policy_drop_observed::RULE,
    &proxy::kube_proxy_not_running::RULE,
    &proxy::kube_proxy_replacement_unhealthy::RULE,
    &proxy::kube_proxy_api_unreachable::RULE,
    &proxy::kube_proxy_sync_failing::RULE,
    &proxy::iptables_backend_mismatch::RULE,
    &proxy::proxy_mode_mismatch::RULE,
    &proxy::conntrack_stale_entries::RULE,
    &proxy::ipvs_mode_deprecated::RULE,
    &rules::ipt_service_rule_missing::RULE,
    &rules::ipt_rejects_no_endpoints::RULE,
    &rules::ipt_endpoints_mismatch::RULE,
    &rules::ipt_nodeport_rule_missing::RULE,
    &rules::ipt_probability_chain_broken::RULE,
    &rules::ipvs_virtual_server_missing::RULE,
    &rules::ipvs_real_servers_weight_zero::RULE,
    &rules::ipvs_real_servers_mismatch::RULE,
    &rules::nft_service_element_missing::RULE,
    &rules::nft_rejects_no_endpoints::RULE,
    &rules::nft_endpoints_mismatch::RULE,
    &rules::cilium_frontend_missing::RULE,
    &rules::cilium_backends_mismatch::RULE,
    &rules::local_endpoints_drop::RULE,
    &rules::source_range_excludes_client::RULE,
    &rules::internal_traffic_local_no_endpoint::RULE,
    &rules::nodeport_localhost::RULE,
    &rules::topology_hints_disabled::RULE,
];

/// Looks a rule up by its code (`EP301`) or slug.
pub fn rule(code_or_slug: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_slug) || r.slug == code_or_slug)
}

/// What the rules read: the model, the artifacts, and the pasted lines for
/// excerpts.
pub struct Facts<'a> {
    pub model: &'a Model,
    pub artifacts: &'a [Artifact],
    pub sources: &'a [Vec<&'a str>],
    pub lang: Lang,
    /// The Service the caller named (`namespace`, `name`), if any.
    pub service: Option<(Option<&'a str>, &'a str)>,
    /// Who and what the evidence is about (`case::resolve`).
    pub case: crate::context::case::Case,
    /// The Services merged across artifacts, built once: rules ask for them
    /// per Service, and merging them each time made big pastes quadratic.
    pub merged: std::cell::OnceCell<Vec<view::ServiceView<'a>>>,
    /// The pods of those Services, built once (`pods::service_pods`).
    pub service_pods: std::cell::OnceCell<Vec<(crate::report::ServiceRef, view::PodInfo<'a>)>>,
}

impl<'a> Facts<'a> {
    pub fn services(&self) -> Vec<view::ServiceView<'a>> {
        self.merged
            .get_or_init(|| view::services(self.model))
            .clone()
    }

    /// The Services a user is asking about: all but the cluster's own, unless
    /// those are all there is.
    pub fn user_services(&self) -> Vec<view::ServiceView<'a>> {
        let all = self.services();
        if let Some((ns, name)) = self.service {
            return all
                .into_iter()
                .filter(|s| {
                    s.name == Some(name)
                        && (ns.is_none() || s.namespace.is_none() || s.namespace == ns)
                })
                .collect();
        }
        let user: Vec<_> = all
            .iter()
            .filter(|s| !view::is_system(s.namespace, s.name))
            .cloned()
            .collect();
        if user.is_empty() {
            all
        } else {
            user
        }
    }

    pub fn client(&self) -> view::ClientInfo {
        view::client_info(self.model, self.artifacts)
    }

    /// The pod of `client` (from [`Facts::client`]) as pasted: its labels,
    /// its address.
    pub fn client_pod(&self, client: &view::ClientInfo) -> Option<&'a crate::model::Pod> {
        let name = client.pod.as_deref()?;
        self.model
            .pods
            .iter()
            .find(|p| p.name.as_deref() == Some(name))
    }

    /// The client as the subject of a finding (its resolver, its lookups).
    pub fn client_subject(&self) -> Subject {
        let client = self.client();
        Subject::shared(
            SubjectKind::Client,
            client.namespace.as_deref(),
            client.pod.as_deref(),
        )
    }

    /// The cluster DNS (CoreDNS behind the kube-dns Service) as a subject.
    pub fn cluster_dns_subject(&self) -> Subject {
        Subject::shared(
            SubjectKind::ClusterDns,
            Some("kube-system"),
            Some("kube-dns"),
        )
    }

    /// kube-proxy (on `node`, when known) as a subject.
    pub fn kube_proxy_subject(&self, node: Option<&str>) -> Subject {
        Subject::shared(SubjectKind::KubeProxy, None, node)
    }

    /// A Service known only by name (`web`, `web.shop`) as a subject.
    pub fn service_subject(&self, namespace: Option<&str>, name: &str) -> Subject {
        Subject::service(namespace, name)
    }

    /// The line of `origin` that holds `needle` as a word (a name in an
    /// object's YAML), else the whole origin: evidence that points at the
    /// line that matters.
    pub fn line_with(&self, origin: Origin, needle: &str) -> Origin {
        let Some(lines) = self.sources.get(origin.source) else {
            return origin;
        };
        (origin.lines[0]..=origin.lines[1])
            .find(|&no| {
                lines.get(no - 1).is_some_and(|l| {
                    l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
                        .any(|w| w == needle)
                })
            })
            .map_or(origin, |no| Origin {
                lines: [no, no],
                ..origin
            })
    }

    /// Fills `{name}`-style placeholders of a text in the report's language.
    pub fn fill(&self, text: Text, values: &[(&str, &str)]) -> String {
        let mut out = text.get(self.lang).to_string();
        for (key, value) in values {
            out = out.replace(&format!("{{{key}}}"), value);
        }
        out
    }

    /// The pasted lines of an origin, as evidence.
    pub fn evidence(&self, origin: Origin) -> Evidence {
        let [first, last] = origin.lines;
        let excerpt = self
            .sources
            .get(origin.source)
            .map(|lines| {
                (first..=last)
                    .filter_map(|no| lines.get(no.checked_sub(1)?))
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        Evidence {
            artifact: origin.artifact,
            source: origin.source,
            lines: origin.lines,
            excerpt,
        }
    }

    /// Said where a name, address or port is not in the paste: messages
    /// never show a bare `?`.
    pub fn not_shown(&self) -> &'static str {
        self.tr(crate::text!(
            "(not shown in the paste)",
            "（粘贴内容中未显示）"
        ))
    }

    pub fn tr(&self, text: Text) -> &'static str {
        text.get(self.lang)
    }
}

/// Where rules put what they found: findings, and the steps they had
/// evidence for (so that a step with evidence and no finding passes).
#[derive(Default)]
pub struct Sink {
    pub findings: Vec<Finding>,
    pub checked: BTreeSet<StepId>,
}

impl Sink {
    /// Notes that `step` had evidence to decide on.
    pub fn checked(&mut self, step: StepId) {
        self.checked.insert(step);
    }

    /// A finding of `rule` with another severity than the rule's own, for
    /// rules whose finding is informational unless the evidence shows harm.
    pub fn report_as(
        &mut self,
        rule: &Rule,
        subject: Subject,
        severity: Severity,
        message: String,
        evidence: Vec<Evidence>,
        fix: String,
    ) {
        self.report(rule, subject, message, evidence, fix);
        if let Some(last) = self.findings.last_mut() {
            last.severity = severity;
        }
    }

    /// A finding that is the rule's own severity (a warning) unless
    /// `harm` shows it breaking the path (a refused probe, a failed lookup,
    /// an intermittent one): then an error, with that evidence too.
    pub fn report_unless_harm(
        &mut self,
        rule: &Rule,
        subject: Subject,
        harm: Option<Evidence>,
        message: String,
        mut evidence: Vec<Evidence>,
        fix: String,
    ) {
        match harm {
            Some(shown) => {
                evidence.push(shown);
                self.report_as(rule, subject, Severity::Error, message, evidence, fix);
            }
            None => self.report(rule, subject, message, evidence, fix),
        }
    }

    /// An informational finding that does not decide its step: the step
    /// stays open for the evidence that would.
    pub fn note(
        &mut self,
        rule: &Rule,
        subject: Subject,
        message: String,
        evidence: Vec<Evidence>,
        fix: String,
    ) {
        let decided = self.checked.contains(&rule.step);
        self.report_as(rule, subject, Severity::Info, message, evidence, fix);
        if !decided {
            self.checked.remove(&rule.step);
        }
    }

    pub fn report(
        &mut self,
        rule: &Rule,
        subject: Subject,
        message: String,
        evidence: Vec<Evidence>,
        fix: String,
    ) {
        self.checked.insert(rule.step);
        self.findings.push(Finding {
            code: rule.code.to_string(),
            slug: rule.slug.to_string(),
            severity: rule.severity,
            step: rule.step,
            subject,
            message,
            evidence,
            fix,
        });
    }
}

impl Rule {
    /// Whether a finding of this rule explains one with `code`.
    pub fn explains_code(&self, code: &str) -> bool {
        self.explains.iter().any(|r| r.code == code)
    }
}
