import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../generator/lint/index.js';
import { REPO } from '../support/helm.js';

const doc = readFileSync(join(REPO, 'docs', 'lint-rules.md'), 'utf8');
const sections = new Map(
  doc.split(/^## /m).slice(1).map((s) => [s.slice(0, 6), s] as const),
);

describe('GIVEN docs/lint-rules.md', () => {
  it('THEN it documents exactly the registered codes, in order', () => {
    expect([...sections.keys()]).toEqual(RULES.map((r) => r.code));
  });

  it.each(RULES.map((r) => [r.code, r] as const))('THEN %s has a heading with its usual severity, a why (with a source) and a fix', (code, rule) => {
    const s = sections.get(code)!;
    expect(s.split('\n')[0]).toMatch(new RegExp(`^${code} — .+ \\(${rule.severity}\\)$`));
    expect(s).toMatch(/\*\*Why\.\*\*/);
    expect(s).toMatch(/\*\*Fix\.\*\*/);
  });

  it('THEN the sources cited for Istio and Envoy behaviour are upstream links', () => {
    const links = [...doc.matchAll(/\]\((https:\/\/[^)]+)\)/g)].map((m) => new URL(m[1]!).hostname);
    expect(links).toEqual(expect.arrayContaining(['istio.io', 'www.envoyproxy.io', 'github.com']));
  });
});
