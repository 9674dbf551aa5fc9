#!/usr/bin/env bash
# load.sh — alb-webhook under wrk, side by side with an nginx reference, on loopback.
#
#   tests/bench/load.sh [--binary PATH] [--duration SECONDS] [--conns "16 64 256"] [--quick]
#                       [--server-env NAME=VALUE]   (e.g. GLIBC_TUNABLES=glibc.malloc.tcache_count=65535)
#
# Starts `alb-webhook serve --threads 1` (dev certificates in a temporary directory) and an nginx
# reference (one worker, TLS 1.3, keep-alive, the same certificate) that answers every POST with a
# fixed AdmissionReview after consuming the request body (`return 200`: nginx reads and decrypts
# every body byte and discards it, see the README "Performance" section). Both listen on
# 127.0.0.1 only. Then, for each path (validate, mutate) and connection count, drives ours and
# then nginx with the same wrk command (one wrk thread, Lua script POSTing the same ~3 KB Ingress
# AdmissionReview), measures new TLS handshakes/s (Connection: close) and the ~1 MiB Ingress on one
# connection, and prints one table with our/nginx ratios.
#
# Bounded: every wrk run has a `timeout`, the whole script a watchdog; everything it started is
# stopped by pid on exit. Needs: wrk, nginx, openssl, curl, python3 (Debian packages).
set -euo pipefail

# Bounded: the whole run is under `timeout` (TERM runs the cleanup trap below).
MAX_SECONDS=${LOAD_SH_MAX_SECONDS:-900}
if [[ -z ${LOAD_SH_BOUNDED:-} ]]; then
  LOAD_SH_BOUNDED=1 exec timeout -k 15 "$MAX_SECONDS" "$0" "$@"
fi

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BINARY=${ALBWEBHOOK_BINARY:-$ROOT/build/alb-webhook}
DURATION=10
CONNS="16 64 256"
SERVER_ENV=""

while [[ $# -gt 0 ]]; do
  case $1 in
    --binary) BINARY=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --conns) CONNS=$2; shift 2 ;;
    --quick) DURATION=3; CONNS="16 256"; shift ;;
    --server-env) SERVER_ENV=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "load.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

for tool in wrk nginx openssl curl python3; do
  command -v "$tool" >/dev/null || { echo "load.sh: $tool not found (make deps / apt-get install $tool)" >&2; exit 2; }
done
[[ -x $BINARY ]] || { echo "load.sh: no binary at $BINARY (build first, or --binary PATH)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/alb-webhook-load.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$ROOT/certs/gen-certs.sh" --dev --out "$WORK/certs" >/dev/null
python3 "$HERE/data/gen_fixtures.py" "$WORK"

# --- our server ---------------------------------------------------------------------------
OUR_PORT=$(free_port)
METRICS_PORT=$(free_port)
start_ours() {
  # stderr (one JSON line per request at info, as in production) goes to a pipe, as under a
  # container runtime; the last lines are kept for diagnosis.
  env ${SERVER_ENV:+"$SERVER_ENV"} "$BINARY" serve --threads 1 --listen "127.0.0.1:$OUR_PORT" --metrics-listen "127.0.0.1:$METRICS_PORT" \
    --cert-dir "$WORK/certs" --shutdown-grace 0s 2> >(tail -n 50 >"$WORK/server.log") &
  OUR_PID=$!
  PIDS+=("$OUR_PID")
}

# --- nginx reference ----------------------------------------------------------------------
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
python3 - "$WORK/ingress.json" >"$WORK/answer.json" <<'EOF'
import json, sys
uid = json.load(open(sys.argv[1]))["request"]["uid"]
print(json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                  "response": {"uid": uid, "allowed": True}}, separators=(",", ":")), end="")
EOF
USER_LINE=""
[[ $(id -u) == 0 ]] && USER_LINE="user root root;"
cat >"$WORK/nginx/nginx.conf" <<EOF
$USER_LINE
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_timeout 120s;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_certificate $WORK/certs/tls.crt;
    ssl_certificate_key $WORK/certs/tls.key;
    ssl_protocols TLSv1.3;
    client_max_body_size 8m;
    client_body_buffer_size 8m;
    default_type application/json;
    location / {
      return 200 '$(cat "$WORK/answer.json")';
    }
  }
}
EOF
start_nginx() {
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
  NGINX_MASTER=$!
  PIDS+=("$NGINX_MASTER")
}

