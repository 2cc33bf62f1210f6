import { describe, expect, it } from '@jest/globals';
import { keys, lintFixtures } from './fixtures.js';

const FILES = ['walkthrough/01-zip-lookup-service.yaml', 'walkthrough/02-rds-service-entry.yaml', 'walkthrough/03-s3-interface-endpoint.yaml'];

describe('GIVEN manifests written the way public walkthroughs write them', () => {
  const { findings, marks } = lintFixtures(...FILES);
  const codesAt = (file: string) => findings.filter((f) => f.file.endsWith(file)).map((f) => f.code);

  it('WHEN linted together THEN exactly the marked defects are reported, each at its file and line', () => {
    expect(keys(findings)).toEqual(keys(marks));
  });

  it('THEN the v1alpha3 DestinationRule with consecutiveErrors is flagged for the API version, the ignored field and the ejection limit', () => {
    expect(codesAt('01-zip-lookup-service.yaml')).toEqual(expect.arrayContaining(['ZNL020', 'ZNL002', 'ZNL003']));
    const ignored = findings.find((f) => f.code === 'ZNL002')!;
    expect(ignored).toMatchObject({ severity: 'warning', kind: 'DestinationRule', name: 'zip-lookup-service-dr', namespace: 'octank-travel-ns' });
    expect(ignored.message).toMatch(/default of 5 consecutive errors applies instead of 7/);
  });

  it('THEN the two-endpoint RDS ServiceEntry on 3305 -> 3306 reports the port mapping with both numbers, the shared TCP listener and the ejection limit', () => {
    const port = findings.find((f) => f.code === 'ZNL016')!;
    expect(port.severity).toBe('info');
    expect(port.message).toContain('3305');
    expect(port.message).toContain('3306');
    expect(findings.find((f) => f.code === 'ZNL014')!.message).toContain('0.0.0.0:3305');
    const ejection = findings.find((f) => f.code === 'ZNL003' && f.name === 'external-svc-dr' && f.file.endsWith('02-rds-service-entry.yaml'))!;
    expect(ejection.severity).toBe('error');
    expect(ejection.message).toMatch(/one of 2 endpoints.*maxEjectionPercent: 50/);
  });

  it('THEN the S3 example that reuses the RDS DestinationRule name is an error pointing back at the first definition', () => {
    const dup = findings.find((f) => f.code === 'ZNL018')!;
    expect(dup).toMatchObject({ severity: 'error', name: 'external-svc-dr', kind: 'DestinationRule' });
    expect(dup.file).toMatch(/03-s3-interface-endpoint\.yaml$/);
    expect(dup.message).toMatch(/02-rds-service-entry\.yaml:\d+/);
  });

  it('THEN the set has errors, so zonal lint would exit 1', () => {
    expect(findings.some((f) => f.severity === 'error')).toBe(true);
  });
});
