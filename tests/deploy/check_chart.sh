#!/usr/bin/env bash
# check_chart.sh — lint, render and check the Helm chart deploy/chart/alb-webhook offline.
#
#   tests/deploy/check_chart.sh [--repo DIR] [--helm PATH]
#
#   --helm PATH   helm binary (default: $HELM, else build/tools/helm from `make deps-helm`, else helm on PATH)
#
# What is checked: see check_chart.py (helm lint and helm template for the default values and every
# ci/*-values.yaml; the manifest checks of check_manifests.py on each rendering; the default
# rendering against `kubectl kustomize deploy/overlays/cert-manager`; values.schema.json rejects typos).
# Exit status: 0 all checks passed, 1 a check failed, 77 a required tool is missing (skip).
set -euo pipefail

PROG=check_chart.sh
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HELM_BIN=${HELM:-}
while [[ $# -gt 0 ]]; do
  case $1 in
    --repo) REPO=$(cd "$2" && pwd); shift 2 ;;
    --helm) HELM_BIN=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "$PROG: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
skip() { echo "$PROG: SKIP: $*" >&2; exit 77; }

if [[ -z $HELM_BIN ]]; then
  if [[ -x $REPO/build/tools/helm ]]; then HELM_BIN=$REPO/build/tools/helm
  else HELM_BIN=$(command -v helm || true); fi
fi
[[ -n $HELM_BIN && -x $HELM_BIN ]] || skip "helm not found (make deps-helm puts it in build/tools/helm)"
[[ $("$HELM_BIN" version --short 2>/dev/null) =~ ^v[34]\. ]] || skip "$HELM_BIN is not Helm 3 or 4"
command -v kubectl >/dev/null || skip "kubectl not found (needed for 'kubectl kustomize')"
command -v openssl >/dev/null || skip "openssl not found"
command -v python3 >/dev/null || skip "python3 not found"
python3 -c 'import yaml' 2>/dev/null || skip "python3 PyYAML not found (Debian package python3-yaml)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-chart.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Helm's caches and config in the temporary directory: nothing is read from or written to $HOME.
export HELM_CACHE_HOME=$TMP/helm/cache HELM_CONFIG_HOME=$TMP/helm/config HELM_DATA_HOME=$TMP/helm/data
echo "$PROG: $("$HELM_BIN" version --short)"
python3 "$(dirname "$0")/check_chart.py" --repo "$REPO" --helm "$HELM_BIN" --kubectl "$(command -v kubectl)" --tmp "$TMP"
