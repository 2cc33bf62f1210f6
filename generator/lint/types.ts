import type { MeshConfig } from '../istio/mesh.js';
import type { LocatedObject } from '../k8s/manifest.js';

export type Severity = 'error' | 'warning' | 'info';

/** One lint finding, in the shape `zonal lint --json` prints. */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  /** What is wrong, why it matters and how to fix it, in one sentence or two. */
  readonly message: string;
  readonly file: string;
  /** 1-based line of the offending key (or of the object when the key is absent). */
  readonly line: number;
  readonly kind: string;
  readonly name: string;
  /** The object's `metadata.namespace` ("" when absent or cluster-scoped). */
  readonly namespace: string;
  /**
   * Istio's own verdict, when the finding reproduces it: `rejects` (its webhook or CRD schema refuses
   * the object; severity error) or `warns` (its webhook admits it with a warning). Absent for
   * zonal's own findings about configurations Istio accepts without complaint.
   */
  readonly istio?: IstioVerdict;
}

export type IstioVerdict = 'rejects' | 'warns';

/** What the linter knows about the cluster and mesh beyond the objects themselves. */
export interface LintContext {
  /** Cluster zones (e.g. from `--zones` or the values file); enables the zone-membership rule. */
  readonly zones?: readonly string[];
  /** Cluster region (e.g. `us-west-2`); checked against endpoint localities. */
  readonly region?: string;
  /**
   * The mesh captures DNS in sidecars and auto-allocates ServiceEntry addresses mesh-wide
   * (values `mesh.dnsCapture`, or `--dns-capture`), so TCP ServiceEntries without `addresses` get their own VIP.
   */
  readonly meshDnsAutoAllocate?: boolean;
  /** Istio version of the control plane (e.g. `1.31.1`); 1.29-1.32. @default DEFAULT_ISTIO_VERSION (generator/istio/versions.ts) */
  readonly istioVersion?: string;
  /** Mesh config (values file) the objects do not carry themselves. */
  readonly mesh?: MeshConfig;
}

/** A finding before it is placed in a file: the object and the JSON pointer (inside the object) it is about. */
export interface RawFinding {
  readonly code: string;
  readonly severity?: Severity;
  readonly message: string;
  readonly target: LocatedObject;
  /** JSON pointer inside the object, e.g. `/spec/trafficPolicy/outlierDetection`. */
  readonly pointer: string;
  readonly istio?: IstioVerdict;
}

export type Emit = (finding: RawFinding) => void;
