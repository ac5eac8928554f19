#!/bin/sh
# svcdoctor collect: gathers, read-only, everything svcdoctor needs to find out
# why a Kubernetes Service does not answer, into one bundle on standard output.
#
#   collect.sh [-n NAMESPACE] SERVICE [--client POD] [--temp-pod] [--node]
#
#   -n NAMESPACE   the Service's namespace (default: the context's namespace)
#   --client POD   run the lookups and probes from this pod (same namespace)
#   --temp-pod     without --client: start a temporary busybox pod for them,
#                  and delete it afterwards (the only change to the cluster)
#   --node         also collect this node's proxy rules (iptables-save -t nat,
#                  ipvsadm -ln, nft list table ip kube-proxy) and the
#                  kube-proxy process; run it on a node, as root
#
# Paste the bundle into svcdoctor, or: collect.sh web > bundle.txt &&
# svcdoctor diagnose bundle.txt. Each section starts with a line
# "==> svcdoctor: COMMAND"; a command that fails is recorded with
# "==> svcdoctor: exit N" and does not stop the script.
set -u

ns=""
svc=""
client=""
temp_pod=0
node=0
KUBECTL=${KUBECTL:-kubectl}

usage() {
  sed -n '2,20s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    -n | --namespace) [ $# -ge 2 ] || usage; ns=$2; shift 2 ;;
    --client) [ $# -ge 2 ] || usage; client=$2; shift 2 ;;
    --temp-pod) temp_pod=1; shift ;;
    --node) node=1; shift ;;
    -h | --help) usage ;;
    -*) echo "collect.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$svc" ] || usage; svc=$1; shift ;;
  esac
done
[ -n "$svc" ] || usage
if [ -z "$ns" ]; then
  ns=$($KUBECTL config view --minify -o 'jsonpath={..namespace}' 2>/dev/null)
  [ -n "$ns" ] || ns=default
fi

# Runs a shell pipeline under a marker line naming it.
run_shell() {
  printf '==> svcdoctor: %s\n' "$1"
  sh -c "$1" 2>&1
  status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    printf '==> svcdoctor: exit %s\n' "$status"
  fi
  printf '\n'
}

# Runs a command under a marker line; records a failure, never stops.
# `kubectl` runs $KUBECTL, so that the marker names the real command.
run() {
  printf '==> svcdoctor: %s\n' "$*"
  if [ "$1" = kubectl ]; then
    shift
    "$KUBECTL" "$@" 2>&1
  else
    "$@" 2>&1
  fi
  status=$?
  if [ "$status" -ne 0 ]; then
    printf '==> svcdoctor: exit %s\n' "$status"
  fi
  printf '\n'
}

# The Service and what selects its pods.
run kubectl get svc "$svc" -n "$ns" -o yaml
run kubectl get endpointslices -n "$ns" -l "kubernetes.io/service-name=$svc" -o yaml
run kubectl get endpoints "$svc" -n "$ns" -o yaml
# shellcheck disable=SC2016 # a Go template, not shell
selector=$($KUBECTL get svc "$svc" -n "$ns" -o 'go-template={{range $k, $v := .spec.selector}}{{$k}}={{$v}},{{end}}' 2>/dev/null)
selector=${selector%,}
if [ -n "$selector" ]; then
  run kubectl get pods -n "$ns" -l "$selector" -o wide --show-labels
  run kubectl get pods -n "$ns" -l "$selector" -o yaml
fi
run kubectl get deployments,statefulsets,daemonsets -n "$ns" -o yaml
run kubectl get networkpolicies -n "$ns" -o yaml
# The namespace's labels (what namespaceSelectors match), and the
# cluster-wide policies that act before and after NetworkPolicies.
run kubectl get ns "$ns" --show-labels
if "$KUBECTL" get crd adminnetworkpolicies.policy.networking.k8s.io >/dev/null 2>&1; then
  run kubectl get adminnetworkpolicies,baselineadminnetworkpolicies -o yaml
