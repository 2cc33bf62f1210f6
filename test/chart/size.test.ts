import { describe, expect, it } from '@jest/globals';
import { generateOutput } from '../../generator/commands/generate-output.js';
import { parseValues } from '../../generator/model/load-values.js';
import { syntheticValues } from '../../bench/synthetic-values.js';

const HELM_MAX_FILE_BYTES = 5 * 1024 * 1024;

function chartOf(services: number) {
  return generateOutput(parseValues(syntheticValues(services, Math.round(services / 5)), 'v.yaml'), 'v.yaml').chart;
}

describe('GIVEN charts of growing size', () => {
  const small = chartOf(20);
  const big = chartOf(400);
  const perService = (file: string) => (Buffer.byteLength(big[file]!) - Buffer.byteLength(small[file]!)) / 380;

  it('THEN values.schema.json grows by the service names only ($ref definitions + propertyNames)', () => {
    // "svc-123", quoted, twice (required + propertyNames), plus the host names: well under 100 bytes.
    expect(perService('values.schema.json')).toBeLessThan(100);
    expect(JSON.parse(big['values.schema.json']!).properties.services.additionalProperties).toEqual({ $ref: '#/definitions/service' });
  });

  it('THEN values.yaml documents the shared keys once and README.md lists them once, so 5,000 services stay under Helm\'s 5 MiB', () => {
    expect(perService('values.yaml') * 5000 + Buffer.byteLength(small['values.yaml']!)).toBeLessThan(HELM_MAX_FILE_BYTES);
    expect(perService('README.md') * 5000).toBeLessThan(HELM_MAX_FILE_BYTES);
    expect(big['values.yaml']!.match(/# -- Image repository\./g)).toHaveLength(1);
    expect(big['values.yaml']!).not.toMatch(/^ {4}podSecurityContext:/m); // from serviceDefaults
  });
});
