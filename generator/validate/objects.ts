import { CrdValidators } from './crd-schema.js';

type Obj = { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } };
type ModelClass = new (data: unknown) => { validate(): void };

/** kubernetes-models classes for the core kinds zonal emits (loaded by `import`: they are ESM-only). */
async function coreModels(): Promise<Record<string, ModelClass>> {
  // Sequential imports: they share ajv runtime modules, and parallel first loads race in Jest's ESM loader.
  const ns = await import('kubernetes-models/v1/Namespace');
  const sa = await import('kubernetes-models/v1/ServiceAccount');
  const svc = await import('kubernetes-models/v1/Service');
  const dep = await import('kubernetes-models/apps/v1/Deployment');
  const pdb = await import('kubernetes-models/policy/v1/PodDisruptionBudget');
  const hpa = await import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler');
  const cm = await import('kubernetes-models/v1/ConfigMap');
  return {
    'v1/ConfigMap': cm.ConfigMap as unknown as ModelClass,
    'v1/Namespace': ns.Namespace as unknown as ModelClass,
    'v1/ServiceAccount': sa.ServiceAccount as unknown as ModelClass,
    'v1/Service': svc.Service as unknown as ModelClass,
    'apps/v1/Deployment': dep.Deployment as unknown as ModelClass,
    'policy/v1/PodDisruptionBudget': pdb.PodDisruptionBudget as unknown as ModelClass,
    'autoscaling/v2/HorizontalPodAutoscaler': hpa.HorizontalPodAutoscaler as unknown as ModelClass,
  };
}

async function istioModels(): Promise<Record<string, ModelClass>> {
  const dr = await import('@kubernetes-models/istio/networking.istio.io/v1/DestinationRule');
  const se = await import('@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry');
  return {
    'networking.istio.io/v1/DestinationRule': dr.DestinationRule as unknown as ModelClass,
    'networking.istio.io/v1/ServiceEntry': se.ServiceEntry as unknown as ModelClass,
  };
}

let models: Record<string, ModelClass> | undefined;

/**
 * Validates objects two ways: the typed kubernetes-models / @kubernetes-models/istio validators,
 * and, for custom resources, the upstream CRD schema made strict (unknown fields rejected).
 * Returns one line per problem, `Kind ns/name: problem`.
 */
export async function validateObjects(objects: readonly Obj[], crds: CrdValidators): Promise<string[]> {
  models ??= { ...(await coreModels()), ...(await istioModels()) };
  const problems: string[] = [];
  for (const o of objects) {
    const id = `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? '?'}`;
    const key = `${o.apiVersion}/${o.kind}`;
    const Model = models[key];
    if (Model) {
      try {
        new Model(o).validate();
      } catch (err) {
        problems.push(`${id}: ${(err as Error).message}`);
      }
    }
    if (crds.has(o.apiVersion, o.kind)) problems.push(...crds.validate(o).map((p) => `${id}: ${p}`));
    else if (!Model) problems.push(`${id}: no schema known for ${key}`);
  }
  return problems;
}
