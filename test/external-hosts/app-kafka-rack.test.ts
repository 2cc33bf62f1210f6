import { describe, expect, it } from '@jest/globals';
import { applyClientRack, FROM_NODE_ZONE_ID, resolveClientRack, wantsNodeZoneId } from '../../app/src/kafka-rack.js';

describe('GIVEN the chart\'s KAFKA_CLIENT_RACK marker in the app\'s environment', () => {
  it('WHEN zone discovery found the AZ id THEN the marker is replaced with it before any Kafka client reads it', () => {
    const env: NodeJS.ProcessEnv = { KAFKA_CLIENT_RACK: FROM_NODE_ZONE_ID };
    expect(wantsNodeZoneId(env)).toBe(true);
    expect(applyClientRack(env, 'usw2-az2')).toBe('usw2-az2');
    expect(env.KAFKA_CLIENT_RACK).toBe('usw2-az2');
  });

  it('WHEN the AZ id is unknown THEN the marker is removed (the client fetches from leaders instead of sending a bogus rack)', () => {
    const env: NodeJS.ProcessEnv = { KAFKA_CLIENT_RACK: FROM_NODE_ZONE_ID };
    expect(applyClientRack(env, null)).toBeUndefined();
    expect('KAFKA_CLIENT_RACK' in env).toBe(false);
  });

  it('WHEN KAFKA_CLIENT_RACK is an explicit rack id or absent THEN it is left alone', () => {
    const env: NodeJS.ProcessEnv = { KAFKA_CLIENT_RACK: 'usw2-az9' };
    expect(applyClientRack(env, 'usw2-az1')).toBe('usw2-az9');
    expect(env.KAFKA_CLIENT_RACK).toBe('usw2-az9');
    expect(resolveClientRack(undefined, 'usw2-az1')).toBeUndefined();
    expect(wantsNodeZoneId({})).toBe(false);
  });
});
