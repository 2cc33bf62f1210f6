/**
 * Address -> service names for the "top talkers" table. Pod IPs change, so the map is a snapshot the
 * user takes around the time the logs cover (e.g. `kubectl get pods -A -o json`).
 */
import { InputError } from '../errors.js';
import { parseCidr, PrefixTable, type Cidr } from './addresses.js';

export interface ServiceMap {
  /** Service names; a lookup returns an index into this list. */
  readonly names: readonly string[];
  readonly table: PrefixTable;
  /** What the map was built from (`serviceMapOf(entries)` rebuilds it, e.g. in a worker). */
  readonly entries: Readonly<Record<string, string>>;
}

/** Builds a ServiceMap from `address or CIDR -> service name` pairs (most specific prefix wins). */
export function serviceMapOf(entries: Readonly<Record<string, string>>): ServiceMap {
  const names: string[] = [];
  const index = new Map<string, number>();
  const rows: Array<{ cidr: Cidr; value: number }> = [];
  for (const [address, name] of Object.entries(entries)) {
    const cidr = parseCidr(address);
    if (!cidr) throw new InputError([`services: "${address}" is not an IP address or CIDR`]);
    let i = index.get(name);
    if (i === undefined) index.set(name, (i = names.push(name) - 1));
    rows.push({ cidr, value: i });
  }
  return { names, table: new PrefixTable(rows), entries: { ...entries } };
}
