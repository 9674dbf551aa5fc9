#!/usr/bin/env python3
"""Writes the benchmark AdmissionReview bodies (deterministic; no randomness).

  gen_fixtures.py OUTDIR

OUTDIR/ingress.json        realistic Ingress CREATE (~3 KB): server-side-apply managedFields,
                           11 ALB annotations, 3 paths, legacy class annotation
                           (so the mutating webhook migrates it and answers a patch)
OUTDIR/ingress-large.json  the same Ingress with thousands of paths (~1 MiB)
OUTDIR/tgb.json            TargetGroupBinding CREATE
The first and last are also committed next to this script; the large one is generated at run time.
"""
import json
import sys

ALB = "alb.ingress.kubernetes.io/"


def ingress_object(paths):
    annotations = {
        "kubernetes.io/ingress.class": "alb",
        ALB + "scheme": "internet-facing",
        ALB + "target-type": "ip",
        ALB + "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
        ALB + "certificate-arn":
            "arn:aws:acm:eu-west-1:123456789012:certificate/3f1c2a9e-5b7d-4c8e-9a0b-1d2e3f4a5b6c",
        ALB + "ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        ALB + "ssl-redirect": "443",
        ALB + "group.name": "shop-frontend",
        ALB + "healthcheck-path": "/healthz",
        ALB + "success-codes": "200-399",
        ALB + "tags": "team=shop,env=prod,cost-center=4711",
        ALB + "load-balancer-attributes":
            "idle_timeout.timeout_seconds=120,routing.http.drop_invalid_header_fields.enabled=true",
    }
    spec = {
        "rules": [{
            "host": "shop.example.com",
            "http": {"paths": paths},
        }],
        "tls": [{"hosts": ["shop.example.com"]}],
    }
    managed_annotations = {"f:" + k: {} for k in sorted(annotations)}
    managed_annotations["."] = {}
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": "shop-frontend",
            "namespace": "shop",
            "labels": {"app.kubernetes.io/name": "shop-frontend", "app.kubernetes.io/part-of": "shop"},
            "annotations": annotations,
            "managedFields": [{
                "manager": "argocd-controller",
                "operation": "Apply",
                "apiVersion": "networking.k8s.io/v1",
                "time": "2024-05-02T10:11:12Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": {
                    "f:metadata": {
                        "f:annotations": managed_annotations,
                        "f:labels": {".": {}, "f:app.kubernetes.io/name": {},
                                     "f:app.kubernetes.io/part-of": {}},
                    },
                    "f:spec": {"f:rules": {}, "f:tls": {}},
                },
            }],
        },
        "spec": spec,
    }


def path(i, service):
    return {
        "path": "/" + service + ("" if i < 3 else "/v%d/items" % i),
        "pathType": "Prefix",
        "backend": {"service": {"name": service + ("" if i < 3 else "-%d" % i),
                                "port": {"number": 8080 if i % 2 else 80}}},
    }


def review(obj, uid, kind, resource):
    group, version = obj["apiVersion"].split("/")
    return {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": group, "version": version, "kind": kind},
            "resource": {"group": group, "version": version, "resource": resource},
            "requestKind": {"group": group, "version": version, "kind": kind},
            "requestResource": {"group": group, "version": version, "resource": resource},
            "name": obj["metadata"]["name"],
            "namespace": obj["metadata"]["namespace"],
            "operation": "CREATE",
            "userInfo": {"username": "system:serviceaccount:argocd:argocd-application-controller",
                         "uid": "0b6a5f9e-3c1d-4e2f-8a7b-6c5d4e3f2a1b",
                         "groups": ["system:serviceaccounts", "system:serviceaccounts:argocd",
                                    "system:authenticated"]},
            "object": obj,
            "oldObject": None,
            "dryRun": False,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions",
                        "fieldManager": "argocd-controller"},
        },
    }


def tgb():
    obj = {
        "apiVersion": "elbv2.k8s.aws/v1beta1",
        "kind": "TargetGroupBinding",
        "metadata": {"name": "shop-api", "namespace": "shop",
                     "labels": {"app.kubernetes.io/name": "shop-api"}},
        "spec": {
            "serviceRef": {"name": "shop-api", "port": 8080},
            "targetGroupARN":
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-api/73e2d6bc24d8a067",
            "targetType": "ip",
            "ipAddressType": "ipv4",
            "vpcID": "vpc-0a1b2c3d4e5f60718",
            "networking": {"ingress": [{
                "from": [{"securityGroup": {"groupID": "sg-0123456789abcdef0"}}],
                "ports": [{"protocol": "TCP", "port": 8080}],
            }]},
        },
    }
    return review(obj, "4d1e7a52-9c3b-4f60-8e21-7b5a6c4d3e2f", "TargetGroupBinding",
                  "targetgroupbindings")


def dump(doc, file):
    with open(file, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    small = [path(0, "web"), path(1, "api"), path(2, "static")]
    dump(review(ingress_object(small), "7f3c2b1a-8d4e-4f5a-9b6c-0d1e2f3a4b5c", "Ingress",
                "ingresses"), out + "/ingress.json")
    # ~1 MiB: thousands of paths under one rule (the apiserver's limit is 3 MiB per object).
    large = [path(i, "svc") if i >= 3 else small[i] for i in range(9000)]
    dump(review(ingress_object(large), "0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b", "Ingress",
                "ingresses"), out + "/ingress-large.json")
    dump(tgb(), out + "/tgb.json")


if __name__ == "__main__":
    main()
