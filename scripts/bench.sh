#!/usr/bin/env bash
# Benchmarks svcdoctor against iptables-restore --test and wc -l on a
# generated dump of SERVICES Services (default 10,000, 5 endpoints each), and
# in headless Chromium; then the YAML case at 100, 1,000 and 10,000
# Services. Prints tables. Not part of the test command.
#
#   scripts/bench.sh [SERVICES]
#
# Needs root for the network namespace that iptables-restore runs in (it is
# created and deleted by this script). Criterion benchmarks: cargo bench -p
# svcdoctor-engine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh
services=${1:-10000}
if ! command -v iptables-restore >/dev/null || ! command -v ip >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables iproute2 >/dev/null
fi
cargo build -q --release --bin svcdoctor --bin svcdoctor-gen
trunk build --release --offline >/dev/null 2>&1
mkdir -p target/bench
dump=target/bench/iptables-$services.txt
target/release/svcdoctor-gen iptables "$services" 5 1 > "$dump"

# Median of 5 runs of a command, in seconds.
median() {
  local times=()
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{ printf "%.3f", $1 / 1000000 }'
}

ns=svcdoctor-bench-$$
ip netns add "$ns"
trap 'ip netns delete "$ns" 2>/dev/null || true' EXIT

t_wc=$(median sh -c "wc -l < '$dump'")
t_ipt=$(median sh -c "ip netns exec '$ns' iptables-restore --test < '$dump'")
t_diag=$(median target/release/svcdoctor diagnose --format json "$dump")
t_inspect=$(median target/release/svcdoctor inspect --format json "$dump")
browser=$(node e2e/bench.mjs "$dump")

bytes=$(wc -c < "$dump")
lines=$(wc -l < "$dump")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mbps() { awk -v s="$1" -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 / s }'; }

echo "Dump: $services Services, $lines lines, $bytes bytes ($dump)"
echo
echo "| what | seconds | MB/s | vs iptables-restore --test | vs wc -l |"
echo "|---|---:|---:|---:|---:|"
echo "| wc -l | $t_wc | $(mbps "$t_wc") | $(ratio "$t_ipt" "$t_wc")x faster | 1.00 |"
echo "| iptables-restore --test (in a netns) | $t_ipt | $(mbps "$t_ipt") | 1.00 | $(ratio "$t_ipt" "$t_wc")x slower |"
echo "| svcdoctor diagnose --format json | $t_diag | $(mbps "$t_diag") | $(ratio "$t_ipt" "$t_diag")x faster | $(ratio "$t_diag" "$t_wc")x slower |"
echo "| svcdoctor inspect --format json | $t_inspect | $(mbps "$t_inspect") | $(ratio "$t_ipt" "$t_inspect")x faster | $(ratio "$t_inspect" "$t_wc")x slower |"
echo
echo "Browser (headless Chromium, release build): $browser"

# The YAML case (Services, EndpointSlices and Pods as one kubectl list) at
# three sizes: the diagnosis reads every object and joins Services to their
# pods, so a flat MB/s column is what linear cost looks like.
echo
echo "YAML (Services, EndpointSlices, Pods): svcdoctor diagnose --format json"
echo
echo "| Services | bytes | seconds | MB/s |"
echo "|---:|---:|---:|---:|"
for n in 100 1000 10000; do
  yaml=target/bench/yaml-$n.yaml
  target/release/svcdoctor-gen yaml "$n" 5 1 > "$yaml"
  t=$(median target/release/svcdoctor diagnose --format json "$yaml")
  b=$(wc -c < "$yaml")
  echo "| $n | $b | $t | $(awk -v s="$t" -v b="$b" 'BEGIN { printf "%.1f", b / 1048576 / s }') |"
done
