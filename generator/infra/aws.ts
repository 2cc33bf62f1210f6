/**
 * AWS naming facts shared by the infra generators: partitions, ARNs, tags and the account-id
 * placeholder. Pure functions; nothing here talks to AWS.
 */
import { ValueError } from '../errors.js';

/**
 * Stands in for the account id when none is given (`--account-id`), in CloudFormation `Sub` syntax
 * so a reader sees at once what belongs there. Scripts always pass the id they read from
 * `aws sts get-caller-identity`, so nobody pastes an account id into a file.
 */
export const ACCOUNT_PLACEHOLDER = '${AWS::AccountId}';

/** A 12-digit AWS account id or the placeholder. */
export function isAccountId(value: string): boolean {
  return /^[0-9]{12}$/.test(value) || value === ACCOUNT_PLACEHOLDER;
}

/** ARN partition of a region: China and GovCloud regions have their own. */
export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function logGroupArn(region: string, accountId: string, logGroup: string): string {
  return `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group:${logGroup}`;
}

export function bucketArn(region: string, bucket: string): string {
  return `arn:${partitionOf(region)}:s3:::${bucket}`;
}

/** CloudWatch Logs log group names: 1-512 of `[.-_/#A-Za-z0-9]`. */
export function isLogGroupName(name: string): boolean {
  return /^[.\-_/#A-Za-z0-9]{1,512}$/.test(name);
}

/** S3 bucket names (general purpose): 3-63 of lower-case letters, digits, dots and hyphens. */
export function isBucketName(name: string): boolean {
  if (name.includes(ACCOUNT_PLACEHOLDER)) return true;
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..');
}

/** An S3 key prefix for flow logs: no leading/trailing slash, no quotes, not starting with AWSLogs. */
export function isS3Prefix(prefix: string): boolean {
  return prefix === '' || (/^[A-Za-z0-9!_.*()\-/]+$/.test(prefix) && !prefix.startsWith('/') && !prefix.endsWith('/') && !/^AWSLogs(\/|$)/.test(prefix));
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** Parses `KEY=VALUE` (the value may hold spaces and `=`). */
export function parseTag(raw: string): Tag {
  const eq = raw.indexOf('=');
  const key = eq < 0 ? raw : raw.slice(0, eq);
  const value = eq < 0 ? '' : raw.slice(eq + 1);
  // AWS tag keys/values: letters, digits, spaces and _ . : / = + - @ (keys up to 128, values up to 256).
  if (eq < 1 || !/^[\p{L}\p{N} _.:/=+\-@]{1,128}$/u.test(key) || key.startsWith('aws:')) {
    throw new ValueError(`tag "${raw}" must be KEY=VALUE with a key of letters, digits, spaces and _ . : / = + - @ (not aws:)`);
  }
  if (!/^[\p{L}\p{N} _.:/=+\-@]{0,256}$/u.test(value)) {
    throw new ValueError(`tag "${raw}": the value may hold only letters, digits, spaces and _ . : / = + - @`);
  }
  return { key, value };
}

/** Later tags win over earlier ones with the same key; order of first appearance is kept. */
export function mergeTags(...groups: ReadonlyArray<readonly Tag[]>): Tag[] {
  const byKey = new Map<string, string>();
  for (const group of groups) for (const t of group) byKey.set(t.key, t.value);
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export type TagStyle = 'map' | 'list' | 'tagset' | 'kv' | `ec2:${string}`;

/**
 * Tags in the JSON shape each AWS API takes: `map` ({"k":"v"}: logs, eksctl), `list`
 * ([{"Key","Value"}]: iam, rds, secretsmanager), `tagset` (s3api put-bucket-tagging),
 * `ec2:<resource-type>` (ec2 --tag-specifications) and `kv` (`k=v,k2=v2`: eksctl --tags; tag
 * values cannot hold commas, so this is unambiguous).
 */
export function tagsAs(tags: readonly Tag[], style: TagStyle): unknown {
  const list = tags.map((t) => ({ Key: t.key, Value: t.value }));
  if (style === 'kv') return tags.map((t) => `${t.key}=${t.value}`).join(',');
  if (style === 'map') return Object.fromEntries(tags.map((t) => [t.key, t.value]));
  if (style === 'list') return list;
  if (style === 'tagset') return { TagSet: list };
  const resourceType = style.slice('ec2:'.length);
  if (!/^[a-z][a-z0-9-]*$/.test(resourceType)) throw new ValueError(`tag style "${style}": resource type must look like vpc-flow-log`);
  return [{ ResourceType: resourceType, Tags: list }];
}

export function isTagStyle(s: string): s is TagStyle {
  return s === 'map' || s === 'list' || s === 'tagset' || s === 'kv' || /^ec2:[a-z][a-z0-9-]*$/.test(s);
}
