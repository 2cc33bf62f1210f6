import { describe, expect, it } from '@jest/globals';
import { parseDuration } from '../../generator/istio/validation.js';

describe('GIVEN Go durations as Istio reads them (parseDuration)', () => {
  it('WHEN micro is written as us, the micro sign or the Greek mu THEN each is a microsecond; other units and malformed ones are refused', () => {
    expect(['1us', '1\u00b5s', '1\u03bcs', '1.5ms', '1m30s', '-2h', '0'].map(parseDuration)).toEqual([1e3, 1e3, 1e3, 1.5e6, 90e9, -7200e9, 0]);
    expect(['1', '1d', '1 s', 's', '1\u00b5', '1Ms', ''].map(parseDuration)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
