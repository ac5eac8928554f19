//! Variants of each output that the corpus does not cover, written as the
//! tools print them, each checked through the inspect view.

use serde_json::{json, Value};
use svcdoctor_engine::inspect::inspect;
use svcdoctor_engine::{ArtifactKind, Input};

/// The kind and facts of the only artifact in `text`.
fn one(text: &str) -> (ArtifactKind, Value) {
    let inspection = inspect(&Input::from_text(text));
    assert_eq!(inspection.artifacts.len(), 1, "{:#?}", inspection.artifacts);
    let a = &inspection.artifacts[0];
    (a.artifact.kind, a.model.clone())
}

#[test]
fn pods_in_all_namespaces_with_labels() {
    let (kind, m) = one("$ kubectl get pods -A -o wide --show-labels
NAMESPACE     NAME                       READY   STATUS             RESTARTS       AGE   IP           NODE    NOMINATED NODE   READINESS GATES   LABELS
default       web-5d9c7b8f4-abcde        0/1     CrashLoopBackOff   7 (2m ago)     20m   10.244.1.5   node1   <none>           <none>            app=web,pod-template-hash=5d9c7b8f4
kube-system   coredns-7db6d8ff4d-x1y2z   1/1     Running            0              3d    10.244.0.2   node0   <none>           <none>            k8s-app=kube-dns,pod-template-hash=7db6d8ff4d
");
    assert_eq!(kind, ArtifactKind::KubectlTable);
    let pods = m["objects"].as_array().unwrap();
    assert_eq!(pods[0]["namespace"], "default");
    assert_eq!(pods[0]["status"], "CrashLoopBackOff");
    assert_eq!(pods[0]["ready"], false);
    assert_eq!(pods[0]["restarts"], 7);
    assert_eq!(pods[0]["labels"]["app"], "web");
    assert_eq!(pods[1]["labels"]["k8s-app"], "kube-dns");
    assert_eq!(pods[1]["node"], "node0");
}

#[test]
fn services_with_selector_column_and_endpointslices_table() {
    let (_, m) = one("$ kubectl get svc -n shop -o wide
NAME   TYPE           CLUSTER-IP     EXTERNAL-IP    PORT(S)                      AGE   SELECTOR
web    LoadBalancer   10.96.12.34    203.0.113.7    80:31080/TCP,443:31443/TCP   5d    app=web
db     ClusterIP      None           <none>         5432/TCP                     5d    <none>
");
    let svcs = m["objects"].as_array().unwrap();
    assert_eq!(svcs[0]["namespace"], "shop");
    assert_eq!(svcs[0]["external_ip"], "203.0.113.7");
    assert_eq!(svcs[0]["ports"][1]["node_port"], 31443);
    assert_eq!(svcs[0]["selector"], json!({"app": "web"}));
    assert_eq!(svcs[1]["cluster_ip"], "None");
    assert_eq!(svcs[1]["selector"], json!({}));
}

#[test]
fn endpoints_with_more_and_none() {
    let (_, m) = one("$ kubectl get ep
NAME     ENDPOINTS                                               AGE
big      10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...          1d
empty    <none>                                                  1d
");
    let objs = m["objects"].as_array().unwrap();
    assert_eq!(objs[0]["endpoints"].as_array().unwrap().len(), 3);
    assert_eq!(objs[0]["truncated"], true);
    assert_eq!(objs[1]["endpoints"], json!([]));
}

#[test]
fn endpoint_objects_in_yaml_with_not_ready_addresses() {
    let (kind, m) = one("$ kubectl get endpoints,endpointslices -n shop -o yaml
apiVersion: v1
items:
- apiVersion: v1
  kind: Endpoints
  metadata:
    name: web
    namespace: shop
  subsets:
  - addresses:
    - ip: 10.244.1.5
      nodeName: node1
      targetRef:
        kind: Pod
        name: web-1
    notReadyAddresses:
    - ip: 10.244.2.6
    ports:
    - name: http
      port: 8080
      protocol: TCP
- apiVersion: discovery.k8s.io/v1
  kind: EndpointSlice
  metadata:
    name: web-abc12
    namespace: shop
    labels:
      kubernetes.io/service-name: web
  addressType: IPv4
  endpoints:
  - addresses:
    - 10.244.1.5
    conditions:
      ready: true
    nodeName: node1
  - addresses:
    - 10.244.2.6
    conditions:
      ready: false
  ports:
  - name: http
    port: 8080
    protocol: TCP
kind: List
");
    assert_eq!(kind, ArtifactKind::K8sObjects);
    let objs = m["objects"].as_array().unwrap();
    let ep = objs.iter().find(|o| o["kind"] == "Endpoints").unwrap();
    assert_eq!(ep["endpoints"], json!(["10.244.1.5:8080"]));
    assert_eq!(ep["not_ready"], json!(["10.244.2.6"]));
    let slice = objs.iter().find(|o| o["kind"] == "EndpointSlice").unwrap();
    assert_eq!(slice["service"], "web");
    assert_eq!(slice["addresses"], json!(["10.244.1.5"]));
    assert_eq!(slice["not_ready"], json!(["10.244.2.6"]));
}

#[test]
fn json_list_and_network_policy() {
    let (_, m) = one(r#"{
    "apiVersion": "v1",
    "kind": "List",
    "items": [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "deny-all", "namespace": "shop"},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "coredns", "namespace": "kube-system"},
            "data": {"Corefile": ".:53 {\n    forward . /etc/resolv.conf\n    loop\n}\n"}
        }
    ]
}"#);
    let objs = m["objects"].as_array().unwrap();
    assert_eq!(objs[0]["kind"], "NetworkPolicy");
    assert_eq!(objs[0]["policy_types"], json!(["Ingress", "Egress"]));
    assert_eq!(objs[1]["keys"], json!(["Corefile"]));
}

#[test]
fn describe_pod() {
    let (kind, m) = one("$ kubectl describe pod web-1 -n shop
Name:             web-1
Namespace:        shop
Priority:         0
Node:             node1/192.168.1.11
Labels:           app=web
                  pod-template-hash=5d9c7b8f4
Status:           Running
IP:               10.244.1.5
Containers:
  nginx:
    Port:           80/TCP
    Ready:          False
Conditions:
  Type              Status
  Initialized       True
  Ready             False
  ContainersReady   False
  PodScheduled      True
");
    assert_eq!(kind, ArtifactKind::KubectlDescribe);
    let pod = &m["objects"][0];
    assert_eq!(pod["kind"], "Pod");
    assert_eq!(pod["node"], "node1");
    assert_eq!(
        pod["labels"],
        json!({"app": "web", "pod-template-hash": "5d9c7b8f4"})
    );
    assert_eq!(pod["ready"], false);
    assert_eq!(pod["ip"], "10.244.1.5");
}

#[test]
fn kubectl_errors() {
    let (kind, m) = one(
        "$ kubectl get svc web -n shop\nError from server (NotFound): services \"web\" not found\n",
    );
    assert_eq!(kind, ArtifactKind::KubectlError);
    assert_eq!(m["error_kind"], "service_not_found");
    assert_eq!(m["service"], "web");
    let (_, m) = one("$ kubectl get pods -l app=web\nNo resources found in default namespace.\n");
    assert_eq!(m["error_kind"], "no_resources");
}

#[test]
fn newer_busybox_nslookup_success() {
    let (kind, m) = one("/ # nslookup web.shop
Server:\t\t10.96.0.10
Address:\t10.96.0.10:53

Name:\tweb.shop.svc.cluster.local
Address: 10.96.12.34

*** Can't find web.shop.svc.cluster.local: No answer
");
    assert_eq!(kind, ArtifactKind::Nslookup);
    assert_eq!(m["resolved"], true);
    assert_eq!(
        m["error_kind"],
        Value::Null,
        "an AAAA 'No answer' after an A answer is no failure"
    );
    assert_eq!(m["query"], "web.shop");
    assert_eq!(m["canonical_name"], "web.shop.svc.cluster.local");
}

#[test]
fn dig_short() {
    let (kind, m) = one("$ dig +short web.default.svc.cluster.local @10.96.0.10\n10.96.12.34\n");
    assert_eq!(kind, ArtifactKind::Dig);
    let q = &m["queries"][0];
    assert_eq!(q["query"]["name"], "web.default.svc.cluster.local");
    assert_eq!(q["resolved"], true);
    assert_eq!(q["server"], "10.96.0.10");
    // No output from +short: the name has no answer.
    let (kind, m) = one("$ dig +short nothing.default.svc.cluster.local\n");
    assert_eq!(kind, ArtifactKind::Dig);
    assert_eq!(m["queries"][0]["resolved"], false);
    assert_eq!(
        m["queries"][0]["query"]["name"],
        "nothing.default.svc.cluster.local"
    );
    assert_eq!(m["error_kind"], "no_answer");
}

#[test]
fn probes() {
    let cases = [
        ("$ curl -v 10.96.12.34:80\n*   Trying 10.96.12.34:80...\n* connect to 10.96.12.34 port 80 failed: Connection refused\ncurl: (7) Failed to connect to 10.96.12.34 port 80 after 0 ms: Connection refused\n", "refused", Some(80)),
        ("$ curl -m 5 http://web.shop:8080/healthz\ncurl: (28) Connection timed out after 5001 milliseconds\n", "timeout", Some(8080)),
        ("$ curl http://web\ncurl: (6) Could not resolve host: web\n", "dns", Some(80)),
        ("/ # wget -qO- http://10.244.1.5:8080\nwget: can't connect to remote host (10.244.1.5): Connection refused\n", "refused", Some(8080)),
        ("$ nc -zv 10.96.12.34 443\nConnection to 10.96.12.34 443 port [tcp/https] succeeded!\n", "ok", Some(443)),
        ("$ curl -sI https://10.96.12.34\nHTTP/2 403\n", "ok", Some(443)),
    ];
    for (text, outcome, port) in cases {
        let (kind, m) = one(text);
        assert_eq!(kind, ArtifactKind::HttpProbe, "{text}");
        assert_eq!(m["outcome"], outcome, "{text}");
        assert_eq!(m["port"].as_u64().map(|p| p as u32), port, "{text}");
    }
}

#[test]
fn sockets_from_ss_and_netstat() {
    let (kind, m) = one("/ # ss -lntp
State    Recv-Q   Send-Q     Local Address:Port     Peer Address:Port  Process
LISTEN   0        511            127.0.0.1:8080          0.0.0.0:*      users:((\"node\",pid=1,fd=21))
LISTEN   0        4096                [::]:9090             [::]:*
");
    assert_eq!(kind, ArtifactKind::Sockets);
    let s = m["sockets"].as_array().unwrap();
    assert_eq!(
        (s[0]["local_address"].as_str(), s[0]["local_port"].as_u64()),
        (Some("127.0.0.1"), Some(8080))
    );
    assert_eq!(s[0]["process"], "node");
    assert_eq!(s[1]["local_address"], "::");
    let (_, m) = one("$ netstat -tlnp
Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      1/nginx: master pro
tcp6       0      0 :::80                   :::*                    LISTEN      1/nginx: master pro
");
    let s = m["sockets"].as_array().unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(
        (
            s[0]["protocol"].as_str(),
            s[0]["local_port"].as_u64(),
            s[0]["state"].as_str()
        ),
        (Some("TCP"), Some(80), Some("LISTEN"))
    );
    assert_eq!(s[0]["process"], "nginx");
}

#[test]
fn kube_proxy_api_failures_and_sync_errors() {
    let (kind, m) = one("$ kubectl logs -n kube-system kube-proxy-x7k2p
E0312 04:56:01.123456       1 reflector.go:138] k8s.io/client-go/informers/factory.go:134: Failed to watch *v1.Service: failed to list *v1.Service: Get \"https://10.0.0.1:6443/api/v1/services?limit=500\": dial tcp 10.0.0.1:6443: connect: connection refused
E0312 04:56:02.000001       1 proxier.go:1527] \"Failed to execute iptables-restore\" err=\"exit status 1\"
I0312 04:56:03.000000       1 server_others.go:206] \"Using iptables Proxier\"
");
    assert_eq!(kind, ArtifactKind::KubeProxyLogs);
    assert_eq!(m["apiserver_unreachable"], true);
    assert_eq!(m["proxy_mode"], "iptables");
    assert_eq!(m["sync_failures"].as_array().unwrap().len(), 1);
    assert_eq!(m["errors"].as_array().unwrap().len(), 2);
}

#[test]
fn coredns_loop() {
    let (kind, m) = one("$ kubectl logs -n kube-system coredns-7db6d8ff4d-x1y2z
.:53
[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908
CoreDNS-1.11.1
linux/amd64, go1.20.7, ae2bbc2
[FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53) detected for zone \".\", see https://coredns.io/plugins/loop#troubleshooting. Query: \"HINFO 4547991504243258144.3688648895315093531.\"
");
    assert_eq!(kind, ArtifactKind::CorednsLogs);
    assert_eq!(m["loop_detected"], true);
    assert_eq!(m["version"], "1.11.1");
}

#[test]
fn ipvs_weights_and_fwmark() {
    let (_, m) = one("$ ipvsadm -ln
IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  10.96.12.34:80 rr persistent 10800
  -> 10.244.1.5:8080              Masq    0      0          3
  -> 10.244.2.6:8080              Masq    0      0          0
FWM  100 rr
  -> 10.244.1.5:8080              Masq    1      0          0
");
    let vs = m["virtual_servers"].as_array().unwrap();
    assert_eq!(vs[0]["persistent_timeout"], 10800);
    assert_eq!(vs[0]["real_servers"][0]["weight"], 0);
    assert_eq!(vs[0]["real_servers"][0]["inactive_conn"], 3);
    assert_eq!(vs[1]["protocol"], "FWM");
}

#[test]
fn whole_iptables_save_with_counters() {
    let (_, m) = one("$ iptables-save -c -t nat
# Generated by iptables-save v1.8.7 on Tue Mar 12 04:56:00 2024
*nat
:PREROUTING ACCEPT [12:720]
:KUBE-SERVICES - [0:0]
[0:0] -A KUBE-SERVICES -d 10.96.12.34/32 -p tcp -m comment --comment \"shop/web:http cluster IP\" -m tcp --dport 80 -j KUBE-SVC-ABCDEFGHIJKLMNOP
[3:180] -A KUBE-SVC-ABCDEFGHIJKLMNOP -m comment --comment \"shop/web:http -> 10.244.1.5:8080\" -j KUBE-SEP-QRSTUVWXYZ234567
[3:180] -A KUBE-SEP-QRSTUVWXYZ234567 -p tcp -m comment --comment \"shop/web:http\" -m tcp -j DNAT --to-destination 10.244.1.5:8080
COMMIT
# Completed on Tue Mar 12 04:56:00 2024
");
    let svc = &m["services"][0];
    assert_eq!(svc["cluster_ip"], "10.96.12.34");
    assert_eq!(svc["endpoints"], json!(["10.244.1.5:8080"]));
    assert_eq!(m["tables"], json!(["nat"]));
}

#[test]
fn grep_that_matched_nothing_is_evidence() {
    let (kind, m) = one("[root@node1 ~]# iptables-save | grep web\n[root@node1 ~]# ");
    assert_eq!(kind, ArtifactKind::Iptables);
    assert_eq!(m["services"], json!([]));
    assert_eq!(m["filtered"], true);
    // A command that prints nothing by design is not an artifact.
    let inspection = inspect(&Input::from_text(
        "$ kubectl create deployment web --image=nginx\n",
    ));
    assert!(inspection.artifacts.is_empty());
}

fn real(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// BIND 9.18 prints a `communications error` line per try before dig's
/// header and `no servers could be reached` after it: one failed lookup,
/// timed out or refused as the tries say.
#[test]
fn dig_9_18_failures_are_one_lookup_each() {
    for (file, error) in [
        ("dig-9.18-timeout.txt", "timeout"),
        ("dig-9.18-refused.txt", "refused"),
    ] {
        let (kind, m) = one(&real(file));
        assert_eq!(kind, ArtifactKind::Dig, "{file}");
        let queries = m["queries"].as_array().unwrap();
        assert_eq!(queries.len(), 1, "{file}: {m:#}");
        assert_eq!(m["error_kind"], error, "{file}: {m:#}");
        assert_eq!(queries[0]["resolved"], false, "{file}");
        // With the command in front the same.
        let cmd = format!("$ dig web.default\n{}", real(file));
        let (kind, m) = one(&cmd);
        assert_eq!(kind, ArtifactKind::Dig);
        assert_eq!(m["queries"].as_array().unwrap().len(), 1, "{file}: {m:#}");
    }
}

/// Output that is only resolver failure lines (BusyBox's and BIND's
/// nslookup, dig +short) is a failed lookup, with or without the command.
#[test]
fn lone_resolver_failure_lines_are_a_lookup_timeout() {
    for file in [
        "busybox-1.35-nslookup-timeout.txt",
        "nslookup-9.18-timeout.txt",
        "dig-9.18-short-timeout.txt",
    ] {
        let (kind, m) = one(&real(file));
        assert_eq!(kind, ArtifactKind::Nslookup, "{file}");
        assert_eq!(m["error_kind"], "timeout", "{file}: {m:#}");
        assert_eq!(m["resolved"], false, "{file}");
        let (kind, m) = one(&format!(
            "/ # nslookup web.default.svc.cluster.local\n{}",
            real(file)
        ));
        assert_eq!(kind, ArtifactKind::Nslookup, "{file}");
        assert_eq!(m["query"], "web.default.svc.cluster.local", "{file}");
        assert_eq!(m["error_kind"], "timeout", "{file}");
    }
    let (kind, m) = one(&format!(
        "$ dig +short web.default.svc.cluster.local\n{}",
        real("dig-9.18-short-timeout.txt")
    ));
    assert_eq!(kind, ArtifactKind::Dig);
    assert_eq!(m["error_kind"], "timeout", "{m:#}");
}

/// BusyBox on Alpine cannot name the server (no PTR record) and says so
/// with `(null)`; the lookup itself succeeded.
#[test]
fn busybox_null_server_name_is_not_a_failed_lookup() {
    let (kind, m) = one("/ # nslookup web
nslookup: can't resolve '(null)': Name does not resolve

Name:      web
Address 1: 10.96.0.20 web.default.svc.cluster.local
");
    assert_eq!(kind, ArtifactKind::Nslookup);
    assert_eq!(m["resolved"], true, "{m:#}");
    assert_eq!(m["error_kind"], Value::Null, "{m:#}");
    assert_eq!(m["query"], "web");
    let (_, m) = one("nslookup: can't resolve 'web.shop': Name does not resolve\n");
    assert_eq!(m["error_kind"], "cant_resolve");
    assert_eq!(m["query"], "web.shop");
}

/// Every probe in the real captures, read as the outcome its command had:
/// refused (`api`, kube-proxy's REJECT), timed out (10.96.0.99), no route
/// (10.99.0.5), name not resolved (`nosuchsvc`), or answered (`web`), in
/// the C and the Chinese locale.
#[test]
fn probe_outcomes_of_real_tools_in_two_locales() {
    let text = real("probes-curl-wget-nc-telnet.txt");
    let mut checked = 0;
    for block in text.split("### [").skip(1) {
        let (head, output) = block.split_once('\n').unwrap();
        let (_locale, command) = head.split_once("] ").unwrap();
        if output.trim().is_empty() {
            continue; // BusyBox wget here prints nothing at all.
        }
        let want = if command.contains("nosuchsvc") {
            "dns"
        } else if command.contains("10.99.0.5") {
            // curl 7.8x says only "Couldn't connect to server" for an
            // unreachable host too; nc and telnet name the reason.
            if command.starts_with("curl") {
                "refused"
            } else {
                "no-route"
            }
        } else if command.contains("10.96.0.99") {
            "timeout"
        } else if command.contains("api") {
            if command.contains("http_code") {
                "failed"
            } else {
                "refused"
            }
        } else {
            "ok"
        };
        let command = command.split(" </dev/null").next().unwrap();
        let (kind, m) = one(&format!("/ # {command}\n{output}"));
        assert_eq!(kind, ArtifactKind::HttpProbe, "{head}");
        assert_eq!(m["outcome"], want, "{head}\n{output}\n{m:#}");
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} probes read");
}

/// A repeated probe: each attempt's outcome counts, an answer wins.
#[test]
fn curl_write_out_codes_and_bodies_are_answers() {
    let (_, m) = one("$ for i in 1 2 3; do curl -s -o /dev/null -w '%{http_code}\\n' http://web/; done\n200\n200\n200\n");
    assert_eq!(m["outcome"], "ok");
    assert_eq!(m["status"], 200);
    let (_, m) =
        one("/ # wget -qO- -T 3 http://web.shop\n<!DOCTYPE html>\n<html><body>hi</body></html>\n");
    assert_eq!(m["outcome"], "ok");
    // A host name with "open" in it is no nc success.
    let (_, m) = one("$ curl -sS http://opensearch:9200\ncurl: (7) Failed to connect to opensearch port 9200 after 2 ms: Couldn't connect to server\n");
    assert_eq!(m["outcome"], "refused");
}

/// kube-proxy's log as `kubectl logs --prefix`, stern, journalctl and
/// `kubectl logs --timestamps` show it, without the command line.
#[test]
fn kube_proxy_logs_behind_every_prefix() {
    for text in [
        "[pod/kube-proxy-x7k2p/kube-proxy] I1120 09:12:03.118406       1 server_linux.go:66] \"Using iptables proxy\"\n[pod/kube-proxy-x7k2p/kube-proxy] I1120 09:12:03.136061       1 config.go:199] \"Starting service config controller\"\n",
        "kube-proxy-x7k2p kube-proxy I1120 09:12:03.118406       1 server_linux.go:66] \"Using ipvs Proxier\"\nkube-proxy-x7k2p kube-proxy I1120 09:12:03.136061       1 config.go:199] \"Starting service config controller\"\n",
        "Nov 20 09:12:03 k8s-node1 kube-proxy[812]: I1120 09:12:03.118406     812 server.go:677] \"Successfully retrieved node IP(s)\" IPs=[\"10.0.0.11\"]\nNov 20 09:12:03 k8s-node1 kube-proxy[812]: I1120 09:12:03.136061     812 config.go:199] \"Starting service config controller\"\n",
        "2026-11-20T09:12:03.118406Z I1120 09:12:03.118406       1 server_linux.go:66] \"Using iptables proxy\"\n",
        "E0312 04:56:11.123456       1 reflector.go:138] k8s.io/client-go/informers/factory.go:134: Failed to watch *v1.Endpoints: failed to list *v1.Endpoints: Get \"https://192.168.31.61:6443/api/v1/endpoints?limit=500\": dial tcp 192.168.31.61:6443: connect: connection refused\n",
    ] {
        let (kind, _) = one(text);
        assert_eq!(kind, ArtifactKind::KubeProxyLogs, "{text}");
    }
}

/// Two listings of the same pods pasted in either order: the one taken
/// later (the larger AGE) tells the pods' state.
#[test]
fn later_listing_wins_whatever_the_paste_order() {
    let early = "$ kubectl get pods -o wide\nNAME                  READY   STATUS    RESTARTS   AGE   IP           NODE\nweb-96d5df5c8-6rtxj   1/1     Running   0          110s  10.244.1.5   n1\n";
    let late = "$ kubectl get pods -o wide\nNAME                  READY   STATUS             RESTARTS   AGE   IP           NODE\nweb-96d5df5c8-6rtxj   0/1     CrashLoopBackOff   9          50m   10.244.1.5   n1\n";
    let svc = "$ kubectl get svc web -o wide\nNAME   TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE   SELECTOR\nweb    ClusterIP   10.96.0.20    <none>        80/TCP    3d    app=web\n$ kubectl get pods --show-labels\nNAME                  READY   STATUS             RESTARTS   AGE   LABELS\nweb-96d5df5c8-6rtxj   0/1     CrashLoopBackOff   9          50m   app=web\n";
    let a = svcdoctor_engine::diagnose(&Input::from_text(&format!("{svc}{early}{late}")));
    let b = svcdoctor_engine::diagnose(&Input::from_text(&format!("{svc}{late}{early}")));
    let code = |r: &svcdoctor_engine::Report| r.root_cause.as_ref().map(|r| r.finding.code.clone());
    assert_eq!(code(&a), Some("POD401".to_string()));
    assert_eq!(code(&a), code(&b));
}

/// The sections of a `### COMMAND` capture file.
fn sections(file: &str) -> Vec<(String, String)> {
    real(file)
        .split("### ")
        .skip(1)
        .map(|s| {
            let (command, output) = s.split_once('\n').unwrap();
            (command.to_string(), output.to_string())
        })
        .collect()
}

/// `iptables -L -n` listings (with and without `-v` and `--line-numbers`)
/// read into the same Service rules as iptables-save, with and without the
/// command line; `nft list ruleset` of an iptables-nft host is iptables
/// mode, not kube-proxy's nftables mode.
#[test]
fn iptables_listings_and_iptables_nft_rulesets() {
    let sections = sections("iptables-listings-and-nft-ruleset.txt");
    let service = |m: &Value, name: &str| -> Value {
        m["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    for (command, output) in &sections {
        for text in [format!("$ {command}\n{output}"), output.clone()] {
            let (kind, m) = one(&text);
            match command.as_str() {
                "iptables -t nat -L -n" => {
                    assert_eq!(kind, ArtifactKind::Iptables, "{command}");
                    let web = service(&m, "web");
                    assert_eq!(web["cluster_ip"], "10.96.0.20", "{m:#}");
                    assert_eq!(web["node_port"], 30080);
                    assert_eq!(web["endpoints"], json!(["10.244.1.5:80", "10.244.2.5:80"]));
                }
                "iptables -L -n" => {
                    assert_eq!(kind, ArtifactKind::Iptables, "{command}");
                    assert_eq!(service(&m, "api")["rejects_no_endpoints"], true, "{m:#}");
                }
                "iptables -t nat -L KUBE-SERVICES -n -v --line-numbers" => {
                    assert_eq!(kind, ArtifactKind::Iptables, "{command}");
                    assert_eq!(
                        service(&m, "web")["svc_chain"],
                        "KUBE-SVC-LOLE4ISW44XBNF3G",
                        "{m:#}"
                    );
                }
                "nft list ruleset" => {
                    assert_eq!(kind, ArtifactKind::Nftables, "{command}");
                    let report = svcdoctor_engine::diagnose(&Input::from_text(&format!(
                        "{text}I1120 09:12:03.118406       1 server_linux.go:66] \"Using iptables proxy\"\n"
                    )));
                    assert!(
                        report.findings.iter().all(|f| f.code != "KP604"),
                        "iptables-nft's tables are no proxy-mode mismatch"
                    );
                }
                other => panic!("unexpected section {other}"),
            }
        }
    }
}

/// `host`, `ss` and `netstat` output recognised with and without the
/// command line.
#[test]
fn host_ss_and_netstat_without_their_commands() {
    for (command, output) in sections("host-ss-netstat.txt") {
        for text in [format!("$ {command}\n{output}"), output.clone()] {
            let (kind, m) = one(&text);
            if command.starts_with("host") {
                assert_eq!(kind, ArtifactKind::Nslookup, "{command}");
                if command.ends_with("nosuch") {
                    assert_eq!(m["error_kind"], "nxdomain", "{m:#}");
                    assert_eq!(m["query"], "nosuch");
                } else {
                    assert_eq!(m["resolved"], true, "{m:#}");
                }
            } else {
                assert_eq!(kind, ArtifactKind::Sockets, "{command}");
                let loopback = m["sockets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["local_address"] == "127.0.0.1" && s["local_port"] == 8080);
                assert!(loopback, "{command}: {m:#}");
            }
        }
    }
}

/// What a review of this round's readers found, kept fixed.
#[test]
fn reviewed_edges_of_probes_logs_and_commands() {
    // curl's name lookup timing out is DNS, not the connection.
    let (_, m) =
        one("$ curl -sS http://web\ncurl: (28) Resolving timed out after 5000 milliseconds\n");
    assert_eq!(m["outcome"], "dns");
    // `-w` glued to kubectl's exit line.
    let (_, m) = one("$ kubectl exec c -- curl -s -o /dev/null -w '%{http_code}' http://web\n000command terminated with exit code 7\n");
    assert_eq!(m["outcome"], "failed", "{m:#}");
    // Without -s, wget's own lines are no answer.
    let (_, m) = one("$ wget -T 3 http://web\n--2026-11-20 09:00:00--  http://web/\nConnecting to web (web)|10.96.0.20|:80... \n");
    assert_ne!(m["outcome"], "ok", "{m:#}");
    // syslog's `Nov  3` with two spaces, and --prefix with --timestamps.
    for text in [
        "Nov  3 09:12:03 k8s-node1 kube-proxy[812]: I1103 09:12:03.118406     812 server_linux.go:66] \"Using iptables proxy\"\n",
        "[pod/kube-proxy-x7k2p/kube-proxy] 2026-11-20T09:12:03.118406Z I1120 09:12:03.118406       1 server_linux.go:66] \"Using iptables proxy\"\n",
    ] {
        let (kind, m) = one(text);
        assert_eq!(kind, ArtifactKind::KubeProxyLogs, "{text}");
        assert_eq!(m["proxy_mode"], "iptables", "{text}: {m:#}");
    }
    // `watch` repeats, and its quoted command is the program.
    let c = svcdoctor_engine::command::Command::parse("watch -n1 \"kubectl get ep web\"").unwrap();
    assert_eq!((c.program.as_str(), c.repeated), ("kubectl", true));
}

/// The benchmarks' YAML generator writes what kubectl would: every object
/// reads back (NodePort Services used to put `nodePort:` at the wrong
/// indent, and the whole list failed to parse).
#[test]
fn generated_yaml_reads_back_whole() {
    let cluster = svcdoctor_gen::cluster(3, 60, 4);
    let text = svcdoctor_gen::yaml(&cluster);
    let (kind, m) = one(&text);
    assert_eq!(kind, ArtifactKind::K8sObjects);
    let objects = m["objects"].as_array().unwrap();
    let count = |k: &str| objects.iter().filter(|o| o["kind"] == k).count();
    let pods: usize = cluster.iter().map(|s| s.endpoints.len()).sum();
    assert_eq!(count("Service"), 60, "{}", &text[..400.min(text.len())]);
    assert_eq!(count("EndpointSlice"), 60);
    assert_eq!(count("Pod"), pods);
    assert!(
        cluster.iter().any(|s| s.node_port.is_some()),
        "the mix has NodePorts"
    );
}

/// The events of one artifact, as the inspect view shows them.
fn events(m: &Value) -> Vec<Value> {
    m["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "Event")
        .cloned()
        .collect()
}

#[test]
fn events_tables_in_every_layout() {
    // `kubectl events` (repeats in LAST SEEN), copied with collapsed spaces
    // and CRLF.
    let (kind, m) = one("$ kubectl events -n shop\r\nLAST SEEN TYPE REASON OBJECT MESSAGE\r\n3m (x40 over 42m) Warning Unhealthy Pod/web-7d4b9c8f5-x2x9z Readiness probe failed: HTTP probe failed with statuscode: 503\r\n5m Normal Scheduled Pod/web-7d4b9c8f5-x2x9z Successfully assigned shop/web-7d4b9c8f5-x2x9z to node1\r\n");
    assert_eq!(kind, ArtifactKind::KubectlTable);
    let e = events(&m);
    assert_eq!(e.len(), 2);
    assert_eq!(e[0]["namespace"], "shop");
    assert_eq!(
        e[0]["object"],
        json!({"kind": "Pod", "name": "web-7d4b9c8f5-x2x9z"})
    );
    assert_eq!(e[0]["type"], "Warning");
    assert_eq!(e[0]["count"], 40);
    assert_eq!(
        e[0]["message"],
        "Readiness probe failed: HTTP probe failed with statuscode: 503"
    );
    assert_eq!(e[1]["type"], "Normal");
    // `-A`: the namespace comes first.
    let (_, m) = one("$ kubectl get events -A\nNAMESPACE   LAST SEEN   TYPE      REASON                   OBJECT                  MESSAGE\nkube-system 12s         Warning   FailedCreatePodSandBox   pod/coredns-abc12-x2x9z Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox \"9f\": plugin type=\"flannel\" failed (add): open /run/flannel/subnet.env: no such file or directory\n");
    let e = events(&m);
    assert_eq!(e[0]["namespace"], "kube-system");
    assert_eq!(e[0]["reason"], "FailedCreatePodSandBox");
    assert!(e[0]["message"]
        .as_str()
        .unwrap()
        .ends_with("open /run/flannel/subnet.env: no such file or directory"));
}

#[test]
fn events_of_describe_old_and_new() {
    // Older kubectl names the host after the component; a long message
    // continues on the next line.
    let (kind, m) = one("$ kubectl describe pod web-0 -n shop
Name:         web-0
Namespace:    shop
Node:         node1/10.0.0.11
Status:       Running
IP:           10.244.1.7
Conditions:
  Type              Status
  Ready             False
Events:
  Type     Reason     Age                  From               Message
  ----     ------     ----                 ----               -------
  Normal   Scheduled  10m                  default-scheduler  Successfully assigned shop/web-0 to node1
  Warning  Unhealthy  2m (x31 over 9m)     kubelet, node1     Readiness probe failed: Get http://10.244.1.7:8080/ready:
                                                              dial tcp 10.244.1.7:8080: connect: connection refused
");
    assert_eq!(kind, ArtifactKind::KubectlDescribe);
    let e = events(&m);
    assert_eq!(e.len(), 2);
    assert_eq!(e[1]["object"], json!({"kind": "Pod", "name": "web-0"}));
    assert_eq!(e[1]["namespace"], "shop");
    assert_eq!(e[1]["count"], 31);
    assert_eq!(e[1]["source"], "kubelet");
    assert_eq!(e[1]["message"], "Readiness probe failed: Get http://10.244.1.7:8080/ready: dial tcp 10.244.1.7:8080: connect: connection refused");
    // `Events: <none>` holds none.
    let (_, m) = one("$ kubectl describe svc web\nName: web\nNamespace: default\nType: ClusterIP\nIP: 10.96.0.20\nPort: <unset> 80/TCP\nTargetPort: 80/TCP\nEndpoints: 10.244.1.5:80\nEvents: <none>\n");
    assert!(events(&m).is_empty());
}

#[test]
fn event_objects_of_both_apis() {
    let (_, m) = one("$ kubectl get events.v1.events.k8s.io -o yaml
apiVersion: v1
kind: List
items:
- apiVersion: events.k8s.io/v1
  kind: Event
  metadata:
    name: web.17a9
    namespace: default
  regarding:
    kind: Service
    name: web
    namespace: default
  reason: SyncLoadBalancerFailed
  note: 'Error syncing load balancer: failed to ensure load balancer: no available IPs'
  type: Warning
  reportingController: service-controller
  series:
    count: 7
- apiVersion: v1
  kind: Event
  metadata:
    name: web.17b0
    namespace: default
  involvedObject:
    kind: Pod
    name: web-7d4b9c8f5-x2x9z
  reason: Unhealthy
  message: 'Readiness probe failed: HTTP probe failed with statuscode: 500'
  type: Warning
  count: 3
  source:
    component: kubelet
");
    let e = events(&m);
    assert_eq!(e.len(), 2);
    assert_eq!(e[0]["object"], json!({"kind": "Service", "name": "web"}));
    assert_eq!(e[0]["count"], 7);
    assert_eq!(e[0]["source"], "service-controller");
    assert!(e[0]["message"]
        .as_str()
        .unwrap()
        .contains("no available IPs"));
    assert_eq!(e[1]["namespace"], "default");
    assert_eq!(e[1]["count"], 3);
}

#[test]
fn an_endpoints_object_over_capacity_is_read_as_cut() {
    let (_, m) = one("$ kubectl get endpoints big -o yaml
apiVersion: v1
kind: Endpoints
metadata:
  annotations:
    endpoints.kubernetes.io/over-capacity: truncated
  name: big
  namespace: default
subsets:
- addresses:
  - ip: 10.244.1.5
  - ip: 10.244.1.6
  ports:
  - port: 8080
    protocol: TCP
");
    let objects = m["objects"].as_array().unwrap();
    assert_eq!(objects[0]["kind"], "Endpoints");
    assert_eq!(objects[0]["truncated"], true);
}
