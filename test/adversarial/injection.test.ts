/**
 * The injection corpus: every payload (payloads.ts) in every string field of the values file (found
 * by walking the values JSON Schema next to base.yaml, plus the chart values an environment can
 * override). For each case `zonal generate` either refuses it (exit 2, one located line per
 * problem, nothing written) or writes files in which the payload is data:
 * - every generated YAML file parses to the same shape as the base generation (no injected key,
 *   document or comment line, no string turned into a number);
 * - the ApplicationSet's Go template expands without evaluating the payload;
 * - rendered by real Helm 3 and Helm 4 (accepted cases batched into a few charts), the payload
 *   comes out byte-for-byte in the objects, Chart.yaml or NOTES it went into, and `{{ fail }}`,
 *   `lookup` or `.Release.Name` were never evaluated.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { dump, load, loadAll } from 'js-yaml';
import { expandTemplate, templateProblems } from '../../generator/argocd/go-template.js';
import { environmentValueProblems } from '../../generator/chart/environment-values.js';
import { lintGate } from '../../generator/commands/generate-lint-gate.js';
import { generateOutput } from '../../generator/commands/generate-output.js';
import { InputError } from '../../generator/errors.js';
import { parseValues, sourceDocumentOf } from '../../generator/model/load-values.js';
import { valuesSchema } from '../../generator/model/values-schema.js';
import { runCli, tempDir } from '../support/generate.js';
import { helmBinaries, REPO, type HelmBinary } from '../support/helm.js';
import { PAYLOADS } from './payloads.js';
import { stringSlots, valueAt, withPayload, type StringSlot } from './schema-paths.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const BASE = load(readFileSync(join(REPO, 'test', 'adversarial', 'base.yaml'), 'utf8')) as Record<string, unknown>;
const CHART = 'charts/adv';
const { slots: schemaSlots, uncovered } = stringSlots(valuesSchema as Any, BASE);
/**
 * Chart values an environment overrides (validated against the chart's values.schema.json): every
 * string field of the base chart's own schema, found the same way, below environments[0].values.
 */
const ENV_SLOTS: StringSlot[] = (() => {
  const model = parseValues(readFileSync(join(REPO, 'test', 'adversarial', 'base.yaml'), 'utf8'), 'base.yaml');
  const chart = generateOutput(model, 'base.yaml').chart;
  const { slots } = stringSlots(JSON.parse(chart['values.schema.json']!) as Any, load(chart['values.yaml']!));
  return slots.map((s) => ({ pointer: `/environments/0/values${s.pointer}`, kind: s.kind }));
})();
/** Free-form Kubernetes fragments the schema checks only for their outer shape. */
const FRAGMENT_SLOTS: StringSlot[] = ['affinity/zq-entry', 'tolerations/0/key', 'envFrom/0/prefix', 'securityContext/pod/zq-entry',
  'volumes/0/name', 'volumes/0/emptyDir/medium', 'volumeMounts/0/mountPath']
  .map((p) => ({ pointer: `/services/0/${p}`, kind: 'value' as const }))
  .filter((s) => (valuesSchema as Any).properties.services.items.properties[s.pointer.split('/')[3]!] !== undefined);
const SLOTS = [...schemaSlots, ...ENV_SLOTS, ...FRAGMENT_SLOTS];

/** The structure of a parsed document with every string's content (and map keys' text) left out. */
function shape(v: unknown): unknown {
  if (typeof v === 'string') return 's';
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === 'object') return Object.values(v).map(shape);
  return v === null ? null : typeof v;
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); strings(x, out); }
  return out;
}

const YAML_FILE = /\.ya?ml$/;
/** Generated YAML that is not a Helm template: parsed as is. */
const isPlainYaml = (path: string) => YAML_FILE.test(path) && !path.includes('/templates/');

function parsedTree(tree: Record<string, string>): Record<string, unknown[]> {
  const result: Record<string, unknown[]> = {};
  for (const [path, text] of Object.entries(tree)) {
    if (isPlainYaml(path)) result[path] = loadAll(text);
    else if (path.endsWith('.json')) result[path] = [JSON.parse(text)];
  }
  return result;
}

