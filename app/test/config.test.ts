import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    const result = loadConfig({});
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.config).toMatchObject({
      port: 8080,
      host: undefined,
      defaultZip: '94016',
      logLevel: 'info',
      shutdownGraceMs: 25_000,
      drainDelayMs: 0,
      responseDelayMs: 0,
      node: null,
      discovery: { zone: undefined, imdsEndpoint: 'http://169.254.169.254', imdsTimeoutMs: 500, imdsDisabled: false },
    });
  });

  it('reads every variable it documents', () => {
    const result = loadConfig({
      PORT: '9000', HOST: '127.0.0.1', ZONE: 'us-west-2a', ZONE_ID: 'usw2-az1', POD_NAME: 'zip-1', NODE_NAME: 'ip-10-0-0-1',
      IMDS_ENDPOINT: 'http://[fd00:ec2::254]/', IMDS_TIMEOUT_MS: '250', AWS_EC2_METADATA_DISABLED: 'true',
      DEFAULT_ZIP: '90210', LOG_LEVEL: 'WARN', SHUTDOWN_GRACE_MS: '5000', DRAIN_DELAY_MS: '1000',
      KEEP_ALIVE_TIMEOUT_MS: '1000', RESPONSE_DELAY_MS: '3',
    });
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.config).toEqual({
      port: 9000, host: '127.0.0.1', pod: 'zip-1', node: 'ip-10-0-0-1', defaultZip: '90210', logLevel: 'warn',
      shutdownGraceMs: 5000, drainDelayMs: 1000, keepAliveTimeoutMs: 1000, responseDelayMs: 3,
      discovery: { zone: 'us-west-2a', zoneId: 'usw2-az1', imdsEndpoint: 'http://[fd00:ec2::254]', imdsTimeoutMs: 250, imdsDisabled: true },
    });
  });

  it.each([
    ['PORT', 'abc', /PORT must be a whole number from 0 to 65535, got "abc"/],
    ['PORT', '65536', /PORT must be a whole number/],
    ['PORT', '-1', /PORT must be a whole number/],
    ['PORT', '80.5', /PORT must be a whole number/],
    ['IMDS_ENDPOINT', 'https://169.254.169.254', /IMDS_ENDPOINT must be an http:\/\/ URL/],
    ['IMDS_ENDPOINT', 'not a url', /IMDS_ENDPOINT must be an http:\/\/ URL/],
    ['IMDS_TIMEOUT_MS', '0', /IMDS_TIMEOUT_MS must be a whole number from 1/],
    ['ZONE', 'us west', /ZONE must look like an availability zone/],
    ['DEFAULT_ZIP', '10001', /DEFAULT_ZIP must be a 5-digit California ZIP code/],
    ['LOG_LEVEL', 'verbose', /LOG_LEVEL must be one of/],
    ['AWS_EC2_METADATA_DISABLED', 'yes', /AWS_EC2_METADATA_DISABLED must be true or false/],
    ['DRAIN_DELAY_MS', '30000', /DRAIN_DELAY_MS \(30000\) must be smaller than SHUTDOWN_GRACE_MS \(25000\)/],
  ])('rejects %s=%s with a message naming the variable', (name, value, message) => {
    const result = loadConfig({ [name]: value });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(message);
  });

  it('reports every problem at once, not only the first', () => {
    const result = loadConfig({ PORT: 'x', LOG_LEVEL: 'y', ZONE: 'a b' });
    expect(result.ok ? [] : result.problems).toHaveLength(3);
  });

  it('treats blank values as unset (a chart rendering an empty string must not break start-up)', () => {
    const result = loadConfig({ PORT: '  ', ZONE: '' });
    expect(result.ok && result.config.port).toBe(8080);
    expect(result.ok && result.config.discovery.zone).toBeUndefined();
  });
});
