import { describe, expect, it } from '@jest/globals';
import { loadAll } from 'js-yaml';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fastYamlDocument } from '../../generator/yaml/fast-parse.js';
import { parseWithJsYaml, parseYamlDocuments } from '../../generator/yaml/source-map.js';
import { mulberry32 as random, pick } from '../support/random.js';

const REPO = join(import.meta.dirname, '..', '..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'test-output' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** What js-yaml makes of `text`: its documents, or the error it throws. */
function jsYaml(text: string): { docs: unknown[] } | { error: string } {
  try {
    return { docs: loadAll(text) as unknown[] };
  } catch (err) {
    return { error: String(err) };
  }
}

/**
 * The reader's contract: a value only for text js-yaml reads as one document, and then exactly
 * js-yaml's value and first line. Returns whether the reader took the text.
 */
function agrees(text: string): boolean {
  const fast = fastYamlDocument(text);
  if (!fast) return false;
  const slow = jsYaml(text);
  expect(['docs' in slow ? slow.docs.length : slow.error, text]).toEqual([1, text]);
  expect([(slow as { docs: unknown[] }).docs[0], text]).toStrictEqual([fast.value, text]);
  expect([parseWithJsYaml(text, 'f.yaml')[0]!.line, text]).toEqual([fast.line, text]);
  return true;
}

/** Scalars whose YAML reading is easy to get wrong: numbers, booleans, nulls, dates, indicators. */
const SCALARS = ['a', 'svc-0', 'us-west-2a', '1', '01', '0o17', '0x1F', '1e3', '1.5', '.5', '-1', '+1', '.inf', '-.inf', '.nan', '.NaN',
  'true', 'True', 'TRUE', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'Null', '~', '', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '1:20', '12:30:00', 'a b', 'a,b', 'x: y', 'x:y', "it's", 'a#b', 'a #b', '@x', '`x', '-', '- a', '? x', ':x', '=', '<<', '%x', '&a', '*a', '!x',
  '|', '>', '10.0.0.0/19', 'http://x:80/p', '111122223333.dkr.ecr.us-west-2.amazonaws.com/svc', 'v1.0.0', '5s', '256Mi', '{a}', '[a]', 'a]', 'a}',
  '"q"', "'q'", 'back\\slash', 'tab\there', '__proto__', 'constructor', '0', '-0', '+0', '0.0', '-0.0', '1_000', '0b101', '.'];
/** Scalars the reader takes in every style: most documents of only these stay in the subset. */
const PLAIN_SAFE = ['a', 'svc-0', 'us-west-2a', '1', '8080', '1.5', 'true', 'false', 'null', '~', "it's", 'a b', '10.0.0.0/19', 'v1.0.0', '5s', '0x1F', '-1', '.inf'];
const KEYS = ['name', 'namespace', 'port', 'a.b/c', 'eks.amazonaws.com/role-arn', '10.0.0.0/19', 'true', 'null', '1', '0x10', 'x y', '__proto__', 'k-1', '_k'];

/** A scalar written plain, single-quoted or double-quoted. */
function scalarText(r: () => number, s: string): string {
  const style = r();
  if (style < 0.6) return s;
  if (style < 0.8) return `'${s.replace(/'/g, "''")}'`;
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Tricky scalars in a third of the documents, scalars of the subset in the rest. */
let scalars: readonly string[] = SCALARS;

function flowText(r: () => number, depth: number): string {
  if (depth > 2 || r() < 0.5) return scalarText(r, pick(r, scalars));
  if (r() < 0.5) return `[${Array.from({ length: Math.floor(r() * 3) }, () => flowText(r, depth + 1)).join(', ')}]`;
  return `{ ${Array.from({ length: Math.floor(r() * 3) }, () => `${pick(r, KEYS)}: ${flowText(r, depth + 1)}`).join(', ')} }`;
}

/** Block YAML lines of a random mapping at `indent`. */
function blockMapping(r: () => number, indent: number, depth: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) {
    const key = pick(r, KEYS);
    const kind = r();
    if (depth < 3 && kind < 0.25) {
      lines.push(`${pad}${key}:`, ...blockMapping(r, indent + 2, depth + 1));
    } else if (depth < 3 && kind < 0.45) {
      const dashPad = r() < 0.5 ? pad : `${pad}  `;
      lines.push(`${pad}${key}:`);
      for (let j = 0, m = 1 + Math.floor(r() * 3); j < m; j++) {
        if (r() < 0.5) {
          const item = blockMapping(r, dashPad.length + 2, depth + 1);
          item[0] = `${dashPad}- ${item[0]!.trimStart()}`;
          lines.push(...item);
        } else lines.push(`${dashPad}- ${flowText(r, 0)}`);
      }
    } else {
      lines.push(`${pad}${key}: ${flowText(r, 0)}${r() < 0.1 ? ' # note' : ''}`);
    }
    if (r() < 0.1) lines.push(r() < 0.5 ? '' : `${pad}# comment`);
  }
  return lines;
}

const MUTATIONS = [' ', '  ', '-', '- ', ':', ': ', '#', ' #', '"', "'", '{', '}', '[', ']', ',', '\n', 'a', '&', '*', '!', '|', '>', '?', '%', '\t', '\r', '---\n', '\\', '\u00e9', '\ufeff'];

function mutate(r: () => number, text: string): string {
  const at = Math.floor(r() * (text.length + 1));
  const op = r();
  if (op < 0.5) return text.slice(0, at) + pick(r, MUTATIONS) + text.slice(at);
  if (op < 0.75) return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 3));
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  if (op < 0.85) lines.splice(i, 0, lines[i]!); // a repeated line: a duplicate key, or a longer list
  else lines[i] = r() < 0.5 ? ` ${lines[i]}` : lines[i]!.replace(/^ /, '');
  return lines.join('\n');
}

