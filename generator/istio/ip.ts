/**
 * IP address families, exactly as Node's net.isIP tells them (the verify:istio oracle checks the
 * rules that use them against Go's parser). IPv4 is checked here: four decimal octets 0-255 without
 * leading zeros, which Go's parser also requires. Only a string with a colon can be IPv6, and only
 * for those is node:net loaded: loading it (with the socket and stream modules it pulls in) cost
 * every run some 3 ms.
 */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`);

/** 4, 6, or 0 for a string that is not an IP address (net.isIP's answer). */
export function ipFamily(s: string): 0 | 4 | 6 {
  if (IPV4.test(s)) return 4;
  return s.includes(':') && process.getBuiltinModule('node:net').isIPv6(s) ? 6 : 0;
}
