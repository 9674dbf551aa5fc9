#!/usr/bin/env python3
"""The real-world corpus (tests/testdata/realworld: public LBC manifests, each file naming its
source) through the real `alb-webhook check` binary with the embedded default policy, the
directory checked as one cluster: every Ingress, TargetGroupBinding and IngressClassParams must be
allowed (warnings allowed), nothing may be an error, and every Ingress must be judged (in scope),
those of classes defined in the corpus (IngressClass -> IngressClassParams) included.
Run: tests/cli/check_realworld.py ALB_WEBHOOK_BINARY TESTDATA_REALWORLD_DIR  (exit 77: no binary)
"""
import json
import os
import subprocess
import sys


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary, corpus = sys.argv[1], sys.argv[2]
    if not os.access(binary, os.X_OK):
        print(f"no binary at {binary}")
        return 77
    # The corpus is one cluster: its IngressClasses and IngressClassParams scope its Ingresses.
    proc = subprocess.run([binary, "check", "-o", "json", "--cluster-state", corpus, corpus],
                          capture_output=True, check=False)
    out = proc.stdout.decode("utf-8")
    report = json.loads(out)
    denied = [r for r in report["results"] if not r["allowed"]]
    for r in denied:
        print("DENIED", json.dumps(r, indent=1))
    assert not report["errors"], report["errors"]
    assert proc.returncode == 0, (proc.returncode, proc.stderr.decode("utf-8"))
    assert not denied, f"{len(denied)} corpus objects denied"

    kinds = {}
    for r in report["results"]:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    assert kinds.get("Ingress", 0) >= 24, kinds
    assert kinds.get("TargetGroupBinding", 0) >= 8, kinds
    assert kinds.get("IngressClassParams", 0) >= 5, kinds

    # Every corpus Ingress is an ALB one: judged, never skipped as another controller's, including
    # those whose class is defined in the corpus (IngressClass -> IngressClassParams).
    out_of_scope = [(r["namespace"], r["name"]) for r in report["results"] if not r["inScope"]]
    assert not out_of_scope, out_of_scope
    names = {(r["namespace"], r["name"]) for r in report["results"] if r["kind"] == "Ingress"}
    assert ("rw-params", "intranet") in names and ("rw-default", "default") in names, sorted(names)
    skipped = sorted(s["kind"] for s in report["skipped"])
    assert skipped == ["IngressClass", "IngressClass", "Service"], skipped
    files = {r["file"] for r in report["results"]}
    assert len(files) >= 24, sorted(files)
    print(f"{len(report['results'])} corpus objects from {len(files)} files allowed: {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