const shapesOf = (tree: Record<string, string>) => Object.fromEntries(Object.entries(parsedTree(tree)).map(([p, docs]) => [p, JSON.stringify(shape(docs))]));

/** The ApplicationSet as Argo CD's list generator expands it, one Application per element. */
function expandedApplications(tree: Record<string, string>): unknown[] {
  const set = (loadAll(tree['argocd/apps/applicationset.yaml']!) as Any[]).find((d) => d?.kind === 'ApplicationSet');
  const elements = set.spec.generators[0].list.elements as Record<string, unknown>[];
  const problems = templateProblems(set.spec.template, elements);
  if (problems.length) throw new Error(problems.join('; '));
  return elements.map((el) => expandTemplate(set.spec.template, el));
}

interface Accepted {
  readonly slot: StringSlot;
  readonly payload: string;
  /** Generated files whose content differs from the base generation. */
  readonly changed: string[];
}

const accepted: Accepted[] = [];
/** Whether a slot's plain value (its own, or `zqplain`) is accepted. */
const plainAccepted = new Map<StringSlot, boolean>();
/** The plain value of a slot where it is not the default one (`/zqplain` for paths). */
const plainValues = new Map<StringSlot, string>();
let refusedCount = 0;
let work: string;
let baseTree: Record<string, string>;
const FILE = 'values/adversarial.yaml';

/**
 * What `zonal generate` decides for a values document, in-process and without touching the disk
 * (the same functions the command runs, in its order): the problem lines, or the files it writes.
 */
function decide(values: unknown): { problems: readonly string[] } | { tree: Record<string, string> } {
  const text = dump(values, { lineWidth: -1 });
  try {
    const model = parseValues(text, FILE);
    lintGate(model, FILE, text);
    const overrides = environmentValueProblems(model, sourceDocumentOf(model), FILE);
    if (overrides.length) throw new InputError(overrides);
    const out = generateOutput(model, FILE);
    const tree: Record<string, string> = {};
    for (const [rel, content] of Object.entries(out.chart)) tree[`${CHART}/${rel}`] = content;
    for (const [rel, content] of Object.entries(out.argocd)) tree[`argocd/${rel}`] = content;
    return { tree };
  } catch (err) {
    if (err instanceof InputError) return { problems: err.problems };
    throw err;
  }
}

function writeTree(tree: Record<string, string>, out: string): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), content);
  }
}

async function cliGenerate(values: unknown, name: string) {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, dump(values, { lineWidth: -1 }));
  const out = join(work, `${name}-out`);
  return { ...(await runCli(['generate', '--values', file, '--out', out])), file, out };
}

