import type { ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from '../validate/precompiled.js';
import type { TopologyRouting } from '../model/types.js';
import { formatProblem, ProblemCollector } from '../model/problems.js';
import { reportSchemaError } from '../model/schema-errors.js';
import type { PositionedDocument } from '../yaml/source-map.js';
import { schemaOf, valuesOf, valuesTree } from './values-tree.js';

type Tree = Record<string, unknown>;
const isMap = (v: unknown): v is Tree => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Helm's coalescing of a values file over the chart's values.yaml: maps merge key by key, a null
 * removes the key, anything else replaces.
 */
export function helmMerge(base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override)) return override;
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete out[k];
    else out[k] = k in base ? helmMerge(base[k], v) : v;
  }
  return out;
}

/**
 * Maps keyed by name (services, externalHosts) allow their names through `propertyNames: {enum}`:
 * an unknown name is reported as an unknown key (with the names allowed), not as the map's whole
 * value, and the missing keys of the unknown entry are left out.
 */
function unknownKeysFirst(errors: readonly ErrorObject[]): ErrorObject[] {
  const unknown = errors.filter((e) => e.keyword === 'propertyNames')
    .map((e) => ({ at: e.instancePath, key: String((e.params as { propertyName?: string }).propertyName) }));
  const allowed = new Map(errors.filter((e) => e.keyword === 'enum' && e.schemaPath.endsWith('/propertyNames/enum'))
    .map((e) => [e.instancePath, (e.params as { allowedValues: string[] }).allowedValues]));
  const under = (path: string) => unknown.some((u) => path === `${u.at}/${u.key}` || path.startsWith(`${u.at}/${u.key}/`));
  return [
    ...unknown.map((u) => ({
      keyword: 'additionalProperties', instancePath: u.at, schemaPath: '', params: { additionalProperty: u.key },
      parentSchema: { properties: Object.fromEntries((allowed.get(u.at) ?? []).map((k) => [k, {}])) },
    } as ErrorObject)),
    ...errors.filter((e) => e.keyword !== 'propertyNames' && !(e.keyword === 'enum' && e.schemaPath.endsWith('/propertyNames/enum')) && !under(e.instancePath)),
  ];
}

let last: { text: string; validate: ValidateFunction } | undefined;

/** The schema compiled once per distinct schema (runs over the same chart reuse it). */
function compiled(schema: object): ValidateFunction {
  const text = JSON.stringify(schema);
  if (last?.text !== text) last = { text, validate: newAjv({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true }).compile(schema) };
  return last.validate;
}

/**
 * Checks each environment's `values` the way `helm template -f values-<env>.yaml` will: merged over
 * the chart's defaults and validated against the chart's own values.schema.json. Problems point
 * into `environments[i].values` of the zonal values file.
 */
export function environmentValueProblems(model: TopologyRouting, doc: PositionedDocument | undefined, file: string): string[] {
  if (!doc || !model.environments.some((e) => Object.keys(e.values).length > 0)) return [];
  const tree = valuesTree(model);
  const validate = compiled(schemaOf(tree));
  const defaults = valuesOf(tree);
  const out = new ProblemCollector(file, doc);
  model.environments.forEach((env, i) => {
    if (Object.keys(env.values).length === 0) return;
    const merged = helmMerge(defaults, env.values);
    if (validate(merged)) return;
    const data: Tree = { environments: Object.assign([], { [i]: { values: merged } }) };
    for (const e of unknownKeysFirst(validate.errors ?? [])) {
      reportSchemaError({ ...e, instancePath: `/environments/${i}/values${e.instancePath}` }, data, out);
    }
  });
  return out.problems.map(formatProblem);
}
