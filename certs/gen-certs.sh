#!/usr/bin/env bash
# gen-certs.sh — create a private CA and a TLS serving certificate for alb-webhook.
#
# Uses only the openssl command-line tool. Run with --help for usage.
set -euo pipefail

PROG=$(basename "$0")

usage() {
  cat <<EOF
Usage:
  $PROG --service NAME --namespace NS --out DIR [options]
  $PROG --dev --out DIR [options]

Creates (or reuses) a private CA and issues a TLS serving certificate signed by it.

Cluster mode (--service/--namespace): the certificate's DNS SANs are
  NAME, NAME.NS, NAME.NS.svc, NAME.NS.svc.cluster.local
(the kube-apiserver connects with SNI NAME.NS.svc). Besides the certificate files,
DIR receives the inputs of the kustomize overlay deploy/overlays/static-certs, so
the usual target is:
  $PROG --service alb-webhook --namespace alb-webhook --out deploy/overlays/static-certs/certs

Dev mode (--dev): SANs are DNS localhost, IP 127.0.0.1 and IP ::1 (used by 'make run').

Files written to DIR:
  ca.crt, ca.key          the CA (reused on later runs while it is valid)
  tls.crt, tls.key        the serving certificate and its private key
  ca-bundle.crt           the CAs a client should trust: ca.crt, plus ca-previous.crt
                          while a CA rotation is in progress (cluster mode only)
  ca-bundle.b64           ca-bundle.crt in base64, as a webhook caBundle (cluster mode only)
Private keys are created with mode 0600. Never commit them.

Re-running is safe: the CA is kept, and the serving certificate is kept unless it is
missing, expires within --renew-before days, was issued for other names, was not
signed by the current CA, or --renew is given.

Options:
  --service NAME        Service name of the webhook (cluster mode)
  --namespace NS        namespace of that Service (cluster mode)
  --dev                 localhost certificate for local development
  --out DIR             output directory (created if missing)
  --key-type TYPE       ecdsa (P-256, default) or rsa (2048 bits)
  --days N              serving certificate lifetime in days (default 365)
  --ca-days N           CA lifetime in days (default 3650)
  --renew-before N      re-issue the serving certificate when it expires within N days (default 30)
  --renew               re-issue the serving certificate now
  --new-ca              start a CA rotation: the current CA becomes ca-previous.crt (kept in
                        ca-bundle.crt so clients trust both), a new CA is created and the
                        serving certificate is re-issued from it
  --drop-previous-ca    finish a CA rotation: remove ca-previous.crt from the bundle
  -q, --quiet           print only errors
  -h, --help            show this help
EOF
}

die() { echo "$PROG: error: $*" >&2; exit 1; }
log() { [[ $QUIET == 1 ]] || echo "$PROG: $*"; }

SERVICE="" NAMESPACE="" OUT="" DEV=0 KEY_TYPE=ecdsa DAYS=365 CA_DAYS=3650 RENEW_BEFORE=30
RENEW=0 NEW_CA=0 DROP_PREVIOUS=0 QUIET=0

need_arg() { [[ $# -ge 2 && -n $2 && $2 != --* ]] || die "$1 needs a value (see --help)"; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --service) need_arg "$@"; SERVICE=$2; shift 2 ;;
    --namespace) need_arg "$@"; NAMESPACE=$2; shift 2 ;;
    --out) need_arg "$@"; OUT=$2; shift 2 ;;
    --key-type) need_arg "$@"; KEY_TYPE=$2; shift 2 ;;
    --days) need_arg "$@"; DAYS=$2; shift 2 ;;
    --ca-days) need_arg "$@"; CA_DAYS=$2; shift 2 ;;
    --renew-before) need_arg "$@"; RENEW_BEFORE=$2; shift 2 ;;
    --service=*) SERVICE=${1#*=}; shift ;;
    --namespace=*) NAMESPACE=${1#*=}; shift ;;
    --out=*) OUT=${1#*=}; shift ;;
    --key-type=*) KEY_TYPE=${1#*=}; shift ;;
    --days=*) DAYS=${1#*=}; shift ;;
    --ca-days=*) CA_DAYS=${1#*=}; shift ;;
    --renew-before=*) RENEW_BEFORE=${1#*=}; shift ;;
    --dev) DEV=1; shift ;;
    --renew) RENEW=1; shift ;;
    --new-ca) NEW_CA=1; shift ;;
    --drop-previous-ca) DROP_PREVIOUS=1; shift ;;
    -q|--quiet) QUIET=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

command -v openssl >/dev/null 2>&1 || die "openssl not found in PATH (Debian: apt-get install openssl)"

[[ -n $OUT ]] || die "--out DIR is required (see --help)"
if [[ $DEV == 1 ]]; then
  [[ -z $SERVICE && -z $NAMESPACE ]] || die "--dev cannot be combined with --service/--namespace"
