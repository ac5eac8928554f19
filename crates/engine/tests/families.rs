//! Address families: proxy rules of one family say nothing of a Service or
//! endpoints of the other (IPv4 `iptables-save` and an IPv6 cluster IP).

use svcdoctor_engine::report::StepStatus;
use svcdoctor_engine::{diagnose, Input, StepId};

/// `ip6tables-save -t nat` of kube-proxy's rules for an IPv6 Service
/// `default/web` (fd00:10:96::4a2c, one endpoint [fd00:10:244:1::5]:8080),
/// printed by ip6tables itself.
fn ip6tables_save() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/real/ip6tables-save-ipv6-service.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().skip(1).map(|l| format!("{l}\n")).collect()
}

const SERVICE: &str = "$ kubectl get svc web -o wide
NAME   TYPE        CLUSTER-IP         EXTERNAL-IP   PORT(S)   AGE   SELECTOR
web    ClusterIP   fd00:10:96::4a2c   <none>        80/TCP    3d    app=web
$ kubectl get endpointslices -l kubernetes.io/service-name=web
NAME        ADDRESSTYPE   PORTS   ENDPOINTS          AGE
web-x2x9z   IPv6          8080    fd00:10:244:1::5   3d
";

fn codes(text: &str) -> Vec<String> {
    diagnose(&Input::from_text(text))
        .findings
        .into_iter()
        .map(|f| f.code)
        .collect()
}

#[test]
fn ipv6_rules_that_match_the_ipv6_endpoints_pass() {
    let text = format!(
        "{SERVICE}$ sudo ip6tables-save -t nat\n{}",
        ip6tables_save()
    );
    let report = diagnose(&Input::from_text(&text));
    assert!(report.findings.is_empty(), "{:?}", codes(&text));
    let b8 = report.steps.iter().find(|s| s.id == StepId::B8).unwrap();
    assert_eq!(b8.status, StepStatus::Pass);
}

#[test]
fn ipv4_rules_say_nothing_of_an_ipv6_cluster_ip() {
    // A whole IPv4 dump without the Service: not "rules missing", and the
    // step asks for ip6tables-save.
    let text = format!(
        "{SERVICE}$ sudo iptables-save -t nat
*nat
:KUBE-SERVICES - [0:0]
-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y
COMMIT
"
    );
    let report = diagnose(&Input::from_text(&text));
    assert!(report.findings.is_empty(), "{:?}", codes(&text));
    let b8 = report.steps.iter().find(|s| s.id == StepId::B8).unwrap();
    let check = b8
        .check
        .as_ref()
        .expect("B8 has no evidence, so it has a check");
    assert!(
        check.command.starts_with("ip6tables-save -t nat"),
        "{}",
        check.command
    );
}

#[test]
fn ipv6_rules_that_lack_the_endpoint_are_a_mismatch() {
    let rules = ip6tables_save().replace("fd00:10:244:1::5", "fd00:10:244:2::9");
    let text = format!("{SERVICE}$ sudo ip6tables-save -t nat\n{rules}");
    assert!(
        codes(&text).contains(&"IPT703".to_string()),
        "{:?}",
        codes(&text)
    );
}
