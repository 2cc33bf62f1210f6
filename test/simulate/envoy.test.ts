import { describe, expect, it } from '@jest/globals';
import { effectiveLocalityWeight, priorityLoad, trafficSplit, type HostCounts } from '../../generator/simulate/envoy.js';

/** A priority level of 100 hosts with the given percentages healthy/degraded. */
function level(healthyPct: number, degradedPct = 0): HostCounts {
  return { total: 100, healthy: healthyPct, degraded: degradedPct };
}

describe('Envoy priority levels (arch_overview/upstream/load_balancing/priority)', () => {
  // The page explains priority load on its own, without panic mode; Istio with outlierDetection runs
  // with healthy_panic_threshold 0 by default, so the tables are checked with panic disabled.
  const noPanic = { panicThreshold: 0 };

  it.each([
    [100, 100, 0],
    [72, 100, 0],
    [71, 99, 1],
    [50, 70, 30],
    [25, 35, 65],
    [0, 0, 100],
  ])('GIVEN P=0 %i%% healthy and P=1 100%% healthy WHEN load is computed THEN P=0 gets %i%% and P=1 %i%%', (p0, load0, load1) => {
    const load = priorityLoad([level(p0), level(100)], noPanic);
    expect(load.healthy).toEqual([load0, load1]);
    expect(load.degraded).toEqual([0, 0]);
  });

  it.each([
    [100, 100, 100, 0],
    [72, 72, 100, 0],
    [71, 71, 99, 1],
    [50, 50, 70, 30],
    [25, 100, 35, 65],
    [25, 25, 50, 50],
  ])('GIVEN P=0 %i%% and P=1 %i%% healthy WHEN load is computed THEN it is normalised to %i%%/%i%%', (p0, p1, load0, load1) => {
    expect(priorityLoad([level(p0), level(p1)], noPanic).healthy).toEqual([load0, load1]);
  });

  it.each([
    [100, 100, 100, [100, 0, 0]],
    [72, 72, 100, [100, 0, 0]],
    [71, 71, 100, [99, 1, 0]],
    [50, 50, 100, [70, 30, 0]],
    [25, 100, 100, [35, 65, 0]],
    [25, 25, 100, [35, 35, 30]],
  ])('GIVEN three levels %i%%/%i%%/%i%% healthy WHEN load is computed THEN loads are %j', (p0, p1, p2, loads) => {
    expect(priorityLoad([level(p0), level(p1), level(p2)], noPanic).healthy).toEqual(loads);
  });

  it('GIVEN 25%/25%/20% healthy WHEN load is computed THEN the code gives 37/35/28, not the page\'s 36/36/28', () => {
    // Docs vs code: health is {35, 35, 28}, normalised total 98; integer division gives 35/35/28 and
    // recalculatePerPriorityState adds the 2% rounding remainder to the first healthy priority.
    expect(priorityLoad([level(25), level(25), level(20)], noPanic).healthy).toEqual([37, 35, 28]);
  });
});

describe('Envoy panic threshold (arch_overview/upstream/load_balancing/panic_threshold)', () => {
  const threshold = { panicThreshold: 50 };

  it.each([
    [72, 100, 0],
    [71, 99, 1],
    [50, 70, 30],
    [25, 35, 65],
    [0, 0, 100],
  ])('GIVEN P=0 %i%% healthy and P=1 100%% WHEN panic is 50%% THEN P=0 gets %i%%, P=1 %i%%, no panic, total health 100', (p0, load0, load1) => {
    const load = priorityLoad([level(p0), level(100)], threshold);
    expect(load.healthy).toEqual([load0, load1]);
    expect(load.panic).toEqual([false, false]);
    expect(load.normalizedTotalAvailability).toBe(100);
  });

  it.each([
    [72, 72, [100, 0], [false, false], 100],
    [71, 71, [99, 1], [false, false], 100],
    [25, 25, [50, 50], [true, true], 70],
  ])('GIVEN P=0 %i%% and P=1 %i%% healthy WHEN panic is 50%% THEN loads %j, panic %j, total health %i', (p0, p1, loads, panic, total) => {
    const load = priorityLoad([level(p0), level(p1)], threshold);
    expect(load.healthy).toEqual(loads);
    expect(load.panic).toEqual(panic);
    expect(load.normalizedTotalAvailability).toBe(total);
  });

  it('GIVEN P=0 50% and P=1 60% healthy WHEN load is computed THEN the code gives 70/30 (the page says 50/50)', () => {
    // Docs vs code: health is min(100, 1.4 * healthy%) = {70, 84}; P=0 keeps its 70 and P=1 takes the
    // remaining 30, exactly as in the priority page's 50%/50% row. The page's 50/50 is not what runs.
    const load = priorityLoad([level(50), level(60)], threshold);
    expect(load.healthy).toEqual([70, 30]);
    expect(load.panic).toEqual([false, false]);
    expect(load.normalizedTotalAvailability).toBe(100);
  });

  it('GIVEN P=0 25% and P=1 100% healthy WHEN load is computed THEN the code gives 35/65 (the page says 25/75)', () => {
    // Docs vs code: the same input is 35/65 on the priority page, which matches the code.
    expect(priorityLoad([level(25), level(100)], threshold).healthy).toEqual([35, 65]);
  });

  it('GIVEN P=0 5% and P=1 65% healthy WHEN load is computed THEN the code gives 8/92 with P=0 in panic (the page says 7/93)', () => {
    // Docs vs code: health {7, 91}, total 98: 700/98 = 7 and 9100/98 = 92 (integer division) leave
    // 1% over, which goes to the first healthy priority, P=0.
    const load = priorityLoad([level(5), level(65)], threshold);
    expect(load.healthy).toEqual([8, 92]);
    expect(load.panic).toEqual([true, false]);
    expect(load.normalizedTotalAvailability).toBe(98);
  });

  it('GIVEN every host unhealthy WHEN panic threshold is 0 THEN nothing panics and requests fail (503 no healthy upstream)', () => {
    const load = priorityLoad([level(0), level(0)], { panicThreshold: 0 });
    expect(load.panic).toEqual([false, false]);
    expect(load.noHealthyUpstream).toBe(true);
    expect(trafficSplit([[{ weight: 1, ...level(0) }]], { panicThreshold: 0, localityWeighted: false }).failed).toBe(1);
  });

  it('GIVEN every host unhealthy WHEN panic threshold is 50 THEN all priorities panic and load follows host counts', () => {
    const load = priorityLoad([{ total: 3, healthy: 0, degraded: 0 }, { total: 1, healthy: 0, degraded: 0 }], threshold);
    expect(load.totalPanic).toBe(true);
    expect(load.healthy).toEqual([75, 25]);
  });
});

