//! Native sidecars (init containers with `restartPolicy: Always`): a named
//! targetPort declared only on one is resolved from Kubernetes 1.32 on, so
//! it is a warning, not "matches no container port".

use svcdoctor_engine::{diagnose, Input, Severity};

/// `kubectl get svc,deploy web -o yaml` as kubectl prints it, the port
/// `http` named on the container `app` or on the sidecar `proxy`.
fn paste(port_on_sidecar: bool) -> String {
    let (app_port, sidecar_port) = if port_on_sidecar {
        (
            "          - containerPort: 8080\n            protocol: TCP\n",
            "          - containerPort: 8443\n            name: http\n            protocol: TCP\n",
        )
    } else {
        (
            "          - containerPort: 8080\n            name: http\n            protocol: TCP\n",
            "          - containerPort: 8443\n            protocol: TCP\n",
        )
    };
    format!(
        "$ kubectl get svc,deploy web -o yaml
apiVersion: v1
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: default
  spec:
    clusterIP: 10.96.0.20
    ports:
    - port: 80
      protocol: TCP
      targetPort: http
    selector:
      app: web
    type: ClusterIP
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: default
  spec:
    replicas: 2
    selector:
      matchLabels:
        app: web
    template:
      metadata:
        labels:
          app: web
      spec:
        containers:
        - image: example/app:1.4
          name: app
          ports:
{app_port}        initContainers:
        - image: example/proxy:2.0
          name: proxy
          ports:
{sidecar_port}          restartPolicy: Always
kind: List
metadata:
  resourceVersion: \"\"
"
    )
}

#[test]
fn a_named_port_only_on_a_sidecar_is_a_warning_about_the_version() {
    let report = diagnose(&Input::from_text(&paste(true)));
    let svc204 = report
        .findings
        .iter()
        .find(|f| f.code == "SVC204")
        .expect("SVC204 speaks of the sidecar");
    assert_eq!(svc204.severity, Severity::Warning);
    assert!(
        svc204.message.contains("sidecar proxy"),
        "{}",
        svc204.message
    );
    assert!(svc204.message.contains("1.32"), "{}", svc204.message);
    assert!(report.root_cause.is_none());
}

#[test]
fn a_named_port_on_the_app_container_is_fine() {
    let report = diagnose(&Input::from_text(&paste(false)));
    assert!(
        report.findings.iter().all(|f| f.code != "SVC204"),
        "{:?}",
        report.findings
    );
}

#[test]
fn a_cluster_known_to_run_1_33_resolves_the_sidecar_port() {
    // kubectl's own warning among the rows says the server is 1.33 or later.
    let text = format!(
        "$ kubectl get endpoints web\nWarning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\nNAME   ENDPOINTS                     AGE\nweb    10.244.1.5:8080,10.244.2.7:8080   3d\n{}",
        paste(true)
    );
    let report = diagnose(&Input::from_text(&text));
    assert!(
        report.findings.iter().all(|f| f.code != "SVC204"),
        "{:?}",
        report.findings
    );
}

#[test]
fn nodes_on_1_31_say_nothing_of_1_32() {
    let text = format!(
        "$ kubectl get nodes\nNAME     STATUS   ROLES           AGE   VERSION\nnode-1   Ready    control-plane   40d   v1.31.4\n{}",
        paste(true)
    );
    let report = diagnose(&Input::from_text(&text));
    assert!(report.findings.iter().any(|f| f.code == "SVC204"));
}
