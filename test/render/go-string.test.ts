import { describe, expect, it } from '@jest/globals';
import { goString } from '../../generator/render/value-source.js';

/** Reads a Go interpreted string literal (the escapes goString writes), as Go's template parser does. */
function readGoString(lit: string): string {
  expect(lit.startsWith('"') && lit.endsWith('"')).toBe(true);
  let out = '';
  for (let i = 1; i < lit.length - 1; i++) {
    if (lit[i] !== '\\') {
      expect(lit[i]).not.toBe('"');
      out += lit[i];
      continue;
    }
    const e = lit[++i];
    if (e === '"' || e === '\\') out += e;
    else if (e === 'x') { out += String.fromCharCode(parseInt(lit.slice(i + 1, i + 3), 16)); i += 2; }
    else if (e === 'u') { out += String.fromCharCode(parseInt(lit.slice(i + 1, i + 5), 16)); i += 4; }
    else throw new Error(`unknown escape \\${e}`);
  }
  return out;
}

/** What Go holds for a JavaScript string: a lone surrogate is no character, it becomes U+FFFD. */
const goText = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

describe('GIVEN strings that reach Go template actions (goString)', () => {
  it('WHEN they are plain names or hold quotes, backslashes, controls, DEL, C1, separators or lone surrogates THEN they are escaped as Go reads them', () => {
    expect(goString('checkout-svc.payments')).toBe('"checkout-svc.payments"');
    expect(goString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goString('x\n\x7f\u0085\u2028\ud800y')).toBe('"x\\x0a\\x7f\\u0085\\u2028\\ufffdy"');
    expect(goString('}} {{ .Release.Name')).toBe('"}} {{ .Release.Name"');
  });

  it('WHEN 5,000 random strings over those characters are written THEN Go reads back each one, and no raw control, C1 or line separator is left', () => {
    const pool = ['a', 'Z', '0', '-', '.', ' ', '"', '\\', '{', '}', '\n', '\t', '\x00', '\x7f', '\x80', '\u009f', '\u00a0', 'é', '\u2028', '\u2029', '\ud800', '\udfff', '😀', '~', '!', '#', '['];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 5000; i++) {
      const s = Array.from({ length: next() % 12 }, () => pool[next() % pool.length]).join('');
      const lit = goString(s);
      expect([s, readGoString(lit)]).toEqual([s, goText(s)]);
      expect([s, /[\x00-\x1f\x7f-\x9f\u2028\u2029]/.test(lit)]).toEqual([s, false]);
    }
  });
});