wait_ready() {  # port
  for _ in $(seq 1 100); do
    curl -s -o /dev/null --cacert "$WORK/certs/ca.crt" -X POST -H 'Content-Type: application/json' \
      --data-binary @"$WORK/ingress.json" "https://127.0.0.1:$1/validate-networking-v1-ingress" && return 0
    sleep 0.1
  done
  echo "load.sh: nothing answers on 127.0.0.1:$1" >&2
  cat "$WORK/server.log" "$WORK/nginx/error.log" >&2 2>/dev/null || true
  exit 1
}
stop() {  # pid: SIGTERM, then wait for it
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

# Fresh processes for every measurement, so that each row's peak RSS (VmHWM) is its own.
start_both() {
  start_ours
  start_nginx
  wait_ready "$OUR_PORT"
  wait_ready "$NGINX_PORT"
  NGINX_PID=$(pgrep -P "$NGINX_MASTER" | head -n 1)
  [[ -n $NGINX_PID ]] || { echo "load.sh: nginx worker not found" >&2; exit 1; }
}
stop_both() {
  stop "$OUR_PID"
  stop "$NGINX_MASTER"
}

# Our answers must be real verdicts (the mutating one with a patch), not errors.
start_both
for p in validate mutate; do
  out=$(curl -s --cacert "$WORK/certs/ca.crt" -H 'Content-Type: application/json' \
    --data-binary @"$WORK/ingress.json" "https://127.0.0.1:$OUR_PORT/$p-networking-v1-ingress")
  grep -q '"allowed":true' <<<"$out" || { echo "load.sh: $p answer is not allowed: $out" >&2; exit 1; }
done
stop_both

cat >"$WORK/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = f:read("*a")
f:close()
EOF

cat >"$WORK/parse_wrk.py" <<'EOF'
# wrk --latency output on stdin -> "rps p50_ms p99_ms errors rss_mib"
import re, sys
out = sys.stdin.read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
    if not m: return float("nan")
    n, u = float(m.group(1)), m.group(2)
    return n / 1000 if u == "us" else n if u == "ms" else n * 1000 if u == "s" else n * 60000
rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
p50 = re.search(r"\s50%\s+(\S+)", out)
p99 = re.search(r"\s99%\s+(\S+)", out)
errors = 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if m: errors += sum(int(x) for x in m.groups())
m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
if m: errors += int(m.group(1))
if not rps: errors = -1
print(rps.group(1) if rps else "0", ms(p50.group(1)) if p50 else "nan",
      ms(p99.group(1)) if p99 else "nan", errors, sys.argv[1])
EOF

# Peak RSS of the process so far (each measurement runs on fresh processes).
hwm_mib() { awk '/VmHWM/ {printf "%.1f", $2/1024}' /proc/"$1"/status; }

# run_wrk PID URL CONNS BODY [extra wrk args...] -> "rps p50_ms p99_ms errors rss_mib"
run_wrk() {
  local pid=$1 url=$2 conns=$3 body=$4
  shift 4
  local out
  out=$(BODY_FILE=$body timeout -k 5 $((DURATION + 30)) \
    wrk -t1 -c"$conns" -d"${DURATION}s" --timeout 5s --latency -s "$WORK/post.lua" "$@" "$url" 2>&1) || true
  echo "$out" >>"$WORK/wrk.log"
  local rss
  rss=$(hwm_mib "$pid")
  python3 "$WORK/parse_wrk.py" "$rss" <<<"$out"
}

ROWS="$WORK/rows"
: >"$ROWS"
echo "load.sh: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), ${DURATION}s per run" >&2
for path in validate mutate; do
  for c in $CONNS; do
    start_both
    ours=$(run_wrk "$OUR_PID" "https://127.0.0.1:$OUR_PORT/$path-networking-v1-ingress" "$c" "$WORK/ingress.json")
    ref=$(run_wrk "$NGINX_PID" "https://127.0.0.1:$NGINX_PORT/$path-networking-v1-ingress" "$c" "$WORK/ingress.json")
    stop_both
    echo "$path 3KB c=$c $ours $ref" >>"$ROWS"
    echo "  done: $path c=$c" >&2
  done
done
# New TLS handshakes per second: every request on a new connection (full handshake, no resumption).
start_both
ours=$(run_wrk "$OUR_PID" "https://127.0.0.1:$OUR_PORT/validate-networking-v1-ingress" 16 "$WORK/ingress.json" -H 'Connection: close')
ref=$(run_wrk "$NGINX_PID" "https://127.0.0.1:$NGINX_PORT/validate-networking-v1-ingress" 16 "$WORK/ingress.json" -H 'Connection: close')
stop_both
echo "handshake 3KB c=16 $ours $ref" >>"$ROWS"
echo "  done: handshakes" >&2
# The ~1 MiB Ingress on one connection.
for path in validate mutate; do
  start_both
  ours=$(run_wrk "$OUR_PID" "https://127.0.0.1:$OUR_PORT/$path-networking-v1-ingress" 1 "$WORK/ingress-large.json")
  ref=$(run_wrk "$NGINX_PID" "https://127.0.0.1:$NGINX_PORT/$path-networking-v1-ingress" 1 "$WORK/ingress-large.json")
  stop_both
  echo "$path 1MiB c=1 $ours $ref" >>"$ROWS"
  echo "  done: $path 1MiB" >&2
done

python3 - "$ROWS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$DURATION" "${SERVER_ENV:+ ($SERVER_ENV)}" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print(f"alb-webhook --threads 1{sys.argv[5]} vs nginx (1 worker, TLS 1.3, fixed answer); wrk -t1, {sys.argv[4]}s per run, "
      f"{sys.argv[2]} CPUs, load average at end {sys.argv[3]}")
hdr = ("path", "body", "conns", "req/s ours", "req/s nginx", "ratio", "p50 ms ours", "p50 nginx",
       "p99 ms ours", "p99 nginx", "errors ours", "errors nginx", "peak RSS MiB ours", "RSS nginx")
print("| " + " | ".join(hdr) + " |")
print("|" + "|".join("---" for _ in hdr) + "|")
for r in rows:
    path, body, conns = r[0], r[1], r[2].split("=")[1]
    o = r[3:8]
    n = r[8:13]
    ratio = float(o[0]) / float(n[0]) if float(n[0]) > 0 else float("nan")
    cells = [path, body, conns, f"{float(o[0]):.0f}", f"{float(n[0]):.0f}", f"{ratio:.2f}",
             f"{float(o[1]):.2f}", f"{float(n[1]):.2f}", f"{float(o[2]):.2f}", f"{float(n[2]):.2f}",
             o[3], n[3], o[4], n[4]]
    print("| " + " | ".join(cells) + " |")
print("(handshake: every request on a new TLS 1.3 connection, req/s = new handshakes/s; "
      "errors = socket errors + non-2xx; -1 = wrk did not run)")
EOF
