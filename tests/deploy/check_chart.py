#!/usr/bin/env python3
"""Checks of the Helm chart deploy/chart/alb-webhook (driven by check_chart.sh).

    check_chart.py --repo DIR --helm PATH --kubectl PATH --tmp DIR

- `helm lint` and `helm template` for the default values and every ci/*-values.yaml;
- each rendering passes the manifest checks of the kustomize output (check_manifests.py,
  imported): security context, probes, flags, mounts, webhook paths and rules, caBundle wiring
  or cert-manager injection, RBAC scope of the cluster view, NetworkPolicy;
- the default rendering equals `kubectl kustomize deploy/overlays/cert-manager` on the fields that
  matter (container args, ports, probes, security contexts, webhook paths/rules/policies, Service
  ports, RBAC, NetworkPolicy, PDB, HPA); cluster view off equals the cluster-view-off component;
- the monitoring objects equal the kustomize monitoring component's;
- values.schema.json rejects typos and wrong types; impossible combinations fail to render.
Prints one line per failed check; exits 1 if any failed.
"""
import argparse
import base64
import copy
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_manifests as cm  # noqa: E402
from check_manifests import check, find, load, one  # noqa: E402

import yaml  # noqa: E402

RELEASE = NS = "alb-webhook"
args = None


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def helm_template(name, *extra):
    out = os.path.join(args.tmp, f"chart-{name}.yaml")
    r = run([args.helm, "template", RELEASE, args.chart, "--namespace", NS, *extra])
    if not check(r.returncode == 0, f"helm template ({name}) failed: {r.stderr.strip()}"):
        return None
    with open(out, "w") as f:
        f.write(r.stdout)
    return load(out)


