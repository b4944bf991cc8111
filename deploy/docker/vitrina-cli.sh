#!/bin/sh
# The `vitrina` CLI inside a silo container (`kubectl exec deploy/vitrina-silo-cpu -- vitrina accounts add shop`):
# it joins the cluster the silo belongs to, through the same database and ids.
set -e
export VITRINA_CLUSTER_CONNECTION="${VITRINA_CLUSTER_CONNECTION:-${Vitrina__Cluster__ConnectionString:-}}"
export VITRINA_CLUSTER_ID="${VITRINA_CLUSTER_ID:-${Vitrina__Cluster__ClusterId:-}}"
export VITRINA_SERVICE_ID="${VITRINA_SERVICE_ID:-${Vitrina__Cluster__ServiceId:-}}"
export VITRINA_MODEL_STORE="${VITRINA_MODEL_STORE:-/app/var/models}"
exec dotnet /app/vitrina.dll "$@"
