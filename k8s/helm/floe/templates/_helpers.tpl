{{- define "floe.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "floe.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "floe.labels" -}}
{{ include "floe.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* FLOE_CATALOG_PROPERTIES_<KEY>: upper case, "." and "-" as "_" (README "Catalogs and storage") */}}
{{- define "floe.catalogEnvName" -}}
{{- printf "FLOE_CATALOG_PROPERTIES_%s" (. | upper | replace "." "_" | replace "-" "_") -}}
{{- end -}}

{{- define "floe.secretName" -}}
{{- if .Values.catalog.existingSecret -}}
{{- .Values.catalog.existingSecret -}}
{{- else -}}
{{- printf "%s-catalog" (include "floe.fullname" .) -}}
{{- end -}}
{{- end -}}
