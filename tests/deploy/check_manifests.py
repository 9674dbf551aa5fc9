#!/usr/bin/env python3
"""Assertions over the rendered alb-webhook manifests (driven by check_manifests.sh).

    check_manifests.py --base FILE --cert-manager FILE --static-certs FILE --monitoring FILE
                       --cluster-view-off FILE --policy FILE --cert-sans "DNS:a, DNS:b" [--source-dir DIR]

Each FILE is the output of `kubectl kustomize`. Prints one line per failed check and exits 1
if any failed. tests/deploy/check_chart.py imports this module and runs the same checks over
`helm template` output.
"""
import argparse
import base64
import json
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("check_manifests.py: PyYAML is missing (Debian package python3-yaml)")

# path -> (configuration kind, group, version, resource, scope)
WEBHOOK_PATHS = {
    "/validate-networking-v1-ingress": ("Validating", "networking.k8s.io", "v1", "ingresses", "Namespaced"),
    "/mutate-networking-v1-ingress": ("Mutating", "networking.k8s.io", "v1", "ingresses", "Namespaced"),
    "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding": ("Validating", "elbv2.k8s.aws", "v1beta1", "targetgroupbindings", "Namespaced"),
    "/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding": ("Mutating", "elbv2.k8s.aws", "v1beta1", "targetgroupbindings", "Namespaced"),
    # IngressClassParams are cluster-scoped (the LBC's CRD: scope Cluster).
    "/validate-elbv2-k8s-aws-v1beta1-ingressclassparams": ("Validating", "elbv2.k8s.aws", "v1beta1", "ingressclassparams", "Cluster"),
}
# PRODUCT.md "Cluster view (v2)": what the server lists and watches, in all namespaces. The
# ClusterRole grants exactly these verbs on exactly these resources.
CLUSTER_VIEW_RESOURCES = {
    ("networking.k8s.io", "ingressclasses"), ("networking.k8s.io", "ingresses"),
    ("elbv2.k8s.aws", "ingressclassparams"), ("elbv2.k8s.aws", "targetgroupbindings"),
    ("", "services"), ("", "namespaces"),
}
CLUSTER_VIEW_VERBS = {"get", "list", "watch"}
# Egress the NetworkPolicy may allow with the view on: the API server (443, or 6443 behind the
# kubernetes Service's DNAT).
API_SERVER_PORTS = {443, 6443}
CLUSTER_SCOPED = {"Namespace", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
                  "ClusterRole", "ClusterRoleBinding"}
# PRODUCT.md "Command line": serve flag defaults the manifests must agree with.
FLAG_DEFAULTS = {
    "--listen": "0.0.0.0:9443",
    "--metrics-listen": "0.0.0.0:8080",
    "--cert-dir": "/tmp/k8s-webhook-server/serving-certs",
    "--shutdown-grace": "15s",
}
METRICS = {
    "alb_webhook_requests_total", "alb_webhook_request_duration_seconds_bucket",
    "alb_webhook_request_duration_seconds_sum", "alb_webhook_request_duration_seconds_count",
    "alb_webhook_requests_in_flight", "alb_webhook_validation_failures_total",
    "alb_webhook_tls_handshake_failures_total", "alb_webhook_certificate_expiry_timestamp_seconds",
    "alb_webhook_certificate_reloads_total", "alb_webhook_policy_reloads_total",
    "alb_webhook_policy_last_reload_success_timestamp_seconds", "alb_webhook_build_info",
    "alb_webhook_panics_total",
}
POLICY_TOP_KEYS = {"ingress", "targetGroupBinding"}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return bool(cond)


def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def find(docs, kind, name=None):
    return [d for d in docs if d.get("kind") == kind and (name is None or d["metadata"]["name"] == name)]


def one(docs, kind, name=None, where=""):
    found = find(docs, kind, name)
    check(len(found) == 1, f"{where}: expected exactly one {kind}{' ' + name if name else ''}, found {len(found)}")
    return found[0] if found else None


def parse_duration(s):
    m = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", s)
    if not m or not s:
        return None
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


