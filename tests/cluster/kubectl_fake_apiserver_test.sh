#!/usr/bin/env bash
# kubectl against the fake API server (tests/tools/fake_apiserver_main.cpp): discovery, list,
# namespaced and all-namespace gets, a raw watch, `get -w`, and pagination (--chunk-size).
# Usage: kubectl_fake_apiserver_test.sh PATH/TO/fake-apiserver. Exit 77 (skip) without kubectl.
set -euo pipefail

BIN=${1:?usage: $0 PATH/TO/fake-apiserver}
for tool in kubectl openssl python3 timeout; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; [ -f server.log ] && sed 's/^/server: /' server.log >&2; exit 1; }

# A CA and a server pair for localhost / 127.0.0.1.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
  -out ca.crt -subj /CN=fake-apiserver-ca -days 1 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout tls.key -out tls.csr \
  -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out tls.crt -days 1 \
  -extfile server.ext 2>/dev/null

cat > objects.yaml <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: alb}
spec: {controller: ingress.k8s.aws/alb}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: team-a}
spec:
  ingressClassName: alb
  rules: [{host: web.example.com}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: team-b}
spec: {ingressClassName: alb}
YAML
cat > services.json <<'JSON'
{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "team-a"},
   "spec": {"ports": [{"port": 80, "protocol": "TCP"}]}},
  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "namespace": "team-a"},
   "spec": {"ports": [{"port": 5432}]}},
  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "team-b"},
   "spec": {"ports": [{"port": 443}]}}]}
JSON
cat > later.yaml <<'YAML'
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: late, namespace: team-b}
spec: {ingressClassName: alb}
YAML

"$BIN" --cert tls.crt --key tls.key --token s3cret --kubeconfig-out "$WORK/kubeconfig" --ca ca.crt \
  --on-usr1 later.yaml objects.yaml services.json > port.txt 2> server.log &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q '^port ' port.txt 2>/dev/null && break; sleep 0.1; done
grep -q '^port ' port.txt || fail "fake-apiserver did not start"

k() { kubectl --kubeconfig "$WORK/kubeconfig" --cache-dir "$WORK/cache" "$@"; }
# AGE is the last column and depends on the clock: normalise it.
age() { sed -E 's/[0-9]+(s|m)$/<age>/'; }
expect() {  # expect NAME ACTUAL-FILE, the expected text on stdin
  if ! diff -u - "$2"; then fail "$1: unexpected output"; fi
  echo "ok: $1"
}

k get ingresses -A 2> err.txt | age > out.txt || fail "get ingresses -A: $(cat err.txt)"
expect "kubectl get ingresses -A" out.txt <<'OUT'
NAMESPACE   NAME   AGE
team-a      web    <age>
team-b      api    <age>
OUT

k get ingressclasses 2> err.txt | age > out.txt || fail "get ingressclasses: $(cat err.txt)"
expect "kubectl get ingressclasses" out.txt <<'OUT'
NAME   AGE
alb    <age>
OUT

k get --raw '/apis/networking.k8s.io/v1/ingresses?watch=1&timeoutSeconds=1' > raw.txt 2> err.txt ||
  fail "get --raw watch: $(cat err.txt)"
python3 - raw.txt > out.txt <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    m = e["object"]["metadata"]
    print(e["type"], e["object"]["kind"], m["namespace"] + "/" + m["name"], "rv" if m["resourceVersion"].isdigit() else "?")
PY
expect "kubectl get --raw watch (ends after timeoutSeconds=1)" out.txt <<'OUT'
ADDED Ingress team-a/web rv
ADDED Ingress team-b/api rv
OUT

timeout 20 kubectl --kubeconfig "$WORK/kubeconfig" --cache-dir "$WORK/cache" get ingresses -A -w \
  --request-timeout=15s > watch.txt 2> err.txt &
WATCH_PID=$!
for _ in $(seq 1 100); do [ "$(wc -l < watch.txt)" -ge 3 ] && break; sleep 0.1; done
kill -USR1 "$SERVER_PID"
for _ in $(seq 1 100); do grep -q late watch.txt && break; sleep 0.1; done
kill "$WATCH_PID" 2>/dev/null || true
wait "$WATCH_PID" 2>/dev/null || true
age < watch.txt > out.txt
expect "kubectl get ingresses -A -w (a later Ingress arrives by the watch)" out.txt <<'OUT'
NAMESPACE   NAME   AGE
team-a      web    <age>
team-b      api    <age>
team-b      late   <age>
OUT

k get services -A --chunk-size=1 -v=6 2> err.txt | age > out.txt || fail "get services: $(cat err.txt)"
expect "kubectl get services -A --chunk-size=1" out.txt <<'OUT'
NAMESPACE   NAME   AGE
team-a      db     <age>
team-a      web    <age>
team-b      api    <age>
OUT
pages=$(grep 'GET https://127.0.0.1:[0-9]*/api/v1/services?' err.txt | grep -c 'limit=1' || true)
continued=$(grep 'GET https://127.0.0.1:[0-9]*/api/v1/services?' err.txt | grep -c 'continue=' || true)
[ "$pages" = 3 ] && [ "$continued" = 2 ] ||
  fail "--chunk-size=1: want 3 pages of limit=1 (2 with continue), got $pages/$continued: $(grep GET err.txt)"
echo "ok: --chunk-size=1 took 3 pages"

# A wrong token: kubectl reports the 401.
sed 's/token: s3cret/token: wrong/' kubeconfig > bad-kubeconfig
if kubectl --kubeconfig bad-kubeconfig --cache-dir "$WORK/cache2" get ingresses -A > out.txt 2> err.txt; then
  fail "wrong token accepted"
fi
grep -q "error: You must be logged in to the server" err.txt || fail "401: $(cat err.txt)"
echo "ok: wrong token -> Unauthorized"
echo PASS
