import { hasErrors, lintModel } from '../lint/index.js';
import type { TopologyRouting } from '../model/types.js';
import { InputError } from './command.js';

/**
 * `zonal generate` refuses to write a chart that has lint errors: a chart that Istio accepts but
 * that routes nothing is worse than no chart. Warnings are printed by `zonal lint`, not here.
 */
export function lintGate(model: TopologyRouting, displayName: string): void {
  // The model remembers the document it was parsed from, so findings are placed without re-reading.
  const findings = lintModel(model, displayName);
  if (!hasErrors(findings)) return;
  throw new InputError(findings.filter((f) => f.severity === 'error').map((f) =>
    `${f.file}:${f.line}: ERROR ${f.code} ${f.message} (see ${f.code} in docs/lint-rules.md; nothing was written)`));
}
