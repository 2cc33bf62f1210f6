import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../support/helm.js';

export const VALUES_FILE = join(REPO, 'values', 'octank-travel.yaml');
export const EXAMPLE = readFileSync(VALUES_FILE, 'utf8');

/** The example with one text replaced; fails loudly when the text is not there (the example changed). */
export function exampleWith(from: string | RegExp, to: string): string {
  const out = EXAMPLE.replace(from, to);
  if (out === EXAMPLE) throw new Error(`the example no longer contains ${String(from)}`);
  return out;
}

/** The problems of an InputError thrown by fn (the test fails when fn does not throw one). */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    const problems = (err as { problems?: string[] }).problems;
    if (problems) return problems;
    throw err;
  }
  throw new Error('expected an InputError');
}
