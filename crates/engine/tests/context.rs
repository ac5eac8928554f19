//! What the context stage decides, on small real-format pastes: which
//! facts decide a step, which path the client takes.

use svcdoctor_engine::report::{StepStatus, Via};
use svcdoctor_engine::{diagnose, Input, StepId};

fn status(report: &svcdoctor_engine::Report, id: StepId) -> StepStatus {
    report.steps.iter().find(|s| s.id == id).unwrap().status
}

const SLICES: &str = "$ kubectl get svc web
NAME   TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE
web    ClusterIP   10.96.0.20     <none>        80/TCP    5d
$ kubectl get endpointslices -l kubernetes.io/service-name=web
NAME        ADDRESSTYPE   PORTS   ENDPOINTS                AGE
web-lw4sf   IPv4          80      10.244.1.5,10.244.2.5    5d
";

#[test]
fn a_slice_table_alone_does_not_prove_its_addresses_ready() {
    let report = diagnose(&Input::from_text(SLICES));
    assert_eq!(status(&report, StepId::B3), StepStatus::Unknown);
    let next = report.next.first().expect("a next command");
    if next.step == StepId::B3 {
        assert!(next.command.ends_with("-o yaml"), "{}", next.command);
    }
    // A pod row that shows an address ready decides it.
    let with_pods = format!(
        "{SLICES}$ kubectl get pods -o wide
NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
web-f9h25wqknb-ngmcc   1/1     Running   0          5d    10.244.1.5   k8s-node1   <none>           <none>
"
    );
    let report = diagnose(&Input::from_text(&with_pods));
    assert_eq!(status(&report, StepId::B3), StepStatus::Pass);
}

#[test]
fn a_client_that_is_one_of_the_endpoints_reaches_itself() {
    let text = "$ kubectl get pods -o wide
NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
web-f9h25wqknb-ngmcc   1/1     Running   0          5d    10.244.1.5   k8s-node1   <none>           <none>
$ kubectl get ep web
NAME   ENDPOINTS                       AGE
web    10.244.1.5:80,10.244.2.5:80     5d
$ kubectl exec -it web-f9h25wqknb-ngmcc -- curl -sS -m 3 http://web
curl: (28) Connection timed out after 3001 milliseconds
";
    let report = diagnose(&Input::from_text(text));
    assert_eq!(report.via.value, Via::Hairpin);
    assert_eq!(report.case.client.ip.as_deref(), Some("10.244.1.5"));
}

#[test]
fn localhost_and_system_lookups_are_not_the_service_in_question() {
    let text = "$ kubectl get svc
NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE
kubernetes   ClusterIP   10.96.0.1      <none>        443/TCP   40d
web          ClusterIP   10.96.0.20     <none>        80/TCP    5d
$ kubectl exec -it web-f9h25wqknb-ngmcc -- curl -sS -m 3 localhost:8080
curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused
$ kubectl exec -it client -- nslookup kubernetes.default
Server:		10.96.0.10
Address:	10.96.0.10#53

Name:	kubernetes.default.svc.cluster.local
Address: 10.96.0.1
";
    let report = diagnose(&Input::from_text(text));
    let q = report.case.service.expect("a Service in question");
    assert_eq!(q.name, "web");
}

#[test]
fn a_listing_of_another_namespace_does_not_prove_a_name_missing() {
    let text = "$ kubectl get svc -n kube-system
NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE
kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   40d
$ kubectl exec -it client -- nslookup web.shop.svc.cluster.local
Server:		10.96.0.10
Address:	10.96.0.10#53

** server can't find web.shop.svc.cluster.local: NXDOMAIN
";
    let report = diagnose(&Input::from_text(text));
    assert_ne!(
        report.root_cause.map(|r| r.finding.code),
        Some("DNS109".to_string())
    );
}

#[test]
fn a_kube_ps1_prompt_gives_the_namespace_of_commands_without_n() {
    let text = "(kubernetes-admin@kubernetes|shop) $ kubectl get ep web
NAME   ENDPOINTS   AGE
web    <none>      5d
(kubernetes-admin@kubernetes|shop) $ kubectl exec -it client -- curl -sS -m 3 http://web
curl: (7) Failed to connect to web port 80 after 2 ms: Connection refused
";
    let report = diagnose(&Input::from_text(text));
    let q = report.case.service.expect("a Service in question");
    assert_eq!(
        (q.namespace.as_deref(), q.name.as_str()),
        (Some("shop"), "web")
    );
    assert_eq!(report.case.client.namespace.as_deref(), Some("shop"));
}