else
  [[ -n $SERVICE && -n $NAMESPACE ]] || die "give --service NAME and --namespace NS, or --dev (see --help)"
  # RFC 1123 labels: what Kubernetes accepts for Service and namespace names.
  dns_label='^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'
  [[ $SERVICE =~ $dns_label ]] || die "--service '$SERVICE' is not a valid Service name (RFC 1123 label)"
  [[ $NAMESPACE =~ $dns_label ]] || die "--namespace '$NAMESPACE' is not a valid namespace name (RFC 1123 label)"
fi
case $KEY_TYPE in ecdsa|rsa) ;; *) die "--key-type must be 'ecdsa' or 'rsa', not '$KEY_TYPE'" ;; esac
for n in DAYS CA_DAYS RENEW_BEFORE; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "--$(tr 'A-Z_' 'a-z-' <<<"$n") must be a whole number of days, not '${!n}'"
done
(( DAYS >= 1 )) || die "--days must be at least 1"
(( CA_DAYS > DAYS )) || die "--ca-days ($CA_DAYS) must exceed --days ($DAYS)"
[[ $NEW_CA == 1 && $DROP_PREVIOUS == 1 ]] && die "--new-ca and --drop-previous-ca are separate steps of a rotation"

mkdir -p "$OUT" || die "cannot create output directory '$OUT'"
[[ -w $OUT ]] || die "output directory '$OUT' is not writable"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gen-certs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Names.
if [[ $DEV == 1 ]]; then
  CN=localhost
  SAN="DNS:localhost,IP:127.0.0.1,IP:::1"
  CA_CN="alb-webhook development CA"
else
  CN="$SERVICE.$NAMESPACE.svc"
  SAN="DNS:$SERVICE,DNS:$SERVICE.$NAMESPACE,DNS:$SERVICE.$NAMESPACE.svc,DNS:$SERVICE.$NAMESPACE.svc.cluster.local"
  CA_CN="alb-webhook CA ($SERVICE.$NAMESPACE)"
fi

# new_key FILE: a private key of the chosen type, mode 0600 from the start.
new_key() {
  local tmp="$1.tmp"
  rm -f "$tmp"
  if [[ $KEY_TYPE == ecdsa ]]; then
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp" 2>"$WORK/err") ||
      die "openssl genpkey failed: $(cat "$WORK/err")"
  else
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp" 2>"$WORK/err") ||
      die "openssl genpkey failed: $(cat "$WORK/err")"
  fi
  chmod 600 "$tmp"
  mv -f "$tmp" "$1"
}

# Our own config, so the result does not depend on the system openssl.cnf.
cat >"$WORK/openssl.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, $([[ $KEY_TYPE == rsa ]] && echo "digitalSignature, keyEncipherment" || echo "digitalSignature")
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $SAN
EOF

serial() { echo "0x$(openssl rand -hex 16)"; }

# --- CA ---------------------------------------------------------------------------------------------
ca_usable() {
  [[ -s $OUT/ca.crt && -s $OUT/ca.key ]] || return 1
  # Valid for at least as long as a new serving certificate will be.
  openssl x509 -in "$OUT/ca.crt" -noout -checkend $(( DAYS * 86400 )) >/dev/null 2>&1 || return 1
  # The key belongs to the certificate.
  [[ "$(openssl x509 -in "$OUT/ca.crt" -noout -pubkey 2>/dev/null)" == \
     "$(openssl pkey -in "$OUT/ca.key" -pubout 2>/dev/null)" ]]
}

if [[ -e $OUT/ca.crt && ! -e $OUT/ca.key ]]; then
  die "$OUT/ca.crt exists but $OUT/ca.key does not; restore the key, or remove ca.crt to create a new CA"
fi

if [[ $NEW_CA == 1 && -s $OUT/ca.crt ]]; then
  cp -f "$OUT/ca.crt" "$OUT/ca-previous.crt"
  log "CA rotation: kept the current CA as $OUT/ca-previous.crt (still trusted via ca-bundle.crt)"
  rm -f "$OUT/ca.key" "$OUT/ca.crt"
elif [[ $NEW_CA == 0 && -s $OUT/ca.crt ]] && ! ca_usable; then
  die "$OUT/ca.crt cannot sign a $DAYS-day certificate (expired, expiring sooner, or not matching ca.key); run with --new-ca to rotate it"
fi

CA_CREATED=0
if [[ ! -s $OUT/ca.crt ]]; then
  new_key "$OUT/ca.key"
  openssl req -x509 -new -config "$WORK/openssl.cnf" -key "$OUT/ca.key" -sha256 -days "$CA_DAYS" \
    -set_serial "$(serial)" -subj "/CN=$CA_CN" -extensions ca_ext -out "$WORK/ca.crt" 2>"$WORK/err" ||
    die "creating the CA certificate failed: $(cat "$WORK/err")"
  mv -f "$WORK/ca.crt" "$OUT/ca.crt"
  chmod 644 "$OUT/ca.crt"
  CA_CREATED=1
  log "created CA $OUT/ca.crt (valid $CA_DAYS days)"
else
  log "reusing CA $OUT/ca.crt"
fi