fi
# The front door: the namespace's Ingresses, and its Gateway API routes
# where the cluster has them.
run kubectl get ingress -n "$ns" -o yaml
if "$KUBECTL" get crd httproutes.gateway.networking.k8s.io >/dev/null 2>&1; then
  run kubectl get httproutes -n "$ns" -o yaml
  # The Gateways the routes attach to, with their listeners' status.
  run kubectl get gateways -A -o yaml
fi
# The namespace's warnings: readiness probes that fail, pods whose network
# could not be set up, endpoints and load balancers that could not be made.
run kubectl get events -n "$ns" --field-selector type=Warning

# Cluster DNS and kube-proxy.
run kubectl get pods -n kube-system -o wide
run kubectl get svc kube-dns -n kube-system -o yaml
run kubectl get endpointslices -n kube-system -l kubernetes.io/service-name=kube-dns
run kubectl get configmap coredns -n kube-system -o yaml
run kubectl logs -n kube-system -l k8s-app=kube-dns --tail=50
run kubectl logs -n kube-system -l k8s-app=kube-proxy --tail=50
run kubectl get nodes -o wide

# From a client pod: resolver, lookups, probes.
made_pod=""
if [ -z "$client" ] && [ "$temp_pod" -eq 1 ]; then
  made_pod="svcdoctor-probe-$$"
  if $KUBECTL run "$made_pod" -n "$ns" --image=busybox:1.36 --restart=Never --command -- sleep 600 >/dev/null 2>&1 &&
    $KUBECTL wait -n "$ns" --for=condition=Ready "pod/$made_pod" --timeout=60s >/dev/null 2>&1; then
    client=$made_pod
  else
    printf '==> svcdoctor: the temporary pod %s did not start\n\n' "$made_pod"
  fi
fi
if [ -n "$client" ]; then
  domain=cluster.local
  # The client's labels: which egress policies select it.
  run kubectl get pod "$client" -n "$ns" --show-labels
  run kubectl exec "$client" -n "$ns" -- cat /etc/resolv.conf
  run kubectl exec "$client" -n "$ns" -- nslookup "$svc"
  run kubectl exec "$client" -n "$ns" -- nslookup "$svc.$ns"
  run kubectl exec "$client" -n "$ns" -- nslookup "$svc.$ns.svc.$domain"
  ip=$($KUBECTL get svc "$svc" -n "$ns" -o 'jsonpath={.spec.clusterIP}' 2>/dev/null)
  port=$($KUBECTL get svc "$svc" -n "$ns" -o 'jsonpath={.spec.ports[0].port}' 2>/dev/null)
  if [ -n "$ip" ] && [ "$ip" != "None" ] && [ -n "$port" ]; then
    run kubectl exec "$client" -n "$ns" -- wget -T 5 -S -O /dev/null "http://$ip:$port/"
  fi
  # shellcheck disable=SC2016 # a Go template, not shell
  eps=$($KUBECTL get endpoints "$svc" -n "$ns" -o 'go-template={{range .subsets}}{{$p := (index .ports 0).port}}{{range .addresses}}{{.ip}}:{{$p}} {{end}}{{end}}' 2>/dev/null)
  for ep in $eps; do
    run kubectl exec "$client" -n "$ns" -- wget -T 5 -S -O /dev/null "http://$ep/"
  done
fi
if [ -n "$made_pod" ]; then
  $KUBECTL delete pod "$made_pod" -n "$ns" --wait=false >/dev/null 2>&1
fi

# Where Cilium runs (it may replace kube-proxy): its status and service map.
if "$KUBECTL" get daemonset cilium -n kube-system >/dev/null 2>&1; then
  run kubectl -n kube-system exec ds/cilium -- cilium-dbg status
  run kubectl -n kube-system exec ds/cilium -- cilium-dbg service list
fi

# On a node: the proxy rules and the kube-proxy process.
if [ "$node" -eq 1 ]; then
  run iptables-save -t nat
  run ipvsadm -ln
  run nft list table ip kube-proxy
  # The kernel settings a node's Service traffic needs (a missing
  # bridge-nf-call key: br_netfilter is not loaded).
  run sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.ipv4.conf.all.rp_filter net.ipv4.conf.all.route_localnet
  # grep exits 1 when nothing matches: no kube-proxy process, not a failure.
  run_shell 'ps -ef | grep [k]ube-proxy'
fi