def labels_match(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def check_common(docs, where, policy_text, cluster_view=True, namespace=None, defaults=True,
                 paths=None, policy_exact=True):
    """Properties every installable rendering (base and both overlays) must have.

    cluster_view: whether the rendering runs the cluster view (RBAC, token, egress) or not.
    namespace:    None = the rendering carries its Namespace object (kustomize); else the namespace
                  every object must be in (a Helm release's, which Helm does not create).
    defaults:     also require the shipped defaults (replicas, HPA range, failure policies); off
                  for renderings with other values (the chart's ci/ value sets).
    paths:        the webhook paths the rendering must register (default: all of WEBHOOK_PATHS).
    policy_exact: the policy ConfigMap must be byte-equal to policy_text (else: equal as YAML).
    """
    paths = set(WEBHOOK_PATHS) if paths is None else set(paths)
    if namespace is None:
        ns = one(docs, "Namespace", "alb-webhook", where)
        namespace = ns["metadata"]["name"] if ns else "alb-webhook"
    else:
        check(not find(docs, "Namespace"), f"{where}: renders a Namespace (the release namespace is created outside)")
    for d in docs:
        if d["kind"] not in CLUSTER_SCOPED:
            check(d["metadata"].get("namespace") == namespace,
                  f"{where}: {d['kind']} {d['metadata']['name']} is not in namespace {namespace}")

    dep = one(docs, "Deployment", "alb-webhook", where)
    if not dep:
        return
    spec = dep["spec"]
    pod = spec["template"]["spec"]
    pod_labels = spec["template"]["metadata"]["labels"]
    if defaults:
        # 2, or no field at all when an HPA owns the count (the chart: `helm upgrade` must not reset it).
        check(spec.get("replicas") == 2 or ("replicas" not in spec and find(docs, "HorizontalPodAutoscaler")),
              f"{where}: Deployment replicas is {spec.get('replicas')}, want 2 (or none, with an HPA)")
    check(labels_match(spec["selector"]["matchLabels"], pod_labels), f"{where}: Deployment selector does not match its pods")
    check(spec.get("strategy", {}).get("rollingUpdate", {}).get("maxUnavailable") == 0,
          f"{where}: rollingUpdate.maxUnavailable should be 0")

    # Hardening (pod level and container level).
    psc = pod.get("securityContext", {})
    check(psc.get("runAsNonRoot") is True, f"{where}: pod securityContext.runAsNonRoot is not true")
    check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{where}: pod seccompProfile is not RuntimeDefault")
    tops = {t["topologyKey"] for t in pod.get("topologySpreadConstraints", [])}
    check({"kubernetes.io/hostname", "topology.kubernetes.io/zone"} <= tops,
          f"{where}: topologySpreadConstraints must spread over nodes and zones, have {sorted(tops)}")
    containers = pod.get("containers", [])
    check(len(containers) == 1, f"{where}: expected one container, found {len(containers)}")
    if not containers:
        return
    c = containers[0]
    csc = c.get("securityContext", {})
    check(csc.get("readOnlyRootFilesystem") is True, f"{where}: readOnlyRootFilesystem is not true")
    check(csc.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation is not false")
    check("ALL" in csc.get("capabilities", {}).get("drop", []), f"{where}: capabilities.drop does not contain ALL")
    check(csc.get("privileged") in (None, False), f"{where}: container is privileged")
    uid = csc.get("runAsUser", psc.get("runAsUser"))
    check(uid == 65532, f"{where}: runAsUser is {uid}, want 65532 (the image's user)")
    res = c.get("resources", {})
    for k in ("cpu", "memory"):
        check(k in res.get("requests", {}), f"{where}: no {k} request (the HPA needs cpu requests)")
    check("memory" in res.get("limits", {}), f"{where}: no memory limit")

    # Flags: present, equal to the documented defaults, consistent with ports and mounts.
    args = c.get("args", [])
    check(args[:1] == ["serve"], f"{where}: container args must start with 'serve', got {args[:1]}")
    flags = {}
    for a in args[1:]:
        k, _, v = a.partition("=")
        flags[k] = v
    for k, v in FLAG_DEFAULTS.items():
        check(flags.get(k) == v, f"{where}: {k}={flags.get(k)!r}, want the server default {v!r}")
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    listen_port = int(flags.get("--listen", ":0").rsplit(":", 1)[1])
    metrics_port = int(flags.get("--metrics-listen", ":0").rsplit(":", 1)[1])
    check(ports.get("webhook") == listen_port, f"{where}: containerPort 'webhook' {ports.get('webhook')} != --listen port {listen_port}")
    check(ports.get("metrics") == metrics_port, f"{where}: containerPort 'metrics' {ports.get('metrics')} != --metrics-listen port {metrics_port}")

    def probe_port(probe):
        p = probe.get("httpGet", {}).get("port")
        return ports.get(p, p)

    rp, lp = c.get("readinessProbe", {}), c.get("livenessProbe", {})
    check(rp.get("httpGet", {}).get("path") == "/readyz", f"{where}: readinessProbe path is not /readyz")
    check(lp.get("httpGet", {}).get("path") == "/healthz", f"{where}: livenessProbe path is not /healthz")
    check(probe_port(rp) == metrics_port, f"{where}: readinessProbe is not on the metrics port {metrics_port}")
    check(probe_port(lp) == metrics_port, f"{where}: livenessProbe is not on the metrics port {metrics_port}")
    check(rp.get("httpGet", {}).get("scheme", "HTTP") == "HTTP", f"{where}: probes must be plain HTTP")

    # Graceful shutdown: preStop pause + drain < terminationGracePeriodSeconds.
    pre = c.get("lifecycle", {}).get("preStop", {})
    pre_s = pre.get("sleep", {}).get("seconds")
    check(pre_s is not None and pre_s > 0, f"{where}: no preStop sleep")
    grace = parse_duration(flags.get("--shutdown-grace", ""))
    tgp = pod.get("terminationGracePeriodSeconds", 30)
    if grace is not None and pre_s:
        check(tgp > grace + pre_s, f"{where}: terminationGracePeriodSeconds {tgp} must exceed preStop {pre_s}s + --shutdown-grace {grace}s")

    # Volumes: TLS Secret at --cert-dir, policy ConfigMap at --config.
    mounts = {m["name"]: m for m in c.get("volumeMounts", [])}
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    cert_mount = [m for m in mounts.values() if m["mountPath"] == flags.get("--cert-dir")]
    secret_name = None
    if check(cert_mount, f"{where}: nothing is mounted at --cert-dir"):
        v = vols.get(cert_mount[0]["name"], {})
        secret_name = v.get("secret", {}).get("secretName")
        check(secret_name, f"{where}: --cert-dir is not a Secret volume")
    config = flags.get("--config", "")
    check(config, f"{where}: --config is not set")
    cfg_dir, cfg_file = os.path.split(config)
    cfg_mount = [m for m in mounts.values() if m["mountPath"] == cfg_dir]
    if check(cfg_mount, f"{where}: nothing is mounted at {cfg_dir} (--config {config})"):
        check("subPath" not in cfg_mount[0], f"{where}: the policy mount uses subPath, which never sees updates")
        cm_name = vols.get(cfg_mount[0]["name"], {}).get("configMap", {}).get("name")
        cm = one(docs, "ConfigMap", cm_name, where) if cm_name else None
        if check(cm and cfg_file in cm.get("data", {}), f"{where}: ConfigMap {cm_name} has no key {cfg_file}"):
            text = cm["data"][cfg_file]
            if policy_exact:
                check(text == policy_text, f"{where}: ConfigMap {cm_name}/{cfg_file} differs from deploy/base/policy.yaml")
            pol = yaml.safe_load(text)
            if not policy_exact:
                check(pol == yaml.safe_load(policy_text), f"{where}: ConfigMap {cm_name}/{cfg_file} is not the expected policy")
            check(isinstance(pol, dict) and set(pol) <= POLICY_TOP_KEYS,
                  f"{where}: policy top-level keys {sorted(pol) if isinstance(pol, dict) else pol} not within {sorted(POLICY_TOP_KEYS)}")

    # Services.
    svc = one(docs, "Service", "alb-webhook", where)
    if svc:
        check(labels_match(svc["spec"]["selector"], pod_labels), f"{where}: Service alb-webhook does not select the pods")
        sp = svc["spec"]["ports"]
        check(len(sp) == 1 and sp[0]["port"] == 443, f"{where}: Service alb-webhook must expose port 443")
        if sp:
            tp = sp[0].get("targetPort")
            check(ports.get(tp, tp) == listen_port, f"{where}: Service 443 targets {tp}, not the webhook port {listen_port}")
    msvc = one(docs, "Service", "alb-webhook-metrics", where)
    if msvc:
        check(labels_match(msvc["spec"]["selector"], pod_labels), f"{where}: metrics Service does not select the pods")
        tp = msvc["spec"]["ports"][0].get("targetPort")
        check(ports.get(tp, tp) == metrics_port, f"{where}: metrics Service targets {tp}, not {metrics_port}")

    # PDB, HPA.
    pdb = one(docs, "PodDisruptionBudget", "alb-webhook", where)
    if pdb:
        if defaults:
            check(pdb["spec"].get("minAvailable") == 1, f"{where}: PDB minAvailable is {pdb['spec'].get('minAvailable')}, want 1")
        check(labels_match(pdb["spec"]["selector"]["matchLabels"], pod_labels), f"{where}: PDB does not select the pods")
    # (A rendering with other values may leave the HPA out: a fixed replica count.)
    hpa = one(docs, "HorizontalPodAutoscaler", "alb-webhook", where) if defaults else \
        next(iter(find(docs, "HorizontalPodAutoscaler", "alb-webhook")), None)
    if hpa:
        hs = hpa["spec"]
        if defaults:
            check((hs.get("minReplicas"), hs.get("maxReplicas")) == (2, 10),
                  f"{where}: HPA range is {hs.get('minReplicas')}-{hs.get('maxReplicas')}, want 2-10")
        check(hs["scaleTargetRef"].get("kind") == "Deployment" and hs["scaleTargetRef"].get("name") == "alb-webhook",
              f"{where}: HPA does not target Deployment alb-webhook")
        check(any(m.get("resource", {}).get("name") == "cpu" for m in hs.get("metrics", [])), f"{where}: HPA does not scale on cpu")

    # NetworkPolicy: selects the pods; admits only the webhook and metrics ports; egress only to
    # the API server's ports with the cluster view, none at all without it.
    netpol = one(docs, "NetworkPolicy", "alb-webhook", where)
    if netpol:
        ns_spec = netpol["spec"]
        check(labels_match(ns_spec.get("podSelector", {}).get("matchLabels", {}), pod_labels)
              and ns_spec.get("podSelector", {}).get("matchLabels"),
              f"{where}: NetworkPolicy does not select the pods")
        check(sorted(ns_spec.get("policyTypes", [])) == ["Egress", "Ingress"],
              f"{where}: NetworkPolicy policyTypes {ns_spec.get('policyTypes')}, want Ingress and Egress")
        check_egress(ns_spec.get("egress", []), where, cluster_view)
        allowed = set()
        for rule in ns_spec.get("ingress", []):
            for p in rule.get("ports", []):
                check(p.get("protocol", "TCP") == "TCP", f"{where}: NetworkPolicy admits protocol {p.get('protocol')}")
                allowed.add(ports.get(p.get("port"), p.get("port")))
        check(allowed == {listen_port, metrics_port},
              f"{where}: NetworkPolicy admits ports {sorted(map(str, allowed))}, want exactly {listen_port} and {metrics_port}")

    # Webhook configurations.
    seen = {}
    for kind in ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"):
        cfg = one(docs, kind, None, where)
        if not cfg:
            continue
        names = set()
        for w in cfg.get("webhooks", []):
            name = w.get("name", "")
            check(name not in names, f"{where}: duplicate webhook name {name}")
            names.add(name)
            check(name.count(".") >= 2, f"{where}: webhook name {name!r} is not fully qualified")
            ref = w.get("clientConfig", {}).get("service", {})
            path = ref.get("path")
            seen[path] = (kind, w)
            ctx = f"{where}: {kind} {name} ({path})"
            if not check(path in WEBHOOK_PATHS, f"{ctx}: unknown path"):
                continue
            want_kind, group, version, resource, scope = WEBHOOK_PATHS[path]
            check(kind.startswith(want_kind), f"{ctx}: path belongs in a {want_kind}WebhookConfiguration")
            check(svc is not None and ref.get("name") == svc["metadata"]["name"] and ref.get("namespace") == namespace,
                  f"{ctx}: clientConfig.service is {ref.get('namespace')}/{ref.get('name')}, not {namespace}/alb-webhook")
            check(ref.get("port", 443) == 443, f"{ctx}: service port {ref.get('port')} is not 443")
            check("url" not in w.get("clientConfig", {}), f"{ctx}: clientConfig.url must not be set")
            rules = w.get("rules", [])
            check(len(rules) == 1 and rules[0].get("apiGroups") == [group] and rules[0].get("apiVersions") == [version]
                  and rules[0].get("resources") == [resource]
                  and sorted(rules[0].get("operations", [])) == ["CREATE", "UPDATE"],
                  f"{ctx}: rules must be {group}/{version}/{resource} CREATE+UPDATE, got {rules}")
            check(all(r.get("scope", "*") == scope for r in rules), f"{ctx}: rules scope must be {scope}, got {rules}")
            want_fp = "Fail" if want_kind == "Validating" else "Ignore"
            if defaults:
                check(w.get("failurePolicy") == want_fp, f"{ctx}: failurePolicy {w.get('failurePolicy')}, want {want_fp}")
            else:
                check(w.get("failurePolicy") in ("Fail", "Ignore"), f"{ctx}: failurePolicy {w.get('failurePolicy')}")
            check(w.get("sideEffects") == "None", f"{ctx}: sideEffects {w.get('sideEffects')}, want None")
            check(w.get("matchPolicy") == "Equivalent", f"{ctx}: matchPolicy {w.get('matchPolicy')}, want Equivalent")
            t = w.get("timeoutSeconds")
            check(isinstance(t, int) and 1 <= t < 10, f"{ctx}: timeoutSeconds {t} must be set and below 10")
            check(w.get("admissionReviewVersions") == ["v1", "v1beta1"],
                  f"{ctx}: admissionReviewVersions {w.get('admissionReviewVersions')}, want [v1, v1beta1]")
            excluded = set()
            for e in w.get("namespaceSelector", {}).get("matchExpressions", []):
                if e.get("key") == "kubernetes.io/metadata.name" and e.get("operator") == "NotIn":
                    excluded |= set(e.get("values", []))
            if scope == "Namespaced":
                check({"kube-system", namespace} <= excluded,
                      f"{ctx}: namespaceSelector must leave out kube-system and {namespace}, excludes {sorted(excluded)}")
    check(set(seen) == paths, f"{where}: webhook paths {sorted(seen)} != {sorted(paths)}")

    check_cluster_view(docs, where, namespace, pod, c, cluster_view)
    return {"deployment": dep, "container": c, "service_doc": svc, "metrics_service": msvc,
            "secret_name": secret_name, "namespace": namespace, "service": svc["metadata"]["name"] if svc else None,
            "webhooks": [w for _, w in seen.values()],
            "configs": [d for d in docs if d["kind"].endswith("WebhookConfiguration")]}


def check_egress(egress, where, cluster_view):
    """With the view: every egress rule names ports, all of them TCP 443/6443 (a rule without
    ports would open every port); without it: no egress at all."""
    if not cluster_view:
        check(egress == [], f"{where}: NetworkPolicy allows egress {egress} without the cluster view")
        return
    allowed = set()
    for rule in egress:
        rports = rule.get("ports", [])
        check(rports, f"{where}: NetworkPolicy egress rule {rule} allows every port")
        for p in rports:
            check(p.get("protocol", "TCP") == "TCP", f"{where}: NetworkPolicy egress protocol {p.get('protocol')}")
            check("endPort" not in p, f"{where}: NetworkPolicy egress uses a port range {p}")
            allowed.add(p.get("port"))
    check(allowed == API_SERVER_PORTS,
          f"{where}: NetworkPolicy egress ports {sorted(map(str, allowed))}, want exactly {sorted(API_SERVER_PORTS)} (the API server)")


def check_cluster_view(docs, where, namespace, pod, container, cluster_view):
    """RBAC scope, service-account token and --cluster-view, with the view on or off."""
    args = container.get("args", [])
    off = "--cluster-view=off" in args or any(a == "--cluster-view" and nxt == "off" for a, nxt in zip(args, args[1:]))
    check(not find(docs, "Role") and not find(docs, "RoleBinding"), f"{where}: namespaced Role/RoleBinding rendered")
    sa_name = pod.get("serviceAccountName", "default")
    sa = one(docs, "ServiceAccount", sa_name, where)
    if not cluster_view:
        check(off, f"{where}: without the cluster view the server must get --cluster-view=off, args {args}")
        check(pod.get("automountServiceAccountToken") is False, f"{where}: the pod should not mount a service account token")
        check(not find(docs, "ClusterRole") and not find(docs, "ClusterRoleBinding"),
              f"{where}: ClusterRole/ClusterRoleBinding rendered without the cluster view")
        return
    check(not off, f"{where}: the cluster view is meant to be on but args contain --cluster-view off")
    mount = pod.get("automountServiceAccountToken")
    if mount is None and sa:
        mount = sa.get("automountServiceAccountToken", True)
    check(mount is True, f"{where}: the pod does not mount its service-account token; the cluster view needs it")
    roles = find(docs, "ClusterRole")
    if not check(len(roles) == 1, f"{where}: expected exactly one ClusterRole, found {len(roles)}"):
        return
    role = roles[0]
    granted = set()
    for r in role.get("rules", []):
        check(not r.get("resourceNames") and not r.get("nonResourceURLs"),
              f"{where}: ClusterRole rule {r} uses resourceNames/nonResourceURLs")
        for g in r.get("apiGroups", []):
            for res in r.get("resources", []):
                for v in r.get("verbs", []):
                    granted.add((g, res, v))
    want = {(g, res, v) for g, res in CLUSTER_VIEW_RESOURCES for v in CLUSTER_VIEW_VERBS}
    check(granted == want, f"{where}: ClusterRole grants {sorted(granted - want)} beyond, and lacks {sorted(want - granted)}, "
          "of get/list/watch on the six watched resources")
    check(not any(res in ("secrets", "*") or "/" in res for _, res, _ in granted),
          f"{where}: ClusterRole touches secrets, subresources or wildcards")
    check(not any(v not in CLUSTER_VIEW_VERBS for _, _, v in granted), f"{where}: ClusterRole grants a write verb")
    bindings = find(docs, "ClusterRoleBinding")
    if check(len(bindings) == 1, f"{where}: expected exactly one ClusterRoleBinding, found {len(bindings)}"):
        b = bindings[0]
        check(b["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role["metadata"]["name"]},
              f"{where}: ClusterRoleBinding roleRef {b['roleRef']} is not ClusterRole {role['metadata']['name']}")
        check(b.get("subjects") == [{"kind": "ServiceAccount", "name": sa_name, "namespace": namespace}],
              f"{where}: ClusterRoleBinding subjects {b.get('subjects')}, want only ServiceAccount {namespace}/{sa_name}")


def four_sans(service, namespace):
    return [f"{service}", f"{service}.{namespace}", f"{service}.{namespace}.svc", f"{service}.{namespace}.svc.cluster.local"]


def check_cert_manager(docs, info):
    where = "overlays/cert-manager"
    certs = {d["metadata"]["name"]: d for d in find(docs, "Certificate")}
    serving = [c for c in certs.values() if c["spec"].get("secretName") == info["secret_name"]]
    if not check(len(serving) == 1, f"{where}: no Certificate writes Secret {info['secret_name']} (mounted at --cert-dir)"):
        return
    cert = serving[0]
    check(sorted(cert["spec"].get("dnsNames", [])) == sorted(four_sans(info["service"], info["namespace"])),
          f"{where}: Certificate dnsNames {cert['spec'].get('dnsNames')} != the four Service names")
    issuers = {(d["kind"], d["metadata"]["name"]) for d in docs if d["kind"] in ("Issuer", "ClusterIssuer")}
    for c in certs.values():
        ref = c["spec"]["issuerRef"]
        check((ref.get("kind", "Issuer"), ref["name"]) in issuers, f"{where}: Certificate {c['metadata']['name']} uses a missing issuer {ref}")
    want = f"{cert['metadata']['namespace']}/{cert['metadata']['name']}"
    for cfg in info["configs"]:
        ann = cfg["metadata"].get("annotations", {})
        check(ann.get("cert-manager.io/inject-ca-from") == want,
              f"{where}: {cfg['kind']} inject-ca-from is {ann.get('cert-manager.io/inject-ca-from')!r}, want {want!r}")
        for w in cfg["webhooks"]:
            check("caBundle" not in w.get("clientConfig", {}),
                  f"{where}: {w['name']} sets caBundle; re-applying would overwrite the injected CA")


def check_static_certs(docs, info, cert_sans):
    where = "overlays/static-certs"
    sec = one(docs, "Secret", info["secret_name"], where)
    if not sec:
        return
    check(sec.get("type") == "kubernetes.io/tls", f"{where}: Secret type {sec.get('type')}, want kubernetes.io/tls")
    data = sec.get("data", {})
    check({"tls.crt", "tls.key", "ca.crt"} <= set(data), f"{where}: Secret keys {sorted(data)} lack tls.crt/tls.key/ca.crt")
    ca = base64.b64decode(data.get("ca.crt", ""))
    check(ca.startswith(b"-----BEGIN CERTIFICATE-----"), f"{where}: Secret ca.crt is not a PEM certificate")
    for w in info["webhooks"]:
        bundle = w.get("clientConfig", {}).get("caBundle")
        if check(bundle, f"{where}: {w['name']} has no caBundle"):
            check(base64.b64decode(bundle) == ca, f"{where}: {w['name']} caBundle differs from the Secret's ca.crt")
    want = sorted(four_sans(info["service"], info["namespace"]))
    got = sorted(s.strip()[len("DNS:"):] for s in cert_sans.split(",") if s.strip().startswith("DNS:"))
    check(got == want, f"{where}: certificate SANs {got} != the webhook Service names {want}")


def exprs_metrics(expr):
    names = set(re.findall(r"\b(alb_webhook_[a-z_]+)", expr))
    return names - METRICS


def check_monitoring(docs):
    where = "components/monitoring"
    sm = one(docs, "ServiceMonitor", None, where)
    msvc = one(docs, "Service", "alb-webhook-metrics", where)
    if sm and msvc:
        check(labels_match(sm["spec"]["selector"]["matchLabels"], msvc["metadata"].get("labels", {})),
              f"{where}: ServiceMonitor selector does not match Service alb-webhook-metrics")
        svc_ports = {p["name"] for p in msvc["spec"]["ports"]}
        for ep in sm["spec"]["endpoints"]:
            check(ep.get("port") in svc_ports, f"{where}: ServiceMonitor endpoint port {ep.get('port')} not in the Service")
            check(ep.get("path", "/metrics") == "/metrics", f"{where}: ServiceMonitor path is not /metrics")
        check(sm["metadata"].get("namespace") == msvc["metadata"]["namespace"], f"{where}: ServiceMonitor namespace differs")
        check(any(p["name"] == "metrics" for p in msvc["spec"]["ports"]), f"{where}: metrics Service has no 'metrics' port")
    pr = one(docs, "PrometheusRule", None, where)
    if pr:
        alerts = {r["alert"]: r for g in pr["spec"]["groups"] for r in g["rules"] if "alert" in r}
        for a in ("AlbWebhookDown", "AlbWebhookHighLatency", "AlbWebhookCertificateExpiringSoon",
                  "AlbWebhookPolicyReloadFailing", "AlbWebhookDenialsSpiking"):
            check(a in alerts, f"{where}: PrometheusRule lacks alert {a}")
        for name, r in alerts.items():
            bad = exprs_metrics(r["expr"])
            check(not bad, f"{where}: alert {name} uses unknown metrics {sorted(bad)}")
            check(r.get("labels", {}).get("severity"), f"{where}: alert {name} has no severity")
            check(r.get("annotations", {}).get("summary"), f"{where}: alert {name} has no summary")
        if "AlbWebhookCertificateExpiringSoon" in alerts:
            check("7 * 24 * 3600" in alerts["AlbWebhookCertificateExpiringSoon"]["expr"],
                  f"{where}: the certificate alert should fire 7 days before expiry")
    dash_cms = [d for d in find(docs, "ConfigMap") if d["metadata"].get("labels", {}).get("grafana_dashboard")]
    if check(len(dash_cms) == 1, f"{where}: expected one ConfigMap labelled grafana_dashboard, found {len(dash_cms)}"):
        for key, text in dash_cms[0]["data"].items():
            try:
                dash = json.loads(text)
            except ValueError as e:
                check(False, f"{where}: dashboard {key} is not valid JSON: {e}")
                continue
            exprs = [t["expr"] for p in dash.get("panels", []) for t in p.get("targets", [])]
            check(exprs, f"{where}: dashboard {key} has no queries")
            joined = "\n".join(exprs)
            for m in ("alb_webhook_requests_total", "alb_webhook_request_duration_seconds_bucket",
                      "alb_webhook_validation_failures_total", "alb_webhook_certificate_expiry_timestamp_seconds"):
                check(m in joined, f"{where}: dashboard {key} does not show {m}")
            check("histogram_quantile(0.99" in joined, f"{where}: dashboard {key} has no p99 latency")
            for e in exprs:
                bad = exprs_metrics(e)
                check(not bad, f"{where}: dashboard query uses unknown metrics {sorted(bad)}: {e}")


def check_sources(source_dir, paths):
    """The manifests' webhook paths are the server's own routes (string literals in the code)."""
    text = []
    for sub in ("server", "include"):
        for root, _, files in os.walk(os.path.join(source_dir, sub)):
            for f in files:
                if f.endswith((".cpp", ".hpp", ".h", ".cc")):
                    with open(os.path.join(root, f), errors="replace") as fh:
                        text.append(fh.read())
    code = "\n".join(text)
    for p in sorted(paths):
        check(f'"{p}"' in code, f"sources: webhook path {p} is not a string literal in server/ or include/ (route renamed?)")


def main():
    ap = argparse.ArgumentParser()
    for a in ("--base", "--cert-manager", "--static-certs", "--monitoring", "--cluster-view-off", "--policy", "--cert-sans"):
        ap.add_argument(a, required=True)
    ap.add_argument("--source-dir")
    args = ap.parse_args()
    with open(args.policy) as f:
        policy_text = f.read()

    base = load(args.base)
    check_common(base, "base", policy_text)
    cm_docs = load(args.cert_manager)
    info = check_common(cm_docs, "overlays/cert-manager", policy_text)
    if info:
        check_cert_manager(cm_docs, info)
    sc_docs = load(args.static_certs)
    info = check_common(sc_docs, "overlays/static-certs", policy_text)
    if info:
        check_static_certs(sc_docs, info, args.cert_sans)
    mon = load(args.monitoring)
    check_common(mon, "cert-manager+monitoring", policy_text)
    check_monitoring(mon)
    off = load(args.cluster_view_off)
    info = check_common(off, "cert-manager+cluster-view-off", policy_text, cluster_view=False)
    if info:
        check_cert_manager(off, info)
    if args.source_dir:
        check_sources(args.source_dir, WEBHOOK_PATHS)

    for f in failures:
        print(f"FAIL: {f}")
    if failures:
        print(f"check_manifests.py: {len(failures)} check(s) failed")
        return 1
    print("check_manifests.py: all manifest checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
