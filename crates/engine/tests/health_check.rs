//! kube-proxy's health check (`/healthz` on a Service's health-check node
//! port, for `externalTrafficPolicy: Local`): its answer is read as such,
//! never as a client using a wrong node port.

use svcdoctor_engine::{diagnose, Input};

/// `curl -s -i` of the health check, as kube-proxy's health server answers
/// (its JSON body after the headers and a blank line).
fn paste(local_endpoints: u32) -> String {
    let status = if local_endpoints == 0 {
        "503 Service Unavailable"
    } else {
        "200 OK"
    };
    format!(
        "$ kubectl get svc web -o wide
NAME   TYPE           CLUSTER-IP   EXTERNAL-IP    PORT(S)        AGE   SELECTOR
web    LoadBalancer   10.96.0.20   203.0.113.10   80:31380/TCP   5d    app=web
$ curl -s -i http://10.0.0.12:32156/healthz
HTTP/1.1 {status}
Content-Type: application/json
X-Content-Type-Options: nosniff
X-Load-Balancing-Endpoint-Weight: {local_endpoints}
Date: Fri, 27 Nov 2026 09:41:12 GMT
Content-Length: 95

{{\"service\":{{\"namespace\":\"default\",\"name\":\"web\"}},\"localEndpoints\":{local_endpoints},\"serviceProxyHealthy\":true}}
"
    )
}

#[test]
fn no_local_endpoint_is_the_local_policy_at_work_not_a_wrong_node_port() {
    let report = diagnose(&Input::from_text(&paste(0)));
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(!codes.contains(&"SVC208"), "{codes:?}");
    let root = report.root_cause.expect("a root cause");
    assert_eq!(root.finding.code, "SVC209");
    assert!(
        root.finding.message.contains("localEndpoints 0"),
        "{}",
        root.finding.message
    );
}

#[test]
fn a_node_with_local_endpoints_passes_its_health_check() {
    let report = diagnose(&Input::from_text(&paste(2)));
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(
        !codes.contains(&"SVC208") && !codes.contains(&"SVC209"),
        "{codes:?}"
    );
}
