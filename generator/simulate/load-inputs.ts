/**
 * Reads what `zonal simulate` and `zonal report` simulate: a values file (rendered with
 * renderObjects) or manifest files (`-f`, with `--zones`), plus the scenario and prices files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, UsageError } from '../commands/command.js';
import { loadPricesFile } from '../cost/load-prices.js';
import { parseManifests, type KubeObject } from '../k8s/manifest.js';
import { loadValuesFile } from '../model/load-values.js';
import { renderObjects } from '../render/index.js';
import { YamlSyntaxError } from '../yaml/source-map.js';
import type { SimulateOptions } from './index.js';
import { loadScenarioFile } from './scenario.js';

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

function yamlFiles(path: string): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? yamlFiles(join(path, e.name)) : /\.ya?ml$/.test(e.name) ? [join(path, e.name)] : []));
}

async function readManifests(paths: readonly string[], cwd: string, readStdin: () => Promise<string>): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  for (const p of paths) {
    const files = p === '-' ? ['-'] : (() => {
      try {
        return yamlFiles(resolve(cwd, p));
      } catch {
        throw new InputError([`${p}:1:1: cannot read the manifest path (no such file or directory; check -f)`]);
      }
    })();
    for (const f of files) {
      const text = f === '-' ? await readStdin() : readFileSync(f, 'utf8');
      try {
        objects.push(...parseManifests(text, f === '-' ? '<stdin>' : f).map((l) => l.object));
      } catch (err) {
        if (err instanceof YamlSyntaxError) throw new InputError([`${err.message} (fix the YAML syntax)`]);
        throw err;
      }
    }
  }
  return objects;
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
  const objects = await readManifests(flags.files!, cwd, readStdin);
  const { zones, region } = zonesFromFlags(flags, objects);
  return { objects, options: { zones, region, ...(scenario ? { scenario } : {}), ...(prices ? { prices } : {}) } };
}