def kustomize(name, resources, components=()):
    d = os.path.join(args.tmp, f"k-{name}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "kustomization.yaml"), "w") as f:
        yaml.safe_dump({"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                        "resources": [os.path.relpath(os.path.join(args.repo, r), d) for r in resources],
                        "components": [os.path.relpath(os.path.join(args.repo, c), d) for c in components]}, f)
    r = run([args.kubectl, "kustomize", d, "--load-restrictor", "LoadRestrictionsNone"])
    if not check(r.returncode == 0, f"kubectl kustomize ({name}) failed: {r.stderr.strip()}"):
        return []
    return [x for x in yaml.safe_load_all(r.stdout) if x]


def openssl_sans_and_verify(docs, where, secret_name):
    """The generated serving certificate verifies against the CA and carries the four names."""
    sec = one(docs, "Secret", secret_name, where)
    if not sec:
        return ""
    d = {k: base64.b64decode(v) for k, v in sec.get("data", {}).items()}
    if not check({"tls.crt", "tls.key", "ca.crt"} <= set(d), f"{where}: Secret keys {sorted(d)}"):
        return ""
    paths = {}
    for k, v in d.items():
        paths[k] = os.path.join(args.tmp, f"{where}-{k}".replace("/", "_"))
        with open(paths[k], "wb") as f:
            f.write(v)
    r = run(["openssl", "verify", "-CAfile", paths["ca.crt"], "-purpose", "sslserver", paths["tls.crt"]])
    check(r.returncode == 0, f"{where}: generated tls.crt does not verify against ca.crt: {r.stdout}{r.stderr}")
    pub_crt = run(["openssl", "x509", "-in", paths["tls.crt"], "-noout", "-pubkey"]).stdout
    pub_key = run(["openssl", "pkey", "-in", paths["tls.key"], "-pubout"]).stdout
    check(pub_crt and pub_crt == pub_key, f"{where}: generated tls.key does not match tls.crt")
    r = run(["openssl", "x509", "-in", paths["tls.crt"], "-noout", "-ext", "subjectAltName"])
    return "".join(line.strip() for line in r.stdout.splitlines()[1:])


# ---- comparison with the kustomize rendering ------------------------------------------------------
def container_view(docs):
    dep = find(docs, "Deployment")
    if not dep:
        return None
    pod = dep[0]["spec"]["template"]["spec"]
    c = pod["containers"][0]
    return {
        "args": c.get("args"), "env": c.get("env"), "ports": c.get("ports"),
        "readinessProbe": c.get("readinessProbe"), "livenessProbe": c.get("livenessProbe"),
        "lifecycle": c.get("lifecycle"), "securityContext": c.get("securityContext"),
        "resources": c.get("resources"), "image": c.get("image"), "imagePullPolicy": c.get("imagePullPolicy"),
        "volumeMounts": c.get("volumeMounts"),
        "pod.securityContext": pod.get("securityContext"),
        "pod.automountServiceAccountToken": pod.get("automountServiceAccountToken"),
        "pod.terminationGracePeriodSeconds": pod.get("terminationGracePeriodSeconds"),
        "pod.priorityClassName": pod.get("priorityClassName"),
        "pod.topologyKeys": [t["topologyKey"] for t in pod.get("topologySpreadConstraints", [])],
        "pod.volumes": [{k: v for k, v in vol.items() if k != "secret" and k != "configMap"} for vol in pod.get("volumes", [])],
        "strategy": dep[0]["spec"].get("strategy"),
    }


def webhook_view(docs):
    view = {}
    for cfg in docs:
        if not cfg["kind"].endswith("WebhookConfiguration"):
            continue
        for w in cfg["webhooks"]:
            w = copy.deepcopy(w)
            w["clientConfig"].pop("caBundle", None)
            w["clientConfig"]["service"].pop("name")
            w.pop("name")
            view[w["clientConfig"]["service"]["path"]] = (cfg["kind"], w)
    return view


def spec_of(docs, kind, drop=()):
    found = find(docs, kind)
    if not found:
        return None
    s = copy.deepcopy(found[0].get("spec", found[0].get("rules")))
    for k in drop:
        s.pop(k, None)
    return s


def netpol_view(docs):
    s = spec_of(docs, "NetworkPolicy", drop=("podSelector",))
    if s is None:
        return None
    ports = sorted((p["port"], p.get("protocol")) for r in s.get("ingress", []) for p in r.get("ports", []))
    return {"policyTypes": s.get("policyTypes"), "ingressPorts": ports, "egress": s.get("egress")}


def compare(chart, kust, where):
    pairs = {
        "container": (container_view(chart), container_view(kust)),
        "webhooks": (webhook_view(chart), webhook_view(kust)),
        "Service ports": ([s["spec"]["ports"] for s in find(chart, "Service")], [s["spec"]["ports"] for s in find(kust, "Service")]),
        "ClusterRole rules": ([r["rules"] for r in find(chart, "ClusterRole")], [r["rules"] for r in find(kust, "ClusterRole")]),
        "NetworkPolicy": (netpol_view(chart), netpol_view(kust)),
        "PDB": (spec_of(chart, "PodDisruptionBudget", ("selector",)), spec_of(kust, "PodDisruptionBudget", ("selector",))),
        "HPA": (spec_of(chart, "HorizontalPodAutoscaler"), spec_of(kust, "HorizontalPodAutoscaler")),
    }
    for what, (a, b) in pairs.items():
        if what == "container" and a and b:
            # The image is the only intended difference: kustomize sets it with `images:`.
            a, b = dict(a), dict(b)
            a.pop("image"), b.pop("image")
        if isinstance(a, dict) and isinstance(b, dict) and a != b:
            # Name the keys that differ rather than printing both whole.
            keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            a, b = {k: a.get(k) for k in keys}, {k: b.get(k) for k in keys}
        check(a == b, f"{where}: {what} differ from kustomize:\n  chart:     {json.dumps(a, sort_keys=True)}\n  kustomize: {json.dumps(b, sort_keys=True)}")


def certificate_view(docs):
    out = {}
    for c in find(docs, "Certificate") + find(docs, "Issuer"):
        out[(c["kind"], c["metadata"]["name"])] = c["spec"]
    return out


def check_lbc_post_render(ours):
    """deploy/lbc-replace/post-render.sh over the LBC chart's own webhook configurations (fixture):
    exactly the webhooks replaceLbcWebhooks takes over are gone, on the same paths and names as
    ours; the Pod and Service mutators stay. With and without disableIngressValidation."""
    where = "lbc-replace"
    fixture = os.path.join(args.repo, "tests/deploy/testdata/lbc-v3.5.0-webhooks.yaml")
    lbc = load(fixture)
    theirs = {w["clientConfig"]["service"]["path"]: w["name"] for d in lbc for w in d["webhooks"]}
    for p, n in ours.items():
        check(theirs.get(p) == n, f"{where}: the LBC registers {p} as {theirs.get(p)}, our replace mode as {n}")
    no_vingress = copy.deepcopy(lbc)
    for d in no_vingress:
        d["webhooks"] = [w for w in d["webhooks"] if w["name"] != "vingress.elbv2.k8s.aws"]
    keep = ["mpod.elbv2.k8s.aws", "quicid.elbv2.k8s.aws", "mservice.elbv2.k8s.aws",
            "alb-target-control.namespace.elbv2.k8s.aws", "alb-target-control.object.elbv2.k8s.aws"]
    for name, docs in (("full", lbc), ("disableIngressValidation", no_vingress)):
        r = run([os.path.join(args.repo, "deploy/lbc-replace/post-render.sh")], input=yaml.safe_dump_all(docs))
        if not check(r.returncode == 0, f"{where} ({name}): post-render.sh failed: {r.stderr}"):
            continue
        out = {d["kind"]: [w["name"] for w in d.get("webhooks") or []] for d in yaml.safe_load_all(r.stdout) if d}
        check(out == {"MutatingWebhookConfiguration": keep, "ValidatingWebhookConfiguration": []},
              f"{where} ({name}): LBC webhooks left {out}")


# ---- the checks ---------------------------------------------------------------------------------------
def main():
    global args
    ap = argparse.ArgumentParser()
    for a in ("--repo", "--helm", "--kubectl", "--tmp"):
        ap.add_argument(a, required=True)
    args = ap.parse_args()
    args.chart = os.path.join(args.repo, "deploy/chart/alb-webhook")
    with open(os.path.join(args.repo, "deploy/base/policy.yaml")) as f:
        policy_text = f.read()
    values = yaml.safe_load(open(os.path.join(args.chart, "values.yaml")))

    # Sources the chart copies.
    check(values["policy"] == yaml.safe_load(policy_text), "values.yaml policy differs from deploy/base/policy.yaml")
    for f in ("alb-webhook-dashboard.json", "prometheusrule.yaml"):
        a = open(os.path.join(args.chart, "files", f), "rb").read()
        b = open(os.path.join(args.repo, "deploy/components/monitoring", f), "rb").read()
        check(a == b, f"chart files/{f} differs from deploy/components/monitoring/{f} (copy it over)")

    # helm lint, default values and every ci/ value set (strict: warnings fail too).
    ci = sorted(glob.glob(os.path.join(args.chart, "ci", "*-values.yaml")))
    check(len(ci) >= 5, f"expected the documented value sets in ci/, found {ci}")
    for extra in [[]] + [["-f", p] for p in ci]:
        r = run([args.helm, "lint", args.chart, "--strict", "--namespace", NS, *extra])
        check(r.returncode == 0, f"helm lint --strict {' '.join(extra)} failed:\n{r.stdout}{r.stderr}")

    k_cm = kustomize("cert-manager", ["deploy/overlays/cert-manager"])
    k_mon = kustomize("monitoring", ["deploy/overlays/cert-manager"], ["deploy/components/monitoring"])
    k_off = kustomize("view-off", ["deploy/overlays/cert-manager"], ["deploy/components/cluster-view-off"])

    # Default values: self-signed certificate generated at install.
    where = "chart default"
    docs = helm_template("default")
    if docs:
        info = cm.check_common(docs, where, policy_text, namespace=NS, policy_exact=False)
        if info:
            sans = openssl_sans_and_verify(docs, where, info["secret_name"])
            cm.check_static_certs(docs, info, sans)
            for cfg in info["configs"]:
                check("cert-manager.io/inject-ca-from" not in cfg["metadata"].get("annotations", {}),
                      f"{where}: {cfg['kind']} has a cainjector annotation without cert-manager")
        sec = find(docs, "Secret")
        check(sec and sec[0]["metadata"].get("annotations", {}).get("helm.sh/resource-policy") == "keep",
              f"{where}: the generated TLS Secret should survive uninstall (helm.sh/resource-policy: keep)")
        compare(docs, k_cm, where)
        dep = find(docs, "Deployment")
        check(dep and "replicas" not in dep[0]["spec"], f"{where}: with the HPA on, the Deployment must not set replicas")
    tpl = open(os.path.join(args.chart, "templates/webhooks.yaml")).read()
    check('lookup "v1" "Secret"' in tpl, "selfSigned: the existing Secret is not looked up (certificates would change on every upgrade)")

    # ci/cert-manager: cainjector + the monitoring component.
    where = "chart ci/cert-manager"
    docs = helm_template("cert-manager", "-f", os.path.join(args.chart, "ci/cert-manager-values.yaml"))
    if docs:
        info = cm.check_common(docs, where, policy_text, namespace=NS, policy_exact=False)
        if info:
            cm.check_cert_manager(docs, info)
        check(certificate_view(docs) == certificate_view(k_cm),
              f"{where}: Certificates/Issuers differ from overlays/cert-manager:\n  {certificate_view(docs)}\n  {certificate_view(k_cm)}")
        compare(docs, k_cm, where)
        cm.check_monitoring(docs)
        for kind in ("PrometheusRule", "ServiceMonitor"):
            a, b = spec_of(docs, kind), spec_of(k_mon, kind)
            if kind == "ServiceMonitor" and a and b:
                a["selector"]["matchLabels"].pop("app.kubernetes.io/instance", None)
            check(a == b, f"{where}: {kind} spec differs from components/monitoring")
        dash = lambda ds: [json.loads(v) for c in find(ds, "ConfigMap") if c["metadata"].get("labels", {}).get("grafana_dashboard") == "1" for v in c["data"].values()]
        check(dash(docs) and dash(docs) == dash(k_mon), f"{where}: dashboard differs from components/monitoring")
        sm = find(docs, "ServiceMonitor")
        check(sm and sm[0]["metadata"]["labels"].get("release") == "kube-prometheus-stack", f"{where}: ServiceMonitor lacks the extra label")

    # ci/cluster-view-off.
    where = "chart ci/cluster-view-off"
    docs = helm_template("view-off", "-f", os.path.join(args.chart, "ci/cluster-view-off-values.yaml"))
    if docs:
        info = cm.check_common(docs, where, policy_text, cluster_view=False, namespace=NS, policy_exact=False)
        if info:
            cm.check_cert_manager(docs, info)
        compare(docs, k_off, where)

    # ci/existing-secret: caBundle from values, the named Secret mounted.
    where = "chart ci/existing-secret"
    vals = yaml.safe_load(open(os.path.join(args.chart, "ci/existing-secret-values.yaml")))["certificates"]["existingSecret"]
    docs = helm_template("existing-secret", "-f", os.path.join(args.chart, "ci/existing-secret-values.yaml"))
    if docs:
        info = cm.check_common(docs, where, policy_text, namespace=NS, policy_exact=False)
        if info:
            check(info["secret_name"] == vals["name"], f"{where}: mounts Secret {info['secret_name']}, want {vals['name']}")
            check(not find(docs, "Secret") and not find(docs, "Certificate"), f"{where}: renders a Secret or Certificate of its own")
            for w in info["webhooks"]:
                check(w["clientConfig"].get("caBundle") == vals["caBundle"], f"{where}: {w['name']} caBundle is not the given one")
            check(base64.b64decode(vals["caBundle"]).startswith(b"-----BEGIN CERTIFICATE-----"), f"{where}: example caBundle is not a PEM")

    # ci/replace-lbc: the LBC's webhook names on the LBC's paths; a ClusterIssuer.
    where = "chart ci/replace-lbc"
    docs = helm_template("replace-lbc", "-f", os.path.join(args.chart, "ci/replace-lbc-values.yaml"))
    if docs:
        info = cm.check_common(docs, where, policy_text, namespace=NS, policy_exact=False)
        names = {w["clientConfig"]["service"]["path"]: w["name"] for w in (info or {}).get("webhooks", [])}
        want = {"/validate-networking-v1-ingress": "vingress.elbv2.k8s.aws",
                "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding": "vtargetgroupbinding.elbv2.k8s.aws",
                "/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding": "mtargetgroupbinding.elbv2.k8s.aws",
                "/validate-elbv2-k8s-aws-v1beta1-ingressclassparams": "vingressclassparams.elbv2.k8s.aws"}
        for p, n in want.items():
            check(names.get(p) == n, f"{where}: {p} is registered as {names.get(p)}, want the LBC's name {n}")
        certs = find(docs, "Certificate")
        check(len(certs) == 1 and certs[0]["spec"]["issuerRef"] == {"kind": "ClusterIssuer", "name": "internal-ca", "group": "cert-manager.io"}
              and not find(docs, "Issuer"), f"{where}: expected one Certificate from ClusterIssuer internal-ca and no Issuers")

        check_lbc_post_render(want)

    # ci/tuned: everything else configurable.
    where = "chart ci/tuned"
    tuned = yaml.safe_load(open(os.path.join(args.chart, "ci/tuned-values.yaml")))
    docs = helm_template("tuned", "-f", os.path.join(args.chart, "ci/tuned-values.yaml"))
    if docs:
        want_policy = copy.deepcopy(values["policy"])
        want_policy["ingress"]["rules"]["wafRequired"] = {"mode": "deny"}
        want_policy["ingress"]["rules"]["internetFacing"] = {"mode": "deny", "allowedNamespaces": ["public-*"]}
        paths = set(cm.WEBHOOK_PATHS) - {"/mutate-networking-v1-ingress"}
        info = cm.check_common(docs, where, yaml.safe_dump(want_policy), namespace=NS, defaults=False, paths=paths, policy_exact=False)
        if info:
            dep, c = info["deployment"], info["container"]
            check(dep["spec"].get("replicas") == 3 and not find(docs, "HorizontalPodAutoscaler"), f"{where}: replicas 3 without HPA")
            check(c["image"] == tuned["image"]["repository"] + "@" + tuned["image"]["digest"], f"{where}: image {c['image']}")
            check(c["imagePullPolicy"] == "Always", f"{where}: imagePullPolicy")
            check(c["resources"] == tuned["resources"], f"{where}: resources {c['resources']}")
            for a in ("--log-level=debug", "--cluster-sync-timeout=45s", "--client-ca-file=/etc/alb-webhook-client-ca/ca.crt"):
                check(a in c["args"], f"{where}: args lack {a}: {c['args']}")
            pod = dep["spec"]["template"]["spec"]
            check(pod.get("nodeSelector") == tuned["nodeSelector"] and pod.get("tolerations") == tuned["tolerations"]
                  and pod.get("imagePullSecrets") == tuned["imagePullSecrets"], f"{where}: scheduling/pull secrets not applied")
            hooks = webhook_view(docs)
            ing = hooks["/validate-networking-v1-ingress"][1]
            check(ing["failurePolicy"] == "Ignore" and ing["timeoutSeconds"] == 8
                  and ing["namespaceSelector"].get("matchLabels") == {"alb-webhook.io/enforce": "true"},
                  f"{where}: Ingress validate settings not applied: {ing}")
            excl = [e for e in ing["namespaceSelector"]["matchExpressions"] if e["key"] == "kubernetes.io/metadata.name"]
            check(excl and excl[0]["values"] == ["kube-system", "kube-public", NS], f"{where}: namespace exclusion {excl}")
            tgb = hooks["/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding"][1]
            check(tgb.get("objectSelector") == {"matchExpressions": [{"key": "alb-webhook.io/skip", "operator": "DoesNotExist"}]},
                  f"{where}: TGB mutate objectSelector {tgb.get('objectSelector')}")
            np = find(docs, "NetworkPolicy")[0]["spec"]
            check(np["egress"][0].get("to") == tuned["networkPolicy"]["apiServerTo"], f"{where}: egress not narrowed: {np['egress']}")
            check(any(r.get("from") == tuned["networkPolicy"]["webhookFrom"] for r in np["ingress"]), f"{where}: webhook ingress not narrowed")
            check(find(docs, "PodDisruptionBudget")[0]["spec"]["minAvailable"] == 2, f"{where}: PDB minAvailable")

    # Switches.
    docs = helm_template("switches", "--set", "networkPolicy.enabled=false", "--set", "podDisruptionBudget.enabled=false",
                         "--set", "webhooks.ingress.mutate.enabled=false", "--set", "webhooks.targetGroupBinding.mutate.enabled=false",
                         "--set", "webhooks.ingressClassParams.validate.enabled=false")
    if docs:
        for kind in ("NetworkPolicy", "PodDisruptionBudget", "MutatingWebhookConfiguration"):
            check(not find(docs, kind), f"switches: {kind} rendered although switched off")
        v = find(docs, "ValidatingWebhookConfiguration")
        check(v and [w["name"] for w in v[0]["webhooks"]] == ["vingress.alb-webhook.io", "vtargetgroupbinding.alb-webhook.io"],
              f"switches: validating webhooks {[w['name'] for w in v[0]['webhooks']] if v else None}")
    docs = helm_template("other-release", "--set", "clusterView.syncTimeout=1m30s")
    if docs:
        r2 = run([args.helm, "template", "edge", args.chart, "--namespace", "platform"])
        d2 = [x for x in yaml.safe_load_all(r2.stdout) if x] if r2.returncode == 0 else []
        names = {(d["kind"], d["metadata"]["name"]) for d in d2}
        check(("Deployment", "edge-alb-webhook") in names and ("ClusterRole", "edge-alb-webhook-cluster-view") in names,
              f"release 'edge': object names {sorted(names)}")
        for w in (w for c in d2 if c["kind"].endswith("WebhookConfiguration") for w in c["webhooks"]):
            check(w["clientConfig"]["service"] == {**w["clientConfig"]["service"], "name": "edge-alb-webhook", "namespace": "platform"},
                  f"release 'edge': {w['name']} calls {w['clientConfig']['service']}")

    # The schema: typos and wrong types fail; so do impossible combinations.
    bad = {
        "top-level typo": ["--set", "replica=3"],
        "nested typo": ["--set", "webhooks.ingress.validate.failurPolicy=Ignore"],
        "policy typo": ["--set", "policy.ingress.rules.wafRequired.mdoe=deny"],
        "policy bad mode": ["--set", "policy.ingress.rules.wafRequired.mode=block"],
        "failurePolicy case": ["--set", "webhooks.ingress.validate.failurePolicy=fail"],
        "timeout type": ["--set-string", "webhooks.ingress.validate.timeoutSeconds=5"],
        "timeout range": ["--set", "webhooks.ingress.validate.timeoutSeconds=31"],
        "certificate mode": ["--set", "certificates.mode=self-signed"],
        "clusterView type": ["--set-string", "clusterView.enabled=no"],
        "ICP has no namespaceSelector": ["--set", "webhooks.ingressClassParams.validate.namespaceSelector.matchLabels.a=b"],
        "existingSecret without name": ["--set", "certificates.mode=existingSecret", "--set", "certificates.existingSecret.caBundle=QQ=="],
        "existingSecret without caBundle": ["--set", "certificates.mode=existingSecret", "--set", "certificates.existingSecret.name=x"],
        "replace mode without TGB mutate": ["--set", "replaceLbcWebhooks.enabled=true", "--set", "webhooks.targetGroupBinding.mutate.enabled=false"],
    }
    # Checked by the templates (`required`, `fail`), which helm lint does not run to the end.
    render_time = {"existingSecret without name", "existingSecret without caBundle", "replace mode without TGB mutate"}
    for what, extra in bad.items():
        r = run([args.helm, "template", RELEASE, args.chart, "--namespace", NS, *extra])
        check(r.returncode != 0, f"schema: {what} ({' '.join(extra)}) was accepted")
        if what in render_time:
            continue
        r = run([args.helm, "lint", args.chart, *extra])
        check(r.returncode != 0, f"schema: helm lint accepted {what}")

    def closed(node, path):
        if isinstance(node, dict):
            if node.get("type") == "object" and path != "/properties/global":
                ap = node.get("additionalProperties")
                check(ap is False or isinstance(ap, dict), f"values.schema.json {path or '/'}: additionalProperties must be false (or a schema for maps)")
                check(ap is False or "properties" not in node, f"values.schema.json {path}: an object with properties must be closed")
            for k, v in node.items():
                closed(v, f"{path}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                closed(v, f"{path}/{i}")
    closed(json.load(open(os.path.join(args.chart, "values.schema.json"))), "")

    for f in cm.failures:
        print(f"FAIL: {f}")
    if cm.failures:
        print(f"check_chart.py: {len(cm.failures)} check(s) failed")
        return 1
    print(f"check_chart.py: all chart checks passed (default values and {len(ci)} ci/ value sets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
