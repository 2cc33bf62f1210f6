#!/usr/bin/env bash
# Gives the services' Kubernetes service accounts AWS permissions (IRSA, or EKS Pod Identity).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: scripts/iam-service-account.sh --policy-arn ARN [options]

Binds an IAM role with the given managed policies to the service account of each service in the
values file (the chart names each service account after its service). By default IRSA:
\`eksctl create iamserviceaccount\` creates the role (trusting the cluster's OIDC provider, which
create-cluster.sh enabled) and annotates the service account. With --pod-identity an EKS Pod
Identity association is made instead, which needs no annotation on the chart's service account.

Safe to re-run: existing bindings are left alone.

Options:
  --policy-arn ARN     managed policy to attach (repeatable; required)
  --service NAME       only this service (repeatable; default every service in the values file)
  --pod-identity       use EKS Pod Identity instead of IRSA
$COMMON_HELP
EOF
}

POLICIES=()
ONLY=()
POD_IDENTITY=0
while (($#)); do
  common_flag "$@"
  if ((COMMON_SHIFT)); then shift "$COMMON_SHIFT"; continue; fi
  case $1 in
    --help | -h) usage; exit 0 ;;
    --policy-arn) need "$@"; POLICIES+=("$2"); shift 2 ;;
    --service) need "$@"; ONLY+=("$2"); shift 2 ;;
    --pod-identity) POD_IDENTITY=1; shift ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done
((${#POLICIES[@]})) || usage_error "give at least one --policy-arn (least privilege: no default policy)"
for arn in "${POLICIES[@]}"; do
  [[ $arn =~ ^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$ ]] || usage_error "'$arn' is not an IAM policy ARN"
done
check_values

load CLUSTER=cluster.name REGION=cluster.region SERVICES=services TAGS_KV=tags.kv
POLICY_LIST=$(IFS=,; printf '%s' "${POLICIES[*]}")
if ((${#ONLY[@]})); then
  for name in "${ONLY[@]}"; do
    grep -q " $name\$" <<<"$SERVICES" || usage_error "service '$name' is not in $VALUES"
  done
fi

wanted() {
  local name
  ((${#ONLY[@]})) || return 0
  for name in "${ONLY[@]}"; do [[ $name == "$1" ]] && return 0; done
  return 1
}

if ((!POD_IDENTITY)); then
  issuer=$(query https://oidc.eks.DRY-RUN/id/DRY-RUN aws eks describe-cluster --name "$CLUSTER" --region "$REGION" \
    --query cluster.identity.oidc.issuer --output text)
  provider=$(query '' aws iam list-open-id-connect-providers \
    --query "OpenIDConnectProviderList[?ends_with(Arn, '/id/${issuer##*/}')].Arn" --output text)
  if [[ -z $provider ]]; then
    run eksctl utils associate-iam-oidc-provider --cluster "$CLUSTER" --region "$REGION" --approve
  fi
fi

while read -r namespace service; do
  if [[ -z $service ]] || ! wanted "$service"; then continue; fi
  if ((POD_IDENTITY)); then
    found=$(query '' aws eks list-pod-identity-associations --cluster-name "$CLUSTER" --region "$REGION" \
      --namespace "$namespace" --service-account "$service" --query 'associations[].associationId' --output text)
    if [[ -n $found ]]; then
      say "pod identity association for $namespace/$service exists ($found)"
    else
      run eksctl create podidentityassociation --cluster "$CLUSTER" --region "$REGION" \
        --namespace "$namespace" --service-account-name "$service" --permission-policy-arns "$POLICY_LIST" \
        --tags "$TAGS_KV"
    fi
  else
    # eksctl keeps each IRSA binding in a CloudFormation stack of a fixed name.
    if exists aws cloudformation describe-stacks --region "$REGION" \
      --stack-name "eksctl-$CLUSTER-addon-iamserviceaccount-$namespace-$service"; then
      say "IRSA role for $namespace/$service exists"
    else
      run eksctl create iamserviceaccount --cluster "$CLUSTER" --region "$REGION" \
        --namespace "$namespace" --name "$service" --attach-policy-arn "$POLICY_LIST" \
        --tags "$TAGS_KV" \
        --override-existing-serviceaccounts --approve
    fi
  fi
done <<<"$SERVICES"
say "done; next: deploy the chart (kubectl apply -f argocd/ for Argo CD)"
