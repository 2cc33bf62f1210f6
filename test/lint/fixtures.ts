import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { lintObjects, type Finding, type LintContext } from '../../generator/lint/index.js';
import { REPO } from '../support/helm.js';

/** Lint fixtures mark each expected finding with `# expect: ZNLnnn [ZNLnnn...]` on the line it must point at. */
export const FIXTURE_DIR = 'test/fixtures/lint';

export interface Mark {
  readonly code: string;
  readonly line: number;
}

export function marksIn(text: string): Mark[] {
  return text.split('\n').flatMap((l, i) => {
    const m = /# expect:((?:\s+ZNL\d{3})+)\s*$/.exec(l);
    return m ? m[1]!.trim().split(/\s+/).map((code) => ({ code, line: i + 1 })) : [];
  });
}

/** A fixture may state the cluster it assumes: `# lint-context: {"zones": [...], "region": "..."}`. */
export function contextIn(text: string): LintContext {
  const m = /^# lint-context: (.*)$/m.exec(text);
  return m ? (JSON.parse(m[1]!) as LintContext) : {};
}

export function readFixture(rel: string): string {
  return readFileSync(join(REPO, FIXTURE_DIR, rel), 'utf8');
}

/** Lints fixture files (paths relative to the fixture dir) together, as `zonal lint -f` would. */
export function lintFixtures(...rels: string[]): { findings: Finding[]; marks: (Mark & { file: string })[] } {
  const texts = rels.map((rel) => ({ file: `${FIXTURE_DIR}/${rel}`, text: readFixture(rel) }));
  const objects = texts.flatMap((t) => parseManifests(t.text, t.file));
  const context = texts.reduce<LintContext>((acc, t) => ({ ...acc, ...contextIn(t.text) }), {});
  return {
    findings: lintObjects(objects, context),
    marks: texts.flatMap((t) => marksIn(t.text).map((m) => ({ ...m, file: t.file }))),
  };
}

/** `code file:line` keys, sorted, for comparing findings with marks as multisets. */
export function keys(items: readonly { code: string; file: string; line: number }[]): string[] {
  return items.map((i) => `${i.code} ${i.file}:${i.line}`).sort();
}
