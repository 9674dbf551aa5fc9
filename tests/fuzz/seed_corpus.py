#!/usr/bin/env python3
"""Regenerates tests/fuzz/corpus/<target>/ from the test fixtures (tests/testdata, the string
literals of tests/admission, tests/rules, tests/policy, tests/cli, and deploy/ manifests).

Run from anywhere: python3 tests/fuzz/seed_corpus.py. Existing seed files are replaced; files
named crash-* or regress-* (minimised reproducers of fixed bugs) are kept. Each target gets at
most MAX_SEEDS small files, named by the SHA-1 of their content as libFuzzer does.
"""
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fuzz" / "corpus"
MAX_SEEDS = 40
MAX_BYTES = 4096

STRING = re.compile(r'(?<![R\w])"((?:[^"\\\n]|\\.)*)"')
RAW = re.compile(r'R"\((.*?)\)"', re.S)
PAIR = re.compile(r'\{\s*"([A-Za-z0-9./_-]+)"\s*,\s*"((?:[^"\\\n]|\\.)*)"\s*\}')


def unescape(s):
    return s.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1", "replace").decode("latin-1")


def sources(*dirs):
    for d in dirs:
        for p in sorted((ROOT / "tests" / d).glob("*.[ch]pp")):
            yield p.read_text()


def literals(*dirs):
    out = []
    for text in sources(*dirs):
        out += [unescape(m) for m in STRING.findall(text)]
    return out


def raws(*dirs):
    out = []
    for text in sources(*dirs):
        out += RAW.findall(text)
    return out


def json_objects(*dirs):
    out = []
    for r in raws(*dirs):
        try:
            v = json.loads(r)
        except ValueError:
            continue
        if isinstance(v, dict):
            out.append(v)
    return out


def write(target, items):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    for f in d.iterdir():
        if not f.name.startswith(("crash-", "regress-")):
            f.unlink()
    seen = set()
    kept = 0
    for item in items:
        data = item if isinstance(item, bytes) else item.encode("utf-8", "surrogateescape")
        if not data or len(data) > MAX_BYTES or data in seen:
            continue
        seen.add(data)
        (d / hashlib.sha1(data).hexdigest()).write_bytes(data)
        kept += 1
        if kept >= MAX_SEEDS:
            break
    print(f"{target}: {kept} seeds")


def spread(items, n=MAX_SEEDS):
    """Up to n items taken evenly across the list (tests are grouped by topic)."""
    items = list(dict.fromkeys(items))
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


INGRESS = {"group": "networking.k8s.io", "version": "v1", "kind": "Ingress"}
TGB = {"group": "elbv2.k8s.aws", "version": "v1beta1", "kind": "TargetGroupBinding"}


def review(obj, op="CREATE", version="admission.k8s.io/v1", old=None):
    kind = TGB if obj.get("kind") == "TargetGroupBinding" else INGRESS
    meta = obj.get("metadata", {}) if isinstance(obj.get("metadata"), dict) else {}
    return json.dumps({
        "apiVersion": version, "kind": "AdmissionReview",
        "request": {"uid": "705ab4f5-6393-11e8-b7cc-42010a800002", "kind": kind,
                    "name": meta.get("name", "web"), "namespace": meta.get("namespace", "team-a"),
                    "operation": op, "userInfo": {"username": "alice"},
                    "object": None if op == "DELETE" else obj,
                    "oldObject": old if op != "DELETE" else obj, "dryRun": False}},
        separators=(",", ":"))


