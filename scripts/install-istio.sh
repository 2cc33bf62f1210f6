#!/usr/bin/env bash
# Installs Istio base + istiod at mesh.istioVersion with the mesh config zone-local routing needs.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: scripts/install-istio.sh [options]

Installs Istio base + istiod (no gateways; the minimal profile, never demo) at the values
file's mesh.istioVersion and mesh.revision, with sidecar DNS capture and address
auto-allocation (mesh.dnsCapture) so TCP ServiceEntries without addresses get listeners of
their own. Settings come from \`zonal infra istio\`.

When mesh.bootstrap is true Argo CD installs Istio (argocd/), and this script does nothing
unless --force is given.

Safe to re-run: a release already at the version with the same values is left alone.

Options:
  --installer helm|istioctl   Helm charts from istio-release (default) or istioctl install
  --timeout DURATION          wait for istiod at most this long (default 5m)
  --force                     install even when mesh.bootstrap is true
$COMMON_HELP
EOF
}

INSTALLER=helm
TIMEOUT=5m
FORCE=0
while (($#)); do
  common_flag "$@"
  if ((COMMON_SHIFT)); then shift "$COMMON_SHIFT"; continue; fi
  case $1 in
    --help | -h) usage; exit 0 ;;
    --installer) need "$@"; INSTALLER=$2; shift 2 ;;
    --timeout) need "$@"; TIMEOUT=$2; shift 2 ;;
    --force) FORCE=1; shift ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done
[[ $INSTALLER == helm || $INSTALLER == istioctl ]] || usage_error "--installer must be helm or istioctl"
[[ $TIMEOUT =~ ^[0-9]+[smh]$ ]] || usage_error "--timeout must look like 5m"
check_values

load BOOTSTRAP=mesh.bootstrap VERSION=mesh.istioVersion REVISION=mesh.revision DNS_CAPTURE=mesh.dnsCapture \
  NAMESPACE=istio.namespace ISTIOD=istio.istiodRelease BASE=istio.baseRelease CHARTS=istio.helmRepo
if [[ $BOOTSTRAP == true ]] && ((!FORCE)); then
  say "mesh.bootstrap is true: Argo CD installs Istio base + istiod from argocd/ before the workloads."
  say "Nothing to do here; pass --force to install with this script instead."
  exit 0
fi

work_dir

if [[ $INSTALLER == helm ]]; then
  zonal infra istio --values "$VALUES" --print base-values >"$WORK_DIR/base-values.json"
  zonal infra istio --values "$VALUES" --print istiod-values >"$WORK_DIR/istiod-values.json"

  # deployed RELEASE CHART: whether `helm list` shows RELEASE deployed from CHART at VERSION.
  deployed() {
    local listing
    listing=$(query '' helm list --namespace "$NAMESPACE" --filter "^$1\$" --output json)
    [[ $listing == *"\"chart\":\"$2-$VERSION\""* && $listing == *'"status":"deployed"'* ]]
  }

  if deployed "$BASE" base; then
    say "$BASE is deployed at $VERSION"
  else
    run helm upgrade --install "$BASE" base --repo "$CHARTS" --version "$VERSION" \
      --namespace "$NAMESPACE" --create-namespace --values "$WORK_DIR/base-values.json" --wait --timeout "$TIMEOUT"
  fi
  current_values=
  if deployed "$ISTIOD" istiod; then
    current_values=$(query '' helm get values "$ISTIOD" --namespace "$NAMESPACE" --output json)
  fi
  if [[ -n $current_values && $current_values == "$(<"$WORK_DIR/istiod-values.json")" ]]; then
    say "$ISTIOD is deployed at $VERSION with zonal's mesh config"
  else
    run helm upgrade --install "$ISTIOD" istiod --repo "$CHARTS" --version "$VERSION" \
      --namespace "$NAMESPACE" --create-namespace --values "$WORK_DIR/istiod-values.json" --wait --timeout "$TIMEOUT"
  fi
else
  client=$(query "$VERSION" istioctl version --remote=false --short)
  [[ $client =~ ([0-9]+\.[0-9]+\.[0-9]+) ]] && client=${BASH_REMATCH[1]}
  [[ $client == "$VERSION" ]] ||
    die "istioctl is $client but mesh.istioVersion is $VERSION; get it: curl -L https://istio.io/downloadIstio | ISTIO_VERSION=$VERSION sh -"
  zonal infra istio --values "$VALUES" --print operator >"$WORK_DIR/istio-operator.yaml"

  image=$(query '' kubectl get deployment "$ISTIOD" --namespace "$NAMESPACE" \
    --output 'jsonpath={.spec.template.spec.containers[0].image}' 2>/dev/null || true)
  mesh=$(query '' kubectl get configmap "istio${REVISION:+-$REVISION}" --namespace "$NAMESPACE" \
    --output 'jsonpath={.data.mesh}' 2>/dev/null || true)
  if [[ $image == *":$VERSION"* && ($DNS_CAPTURE != true || $mesh == *ISTIO_META_DNS_CAPTURE*) ]]; then
    say "$ISTIOD runs $VERSION with zonal's mesh config"
  else
    run istioctl install --skip-confirmation --filename "$WORK_DIR/istio-operator.yaml"
  fi
fi

run kubectl rollout status "deployment/$ISTIOD" --namespace "$NAMESPACE" --timeout "$TIMEOUT"
say "Istio $VERSION ready; next: scripts/create-test-database.sh"
