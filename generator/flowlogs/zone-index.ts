/** Zone lookup tables for the scanner: subnet CIDRs and az-ids -> zone index. */
import { InputError } from '../errors.js';
import type { Zone } from '../model/types.js';
import { parseCidr, PrefixTable } from './addresses.js';

/** Zone lookup tables built once per analysis; zones are referred to by their index. */
export class ZoneIndex {
  readonly names: readonly string[];
  readonly table: PrefixTable;
  /** az-id bytes per zone index (ASCII), compared in place against the record buffer. */
  readonly azIds: ReadonlyArray<{ bytes: Uint8Array; zone: number }>;

  constructor(zones: readonly Zone[]) {
    this.names = zones.map((z) => z.name);
    const entries: Array<{ cidr: NonNullable<ReturnType<typeof parseCidr>>; value: number }> = [];
    zones.forEach((z, i) => {
      for (const text of z.cidrs) {
        const cidr = parseCidr(text);
        if (!cidr) throw new InputError([`zone ${z.name}: "${text}" is not a CIDR (write it like 192.168.96.0/19)`]);
        entries.push({ cidr, value: i });
      }
    });
    this.table = new PrefixTable(entries);
    this.azIds = zones.flatMap((z, i) => (z.id ? [{ bytes: Buffer.from(z.id, 'latin1'), zone: i }] : []));
  }

  /** Zone index of the az-id spelled at `buf[at..]` (ending at a space, CR or newline), or -1. */
  zoneOfAzId(buf: Uint8Array, at: number): number {
    const ids = this.azIds;
    for (let z = 0; z < ids.length; z++) {
      const bytes = ids[z]!.bytes;
      // from the end: the ids of one region differ in their last characters
      let k = bytes.length - 1;
      while (k >= 0 && buf[at + k] === bytes[k]) k--;
      if (k < 0) {
        const c = buf[at + bytes.length];
        if (c === 32 || c === 10 || c === 13) return ids[z]!.zone;
      }
    }
    return -1;
  }
}
