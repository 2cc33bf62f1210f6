/**
 * Istio's protocol names: which names istiod knows (protocol.Parse, case-insensitive), how it reads a
 * Kubernetes Service port (ConvertProtocol: UDP, then appProtocol or the port name's prefix before
 * the first "-", then a few well-known port numbers), and which protocols it serves on plain TCP
 * listeners. One source for lint, the validation rules and the analyzers.
 */

/** Every protocol name istiod's protocol.Parse knows, upper-case as the API documents them. */
export const ISTIO_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY', 'TCP', 'TLS', 'UDP', 'MONGO', 'REDIS', 'MYSQL'] as const;
export type IstioProtocol = (typeof ISTIO_PROTOCOLS)[number];

const KNOWN = new Set<string>(ISTIO_PROTOCOLS);

/** protocol.Parse: the protocol a name stands for (case-insensitive), or undefined for an unsupported one ("" too). */
export function parseProtocol(name: string): IstioProtocol | undefined {
  const upper = name.toUpperCase();
  return KNOWN.has(upper) ? (upper as IstioProtocol) : undefined;
}

export function isKnownProtocol(name: string): boolean {
  return parseProtocol(name) !== undefined;
}

/** Ports whose number alone tells istiod the protocol is TCP (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);

/** The appProtocol values Kubernetes defines, and the protocol istiod reads for each. */
const KUBERNETES_APP_PROTOCOLS: Readonly<Record<string, IstioProtocol>> = {
  'kubernetes.io/h2c': 'HTTP2',
  'kubernetes.io/ws': 'HTTP',
  'kubernetes.io/wss': 'HTTPS',
};

export interface ServicePortInput {
  readonly port: number;
  readonly name?: string;
  /** Kubernetes L4 protocol (TCP, UDP, SCTP). */
  readonly protocol?: string;
  readonly appProtocol?: string;
}

/**
 * ConvertProtocol: the protocol istiod assigns a Service port, or undefined when it cannot tell
 * (it then sniffs the protocol on the connection; Istio's analyzer calls that "not under naming
 * convention").
 */
export function servicePortProtocol(p: ServicePortInput): IstioProtocol | undefined {
  if (p.protocol === 'UDP') return 'UDP';
  let name = p.name ?? '';
  if (p.appProtocol !== undefined) {
    name = p.appProtocol;
    const k = KUBERNETES_APP_PROTOCOLS[name];
    if (k) return k;
  }
  if (name.toUpperCase().startsWith('GRPC-WEB')) return 'GRPC-WEB';
  const dash = name.indexOf('-');
  const parsed = parseProtocol(dash >= 0 ? name.slice(0, dash) : name);
  if (parsed === undefined && WELL_KNOWN_TCP_PORTS.has(p.port)) return 'TCP';
  return parsed;
}

/**
 * Protocols Envoy serves on a plain TCP listener (no Host header, no SNI to tell two hosts apart);
 * "" is sniffing, which istiod also places on the wildcard listener of the port.
 */
export function isOpaqueTcp(protocol: string): boolean {
  return protocol === '' || ['TCP', 'MONGO', 'MYSQL', 'REDIS'].includes(protocol.toUpperCase());
}
