//! Conformance: every sample of `tests/corpus/` (the real outputs with their
//! ground truth; provenance in its README) parses into the kind and the
//! facts its `.expect.json` states (spec section 5).
//!
//! The comparison is on facts: for each key of the expectation that names a
//! fact (not provenance or notes), the inspect view must hold the same value;
//! objects compare key by key, lists of Services by Service port. Where we
//! judge a ground-truth fact wrong or not derivable from the text, the
//! override is listed in `JUDGED` with the reason.

use std::path::{Path, PathBuf};

use serde_json::Value;
use svcdoctor_engine::inspect::inspect;
use svcdoctor_engine::{ArtifactKind, Input};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Keys about provenance, presentation or tooling rather than facts.
const NOT_FACTS: &[&str] = &[
    "kind",
    "source",
    "note",
    "command",
    "format",
    "flavor",
    "tool",
    "partial",
    "truncated",
    "age",
    "diagnosis_hint",
    "node",
    "ipvs_version",
    "log_format",
    "endpoint_probabilities",
    "userspace_proxy_port",
    "node_ip_for_host_dnat",
    "fw_chain",
    "svl_chain",
    "ext_chain",
    "xlb_chain",
    "index_file_id",
    "addresses_note",
];

/// Ground-truth facts we judge differently, by sample and JSON path, with why.
const JUDGED: &[(&str, &str, &str)] = &[
    (
        "endpoints/kubectl-get-svc-yaml-grep-nodeport",
        "objects[0].name",
        "the command line `kubectl get svc my-nginx -o yaml` names the Service: my-nginx, not unknown",
    ),
    (
        "endpoints/kubectl-get-svc-yaml-grep-nodeport",
        "objects[0].namespace",
        "kubectl without -n reads the context's namespace; svcdoctor assumes `default` as for tables",
    ),
    (
        "endpoints/kubectl-describe-svc-my-nginx",
        "objects[0].ports[0].target_port",
        "`80/TCP` is kubectl's display of target port 80 (protocol TCP); the fact is the number 80",
    ),
    (
        "kube-proxy-logs/ipvs-v1.16-kubespray-graceful-termination",
        "node_ip",
        "the log says `X.59.172.20`; ` (redacted by poster)` is the corpus author's remark, not log text",
    ),
    (
        "nftables/k8s-overall-nftables-dump",
        "services[\"ns2\"|\"svc2\"|\"p80\"|\"TCP\"].health_check_node_port",
        "not derivable: the nftables dump contains no rule for health check node port 30000 (it is served by kube-proxy's own listener)",
    ),
    (
        "nslookup/busybox-new-timeout",
        "query",
        "the command line `nslookup kubernetes.default <CoreDNS pod IP>` names the query",
    ),
    (
        "iptables/k8s-lb-affinity-no-endpoints-reject",
        "services[\"ns1\"|\"svc1\"|\"p80\"|\"TCP\"].load_balancer_ips",
        "not derivable: the only rule for 1.2.3.4 is a REJECT in KUBE-EXTERNAL-SERVICES, which does not say whether the address is a load-balancer IP or an externalIP (read as external)",
    ),
    (
        "iptables/k8s-lb-affinity-no-endpoints-reject",
        "services[\"ns1\"|\"svc1\"|\"p80\"|\"TCP\"].external_ips",
        "the same REJECT rule, read as an external address",
    ),
    (
        "iptables/k8s-lb-affinity-no-endpoints-reject",
        "services[\"ns1\"|\"svc1\"|\"p80\"|\"TCP\"].session_affinity",
        "not derivable: a Service without endpoints has no KUBE-SVC chain, so no `-m recent` affinity rule is written",
    ),
];

/// Keys not derivable from nft output: external and load-balancer IPs both
/// jump to the same `external-*` chain, and the Service type is not encoded.
const NFT_NOT_DERIVABLE: &[&str] = &["external_ips", "load_balancer_ips", "type"];
/// iptables rules do not say `type` either (a NodePort Service with
/// externalIPs and no nodePort rule looks like a ClusterIP one).
const IPT_NOT_DERIVABLE: &[&str] = &["type"];

