#!/usr/bin/env bash
# load.sh — alb-webhook under wrk, side by side with an nginx reference, on loopback.
#
#   tests/bench/load.sh [--binary PATH] [--duration SECONDS] [--conns "16 64 256"] [--rounds N]
#                       [--threads "1 2"] [--baseline PATH] [--quick]
#                       [--server-env NAME=VALUE]   (e.g. GLIBC_TUNABLES=glibc.malloc.tcache_count=65535)
#
# Starts `alb-webhook serve --threads 1` (default flags: info logging on; dev certificates in a
# temporary directory) and an nginx reference (one worker, TLS 1.3, keep-alive, the same
# certificate) that answers every POST with a fixed AdmissionReview after consuming the request
# body (`return 200`: nginx reads and decrypts every body byte and discards it, see the README
# "Performance" section). Both listen on 127.0.0.1 only. Every row starts fresh processes (so its
# peak RSS is its own) and then runs --rounds alternating rounds (default 3; the order of the
# servers rotates each round) of the same wrk command against each (Lua script POSTing the same
# ~3 KB Ingress AdmissionReview); the table gives medians and the our/nginx ratio as the median of
# the per-round ratios (with its range). Rows: validate and mutate at each connection count; thread
# scaling (validate, 64 connections, wrk -t2: `--threads N` against nginx with N workers); new TLS
# handshakes/s (Connection: close); the ~1 MiB Ingress on one connection.
# --baseline PATH: a second alb-webhook binary (e.g. a build of the previous commit) measured in
# the same rounds, for before/after comparisons in one sitting. --quick: 3 s runs, 16 and 256
# connections (development; the figures are noisier).
#
# Bounded: every wrk run has a `timeout`, the whole script a watchdog; everything it started is
# stopped by pid on exit. Needs: wrk, nginx, openssl, curl, python3 (Debian packages).
set -euo pipefail

# Bounded: the whole run is under `timeout` (TERM runs the cleanup trap below).
MAX_SECONDS=${LOAD_SH_MAX_SECONDS:-2400}
if [[ -z ${LOAD_SH_BOUNDED:-} ]]; then
  LOAD_SH_BOUNDED=1 exec timeout -k 15 "$MAX_SECONDS" "$0" "$@"
fi

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BINARY=${ALBWEBHOOK_BINARY:-$ROOT/build/alb-webhook}
DURATION=10
CONNS="16 64 256"
ROUNDS=3
THREADS="1 2"
BASELINE=""
SERVER_ENV=""

while [[ $# -gt 0 ]]; do
  case $1 in
    --binary) BINARY=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --conns) CONNS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --baseline) BASELINE=$2; shift 2 ;;
    --quick) DURATION=3; CONNS="16 256"; shift ;;
    --server-env) SERVER_ENV=$2; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "load.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

for tool in wrk nginx openssl curl python3; do
  command -v "$tool" >/dev/null || { echo "load.sh: $tool not found (make deps / apt-get install $tool)" >&2; exit 2; }
done
[[ -x $BINARY ]] || { echo "load.sh: no binary at $BINARY (build first, or --binary PATH)" >&2; exit 2; }
[[ -z $BASELINE || -x $BASELINE ]] || { echo "load.sh: no baseline binary at $BASELINE" >&2; exit 2; }
[[ $ROUNDS -ge 1 ]] || { echo "load.sh: --rounds must be at least 1" >&2; exit 2; }

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

# --- the servers ----------------------------------------------------------------------------
# Each server is a name (ours, base, nginx) with a port; start_server NAME THREADS sets PID_<name>
# (the process whose peak RSS is read: ours, or nginx's master, whose workers are summed).
PORT_ours=$(free_port)
PORT_base=$(free_port)
PORT_nginx=$(free_port)
start_alb() {  # name binary threads
  local name=$1 bin=$2 threads=$3 port metrics
  port=$(eval echo "\$PORT_$name")
  metrics=$(free_port)
  # stderr (one JSON line per request at info, as in production) goes to a pipe, as under a
  # container runtime; the last lines are kept for diagnosis.
  env ${SERVER_ENV:+"$SERVER_ENV"} "$bin" serve --threads "$threads" --listen "127.0.0.1:$port" \
    --metrics-listen "127.0.0.1:$metrics" --cert-dir "$WORK/certs" --shutdown-grace 0s \
    2> >(tail -n 50 >"$WORK/server-$name.log") &
  eval "PID_$name=$!"
  PIDS+=("$!")
}

