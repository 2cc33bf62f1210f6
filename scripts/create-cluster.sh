#!/usr/bin/env bash
# Creates the EKS cluster of a zonal values file with eksctl (config from `zonal infra eksctl`).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: scripts/create-cluster.sh [options]

Creates the EKS cluster the values file describes (cluster.name, region, kubernetesVersion,
zones): one managed node group per zone so every zone keeps capacity, private node subnets,
IAM OIDC provider, addons vpc-cni/coredns/kube-proxy/eks-pod-identity-agent, and one NAT
gateway per zone so egress does not cross zones. Then points kubectl at it.

Safe to re-run: an existing cluster is kept; only missing node groups and addons are created.

Options:
  --instance-type TYPE       node instance type (default m6i.large)
  --nodes-per-zone N         nodes per zone at creation (default 1)
  --max-nodes-per-zone N     autoscaling ceiling per zone (default 3)
  --config-out FILE          also write the generated eksctl ClusterConfig to FILE
$COMMON_HELP
EOF
}

EKSCTL_FLAGS=()
CONFIG_OUT=
while (($#)); do
  common_flag "$@"
  if ((COMMON_SHIFT)); then shift "$COMMON_SHIFT"; continue; fi
  case $1 in
    --help | -h) usage; exit 0 ;;
    --instance-type | --nodes-per-zone | --max-nodes-per-zone) need "$@"; EKSCTL_FLAGS+=("$1" "$2"); shift 2 ;;
    --config-out) need "$@"; CONFIG_OUT=$2; shift 2 ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done
check_values

load CLUSTER=cluster.name REGION=cluster.region NODEGROUPS=eksctl.nodegroups ADDONS=eksctl.addons

work_dir
CONFIG=$WORK_DIR/cluster.yaml
zonal infra eksctl --values "$VALUES" ${EKSCTL_FLAGS[@]+"${EKSCTL_FLAGS[@]}"} ${TAG_ARGS[@]+"${TAG_ARGS[@]}"} >"$CONFIG"
if [[ -n $CONFIG_OUT ]]; then
  cp "$CONFIG" "$CONFIG_OUT"
  say "wrote $CONFIG_OUT"
fi

# missing_from "HAVE (whitespace separated)" "WANT (one per line)": the wanted items not had.
missing_from() {
  local have=" ${1//[$'\t\n']/ } " item out=()
  while IFS= read -r item; do
    [[ -z $item || $have == *" $item "* ]] || out+=("$item")
  done <<<"$2"
  ((${#out[@]})) && printf '%s\n' "${out[@]}"
  return 0
}

if exists aws eks describe-cluster --name "$CLUSTER" --region "$REGION"; then
  say "cluster $CLUSTER exists in $REGION: checking its node groups and addons"
  have=$(query '' aws eks list-nodegroups --cluster-name "$CLUSTER" --region "$REGION" --query nodegroups --output text)
  missing=$(missing_from "$have" "$NODEGROUPS")
  if [[ -n $missing ]]; then
    run eksctl create nodegroup --config-file "$CONFIG" --include "$(paste -sd, - <<<"$missing")"
  else
    say "node groups: all present ($(paste -sd' ' - <<<"$NODEGROUPS"))"
  fi
  have=$(query '' aws eks list-addons --cluster-name "$CLUSTER" --region "$REGION" --query addons --output text)
  missing=$(missing_from "$have" "$ADDONS")
  while IFS= read -r addon; do
    [[ -z $addon ]] || run eksctl create addon --cluster "$CLUSTER" --region "$REGION" --name "$addon"
  done <<<"$missing"
  [[ -n $missing ]] || say "addons: all present"
else
  run eksctl create cluster --config-file "$CONFIG"
fi

run aws eks update-kubeconfig --name "$CLUSTER" --region "$REGION"
say "cluster $CLUSTER ready; next: scripts/enable-flow-logs.sh"
