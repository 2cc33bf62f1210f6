/** The `--subnets FILE` of the flow-log analyzer: which zone each subnet CIDR (and az-id) is in. */
import { InputError } from '../errors.js';
import type { Zone } from '../model/types.js';
import { formatProblem, ProblemCollector } from '../model/problems.js';
import { pointerSegment } from '../yaml/source-map.js';
import { parseMappingDocument } from '../model/input-file.js';
import { parseCidr } from './addresses.js';

/**
 * Parses a subnets file (YAML or JSON), in either of two shapes:
 *
 * - zonal's own: `subnets: { <cidr>: <zone> }` and optionally `azIds: { <az-id>: <zone> }`;
 * - the output of `aws ec2 describe-subnets` (`Subnets[].CidrBlock`, `Ipv6CidrBlockAssociationSet`,
 *   `AvailabilityZone`, `AvailabilityZoneId`), so the file can be produced with one AWS CLI call.
 *
 * Zones appear in the order they are first named. Throws InputError with `file:line:col` lines.
 */
export function parseSubnetsFile(text: string, file: string): Zone[] {
  const doc = parseMappingDocument(text, file, 'subnets: {<cidr>: <zone>}, or the output of aws ec2 describe-subnets')!;
  const value = doc.value;
  const out = new ProblemCollector(file, doc);
  const zones = new Map<string, { id?: string; cidrs: string[] }>();
  const zoneOf = (name: string) => {
    let z = zones.get(name);
    if (!z) zones.set(name, (z = { cidrs: [] }));
    return z;
  };
  const seen = new Map<string, string>();
  const addCidr = (pointer: string, cidr: unknown, zone: unknown) => {
    if (typeof zone !== 'string' || zone === '') {
      out.atValue(pointer, `zone of ${String(cidr)} must be a zone name`, 'write e.g. us-west-2a');
      return;
    }
    if (typeof cidr !== 'string' || !parseCidr(cidr)) {
      out.atKey(pointer, `"${String(cidr)}" is not a CIDR`, 'write it like 192.168.96.0/19');
      return;
    }
    const before = seen.get(cidr);
    if (before !== undefined && before !== zone) {
      out.atKey(pointer, `${cidr} is mapped to both ${before} and ${zone}`, 'a subnet lives in exactly one zone');
      return;
    }
    seen.set(cidr, zone);
    zoneOf(zone).cidrs.push(cidr);
  };
  const raw = value as Record<string, unknown>;
  if (Array.isArray(raw.Subnets)) {
    raw.Subnets.forEach((s: Record<string, unknown>, i: number) => {
      const base = `/Subnets/${i}`;
      const zone = s?.AvailabilityZone;
      if (typeof zone === 'string' && typeof s.AvailabilityZoneId === 'string') zoneOf(zone).id = s.AvailabilityZoneId;
      addCidr(`${base}/CidrBlock`, s?.CidrBlock, zone);
      const v6 = Array.isArray(s?.Ipv6CidrBlockAssociationSet) ? s.Ipv6CidrBlockAssociationSet : [];
      v6.forEach((a: Record<string, unknown>, k: number) => addCidr(`${base}/Ipv6CidrBlockAssociationSet/${k}/Ipv6CidrBlock`, a?.Ipv6CidrBlock, zone));
    });
  } else if (raw.subnets !== null && typeof raw.subnets === 'object' && !Array.isArray(raw.subnets)) {
    for (const key of Object.keys(raw)) {
      if (key !== 'subnets' && key !== 'azIds') out.atKey(`/${pointerSegment(key)}`, `unknown key "${key}"`, 'a subnets file has only subnets and azIds');
    }
    for (const [cidr, zone] of Object.entries(raw.subnets as Record<string, unknown>)) addCidr(`/subnets/${pointerSegment(cidr)}`, cidr, zone);
    const azIds = raw.azIds ?? {};
    if (azIds === null || typeof azIds !== 'object' || Array.isArray(azIds)) {
      out.atValue('/azIds', 'azIds must map az-id to zone name', 'write e.g. azIds: { usw2-az1: us-west-2a }');
    } else {
      for (const [id, zone] of Object.entries(azIds as Record<string, unknown>)) {
        if (typeof zone !== 'string' || zone === '') out.atValue(`/azIds/${pointerSegment(id)}`, `zone of az-id ${id} must be a zone name`, 'write e.g. usw2-az1: us-west-2a');
        else zoneOf(zone).id = id;
      }
    }
  } else {
    out.atValue('', 'no subnets found', 'write subnets: {<cidr>: <zone>} or save the output of aws ec2 describe-subnets');
  }
  if (out.problems.length > 0) throw new InputError(out.problems.map(formatProblem));
  return [...zones].map(([name, z]) => ({ name, ...(z.id ? { id: z.id } : {}), cidrs: z.cidrs }));
}