if [[ $DROP_PREVIOUS == 1 ]]; then
  if [[ -e $OUT/ca-previous.crt ]]; then
    rm -f "$OUT/ca-previous.crt"
    log "CA rotation finished: removed ca-previous.crt from the bundle"
  else
    log "no ca-previous.crt: nothing to drop"
  fi
fi

# --- serving certificate ----------------------------------------------------------------------------
# The SANs as openssl prints them, e.g. "DNS:a, DNS:a.b, IP Address:127.0.0.1".
wanted_sans() {
  local out="" item
  IFS=, read -ra items <<<"$SAN"
  for item in "${items[@]}"; do
    case $item in
      IP:::1) item="IP Address:0:0:0:0:0:0:0:1" ;;
      IP:*) item="IP Address:${item#IP:}" ;;
    esac
    out+="${out:+, }$item"
  done
  echo "$out"
}
cert_sans() {
  openssl x509 -in "$1" -noout -ext subjectAltName 2>/dev/null | sed -n '2,$p' | sed 's/^ *//' | tr -d '\n'
}

key_type_of() {
  case "$(openssl x509 -in "$1" -noout -text 2>/dev/null | grep -m1 'Public Key Algorithm')" in
    *id-ecPublicKey*) echo ecdsa ;;
    *rsaEncryption*) echo rsa ;;
    *) echo unknown ;;
  esac
}

leaf_reason=""
if [[ $RENEW == 1 ]]; then leaf_reason="--renew given"
elif [[ $CA_CREATED == 1 ]]; then leaf_reason="new CA"
elif [[ ! -s $OUT/tls.crt || ! -s $OUT/tls.key ]]; then leaf_reason="no serving certificate yet"
elif ! openssl x509 -in "$OUT/tls.crt" -noout -checkend $(( RENEW_BEFORE * 86400 )) >/dev/null 2>&1; then
  leaf_reason="expires within $RENEW_BEFORE days"
elif ! openssl verify -CAfile "$OUT/ca.crt" "$OUT/tls.crt" >/dev/null 2>&1; then
  leaf_reason="not signed by the current CA"
elif [[ "$(key_type_of "$OUT/tls.crt")" != "$KEY_TYPE" ]]; then
  leaf_reason="key type is not $KEY_TYPE"
elif [[ "$(cert_sans "$OUT/tls.crt")" != "$(wanted_sans)" ]]; then
  leaf_reason="issued for other names ($(cert_sans "$OUT/tls.crt"))"
elif [[ "$(openssl x509 -in "$OUT/tls.crt" -noout -pubkey 2>/dev/null)" != \
        "$(openssl pkey -in "$OUT/tls.key" -pubout 2>/dev/null)" ]]; then
  leaf_reason="tls.key does not match tls.crt"
fi

if [[ -n $leaf_reason ]]; then
  new_key "$WORK/tls.key"
  openssl req -new -config "$WORK/openssl.cnf" -key "$WORK/tls.key" -subj "/CN=$CN" -out "$WORK/tls.csr" 2>"$WORK/err" ||
    die "creating the certificate request failed: $(cat "$WORK/err")"
  openssl x509 -req -in "$WORK/tls.csr" -CA "$OUT/ca.crt" -CAkey "$OUT/ca.key" -set_serial "$(serial)" \
    -sha256 -days "$DAYS" -extfile "$WORK/openssl.cnf" -extensions leaf_ext -out "$WORK/tls.crt" 2>"$WORK/err" ||
    die "signing the serving certificate failed: $(cat "$WORK/err")"
  openssl verify -CAfile "$OUT/ca.crt" "$WORK/tls.crt" >/dev/null 2>"$WORK/err" ||
    die "the new certificate does not verify against the CA: $(cat "$WORK/err")"
  # Replace key and certificate together.
  mv -f "$WORK/tls.key" "$OUT/tls.key"
  mv -f "$WORK/tls.crt" "$OUT/tls.crt"
  chmod 600 "$OUT/tls.key"
  chmod 644 "$OUT/tls.crt"
  log "issued $OUT/tls.crt for $SAN, valid $DAYS days ($leaf_reason)"
else
  log "kept $OUT/tls.crt (valid, right names, signed by the current CA; --renew to re-issue)"
fi

# --- kustomize inputs (cluster mode) ----------------------------------------------------------------
if [[ $DEV == 0 ]]; then
  {
    cat "$OUT/ca.crt"
    [[ -s $OUT/ca-previous.crt ]] && cat "$OUT/ca-previous.crt"
  } >"$WORK/ca-bundle.crt"
  openssl base64 -A -in "$WORK/ca-bundle.crt" >"$WORK/ca-bundle.b64"
  echo >>"$WORK/ca-bundle.b64"
  for f in ca-bundle.crt ca-bundle.b64; do
    if ! cmp -s "$WORK/$f" "$OUT/$f"; then mv -f "$WORK/$f" "$OUT/$f"; chmod 644 "$OUT/$f"; fi
  done
  log "wrote $OUT/ca-bundle.crt and $OUT/ca-bundle.b64 (webhook caBundle)"
fi

log "done: $(openssl x509 -in "$OUT/tls.crt" -noout -enddate | sed 's/notAfter=/serving certificate expires /')"
