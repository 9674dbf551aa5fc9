#!/usr/bin/env bash
# Helm post-renderer for the AWS Load Balancer Controller chart: reads its rendering on stdin,
# writes it without the LBC's Ingress/TargetGroupBinding/IngressClassParams webhooks (see
# kustomization.yaml). Needs kubectl (kustomize v5).
#   Helm 3: helm upgrade --install aws-load-balancer-controller eks/aws-load-balancer-controller \
#             --set webhookConfig.disableIngressValidation=true ... \
#             --post-renderer deploy/lbc-replace/post-render.sh
#   Helm 4: post-renderers are plugins: helm plugin install deploy/lbc-replace, then
#             --post-renderer lbc-replace
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/kustomization.yaml" "$tmp/"
cat >"$tmp/lbc.yaml"
kubectl kustomize "$tmp"