beforeAll(() => {
  work = tempDir('zonal-adv-');
  const d = decide(BASE);
  if (!('tree' in d)) throw new Error(`the corpus base does not generate: ${d.problems.join('\n')}`);
  baseTree = d.tree;
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('GIVEN the values schema and the corpus base file', () => {
  it('THEN every string field of the schema is present in the base (or creatable), and the corpus is large', () => {
    expect(uncovered).toEqual([]);
    expect(SLOTS.length).toBeGreaterThanOrEqual(40);
    expect(SLOTS.length * PAYLOADS.length).toBeGreaterThanOrEqual(1000);
  });

  it('WHEN the CLI refuses a payload THEN exit 2, located one-line messages, nothing written', async () => {
    const cases: Array<[StringSlot, string]> = [
      [{ pointer: '/environments/0/cluster', kind: 'value' }, 'https://x.example.com/\n  injected: true'],
      [{ pointer: '/services/0/image/tag', kind: 'value' }, '1.0"b'],
      [{ pointer: '/gitops/repoURL', kind: 'value' }, 'https://x.example.com/{{ fail "u" }}'],
      [{ pointer: '/environments/0/values/services/web', kind: 'key' }, 'line1\nline2: injected'],
    ];
    for (const [i, [slot, payload]] of cases.entries()) {
      const r = await cliGenerate(withPayload(BASE, slot, payload), `cli-${i}`);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const located = new RegExp(`^${r.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: .+ \\(.+\\)$`);
      for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(located);
      expect(existsSync(r.out) ? readdirSync(r.out) : []).toEqual([]);
    }
  });
});

describe.each(SLOTS.map((s) => [`${s.kind} ${s.pointer}`, s] as const))('GIVEN every payload in the %s', (_label, slot) => {
  it('THEN generate refuses it with located one-line messages, or writes it as data', () => {
    const failures: string[] = [];
    // The structure to compare with: the slot holding a harmless value (its own, or a plain word
    // where the base leaves it out, since setting an optional field can add keys).
    const original = valueAt(BASE, slot);
    let refTree: Record<string, string> | undefined;
    const reference = () => {
      if (!refTree) {
        // A plain word, or a plain path where the field takes paths only (probe paths start with "/").
        const plain = typeof original === 'string' && original !== '' ? [original] : ['zqplain', '/zqplain'];
        let ref = decide(withPayload(BASE, slot, plain[0]!));
        if (!('tree' in ref) && plain[1]) {
          ref = decide(withPayload(BASE, slot, plain[1]));
          if ('tree' in ref) plainValues.set(slot, plain[1]);
        }
        plainAccepted.set(slot, 'tree' in ref);
        refTree = 'tree' in ref ? ref.tree : baseTree;
      }
      return refTree;
    };
    const located = new RegExp(`^${FILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: .+`);
    for (const payload of PAYLOADS) {
      const d = decide(withPayload(BASE, slot, payload));
      const tag = `${JSON.stringify(payload)}:`;
      if ('problems' in d) {
        refusedCount++;
        if (d.problems.length === 0) failures.push(`${tag} refused without a message`);
        for (const line of d.problems) if (!located.test(line) || line.includes('\n')) failures.push(`${tag} refused with an unlocated line: ${line.slice(0, 200)}`);
        continue;
      }
      const tree = d.tree;
      const changed = Object.keys(tree).filter((p) => tree[p] !== baseTree[p]);
      if (slot.kind === 'value') {
        // Only files whose text differs from the reference can differ in structure.
        const ref = reference();
        const differing = Object.fromEntries(Object.entries(tree).filter(([p, t]) => ref[p] !== undefined && ref[p] !== t));
        const refShapes = shapesOf(Object.fromEntries(Object.keys(differing).map((p) => [p, ref[p]!])));
        for (const [path, sh] of Object.entries(shapesOf(differing))) {
          if (sh !== refShapes[path]) failures.push(`${tag} changes the structure of ${path}`);
        }
      } else reference();
      // NOTES.txt is a template Helm evaluates; only validated names (DNS labels and names) reach it.
      if (changed.includes(`${CHART}/templates/NOTES.txt`) && !/^[a-z0-9.-]+$/.test(payload)) failures.push(`${tag} reaches NOTES.txt`);
      let apps: unknown[] = [];
      try {
        apps = expandedApplications(tree);
      } catch (err) {
        failures.push(`${tag} the ApplicationSet template does not expand: ${(err as Error).message}`);
      }
      const argocdChanged = changed.filter((p) => p.startsWith('argocd/'));
      if (argocdChanged.length) {
        const seen = [...strings(apps), ...argocdChanged.flatMap((p) => strings(loadAll(tree[p]!)))];
        if (!seen.some((x) => x.includes(payload))) failures.push(`${tag} changes ${argocdChanged.join(', ')} but is not in them as data`);
      }
      accepted.push({ slot, payload, changed });
    }
    expect(failures).toEqual([]);
  });
});

/**
 * Fields that, when set, replace another field's output (probes.liveness.path wins over
 * healthPath): never in one chart with a payload of the field they shadow.
 */
const SHADOWS: Readonly<Record<string, string>> = {
  '/services/0/probes/liveness/path': '/services/0/healthPath',
  '/services/0/probes/readiness/path': '/services/0/readinessPath',
};

/** Accepted cases in groups with at most one payload per field, so one chart carries many. */
function groups(cases: readonly Accepted[]): Accepted[][] {
  const bySlot = new Map<string, Accepted[]>();
  for (const a of cases) {
    const k = `${a.slot.kind}:${a.slot.pointer}`;
    bySlot.set(k, [...(bySlot.get(k) ?? []), a]);
  }
  const out: Accepted[][] = [];
  const lists = [...bySlot.entries()];
  // Each field starts at its own group (rotated), so two fields never carry the same payload in
  // one chart (failover from and to would both be it, which is refused as a cross-field rule).
  const plainLists = lists.filter(([k]) => !(k.slice(6) in SHADOWS));
  const width = Math.max(0, ...plainLists.map(([, list]) => list.length));
  plainLists.forEach(([, list], k) => list.forEach((a, i) => (out[(i + k) % width] ??= []).push(a)));
  // The shadowing fields' payloads go into charts of their own, after the others.
  const offset = out.length;
  for (const [, list] of lists.filter(([k]) => k.slice(6) in SHADOWS)) list.forEach((a, i) => (out[offset + i] ??= []).push(a));
  return out;
}

const plainOf = (slot: StringSlot) => {
  const original = valueAt(BASE, slot);
  return typeof original === 'string' && original !== '' ? original : plainValues.get(slot) ?? 'zqplain';
};

/**
 * The values with the group's payloads and every other slot at its plain value, so that all
 * charts have the structure of the all-plain chart. Values first, then keys (a key slot renames
 * the entry a value slot may have created).
 */
function groupValues(group: readonly Accepted[]): unknown {
  const chosen = new Map(group.map((a) => [`${a.slot.kind}:${a.slot.pointer}`, a.payload]));
  const ordered = [...SLOTS.filter((s) => s.kind === 'value'), ...SLOTS.filter((s) => s.kind === 'key')];
  return ordered.reduce<unknown>((doc, slot) => {
    const payload = chosen.get(`${slot.kind}:${slot.pointer}`);
    if (payload !== undefined) return withPayload(doc, slot, payload);
    // Every slot that takes payloads is set in every chart (to its plain value, or when that is
    // refused to its first accepted payload), so all charts share one structure.
    const first = accepted.find((a) => a.slot === slot);
    if (!first) return doc;
    const shadowed = SHADOWS[slot.pointer];
    if (shadowed && group.some((a) => a.slot.pointer === shadowed)) return doc;
    return withPayload(doc, slot, plainAccepted.get(slot) ? plainOf(slot) : first.payload);
  }, BASE);
}

function helmRun(bin: HelmBinary, args: string[]): string {
  return execFileSync(bin.path, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** What Helm makes of a chart: the objects (with and without the environment's values) and Chart.yaml. */
function helmView(bin: HelmBinary, chart: string) {
  const objects = loadAll(helmRun(bin, ['template', 'adv', chart]));
  const envFile = readdirSync(chart).find((f) => /^values-.+\.yaml$/.test(f))!;
  const envObjects = loadAll(helmRun(bin, ['template', 'adv', chart, '-f', join(chart, envFile)]));
  const chartYaml = load(helmRun(bin, ['show', 'chart', chart]));
  return { objects, envObjects, chartYaml };
}

describe('GIVEN the accepted cases batched into charts WHEN real Helm 3 and Helm 4 render them', () => {
  it('THEN every payload comes out byte-for-byte as data and nothing of it is evaluated', async () => {
    const failures: string[] = [];
    const bins = helmBinaries();
    const plain = decide(groupValues([]));
    if (!('tree' in plain)) throw new Error(`the all-plain corpus chart does not generate: ${plain.problems.join(' / ')}`);
    const baseOut = join(work, 'helm-base');
    writeTree(plain.tree, baseOut);
    const baseViews = bins.map((b) => helmView(b, join(baseOut, CHART)));
    // A payload that clashes with the plain values of the other fields (a renamed host that an
    // environment override names) is rendered on its own, as it was accepted; the rest in batches.
    const alone = accepted.filter((a) => !('tree' in decide(groupValues([a]))));
    const batches = [...groups(accepted.filter((a) => !alone.includes(a))), ...alone.map((a) => [a])];
    let rendered = 0;
    let soloViews: ReturnType<typeof helmView>[] | undefined;
    /** Helm's view of the corpus base itself, for a payload checked on its own. */
    const baseOnly = () => {
      if (!soloViews) {
        const out = join(work, 'helm-base-only');
        writeTree(baseTree, out);
        soloViews = bins.map((b) => helmView(b, join(out, CHART)));
      }
      return soloViews;
    };
    const check = async (group: Accepted[], id: string, solo = false): Promise<void> => {
      const d = decide(solo ? withPayload(BASE, group[0]!.slot, group[0]!.payload) : groupValues(group));
      if (!('tree' in d)) {
        // Two payloads that are fine alone can clash (cross-field checks): split the batch.
        if (solo) failures.push(`${JSON.stringify(group[0]!.payload)} in ${group[0]!.slot.pointer}: accepted alone, refused when rendered: ${d.problems.join(' / ')}`);
        else if (group.length === 1) await check(group, `${id}s`, true);
        else {
          const half = Math.ceil(group.length / 2);
          await check(group.slice(0, half), `${id}a`);
          await check(group.slice(half), `${id}b`);
        }
        return;
      }
      rendered++;
      const out = join(work, `helm-${id}`);
      writeTree(d.tree, out);
      bins.forEach((bin, b) => {
        let view: ReturnType<typeof helmView>;
        try {
          view = helmView(bin, join(out, CHART));
        } catch (err) {
          failures.push(`helm ${bin.major} fails on group ${id} (${group.map((a) => `${a.slot.kind} ${a.slot.pointer}`).join(', ')}): ` +
            `${String((err as { stderr?: string }).stderr ?? err).slice(0, 400)}`);
          return;
        }
        const base = solo ? baseOnly()[b]! : baseViews[b]!;
        // A payload on its own is compared with the base where the base holds a value in its place.
        const comparable = solo ? typeof valueAt(BASE, group[0]!.slot) === 'string' : true;
        if (comparable && group.every((a) => a.slot.kind === 'value')) {
          if (JSON.stringify(shape(view.objects)) !== JSON.stringify(shape(base.objects))) failures.push(`helm ${bin.major}: group ${id} changes the objects' structure`);
          if (JSON.stringify(shape(view.envObjects)) !== JSON.stringify(shape(base.envObjects))) failures.push(`helm ${bin.major}: group ${id} changes the prod objects' structure`);
          if (JSON.stringify(shape(view.chartYaml)) !== JSON.stringify(shape(base.chartYaml))) failures.push(`helm ${bin.major}: group ${id} changes Chart.yaml's structure`);
        }
        const inObjects = [...strings(view.objects), ...strings(view.envObjects)];
        const inChart = strings(view.chartYaml);
        for (const a of group) {
          const tag = `helm ${bin.major}: ${JSON.stringify(a.payload)} in ${a.slot.kind} ${a.slot.pointer}`;
          const into = (p: string) => a.changed.some((c) => c.startsWith(`${CHART}/${p}`));
          if (into('templates/') || /\/values-.+\.yaml$/.test(a.changed.join(' '))) {
            if (!inObjects.some((s) => s.includes(a.payload))) failures.push(`${tag}: not in the rendered objects as data`);
          }
          if (into('Chart.yaml') && !inChart.some((s) => s.includes(a.payload))) failures.push(`${tag}: not in Chart.yaml as Helm reads it`);
        }
      });
      rmSync(out, { recursive: true, force: true });
    };
    for (const [i, group] of batches.entries()) await check(group, String(i), alone.includes(group[0]!) && group.length === 1);
    expect(failures).toEqual([]);
    // Real Helm saw the accepted payloads in a few charts, not one run per payload.
    expect(rendered).toBeLessThanOrEqual(Math.max(batches.length * 2, 1));
    expect(accepted.length + refusedCount).toBe(SLOTS.length * PAYLOADS.length);
  });
});
