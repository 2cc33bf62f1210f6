import { existsSync } from 'node:fs';
import { behaviourOf } from '../istio/versions.js';
import { hasErrors, lintModel } from '../lint/index.js';
import { oneLine } from '../model/problems.js';
import type { TopologyRouting } from '../model/types.js';
import { renderObjects } from '../render/index.js';
import { CrdValidators, istioCrdFile } from '../validate/crd-schema.js';
import { InputError } from './command.js';

/** Column of the first character of a 1-based line (findings carry the line only). */
export function firstColumn(text: string | undefined, line: number): number {
  const l = text?.split('\n')[line - 1];
  return l === undefined ? 1 : l.length - l.trimStart().length + 1;
}

const crdCache = new Map<string, CrdValidators>();

/**
 * Problems the CRD schema of the configured Istio version finds in the rendered Istio objects
 * (unknown fields, wrong types). The schemas live in ../shared/schemas (CI places them there);
 * without that folder only the Istio core's webhook rules (in the lint findings) apply.
 */
function crdSchemaProblems(model: TopologyRouting, displayName: string): string[] {
  const dir = behaviourOf(model.mesh.istioVersion, `${displayName}: mesh.istioVersion`).crdSchemaDir;
  const file = istioCrdFile(process.env, dir);
  if (!existsSync(file)) return [];
  let crds = crdCache.get(file);
  if (!crds) {
    crds = new CrdValidators([file]);
    crdCache.set(file, crds);
  }
  const problems: string[] = [];
  for (const o of renderObjects(model)) {
    if (!crds.has(o.apiVersion, o.kind)) continue;
    for (const p of crds.validate(o)) {
      problems.push(`${displayName}:1:1: ERROR ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: the Istio ${dir} CRD schema rejects ${p} ` +
        '(this is a bug in zonal\'s rendering for this Istio version; nothing was written)');
    }
  }
  return problems;
}

/**
 * `zonal generate` refuses to write a chart that has lint errors (which include every Istio
 * webhook rejection the Istio core finds) or that the CRD schema of the configured Istio version
 * rejects: a chart that Istio refuses, or accepts but that routes nothing, is worse than no chart.
 * Warnings are printed by `zonal lint`, not here. `text` is the values file's text, to place each
 * finding at its key's column.
 */
export function lintGate(model: TopologyRouting, displayName: string, text?: string): void {
  // The model remembers the document it was parsed from, so findings are placed without re-reading.
  const findings = lintModel(model, displayName);
  const schema = crdSchemaProblems(model, displayName);
  if (!hasErrors(findings) && schema.length === 0) return;
  throw new InputError([...findings.filter((f) => f.severity === 'error').map((f) => oneLine(
    `${f.file}:${f.line}:${firstColumn(text, f.line)}: ERROR ${f.code} ${f.message} (see ${f.code} in docs/lint-rules.md; nothing was written)`)), ...schema]);
}
