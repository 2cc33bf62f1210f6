import { blockYaml, flowYaml } from './emit.js';

/**
 * Deterministic YAML for generated files: no folding, no anchors, double quotes when needed
 * (js-yaml's `dump` with DUMP_OPTIONS, written by the fast path of emit.ts).
 */
export function toYaml(value: unknown): string {
  return blockYaml(value);
}

/** The same on one line in flow style (`{a: 1, b: [x, y]}`), without the final line break. */
export function toFlowYaml(value: unknown): string {
  return flowYaml(value).replace(/\n$/, '');
}

/**
 * A double-quoted YAML scalar on one line. Every character a YAML 1.1 reader (Helm, Argo CD) might
 * take for a line break (NEL, LS, PS) or that is not printable is written as an escape.
 */
export function yamlQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0x2028 || c === 0x2029 || c === 0xfeff) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * A user string shown inside a comment of a generated file: kept as is when it is plain
 * (letters, digits, `._/@+-`), else written as an escaped, ASCII-only quoted string, so it can
 * never end the comment line or look like a key.
 */
export function commentText(s: string): string {
  if (/^[A-Za-z0-9._/@+-]*$/.test(s)) return s;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9._/-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n)$/i;

/** A mapping key or scalar: plain when YAML 1.1 and 1.2 read it back as that string, else quoted. */
export function yamlKey(k: string): string {
  return PLAIN_KEY.test(k) && !RESERVED.test(k) ? k : yamlQuoted(k);
}

/**
 * JSON that YAML 1.1 readers parse the same way (Helm 3 reads values.schema.json through a YAML
 * parser): the characters JSON.stringify leaves raw but YAML 1.1 takes for line breaks or refuses
 * (C1 controls incl. NEL, LS, PS, BOM, DEL) are written as \u escapes.
 */
export function yamlSafeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
