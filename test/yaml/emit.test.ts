import { describe, expect, it } from '@jest/globals';
import { dump } from 'js-yaml';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chartRender, renderObjects } from '../../generator/render/index.js';
import { loadValuesFile, parseValues } from '../../generator/model/load-values.js';
import { valuesOf, valuesTree } from '../../generator/chart/values-tree.js';
import { blockYaml, DUMP_OPTIONS, flowYaml } from '../../generator/yaml/emit.js';
import { syntheticValues } from '../../bench/synthetic-values.js';
import { REPO } from '../support/helm.js';
import { mulberry32 as prng } from '../support/random.js';

const jsBlock = (v: unknown) => dump(v, DUMP_OPTIONS);
const jsFlow = (v: unknown) => dump(v, { ...DUMP_OPTIONS, flowLevel: 0 });

/** Strings YAML readers are picky about: words, numbers, indicators, spaces, escapes, Unicode. */
const TRICKY = ['', ' ', 'y', 'N', 'Yes', 'NO', 'on', 'Off', 'TRUE', 'false', 'null', 'Null', '~', '=', '<<', '-', '?', ':', '#',
  '0', '-1', '+1', '1.5', '.5', '1e3', '0x1F', '0o17', '0b101', '1_000', '12:30', '2026-12-07', '.inf', '.NaN', '10.0.0.1',
  'a: b', 'a #b', 'k:y', '- x', '[x]', '{x}', 'x,y', '&a', '*a', '!tag', '|', '>', "'q'", '"q"', '%x', '@x', '`x`', 'tab\there',
  'x\u0085y', '\u2028', '\ufeff', 'ünï', '😀', 'a b', ' lead', 'trail ', '---', '...', '{{ .Values.x }}', 'a\\b', 'x\ny', 'l1\nl2\n', 'cr\r'];
const ALPHABET = 'abcXYZ019_./-: #,[]{}"\'\\\t\n!&*?|>%@`~=+ü';

function randomString(rand: () => number): string {
  if (rand() < 0.4) return TRICKY[Math.floor(rand() * TRICKY.length)]!;
  let s = '';
  for (let n = Math.floor(rand() * 8); n > 0; n--) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth > 3 || r < 0.45) {
    const leaf = rand();
    if (leaf < 0.55) return randomString(rand);
    if (leaf < 0.7) return Math.floor(rand() * 2000) - 1000;
    if (leaf < 0.75) return [0.5, -0, 1e21, NaN, Infinity, 2 ** 53 + 2, -1e-7][Math.floor(rand() * 7)];
    if (leaf < 0.85) return rand() < 0.5;
    if (leaf < 0.93) return null;
    return undefined;
  }
  if (r < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const o: Record<string, unknown> = {};
  for (let n = Math.floor(rand() * 4); n > 0; n--) o[randomString(rand)] = randomValue(rand, depth + 1);
  return o;
}

/** `count` random strings: a first character from `first`, then up to `maxRest` from `rest`. */
function randomWords(seed: number, count: number, first: string, rest: string, maxRest: number): string[] {
  const rand = prng(seed);
  return Array.from({ length: count }, () => {
    let s = first[Math.floor(rand() * first.length)]!;
    for (let n = Math.floor(rand() * (maxRest + 1)); n > 0; n--) s += rest[Math.floor(rand() * rest.length)];
    return s;
  });
}

/** Each string as a key, a value and a list item, block and flow, is written as js-yaml writes it. */
function expectLikeJsYaml(strings: readonly string[]): void {
  for (const s of strings) {
    expect(blockYaml({ [s]: s, l: [s] })).toBe(jsBlock({ [s]: s, l: [s] }));
    expect(flowYaml({ [s]: s, l: [s] })).toBe(jsFlow({ [s]: s, l: [s] }));
  }
}