def main():
    objects = [o for o in json_objects("admission", "rules") if o.get("kind") in ("Ingress", "TargetGroupBinding")]
    reviews = [r for r in raws("admission") if '"AdmissionReview"' in r]
    reviews.append((ROOT / "tests/testdata/review-ingress-bad-scheme.json").read_text())
    ops = ["CREATE", "UPDATE", "DELETE"]
    for i, o in enumerate(objects):
        reviews.append(review(o, ops[i % 3], "admission.k8s.io/v1beta1" if i % 4 == 3 else "admission.k8s.io/v1", o if i % 3 == 1 else None))
    pairs = PAIR.findall("\n".join(sources("rules")))
    for i in range(0, min(len(pairs), 60), 4):
        ann = {(k if "/" in k else "alb.ingress.kubernetes.io/" + k): unescape(v) for k, v in pairs[i:i + 4]}
        ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": {"name": "shop", "namespace": "team-a", "annotations": ann},
               "spec": {"ingressClassName": "alb", "rules": [{"host": "shop.example.com", "http": {"paths": [
                   {"path": "/", "pathType": "Prefix",
                    "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}
        reviews.append(review(ing, ops[(i // 4) % 2]))
    reviews += ['{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', "{}", "[]", "null"]
    write("admission_review_fuzz", spread(reviews))

    # admission_object_fuzz: selector byte + JSON object, or selector + "key=value" lines.
    ann_lines = [f"{k}={unescape(v)}" for k, v in pairs]
    obj_seeds = []
    for i, o in enumerate(objects):
        sel = (0 if o["kind"] == "Ingress" else 1) | ((i % 4) << 1) | ((i % 2) << 3)
        obj_seeds.append(bytes([sel]) + json.dumps(o, separators=(",", ":")).encode())
    for i in range(0, len(ann_lines), 3):
        sel = ((i // 3) % 4) << 1 | ((i // 3) % 2) << 3
        obj_seeds.append(bytes([sel]) + "\n".join(ann_lines[i:i + 3]).encode("utf-8", "surrogateescape"))
    tgb_lines = ["targetType=instance", 'serviceRef={"name":"web","port":"http"}',
                 "vpcID=vpc-0123456789abcdef0", "ipAddressType=ipv6",
                 'networking={"ingress":[{"from":[{"ipBlock":{"cidr":"10.0.0.0/8"}}],"ports":[{"port":80}]}]}',
                 'nodeSelector={"matchLabels":{"a":"b"}}', "iamRoleArnToAssume=arn:aws:iam::210987654321:role/x",
                 "targetGroupName=my-tg", "multiClusterTargetGroup=true"]
    for i, line in enumerate(tgb_lines):
        obj_seeds.append(bytes([1 | ((i % 4) << 1) | ((i % 2) << 3)]) + line.encode())
    write("admission_object_fuzz", spread(obj_seeds[:len(objects)], 15) + spread(obj_seeds[len(objects):], 25))

    # annotation_parsers_fuzz: the annotation values the rule tests use.
    values = [unescape(v) for _, v in pairs]
    values += [l for l in literals("rules") if any(c in l for c in "[{=,") and len(l) < 300]
    write("annotation_parsers_fuzz", spread(values))

    # aws_formats_fuzz: identifiers from the format tests.
    fmt = literals("rules")
    ids = [l for l in fmt if re.match(r"^(arn:|subnet-|sg-|vpc-|\d+\.\d+|[0-9a-f:]+/|[a-z]{2}-[a-z]+-\d|\d{12}$|[0-9a-f]{8}-)", l)]
    ids += ["2001:db8::/32", "10.0.0.1/8", "::ffff:10.0.0.1/120", "my-tg", "http", "app.kubernetes.io/name"]
    write("aws_formats_fuzz", spread(ids))

    # policy_fuzz: policy files.
    policies = [r for r in raws("policy") if ":" in r]
    policies += [l for l in literals("policy") if ": " in l and not l.startswith(("ingress.", "targetGroupBinding.", "("))]
    policies.append((ROOT / "tests/testdata/check/policy.yaml").read_text())
    deployed = (ROOT / "deploy/base/policy.yaml").read_text()
    m = re.search(r"policy\.yaml: \|\n((?:    .*\n|\s*\n)+)", deployed)
    if m:
        policies.append("\n".join(l[4:] for l in m.group(1).splitlines()) + "\n")
    write("policy_fuzz", spread(policies))

    # http_request_fuzz: read-size byte + raw HTTP/1.1 requests.
    def post(path, body, extra="", ctype="application/json"):
        return (f"POST {path} HTTP/1.1\r\nHost: alb-webhook.svc:443\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body.encode())}\r\n{extra}\r\n{body}")
    vi, mi = "/validate-networking-v1-ingress", "/mutate-networking-v1-ingress"
    vt, mt = "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding", "/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding"
    small = sorted(reviews, key=len)[:8]
    reqs = []
    for i, body in enumerate(small):
        reqs.append(bytes([255]) + post([vi, mi, vt, mt][i % 4] + "?timeout=10s", body).encode())
    reqs.append(bytes([3]) + (post(vi, small[0]) + post(mi + "?timeout=1m30s", small[1], "Connection: close\r\n")).encode())
    chunked = small[0]
    reqs.append(bytes([7]) + (f"POST {mi} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              f"Transfer-Encoding: chunked\r\n\r\n{len(chunked):x}\r\n{chunked}\r\n0\r\n\r\n").encode())
    reqs.append(bytes([0]) + post(vi, small[0], "Expect: 100-continue\r\n").encode())
    reqs.append(bytes([255]) + b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    reqs.append(bytes([255]) + post(vi, "{}", ctype="text/plain").encode())
    reqs.append(bytes([255]) + b"POST /validate-networking-v1-ingress HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n")
    reqs.append(bytes([255]) + b"POST /validate-networking-v1-ingress HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    reqs.append(bytes([255]) + b"POST /validate-networking-v1-ingress HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}")
    write("http_request_fuzz", reqs)

    # check_manifests_fuzz: manifests.
    manifests = [p.read_text() for p in sorted((ROOT / "tests/testdata/check").iterdir()) if p.name != "policy.yaml"]
    manifests += [r for r in raws("cli") if "kind" in r]
    manifests += [p.read_text() for p in sorted((ROOT / "deploy/base").glob("*.yaml"))]
    manifests += [json.dumps(o, indent=1) for o in objects[:6]]
    write("check_manifests_fuzz", spread(manifests))


if __name__ == "__main__":
    main()
