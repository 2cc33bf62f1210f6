import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../generator/errors.js';
import { parsePrices } from '../../generator/cost/load-prices.js';
import { costOf, costOfFlow, DEFAULT_PRICES } from '../../generator/cost/model.js';
import { checkout, destinationRule, run, scenario, serviceEntry, ZONES } from '../simulate/helpers.js';

describe('cost model', () => {
  it.each([
    ['service', 2, 0],
    ['rds', 2, 0],
    ['msk', 2, 0],
    ['ec2', 2, 0],
    ['other', 2, 0],
    ['interface-endpoint', 0, 1],
    ['gateway-endpoint', 0, 0],
  ] as const)('GIVEN 100 GB to a %s destination, 100 GB of it cross-zone WHEN priced THEN transfer is $%d and processing $%d', (type, transfer, processing) => {
    const c = costOfFlow({ type, totalGb: 100, crossZoneGb: 100 });
    expect(c.transferUsdPerMonth).toBeCloseTo(transfer, 9);
    expect(c.processingUsdPerMonth).toBeCloseTo(processing, 9);
    expect(c.usdPerMonth).toBeCloseTo(transfer + processing, 9);
    expect(c.crossZoneGbPerMonth).toBe(100);
    expect(c.billableCrossZoneGbPerMonth).toBe(type === 'interface-endpoint' || type === 'gateway-endpoint' ? 0 : 100);
  });

  it('GIVEN several flows WHEN summed THEN GB and USD add up and are rounded to MB and cents', () => {
    const c = costOf([{ type: 'service', totalGb: 10, crossZoneGb: 1 / 3 }, { type: 'interface-endpoint', totalGb: 10, crossZoneGb: 5 }]);
    expect(c).toEqual({ crossZoneGbPerMonth: 5.333, billableCrossZoneGbPerMonth: 0.333, transferUsdPerMonth: 0.01, processingUsdPerMonth: 0.1, usdPerMonth: 0.11 });
  });

  it('GIVEN a zone-local 3-zone service with 100 GB from each zone WHEN simulated THEN 200 GB ($4) crossed before and nothing after', () => {
    const r = run(checkout(3));
    expect(r.cost.currency).toBe('USD');
    expect(r.cost.before).toMatchObject({ crossZoneGbPerMonth: 200, usdPerMonth: 4 });
    expect(r.cost.after).toMatchObject({ crossZoneGbPerMonth: 0, usdPerMonth: 0 });
    expect(r.cost.savingsUsdPerMonth).toBe(4);
  });

  it('GIVEN an interface endpoint WHEN simulated THEN routing changes no dollars: only processing is billed, before and after', () => {
    const objs = [serviceEntry('s3', 'bucket.vpce-0abc.s3.us-west-2.vpce.amazonaws.com', ZONES.map((z) => `us-west-2/${z}`)),
      destinationRule('s3', 'bucket.vpce-0abc.s3.us-west-2.vpce.amazonaws.com', { localityLbSetting: { enabled: true } })];
    const r = run(objs, scenario({ defaultGbPerMonth: 1000 }));
    expect(r.destinations[0]!.type).toBe('interface-endpoint');
    expect(r.cost.before).toMatchObject({ crossZoneGbPerMonth: 2000, billableCrossZoneGbPerMonth: 0, processingUsdPerMonth: 30, usdPerMonth: 30 });
    expect(r.cost.after).toMatchObject({ crossZoneGbPerMonth: 0, usdPerMonth: 30 });
  });
});

describe('prices file (--prices)', () => {
  it('GIVEN a partial override WHEN parsed THEN it is merged over the defaults', () => {
    const p = parsePrices('{ "crossAzUsdPerGbPerSide": 0.02, "destinationTypes": { "rds": { "crossAzSidesBilled": 1 } } }', 'prices.json');
    expect(p.crossAzUsdPerGbPerSide).toBe(0.02);
    expect(p.destinationTypes.rds).toEqual({ crossAzSidesBilled: 1, processingUsdPerGb: 0 });
    expect(p.destinationTypes['interface-endpoint']).toEqual(DEFAULT_PRICES.destinationTypes['interface-endpoint']);
    expect(costOfFlow({ type: 'rds', totalGb: 10, crossZoneGb: 10 }, p).usdPerMonth).toBeCloseTo(0.2, 9);
    expect(costOfFlow({ type: 'service', totalGb: 10, crossZoneGb: 10 }, p).usdPerMonth).toBeCloseTo(0.4, 9);
  });

  it('GIVEN bad entries WHEN parsed THEN each is reported as file:line:col', () => {
    let problems: readonly string[] = [];
    try {
      parsePrices('crossAzUsdPerGbPerSide: -1\ndestinationTypes:\n  lambda: {}\n  rds: { crossAzSidesBilled: 3 }\n', 'prices.yaml');
    } catch (err) {
      problems = (err as InputError).problems;
    }
    expect(problems).toEqual([
      'prices.yaml:1:25: crossAzUsdPerGbPerSide is -1, out of range (use a value between 0 and 1000; give USD per GB, e.g. 0.01)',
      'prices.yaml:3:3: unknown key "lambda" in destinationTypes (allowed keys: service, rds, msk, ec2, interface-endpoint, gateway-endpoint, other; check the spelling)',
      'prices.yaml:4:30: destinationTypes.rds.crossAzSidesBilled is 3, which is not allowed (use one of: 0, 1, 2; the number of sides AWS bills for a GB that crosses zones)',
    ]);
  });

  it.each([
    ['{ "currency": 5 }', 'prices.json:1:15: currency must be string, got 5 (write a string)'],
    ['{ "crossAzUsdPerGbPerSide": "0.01" }', 'prices.json:1:29: crossAzUsdPerGbPerSide must be number, got "0.01" (write a number without quotes)'],
    ['crossAzUsdPerGbPerSide: .inf', 'prices.json:1:25: crossAzUsdPerGbPerSide must be number, got Infinity (write a finite number)'],
    ['crossAzUsdPerGbPerSide: .nan', 'prices.json:1:25: crossAzUsdPerGbPerSide must be number, got NaN (write a finite number)'],
    ['{ "destinationTypes": { "rds": 2 } }', 'prices.json:1:32: destinationTypes.rds must be object, got 2 (e.g. { "crossAzSidesBilled": 2, "processingUsdPerGb": 0 })'],
    ['{ "destinationTypes": { "rds": { "processingUsdPerGb": 5000 } } }', 'prices.json:1:56: destinationTypes.rds.processingUsdPerGb is 5000, out of range (use a value between 0 and 1000; give USD per GB, e.g. 0.01)'],
    ['{ "destinationTypes": { "rds": { "sides": 1 } } }', 'prices.json:1:34: unknown key "sides" in destinationTypes.rds (allowed keys: crossAzSidesBilled, processingUsdPerGb; check the spelling)'],
    ['{ "crossAz": 0.01 }', 'prices.json:1:3: unknown key "crossAz" in the top level (allowed keys: currency, source, crossAzUsdPerGbPerSide, destinationTypes; check the spelling)'],
  ])('GIVEN %s WHEN parsed THEN the one problem is reported exactly', (text, message) => {
    let problems: readonly string[] = [];
    try {
      parsePrices(text, 'prices.json');
    } catch (err) {
      problems = (err as InputError).problems;
    }
    expect(problems).toEqual([message]);
  });
});