/// The probes of the Service in question are said in words: the tutorial's
/// curl to the cluster IP answers; a probe to the wrong port times out.
#[test]
fn probes_of_the_service_are_said_in_words() {
    use svcdoctor_engine::report::Via;
    let tutorial = include_str!("../../../samples/tutorial.txt");
    let report = svcdoctor_engine::diagnose(&svcdoctor_engine::Input::from_text(tutorial));
    let reached = &report.case.reached;
    assert_eq!(reached.len(), 1, "{reached:?}");
    assert_eq!(reached[0].via, Via::ClusterIp);
    assert!(reached[0].answered);
    assert!(reached[0]
        .said
        .starts_with("Your Service answers on its cluster IP (10.104.0.64:80)"));
    assert!(
        reached[0].evidence.excerpt.contains("200 OK"),
        "{:?}",
        reached[0].evidence
    );
    let wrong = include_str!("fixtures/scenarios/b2-wrong-service-port.txt");
    let report = svcdoctor_engine::diagnose(&svcdoctor_engine::Input::from_text(wrong));
    let failed: Vec<_> = report.case.reached.iter().filter(|r| !r.answered).collect();
    assert!(!failed.is_empty(), "{:?}", report.case.reached);
    assert!(
        failed[0].said.contains("got no answer"),
        "{}",
        failed[0].said
    );
    // Nothing is said of probes to other addresses.
    let other =
        "$ curl -sS -m 5 10.9.9.9:80\ncurl: (28) Connection timed out after 5001 milliseconds\n";
    let report = svcdoctor_engine::diagnose(&svcdoctor_engine::Input::from_text(other));
    assert!(report.case.reached.is_empty());
}

/// A dump pasted alone says what was read from it: every generated Service
/// and endpoint, in iptables, IPVS and YAML form.
#[test]
fn outputs_count_what_they_were_read_into() {
    use svcdoctor_engine::report::Counted;
    let svcs = svcdoctor_gen::cluster(7, 40, 3);
    let endpoints: usize = svcs.iter().map(|s| s.endpoints.len()).sum();
    let count = |text: &str, what: Counted| {
        let report = svcdoctor_engine::diagnose(&svcdoctor_engine::Input::from_text(text));
        assert_eq!(report.artifacts.len(), 1, "one output");
        report.artifacts[0]
            .read
            .iter()
            .find(|c| c.what == what)
            .map_or(0, |c| c.n)
    };
    let rules = svcdoctor_gen::iptables(&svcs);
    assert_eq!(count(&rules, Counted::ProxyServices), svcs.len());
    assert_eq!(count(&rules, Counted::Endpoints), endpoints);
    let ipvs = svcdoctor_gen::ipvs(&svcs);
    assert_eq!(count(&ipvs, Counted::Endpoints), endpoints);
    assert!(count(&ipvs, Counted::VirtualServers) >= svcs.len());
    let yaml = svcdoctor_gen::yaml(&svcs);
    assert_eq!(count(&yaml, Counted::Services), svcs.len());
}

/// The user's stated answers fill only steps without evidence, a "no" is
/// never healthy and is checked next, and the report says which steps rest
/// on them.
#[test]
fn stated_answers_fill_steps_without_evidence_only() {
    use svcdoctor_engine::{StepId, StepStatus, Verdict};
    let tutorial = include_str!("../../../samples/tutorial.txt");
    let with = |stated: Vec<(StepId, bool)>| {
        svcdoctor_engine::diagnose(&svcdoctor_engine::Input {
            stated,
            ..svcdoctor_engine::Input::from_text(tutorial)
        })
    };
    let plain = with(Vec::new());
    assert_eq!(plain.verdict, Verdict::Healthy);
    assert!(plain.not_checked.contains(&StepId::A2));
    let step =
        |r: &svcdoctor_engine::Report, id| r.steps.iter().find(|s| s.id == id).cloned().unwrap();
    // Yes to every step without evidence: healthy, nothing unchecked, and
    // each of those steps marked as stated.
    let yes: Vec<_> = plain.not_checked.iter().map(|&id| (id, true)).collect();
    let all_yes = with(yes.clone());
    assert_eq!(all_yes.verdict, Verdict::Healthy);
    assert!(all_yes.not_checked.is_empty());
    for (id, _) in &yes {
        let s = step(&all_yes, *id);
        assert_eq!((s.status, s.stated), (StepStatus::Pass, Some(true)));
        assert!(s.check.is_some(), "a stated step keeps its check");
    }
    // A "no": not healthy, and its check is next.
    let no = with(vec![(StepId::B6, false)]);
    assert_eq!(no.verdict, Verdict::NeedEvidence);
    assert_eq!(step(&no, StepId::B6).status, StepStatus::Fail);
    assert_eq!(no.next[0].step, StepId::B6);
    // Evidence wins over a statement.
    let a3 = with(vec![(StepId::A3, false)]);
    assert_eq!(step(&a3, StepId::A3).status, StepStatus::Pass);
    assert_eq!(step(&a3, StepId::A3).stated, None);
    assert_eq!(a3.verdict, Verdict::Healthy);
}
