//! The collector script (`collect/collect.sh`) against a fake kubectl: the
//! bundle it writes splits exactly at its markers, changes nothing in the
//! cluster, and diagnoses like the pasted outputs would.

use std::path::PathBuf;
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs collect.sh with the fake kubectl; returns the bundle and the log of
/// kubectl calls.
fn collect(args: &[&str]) -> (String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("kubectl.log");
    let testdata = repo().join("collect/testdata");
    let path = format!(
        "{}:{}",
        testdata.join("node-bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg(repo().join("collect/collect.sh"))
        .args(args)
        .env("KUBECTL", testdata.join("fake-kubectl"))
        .env("FAKE_KUBECTL_LOG", &log)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    (String::from_utf8(out.stdout).unwrap(), calls)
}

fn diagnose(bundle: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.txt");
    std::fs::write(&path, bundle).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_svcdoctor"))
        .args(["diagnose", "--format", "json", path.to_str().unwrap()])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_bundle_splits_at_its_markers_and_finds_the_root_cause() {
    let (bundle, calls) = collect(&["-n", "default", "web", "--client", "client"]);
    let markers = bundle
        .lines()
        .filter(|l| l.starts_with("==> svcdoctor: ") && !l.starts_with("==> svcdoctor: exit "))
        .count();
    let report = diagnose(&bundle);
    assert_eq!(
        report["artifacts"].as_array().unwrap().len(),
        markers,
        "one output per marker"
    );
    assert_eq!(report["root_cause"]["code"], "EP301");
    assert!(
        bundle.contains("==> svcdoctor: exit 1"),
        "a failed command is recorded"
    );
    // Read-only: only get, logs, exec and config view.
    for call in &calls {
        let verb = call.split_whitespace().next().unwrap_or("");
        assert!(
            matches!(verb, "get" | "logs" | "exec" | "config"),
            "the collector ran kubectl {call}"
        );
    }
}

#[test]
fn node_rules_and_a_temporary_pod() {
    let (bundle, calls) = collect(&["web", "--temp-pod", "--node"]);
    assert!(bundle.contains("==> svcdoctor: iptables-save -t nat"));
    assert!(bundle.contains("net.bridge.bridge-nf-call-iptables = 1"));
    assert!(
        bundle.contains("==> svcdoctor: exit 127"),
        "a missing ipvsadm is recorded"
    );
    let report = diagnose(&bundle);
    assert_eq!(report["root_cause"]["code"], "EP301");
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"IPT702"), "{codes:?}");
    assert!(
        !codes.contains(&"IPVS801")
            && !codes.contains(&"NFT901")
            && !codes.contains(&"KP601")
            && !codes.contains(&"NET506")
            && !codes.contains(&"NET507"),
        "{codes:?}"
    );
    // The temporary pod is the only change, and it is deleted.
    let changes: Vec<&String> = calls
        .iter()
        .filter(|c| c.starts_with("run ") || c.starts_with("delete "))
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        changes[0].starts_with("run svcdoctor-probe-")
            && changes[1].starts_with("delete pod svcdoctor-probe-")
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new("sh")
        .arg(repo().join("collect/collect.sh"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("collect.sh [-n NAMESPACE] SERVICE"));
}
