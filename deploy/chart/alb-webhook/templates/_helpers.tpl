{{/* Chart name, or nameOverride. */}}
{{- define "alb-webhook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object name prefix: fullnameOverride, else the release name when it contains the chart
name ("alb-webhook" gives the same names as deploy/base), else <release>-<name>. */}}
{{- define "alb-webhook.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "alb-webhook.name" . }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "alb-webhook.selectorLabels" -}}
app.kubernetes.io/name: {{ include "alb-webhook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "alb-webhook.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "alb-webhook.selectorLabels" . }}
app.kubernetes.io/part-of: alb-webhook
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "alb-webhook.serviceAccountName" -}}
{{- default (include "alb-webhook.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{/* The Secret mounted at --cert-dir. */}}
{{- define "alb-webhook.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "existingSecret" }}
{{- required "certificates.existingSecret.name is required with certificates.mode=existingSecret" .Values.certificates.existingSecret.name }}
{{- else }}
{{- printf "%s-tls" (include "alb-webhook.fullname" .) }}
{{- end }}
{{- end }}

{{/* The four DNS names the apiserver may use for the webhook Service. */}}
{{- define "alb-webhook.dnsNames" -}}
{{- $svc := include "alb-webhook.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) | toJson }}
{{- end }}

{{/* The image reference: repository:tag (tag defaults to appVersion), or @digest. */}}
{{- define "alb-webhook.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* One entry of a webhook configuration. Input: a dict with cfg (the values of one webhook:
failurePolicy, timeoutSeconds, namespaceSelector, objectSelector), name, path, group, version,
resource, scope, mutating, fullname, ns, caBundle, exclude (namespaces never sent). */}}
{{- define "alb-webhook.webhookEntry" -}}
- name: {{ .name }}
  clientConfig:
    service:
      name: {{ .fullname }}
      namespace: {{ .ns }}
      path: {{ .path }}
      port: 443
    {{- if .caBundle }}
    caBundle: {{ .caBundle }}
    {{- end }}
  rules:
    - apiGroups: [{{ .group | quote }}]
      apiVersions: [{{ .version | quote }}]
      resources: [{{ .resource | quote }}]
      operations: ["CREATE", "UPDATE"]
      scope: {{ .scope }}
  failurePolicy: {{ .cfg.failurePolicy }}
  matchPolicy: Equivalent
  sideEffects: None
  timeoutSeconds: {{ .cfg.timeoutSeconds }}
  {{- if .mutating }}
  reinvocationPolicy: Never
  {{- end }}
  admissionReviewVersions: ["v1", "v1beta1"]
  {{- if eq .scope "Namespaced" }}
  {{- $sel := deepCopy (.cfg.namespaceSelector | default dict) }}
  {{- $exprs := concat ($sel.matchExpressions | default list) (list (dict "key" "kubernetes.io/metadata.name" "operator" "NotIn" "values" .exclude)) }}
  {{- $_ := set $sel "matchExpressions" $exprs }}
  namespaceSelector:
    {{- toYaml $sel | nindent 4 }}
  {{- end }}
  {{- with .cfg.objectSelector }}
  objectSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