fn expected_kinds(dir: &str) -> &'static [ArtifactKind] {
    match dir {
        "dig" => &[ArtifactKind::Dig],
        "nslookup" => &[ArtifactKind::Nslookup],
        "resolv" => &[ArtifactKind::Resolv],
        "iptables" => &[ArtifactKind::Iptables],
        "ipvs" => &[ArtifactKind::Ipvs],
        "nftables" => &[ArtifactKind::Nftables],
        "kube-proxy-logs" => &[ArtifactKind::KubeProxyLogs],
        "endpoints" => &[
            ArtifactKind::K8sObjects,
            ArtifactKind::KubectlTable,
            ArtifactKind::KubectlDescribe,
            ArtifactKind::KubectlError,
        ],
        other => panic!("unknown corpus folder {other}"),
    }
}

fn service_key(v: &Value) -> String {
    ["namespace", "name", "port_name", "protocol"]
        .iter()
        .map(|k| v.get(*k).map(|x| x.to_string()).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

fn same_scalar(expect: &Value, actual: &Value) -> bool {
    match (expect, actual) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        // A single error text may be stated as a string.
        (Value::String(s), Value::Array(list)) => list.len() == 1 && list[0].as_str() == Some(s),
        (Value::Array(e), Value::Array(a)) if e.is_empty() => a.is_empty(),
        _ => expect == actual,
    }
}

fn compare(expect: &Value, actual: &Value, path: &str, skip: &[&str], out: &mut Vec<String>) {
    match expect {
        Value::Object(map) => {
            for (key, e) in map {
                if NOT_FACTS.contains(&key.as_str()) || skip.contains(&key.as_str()) {
                    continue;
                }
                let a = actual.get(key).unwrap_or(&Value::Null);
                compare(e, a, &format!("{path}.{key}"), skip, out);
            }
        }
        Value::Array(items) if items.iter().any(Value::is_object) => {
            let Some(actual_items) = actual.as_array() else {
                out.push(format!("{path}: expected a list, got {actual}"));
                return;
            };
            let keyed = items.iter().all(|i| i.get("port_name").is_some());
            if keyed {
                for e in items {
                    let key = service_key(e);
                    match actual_items.iter().find(|a| service_key(a) == key) {
                        Some(a) => compare(e, a, &format!("{path}[{key}]"), skip, out),
                        None => out.push(format!("{path}: no service {key}")),
                    }
                }
            } else {
                if items.len() != actual_items.len() {
                    out.push(format!(
                        "{path}: expected {} items, got {}: {actual}",
                        items.len(),
                        actual_items.len()
                    ));
                }
                for (i, (e, a)) in items.iter().zip(actual_items).enumerate() {
                    compare(e, a, &format!("{path}[{i}]"), skip, out);
                }
            }
        }
        _ => {
            if !same_scalar(expect, actual) {
                out.push(format!("{path}: expected {expect}, got {actual}"));
            }
        }
    }
}

/// Facts that only the command line states: read from the bare output they
/// cannot be known, by sample and JSON path, with why.
const FROM_COMMAND: &[(&str, &str, &str)] = &[
    (
        "endpoints/kubectl-get-svc-yaml-grep-nodeport",
        "objects[0].name",
        "a grep'd YAML fragment without `metadata:`: only `kubectl get svc my-nginx` names the Service",
    ),
    (
        "endpoints/kubectl-get-endpoints-hostnames",
        "objects[0].namespace",
        "a table without a NAMESPACE column is in kubectl's context namespace, which only the command line (no -n: `default` assumed) hints at",
    ),
    (
        "endpoints/kubectl-get-endpointslices-my-nginx",
        "objects[0].namespace",
        "the same: no NAMESPACE column, no command line",
    ),
    (
        "endpoints/kubectl-get-svc-hostnames",
        "objects[0].namespace",
        "the same: no NAMESPACE column, no command line",
    ),
    (
        "endpoints/kubectl-get-ep-kube-dns",
        "objects[0].namespace",
        "`kube-system` is the command's `-n kube-system`; the table has no NAMESPACE column",
    ),
    (
        "nslookup/bind-nslookup-search-expanded-ok",
        "query",
        "the output names only the answer, the search-list expansion kubernetes.default.svc.cluster.local; the name typed is the command's",
    ),
    (
        "nslookup/bind-nslookup-search-expanded-ok",
        "canonical_name",
        "without the name typed, the answer's name is the query, not a different canonical name",
    ),
];

struct Sample {
    /// `dir/name`, as in `JUDGED`.
    name: String,
    dir: String,
    text: String,
    command: Option<String>,
    expect: Value,
}

fn samples() -> Vec<Sample> {
    let root = corpus();
    assert!(root.is_dir(), "the corpus is missing at {}", root.display());
    let mut paths = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.to_string_lossy().ends_with(".expect.json") {
                paths.push(f);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|expect_path| {
            let stem = expect_path.to_string_lossy().replace(".expect.json", "");
            let dir = expect_path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let name = format!(
                "{dir}/{}",
                Path::new(&stem).file_name().unwrap().to_string_lossy()
            );
            let text = std::fs::read_to_string(format!("{stem}.txt")).unwrap();
            let expect: Value =
                serde_json::from_str(&std::fs::read_to_string(expect_path).unwrap()).unwrap();
            let command = expect
                .get("command")
                .and_then(Value::as_str)
                .filter(|c| !c.contains("(implied)"))
                .map(str::to_string);
            Sample {
                name,
                dir,
                text,
                command,
                expect,
            }
        })
        .collect()
}

/// What is wrong with the reading of `pasted` as `sample`, ignoring the
/// mismatches that `forgiven` lists for it.
fn mismatches(sample: &Sample, pasted: &str, forgiven: &[&[(&str, &str, &str)]]) -> Vec<String> {
    let inspection = inspect(&Input::from_text(pasted));
    let Some(first) = inspection.artifacts.first() else {
        return vec![format!("{}: no artifact", sample.name)];
    };
    let mut failures = Vec::new();
    if inspection.artifacts.len() != 1 {
        let kinds: Vec<_> = inspection
            .artifacts
            .iter()
            .map(|a| a.artifact.kind)
            .collect();
        failures.push(format!(
            "{}: split into {} artifacts {kinds:?}",
            sample.name,
            kinds.len()
        ));
    }
    if !expected_kinds(&sample.dir).contains(&first.artifact.kind) {
        failures.push(format!(
            "{}: detected as {}",
            sample.name, first.artifact.kind
        ));
        return failures;
    }
    let skip: &[&str] = match sample.dir.as_str() {
        "nftables" => NFT_NOT_DERIVABLE,
        "iptables" => IPT_NOT_DERIVABLE,
        _ => &[],
    };
    let mut expect = sample.expect.clone();
    if let Some(visible) = expect.get("services_with_visible_endpoints").cloned() {
        expect["services"] = visible;
    }
    for key in [
        "services_with_visible_endpoints",
        "service_ips_map",
        "no_endpoint_services",
        "service_nodeports",
    ] {
        if let Some(obj) = expect.as_object_mut() {
            obj.remove(key);
        }
    }
    let mut found = Vec::new();
    compare(&expect, &first.model, "", skip, &mut found);
    found.retain(|m| {
        !forgiven
            .iter()
            .flat_map(|list| list.iter())
            .any(|(s, path, _)| {
                *s == sample.name
                    && m.strip_prefix(&format!(".{path}"))
                        .is_some_and(|rest| rest.starts_with([':', '.', '[']))
            })
    });
    failures.extend(found.into_iter().map(|m| format!("{}: {m}", sample.name)));
    failures
}

#[test]
fn every_corpus_sample_parses_into_its_facts() {
    let samples = samples();
    assert_eq!(samples.len(), 59, "the corpus README counts 59 samples");
    let mut failures = Vec::new();
    for sample in &samples {
        // The samples hold output only; the command, where known, goes in
        // front as a user would paste it.
        let pasted = match &sample.command {
            Some(c) => format!("$ {c}\n{}", sample.text),
            None => sample.text.clone(),
        };
        failures.extend(mismatches(sample, &pasted, &[JUDGED]));
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// People paste output without the command as often as with it: every
/// sample must be recognised from its text alone, with the same facts but
/// those only the command line states.
#[test]
fn every_corpus_sample_is_recognised_without_its_command_line() {
    let samples = samples();
    let mut failures = Vec::new();
    let mut passed = 0;
    for sample in &samples {
        let found = mismatches(sample, &sample.text, &[JUDGED, FROM_COMMAND]);
        if found.is_empty() {
            passed += 1;
        }
        failures.extend(found);
    }
    println!(
        "corpus without command lines: {passed} of {} samples",
        samples.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
