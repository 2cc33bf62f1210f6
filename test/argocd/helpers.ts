import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load, loadAll } from 'js-yaml';
import { parseValues } from '../../generator/model/load-values.js';
import type { TopologyRouting } from '../../generator/model/types.js';
import { REPO } from '../support/helm.js';

export type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const EXAMPLE = join(REPO, 'values', 'octank-travel.yaml');

/** The bundled example with `edit` applied to its raw YAML tree, loaded through the real loader. */
export function exampleModel(edit: (raw: Any) => void = () => {}): TopologyRouting {
  const raw = load(readFileSync(EXAMPLE, 'utf8')) as Any;
  edit(raw);
  return parseValues(dump(raw), 'variant.yaml');
}

/** Every YAML document of a generated file, skipping empty ones. */
export function docs(text: string): Any[] {
  return (loadAll(text) as Any[]).filter((d) => d !== null && d !== undefined);
}

/** Whether an AppProject resource list (whitelist) permits group/kind(/name); `*` matches anything. */
export function permits(list: readonly Any[] | undefined, group: string, kind: string, name?: string): boolean {
  const match = (pattern: string | undefined, value: string | undefined) =>
    pattern === undefined || pattern === '*' || pattern === value;
  return (list ?? []).some((e) => match(e.group, group) && match(e.kind, kind) && (e.name === undefined || match(e.name, name)));
}

/** Whether an AppProject permits deploying into server/namespace. */
export function permitsDestination(project: Any, server: string, namespace: string): boolean {
  return (project.spec.destinations as Any[]).some((d) =>
    (d.server === '*' || d.server === server) && (d.namespace === '*' || d.namespace === namespace));
}

export function waveOf(o: Any): number {
  return Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');
}