# --- nginx reference ----------------------------------------------------------------------
mkdir -p "$WORK/nginx"
python3 - "$WORK/ingress.json" >"$WORK/answer.json" <<'PYEOF'
import json, sys
uid = json.load(open(sys.argv[1]))["request"]["uid"]
print(json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                  "response": {"uid": uid, "allowed": True}}, separators=(",", ":")), end="")
PYEOF
USER_LINE=""
[[ $(id -u) == 0 ]] && USER_LINE="user root root;"
for workers in 1 2 4 8; do
  cat >"$WORK/nginx/nginx-$workers.conf" <<NGINXEOF
$USER_LINE
worker_processes $workers;
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
    listen 127.0.0.1:$PORT_nginx ssl;
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
NGINXEOF
done
start_nginx() {  # workers
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx-$1.conf" -e "$WORK/nginx/error.log" &
  PID_nginx=$!
  PIDS+=("$PID_nginx")
}

wait_ready() {  # port
  for _ in $(seq 1 100); do
    curl -s -o /dev/null --cacert "$WORK/certs/ca.crt" -X POST -H 'Content-Type: application/json' \
      --data-binary @"$WORK/ingress.json" "https://127.0.0.1:$1/validate-networking-v1-ingress" && return 0
    sleep 0.1
  done
  echo "load.sh: nothing answers on 127.0.0.1:$1" >&2
  cat "$WORK"/server-*.log "$WORK/nginx/error.log" >&2 2>/dev/null || true
  exit 1
}
stop() {  # pid: SIGTERM, then wait for it
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

SERVERS="ours nginx"
[[ -n $BASELINE ]] && SERVERS="ours base nginx"
# Fresh processes for every row, so that each row's peak RSS (VmHWM) is its own.
start_all() {  # threads (ours, base) = workers (nginx)
  start_alb ours "$BINARY" "$1"
  [[ -n $BASELINE ]] && start_alb base "$BASELINE" "$1"
  start_nginx "$1"
  local s
  for s in $SERVERS; do wait_ready "$(eval echo "\$PORT_$s")"; done
  [[ -n $(pgrep -P "$PID_nginx" | head -n 1) ]] || { echo "load.sh: nginx worker not found" >&2; exit 1; }
}
stop_all() {
  local s
  for s in $SERVERS; do stop "$(eval echo "\$PID_$s")"; done
}

# Our answers must be real verdicts (the mutating one with a patch), not errors.
start_all 1
for s in ours ${BASELINE:+base}; do
  for p in validate mutate; do
    out=$(curl -s --cacert "$WORK/certs/ca.crt" -H 'Content-Type: application/json' \
      --data-binary @"$WORK/ingress.json" "https://127.0.0.1:$(eval echo "\$PORT_$s")/$p-networking-v1-ingress")
    grep -q '"allowed":true' <<<"$out" || { echo "load.sh: $s $p answer is not allowed: $out" >&2; exit 1; }
  done
done
stop_all

cat >"$WORK/post.lua" <<'LUAEOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = f:read("*a")
f:close()
LUAEOF

cat >"$WORK/parse_wrk.py" <<'PYEOF'
# wrk --latency output on stdin -> "rps p50_ms p99_ms errors"
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
      ms(p99.group(1)) if p99 else "nan", errors)
PYEOF

# Peak RSS in MiB of a server so far (nginx: its workers summed; each row runs fresh processes).
hwm_mib() {  # name
  local pid pids
  pid=$(eval echo "\$PID_$1")
  pids=$pid
  [[ $1 == nginx ]] && pids=$(pgrep -P "$pid" | tr '\n' ' ')
  for pid in $pids; do cat /proc/"$pid"/status 2>/dev/null; done |
    awk '/VmHWM/ {kb += $2} END {printf "%.1f", kb/1024}'
}

ROWS="$WORK/rows"
: >"$ROWS"
# run_row LABEL THREADS CONNS WRK_THREADS BODY PATH [extra wrk args...]: fresh servers, then
# ROUNDS alternating rounds; one line per server and round: "LABEL server round rps p50 p99 errors rss"
# (LABEL without spaces).
run_row() {
  local label=$1 threads=$2 conns=$3 wrk_threads=$4 body=$5 path=$6
  shift 6
  start_all "$threads"
  local r order s out i
  for ((r = 1; r <= ROUNDS; r++)); do
    # Rotate the order each round, so that no server always runs first (or right after another).
    order=""
    i=0
    for s in $SERVERS; do order+="$s "; done
    for ((i = 1; i < r; i++)); do order="${order#* } ${order%% *}"; done
    for s in $order; do
      out=$(BODY_FILE=$body timeout -k 5 $((DURATION + 30)) \
        wrk -t"$wrk_threads" -c"$conns" -d"${DURATION}s" --timeout 5s --latency -s "$WORK/post.lua" "$@" \
        "https://127.0.0.1:$(eval echo "\$PORT_$s")/$path-networking-v1-ingress" 2>&1) || true
      echo "== $label $s round $r" >>"$WORK/wrk.log"
      echo "$out" >>"$WORK/wrk.log"
      echo "$label $s $r $(python3 "$WORK/parse_wrk.py" <<<"$out") $(hwm_mib "$s")" >>"$ROWS"
    done
  done
  stop_all
  echo "  done: $label" >&2
}

