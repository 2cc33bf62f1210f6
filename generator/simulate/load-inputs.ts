/**
 * Reads what `zonal simulate` and `zonal report` simulate: a values file (rendered with
 * renderObjects) or manifest files (`-f`, with `--zones`), plus the scenario and prices files.
 */
import { resolve } from 'node:path';
import { UsageError } from '../commands/command.js';
import { loadPricesFile } from '../cost/load-prices.js';
import type { KubeObject } from '../k8s/manifest.js';
import { loadValuesFile } from '../model/load-values.js';
import { renderObjects } from '../render/index.js';
import type { SimulateOptions } from './index.js';
import { loadScenarioFile } from './scenario.js';
import { readManifestSources } from '../k8s/read-manifests.js';

export interface InputFlags {
  readonly values?: string;
  readonly files?: readonly string[];
  readonly zones?: string;
  readonly region?: string;
  readonly scenario?: string;
  readonly prices?: string;
}

/** The input flags `simulate` and `report` share, for parseFlags. */
export const INPUT_FLAG_OPTIONS = {
  values: { type: 'string' },
  file: { type: 'string', short: 'f', multiple: true },
  zones: { type: 'string' },
  region: { type: 'string' },
  scenario: { type: 'string' },
  prices: { type: 'string' },
} as const;

/** Picks the shared input flags out of parsed flag values (absent flags stay absent). */
export function inputFlagsOf(v: { values?: string; file?: string[]; zones?: string; region?: string; scenario?: string; prices?: string }): InputFlags {
  return {
    ...(v.values !== undefined ? { values: v.values } : {}),
    ...(v.file ? { files: v.file } : {}),
    ...(v.zones !== undefined ? { zones: v.zones } : {}),
    ...(v.region !== undefined ? { region: v.region } : {}),
    ...(v.scenario !== undefined ? { scenario: v.scenario } : {}),
    ...(v.prices !== undefined ? { prices: v.prices } : {}),
  };
}

export interface SimulationInputs {
  readonly objects: readonly KubeObject[];
  readonly options: SimulateOptions;
}

/** Zones and region when there is no values file: `--zones`, `--region`, or the ServiceEntry localities. */
function zonesFromFlags(flags: InputFlags, objects: readonly KubeObject[]): { zones: string[]; region: string } {
  const localities = objects
    .filter((o) => o.kind === 'ServiceEntry')
    .flatMap((o) => ((o as { spec?: { endpoints?: Array<{ locality?: string }> } }).spec?.endpoints ?? []).map((e) => e.locality ?? ''))
    .filter((l) => l.includes('/'));
  const region = flags.region ?? localities[0]?.split('/')[0];
  const zones = flags.zones ? flags.zones.split(',').map((z) => z.trim()).filter(Boolean) : [...new Set(localities.map((l) => l.split('/')[1]!))].sort();
  if (zones.length === 0) throw new UsageError('with -f, give the cluster zones: --zones us-west-2a,us-west-2b,us-west-2c');
  if (!region) throw new UsageError('with -f, give the cluster region: --region us-west-2');
  return { zones, region };
}

export async function loadSimulationInputs(flags: InputFlags, cwd: string, readStdin: () => Promise<string>): Promise<SimulationInputs> {
  const hasFiles = (flags.files?.length ?? 0) > 0;
  if (!flags.values && !hasFiles) throw new UsageError('give --values FILE (or -f MANIFESTS with --zones)');
  if (flags.values && hasFiles) throw new UsageError('give either --values or -f, not both');
  const prices = flags.prices ? loadPricesFile(resolve(cwd, flags.prices), flags.prices) : undefined;
  const scenario = flags.scenario ? loadScenarioFile(resolve(cwd, flags.scenario), flags.scenario) : undefined;
  if (flags.values) {
    const model = loadValuesFile(resolve(cwd, flags.values), flags.values);
    const objects = renderObjects(model);
    return {
      objects,
      options: {
        zones: flags.zones ? flags.zones.split(',').map((z) => z.trim()) : model.cluster.zones.map((z) => z.name),
        region: flags.region ?? model.cluster.region,
        model,
        ...(scenario ? { scenario } : {}),
        ...(prices ? { prices } : {}),
      },
    };
  }
  const objects = (await readManifestSources(flags.files!, cwd, readStdin)).map((l) => l.object);
  const { zones, region } = zonesFromFlags(flags, objects);
  return { objects, options: { zones, region, ...(scenario ? { scenario } : {}), ...(prices ? { prices } : {}) } };
}
