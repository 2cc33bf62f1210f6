/**
 * Reads what `zonal simulate` and `zonal report` simulate: a values file (rendered with
 * renderObjects) or manifest files (`-f`, with `--zones`), plus the scenario and prices files.
 * CLI layer: it turns flags into files read and domain inputs.
 */
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { loadPricesFile } from '../../cost/load-prices.js';
import type { KubeObject } from '../../k8s/manifest.js';
import { readManifestSources } from '../../k8s/read-manifests.js';
import { behaviourOf } from '../../istio/versions.js';
import { loadValuesFile } from '../../model/load-values.js';
import { renderObjects } from '../../render/index.js';
import type { SimulateOptions } from '../../simulate/index.js';
import { loadScenarioFile } from '../../simulate/scenario.js';
import type { FlagValues } from '../declare.js';
import { parseZonesFlag } from './zones-flag.js';
import { parseHotZoneFactor } from './hot-zone-flag.js';

/** The input flags `simulate` and `report` share, declared once (parsing and help text). */
export const SIMULATION_INPUT_FLAGS = {
  values: { type: 'string', arg: 'FILE', help: 'zonal values file; its chart objects are simulated (as rendered by generate)' },
  file: {
    type: 'string', short: 'f', multiple: true, arg: 'PATH',
    help: 'Kubernetes/Istio manifests instead (file, directory of *.yaml, or - for stdin);\nrepeatable. Needs --zones (and --region unless ServiceEntry localities say it)',
  },
  zones: { type: 'string', arg: 'LIST', help: 'caller zones, comma separated (default: the values file\'s cluster zones)' },
  region: { type: 'string', arg: 'R', help: 'the cluster\'s region (default: the values file\'s cluster.region)' },
  scenario: {
    type: 'string', arg: 'FILE',
    help: 'endpoint health and traffic volumes (docs/simulate.md):\n' +
      '  endpoints: { <destination>: { <zone>: { total: N, healthy: N, notReady: N } } }\n' +
      '  traffic: [ { from: <zone>, to: <destination>, gbPerMonth: N } ]\n' +
      '  defaultGbPerMonth: N      dataplane: sidecar | kube-proxy\n' +
      '  callers: { <destination>: { <zone>: <ready caller pods> } }',
  },
  prices: { type: 'string', arg: 'FILE', help: 'JSON/YAML overriding generator/cost/prices.ts (any subset)' },
  'istio-version': { type: 'string', arg: 'V', help: 'Istio version of the control plane: 1.29 to 1.32 (default: the values file\'s mesh.istioVersion, else 1.31.1)' },
  'hot-zone-factor': { type: 'string', arg: 'X', help: 'a zone is hot when its per-endpoint share of calls exceeds the mean by more than X (default 1.5)' },
} as const;

export type SimulationInputFlags = FlagValues<typeof SIMULATION_INPUT_FLAGS>;

export interface SimulationInputs {
  readonly objects: readonly KubeObject[];
  readonly options: SimulateOptions;
}

/** Zones and region when there is no values file: `--zones`, `--region`, or the ServiceEntry localities. */
function zonesWithoutValues(flags: SimulationInputFlags, objects: readonly KubeObject[]): { zones: string[]; region: string } {
  const localities = objects
    .filter((o) => o.kind === 'ServiceEntry')
    .flatMap((o) => ((o as { spec?: { endpoints?: Array<{ locality?: string }> } }).spec?.endpoints ?? []).map((e) => e.locality ?? ''))
    .filter((l) => l.includes('/'));
  const region = flags.region ?? localities[0]?.split('/')[0];
  const zones = flags.zones !== undefined ? parseZonesFlag(flags.zones) : [...new Set(localities.map((l) => l.split('/')[1]!))].sort();
  if (zones.length === 0) throw new UsageError('with -f, give the cluster zones: --zones us-west-2a,us-west-2b,us-west-2c');
  if (!region) throw new UsageError('with -f, give the cluster region: --region us-west-2');
  return { zones, region };
}

export async function loadSimulationInputs(flags: SimulationInputFlags, cwd: string, readStdin: () => Promise<string>): Promise<SimulationInputs> {
  const files = flags.file ?? [];
  if (!flags.values && files.length === 0) throw new UsageError('give --values FILE (or -f MANIFESTS with --zones)');
  if (flags.values && files.length > 0) throw new UsageError('give either --values or -f, not both');
  const prices = flags.prices ? loadPricesFile(resolve(cwd, flags.prices), flags.prices) : undefined;
  const istioVersion = flags['istio-version'];
  if (istioVersion !== undefined) {
    try {
      behaviourOf(istioVersion, '--istio-version');
    } catch (err) {
      // A flag value: reported as `zonal <cmd>: --istio-version ...` with the usage.
      if (err instanceof InputError) throw new UsageError(err.problems.join('; '));
      throw err;
    }
  }
  const version = {
    ...(istioVersion !== undefined ? { istioVersion } : {}),
    ...(flags['hot-zone-factor'] !== undefined ? { hotZoneFactor: parseHotZoneFactor(flags['hot-zone-factor']) } : {}),
  };
  const scenario = flags.scenario ? loadScenarioFile(resolve(cwd, flags.scenario), flags.scenario) : undefined;
  if (flags.values) {
    const model = loadValuesFile(resolve(cwd, flags.values), flags.values);
    const clusterZones = model.cluster.zones.map((z) => z.name);
    return {
      objects: renderObjects(model),
      options: {
        zones: flags.zones !== undefined ? parseZonesFlag(flags.zones, clusterZones) : clusterZones,
        region: flags.region ?? model.cluster.region,
        model,
        ...(scenario ? { scenario } : {}),
        ...(prices ? { prices } : {}),
        ...version,
      },
    };
  }
  const objects = (await readManifestSources(files, cwd, readStdin)).map((l) => l.object);
  const { zones, region } = zonesWithoutValues(flags, objects);
  return { objects, options: { zones, region, ...(scenario ? { scenario } : {}), ...(prices ? { prices } : {}), ...version } };
}