describe('Envoy degraded endpoints (arch_overview/upstream/load_balancing/degraded)', () => {
  it.each([
    [100, 0, 100, 0],
    [71, 0, 100, 0],
    [71, 29, 99, 1],
    [25, 65, 35, 65],
    [5, 0, 100, 0],
  ])('GIVEN P=0 %i%% healthy and %i%% degraded WHEN load is computed THEN healthy hosts get %i%% and degraded %i%%', (h, d, toHealthy, toDegraded) => {
    const load = priorityLoad([level(h, d)]);
    expect(load.healthy).toEqual([toHealthy]);
    expect(load.degraded).toEqual([toDegraded]);
  });

  it('GIVEN 5% healthy and 95% unhealthy WHEN load is computed THEN P=0 is in panic, so its 100% goes to all its hosts', () => {
    // Docs vs code: the page's last row says 100% to healthy hosts; the priority load is indeed 100%
    // "healthy", but with 5% < 50% healthy the priority is in panic and hostSourceToUse picks from
    // all hosts, unhealthy ones included.
    const load = priorityLoad([level(5)]);
    expect(load.panic).toEqual([true]);
    const split = trafficSplit([[{ weight: 1, total: 95, healthy: 0, degraded: 0 }, { weight: 1, total: 5, healthy: 5, degraded: 0 }]], { localityWeighted: false });
    expect(split.fractions[0]).toEqual([0.95, 0.05]);
  });
});

describe('Envoy locality weighted load balancing (arch_overview/upstream/load_balancing/locality_weight)', () => {
  const y = { weight: 2, total: 100, healthy: 100, degraded: 0 };

  it.each([
    [100, 33, 67],
    [70, 33, 67],
    [50, 26, 74],
    [25, 15, 85],
    [0, 0, 100],
  ])('GIVEN X (weight 1) %i%% healthy and Y (weight 2) healthy WHEN a locality is picked THEN X gets %i%% and Y %i%%', (xPct, toX, toY) => {
    const split = trafficSplit([[{ weight: 1, total: 100, healthy: xPct, degraded: 0 }, y]], { localityWeighted: true });
    expect(Math.round(split.fractions[0]![0]! * 100)).toBe(toX);
    expect(Math.round(split.fractions[0]![1]! * 100)).toBe(toY);
  });

  it('GIVEN X 69% healthy WHEN a locality is picked THEN X gets 32.6% (the page shows 32%, rounding availability first)', () => {
    // Docs vs code: effectiveLocalityWeight uses doubles: min(1, 1.4 * 0.69) = 0.966, 0.966 / 2.966 = 32.57%.
    // The page's 32% comes from truncating the availability to 96 before dividing.
    const split = trafficSplit([[{ weight: 1, total: 100, healthy: 69, degraded: 0 }, y]], { localityWeighted: true });
    expect(split.fractions[0]![0]!).toBeCloseTo(0.966 / 2.966, 6);
    expect(effectiveLocalityWeight({ weight: 1, total: 100, healthy: 69, degraded: 0 }, 69)).toBeCloseTo(0.966, 9);
  });

  it('GIVEN no locality weighting WHEN a host is picked THEN localities share by healthy host count', () => {
    const split = trafficSplit([[{ weight: 1, total: 100, healthy: 50, degraded: 0 }, y]], { localityWeighted: false });
    expect(split.fractions[0]![0]!).toBeCloseTo(50 / 150, 9);
  });
});
