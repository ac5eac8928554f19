//! The tutorial's own cluster, pasted as one transcript: every output is
//! recognised with the right kind and facts, and the cluster is healthy.

use serde_json::Value;
use svcdoctor_engine::inspect::inspect;
use svcdoctor_engine::{diagnose, ArtifactKind, Input, StepId, StepStatus, Verdict};

const TUTORIAL: &str = include_str!("../../../samples/tutorial.txt");

#[test]
fn tutorial_transcript_has_no_root_cause() {
    let report = diagnose(&Input::from_text(TUTORIAL));
    assert!(report.root_cause.is_none(), "{:#?}", report.root_cause);
    assert_eq!(report.verdict, Verdict::Healthy);
    let b3 = report.steps.iter().find(|s| s.id == StepId::B3).unwrap();
    assert_eq!(
        b3.status,
        StepStatus::Pass,
        "the Service's selector was checked against the deployment"
    );
}

fn facts() -> Vec<(ArtifactKind, Option<String>, Value)> {
    inspect(&Input::from_text(TUTORIAL))
        .artifacts
        .into_iter()
        .map(|a| (a.artifact.kind, a.artifact.command, a.model))
        .collect()
}

#[test]
fn every_output_gets_its_kind_and_command() {
    use ArtifactKind::*;
    let kinds: Vec<(ArtifactKind, String)> = facts()
        .into_iter()
        .map(|(k, c, _)| (k, c.unwrap_or_default()))
        .collect();
    let expected = [
        (KubectlTable, "kubectl get pods,svc"),
        (KubectlTable, "kubectl get pods -n kube-system"),
        (Nslookup, "nslookup web"),
        (Nslookup, "nslookup web.default"),
        (Nslookup, "nslookup web.default.svc.cluster.local"),
        (Resolv, "cat /etc/resolv.conf"),
        (
            Nslookup,
            "nslookup web.default.svc.cluster.local 10.96.0.10",
        ),
        (HttpProbe, "curl -I 10.104.0.64:80"),
        (K8sObjects, "kubectl get svc web -o yaml"),
        (KubectlTable, "kubectl get pods -l app=web"),
        (KubectlTable, "kubectl get endpoints web"),
        (K8sObjects, "kubectl get deployment web -o yaml"),
        (KubectlTable, "kubectl get pods -o wide"),
        (HttpProbe, "curl -I 10.244.169.135:80"),
        (KubectlTable, "kubectl get pods -n kube-system"),
        (ProcessList, "ps -ef |grep kube-proxy"),
        (Iptables, "iptables-save |grep web"),
    ];
    let expected: Vec<(ArtifactKind, String)> =
        expected.iter().map(|(k, c)| (*k, c.to_string())).collect();
    assert_eq!(kinds, expected);
}

#[test]
fn outputs_carry_the_right_facts() {
    let f = facts();
    let model = |i: usize| &f[i].2;
    // kubectl get pods,svc: three running pods and two Services in one output.
    let objects = model(0)["objects"].as_array().unwrap();
    let pods: Vec<&Value> = objects.iter().filter(|o| o["kind"] == "Pod").collect();
    assert_eq!(pods.len(), 3);
    assert!(pods
        .iter()
        .all(|p| p["ready"] == true && p["status"] == "Running"));
    let web = objects.iter().find(|o| o["name"] == "web").unwrap();
    assert_eq!(web["type"], "NodePort");
    assert_eq!(web["cluster_ip"], "10.104.0.64");
    assert_eq!(web["ports"][0]["port"], 80);
    assert_eq!(web["ports"][0]["node_port"], 32035);
    // CoreDNS pods in kube-system.
    let dns = model(1)["objects"].as_array().unwrap();
    assert_eq!(dns.len(), 2);
    assert!(dns
        .iter()
        .all(|p| p["namespace"] == "kube-system" && p["ready"] == true));
    // The three lookups from the busybox pod and the one from the node.
    for i in [2, 3, 4, 6] {
        assert_eq!(model(i)["resolved"], true, "lookup {i}");
        assert_eq!(model(i)["server"]["ip"], "10.96.0.10");
        assert_eq!(model(i)["answers"][0]["address"], "10.104.0.64");
    }
    assert_eq!(model(2)["query"], "web");
    assert_eq!(model(6)["server"]["port"], 53);
    // resolv.conf
    assert_eq!(model(5)["nameservers"], serde_json::json!(["10.96.0.10"]));
    assert_eq!(model(5)["search"][0], "default.svc.cluster.local");
    assert_eq!(model(5)["ndots"], 5);
    // curl to the cluster IP and to a pod.
    assert_eq!(
        (model(7)["outcome"].as_str(), model(7)["status"].as_u64()),
        (Some("ok"), Some(200))
    );
    assert_eq!(model(13)["host"], "10.244.169.135");
    // The Service fragment: selector and ports despite the `...` lines.
    let svc = &model(8)["objects"][0];
    assert_eq!(svc["name"], "web");
    assert_eq!(svc["namespace"], "default");
    assert_eq!(svc["selector"], serde_json::json!({"app": "web"}));
    assert_eq!(svc["ports"][0]["target_port"], 80);
    // Pods picked by -l app=web carry that label.
    assert!(model(9)["objects"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["labels"]["app"] == "web"));
    // Endpoints.
    assert_eq!(
        model(10)["objects"][0]["endpoints"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // The Deployment fragment is a lone selector block.
    assert_eq!(model(11)["objects"][0]["kind"], "Deployment");
    assert_eq!(
        model(11)["objects"][0]["selector"],
        serde_json::json!({"app": "web"})
    );
    // -o wide: IPs and nodes, also in the row that lost its last column.
    let wide = model(12)["objects"].as_array().unwrap();
    assert_eq!(wide[2]["ip"], "10.244.169.136");
    assert_eq!(wide[2]["node"], "k8s-node2");
    // calico pods, kube-proxy process (not the grep), iptables rules.
    assert_eq!(model(14)["objects"].as_array().unwrap().len(), 4);
    let procs = model(15)["processes"].as_array().unwrap();
    assert!(procs
        .iter()
        .any(|p| p["program"] == "kube-proxy" && p["is_grep"] == false));
    let rules = &model(16)["services"][0];
    assert_eq!(
        (rules["namespace"].as_str(), rules["name"].as_str()),
        (Some("default"), Some("web"))
    );
    assert_eq!(rules["cluster_ip"], "10.104.0.64");
    assert_eq!(rules["node_port"], 32035);
    assert_eq!(rules["endpoints"].as_array().unwrap().len(), 3);
}
