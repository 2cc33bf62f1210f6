#!/usr/bin/env bash
# Turns on VPC flow logs for the cluster's VPC in zonal's format (CloudWatch Logs or S3/Parquet).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: scripts/enable-flow-logs.sh [options]

Enables VPC flow logs on the cluster's VPC with zonal's --log-format (the field list the
dashboard, the Athena table and \`zonal flowlogs analyze\` read), to CloudWatch Logs (default)
or to S3 as Parquet in Hive-style partitions for Athena. IAM documents come from
\`zonal infra flowlogs\` and are scoped to the one log group / bucket.

Safe to re-run: the log group, role, role policy, bucket, bucket policy and flow log are each
created only when missing. An existing flow log in another format is reported, not replaced.

Options:
  --destination cloudwatch|s3   where the records go (default cloudwatch)
  --retention-days N            log group retention when created (default 14)
  --traffic-type ALL|ACCEPT|REJECT   (default ALL)
  --aggregation-interval 60|600 seconds per flow record (default 60)
  --bucket NAME                 S3 bucket (default zonal-flowlogs-<account>-<region>)
  --prefix PREFIX               S3 key prefix (default none)
  --daily-partitions            S3: day partitions instead of hourly
$COMMON_HELP
EOF
}

DESTINATION=cloudwatch
RETENTION=14
TRAFFIC=ALL
INTERVAL=60
BUCKET=
PREFIX=
PARTITION_FLAGS=()
while (($#)); do
  common_flag "$@"
  if ((COMMON_SHIFT)); then shift "$COMMON_SHIFT"; continue; fi
  case $1 in
    --help | -h) usage; exit 0 ;;
    --destination) need "$@"; DESTINATION=$2; shift 2 ;;
    --retention-days) need "$@"; RETENTION=$2; shift 2 ;;
    --traffic-type) need "$@"; TRAFFIC=$2; shift 2 ;;
    --aggregation-interval) need "$@"; INTERVAL=$2; shift 2 ;;
    --bucket) need "$@"; BUCKET=$2; shift 2 ;;
    --prefix) need "$@"; PREFIX=$2; shift 2 ;;
    --daily-partitions) PARTITION_FLAGS=(--daily-partitions); shift ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done
[[ $DESTINATION == cloudwatch || $DESTINATION == s3 ]] || usage_error "--destination must be cloudwatch or s3"
[[ $RETENTION =~ ^(1|3|5|7|14|30|60|90|120|150|180|365|400|545|731|1096|1827|2192|2557|2922|3288|3653)$ ]] ||
  usage_error "--retention-days must be a CloudWatch retention (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)"
[[ $TRAFFIC =~ ^(ALL|ACCEPT|REJECT)$ ]] || usage_error "--traffic-type must be ALL, ACCEPT or REJECT"
[[ $INTERVAL == 60 || $INTERVAL == 600 ]] || usage_error "--aggregation-interval must be 60 or 600"
check_values

load CLUSTER=cluster.name REGION=cluster.region FORMAT=flowlogs.format LOG_GROUP=flowlogs.logGroup \
  ROLE=flowlogs.roleName POLICY=flowlogs.policyName TAGS_MAP=tags.map TAGS_LIST=tags.list TAGS_SET=tags.tagset \
  TAGS_FLOW_LOG=tags.ec2:vpc-flow-log
ACCOUNT=$(account_id)
VPC=$(query DRY-RUN-VPC-ID aws eks describe-cluster --name "$CLUSTER" --region "$REGION" \
  --query cluster.resourcesVpcConfig.vpcId --output text)
work_dir

# flowlogs_doc WHAT [FLAGS...]: one document of `zonal infra flowlogs`.
flowlogs_doc() {
  zonal infra flowlogs --values "$VALUES" --account-id "$ACCOUNT" --print "$1" "${@:2}"
}

# existing_flow_log JMESPATH_FILTER: "<id>\t<format>" of the VPC's flow log the filter selects, or "".
existing_flow_log() {
  local found
  found=$(query '' aws ec2 describe-flow-logs --region "$REGION" --filter "Name=resource-id,Values=$VPC" \
    --query "FlowLogs[?$1] | [0].[FlowLogId,LogFormat]" --output text)
  [[ $found == None || $found == $'None\tNone' ]] && found=
  printf '%s' "$found"
}

# report_existing "<id>\t<format>": says whether the existing flow log uses zonal's format.
report_existing() {
  local id=${1%%$'\t'*} theirs=${1#*$'\t'}
  if [[ $theirs == "$FORMAT" ]]; then
    say "flow log $id already delivers zonal's format"
  else
    say "WARNING: flow log $id uses another format; the dashboard and Athena queries expect:"
    say "  $FORMAT"
    say "  replace it: aws ec2 delete-flow-logs --region $REGION --flow-log-ids $id, then re-run"
  fi
}

# create_flow_log DESTINATION-ARGS...: the VPC's flow log in zonal's format (aws ec2 create-flow-logs),
# retried while a just-created role or bucket policy has not propagated yet (the call then exits 0
# and reports the error under Unsuccessful).
create_flow_log() {
  local attempt error
  for attempt in 1 2 3 4 5 6; do
    error=$(run aws ec2 create-flow-logs --region "$REGION" --resource-type VPC --resource-ids "$VPC" \
      --traffic-type "$TRAFFIC" --max-aggregation-interval "$INTERVAL" "$@" \
      --log-format "$FORMAT" --tag-specifications "$TAGS_FLOW_LOG" \
      --query 'Unsuccessful[0].Error.Message' --output text)
    [[ -z $error || $error == None ]] && return 0
    say "create-flow-logs, attempt $attempt: $error"
    ((attempt == 6)) || sleep "${ZONAL_RETRY_DELAY:-10}"
  done
  die "no flow log created: $error"
}

if [[ $DESTINATION == cloudwatch ]]; then
  flowlogs_doc trust-policy >"$WORK_DIR/trust-policy.json"
  flowlogs_doc permissions-policy >"$WORK_DIR/permissions-policy.json"

  found=$(query '' aws logs describe-log-groups --region "$REGION" --log-group-name-prefix "$LOG_GROUP" \
    --query "logGroups[?logGroupName=='$LOG_GROUP'].logGroupName" --output text)
  if [[ $found == "$LOG_GROUP" ]]; then
    say "log group $LOG_GROUP exists"
  else
    run aws logs create-log-group --region "$REGION" --log-group-name "$LOG_GROUP" \
      --tags "$TAGS_MAP"
    run aws logs put-retention-policy --region "$REGION" --log-group-name "$LOG_GROUP" --retention-in-days "$RETENTION"
  fi

  if exists aws iam get-role --role-name "$ROLE"; then
    say "IAM role $ROLE exists"
  else
    run aws iam create-role --role-name "$ROLE" \
      --description "VPC Flow Logs delivery into $LOG_GROUP (zonal)" \
      --assume-role-policy-document "file://$WORK_DIR/trust-policy.json" \
      --tags "$TAGS_LIST"
  fi
  if exists aws iam get-role-policy --role-name "$ROLE" --policy-name "$POLICY"; then
    say "role policy $POLICY exists"
  else
    run aws iam put-role-policy --role-name "$ROLE" --policy-name "$POLICY" \
      --policy-document "file://$WORK_DIR/permissions-policy.json"
  fi
  ROLE_ARN=$(query DRY-RUN-ROLE-ARN aws iam get-role --role-name "$ROLE" --query Role.Arn --output text)

  existing=$(existing_flow_log "LogGroupName=='$LOG_GROUP'")
  if [[ -n $existing ]]; then
    report_existing "$existing"
  else
    create_flow_log --log-destination-type cloud-watch-logs --log-group-name "$LOG_GROUP" \
      --deliver-logs-permission-arn "$ROLE_ARN"
  fi
  say "flow logs of $VPC go to $LOG_GROUP; next: scripts/create-dashboard.sh"
else
  [[ -n $BUCKET ]] || BUCKET=$(get flowlogs.bucket --account-id "$ACCOUNT")
  S3_FLAGS=(--bucket "$BUCKET" --prefix "$PREFIX" ${PARTITION_FLAGS[@]+"${PARTITION_FLAGS[@]}"})
  DESTINATION_ARN=$(flowlogs_doc s3-destination "${S3_FLAGS[@]}")
  flowlogs_doc bucket-policy "${S3_FLAGS[@]}" >"$WORK_DIR/bucket-policy.json"
  flowlogs_doc destination-options "${S3_FLAGS[@]}" >"$WORK_DIR/destination-options.json"

  if exists aws s3api head-bucket --bucket "$BUCKET"; then
    say "bucket $BUCKET exists"
  else
    if [[ $REGION == us-east-1 ]]; then
      run aws s3api create-bucket --region "$REGION" --bucket "$BUCKET"
    else
      run aws s3api create-bucket --region "$REGION" --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=$REGION"
    fi
    run aws s3api put-public-access-block --bucket "$BUCKET" \
      --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    run aws s3api put-bucket-tagging --bucket "$BUCKET" --tagging "$TAGS_SET"
  fi
  if exists aws s3api get-bucket-policy --bucket "$BUCKET"; then
    say "bucket $BUCKET has a policy; it must allow delivery.logs.amazonaws.com (zonal infra flowlogs --print bucket-policy)"
  else
    run aws s3api put-bucket-policy --bucket "$BUCKET" --policy "file://$WORK_DIR/bucket-policy.json"
  fi

  existing=$(existing_flow_log "LogDestination=='$DESTINATION_ARN'")
  if [[ -n $existing ]]; then
    report_existing "$existing"
  else
    create_flow_log --log-destination-type s3 --log-destination "$DESTINATION_ARN" \
      --destination-options "file://$WORK_DIR/destination-options.json"
  fi
  say "flow logs of $VPC go to $DESTINATION_ARN; Athena table and query:"
  say "  zonal infra athena --values '$VALUES' --account-id $ACCOUNT --bucket $BUCKET${PREFIX:+ --prefix $PREFIX}"
fi
