/**
 * Reads AWS CLI JSON output as `zonal discover` gets it on standard input: one JSON document, or
 * several printed one after the other (`aws rds describe-db-clusters; aws rds describe-db-instances`).
 * Problems are `file:line:col: what (fix)` lines in an InputError.
 */
import { InputError } from '../errors.js';

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Splits concatenated top-level JSON values by bracket depth (strings and escapes respected). */
function split(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      if (depth === 0 && start < 0) start = i;
    } else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        out.push({ start, end: i + 1 });
        start = -1;
      }
    } else if (depth === 0 && !/\s/.test(c)) {
      // A bare scalar at top level: let JSON.parse report it where it is.
      out.push({ start: i, end: text.length });
      return out;
    }
  }
  if (start >= 0) out.push({ start, end: text.length });
  return out;
}

/** The JSON documents in `text`, in order. */
export function parseJsonDocuments(text: string, file: string, expected: string): unknown[] {
  const problems: string[] = [];
  const docs: unknown[] = [];
  for (const { start, end } of split(text)) {
    const chunk = text.slice(start, end);
    try {
      docs.push(JSON.parse(chunk));
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      const at = position(text, start + (m ? Number(m[1]) : 0));
      const reason = (err as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
      problems.push(`${file}:${at.line}:${at.column}: not valid JSON: ${reason} (pipe the AWS CLI output unchanged, --output json)`);
      break;
    }
  }
  if (problems.length) throw new InputError(problems);
  if (docs.length === 0) throw new InputError([`${file}:1:1: no JSON on the input (pipe ${expected} into it)`]);
  return docs;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function stringField(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
