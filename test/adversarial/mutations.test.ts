/**
 * Mutations of a good values file and of the command line that must be refused before anything is
 * written: each one exit 2, one `file:line:col: what (fix)` or `zonal <cmd>: what (fix)` line per
 * problem (never a bare errno, never a stack trace, never "this is a bug in zonal").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const BASE = readFileSync(join(REPO, 'test', 'adversarial', 'base.yaml'), 'utf8');

let work: string;
beforeAll(() => {
  work = tempDir('zonal-mut-');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One mutation: the values text, and what the message must say (a line:col and a phrase). */
interface Mutation {
  readonly name: string;
  readonly text: string;
  /** `line:col: ` prefix the first problem must have, or undefined for any position. */
  readonly at?: string;
  readonly says: string;
}

const replace = (from: string | RegExp, to: string) => {
  const text = BASE.replace(from, to);
  if (text === BASE) throw new Error(`mutation does not apply: ${String(from)}`);
  return text;
};
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const envWithValues = (values: string) => replace(/    values:\n      services:\n        web:\n          image: \{ tag: "1.0.1" \}\n/, values);

const MUTATIONS: Mutation[] = [
  {
    name: 'an alias bomb inside environments[].values',
    text: envWithValues(`    values:\n      a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${
      Array.from({ length: 8 }, (_, i) => `      ${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n')}\n`),
    says: 'the YAML aliases here expand to more than 1,000,000 values',
  },
  {
    name: 'a typo in an environment override',
    text: envWithValues('    values:\n      services:\n        web:\n          replica: 3\n'),
    says: 'unknown key "replica" in environments[0].values.services.web',
  },
  {
    name: 'an unknown service in an environment override',
    text: envWithValues('    values:\n      services:\n        nope:\n          replicas: 3\n'),
    says: 'unknown key "nope" in environments[0].values.services',
  },
  {
    name: 'a wrong type in an environment override',
    text: envWithValues('    values:\n      services:\n        web:\n          replicas: "three"\n'),
    says: 'environments[0].values.services.web.replicas must be integer',
  },
  {
    name: 'a Service name with a leading digit (DNS-1035)',
    text: replace('serviceName: web-svc', 'serviceName: 1web'),
    says: 'Service name "1web" must start with a letter',
  },
  {
    name: 'an image tag that is no label value (it becomes app.kubernetes.io/version)',
    text: replace('appVersion: "1.0.0", ', '').replace('tag: "1.0.0", pullPolicy', `tag: "${'v'.repeat(70)}", pullPolicy`),
    says: 'becomes the app.kubernetes.io/version label and is 70 characters long',
  },
  {
    name: 'an appVersion with a character labels do not allow',
    text: replace('appVersion: "1.0.0"', 'appVersion: "1.0.0+build"'),
    says: 'chart.appVersion "1.0.0+build" becomes the app.kubernetes.io/version label',
  },
  {
    name: 'a namespace label key that is no label key',
    text: replace('labels: { team: payments }', 'labels: { "team owner": payments }'),
    says: 'namespaces[0].labels key "team owner" is not a valid label key',
  },
  {
    name: 'a namespace label that the chart sets itself',
    text: replace('labels: { team: payments }', 'labels: { istio-injection: disabled }'),
    says: 'namespaces[0].labels.istio-injection is a label the chart sets itself',
  },
  {
    name: 'a namespace label value longer than 63 characters',
    text: replace('labels: { team: payments }', `labels: { team: ${'p'.repeat(64)} }`),
    says: 'is 64 characters long; a label value has at most 63',
  },
  {
    name: 'a service label key that is no label key',
    text: replace('env: { GREETING: hello }', 'env: { GREETING: hello }\n    labels: { "team owner": payments }'),
    says: 'services[0].labels key "team owner" is not a valid label key',
  },
  {
    name: 'a service label value with a space',
    text: replace('env: { GREETING: hello }', 'env: { GREETING: hello }\n    labels: { team: "pay ments" }'),
    says: 'services[0].labels.team "pay ments" is not a valid label value',
  },
  {
    name: 'a service label the chart sets itself (a duplicate key in every object)',
    text: replace('env: { GREETING: hello }', 'env: { GREETING: hello }\n    labels: { app.kubernetes.io/name: other }'),
    says: 'services[0].labels.app.kubernetes.io/name is a label the chart sets itself',
  },
  {
    name: 'a nodeSelector value that is no label value',
    text: replace('env: { GREETING: hello }', 'env: { GREETING: hello }\n    nodeSelector: { pool: "a/b" }'),
    says: 'services[0].nodeSelector.pool "a/b" is not a valid label value',
  },
  {
    name: 'a pod annotation key that is no annotation key',
    text: replace('env: { GREETING: hello }', 'env: { GREETING: hello }\n    podAnnotations: { "Example.com/x": y }'),
    says: 'services[0].podAnnotations key "Example.com/x" has a prefix that is not a DNS subdomain',
  },
  {
    name: 'a service account annotation key that is no annotation key',
    text: replace('env: { GREETING: hello }', 'env: { GREETING: hello }\n    serviceAccount: { annotations: { "-x": y } }'),
    says: 'services[0].serviceAccount.annotations key "-x" is not a valid annotation key',
  },
  {
    name: 'a volume named like the chart\'s own tmp volume',
    text: replace('volumes: [{ name: cache, emptyDir: { medium: Memory } }]', 'volumes: [{ name: tmp, emptyDir: {} }]')
      .replace('volumeMounts: [{ name: cache, mountPath: /cache }]', 'volumeMounts: [{ name: tmp, mountPath: /scratch }]'),
    says: 'volume name "tmp" is used twice (the chart mounts its own "tmp" volume at /tmp)',
  },
  {
    name: 'a mount at the chart\'s own /tmp',
    text: replace('mountPath: /cache', 'mountPath: /tmp/'),
    says: 'mountPath "/tmp/" is used twice (the chart mounts its own volume at /tmp)',
  },
  {
    name: 'a mount of a volume the service does not have',
    text: replace('volumeMounts: [{ name: cache, mountPath: /cache }]', 'volumeMounts: [{ name: cahce, mountPath: /cache }]'),
    says: 'volumeMounts[0] mounts "cahce", which is not a volume of this service',
  },
  {
    name: 'an env name the chart generates (PORT)',
    text: replace('env: { GREETING: hello }', 'env: { PORT: "9999" }'),
    says: 'services[0].env.PORT is set by the chart itself',
  },
  {
    name: 'a newline in environments[].cluster',
    text: replace('cluster: https://prod.example.com', 'cluster: "https://prod.example.com\\n# injected: true"'),
    says: 'environments[0].cluster "https://prod.example.com\\n# injected: true" is not valid',
  },
  {
    name: 'braces in gitops.repoURL (the ApplicationSet template would evaluate them)',
    text: replace('repoURL: https://github.com/example/adv.git', 'repoURL: "https://github.com/{{ .cluster }}/adv.git"'),
    says: 'gitops.repoURL "https://github.com/{{ .cluster }}/adv.git" is not valid',
  },
  {
    name: 'a control character in a description (Helm drops it from Chart.yaml)',
    text: replace('description: "corpus chart"', 'description: "corpus\\u0085chart"'),
    says: 'chart.description "corpus\\u0085chart" is not valid',
  },
  {
    name: 'an unpaired surrogate escape',
    text: replace('GREETING: hello', 'GREETING: "\\ud800"'),
    says: 'services[0].env.GREETING holds an unpaired UTF-16 surrogate escape',
  },
  {
    name: 'a control character in an env value',
    text: replace('GREETING: hello', 'GREETING: "a\\u001bb"'),
    says: 'services[0].env.GREETING holds the control character U+001B',
  },
  {
    name: 'a 6 MiB env value',
    text: replace('GREETING: hello', `GREETING: "${'x'.repeat(6 * 1024 * 1024)}"`),
    at: `${lineOf(BASE, 'GREETING')}:`,
    says: 'services[0].env.GREETING is 6.0 MiB long',
  },
  {
    name: 'six env values of 0.9 MiB (one template over Helm\'s 5 MiB per-file limit)',
    text: replace('env: { GREETING: hello }', `env: { ${Array.from({ length: 6 }, (_, i) => `V${i}: "${String(i).repeat(900 * 1024)}"`).join(', ')} }`),
    at: `${lineOf(BASE, 'GREETING')}:`,
    says: 'charts/adv/templates/services/web.yaml would be 5.3 MiB, over Helm\'s 5 MiB limit per chart file',
  },
  {
    name: 'JSON nested 100,000 levels deep',
    text: `${'['.repeat(100000)}${']'.repeat(100000)}`,
    at: '1:',
    says: '',
  },
];

describe.each(MUTATIONS.map((m) => [m.name, m] as const))('GIVEN %s', (_name, m) => {
  it('THEN generate exits 2 with one located line per problem and writes nothing', async () => {
    const file = join(work, `${m.name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, m.text);
    const out = join(work, `${m.name.replace(/\W+/g, '-')}-out`);
    const r = await runCli(['generate', '--values', file, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    for (const line of lines) expect(line.startsWith(`${file}:`) && /^[^:]+:\d+:\d+: .+ \(.+\)$/.test(line)).toBe(true);
    expect(r.stderr).toContain(m.says);
    if (m.at) expect(lines[0]!.slice(file.length + 1)).toMatch(new RegExp(`^${m.at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(r.stderr).not.toMatch(/this is a bug|\n\s+at /);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('GIVEN file-system trouble', () => {
  it('WHEN --values names a folder THEN a located message, not EISDIR', async () => {
    mkdirSync(join(work, 'a-folder.yaml'));
    const r = await runCli(['generate', '--values', join(work, 'a-folder.yaml'), '--out', join(work, 'o1')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${join(work, 'a-folder.yaml')}:1:1: cannot read the values file (is a directory, not a file; check the --values path)\n`);
  });

  it('WHEN --out is a file THEN `zonal generate: ...` with the fix, not ENOTDIR, and the file is untouched', async () => {
    const values = join(work, 'ok.yaml');
    writeFileSync(values, BASE);
    const out = join(work, 'not-a-dir');
    writeFileSync(out, 'mine\n');
    const r = await runCli(['generate', '--values', values, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^zonal generate: cannot write .+ \(a file is where a folder is needed; check the --out path.*\)\n$/);
    expect(r.stderr).not.toMatch(/\bE[A-Z]{3,}\b/);
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
  });

  it('WHEN a folder zonal writes into is a symbolic link THEN refused by name, nothing written through it; a linked --out itself is fine', async () => {
    const values = join(work, 'ok-link.yaml');
    writeFileSync(values, BASE);
    const name = /^metadata:\s*\{?\s*name:\s*([\w-]+)/m.exec(BASE)![1]!;
    const elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere);
    for (const [linked, extra] of [['charts', ''], [`charts/${name}`, ''], [`charts/${name}/templates`, ''], ['argocd', ''], ['charts', '--check']] as const) {
      const out = join(work, `linked-${linked.replaceAll('/', '-')}${extra}`);
      mkdirSync(join(out, linked, '..'), { recursive: true });
      symlinkSync(elsewhere, join(out, linked));
      const r = await runCli(['generate', '--values', values, '--out', out, ...(extra ? [extra] : [])]);
      expect({ linked, code: r.code, stderr: r.stderr }).toEqual({ linked, code: 2,
        stderr: `zonal generate: ${linked} is a symbolic link; zonal writes only into real folders below the output root (replace the link with a folder; nothing was written)\n` });
      expect(readdirSync(elsewhere)).toEqual([]);
    }
    const real = join(work, 'real-out');
    mkdirSync(real);
    symlinkSync(real, join(work, 'out-link'));
    const r = await runCli(['generate', '--values', values, '--out', join(work, 'out-link')]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readdirSync(real).sort()).toEqual(['argocd', 'charts']);
  });

  it('WHEN --out is below /proc (its folders exist but refuse new entries) THEN refused at once with the path, not a hang', async () => {
    if (!existsSync('/proc/self')) return; // Linux only
    const values = join(work, 'ok-proc.yaml');
    writeFileSync(values, BASE);
    // Node's recursive mkdir loops forever here; zonal makes each folder itself (fs/make-dirs.ts).
    const r = await runCli(['generate', '--values', values, '--out', '/proc/zonal-test-out/deeper']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^zonal generate: cannot write \/proc\/zonal-test-out.*; nothing was changed\)\n$/);
  });

  it('WHEN a generated file\'s place holds a folder THEN refused as in the way, nothing changed', async () => {
    const values = join(work, 'ok2.yaml');
    writeFileSync(values, BASE);
    const out = join(work, 'clash');
    mkdirSync(join(out, 'argocd', 'root.yaml'), { recursive: true });
    const r = await runCli(['generate', '--values', values, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('zonal generate: argocd/root.yaml is in the way and was not written by zonal');
    expect(existsSync(join(out, 'charts'))).toBe(false);
  });
});
