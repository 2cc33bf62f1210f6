/**
 * The CRD schema follows the configured Istio version: the version table names each minor's CRD
 * folder, and the generate gate validates the rendered objects against it. zoneAwareLbSetting is a
 * field of the 1.31 CRDs only, so the 1.29/1.30 schema rejects it and the 1.31/1.32 schema accepts it.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../generator/errors.js';
import { lintGate } from '../../generator/commands/generate-lint-gate.js';
import { behaviourOf, SUPPORTED_MINORS } from '../../generator/istio/index.js';
import type { KubeObject } from '../../generator/k8s/manifest.js';
import { loadValuesFile } from '../../generator/model/load-values.js';
import type { TopologyRouting } from '../../generator/model/types.js';
import { CrdValidators, istioCrdFile, sharedSchemasDir } from '../../generator/validate/crd-schema.js';
import { REPO } from '../support/helm.js';

const zoneAware: KubeObject = {
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'checkout', namespace: 'shop' },
  spec: { host: 'checkout', trafficPolicy: { loadBalancer: { zoneAwareLbSetting: { enabled: true, minClusterSize: 6 } }, outlierDetection: { consecutive5xxErrors: 5 } } },
};
// ../shared/schemas next to the checkout (CI), else next to the worktrees' parent (a git worktree under wt/).
const dirs = [sharedSchemasDir(process.env), join(REPO, '..', '..', 'shared', 'schemas')];
const env = { ...process.env, ZONAL_SCHEMAS_DIR: dirs.find((d) => existsSync(d)) ?? dirs[0]! };

describe('GIVEN the Istio CRD schemas of each supported minor', () => {
  it.each(SUPPORTED_MINORS.map((m) => [m, behaviourOf(m).zoneAwareLbSetting] as const))(
    'WHEN Istio %s validates a DestinationRule with zoneAwareLbSetting THEN its CRD accepts it: %s', (minor, accepted) => {
      const crds = new CrdValidators([istioCrdFile(env, behaviourOf(minor).crdSchemaDir)]);
      const problems = crds.validate(zoneAware);
      expect(problems.length === 0).toBe(accepted);
      if (!accepted) expect(problems.join(' ')).toMatch(/zoneAwareLbSetting/);
    });

  it('WHEN the generate gate gets a zone-aware chart for Istio 1.30 THEN it refuses it, and for 1.31 it writes it', () => {
    const saved = process.env.ZONAL_SCHEMAS_DIR;
    process.env.ZONAL_SCHEMAS_DIR = env.ZONAL_SCHEMAS_DIR;
    try {
      const model = loadValuesFile(join(REPO, 'test', 'fixtures', 'values', 'zone-aware.yaml'));
      expect(() => lintGate(model, 'v.yaml')).not.toThrow();
      // The values cross-check refuses zone-aware on 1.30 before rendering; the gate is the last line behind it.
      const old: TopologyRouting = { ...model, mesh: { ...model.mesh, istioVersion: '1.30.3' } };
      let problems: readonly string[] = [];
      try {
        lintGate(old, 'v.yaml');
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        problems = e.problems;
      }
      expect(problems.some((p) => /istio-1\.30\.3 CRD schema rejects .*zoneAwareLbSetting/.test(p))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.ZONAL_SCHEMAS_DIR;
      else process.env.ZONAL_SCHEMAS_DIR = saved;
    }
  });
});
