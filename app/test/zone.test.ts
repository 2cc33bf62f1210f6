import { afterEach, describe, expect, it } from '@jest/globals';
import type { DiscoveryOptions } from '../src/config.js';
import { discoverZone } from '../src/zone.js';
import { closedEndpoint, startFakeImds, type FakeImds } from './helpers/fake-imds.js';

const TIMEOUT = 200;
const options = (imdsEndpoint: string, extra: Partial<DiscoveryOptions> = {}): DiscoveryOptions => ({
  zone: undefined, zoneId: undefined, imdsEndpoint, imdsTimeoutMs: TIMEOUT, imdsDisabled: false, ...extra,
});

describe('discoverZone', () => {
  let imds: FakeImds | undefined;
  afterEach(async () => {
    await imds?.close();
    imds = undefined;
  });

  it('takes env ZONE first and never asks the metadata service', async () => {
    imds = await startFakeImds('v2');
    const info = await discoverZone(options(imds.endpoint, { zone: 'eu-west-1c', zoneId: 'euw1-az3' }));
    expect(info).toEqual({ zone: 'eu-west-1c', zoneId: 'euw1-az3', source: 'env' });
    expect(imds.seen).toEqual([]);
  });

  it('uses IMDSv2: PUT a token first, then read zone and zone id with it', async () => {
    imds = await startFakeImds('v2', { zone: 'us-west-2c', zoneId: 'usw2-az3' });
    expect(await discoverZone(options(imds.endpoint))).toEqual({ zone: 'us-west-2c', zoneId: 'usw2-az3', source: 'imdsv2' });
    expect(imds.seen[0]).toMatchObject({ method: 'PUT', path: '/latest/api/token' });
    expect(imds.seen.slice(1).every((r) => r.method === 'GET' && r.token === 'fake-token-123')).toBe(true);
  });

  it('falls back to IMDSv1 when the token is refused', async () => {
    imds = await startFakeImds('v1', { zone: 'us-east-1a', zoneId: 'use1-az4' });
    expect(await discoverZone(options(imds.endpoint))).toEqual({ zone: 'us-east-1a', zoneId: 'use1-az4', source: 'imdsv1' });
  });

  it('keeps the zone when only the zone id is missing', async () => {
    imds = await startFakeImds('v2', { zone: 'us-west-2a', zoneId: null });
    expect(await discoverZone(options(imds.endpoint))).toEqual({ zone: 'us-west-2a', zoneId: null, source: 'imdsv2' });
  });

  it('waits for a slow metadata service that still answers within the timeout', async () => {
    imds = await startFakeImds('slow', { delayMs: 20 });
    const info = await discoverZone(options(imds.endpoint, { imdsTimeoutMs: 1000 }));
    expect(info.source).toBe('imdsv2');
  });

  it.each(['401', '500', 'garbage', 'slow', 'hang'] as const)('answers "unknown" when the metadata service is %s', async (mode) => {
    imds = await startFakeImds(mode, { delayMs: 2000 });
    const started = performance.now();
    expect(await discoverZone(options(imds.endpoint))).toEqual({ zone: 'unknown', zoneId: null, source: 'none' });
    // Token PUT and the IMDSv1 GETs each time out once: bounded by a few timeouts, never open-ended.
    expect(performance.now() - started).toBeLessThan(4 * TIMEOUT + 300);
    // Tried both versions before giving up.
    expect(imds.seen.some((r) => r.method === 'PUT')).toBe(true);
    expect(imds.seen.some((r) => r.method === 'GET' && r.token === undefined)).toBe(true);
  });

  it('answers "unknown" at once when nothing listens on the endpoint', async () => {
    const started = performance.now();
    expect((await discoverZone(options(await closedEndpoint()))).source).toBe('none');
    expect(performance.now() - started).toBeLessThan(TIMEOUT);
  });

  it('does not touch the network when AWS_EC2_METADATA_DISABLED is set', async () => {
    imds = await startFakeImds('v2');
    expect((await discoverZone(options(imds.endpoint, { imdsDisabled: true }))).zone).toBe('unknown');
    expect(imds.seen).toEqual([]);
  });
});
