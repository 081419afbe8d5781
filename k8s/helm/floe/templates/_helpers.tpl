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

{{- define "floe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "floe.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* kubernetes or file; anything else stops the rendering */}}
{{- define "floe.maintenanceCluster" -}}
{{- if has .Values.maintenance.cluster (list "kubernetes" "file") -}}
{{- .Values.maintenance.cluster -}}
{{- else -}}
{{- fail (printf "maintenance.cluster must be kubernetes or file, not %q" .Values.maintenance.cluster) -}}
{{- end -}}
{{- end -}}
