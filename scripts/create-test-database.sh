#!/usr/bin/env bash
# Creates the Aurora test database: a writer and a reader in two zones, password in Secrets Manager.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: scripts/create-test-database.sh [options]

Creates an Aurora cluster for testing zone-local routing to a database: a writer and a reader
in two different zones, in the cluster VPC's private subnets, reachable from the cluster's
security group only. Identifiers and zones come from the values file's rds external host
(\`zonal infra get database.instances\`), so the chart's ServiceEntry points at it. The master
password is generated and kept by RDS in AWS Secrets Manager (--manage-master-user-password);
it never appears on a command line or in a file.

Safe to re-run: the subnet group, security group, cluster and each instance are created only
when missing.

Options:
  --instance-class CLASS   DB instance class (default db.t4g.medium)
  --engine-version V       engine version (default: the engine's default)
  --master-username NAME   (default zonaladmin)
  --no-wait                do not wait for the instances to become available
$COMMON_HELP
EOF
}

INSTANCE_CLASS=db.t4g.medium
ENGINE_VERSION=
MASTER_USER=zonaladmin
WAIT=1
while (($#)); do
  common_flag "$@"
  if ((COMMON_SHIFT)); then shift "$COMMON_SHIFT"; continue; fi
  case $1 in
    --help | -h) usage; exit 0 ;;
    --instance-class) need "$@"; INSTANCE_CLASS=$2; shift 2 ;;
    --engine-version) need "$@"; ENGINE_VERSION=$2; shift 2 ;;
    --master-username) need "$@"; MASTER_USER=$2; shift 2 ;;
    --no-wait) WAIT=0; shift ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done
[[ $INSTANCE_CLASS =~ ^db\.[a-z0-9]+\.[a-z0-9]+$ ]] || usage_error "--instance-class must look like db.t4g.medium"
[[ $MASTER_USER =~ ^[A-Za-z][A-Za-z0-9_]{0,15}$ ]] || usage_error "--master-username: a letter, then letters, digits, _ (16 at most)"
check_values

load CLUSTER=cluster.name REGION=cluster.region DB=database.cluster ENGINE=database.engine PORT=database.port \
  INSTANCES=database.instances SUBNET_GROUP=database.subnetGroup SG_NAME=database.securityGroup \
  TAGS_LIST=tags.list TAGS_SG=tags.ec2:security-group

vpc_config=$(query $'DRY-RUN-VPC-ID\tDRY-RUN-CLUSTER-SG' aws eks describe-cluster --name "$CLUSTER" --region "$REGION" \
  --query 'cluster.resourcesVpcConfig.[vpcId,clusterSecurityGroupId]' --output text)
read -r VPC CLUSTER_SG <<<"$vpc_config"

if exists aws rds describe-db-subnet-groups --region "$REGION" --db-subnet-group-name "$SUBNET_GROUP"; then
  say "DB subnet group $SUBNET_GROUP exists"
else
  # eksctl tags the private subnets for internal load balancers: those are the cluster's own.
  subnets=$(query 'DRY-RUN-SUBNET-A DRY-RUN-SUBNET-B' aws ec2 describe-subnets --region "$REGION" \
    --filters "Name=vpc-id,Values=$VPC" "Name=tag:kubernetes.io/role/internal-elb,Values=1" \
    --query 'Subnets[].SubnetId' --output text)
  read -ra SUBNETS <<<"$subnets"
  ((${#SUBNETS[@]} >= 2)) || die "found ${#SUBNETS[@]} private subnets in $VPC; Aurora needs subnets in at least two zones"
  run aws rds create-db-subnet-group --region "$REGION" --db-subnet-group-name "$SUBNET_GROUP" \
    --db-subnet-group-description "zonal test database $DB: private subnets of $CLUSTER" \
    --subnet-ids "${SUBNETS[@]}" \
    --tags "$TAGS_LIST"
fi

SG=$(query DRY-RUN-DB-SG aws ec2 describe-security-groups --region "$REGION" \
  --filters "Name=vpc-id,Values=$VPC" "Name=group-name,Values=$SG_NAME" \
  --query 'SecurityGroups[0].GroupId' --output text)
if [[ $SG == sg-* ]]; then
  say "security group $SG_NAME ($SG) exists"
else
  SG=$(run aws ec2 create-security-group --region "$REGION" --vpc-id "$VPC" --group-name "$SG_NAME" \
    --description "zonal test database $DB: clients in $CLUSTER" \
    --tag-specifications "$TAGS_SG" \
    --query GroupId --output text)
  ((DRY_RUN)) && SG=DRY-RUN-DB-SG
  run aws ec2 authorize-security-group-ingress --region "$REGION" --group-id "$SG" \
    --ip-permissions "$(printf '[{"IpProtocol":"tcp","FromPort":%d,"ToPort":%d,"UserIdGroupPairs":[{"GroupId":"%s","Description":"EKS cluster %s"}]}]' \
      "$PORT" "$PORT" "$CLUSTER_SG" "$CLUSTER")"
fi

if exists aws rds describe-db-clusters --region "$REGION" --db-cluster-identifier "$DB"; then
  say "Aurora cluster $DB exists"
else
  run aws rds create-db-cluster --region "$REGION" --db-cluster-identifier "$DB" \
    --engine "$ENGINE" ${ENGINE_VERSION:+--engine-version "$ENGINE_VERSION"} --port "$PORT" \
    --master-username "$MASTER_USER" --manage-master-user-password \
    --db-subnet-group-name "$SUBNET_GROUP" --vpc-security-group-ids "$SG" \
    --storage-encrypted --backup-retention-period 1 \
    --tags "$TAGS_LIST"
fi

# The first instance created becomes the writer; the others are readers in their own zones.
while read -r instance zone; do
  [[ -n $instance ]] || continue
  if exists aws rds describe-db-instances --region "$REGION" --db-instance-identifier "$instance"; then
    say "instance $instance exists"
  else
    run aws rds create-db-instance --region "$REGION" --db-instance-identifier "$instance" \
      --db-cluster-identifier "$DB" --engine "$ENGINE" --db-instance-class "$INSTANCE_CLASS" \
      --availability-zone "$zone" \
      --tags "$TAGS_LIST"
  fi
done <<<"$INSTANCES"

if ((WAIT)); then
  while read -r instance _; do
    [[ -z $instance ]] || run aws rds wait db-instance-available --region "$REGION" --db-instance-identifier "$instance"
  done <<<"$INSTANCES"
fi

endpoints=$(query $'DRY-RUN-ENDPOINT\tDRY-RUN-READER-ENDPOINT\tDRY-RUN-SECRET-ARN' aws rds describe-db-clusters --region "$REGION" \
  --db-cluster-identifier "$DB" --query 'DBClusters[0].[Endpoint,ReaderEndpoint,MasterUserSecret.SecretArn]' --output text)
read -r ENDPOINT READER SECRET <<<"$endpoints"
say "Aurora $DB: writer endpoint $ENDPOINT, reader endpoint $READER"
say "master password: Secrets Manager $SECRET (aws secretsmanager get-secret-value --secret-id <arn>)"
# The writer host must reach the writer only (readers refuse writes); reads go by zone through the reader host.
say "the values file needs a role: writer host ($ENDPOINT, one endpoint) and a role: reader host ($READER, one endpoint per instance); print both with:"
say "  { aws rds describe-db-clusters --region $REGION --db-cluster-identifier $DB; aws rds describe-db-instances --region $REGION --filters Name=db-cluster-id,Values=$DB; } | zonal discover rds --values <values file>"
