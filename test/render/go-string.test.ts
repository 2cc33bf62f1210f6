import { describe, expect, it } from '@jest/globals';
import { goString } from '../../generator/render/value-source.js';

/** Go's escapes written out one character at a time: what goString's fast path must agree with. */
function reference(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if ((c >= 0x80 && c < 0xa0) || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) {
      out += `\\u${(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

describe('GIVEN strings that reach Go template actions (goString)', () => {
  it('WHEN they are plain names or hold quotes, backslashes, controls, DEL, C1, separators or lone surrogates THEN they are escaped as Go reads them', () => {
    expect(goString('checkout-svc.payments')).toBe('"checkout-svc.payments"');
    expect(goString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goString('x\n\x7f\u0085\u2028\ud800y')).toBe('"x\\x0a\\x7f\\u0085\\u2028\\ufffdy"');
    expect(goString('}} {{ .Release.Name')).toBe('"}} {{ .Release.Name"');
  });

  it('WHEN 5,000 random strings over those characters are written THEN every one matches the character-by-character escape', () => {
    const pool = ['a', 'Z', '0', '-', '.', ' ', '"', '\\', '{', '}', '\n', '\t', '\x00', '\x7f', '\x80', '\u009f', '\u00a0', 'é', '\u2028', '\u2029', '\ud800', '\udfff', '😀', '~', '!', '#', '['];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 5000; i++) {
      const s = Array.from({ length: next() % 12 }, () => pool[next() % pool.length]).join('');
      expect([s, goString(s)]).toEqual([s, reference(s)]);
    }
  });
});
