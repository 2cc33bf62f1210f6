/**
 * VPC flow-log delivery: the `--log-format` (from THE field list in flowlogs/fields.ts), the IAM
 * trust and permission documents for a CloudWatch Logs destination and the bucket policy and
 * destination options for an S3 (Parquet) destination. Every write permission is scoped to the
 * one log group or bucket prefix; confused-deputy conditions pin the calling account.
 */
import { FLOW_LOG_FIELDS, logFormatString, type FlowLogField } from '../flowlogs/fields.js';
import { bucketArn, logGroupArn, partitionOf } from './aws.js';

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal?: { readonly Service: string };
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export interface FlowLogTarget {
  readonly region: string;
  readonly accountId: string;
}

/** The `--log-format` of `aws ec2 create-flow-logs`. */
export function flowLogFormat(fields: readonly FlowLogField[] = FLOW_LOG_FIELDS): string {
  return logFormatString(fields);
}

/** Trust policy of the role VPC Flow Logs assumes (CloudWatch Logs destination). */
export function flowLogsTrustPolicy(t: FlowLogTarget): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'VpcFlowLogsAssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': t.accountId },
        ArnLike: { 'aws:SourceArn': `arn:${partitionOf(t.region)}:ec2:${t.region}:${t.accountId}:vpc-flow-log/*` },
      },
    }],
  };
}

/**
 * Permissions of that role: write streams and events into the one log group. The log group is
 * created by the script, so the role needs no `logs:CreateLogGroup`; `DescribeLogGroups` is a list
 * call and is limited to the account's log groups in the region.
 */
export function flowLogsCloudWatchPolicy(t: FlowLogTarget & { readonly logGroup: string }): PolicyDocument {
  const group = logGroupArn(t.region, t.accountId, t.logGroup);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteFlowLogRecords',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        Resource: [group, `${group}:log-stream:*`],
      },
      {
        Sid: 'FindLogGroup',
        Effect: 'Allow',
        Action: 'logs:DescribeLogGroups',
        Resource: logGroupArn(t.region, t.accountId, '*'),
      },
    ],
  };
}

/** `s3://bucket/prefix` as `--log-destination` takes it (an ARN). */
export function flowLogS3DestinationArn(region: string, bucket: string, prefix: string): string {
  return prefix ? `${bucketArn(region, bucket)}/${prefix}` : bucketArn(region, bucket);
}

/**
 * Bucket policy that lets the log delivery service write flow logs for this account only, under
 * `<prefix>/AWSLogs/` (both the plain `<account>/` and the Hive-style `aws-account-id=<account>/`
 * layouts), and check the bucket ACL.
 */
export function flowLogsBucketPolicy(t: FlowLogTarget & { readonly bucket: string; readonly prefix: string }): PolicyDocument {
  const bucket = bucketArn(t.region, t.bucket);
  const base = t.prefix ? `${bucket}/${t.prefix}/AWSLogs` : `${bucket}/AWSLogs`;
  const sourceArn = `arn:${partitionOf(t.region)}:logs:${t.region}:${t.accountId}:*`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSLogDeliveryWrite',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: [`${base}/${t.accountId}/*`, `${base}/aws-account-id=${t.accountId}/*`],
        Condition: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': t.accountId },
          ArnLike: { 'aws:SourceArn': sourceArn },
        },
      },
      {
        Sid: 'AWSLogDeliveryCheck',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: bucket,
        Condition: {
          StringEquals: { 'aws:SourceAccount': t.accountId },
          ArnLike: { 'aws:SourceArn': sourceArn },
        },
      },
    ],
  };
}

export interface S3DestinationOptions {
  readonly FileFormat: 'parquet';
  readonly HiveCompatiblePartitions: true;
  readonly PerHourPartition: boolean;
}

/**
 * `--destination-options` for S3: Parquet (columnar, what Athena scans cheaply) in Hive-style
 * partitions (`year=/month=/day=/hour=`), which the Athena DDL projects without crawlers.
 */
export function flowLogsS3DestinationOptions(perHour = true): S3DestinationOptions {
  return { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: perHour };
}
