#!/usr/bin/env bash
# check_manifests.sh — render every deploy/ kustomization offline and check it.
#
#   tests/deploy/check_manifests.sh [--repo DIR] [--binary PATH] [--no-source-check]
#
#   --repo DIR          repository root (default: two levels above this script)
#   --binary PATH       an alb-webhook binary: also check that its `serve --help` lists the flag
#                       defaults the Deployment uses, and start it with the rendered policy and a
#                       gen-certs.sh certificate: /readyz must answer 200 and a TLS handshake with
#                       SNI alb-webhook.alb-webhook.svc must verify against the CA
#   --no-source-check   do not require the webhook paths as string literals in server/ and include/
#
# Checks (see check_manifests.py for the manifest assertions):
#   - certs/gen-certs.sh: the serving certificate has the four DNS SANs of the Service, ECDSA
#     P-256 + SHA-256, verifies against ca.crt (openssl verify), private keys are mode 0600, a second
#     run changes nothing, --dev gives localhost/127.0.0.1/::1;
#   - a real TLS handshake (openssl s_server/s_client) with SNI alb-webhook.alb-webhook.svc verifies
#     the chain and the host name; a wrong name fails;
#   - kubectl kustomize renders deploy/base, both overlays, and cert-manager + the monitoring
#     component; the rendered objects have the properties issue 5 asks for;
#   - if promtool is installed: promtool check rules on the PrometheusRule and the dashboard queries,
#     and promtool test rules with tests/deploy/alerts_test.yaml (the alerts fire when they should).
# Works on a copy of deploy/ in a temporary directory; the source tree is never written.
# Exit status: 0 all checks passed, 1 a check failed, 77 a required tool is missing (skip).
set -euo pipefail

PROG=check_manifests.sh
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BINARY="" SOURCE_CHECK=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --repo) REPO=$(cd "$2" && pwd); shift 2 ;;
    --binary) BINARY=$(realpath "$2"); shift 2 ;;
    --no-source-check) SOURCE_CHECK=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "$PROG: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

fail() { echo "$PROG: FAIL: $*" >&2; exit 1; }
ok() { echo "$PROG: ok: $*"; }
skip() { echo "$PROG: SKIP: $*" >&2; exit 77; }

command -v kubectl >/dev/null || skip "kubectl not found (needed for 'kubectl kustomize')"
command -v openssl >/dev/null || skip "openssl not found"
command -v python3 >/dev/null || skip "python3 not found"
python3 -c 'import yaml' 2>/dev/null || skip "python3 PyYAML not found (Debian package python3-yaml)"
# labels/replacements/components need kustomize v5 (kubectl >= 1.27); Debian 12's kubernetes-client is 1.20.
kver=$(kubectl version --client -o json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("kustomizeVersion",""))' || true)
[[ $kver =~ ^v([0-9]+) ]] && (( BASH_REMATCH[1] >= 5 )) ||
  skip "kubectl's built-in kustomize is '${kver:-unknown}'; v5 or newer (kubectl >= 1.27) is needed"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-manifests.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

SVC=alb-webhook NS=alb-webhook
SNI=$SVC.$NS.svc
cp -r "$REPO/deploy" "$TMP/deploy"
rm -rf "$TMP/deploy/overlays/static-certs/certs"   # never use certificates lying in the tree
CERTS=$TMP/deploy/overlays/static-certs/certs
GEN=$REPO/certs/gen-certs.sh

# ---- certs/gen-certs.sh ------------------------------------------------------------------------------
[[ -x $GEN ]] || fail "$GEN is missing or not executable"
"$GEN" --help | grep -q -- '--service' || fail "gen-certs.sh --help does not document --service"
if "$GEN" --out "$TMP/x" >/dev/null 2>&1; then fail "gen-certs.sh accepted --out without --service/--dev"; fi
"$GEN" -q --service "$SVC" --namespace "$NS" --out "$CERTS" || fail "gen-certs.sh failed"
for f in ca.crt ca.key tls.crt tls.key ca-bundle.crt ca-bundle.b64; do
  [[ -s $CERTS/$f ]] || fail "gen-certs.sh did not write $f"
done
for f in ca.key tls.key; do
  [[ $(stat -c %a "$CERTS/$f") == 600 ]] || fail "$f has mode $(stat -c %a "$CERTS/$f"), want 600"
done
openssl verify -CAfile "$CERTS/ca.crt" "$CERTS/tls.crt" >/dev/null || fail "openssl verify: tls.crt does not verify against ca.crt"
openssl verify -CAfile "$CERTS/ca.crt" -purpose sslserver "$CERTS/tls.crt" >/dev/null ||
  fail "tls.crt is not valid for TLS server use"