describe('GIVEN the fast YAML reader for values files', () => {
  const files = yamlFiles(REPO).map((f) => readFileSync(f, 'utf8'));

  it('WHEN it reads every YAML file of the repository THEN it gives js-yaml\'s value or leaves the file to js-yaml', () => {
    const taken = files.filter((t) => agrees(t)).length;
    // The values files, examples and most fixtures are in the subset: the reader is in use.
    expect(taken).toBeGreaterThan(60);
    for (const f of ['values/octank-travel.yaml', 'values/octank-travel-ambient.yaml']) {
      expect(fastYamlDocument(readFileSync(join(REPO, f), 'utf8'))).toBeDefined();
    }
  });

  it('WHEN it reads random documents of tricky scalars, keys and layouts THEN it never differs from js-yaml', () => {
    const r = random(7);
    let taken = 0;
    for (let i = 0; i < 3000; i++) {
      scalars = i % 3 === 0 ? SCALARS : PLAIN_SAFE;
      if (agrees(`${blockMapping(r, 0, 0).join('\n')}\n`)) taken++;
    }
    scalars = SCALARS;
    expect(taken).toBeGreaterThan(200);
  });

  it('WHEN a document is damaged (a character inserted or removed, a line repeated or re-indented) THEN it never accepts what js-yaml refuses or reads it differently', () => {
    const r = random(11);
    const bases = [...files.filter((t) => fastYamlDocument(t) && t.length < 6000).slice(0, 40), ...Array.from({ length: 40 }, () => `${blockMapping(r, 0, 0).join('\n')}\n`)];
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const text = mutate(r, mutate(r, pick(r, bases)));
      const slow = jsYaml(text);
      if ('error' in slow) {
        refused++;
        expect([fastYamlDocument(text), text]).toEqual([undefined, text]);
      } else agrees(text);
    }
    expect(refused).toBeGreaterThan(300); // the damage did produce invalid YAML
  });

  it('WHEN a values file is read THEN positions still come from js-yaml (the same keys and lines), computed on first use', () => {
    const text = readFileSync(join(REPO, 'values', 'octank-travel.yaml'), 'utf8');
    const [fast] = parseYamlDocuments(text, 'v.yaml');
    const [slow] = parseWithJsYaml(text, 'v.yaml');
    const pointers: string[] = [];
    const walk = (v: unknown, p: string): void => {
      pointers.push(p);
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, `${p}/${k}`);
    };
    walk(fast!.value, '');
    expect(pointers.length).toBeGreaterThan(100);
    expect(pointers.map((p) => [p, fast!.keyAt(p), fast!.valueAt(p), fast!.nearest(`${p}/missing`)]))
      .toEqual(pointers.map((p) => [p, slow!.keyAt(p), slow!.valueAt(p), slow!.nearest(`${p}/missing`)]));
    expect(fast!.line).toBe(slow!.line);
  });

  it('WHEN documents use each form of the subset THEN it reads them as js-yaml does', () => {
    for (const text of [
      "a: 'it''s'\nb: '''x'''\nc: ''\n", 'a: "x # y"\nb: "" # note\n', 'a:\n  - 1\n  - b: {c: [d, "e", \'f\'], g: {}}\n    h: []\n',
      'a:\n- x\n- y\nb: # nothing\nc:\n', '# head\n\na: 1 # one\n\n  # indented comment\nb:\n    deep: 2\n', 'a: {x: http://h:80/p, y: a b}\nb: a,b\n',
      '- a\n- b: 1\n  c: 2\n', 'a: .5\nb: .Inf\nc: 0o17\nd: 1_000\ne: +1\nf: ~\ng: Null\nh: TRUE\n', 'k.io/x-y_z: v\n']) {
      expect([text, agrees(text)]).toEqual([text, true]);
    }
  });

  it('WHEN the text is outside the subset THEN the reader leaves it to js-yaml', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: |\n  x\n', 'a: !!str 1\n', '---\na: 1\n', 'a: 1\n---\nb: 2\n', 'a: 1\na: 2\n', 'a: "\\n"\n',
      'a: b\n  c\n', 'a:\tb\n', 'a: 1\r\n', 'a: [1,\n  2]\n', '? a\n: b\n', '<<: {a: 1}\n', '"a": 1\n', 'a: b: c\n', 'x\n', '']) {
      expect([text, fastYamlDocument(text)]).toEqual([text, undefined]);
    }
  });
});
