{{/* The release's base name, at most 40 characters so that "<base>-approval-processing" fits 63. */}}
{{- define "dojang.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries. Call with (dict "root" $ "service" NAME). */}}
{{- define "dojang.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: dojang
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "dojang.selectorLabels" . }}
{{- end -}}

{{/* The labels a selector matches: fixed for the life of a release (selectors are immutable). */}}
{{- define "dojang.selectorLabels" -}}
app.kubernetes.io/name: dojang
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}
{{- end -}}

{{/* A service's settings: its own keys over `defaults`. Call with (dict "root" $ "service" NAME). */}}
{{- define "dojang.service" -}}
{{- $own := index .root.Values.services .service -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $own)) -}}
{{- end -}}

{{/* The image reference: by digest when one is given. */}}
{{- define "dojang.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag -}}
{{- end -}}
{{- end -}}

{{/* The in-cluster address of a service. Call with (dict "root" $ "service" NAME). */}}
{{- define "dojang.url" -}}
{{- printf "http://%s-%s:%v" (include "dojang.fullname" .root) .service .root.Values.defaults.port -}}
{{- end -}}
