//! Whole cases, several outputs at once: the tutorial's cluster as pasted
//! (healthy), the same cluster with each step broken in turn, and other
//! clusters. Each names the verdict and root cause `svcdoctor diagnose`
//! must reach (`tests/fixtures/scenarios/expected.json`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use svcdoctor_engine::{diagnose, Input};

#[derive(Deserialize)]
struct Expected {
    verdict: String,
    root_cause: Option<String>,
}

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios")
}

#[test]
fn every_scenario_reaches_its_verdict_and_root_cause() {
    let expected: BTreeMap<String, Expected> =
        serde_json::from_str(&std::fs::read_to_string(dir().join("expected.json")).unwrap())
            .unwrap();
    assert!(expected.len() >= 30, "at least 30 scenarios");
    let mut failures = Vec::new();
    for (name, want) in &expected {
        let text = std::fs::read_to_string(dir().join(format!("{name}.txt"))).unwrap();
        let report = diagnose(&Input::from_text(&text));
        let verdict = serde_json::to_value(report.verdict).unwrap();
        let root = report.root_cause.as_ref().map(|r| r.finding.code.clone());
        if verdict != want.verdict.as_str() || root != want.root_cause {
            failures.push(format!(
                "{name}: got {verdict} {root:?}, want {} {:?}; findings {:?}",
                want.verdict,
                want.root_cause,
                report
                    .findings
                    .iter()
                    .map(|f| f.code.as_str())
                    .collect::<Vec<_>>()
            ));
        }
    }
    // Every scenario file is listed.
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            if !expected.contains_key(&stem) {
                failures.push(format!("{stem}: not in expected.json"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} scenarios differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_root_cause_lists_what_it_explains() {
    let text = std::fs::read_to_string(dir().join("b3-selector-typo.txt")).unwrap();
    let report = diagnose(&Input::from_text(&text));
    let root = report.root_cause.unwrap();
    assert_eq!(root.finding.code, "EP301");
    assert!(
        root.explains.contains(&"EP304".to_string()),
        "{:?}",
        root.explains
    );
    assert!(
        root.explains.contains(&"IPT702".to_string()),
        "{:?}",
        root.explains
    );
}

#[test]
fn need_evidence_names_the_next_command_with_real_names() {
    let text = std::fs::read_to_string(dir().join("only-service-needs-evidence.txt")).unwrap();
    let mut input = Input::from_text(&text);
    input.via = Some(svcdoctor_engine::Via::ClusterIp);
    let report = diagnose(&input);
    let next = report.next.first().expect("a next step");
    assert_eq!(next.step, svcdoctor_engine::StepId::B3);
    assert_eq!(
        next.command,
        "kubectl get endpointslices -n default -l kubernetes.io/service-name=web"
    );
    assert!(!report.via.inferred);
}

#[test]
fn the_path_is_inferred_from_the_evidence() {
    let by = |name: &str| {
        let text = std::fs::read_to_string(dir().join(format!("{name}.txt"))).unwrap();
        diagnose(&Input::from_text(&text)).via
    };
    assert_eq!(by("tutorial-healthy").value, svcdoctor_engine::Via::Name);
    assert_eq!(
        by("b2-wrong-node-port").value,
        svcdoctor_engine::Via::NodePort
    );
    assert_eq!(
        by("hairpin-pod-to-own-service").value,
        svcdoctor_engine::Via::Hairpin
    );
    assert_eq!(
        by("cilium-replaces-kube-proxy").value,
        svcdoctor_engine::Via::ClusterIp
    );
    assert!(by("tutorial-healthy").inferred);
}

/// One client's answer does not cancel another's timeout: never healthy
/// while a probe of the Service fails.
#[test]
fn no_healthy_while_a_probe_of_the_service_fails() {
    let text = "$ kubectl get svc web -o wide
NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   SELECTOR
web    ClusterIP   10.96.0.20   <none>        80/TCP    5d    app=web
$ kubectl exec -it client-a -- curl -sS -m 3 -I http://web
HTTP/1.1 200 OK
$ kubectl exec -it client-b -- curl -sS -m 3 http://web
curl: (28) Connection timed out after 3001 milliseconds
";
    let report = diagnose(&Input::from_text(text));
    assert_ne!(serde_json::to_value(report.verdict).unwrap(), "healthy");
    let ok_only = text.split("$ kubectl exec -it client-b").next().unwrap();
    let report = diagnose(&Input::from_text(ok_only));
    assert_eq!(serde_json::to_value(report.verdict).unwrap(), "healthy");
}

/// `kubectl get endpointslices` lists addresses whatever their conditions:
/// joined to a pod listing that shows those pods not ready, they are not
/// ready endpoints.
#[test]
fn endpointslice_table_addresses_take_the_pods_readiness() {
    let text = "$ kubectl get svc web -o wide
NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   SELECTOR
web    ClusterIP   10.96.0.20   <none>        80/TCP    5d    app=web
$ kubectl get pods -o wide --show-labels
NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES   LABELS
web-f9h25wqknb-n8tqc   0/1     Running   0          5d    10.244.1.6   k8s-node1   <none>           <none>            app=web
web-f9h25wqknb-ngmcc   0/1     Running   0          5d    10.244.1.5   k8s-node1   <none>           <none>            app=web
$ kubectl get endpointslices -l kubernetes.io/service-name=web
NAME        ADDRESSTYPE   PORTS   ENDPOINTS               AGE
web-lw4sf   IPv4          80      10.244.1.5,10.244.1.6   5d
";
    let report = diagnose(&Input::from_text(text));
    let root = report.root_cause.as_ref().map(|r| r.finding.code.as_str());
    assert!(
        matches!(root, Some("POD402" | "EP305" | "EP304")),
        "{root:?}: {:?}",
        report.findings.iter().map(|f| &f.code).collect::<Vec<_>>()
    );
    // The endpoints step does not pass on addresses of pods not ready.
    let b3 = report
        .steps
        .iter()
        .find(|s| s.id == svcdoctor_engine::StepId::B3)
        .unwrap();
    assert_ne!(serde_json::to_value(b3.status).unwrap(), "pass");
}