echo "load.sh: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), ${DURATION}s per run, $ROUNDS rounds" >&2
for path in validate mutate; do
  for c in $CONNS; do
    run_row "$path|3KB|$c|1" 1 "$c" 1 "$WORK/ingress.json" "$path"
  done
done
# Thread scaling: --threads N against nginx with N workers, wrk with two threads for every N.
for t in $THREADS; do
  run_row "validate|3KB|64|$t,wrk-t2" "$t" 64 2 "$WORK/ingress.json" validate
done
# New TLS handshakes per second: every request on a new connection (full handshake, no resumption).
run_row "handshake|3KB|16|1" 1 16 1 "$WORK/ingress.json" validate -H 'Connection: close'
# The ~1 MiB Ingress on one connection.
for path in validate mutate; do
  run_row "$path|1MiB|1|1" 1 1 1 "$WORK/ingress-large.json" "$path"
done

# The raw rounds, kept where LOAD_SH_KEEP_ROWS says (one line per server and round).
[[ -n ${LOAD_SH_KEEP_ROWS:-} ]] && cp "$ROWS" "$LOAD_SH_KEEP_ROWS"
python3 - "$ROWS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$DURATION" "${SERVER_ENV:+ ($SERVER_ENV)}" "$ROUNDS" "$SERVERS" <<'PYEOF'
import statistics, sys
rows, servers = {}, sys.argv[7].split()
for line in open(sys.argv[1]):
    label, server, rnd, rps, p50, p99, errors, rss = line.split()
    rows.setdefault(label, {}).setdefault(server, {})[int(rnd)] = (
        float(rps), float(p50), float(p99), int(errors), float(rss))
base = "base" in servers
print(f"alb-webhook (default flags) vs nginx (TLS 1.3, fixed answer); wrk, {sys.argv[4]}s per run, "
      f"median of {sys.argv[6]} alternating rounds{sys.argv[5]}; {sys.argv[2]} CPUs, load average at end {sys.argv[3]}")
hdr = ["path", "body", "conns", "threads", "req/s ours", "req/s nginx", "ratio (range)"]
if base: hdr += ["req/s base", "ratio base (range)"]
hdr += ["p50 ms ours", "p50 nginx", "p99 ms ours", "p99 nginx", "errors ours / nginx",
        "peak RSS MiB ours", "RSS nginx"]
print("| " + " | ".join(hdr) + " |")
print("|" + "|".join("---" for _ in hdr) + "|")
med = statistics.median
def ratio(a, b):
    rs = [a[r][0] / b[r][0] if b[r][0] > 0 else float("nan") for r in a if r in b]
    return f"{med(rs):.2f} ({min(rs):.2f}-{max(rs):.2f})"
for label, by in rows.items():
    o, n = by["ours"], by["nginx"]
    col = lambda d, i: med(v[i] for v in d.values())
    cells = label.split("|") + [f"{col(o, 0):.0f}", f"{col(n, 0):.0f}", ratio(o, n)]
    if base:
        cells += [f"{col(by['base'], 0):.0f}", ratio(by["base"], n)]
    errs = lambda d: -1 if any(v[3] < 0 for v in d.values()) else sum(v[3] for v in d.values())
    cells += [f"{col(o, 1):.2f}", f"{col(n, 1):.2f}", f"{col(o, 2):.2f}", f"{col(n, 2):.2f}",
              f"{errs(o)} / {errs(n)}", f"{max(v[4] for v in o.values()):.1f}",
              f"{max(v[4] for v in n.values()):.1f}"]
    print("| " + " | ".join(cells) + " |")
print("(ratio: median of the per-round our/nginx ratios, range in brackets; req/s, p50, p99: medians "
      "over the rounds; handshake: every request on a new TLS 1.3 connection, req/s = new "
      "handshakes/s; errors = socket errors + non-2xx summed over the rounds, -1 = wrk did not run; "
      "peak RSS: VmHWM, nginx workers summed)")
PYEOF
