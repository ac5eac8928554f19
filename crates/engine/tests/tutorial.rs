//! The tutorial's own cluster, pasted as one transcript, is healthy.

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

#[test]
fn tutorial_transcript_splits_at_every_command() {
    let report = diagnose(&Input::from_text(TUTORIAL));
    let kinds: Vec<(ArtifactKind, Option<&str>)> = report
        .artifacts
        .iter()
        .map(|a| (a.kind, a.command.as_deref()))
        .collect();
    assert_eq!(kinds.len(), 17, "{kinds:#?}");
    assert_eq!(
        kinds[0],
        (ArtifactKind::KubectlTable, Some("kubectl get pods,svc"))
    );
    assert!(kinds.contains(&(
        ArtifactKind::K8sObjects,
        Some("kubectl get svc web -o yaml")
    )));
    assert!(kinds.contains(&(ArtifactKind::Iptables, Some("iptables-save |grep web"))));
    assert!(report
        .artifacts
        .iter()
        .all(|a| a.kind != ArtifactKind::Unknown));
}