SANS=$(openssl x509 -in "$CERTS/tls.crt" -noout -ext subjectAltName | sed -n '2,$p' | sed 's/^ *//' | tr -d '\n')
want="DNS:$SVC, DNS:$SVC.$NS, DNS:$SVC.$NS.svc, DNS:$SVC.$NS.svc.cluster.local"
[[ $SANS == "$want" ]] || fail "tls.crt SANs are '$SANS', want '$want'"
text=$(openssl x509 -in "$CERTS/tls.crt" -noout -text)
grep -q 'Signature Algorithm: ecdsa-with-SHA256' <<<"$text" || fail "tls.crt is not signed with ECDSA/SHA-256"
grep -q 'NIST CURVE: P-256' <<<"$text" || fail "tls.crt key is not P-256"
grep -q 'TLS Web Server Authentication' <<<"$text" || fail "tls.crt lacks extendedKeyUsage serverAuth"
[[ "$(openssl x509 -in "$CERTS/tls.crt" -noout -pubkey)" == "$(openssl pkey -in "$CERTS/tls.key" -pubout)" ]] ||
  fail "tls.key does not match tls.crt"
[[ "$(openssl base64 -d -A -in "$CERTS/ca-bundle.b64")" == "$(cat "$CERTS/ca.crt")" ]] || fail "ca-bundle.b64 is not ca.crt"
sum1=$(cat "$CERTS"/*.crt "$CERTS"/*.key | sha256sum)
"$GEN" -q --service "$SVC" --namespace "$NS" --out "$CERTS" || fail "gen-certs.sh second run failed"
[[ $sum1 == "$(cat "$CERTS"/*.crt "$CERTS"/*.key | sha256sum)" ]] || fail "a second gen-certs.sh run changed the certificates"
"$GEN" -q --dev --out "$TMP/dev" || fail "gen-certs.sh --dev failed"
dev_sans=$(openssl x509 -in "$TMP/dev/tls.crt" -noout -ext subjectAltName | sed -n '2,$p' | sed 's/^ *//' | tr -d '\n')
[[ $dev_sans == "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1" ]] || fail "--dev SANs are '$dev_sans'"
openssl verify -CAfile "$TMP/dev/ca.crt" "$TMP/dev/tls.crt" >/dev/null || fail "--dev certificate does not verify"
ok "gen-certs.sh: SANs [$SANS], ECDSA P-256/SHA-256, verifies against ca.crt, idempotent, --dev"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# handshake PORT CAFILE NAME: a TLS 1.2+ handshake with SNI NAME that verifies the chain and NAME.
handshake() {
  openssl s_client -connect "127.0.0.1:$1" -servername "$3" -verify_hostname "$3" -CAfile "$2" \
    -verify_return_error -alpn http/1.1 </dev/null >"$TMP/s_client.out" 2>&1
}
wait_for_port() {  # PORT PID
  for _ in $(seq 1 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# ---- real TLS handshake with the apiserver's SNI ---------------------------------------------------------
port=$(free_port)
openssl s_server -accept "127.0.0.1:$port" -cert "$CERTS/tls.crt" -key "$CERTS/tls.key" -alpn http/1.1 -quiet \
  >"$TMP/s_server.out" 2>&1 &
PIDS+=($!)
wait_for_port "$port" "${PIDS[-1]}" || fail "openssl s_server did not start: $(cat "$TMP/s_server.out")"
handshake "$port" "$CERTS/ca.crt" "$SNI" || fail "TLS handshake with SNI $SNI failed: $(cat "$TMP/s_client.out")"
grep -q 'Verify return code: 0 (ok)' "$TMP/s_client.out" || fail "TLS handshake did not verify: $(cat "$TMP/s_client.out")"
if handshake "$port" "$CERTS/ca.crt" "wrong.$NS.svc"; then fail "TLS handshake verified a wrong host name"; fi
grep -q 'hostname mismatch' "$TMP/s_client.out" || fail "wrong-name handshake failed for another reason: $(cat "$TMP/s_client.out")"
ok "TLS handshake with SNI $SNI verifies against ca.crt (and a wrong name does not)"

# ---- render -------------------------------------------------------------------------------------------
render() {  # DIR OUTFILE
  kubectl kustomize "$1" >"$2" 2>"$TMP/kustomize.err" || fail "kubectl kustomize $1 failed: $(cat "$TMP/kustomize.err")"
}
render "$TMP/deploy/base" "$TMP/base.yaml"
render "$TMP/deploy/overlays/cert-manager" "$TMP/cert-manager.yaml"
render "$TMP/deploy/overlays/static-certs" "$TMP/static-certs.yaml"
render "$TMP/deploy/components/monitoring" "$TMP/component.yaml"
render_with_component() {  # NAME COMPONENT OUTFILE: the cert-manager overlay plus one component
  mkdir -p "$TMP/$1"
  cat >"$TMP/$1/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../deploy/overlays/cert-manager
components:
  - ../deploy/components/$2
EOF
  render "$TMP/$1" "$3"
}
render_with_component with-monitoring monitoring "$TMP/monitoring.yaml"
render_with_component view-off cluster-view-off "$TMP/view-off.yaml"
ok "kubectl kustomize renders base, overlays/cert-manager, overlays/static-certs, components/monitoring, components/cluster-view-off"

src_args=()
[[ $SOURCE_CHECK == 1 ]] && src_args=(--source-dir "$REPO")
python3 "$(dirname "$0")/check_manifests.py" --base "$TMP/base.yaml" --cert-manager "$TMP/cert-manager.yaml" \
  --static-certs "$TMP/static-certs.yaml" --monitoring "$TMP/monitoring.yaml" --cluster-view-off "$TMP/view-off.yaml" \
  --policy "$REPO/deploy/base/policy.yaml" --cert-sans "$SANS" "${src_args[@]}" ||
  fail "manifest checks failed (see above)"

# ---- PromQL ---------------------------------------------------------------------------------------------
if command -v promtool >/dev/null; then
  python3 - "$TMP/monitoring.yaml" "$TMP/rules.yaml" "$TMP/dashboard-rules.yaml" <<'EOF'
import json, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
rule = next(d for d in docs if d["kind"] == "PrometheusRule")
yaml.safe_dump(rule["spec"], open(sys.argv[2], "w"))
rules = []
for cm in (d for d in docs if d["kind"] == "ConfigMap" and d["metadata"].get("labels", {}).get("grafana_dashboard")):
    for text in cm["data"].values():
        for p in json.loads(text)["panels"]:
            for i, t in enumerate(p.get("targets", [])):
                e = (t["expr"].replace("$__rate_interval", "5m").replace("$namespace", "alb-webhook")
                     .replace("$webhook", ".*"))
                rules.append({"record": f"dashboard:panel{p['id']}_{i}", "expr": e})
yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, open(sys.argv[3], "w"))
EOF
  promtool check rules "$TMP/rules.yaml" >"$TMP/promtool.out" 2>&1 || fail "promtool check rules (PrometheusRule): $(cat "$TMP/promtool.out")"
  promtool check rules "$TMP/dashboard-rules.yaml" >"$TMP/promtool.out" 2>&1 || fail "promtool: a dashboard query does not parse: $(cat "$TMP/promtool.out")"
  cp "$(dirname "$0")/alerts_test.yaml" "$TMP/alerts_test.yaml"
  (cd "$TMP" && promtool test rules alerts_test.yaml) >"$TMP/promtool.out" 2>&1 ||
    fail "promtool test rules (tests/deploy/alerts_test.yaml): $(cat "$TMP/promtool.out")"
  ok "promtool: PrometheusRule and every dashboard query parse; alert unit tests pass"
else
  echo "$PROG: note: promtool not installed; PromQL syntax not checked (Debian package prometheus)"
fi

# ---- optional: the real binary -----------------------------------------------------------------------
if [[ -n $BINARY ]]; then
  [[ -x $BINARY ]] || fail "--binary $BINARY is not executable"
  help=$("$BINARY" serve --help 2>&1) || true
  for d in 0.0.0.0:9443 0.0.0.0:8080 /tmp/k8s-webhook-server/serving-certs 15s; do
    grep -qF -- "$d" <<<"$help" || fail "'alb-webhook serve --help' does not list the default $d used in the Deployment"
  done
  ok "'alb-webhook serve --help' lists the defaults the Deployment passes"

  # The ConfigMap's policy file, exactly as rendered.
  python3 - "$TMP/static-certs.yaml" "$TMP/policy.yaml" <<'EOF'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
cm = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "alb-webhook-policy")
open(sys.argv[2], "w").write(cm["data"]["policy.yaml"])
EOF
  wport=$(free_port) mport=$(free_port)
  "$BINARY" serve --listen "127.0.0.1:$wport" --metrics-listen "127.0.0.1:$mport" --cert-dir "$CERTS" \
    --config "$TMP/policy.yaml" --threads 1 --shutdown-grace 1s --log-level warn >"$TMP/server.log" 2>&1 &
  PIDS+=($!)
  wait_for_port "$mport" "${PIDS[-1]}" || fail "alb-webhook serve did not start: $(cat "$TMP/server.log")"
  code=000
  for _ in $(seq 1 50); do
    code=$(python3 -c "import urllib.request as u,sys
try: print(u.urlopen('http://127.0.0.1:$mport/readyz', timeout=1).status)
except Exception as e: print(getattr(e, 'code', 0))")
    [[ $code == 200 ]] && break
    sleep 0.1
  done
  [[ $code == 200 ]] || fail "/readyz is $code with the rendered policy and gen-certs.sh certificate: $(cat "$TMP/server.log")"
  handshake "$wport" "$CERTS/ca.crt" "$SNI" || fail "TLS handshake with alb-webhook (SNI $SNI) failed: $(cat "$TMP/s_client.out")"
  ok "alb-webhook serves with the rendered policy (/readyz 200) and the certificate verifies for SNI $SNI"
fi

echo "$PROG: all checks passed"
