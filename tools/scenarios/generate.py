#!/usr/bin/env python3
"""Generates svcdoctor's realistic scenario set with real programs.

    sudo python3 tools/scenarios/generate.py [--out DIR] [NAME...]

Each scenario is a cluster (tools/scenarios/cluster.py) with one thing
broken, or none; the script serves its objects to the real kubectl through
a fake API server, runs nslookup, dig, curl, nc, wget, ss, iptables-save and
nft inside network namespaces made to behave like the client pod and its
node, and writes what a user's terminal would show, prompts and command
lines included, to DIR/NAME.txt; the verdict, root cause, the object it is
about and the next step wanted go to DIR/expected.json. The default DIR is
crates/engine/tests/realistic/, which the test command reads.

The programs' output is theirs; only two kinds of output are written here
in their programs' formats, because the programs cannot run on this
machine: `ipvsadm -ln` (no IPVS in this kernel) and kube-proxy's and
CoreDNS's logs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import scenarios  # noqa: E402,F401  (the scenarios register themselves)
import scenarios_more  # noqa: E402,F401
import scenarios_events  # noqa: E402,F401
import scenarios_policy  # noqa: E402,F401
import scenarios_nft  # noqa: E402,F401
from kit import SCENARIOS, run  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "crates/engine/tests/realistic"))
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("generate.py needs root: it makes network namespaces (ip netns)")
    os.makedirs(args.out, exist_ok=True)
    expected_path = os.path.join(args.out, "expected.json")
    expected = {}
    if os.path.exists(expected_path) and args.names:
        with open(expected_path) as f:
            expected = json.load(f)
    for name, (fn, expect) in sorted(SCENARIOS.items()):
        if args.names and name not in args.names:
            continue
        print(f"generate: {name}", file=sys.stderr)
        expected.update(run(name, fn, expect, args.out))
    with open(expected_path, "w") as f:
        json.dump(dict(sorted(expected.items())), f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
