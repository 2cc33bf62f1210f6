import { describe, expect, it } from '@jest/globals';
import { isIP } from 'node:net';
import { ipFamily } from '../../generator/istio/ip.js';
import { mulberry32 as random } from '../support/random.js';

/** Strings near the shapes of addresses: octets (with leading zeros, 256, signs), colons, zones, host names. */
function addressLike(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const octet = () => pick(['0', '1', '9', '10', '99', '100', '199', '200', '249', '250', '255', '256', '01', '001', '300', '-1', '+1', ' 1', '1a', '']);
  const group = () => pick(['0', '1', 'ff', 'FFFF', '12345', 'g', '', 'db8', '2001']);
  switch (Math.floor(next() * 4)) {
    case 0: return Array.from({ length: 2 + Math.floor(next() * 4) }, octet).join('.');
    case 1: return Array.from({ length: 1 + Math.floor(next() * 9) }, group).join(pick([':', '::'])) + pick(['', '%eth0', '.1.2.3.4', ':1.2.3.4', '/64']);
    case 2: return `${pick(['::ffff:', '::', '1::'])}${Array.from({ length: 4 }, octet).join('.')}`;
    default: return pick(['localhost', 'a.b', '1.2.3.4.', '.1.2.3', '1..2.3', '１.２.３.４', '1.2.3.4\n', '']);
  }
}

describe('GIVEN address strings (ipFamily, which reads IPv4 itself and loads node:net only for IPv6)', () => {
  it('WHEN compared with net.isIP on 20,000 address-like strings THEN every answer is the same', () => {
    const next = random(20261207);
    const differ: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const s = addressLike(next);
      if (ipFamily(s) !== isIP(s)) differ.push(JSON.stringify(s));
    }
    expect(differ).toEqual([]);
  });

  it('WHEN an octet has a leading zero or exceeds 255 THEN it is no IPv4 address, as in Go and Node', () => {
    expect(['10.0.0.1', '255.255.255.255', '0.0.0.0', '010.0.0.1', '256.0.0.1', '1.2.3', 'fe80::1', 'fe80::1%eth0', '::ffff:1.2.3.4', 'host'].map(ipFamily))
      .toEqual([4, 4, 4, 0, 0, 0, 6, 6, 6, 0]);
  });
});
