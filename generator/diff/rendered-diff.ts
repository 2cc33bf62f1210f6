import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { load } from 'js-yaml';
import { parseManifests, type KubeObject } from '../k8s/manifest.js';
import { exportDirectories, GitError, repoRoot, resolveCommit, subdirectories } from './git.js';
import { HelmError, helmTemplate } from './helm.js';
import { diffRendered, type ChartDiff } from './object-diff.js';
import { zonalKey } from '../well-known.js';

const RELEASE_NAMESPACE_ANNOTATION = zonalKey('namespace');

export interface DiffRequest {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Git revision to compare the working tree against. */
  readonly base: string;
  /** Chart directories (absolute) to compare; when empty, every chart below `chartsDir`. */
  readonly charts: readonly string[];
  /** Absolute directory holding one sub-directory per chart (`<out>/charts`). */
  readonly chartsDir: string;
  /** Environment names: each also renders with the chart's `values-<env>.yaml`. */
  readonly environments: readonly string[];
  readonly helm: string;
}

export interface DiffReport {
  /** e.g. `charts/octank-travel` or `charts/octank-travel + values-prod.yaml`. */
  readonly what: string;
  readonly diff: ChartDiff;
  /** Facts the reader needs next to the diff (a side that lacks the chart or the value file). */
  readonly notes: readonly string[];
}

/** Chart.yaml facts; `namespace` is the release namespace zonal generate recorded (zonal.dev/namespace). */
interface ChartMeta { name: string; version: string; namespace?: string }

function chartMeta(dir: string): ChartMeta | undefined {
  const file = join(dir, 'Chart.yaml');
  if (!existsSync(file)) return undefined;
  const c = load(readFileSync(file, 'utf8')) as (Partial<ChartMeta> & { annotations?: Record<string, unknown> }) | null;
  const namespace = c?.annotations?.[RELEASE_NAMESPACE_ANNOTATION];
  return { name: String(c?.name ?? basename(dir)), version: String(c?.version ?? ''), ...(typeof namespace === 'string' && namespace ? { namespace } : {}) };
}

const toPosix = (p: string) => p.split(sep).join('/');

function insideRepo(root: string, abs: string): string {
  const rel = relative(root, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new GitError(`${abs} is outside the git repository ${root}`);
  return toPosix(rel);
}

function real(p: string): string {
  return existsSync(p) ? realpathSync(p) : p;
}

async function chartList(req: DiffRequest, root: string, commit: string): Promise<string[]> {
  if (req.charts.length > 0) return req.charts.map((c) => insideRepo(root, real(c)));
  const dirRel = insideRepo(root, real(req.chartsDir));
  const working = existsSync(req.chartsDir)
    ? readdirSync(req.chartsDir).filter((n) => existsSync(join(req.chartsDir, n, 'Chart.yaml')))
    : [];
  const atBase = await subdirectories(root, commit, dirRel, req.env);
  return [...new Set([...working, ...atBase])].sort().map((n) => (dirRel ? `${dirRel}/${n}` : n));
}

async function renderSide(
  req: DiffRequest, dir: string, meta: ChartMeta | undefined, valuesFile: string | undefined, label: string, notes: string[],
): Promise<{ version?: string; objects: KubeObject[] }> {
  if (!meta) return { objects: [] };
  const values = valuesFile ? [join(dir, valuesFile)] : [];
  if (valuesFile && !existsSync(values[0]!)) {
    notes.push(`${valuesFile} is absent at ${label}: nothing rendered there for it`);
    return { version: meta.version, objects: [] };
  }
  let text: string;
  try {
    // As Argo CD installs it: release = chart name, in the namespace the chart records.
    text = await helmTemplate(req.helm, meta.name, dir, values, req.env, meta.namespace);
  } catch (err) {
    if (err instanceof HelmError) throw new HelmError(`${err.message} (the chart at ${label})`, err.stderr);
    throw err;
  }
  return { version: meta.version, objects: parseManifests(text, `${meta.name}@${label}`).map((l) => l.object) };
}

/**
 * Renders every selected chart at the base revision (exported with git plumbing into a temp
 * directory, the working tree is never touched) and in the working tree with the real
 * `helm template`, once with the chart's defaults or once per requested environment value file,
 * and compares the results object by object.
 */
export async function renderedDiff(req: DiffRequest): Promise<DiffReport[]> {
  const root = real(await repoRoot(req.cwd, req.env));
  const commit = await resolveCommit(root, req.base, req.env);
  if (!commit) throw new GitError(`"${req.base}" names no commit in ${root} (use a branch, tag or commit; a repository without commits has nothing to compare)`);
  const charts = await chartList(req, root, commit);
  const tmp = mkdtempSync(join(tmpdir(), 'zonal-diff-'));
  try {
    // The base revision of every chart in one read (one ls-tree, one cat-file --batch), then every
    // chart and both sides at once: the helm template runs are processes, so they overlap.
    await exportDirectories(root, commit, charts, tmp, req.env);
    const perChart = await Promise.all(charts.map(async (rel) => {
      const headDir = join(root, rel);
      const baseDir = join(tmp, rel);
      const headMeta = chartMeta(headDir);
      const baseMeta = chartMeta(baseDir);
      if (!headMeta && !baseMeta) return []; // a directory that holds no chart on either side
      const name = headMeta?.name ?? baseMeta?.name ?? basename(rel);
      // One release namespace for both sides (an older base may not record it).
      const namespace = headMeta?.namespace ?? baseMeta?.namespace;
      return Promise.all((req.environments.length > 0 ? req.environments : [undefined]).map(async (env) => {
        const valuesFile = env === undefined ? undefined : `values-${env}.yaml`;
        const notes: string[] = [];
        if (!baseMeta) notes.push(`${rel} does not exist at ${req.base}: every object is new`);
        if (!headMeta) notes.push(`${rel} does not exist in the working tree: every object is removed`);
        const [base, head] = await Promise.all([
          renderSide(req, baseDir, baseMeta && { ...baseMeta, namespace }, valuesFile, req.base, notes),
          renderSide(req, headDir, headMeta && { ...headMeta, namespace }, valuesFile, 'the working tree', notes),
        ]);
        const what = rel || '.';
        return { what: valuesFile ? `${what} + ${valuesFile}` : what, diff: diffRendered(name, base, head), notes: [...new Set(notes)] };
      }));
    }));
    return perChart.flat();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