describe('GIVEN the fast YAML writer (generator/yaml/emit.ts)', () => {
  it('WHEN given random trees of tricky keys and scalars THEN it writes exactly what js-yaml writes, block and flow', () => {
    const rand = prng(20261207);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(rand, 0);
      const tree = v !== null && typeof v === 'object' ? v : { v };
      expect([i, blockYaml(tree)]).toEqual([i, jsBlock(tree)]);
      expect([i, flowYaml(tree)]).toEqual([i, jsFlow(tree)]);
    }
  });

  it('WHEN a scalar is the whole document (a values.yaml line of a service after the first) THEN it is written as js-yaml writes it, block and flow', () => {
    const rand = prng(20261208);
    const scalars: unknown[] = [...TRICKY, '--- x', '---\tx', '---x', '--', '... y', '....', 'a---', ' ---', '-', 'k'.repeat(1100),
      0, -0, 7, -12, 1.5, 1e21, 2 ** 53 + 2, NaN, -Infinity, true, false, null];
    for (let i = 0; i < 4000; i++) scalars.push(rand() < 0.2 ? `${['---', '...'][Math.floor(rand() * 2)]}${randomString(rand)}` : randomValue(rand, 4));
    for (const v of scalars) {
      expect([v, blockYaml(v)]).toEqual([v, jsBlock(v)]);
      expect([v, flowYaml(v)]).toEqual([v, jsFlow(v)]);
    }
  });

  it('WHEN a string is in its obviously-plain class (letter, then letters, digits, _./-) THEN js-yaml writes it plain too, as key and value', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    expectLikeJsYaml(['e', 'E5', 'x1e3', 'nan', 'inf', 'Infinity', 'NaN', 'yEs', 'nO', 'oN', 'oFF', 'tRUE', 'NuLL', 'Y', 'n',
      ...randomWords(7, 4000, letters, `${letters}0123456789_./=-`, 5)]);
  });

  it('WHEN a string is digits or a dotted quad (ports, addresses) THEN it is written as js-yaml writes it, quoted and plain', () => {
    const rand = prng(11);
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join('');
    const samples = ['0', '00', '007', '8080', '65535', '1'.repeat(20), '1'.repeat(21), '10.0.0.1', '240.240.0.255', '1.2.3', '1.2.3.4.5', '999.999.999.999', '01.02.03.04'];
    for (let i = 0; i < 2000; i++) {
      samples.push(digits(1 + Math.floor(rand() * 12)));
      samples.push([1, 2, 3, 4].map(() => digits(1 + Math.floor(rand() * 3))).join('.'));
    }
    expectLikeJsYaml(samples);
  });

  it('WHEN a string is led by a digit (durations, quantities, ECR image repositories, numbers in every YAML 1.1 spelling) THEN it is written as js-yaml writes it', () => {
    expectLikeJsYaml(['5s', '30s', '3m', '100m', '256Mi', '1Gi', '12h', '1.5k', '111122223333.dkr.ecr.us-west-2.amazonaws.com/svc-0',
      '1e3', '1E3', '1e-3', '1.5e10', '0x1F', '0X1f', '0o17', '0b101', '1_000', '0.5', '2026-12-07', '2026-12-07t21', '2026-12-07T21:59:43Z',
      '1e3x', '0x1Fg', '0b12', '1ee3', '12e', '1.inf', '1nan', '9z', '8t', '7x', '6o', '1w', '1y', '2-3', '1/2', '1=2', '10.0.0.1/32', '1.2.3.4m',
      ...randomWords(13, 4000, '0123456789', '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_./=-+:', 6)]);
  });

  it('WHEN given what the values tree is made of (nested lists, empty maps, multi-line strings, class instances) THEN the bytes match js-yaml', () => {
    class Box { constructor(readonly x = 1) {} }
    const cases: unknown[] = [{}, [], [[]], [{}], { a: [[1, 2], []] }, { a: { b: undefined } }, [undefined, null], { s: 'l1\nl2\n' },
      { deep: [{ a: [{ b: { c: ['x'] } }] }] }, { box: new Box() }, { d: new Date(0) }, { ['k'.repeat(1100)]: 1 }, { v: 'k'.repeat(5000) }];
    // What js-yaml refuses (a class instance), the fast path refuses the same way.
    const outcome = (f: (v: unknown) => string, v: unknown) => {
      try {
        return f(v);
      } catch (err) {
        return `throws ${(err as Error).message}`;
      }
    };
    for (const c of cases) {
      expect(outcome(blockYaml, c)).toBe(outcome(jsBlock, c));
      expect(outcome(flowYaml, c)).toBe(outcome(jsFlow, c));
    }
  });

  it('WHEN given every object and values tree of the bundled examples and of a synthetic 200-service file THEN the bytes match js-yaml', () => {
    const models = [
      ...readdirSync(join(REPO, 'values')).filter((f) => f.endsWith('.yaml')).map((f) => loadValuesFile(join(REPO, 'values', f))),
      parseValues(syntheticValues(200, 40), 'synthetic.yaml'),
    ];
    for (const model of models) {
      for (const o of [...renderObjects(model), ...chartRender(model).units.flatMap((u) => u.objects)]) expect(blockYaml(o)).toBe(jsBlock(o));
      const values = valuesOf(valuesTree(model));
      expect(blockYaml(values)).toBe(jsBlock(values));
      expect(flowYaml(values)).toBe(jsFlow(values));
    }
  });
});
