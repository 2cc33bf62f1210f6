/**
 * Where a DestinationRule's traffic policy applies, block by block, with the JSON pointer of each
 * block: the top level, each portLevelSettings entry (which REPLACES the policy for its port: what it
 * leaves out takes defaults, not the top level's values; GetPortLevelTrafficPolicy), each subset
 * (which overrides the top level block by block; MergeSubsetTrafficPolicy) and each subset's ports.
 * Lint reports findings at these pointers; MeshIndex.trafficPolicyFor answers the same questions
 * for one port and subset.
 */
import type { KubeObject } from '../k8s/manifest.js';

type Json = Record<string, unknown>;

function rec(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** One block of a traffic policy and where it is written. */
export interface PolicyBlock {
  readonly value: Json;
  readonly pointer: string;
}

/** One place a traffic policy applies (top level, a port, a subset, a subset's port) with the blocks in force there. */
export interface PolicyScope {
  readonly where: string;
  readonly loadBalancer?: PolicyBlock;
  readonly outlierDetection?: PolicyBlock;
}

function block(policy: Json | undefined, key: string, pointer: string): PolicyBlock | undefined {
  const v = rec(policy?.[key]);
  return v ? { value: v, pointer: `${pointer}/${key}` } : undefined;
}

/** Every scope of a DestinationRule's traffic policy, with the effective loadBalancer and outlierDetection. */
export function policyScopes(dr: KubeObject): PolicyScope[] {
  const spec = rec(dr.spec) ?? {};
  const scopes: PolicyScope[] = [];
  const add = (where: string, base: PolicyScope | undefined, policy: Json | undefined, pointer: string): PolicyScope => {
    const lb = block(policy, 'loadBalancer', pointer) ?? base?.loadBalancer;
    const od = block(policy, 'outlierDetection', pointer) ?? base?.outlierDetection;
    const scope: PolicyScope = { where, ...(lb ? { loadBalancer: lb } : {}), ...(od ? { outlierDetection: od } : {}) };
    scopes.push(scope);
    arr(policy?.portLevelSettings).forEach((raw, i) => {
      const p = rec(raw);
      const port = rec(p?.port)?.number;
      const pp = `${pointer}/portLevelSettings/${i}`;
      const plb = block(p, 'loadBalancer', pp);
      const pod = block(p, 'outlierDetection', pp);
      scopes.push({
        where: `${where === 'trafficPolicy' ? '' : `${where} `}port ${typeof port === 'number' ? port : i}`,
        ...(plb ? { loadBalancer: plb } : {}), ...(pod ? { outlierDetection: pod } : {}),
      });
    });
    return scope;
  };
  const top = add('trafficPolicy', undefined, rec(spec.trafficPolicy), '/spec/trafficPolicy');
  arr(spec.subsets).forEach((s, j) => {
    const tp = rec(rec(s)?.trafficPolicy);
    const name = rec(s)?.name;
    if (tp) add(`subset ${typeof name === 'string' ? name : j}`, top, tp, `/spec/subsets/${j}/trafficPolicy`);
  });
  return scopes;
}

/** The localityLbSetting of a scope, when locality load balancing is not switched off there. */
export function activeLocality(scope: PolicyScope): PolicyBlock | undefined {
  const lb = scope.loadBalancer;
  const locality = rec(lb?.value.localityLbSetting);
  if (!lb || !locality || locality.enabled === false) return undefined;
  return { value: locality, pointer: `${lb.pointer}/localityLbSetting` };
}
