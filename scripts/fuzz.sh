#!/usr/bin/env bash
# Fuzzes the engine with cargo-fuzz (libFuzzer, nightly toolchain): every
# target for SECONDS each (default 60), seeded from the engine's corpus and the
# test fixtures. Prints the executions per target; a crash stops with its
# file under fuzz/artifacts/TARGET/ (add it to crates/engine/tests/fuzz.rs).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Not part of the test command: it runs on demand (long runs find more).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(understand parse_kind diagnose redact)
fi

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# Seeds: real outputs, the rule fixtures and scenarios, the tutorial.
seed() {
  local dir=fuzz/corpus/$1 prefix=$2
  mkdir -p "$dir"
  local n=0 f
  while IFS= read -r -d '' f; do
    n=$((n + 1))
    if [ -n "$prefix" ]; then
      # parse_kind and diagnose read a first byte of choices: one seed
      # per choice would multiply the corpus, so vary it by file.
      local picks=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789
      { printf '%s' "${picks:$((n % ${#picks})):1}"; cat "$f"; } > "$dir/seed-$n"
    else
      cp "$f" "$dir/seed-$n"
    fi
  done < <(find crates/engine/tests/corpus crates/engine/tests/fixtures samples -type f \
    \( -name '*.txt' -o -name '*.yaml' -o -name '*.json' -o -name '*.out' \) -size -200k -print0 2>/dev/null)
}

cd fuzz
status=0
summary=()
for target in "${targets[@]}"; do
  prefix=x
  [ "$target" = understand ] && prefix=
  (cd .. && seed "$target" "$prefix")
  log=$(mktemp)
  echo "==> $target for ${seconds}s"
  if cargo +nightly fuzz run "$target" "corpus/$target" -O -- \
      -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=262144 -timeout=20 \
      -print_final_stats=1 >"$log" 2>&1; then
    result=ok
  else
    result=CRASH
    status=1
    grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" | head -20 || true
  fi
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  summary+=("$(printf '%-12s %-6s %12s execs in %ss' "$target" "$result" "${runs:-?}" "$seconds")")
  rm -f "$log"
done
printf '%s\n' "${summary[@]}"
exit $status
